"""The Fleet pane against the emulator's `fleet:6x2` seed (six accounts, two regions, one
profile each, cust-globex with expired keys): the console opens on the fleet when the
config has a [fleet] section, cells worst first with the reason in words and the header
counting the cells in trouble; F and Esc come back; y copies --profile --region. In a real
terminal under tmux: Enter into a sick cell, pause it with the account id typed (the
question names the account and the region), back to the fleet, the cell shows paused, and
boto3 with that account's own keys reads it paused."""

import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import BIN, ROOT, TmuxMixin, TuiTest, dialog_text  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu  # noqa: E402

FLEET_CONFIG = "[fleet]\nprofiles = prod-*, staging, dev, cust-*\nregions = eu-west-1, us-east-1\n"


class FleetBase(TuiTest):
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="fleet:6x2").start()
        cls.files = cls.emu.fleet_aws_config()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def setUp(self):
        super().setUp()
        for name in ("config", "credentials"):
            with open(os.path.join(self.home, ".aws", name), "w") as f:
                f.write(self.files[name])
        self.config = os.path.join(self.home, ".config", "sesctl", "config")
        with open(self.config, "w") as f:
            f.write(FLEET_CONFIG)
        sync = subprocess.run([BIN, "--cache", self.cache, "sync", "--fleet"], env=self.env(),
                              capture_output=True, text=True, timeout=300)
        # cust-globex's keys are expired: its two cells fail, the others are read
        self.assertEqual(sync.returncode, 9, sync.stderr)
        self.assertIn("2 of 12 cells could not be read", sync.stderr)


class FleetScreens(FleetBase):
    def test_opens_on_the_fleet_worst_first(self):
        s = self.run_script("dump fleet", cols=132, rows=30, args=("--offline",)).screens["fleet"]
        lines = s.splitlines()
        self.assertIn("FLEET 6/12 in trouble", lines[0])
        self.assertIn("[Fleet]", lines[1])
        self.assertIn("6 of 12 cells in trouble", lines[2])
        rows = [l for l in lines[4:] if re.match(r"\S+ \S+-\d ", l)]
        health = [re.search(r"(error|shutdown|paused|probation|over-line|warning|healthy)", r).group(1)
                  for r in rows]
        self.assertEqual(health[:6], ["error", "error", "shutdown", "paused", "probation", "over-line"],
                         s)
        self.assertEqual(set(health[6:]), {"healthy"}, s)
        self.assertRegex(rows[0], r"cust-globex eu-west-1 .* error .*GetCallerIdentity: The security")
        self.assertRegex(rows[2], r"prod-us eu-west-1 +200000000002 .*PAUSED .*SHUTDOWN")
        self.assertRegex(rows[3], r"dev eu-west-1 .*sending paused by oncall@")
        self.assertRegex(rows[5], r"cust-acme us-east-1 .*bounce \d+\.\d\d % \(review line 5 %\)")

    def test_f_and_esc_come_back_and_y_copies_the_cell(self):
        run = self.run_script("key 1", "dump ids", "key F", "dump back", "key 3", "key <Esc>",
                              "dump esc", "key /", "keys staging us", "key <Enter>", "key y",
                              "dump yank", cols=132, rows=30, args=("--offline",))
        self.assertIn("[1 Identities]", run.screens["ids"])
        self.assertIn("[Fleet]", run.screens["back"])
        self.assertIn("[Fleet]", run.screens["esc"])
        # no terminal to copy to here: the copy is saved to a file the status line names
        saved = re.search(r"saved (\d+) bytes to (\S+)", run.screens["yank"].splitlines()[-1])
        self.assertTrue(saved, run.screens["yank"])
        with open(saved.group(2)) as f:
            self.assertEqual(f.read(), "--profile staging --region us-east-1")

    def test_without_a_fleet_the_console_opens_on_identities(self):
        os.unlink(self.config)
        s = self.run_script("dump first", cols=100, rows=24, args=("--offline",)).screens["first"]
        self.assertIn("[1 Identities]", s)
        self.assertNotIn("Fleet", s)


@unittest.skipUnless(shutil.which("tmux"), "SKIP tmux is not installed")
class FleetInTmux(TmuxMixin, FleetBase):
    def test_enter_a_sick_cell_pause_it_and_see_it_paused_in_the_fleet(self):
        self.start(cols=160, rows=34, extra_env={"SESCTL_CONFIG": self.config})
        s = self.wait_for("[Fleet]", "cust-acme us-east-1")
        self.assertIn("FLEET 6/12 in trouble", s.splitlines()[0])
        self.tmux("send-keys", "/")
        self.tmux("send-keys", "-l", "cust-acme us-east")
        self.tmux("send-keys", "Enter")
        self.wait_for("filter /cust-acme us-east")
        self.tmux("send-keys", "Enter")
        # the toast comes with the frame after the switch: wait for it, not for the tab alone
        self.wait_for("[3 Account]", "cust-acme  us-east-1  200000000005",
                      "Esc or F: back to the fleet")
        self.tmux("send-keys", "P")
        self.wait_for("Pause sending for account 200000000005 in us-east-1? Reason:")
        self.tmux("send-keys", "-l", "INC-7 bounces at 8 %")
        self.tmux("send-keys", "Enter")
        s = self.wait_for("to confirm:")
        self.assertIn("Pause sending for account 200000000005 in us-east-1? Type 200000000005 to "
                      "confirm:", dialog_text(s))
        self.tmux("send-keys", "-l", "200000000005")
        self.tmux("send-keys", "Enter")
        self.wait_for("ok: sesctl sending pause")
        self.wait_for("SENDING PAUSED")
        v2 = self.emu.client("sesv2", region="us-east-1", account="cust-acme")
        self.assertFalse(v2.get_account()["SendingEnabled"])
        self.tmux("send-keys", "Escape")
        s = self.wait_for("[Fleet]")
        self.tmux("send-keys", "Escape")  # the filter goes: the whole fleet again
        s = self.wait_for("6 of 12 cells in trouble", "prod-eu eu-west-1")  # over a line, paused now
        self.assertNotIn("SENDING PAUSED", s)  # the cell's banner stays with the cell
        self.assertRegex(s, r"cust-acme us-east-1 +200000000005 +\S+ paused +PAUSED .*sending paused "
                            r"by .*: INC-7 bounces at 8 %")
        self.tmux("send-keys", "q")
        self.assertEqual(self.wait_dead(), "0")

    def test_r_on_the_fleet_reads_every_cell(self):
        # a change made elsewhere (boto3, the AWS console) shows after r, not before
        v2 = self.emu.client("sesv2", region="eu-west-1", account="prod-eu")
        v2.put_account_sending_attributes(SendingEnabled=False)
        try:
            self.start(cols=160, rows=34, extra_env={"SESCTL_CONFIG": self.config})
            s = self.wait_for("[Fleet]", "prod-eu eu-west-1")
            self.assertRegex(s, r"prod-eu eu-west-1 +200000000001 +\S+ healthy")
            self.tmux("send-keys", "r")
            s = self.wait_for("refreshed in part")
            self.assertRegex(s, r"prod-eu eu-west-1 +200000000001 +\S+ paused +PAUSED")
            self.assertIn("7 of 12 cells in trouble", s)
            self.tmux("send-keys", "q")
            self.assertEqual(self.wait_dead(), "0")
        finally:
            v2.put_account_sending_attributes(SendingEnabled=True)


if __name__ == "__main__":
    unittest.main()
