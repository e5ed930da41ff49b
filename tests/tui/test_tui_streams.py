"""The Streams pane (configuration sets as sending streams) and the Reputation pane's
breakdown by stream: fixed-cache screens compared as text, the breakdown's numbers computed
here from the seeded per-set series, and the marketing set paused from the console against
the emulator's demo account (boto3 reads the change back)."""

import datetime
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shutil  # noqa: E402

from tuitest import BIN, ROOT, TmuxMixin, TuiTest, dialog_text  # noqa: E402
import incident_data  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu  # noqa: E402


def latest(series, at):
    """The newest (ts, value) at or before at, no older than two days (core/streams.h)."""
    pts = [p for p in series if at - 2 * 86400 <= p[0] <= at]
    return pts[-1][1] if pts else None


class FixedData(TuiTest):
    def setUp(self):
        super().setUp()
        self.make_cache()
        incident_data.seed(self.cache)

    def test_streams_80x24(self):
        r = self.run_script(":streams", "dump list", "keys /transactional", "key <Enter>", "key <Enter>",
                            "dump set", "key <Esc>", "key <Esc>", "keys /default", "key <Enter>",
                            "key <Enter>", "dump default", cols=80, rows=24)
        s = r.screens["list"]
        self.assert_screen("streams-80x24", s)
        self.assertIn("[9 Streams]", s.splitlines()[1])
        self.assertRegex(s, r"\nmarketing +\u2717 PAUSED ")
        self.assertRegex(s, r"\ndefault +\u2713 on +off +off \u2717 +off ")   # no rates: never 0 %
        self.assertRegex(s, r"\ntransactional +\u2713 on +[\d.]+% +[\d.]+% \u2713 +on +REQUIRE ")
        self.assertNotIn("\x1b", s)   # the hostile set name is sanitized
        st = r.screens["set"]
        self.assert_screen("streams-set-80x24", st)
        self.assertIn("Configuration set transactional", st)
        self.assertIn(" bounce rate, 14 days (hourly)", st)
        self.assertRegex(st, r"pause 10%")
        self.assertRegex(st, r"\ndestination bounces-sns +on SNS: bounce complaint\n")
        d = r.screens["default"]
        self.assertIn("none: reputation metrics are off", d)
        self.assertRegex(d, r"\nturn them on +sesctl config-set set default --reputation-metrics on\n")
        self.assertIn("none: its events go nowhere", d)
        self.assertIn("no destination receives bounces or complaints", d)
        self.assertNotIn("bounce rate, 14 days", d)   # no series, no empty charts

    def test_streams_132x43(self):
        r = self.run_script(":streams", "dump list", "keys /marketing", "key <Enter>", "key <Enter>",
                            "dump set", cols=132, rows=43)
        self.assert_screen("streams-132x43", r.screens["list"])
        st = r.screens["set"]
        self.assert_screen("streams-set-132x43", st)
        self.assertIn("click.marketing.example, HTTPS REQUIRE", st)
        # marketing carried the incident: its own chart crosses the pause line
        rows = st.splitlines()
        at = next(i for i, l in enumerate(rows) if l.rstrip().endswith("pause 10%"))
        self.assertTrue(any(re.search(r"[\u2801-\u28ff]", l[4:]) for l in rows[3:at]), st)

    def over_the_line(self, name):
        import sqlite3
        db = sqlite3.connect(self.cache)
        with db:
            db.execute("INSERT OR REPLACE INTO metric_points VALUES (?,?,?,?,?)",
                       (incident_data.ACCOUNT, incident_data.REGION, f"cs:{name}:Reputation.BounceRate",
                        incident_data.END, 0.15))
        db.close()

    def test_the_sick_stream_is_named(self):
        self.over_the_line("transactional")
        r = self.run_script(":streams", "dump s", ":account", "key l", "key l", "dump check",
                            cols=132, rows=43)
        self.assertIn(" transactional is over the review line: P on it pauses only that stream",
                      r.screens["s"])
        # the checklist starts with pausing only that stream
        self.assertRegex(r.screens["check"], r"\n +1 +Pause only the sick stream: transactional "
                                             r"\(bounces 15\.0%")

    def test_a_paused_sick_stream_is_not_paused_again(self):
        self.over_the_line("marketing")     # marketing is paused in this data
        r = self.run_script(":streams", "dump s", ":account", "key l", "key l", "dump check",
                            cols=80, rows=24)
        self.assertIn(" marketing is over the review line, and paused", r.screens["s"])
        self.assertNotIn("sick stream", r.screens["check"])

    def test_breakdown_equals_the_sets_series(self):
        """The Reputation pane's line under the charts: each set's own rate at the cursor step's
        end, computed here from the series the cache was seeded with."""
        series = incident_data.stream_series()
        r = self.run_script(":reputation", "key G", "key <PgUp>", "key <PgUp>", "keys hhhhh",
                            "dump incident", "key G", "dump newest", cols=132, rows=43)
        for name in ("incident", "newest"):
            s = r.screens[name]
            cursor = re.search(r" cursor (\d{4}-\d\d-\d\d \d\d:\d\d)Z ", s).group(1)
            at = int(datetime.datetime.strptime(cursor, "%Y-%m-%d %H:%M").replace(
                tzinfo=datetime.timezone.utc).timestamp()) + 3600
            line = next(l for l in s.splitlines() if l.startswith(" by stream, 24 h: "))
            bounce, complaint = line[len(" by stream, 24 h: bounce "):].split(" | complaint ")
            want = sorted(((latest(series[f"cs:{n}:Reputation.BounceRate"], at), n)
                           for n in ("marketing", "transactional")), reverse=True)
            self.assertEqual(bounce.strip(), ", ".join(f"{n} {100 * v:.1f} %" for v, n in want), s)
            got = dict(re.findall(r"(\w+) ([\d.]+) %", complaint))
            for n in ("marketing", "transactional"):
                v = latest(series[f"cs:{n}:Reputation.ComplaintRate"], at)
                self.assertEqual(got.get(n), f"{100 * v:.2f}", complaint)
        # at the incident the culprit leads, far over the pause line
        self.assertRegex(r.screens["incident"], r"by stream, 24 h: bounce marketing 2\d\.\d %, transactional")


