"""The Reputation pane: account health, bounce and complaint rates against the AWS lines
(the bounce incident crosses the 5 % review line), bars, ranges and the time cursor —
screens from a fixed cache compared as text, and the emulator's demo account after sync."""

import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import BIN, ROOT, TmuxMixin, TuiTest  # noqa: E402
import incident_data  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu  # noqa: E402

BRAILLE = re.compile("[\u2801-\u28ff]")


def chart_rows(screen, title):
    """The chart's lines under its title line, up to the next title or the time axis."""
    lines = screen.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith(" " + title))
    rows = []
    for l in lines[start + 1:]:
        if l.startswith(" Complaint rate") or re.match(r"^ +\d{4}-", l):
            break
        rows.append(l)
    return rows


def plot_of(line):
    """The plot part of a chart line: after the axis, before the margin's label."""
    m = re.match(r"^ *[\d.%]*[\u2524\u2502|+](.*)$", line)
    return m.group(1) if m else ""


def crossing_columns(rows, label, marks=BRAILLE):
    """Plot columns with data above the threshold line labelled `label` (e.g. "review 5%")."""
    at = next(i for i, l in enumerate(rows) if l.rstrip().endswith(label))
    cols = set()
    for l in rows[:at]:
        cols |= {i for i, ch in enumerate(plot_of(l)) if marks.match(ch)}
    return at, cols


class FixedData(TuiTest):
    def setUp(self):
        super().setUp()
        self.make_cache()
        incident_data.seed(self.cache)

    def test_incident_80x24(self):
        # G: the newest step (23:00 the last day); two days back, then 5 hours back: 18:00 on
        # the incident day
        r = self.run_script(":reputation", "dump rep", "key G", "key <PgUp>", "key <PgUp>",
                            "keys hhhhh", "dump incident", "key <Enter>", "dump step", "key <Esc>",
                            "dump closed", cols=80, rows=24)
        s = r.screens["rep"]
        self.assert_screen("reputation-80x24", s)
        self.assertIn("\u2713 HEALTHY  production  quota [", s)
        self.assertIn("12,500/50,000 in 24 h 25%  max 14/s", s)
        bounce = chart_rows(s, "Bounce rate")
        at, cols = crossing_columns(bounce, "review 5%")
        self.assertTrue(cols, "no bounce data above the 5% review line:\n" + s)
        self.assertTrue(bounce[at - 1] and any(l.rstrip().endswith("pause 10%") for l in bounce[:at]))
        complaint = chart_rows(s, "Complaint rate")
        for label in ("review 0.1%", "providers 0.3%", "pause 0.5%"):
            self.assertTrue(any(l.rstrip().endswith(label) for l in complaint), label + "\n" + s)
        for bar in ("attempts", "bounces", "complaints", "rejects"):
            self.assertRegex(s, rf"[\u2581-\u2588] +{bar}\n")
        # the cursor on the incident: exact values and the verdict
        inc = r.screens["incident"]
        self.assertIn(" cursor 2026-11-21 18:00Z ", inc)
        self.assertRegex(inc, r" Bounce rate per hour: 1\d\.\d\d% \(\d+\) pause ")
        self.assertRegex(inc.splitlines()[1], r" 1\d\d/168 *$")
        # Enter: every value of that hour, with the verdicts as words
        step = r.screens["step"]
        self.assertIn("hour 2026-11-21 18:00Z  Esc back", step)
        self.assertRegex(step, r"\nbounces +\d+  1\d\.\d\d%  pause\n")
        self.assertRegex(step, r"\nto +2026-11-21 19:00Z\n")
        self.assertIn(" cursor 2026-11-21 18:00Z ", r.screens["closed"])

    def test_incident_132x43(self):
        r = self.run_script(":reputation", "dump rep", "key t", "dump d14", cols=132, rows=43)
        self.assert_screen("reputation-132x43", r.screens["rep"])
        self.assertIn("t range: 7 d", r.screens["rep"])
        self.assertIn("t range: 14 d", r.screens["d14"])
        self.assertRegex(r.screens["d14"].splitlines()[1], r" 336/336 *$")
        for name in ("rep", "d14"):
            _, cols = crossing_columns(chart_rows(r.screens[name], "Bounce rate"), "review 5%")
            self.assertTrue(cols, r.screens[name])

    def test_ascii_mode(self):
        r = self.run_script(":reputation", "dump rep", cols=80, rows=24, env={"SESCTL_ASCII": "1"})
        s = r.screens["rep"]
        self.assert_screen("reputation-ascii-80x24", s)
        self.assertTrue(all(ord(c) < 128 for c in s), s)
        _, cols = crossing_columns(chart_rows(s, "Bounce rate"), "review 5%", re.compile(r"[*.]"))
        self.assertTrue(cols, s)
        self.assertIn("quota [#", s)

    def test_ranges_cycle_and_keep_the_cursor_time(self):
        r = self.run_script(":reputation", "key G", "key h", "dump h7", "key t", "dump h14",
                            "key t", "dump all", "key t", "dump h24", cols=80, rows=24)
        self.assertIn("cursor 2026-11-23 22:00Z", r.screens["h7"])
        self.assertIn("cursor 2026-11-23 22:00Z", r.screens["h14"])
        self.assertIn("t range: all", r.screens["all"])
        self.assertIn("2026-11-10 00:00Z", r.screens["all"])  # the first cached hour
        self.assertIn("t range: 24 h", r.screens["h24"])
        self.assertIn("cursor 2026-11-23 22:00Z", r.screens["h24"])  # 15-minute steps now
        self.assertIn("Bounce rate per 15 min", r.screens["h24"])
        self.assertRegex(r.screens["h24"].splitlines()[1], r" \d+/96 *$")

    def test_no_statistics_yet(self):
        os.remove(self.cache)
        self.make_cache()
        incident_data.seed(self.cache, stats=False)
        r = self.run_script(":reputation", "dump rep", cols=80, rows=24)
        self.assertIn("no send statistics cached for this account and region; press r",
                      r.screens["rep"])


