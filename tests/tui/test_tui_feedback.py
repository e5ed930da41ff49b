"""Feedback in the console, against the emulator's demo account: the Identities pane's
feedback column and an identity's verdict with its reasons, the Account pane's count of
identities whose feedback goes nowhere, the Events pane listing what the tap read, and —
in a real terminal under tmux — a bounce sent with boto3 appearing in the Events pane in
follow mode without a key press."""

import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import BIN, ROOT, TmuxMixin, TuiTest, frame_lines  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu  # noqa: E402

TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-feedback"


def send_bounce(emu):
    emu.client("sesv2").send_email(
        FromEmailAddress="sender@shop.example", Destination={"ToAddresses": ["bounce@simulator.amazonses.com"]},
        Content={"Simple": {"Subject": {"Data": "hello"}, "Body": {"Text": {"Data": "x"}}}})


class DemoFeedback(TuiTest):
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def sesctl(self, *args):
        r = subprocess.run([BIN, "--cache", self.cache, "--region", "eu-west-1", *args],
                           env=self.env(extra=self.emu.env({})), capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def setUp(self):
        super().setUp()
        self.emu.reset("demo")
        self.sesctl("sync")
        self.sesctl("sync", "--kind", "feedback")

    def test_identities_column_detail_and_account_line(self):
        r = self.run_script("dump list", "keys /billing.example", "key <Enter>", "key <Enter>",
                            "dump detail", ":account", "dump account", cols=132, rows=43,
                            env=self.emu.env({}))
        lst = r.screens["list"]
        self.assertRegex(frame_lines(lst)[2], r"^name .* sending +feedback +age$")
        self.assertRegex(lst, r"\nshop\.example .*\u2713 +\S+\n")
        self.assertRegex(lst, r"\nbilling\.example .*\u2717 nowhere ")
        self.assertRegex(lst, r"\nnotify\.example .* mailbox ")
        self.assertRegex(lst, r"\naccounts\.example .*\? unknown ")
        d = r.screens["detail"]
        self.assertRegex(d, r"\nbounces go +NOWHERE\n")
        self.assertIn("pending confirmation", d)
        self.assertIn("no longer exists", d)
        self.assertRegex(r.screens["account"], r"\u2717 \d+ feedback nowhere")

    def test_events_pane_lists_what_the_tap_read(self):
        self.sesctl("events", "tap", "--topic", TOPIC, "--yes")   # setUp's reset drops it
        send_bounce(self.emu)
        self.sesctl("sync", "--kind", "events")
        r = self.run_script(":events", "dump list", "keys /simulator", "key <Enter>", "key <Enter>",
                            "dump one", "key <Esc>", "key <Esc>", "key v", "key v", "dump complaints",
                            cols=132, rows=43,
                            env=self.emu.env({}))
        s = r.screens["list"]
        self.assertIn("[0 Events]", frame_lines(s)[1])
        self.assertRegex(s, r"\n\d\d:\d\d:\d\d +bounce +Permanent/Gene\S* +bounce@simulator\.amazonses\.com +5\.1\.1 ")
        self.assertIn("top bounce reasons: ", s)
        self.assertIn("simulator.amazonses.com \u00d71", s)
        one = r.screens["one"]
        self.assertRegex(one, r"\nstatus +5\.1\.1\n")
        self.assertRegex(one, r"\nidentity +shop\.example\n")
        c = r.screens["complaints"]
        self.assertIn(" complaints, 0 shown ", c)
        self.assertNotIn("bounce@simulator", c)


@unittest.skipUnless(shutil.which("tmux"), "SKIP tmux is not installed")
class FollowInTmux(TmuxMixin, TuiTest):
    """A bounce appears in the Events pane while the operator only watches."""
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def test_follow_shows_a_new_bounce_without_a_key(self):
        env = self.env(extra=self.emu.env({}))
        tap = subprocess.run([BIN, "--cache", self.cache, "--region", "eu-west-1", "events", "tap",
                              "--topic", TOPIC, "--yes"], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(tap.returncode, 0, tap.stderr)
        self.start(cols=132, rows=43, extra_env=self.emu.env({}))
        self.wait_for("refreshed in")
        self.tmux("send-keys", "0")
        self.wait_for("[0 Events]", "not following")
        self.tmux("send-keys", "w")
        self.wait_for("FOLLOWING")
        send_bounce(self.emu)
        s = self.wait_for("bounce@simulator.amazonses.com")     # no key pressed since
        self.assertRegex(s, r"\n\d\d:\d\d:\d\d +bounce +Permanent")
        self.assertTrue(re.search(r"FOLLOWING, read \d\d:\d\d:\d\d", s), s)
        self.tmux("send-keys", "w")
        self.wait_for("not following")