class DemoStreams(TuiTest):
    """Against the emulator's demo account: the marketing stream paused from the console."""
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def setUp(self):
        super().setUp()
        sync = subprocess.run([BIN, "--cache", self.cache, "--region", "eu-west-1", "sync"],
                              env=self.env(extra=self.emu.env({})), capture_output=True,
                              text=True, timeout=120)
        self.assertEqual(sync.returncode, 0, sync.stderr)

    def test_pause_marketing_from_the_streams_pane(self):
        v2 = self.emu.client("sesv2")
        self.addCleanup(v2.put_configuration_set_sending_options, ConfigurationSetName="marketing",
                        SendingEnabled=True)
        r = self.run_script(":streams", "dump before", "keys /marketing", "key <Enter>", "key P",
                            "dump reason", "keys CAMPAIGN-7 list import", "key <Enter>", "dump confirm",
                            "keys 123456789012", "key <Enter>", "dump paused", cols=132, rows=43,
                            env=self.emu.env({}))
        self.assertRegex(r.screens["before"], r"\nmarketing +\u2713 on ")
        self.assertEqual(r.screens["reason"].splitlines()[-1],
                         "Pause sending for configuration set marketing? Reason:")
        self.assertIn("Type 123456789012 to confirm", dialog_text(r.screens["confirm"]))
        paused = r.screens["paused"]
        self.assertRegex(paused, r"\nmarketing +\u2717 PAUSED ")
        self.assertIn("ok: sesctl sending pause --reason 'CAMPAIGN-7 list import' --config-set marketing",
                      paused.splitlines()[-1])
        self.assertNotIn("SENDING PAUSED", paused.splitlines()[1])   # the account still sends
        self.assertFalse(v2.get_configuration_set(ConfigurationSetName="marketing")
                         ["SendingOptions"]["SendingEnabled"])
        self.assertTrue(v2.get_account()["SendingEnabled"])


@unittest.skipUnless(shutil.which("tmux"), "SKIP tmux is not installed")
class DemoStreamsInTmux(TmuxMixin, TuiTest):
    """The same pause in a real terminal: keys through tmux, the state read off the screen
    as it changes, and SES's own state read back with boto3."""
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def test_pause_marketing_and_see_it_change(self):
        v2 = self.emu.client("sesv2")
        self.addCleanup(v2.put_configuration_set_sending_options, ConfigurationSetName="marketing",
                        SendingEnabled=True)
        self.start(cols=132, rows=43, extra_env=self.emu.env({}))
        self.wait_for("refreshed in")
        self.tmux("send-keys", "9")
        s = self.wait_for("[9 Streams]", "legacy-newsletter")
        self.assertRegex(s, r"\nmarketing +\u2713 on ")
        self.tmux("send-keys", "/")
        self.tmux("send-keys", "-l", "marketing")
        self.tmux("send-keys", "Enter")
        self.wait_for("filter /marketing")
        self.tmux("send-keys", "P")
        self.wait_for("Pause sending for configuration set marketing? Reason:")
        self.tmux("send-keys", "-l", "INC-88 list import")
        self.tmux("send-keys", "Enter")
        self.wait_for("Type 123456789012 to confirm")
        self.tmux("send-keys", "-l", "123456789012")
        self.tmux("send-keys", "Enter")
        s = self.wait_for("ok: sesctl sending pause")
        self.assertRegex(s, r"\nmarketing +\u2717 PAUSED ")
        self.assertFalse(v2.get_configuration_set(ConfigurationSetName="marketing")
                         ["SendingOptions"]["SendingEnabled"])
        self.assertTrue(v2.get_account()["SendingEnabled"])
        self.tmux("send-keys", "q")
        self.assertEqual(self.wait_dead(), "0")


if __name__ == "__main__":
    unittest.main()
