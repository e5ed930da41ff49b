"""The Account pane: sending status, P pause/resume through the verb (reason prompt, typed
account id, audit, the SENDING PAUSED banner), the suppression list, configuration sets and
the incident checklist — fixed-cache screens compared as text, and the whole incident
against the emulator's demo account (boto3 and a refused SendEmail check the effect)."""

import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import BIN, ROOT, TuiTest, dialog_text  # noqa: E402
import incident_data  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu  # noqa: E402

# who and why first; the tool (and CloudTrail's lag) after, where a narrow screen may cut it
BANNER = re.compile(r"^ SENDING PAUSED \d{4}-\d\d-\d\d \d\d:\d\dZ by \S+ \u2014 INC-4711 bounce spike"
                    r"( \(with sesctl.*)?$")


def body(screen, header_lines=7):
    """The section's rows (under the pane's four lines and the column header)."""
    return [l for l in screen.splitlines()[header_lines:-1] if l.strip()]


class FixedData(TuiTest):
    def setUp(self):
        super().setUp()
        self.make_cache()
        incident_data.seed(self.cache, stats=False)

    def test_sections_80x24(self):
        r = self.run_script(":account", "dump supp", "key f", "dump bounces", "key f", "dump complaints",
                            "key l", "dump sets", "key l", "dump check", "key j", "key j",
                            "key <Enter>", "dump prompt", "key <Esc>", "key j", "key <Enter>", "dump missing",
                            "key <Esc>", "key j", "key <Enter>", "key j", "key y", "dump restrict", "key <Esc>",
                            "dump check-again", "key h", "key h", "dump back",
                            cols=80, rows=24)
        s = r.screens["supp"]
        self.assert_screen("account-suppression-80x24", s)
        self.assertIn(" \u2713 sending enabled for account 123456789012 in eu-west-1", s)
        self.assertIn("[Suppression list 19]", s)
        # newest first: the incident's burst of hard bounces is on top
        self.assertTrue(body(s)[0].startswith("import-011@list.example "), s)
        self.assertNotIn("\x1b", s)
        self.assertIn("[Suppression list 17 BOUNCE]", r.screens["bounces"])
        self.assertEqual({l.split()[1] for l in body(r.screens["bounces"])}, {"BOUNCE"})
        self.assertIn("[Suppression list 2 COMPLAINT]", r.screens["complaints"])
        self.assertEqual(len(body(r.screens["complaints"])), 2)
        sets = r.screens["sets"]
        self.assert_screen("account-config-sets-80x24", sets)
        self.assertRegex(sets, r"\nmarketing +\u2717 PAUSED +on +OPTIONAL")
        self.assertRegex(sets, r"\ntransactional +\u2713 on +on +REQUIRE +ded-pool-1")
        check = r.screens["check"]
        self.assert_screen("account-checklist-80x24", check)
        for cmd in ("sesctl sending pause --reason TEXT", "sesctl suppression list --since 1d",
                    "aws iam ... (Enter shows it)", "sesctl sending resume --reason TEXT"):
            self.assertIn(cmd, check)
        # the marketing set is paused: the pause step is done, with a glyph
        self.assertRegex(check, r"\n +2\u2713 Pause sending")
        # Enter on step 3 puts its command in the : prompt
        self.assertEqual(r.screens["prompt"].splitlines()[-1], ":suppression list --since 1d")
        # step 4 has no verb yet: Enter shows the AWS CLI commands to run instead
        missing = r.screens["missing"]
        self.assertIn("step 4: not in sesctl yet", missing)
        self.assertIn("aws iam create-access-key --user-name SMTP_USER", missing)
        # step 5's policy names this account and region
        restrict = r.screens["restrict"]
        self.assertIn("aws iam put-user-policy --user-name SMTP_USER", restrict)
        self.assertRegex(restrict.splitlines()[-1], r"saved \d+ bytes to ")
        exports = os.path.join(self.home, ".local", "state", "sesctl", "exports")
        (copy,) = [n for n in os.listdir(exports) if "copy" in n]
        with open(os.path.join(exports, copy)) as f:  # y copies the whole command line
            self.assertIn('"Resource":"arn:aws:ses:eu-west-1:123456789012:identity/*"', f.read())
        # Esc goes back to the checklist, not to the suppression list
        self.assertIn("[Incident checklist]", r.screens["check-again"])
        self.assertIn("[Suppression list 2 COMPLAINT]", r.screens["back"])

    def test_enter_opens_suppressed_address_and_set_details(self):
        r = self.run_script(":account", "key <Enter>", "dump supp", "key G", "key y", "key <Esc>",
                            "dump back", "key l", "keys /marketing", "key <Enter>", "key <Enter>",
                            "dump set", "key <Esc>", "dump sets", cols=132, rows=43)
        supp = r.screens["supp"]
        self.assertRegex(supp, r"reason +BOUNCE|reason +COMPLAINT")
        self.assertIn("sesctl suppression remove import-011@list.example", supp)
        self.assertIn("[Suppression list 19]", r.screens["back"])
        s = r.screens["set"]
        self.assertRegex(s, r"sending +PAUSED")
        self.assertIn("sesctl sending resume --reason TEXT --config-set marketing", s)
        self.assertIn("[Configuration sets", r.screens["sets"])

    def test_hostile_set_name_is_sanitized_in_the_prompt(self):
        r = self.run_script(":account", "key l", "key G", "key P", "dump prompt", "key <Esc>",
                            cols=80, rows=24)
        s = r.screens["prompt"]
        self.assertNotIn("\x1b", s)
        self.assertEqual(s.splitlines()[-1], "Pause sending for configuration set zz-evil\\e[2J? Reason:")

    def test_paused_account_132x43(self):
        db_pause = [dict(time=incident_data.END - 3600, os_user="alice",
                         reason="INC-4711 bounce spike", action=1)]
        self.seed_cache([], account=dict(incident_data.ACCOUNT_STATE, sending_enabled=False),
                        pauses=db_pause)
        r = self.run_script(":account", "dump paused", cols=132, rows=43)
        s = r.screens["paused"]
        self.assert_screen("account-paused-132x43", s)
        self.assertRegex(s.splitlines()[1], r"^ SENDING PAUSED 2026-11-23 23:00Z by alice \u2014 "
                         r"INC-4711 bounce spike \(with sesctl, not in CloudTrail\)$")
        self.assertIn(" \u2717 SENDING PAUSED for 123456789012 since <time> by alice: INC-4711 bounce spike (with sesctl, not in "
                      "CloudTrail)",
                      re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\dZ", "<time>", s))
        self.assertIn(" P resume the account", s)


class DemoAccount(TuiTest):
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
        v2 = self.emu.client("sesv2")
        self.addCleanup(v2.put_account_sending_attributes, SendingEnabled=True)
        sync = subprocess.run([BIN, "--cache", self.cache, "--region", "eu-west-1", "sync"],
                              env=self.env(extra=self.emu.env({})), capture_output=True,
                              text=True, timeout=120)
        self.assertEqual(sync.returncode, 0, sync.stderr)

    def run_emu(self, *steps, **kw):
        return self.run_script(*steps, env=self.emu.env({}), **kw)

    def send(self):
        return self.emu.client("sesv2").send_email(
            FromEmailAddress="ops@shop.example",
            Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
            Content={"Simple": {"Subject": {"Data": "t"}, "Body": {"Text": {"Data": "t"}}}})

    def test_pause_then_resume_from_the_account_pane(self):
        from botocore.exceptions import ClientError
        v2 = self.emu.client("sesv2")
        self.send()  # sending works before
        r = self.run_emu(":account", "key P", "dump reason", "keys INC-4711 bounce spike", "key <Enter>",
                         "dump confirm", "keys 123456789012", "key <Enter>", "dump paused", ":log",
                         "resize 132 43", "dump log", "key y", "dump yanked", cols=80, rows=24)
        self.assertEqual(r.screens["reason"].splitlines()[-1],
                         "Pause sending for account 123456789012 in eu-west-1? Reason:")
        self.assertIn("Pause sending for account 123456789012 in eu-west-1? Type 123456789012 to "
                      "confirm:", dialog_text(r.screens["confirm"]))
        paused = r.screens["paused"].splitlines()
        self.assertRegex(paused[1], BANNER)
        self.assertIn(" \u2717 SENDING PAUSED for 123456789012 since ", paused[3])
        self.assertIn("ok: sesctl sending pause --reason 'INC-4711 bounce spike'", paused[-1])
        self.assertFalse(v2.get_account()["SendingEnabled"])
        with self.assertRaises(ClientError) as refused:
            self.send()
        self.assertEqual(refused.exception.response["Error"]["Code"], "SendingPausedException")
        # the Log pane: the audit entry with the exact command, and y copies it
        log = r.screens["log"]
        # the command redoes exactly this change: the console's region is part of it
        self.assertRegex(log, r"\n\d{4}-\d\d-\d\d \d\d:\d\dZ \S+ +\u2713 ok +sesctl sending pause "
                         r"--reason 'INC-4711 bounce spike' --region eu-west-1\n")
        # the row written before the call reads as pending, not as a failure
        self.assertRegex(log, r"\n\d{4}-\d\d-\d\d \d\d:\d\dZ \S+ +\u2026 started +sesctl sending "
                         r"pause --reason 'INC-4711 bounce spike' --region eu-west-1\n")
        self.assertRegex(r.screens["yanked"].splitlines()[-1], r"saved \d+ bytes to ")
        path = os.path.join(self.home, ".local", "state", "sesctl", "exports", "log-copy.txt")
        with open(path) as f:
            self.assertEqual(f.read(),
                             "sesctl sending pause --reason 'INC-4711 bounce spike' --region eu-west-1")

        r = self.run_emu(":account", "key P", "dump remind", "key y", "dump reason",
                         "keys all clear", "key <Enter>", "keys 123456789012", "key <Enter>",
                         "dump resumed", cols=132, rows=43)
        self.assertRegex(dialog_text(r.screens["remind"]),
                         r"Resume sending +Sending for account 123456789012 in eu-west-1 was paused "
                         r"\d{4}-\d\d-\d\d \d\d:\d\dZ by \S+ with sesctl[^:]*: INC-4711 bounce spike\. "
                         r"Resume it\?")
        self.assertEqual(r.screens["reason"].splitlines()[-1], "Reason for resuming:")
        resumed = r.screens["resumed"]
        self.assertNotIn("SENDING PAUSED", resumed)
        self.assertIn(" \u2713 sending enabled for account 123456789012 in eu-west-1", resumed)
        self.assertIn("ok: sesctl sending resume --reason 'all clear'", resumed.splitlines()[-1])
        self.assertTrue(v2.get_account()["SendingEnabled"])
        self.send()

    def test_pause_one_configuration_set(self):
        v2 = self.emu.client("sesv2")
        self.addCleanup(v2.put_configuration_set_sending_options,
                        ConfigurationSetName="transactional", SendingEnabled=True)
        r = self.run_emu(":account", "key l", "keys /transactional", "key <Enter>", "key P",
                         "dump reason", "keys CAMPAIGN-9 complaints", "key <Enter>",
                         "keys 123456789012", "key <Enter>", "dump paused", cols=80, rows=24)
        self.assertEqual(r.screens["reason"].splitlines()[-1],
                         "Pause sending for configuration set transactional? Reason:")
        paused = r.screens["paused"]
        self.assertRegex(paused, r"\ntransactional +\u2717 PAUSED ")
        self.assertNotIn("SENDING PAUSED", paused.splitlines()[1])  # the account still sends
        self.assertFalse(v2.get_configuration_set(ConfigurationSetName="transactional")
                         ["SendingOptions"]["SendingEnabled"])
        self.assertTrue(v2.get_account()["SendingEnabled"])

    def test_suppression_remove_and_add(self):
        from botocore.exceptions import ClientError
        v2 = self.emu.client("sesv2")
        gone = next(x["EmailAddress"] for x in
                    v2.list_suppressed_destinations(PageSize=100)["SuppressedDestinationSummaries"]
                    if x["EmailAddress"].startswith("import-"))
        self.addCleanup(v2.put_suppressed_destination, EmailAddress=gone, Reason="BOUNCE")
        self.addCleanup(v2.delete_suppressed_destination, EmailAddress="new-bounce@list.example")
        r = self.run_emu(":account", f"keys /{gone}", "key <Enter>", "key D", "dump dialog", "key y",
                         "dump removed", "key <Esc>", "key c", "keys new-bounce@list.example --reason bounce",
                         "dump add", "key <Enter>", "dump added", cols=100, rows=30)
        # the confirmation names the object and the effect (issue 20)
        self.assertIn(f"Remove {gone} from the suppression list (eu-west-1)? SES will send to "
                      "it again.", dialog_text(r.screens["dialog"]))
        self.assertIn(f"ok: sesctl suppression remove {gone}", r.screens["removed"].splitlines()[-1])
        with self.assertRaises(ClientError):
            v2.get_suppressed_destination(EmailAddress=gone)
        self.assertEqual(r.screens["add"].splitlines()[-1],
                         ":suppression add new-bounce@list.example --reason bounce")
        self.assertIn("ok: sesctl suppression add new-bounce@list.example --reason bounce",
                      r.screens["added"].splitlines()[-1])
        self.assertEqual(v2.get_suppressed_destination(EmailAddress="new-bounce@list.example")
                         ["SuppressedDestination"]["Reason"], "BOUNCE")
        self.assertRegex(r.screens["added"], r"\nnew-bounce@list\.example +BOUNCE ")

    def test_read_only_profile_refuses_pause(self):
        self.write_config("[global]\nread_only = true\n")
        r = self.run_emu(":account", "key P", "dump refused", ":log", "dump log", cols=80, rows=24)
        s = r.screens["refused"]
        self.assertIn("[RO]", s.splitlines()[0])
        self.assertIn("sesctl sending pause: refused: read-only profile 'default'", s.splitlines()[-1])
        self.assertNotIn("Reason:", s)
        self.assertTrue(self.emu.client("sesv2").get_account()["SendingEnabled"])
        # the refusal is audited too
        self.assertRegex(r.screens["log"], r"! refused +sesctl sending pause --region eu-west-1\n")


if __name__ == "__main__":
    unittest.main()
