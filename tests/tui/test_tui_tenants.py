"""The Tenants pane against the emulator's demo account: the six customers worst first with
the AWS pause standing out, the tenant detail with both status records, screen dumps at
80x24 and 132x43; and in a real terminal under tmux a tenant paused with a reason and its
typed name, marked, a send for it refused by SES (boto3), then resumed."""

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


def steady(screen):
    """The data's age ticks by the second: not part of what a screen dump compares."""
    return re.sub(r"data \d+ (s|min) old", "data 0 s old", screen)


class DemoTenants(TuiTest):
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

    def run_offline(self, *lines, cols, rows):
        return self.run_script(*lines, cols=cols, rows=rows, args=("--offline",))

    def test_list_and_detail_80x24(self):
        r = self.run_offline(":tenants", "dump list", "keys /umbrella", "key <Enter>", "key <Enter>",
                             "dump detail", cols=80, rows=24)
        s = steady(r.screens["list"])
        self.assert_screen("tenants-80x24", s)
        lines = s.splitlines()
        # the account sends: the paused customers get the banner line, AWS's first
        self.assertTrue(lines[1].startswith(" 2 TENANTS PAUSED \u2014 umbrella (by AWS), hooli   :tenants"), lines[1])
        self.assertIn("[Ten]", lines[2])                          # the 11th pane: no digit
        body = [l for l in lines if re.match(r"(acme|globex|initech|umbrella|hooli|wayne) ", l)]
        self.assertEqual([l.split()[0] for l in body][:3], ["umbrella", "hooli", "wayne"])  # worst first
        self.assertRegex(s, r"\numbrella +\u2717 PAUSED by AWS ")
        self.assertRegex(s, r"\nhooli +\u2717 PAUSED ")
        self.assertIn(" 2 of 6 tenants paused (1 by AWS)", s)
        d = steady(r.screens["detail"])
        self.assert_screen("tenant-detail-80x24", d)
        self.assertIn("Tenant umbrella", d)
        self.assertRegex(d, r"\ncustomer-managed +ENABLED")
        self.assertRegex(d, r"\nAWS-managed +DISABLED: ")
        self.assertIn("only fixing the findings", d)
        self.assertRegex(d, r"\nfindings +OPEN HIGH BOUNCE")

    def test_list_and_detail_132x43(self):
        r = self.run_offline(":tenants", "dump list", "keys /hooli", "key <Enter>", "key <Enter>",
                             "dump detail", cols=132, rows=43)
        self.assert_screen("tenants-132x43", steady(r.screens["list"]))
        d = steady(r.screens["detail"])
        self.assert_screen("tenant-detail-132x43", d)
        self.assertRegex(d, r"\ncustomer-managed +DISABLED: .*INC-4711")
        self.assertRegex(d, r"\nAWS-managed +ENABLED")
        self.assertRegex(d, r"\nstatus changes +\d{4}-\d\d-\d\d \d\d:\d\dZ customer DISABLED")



    def test_dns_pane_shows_findings_beside_their_records(self):
        r = self.run_offline("keys /accounts.example", "key <Enter>", ":dns", "dump dns",
                             "keys /DMARC", "key <Enter>", "key <Enter>", "dump dmarc", cols=132, rows=43)
        s = r.screens["dns"]
        self.assertIn(" VDM: open DMARC (HIGH) finding \u2014 Enter on the record it concerns", s)
        d = r.screens["dmarc"]
        self.assertRegex(d, r"\nVDM finding +HIGH DMARC: ")
        # a domain without findings has no such line
        r = self.run_offline("keys /careers.example", "key <Enter>", ":dns", "dump dns", cols=132, rows=43)
        self.assertNotIn("VDM:", r.screens["dns"])