@unittest.skipUnless(shutil.which("tmux"), "SKIP tmux is not installed")
class RealTerminal(TmuxMixin, TuiTest):
    def test_cursor_and_copy_on_a_pty(self):
        self.write_config("[global]\nrefresh = 0\n")  # no endpoint here: no refresh on start
        self.make_cache()
        incident_data.seed(self.cache)
        self.start(cols=100, rows=30)
        self.wait_for("Identities")
        self.tmux("send-keys", "2")
        s = self.wait_for("Bounce rate per hour", "review 5%", "providers 0.3%")
        self.assertTrue(BRAILLE.search(s), s)
        self.assertEqual(self.pane_value("#{cursor_y}"), "3")  # the hardware cursor: the readout
        self.tmux("send-keys", "G", "PPage", "PPage", "h", "h", "h", "h", "h")
        s = self.wait_for("cursor 2026-11-21 18:00Z")
        self.assertRegex(s, r"Bounce rate per hour: 1\d\.\d\d% \(\d+\) pause")
        # y copies the readout through tmux's buffer (this private server's)
        self.tmux("send-keys", "y")
        self.wait_for("via tmux buffer")
        self.assertRegex(self.tmux("show-buffer"), r"^ cursor 2026-11-21 18:00Z +\d+ sent ")
        self.tmux("send-keys", "q")
        self.assertEqual(self.wait_dead(), "0")


class DemoAccount(TuiTest):
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def test_cursor_on_the_newest_step_follows_a_refresh(self):
        self.make_cache()
        incident_data.seed(self.cache)  # ends 2026-11-23 23:45; the demo's data ends now
        r = self.run_script(":reputation", "dump before", "key r", "dump after", "key h",
                            "key r", "dump kept", cols=80, rows=24, env=self.emu.env({}))
        self.assertIn(" cursor 2026-11-23 23:00Z ", r.screens["before"])
        after = r.screens["after"]
        axis = next(l for l in after.splitlines() if re.match(r"^ +\d{4}-", l))
        newest = re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\dZ", axis)[-1]
        self.assertNotEqual(newest, "2026-11-23 23:00Z", after)
        self.assertIn(f" cursor {newest} ", after)
        # a cursor moved back stays where it was
        kept = re.search(r" cursor (\S+ \S+) ", r.screens["kept"]).group(1)
        self.assertLess(kept, newest)

    def test_synced_incident_crosses_the_review_line(self):
        env = self.env(extra=self.emu.env({}))
        sync = subprocess.run([BIN, "--cache", self.cache, "--region", "eu-west-1", "sync"],
                              env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(sync.returncode, 0, sync.stderr)
        for cols, rows in ((80, 24), (132, 43)):
            r = self.run_script(":reputation", "dump rep", cols=cols, rows=rows,
                                env=self.emu.env({}))
            s = r.screens["rep"]
            self.assertIn("HEALTHY  production  quota [", s)
            self.assertRegex(s, r"AWS 24 h: \d+\.\d\d%")
            # the demo's incident was two days ago: sustained bounces over 5 % (and 10 %)
            at, cols_above = crossing_columns(chart_rows(s, "Bounce rate"), "review 5%")
            self.assertGreaterEqual(len(cols_above), 2, s)
            self.assertTrue(any(l.rstrip().endswith("pause 10%")
                                for l in chart_rows(s, "Bounce rate")[:at]), s)


if __name__ == "__main__":
    unittest.main()
