"""The console in a real terminal: tmux runs it on a pty, keys go in with send-keys and the
screen comes back with capture-pane. Every wait polls for expected text (generous ceiling);
nothing sleeps for a fixed time."""

import os
import shutil
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import CEILING, DEMO_ACCOUNT, TmuxMixin, TuiTest, demo_identities  # noqa: E402


@unittest.skipUnless(shutil.which("tmux"), "SKIP tmux is not installed")
class RealTerminal(TmuxMixin, TuiTest):
    def setUp(self):
        super().setUp()
        # no network here: the automatic refresh of a stale cache would only fail and
        # put its error on the status line these tests read
        self.write_config("[global]\nrefresh = 0\n")

    def test_browse_filter_detail_help_resize_quit(self):
        self.write_config("[global]\nrefresh = 0\n")  # no endpoint here: no refresh on start
        self.seed_cache(demo_identities(), DEMO_ACCOUNT)
        self.start()
        s = self.wait_for("bücher.example")
        self.assertIn("production  HEALTHY", s)
        self.tmux("send-keys", "/")
        self.tmux("send-keys", "-l", "brand")
        self.tmux("send-keys", "Enter")
        s = self.wait_for("filter /brand", "? help")  # the prompt has closed
        rows = [l for l in s.splitlines()[3:-1] if l.strip()]
        self.assertEqual([r.split()[0] for r in rows], ["legacy-brand.example", "newbrand.example"])
        # the hardware cursor is on the selected row (screen readers follow it)
        self.assertEqual(self.pane_value("#{cursor_y} #{cursor_x}"), "3 0")
        self.tmux("send-keys", "j")
        deadline = time.monotonic() + CEILING
        while self.pane_value("#{cursor_y}") != "4" and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.pane_value("#{cursor_y}"), "4")
        self.tmux("send-keys", "Enter")
        self.wait_for("identity newbrand.example")
        self.tmux("send-keys", "Escape")
        self.wait_for("sending  feedback")
        self.tmux("send-keys", "?")
        self.wait_for("quit", "create an identity")  # the help, at this pane's keys
        self.tmux("resize-window", "-x", "70", "-y", "30")
        self.wait_for("terminal too small (need 80x20, have 70x30)")
        self.tmux("resize-window", "-x", "100", "-y", "30")
        self.wait_for("quit", "create an identity")
        self.tmux("send-keys", "q")
        self.assertEqual(self.wait_dead(), "0")

    def test_term_dumb_refuses_the_console_and_names_the_verbs(self):
        # TERM=dumb has no cursor addressing: the console would draw every line below the
        # last one. It refuses, says why, and points to the verbs.
        self.seed_cache(demo_identities(), DEMO_ACCOUNT)
        self.start(term="dumb")
        status = self.wait_dead()
        s = self.tmux("capture-pane", "-p", "-J", "-S", "-")  # joined, with the scrollback
        self.assertIn("TERM=dumb cannot move the cursor", s)
        self.assertIn("(sesctl --help)", s)
        self.assertEqual(status, "2", s)

    def mouse(self, x, y, *buttons):
        """X10 mouse reports (kmous=\\E[M of tmux-256color), as the terminal would send them
        to the application: button 0 press, 3 release, 64/65 wheel up/down."""
        for b in buttons:
            self.tmux("send-keys", "-H", "1b", "5b", "4d", f"{32 + b:02x}", f"{33 + x:02x}",
                      f"{33 + y:02x}")

    def click(self, x, y):
        self.mouse(x, y, 0, 3)

    def wait_cursor_y(self, y):
        deadline = time.monotonic() + CEILING
        while self.pane_value("#{cursor_y}") != str(y) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.pane_value("#{cursor_y}"), str(y))

    def test_mouse_click_selects_and_switches_panes(self):
        self.seed_cache(demo_identities(), DEMO_ACCOUNT)
        self.start()
        s = self.wait_for("bücher.example")
        target = next(i for i, l in enumerate(s.splitlines()) if l.startswith("old.example"))
        self.click(3, target)
        self.wait_cursor_y(target)
        self.mouse(3, 10, 64)  # wheel up: three rows
        self.wait_cursor_y(target - 3)
        self.mouse(3, 10, 65, 65)  # wheel down twice
        self.wait_cursor_y(target + 3)
        self.click(3, target)
        self.wait_cursor_y(target)
        self.tmux("send-keys", "Enter")
        self.wait_for("identity old.example")
        tabs = s.splitlines()[1]
        help_x = tabs.index(" Help") - 1  # the tab's number, whatever it is
        self.click(help_x, 1)
        self.wait_for(f"[{tabs[help_x]} Help]")

    def test_mouse_click_in_a_pane_with_lines_above_its_table(self):
        import incident_data
        self.make_cache()
        incident_data.seed(self.cache)
        self.write_config("[global]\nrefresh = 0\n")
        self.start()
        self.wait_for("[1 Identities]")
        self.tmux("send-keys", "3")  # Account: status lines, then the suppression table
        s = self.wait_for("[3 Account]")
        lines = s.splitlines()
        header = next(i for i, l in enumerate(lines) if l.startswith("address"))
        target = header + 3  # the third address
        want = lines[target].split()[0]
        self.click(3, target)
        self.wait_cursor_y(target)
        self.assertIn("3/", self.screen().splitlines()[1])  # the counter agrees: row 3
        self.tmux("send-keys", "Enter")  # and Enter opens that address
        s = self.wait_for("suppressed since")
        self.assertIn("sesctl suppression remove " + want, s)

    def test_yank_copies_through_tmux(self):
        self.seed_cache(demo_identities(), DEMO_ACCOUNT)
        self.start()
        self.wait_for("bücher.example")
        self.tmux("send-keys", "y")
        s = self.wait_for("copied 15 bytes via tmux buffer")
        self.assertEqual(self.tmux("show-buffer"), "billing.example")
        self.tmux("send-keys", "Enter", "j", "y")  # the detail copies the value of its row
        self.wait_for("copied 6 bytes via tmux buffer")
        self.assertEqual(self.tmux("show-buffer"), "DOMAIN")
        self.assertTrue(s)

    def test_ctrl_c_quits_and_restores_the_terminal(self):
        self.start()
        self.wait_for("no data yet")
        self.tmux("send-keys", "C-c")
        self.assertEqual(self.wait_dead(), "0")
        # endwin() left the alternate screen: the console's frame is gone
        self.assertNotIn("[1 Identities]", self.screen())


if __name__ == "__main__":
    unittest.main()
