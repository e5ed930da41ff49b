"""The DMARC pane against the emulator's demo account, its two weeks of reports imported
from S3: domains with their verdict (ready, not ready) and the chart of the daily share
failing DMARC; Enter opens a domain's sources with their class and why; Enter on a source
shows the raw records the receivers sent; Esc goes back a level at a time. The demo's
numbers move with the date the seed runs at, so this checks content, not whole screens."""

import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import BIN, ROOT, TmuxMixin, TuiTest  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu  # noqa: E402


class DemoDmarc(TuiTest):
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def sesctl(self, *args):
        p = subprocess.run([BIN, "--cache", self.cache, "--region", "eu-west-1", *args],
                           env=self.env(extra=self.emu.env({})), capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def setUp(self):
        super().setUp()
        self.sesctl("sync")
        self.sesctl("dmarc", "import", "s3://shop-dmarc-reports/dmarc/")

    def test_domains_sources_raw_and_back(self):
        r = self.run_script(":dmarc", "dump list", "keys /shop", "key <Enter>", "key <Enter>",
                            "dump sources", "keys /198.51", "key <Enter>", "key <Enter>", "dump raw",
                            "key <Esc>", "key <Esc>", "dump sources2", "key <Esc>", "dump back",
                            cols=132, rows=43, args=("--offline",))
        s = r.screens["list"]
        self.assertIn("[DMARC]", s)
        self.assertIn(" 3 domains, 1 ready for p=reject (last 14 days)", s)
        self.assertRegex(s, r"\naccounts\.example +\u2713 ready for p=quarantine/reject +p=none")
        self.assertRegex(s, r"\nold\.example +\u2717 not ready: \d+ sources fail, 0\.0 % pass")
        self.assertRegex(s, r"\nshop\.example +\u2717 not ready: 1 source fails")
        # the chart of the selected domain, with the line the verdict allows
        self.assertRegex(s, r"share of messages failing DMARC per day, last 14 days")
        self.assertIn("ready", s.split("share of messages failing")[1])
        src = r.screens["sources"]
        self.assertIn(" shop.example: ", src)
        self.assertRegex(src, r"\n54\.240\.\d+\.\d+ +ses +SES \(shop\.example\)")
        self.assertRegex(src, r"\n198\.51\.100\.44 +other +em\.mailvendor\.example")
        self.assertRegex(src, r"\n203\.0\.113\.\d+ +none ")
        raw = r.screens["raw"]
        self.assertIn("198.51.100.44 sending as shop.example", raw)
        self.assertRegex(raw, r"\nclass +other: em\.mailvendor\.example")
        self.assertRegex(raw, r"\nwhy +em\.mailvendor\.example \(198\.51\.100\.44\) passes DKIM")
        self.assertRegex(raw, r"\nrecords +\d{4}-\d\d-\d\d (google\.com|Enterprise Outlook|Yahoo) ")
        self.assertIn(" shop.example: ", r.screens["sources2"])      # Esc: back to the sources
        self.assertIn(" 3 domains, 1 ready", r.screens["back"])      # Esc: back to the domains

    def test_small_terminal(self):
        r = self.run_script(":dmarc", "dump list", cols=80, rows=24, args=("--offline",))
        s = r.screens["list"]
        self.assertRegex(s, r"\nshop\.example +\u2717 not ready")
        for line in s.splitlines():
            self.assertLessEqual(len(line), 80)


if __name__ == "__main__":
    unittest.main()


class DemoDmarcInTmux(TmuxMixin, TuiTest):
    """In a real terminal: no DMARC tab until reports are there; `:dmarc import` from the
    demo's bucket brings it; Enter down to a source's raw records and Esc back up."""
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def test_import_from_the_console_then_walk_down_and_back(self):
        self.start(cols=132, rows=43, extra_env=self.emu.env({}))
        s = self.wait_for("refreshed in")
        self.assertNotIn("DMARC", s.splitlines()[2])           # no reports yet: no tab
        self.tmux("send-keys", ":dmarc import s3://shop-dmarc-reports/dmarc/", "Enter")
        self.wait_for("126 new reports")
        self.tmux("send-keys", ":dmarc", "Enter")
        s = self.wait_for("[DMARC]", "3 domains, 1 ready for p=reject")
        self.assertRegex(s, r"old\.example +\u2717 not ready")
        self.tmux("send-keys", "/")
        self.tmux("send-keys", "-l", "old")
        self.tmux("send-keys", "Enter", "Enter")
        s = self.wait_for(" old.example: ", "Enter raw records")
        self.assertRegex(s, r"\n54\.240\.\d+\.\d+ +ses +SES \(old\.example\) ")
        self.tmux("send-keys", "Enter")
        s = self.wait_for("sending as old.example")
        self.assertIn("DKIM signing is off for identity old.example", re.sub(r"\s+", " ", s))
        self.assertNotIn("\u2026", s.split("why", 1)[1].split("raw results")[0])   # wrapped, not cut
        self.tmux("send-keys", "Escape")
        self.wait_for(" old.example: ", "Enter raw records")
        self.tmux("send-keys", "Escape")
        self.wait_for("3 domains, 1 ready for p=reject")
        self.tmux("send-keys", "q")