class NoTenants(TuiTest):
    def test_no_tenants_says_what_they_are_for(self):
        r = self.run_script(":tenants", "dump empty", cols=100, rows=30)
        s = r.screens["empty"]
        self.assertIn(" A tenant groups one customer's identities, sets and templates, so one "
                      "customer can be paused alone", s)
        self.assertIn("no tenants cached", s)
        self.assertIn("[Ten", s.splitlines()[1])   # no digit: the 11th pane


@unittest.skipUnless(shutil.which("tmux"), "SKIP tmux is not installed")
class DemoTenantsInTmux(TmuxMixin, TuiTest):
    """Pause a customer in a real terminal, see the mark, see SES refuse its send, resume it."""
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo").start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def send(self, v2):
        return v2.send_email(FromEmailAddress=self.sender,
                             Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                             Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
                             TenantName="acme")

    def customer_status(self, v2):
        arn = v2.get_tenant(TenantName="acme")["Tenant"]["TenantArn"]
        return v2.get_reputation_entity(ReputationEntityType="RESOURCE", ReputationEntityReference=arn)[
            "ReputationEntity"]["CustomerManagedStatus"]["Status"]

    def test_pause_a_tenant_then_resume_it(self):
        v2 = self.emu.client("sesv2")
        ids = [r["ResourceArn"].rsplit("/", 1)[-1] for r in
               v2.list_tenant_resources(TenantName="acme")["TenantResources"]
               if r["ResourceType"] == "EMAIL_IDENTITY"]
        self.assertTrue(ids, "the demo's acme tenant has an identity")
        self.sender = ids[0] if "@" in ids[0] else f"news@{ids[0]}"
        self.send(v2)  # it sends before the pause
        self.start(cols=132, rows=43, extra_env=self.emu.env({}))
        self.wait_for("refreshed in")
        self.tmux("send-keys", ":tenants", "Enter")
        self.wait_for("[Tenants]", "umbrella")
        self.tmux("send-keys", "/")
        self.tmux("send-keys", "-l", "acme")
        self.tmux("send-keys", "Enter")
        self.wait_for("filter /acme")
        self.tmux("send-keys", "P")
        self.wait_for("Pause sending for tenant acme? Reason:")
        self.tmux("send-keys", "-l", "INC-90 acme list import")
        self.tmux("send-keys", "Enter")
        s = self.wait_for("Type acme to confirm")
        self.assertIn("other tenants go on", dialog_text(s))
        self.tmux("send-keys", "-l", "acme")
        self.tmux("send-keys", "Enter")
        s = self.wait_for("ok: sesctl tenant pause acme")
        s = self.wait_for(" 3 TENANTS PAUSED ", "\nacme ")
        self.assertIn("umbrella (by AWS), acme, hooli   :tenants", s)
        # SES keeps no cause for a customer pause: the reason comes from the audit trail
        self.assertRegex(s, r"\nacme +\u2717 PAUSED +.*INC-90 acme list import")
        self.assertEqual(self.customer_status(v2), "DISABLED")
        with self.assertRaises(Exception) as cm:
            self.send(v2)
        self.assertIn("SendingPaused", str(cm.exception))
        self.tmux("send-keys", "P")
        s = self.wait_for("Resume it?")
        self.assertIn("INC-90 acme list import", dialog_text(s))
        self.tmux("send-keys", "y")
        self.wait_for("Resume tenant acme? Reason:")
        self.tmux("send-keys", "-l", "INC-90 fixed")
        self.tmux("send-keys", "Enter")
        self.wait_for("Type acme to confirm")
        self.tmux("send-keys", "-l", "acme")
        self.tmux("send-keys", "Enter")
        s = self.wait_for("ok: sesctl tenant resume acme")
        self.wait_for(" 2 TENANTS PAUSED ")
        self.assertEqual(self.customer_status(v2), "ENABLED")
        self.send(v2)
        self.tmux("send-keys", "q")
        self.assertEqual(self.wait_dead(), "0")


if __name__ == "__main__":
    unittest.main()
