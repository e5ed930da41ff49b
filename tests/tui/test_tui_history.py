"""The team's memory in the console. From a fixed cache: the Log pane's Team section (the
account's CloudTrail history merged with the local audit trail, each row marked with its
source; the failed attempt marked; / filters by who or what; Enter shows a change in full),
the banner of a pause made in the AWS console by someone else, a paused set's "paused by"
and an identity's "last changed". Against the emulator: a colleague's pause made with
another machine's sesctl (an assumed role, session alice) on the banner of a fresh cache."""

import os
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import ACCOUNT, BIN, REGION, ROOT, TuiTest  # noqa: E402
import incident_data  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import ACCESS_KEY, SECRET_KEY, Sesemu  # noqa: E402


class Team(TuiTest):
    def setUp(self):
        super().setUp()
        self.make_cache()

    def test_team_section_80x24_and_132x43(self):
        incident_data.seed(self.cache, stats=False)
        r = self.run_script(":log", "key h", "dump team80", "resize 132 43", "dump team132",
                            cols=80, rows=24)
        self.assert_screen("log-team-80x24", r.screens["team80"])
        s = r.screens["team132"]
        self.assert_screen("log-team-132x43", s)
        self.assertIn("[Team 5]", s)
        rows = s.splitlines()[4:9]
        self.assertRegex(rows[0], r"^2026-11-21 22:00Z alice +sesctl +resume +PutAccountSendingAttributes"
                         r" +list import reverted +both")
        self.assertRegex(rows[1], r"^2026-11-21 12:00Z bob +sdk +change +\u2717 AccessDenied "
                         r"PutSuppressedDestination ")
        self.assertRegex(rows[2], r"^2026-11-21 09:15Z alice +sesctl +pause .* INC-4711 bounce spike +both")
        self.assertRegex(rows[3], r"^2026-11-20 07:00Z maria@example\.com +console +pause +"
                         r"PutConfigurationSetSendingOptions marketing .* cloudtrail")
        self.assertRegex(rows[4], r"^2026-11-19 11:00Z deploy-bot +aws-cli +delete +DeleteEmailIdentity "
                         r"old-brand\.example .* cloudtrail")

    def test_change_detail_and_filter(self):
        incident_data.seed(self.cache, stats=False)
        r = self.run_script(":log", "key h", "keys /maria", "key <Enter>", "dump filtered",
                            "key <Enter>", "dump change", cols=132, rows=43)
        f = r.screens["filtered"]
        self.assertIn("maria@example.com", f)
        self.assertNotIn("deploy-bot", f)
        c = r.screens["change"]
        self.assertIn("change  y copies a value  Esc back", c)
        self.assertRegex(c, r"\nwho +maria@example\.com \(role AWSReservedSSO_Admin_0a1b\) in the AWS console\n")
        self.assertRegex(c, r"\nsource +CloudTrail\n")
        self.assertRegex(c, r"\nuser agent +AWS Internal\n")
        self.assertRegex(c, r"\nsource IP +203\.0\.113\.7\n")

    def test_banner_of_a_console_pause_by_someone_else(self):
        incident_data.seed(self.cache, stats=False, log=False, paused=True)
        db = sqlite3.connect(self.cache)
        with db:
            db.execute("INSERT INTO history(account_id, region, event_id, time, name, source, principal,"
                       " who, who_arn, role, user_agent, tool, op, resource_kind, sending)"
                       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       (ACCOUNT, REGION, "ev-9", incident_data.INCIDENT_DAY + 23 * 3600,
                        "PutAccountSendingAttributes", "ses.amazonaws.com", "role",
                        "maria@example.com", "arn:aws:sts::123456789012:assumed-role/Admin/maria@example.com",
                        "Admin", "AWS Internal", "console", "pause", "account", 0))
        db.close()
        r = self.run_script("dump banner", ":account", "dump account", cols=132, rows=43)
        self.assert_screen("banner-console-pause-132x43", r.screens["banner"])
        self.assertIn("SENDING PAUSED 2026-11-21 23:00Z by maria@example.com \u2014 no reason given "
                      "(in the AWS console)", r.screens["banner"])
        self.assertRegex(r.screens["account"], r"SENDING PAUSED for 123456789012 since 2026-11-21 23:00Z "
                         r"by maria@example\.com: no reason given \(in the AWS console\)")

    def test_paused_set_says_who_and_the_last_change(self):
        incident_data.seed(self.cache, stats=False)
        r = self.run_script(":account", "key l", "keys /marketing", "key <Enter>", "key <Enter>",
                            "dump set", cols=132, rows=43)
        s = r.screens["set"]
        self.assertRegex(s, r"\npaused by +maria@example\.com \(role AWSReservedSSO_Admin_0a1b\) in the "
                         r"AWS console\n +2026-11-20 07:00Z: no reason given\n")
        self.assertRegex(s, r"\nlast changed +2026-11-20 07:00Z PutConfigurationSetSendingOptions\n"
                         r" +by maria@example\.com")


class Colleague(TuiTest):
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="empty").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def setUp(self):
        super().setUp()
        self.emu.reset("empty")
        self.emu.set_cloudtrail_delay(0)

    def test_a_fresh_console_shows_who_paused_from_another_machine(self):
        v2 = self.emu.client("sesv2")
        self.addCleanup(v2.put_account_sending_attributes, SendingEnabled=True)
        # alice, elsewhere: her own home and cache, an assumed role
        alice = os.path.join(self.home, "alice")
        os.makedirs(alice)
        with open(os.path.join(alice, "credentials"), "w") as f:
            f.write(f"[base]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n")
        with open(os.path.join(alice, "config"), "w") as f:
            f.write("[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/OpsRole\n"
                    "source_profile = base\nrole_session_name = alice\nregion = eu-west-1\n")
        env = self.emu.env({k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SESCTL_"))})
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        env.update(HOME=alice, XDG_STATE_HOME=alice, AWS_CONFIG_FILE=os.path.join(alice, "config"),
                   AWS_SHARED_CREDENTIALS_FILE=os.path.join(alice, "credentials"), AWS_PROFILE="ops")
        p = subprocess.run([BIN, "--cache", os.path.join(alice, "cache.sqlite3"), "sending", "pause",
                            "--reason", "INC-88 spam trap hits", "--yes"],
                           env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        # here: a first sync, then the console
        p = subprocess.run([BIN, "--cache", self.cache, "--region", REGION, "sync"],
                           env=self.env(extra=self.emu.env({})), capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        r = self.run_script("dump banner", cols=132, rows=43, env=self.emu.env({}))
        self.assertRegex(r.screens["banner"].splitlines()[1],
                         r"SENDING PAUSED \d{4}-\d\d-\d\d \d\d:\d\dZ by alice \u2014 INC-88 spam trap hits "
                         r"\(with sesctl\)")


if __name__ == "__main__":
    unittest.main()
