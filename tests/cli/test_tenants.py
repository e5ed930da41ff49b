"""Tenants headless: the demo's six customers read with every state worded from the two
status records; each change run against the emulator and read back with boto3; a paused
tenant's send refused by SES and accepted again after the resume; an AWS pause refused for
resume and reinstate before any request; invalid input refused with a sentence; tenants in
snapshot/diff and their pauses in the audit trail with the exact command."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import CliTest  # noqa: E402

REGION = "eu-west-1"


class DemoTenants(CliTest):
    """The demo's tenants, read only."""
    SEED = "demo"

    def rows(self, *args):
        r = self.sesctl("tenants", "--json", *args)
        self.assertEqual(r.code, 0, repr(r))
        return {x["name"]: x for x in r.json()}

    def test_every_state_in_words(self):
        rows = self.rows()
        self.assertEqual(len(rows), 6, sorted(rows))
        self.assertEqual(rows["umbrella"]["state"], "paused by AWS")
        self.assertTrue(rows["umbrella"]["cause"])                 # AWS's cause, shown
        self.assertEqual(rows["umbrella"]["impact"], "HIGH")
        self.assertGreaterEqual(rows["umbrella"]["findings"], 1)
        self.assertTrue(rows["umbrella"]["high_finding"])
        self.assertEqual(rows["hooli"]["state"], "paused")
        self.assertIn("INC-4711", rows["hooli"]["cause"])
        self.assertEqual(rows["wayne"]["state"], "reinstated")
        for name in ("acme", "globex", "initech"):
            self.assertEqual(rows[name]["state"], "sending", rows[name])
            self.assertIsNone(rows[name]["cause"])
        self.assertEqual(rows["acme"]["policy"], "standard")
        self.assertGreaterEqual(rows["acme"]["identities"] + rows["acme"]["config_sets"], 1)

    def test_filters(self):
        self.assertEqual(sorted(self.rows("--status", "disabled")), ["hooli", "umbrella"])
        self.assertEqual(sorted(self.rows("--status", "reinstated")), ["wayne"])
        self.assertIn("umbrella", self.rows("--impact", "high"))
        self.assertNotIn("acme", self.rows("--impact", "high"))
        r = self.sesctl("tenants", "--status", "paused")
        self.assertExit(r, "USAGE")
        self.assertIn("--status must be enabled, disabled or reinstated", r.err)

    def test_text_and_csv(self):
        r = self.sesctl("tenants")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.out.splitlines()[0].split()[:3], ["NAME", "STATE", "CAUSE"])
        r = self.sesctl("tenants", "--csv")
        self.assertEqual(r.code, 0, repr(r))
        self.assertTrue(r.out.startswith("name,state,cause,impact,policy,identities,config_sets,"
                                         "templates,findings\n"), r.out[:200])

    def test_show_has_both_records_resources_and_findings(self):
        r = self.sesctl("tenant", "show", "umbrella", "--json")
        self.assertEqual(r.code, 0, repr(r))
        t = r.json()
        self.assertEqual(t["aws_managed"]["status"], "DISABLED")
        self.assertTrue(t["aws_managed"]["cause"])
        self.assertIsNotNone(t["aws_managed"]["updated"])
        self.assertEqual(t["customer_managed"]["status"], "ENABLED")
        self.assertTrue(any(f["type"] == "BOUNCE" and f["impact"] == "HIGH" and f["status"] == "OPEN"
                            for f in t["findings_list"]), t["findings_list"])
        self.assertTrue(t["arn"].startswith(f"arn:aws:ses:{REGION}:123456789012:tenant/umbrella"))
        self.assertIn({"record": "aws", "status": "DISABLED"},
                      [{k: c[k] for k in ("record", "status")} for c in t["status_changes"]])
        r = self.sesctl("tenant", "show", "umbrella")
        self.assertEqual(r.code, 0, repr(r))
        self.assertRegex(r.out, r"state +paused by AWS")
        self.assertRegex(r.out, r"AWS +DISABLED")
        r = self.sesctl("tenant", "show", "nobody")
        self.assertExit(r, "NOT_FOUND")
        self.assertIn("no tenant named nobody", r.err)

    def test_identity_and_set_name_their_tenants(self):
        r = self.sesctl("sync")
        self.assertEqual(r.code, 0, repr(r))
        r = self.sesctl("identity", "show", "shop.example", "--json", "--offline")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["tenants"], ["acme"])
        r = self.sesctl("config-set", "show", "transactional", "--json", "--offline")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["tenants"], ["acme", "hooli"])
        r = self.sesctl("identity", "show", "careers.example", "--json", "--offline")
        self.assertNotIn("tenants", r.json())

    def test_recommendations(self):
        r = self.sesctl("recommendations", "--tenant", "umbrella", "--json")
        self.assertEqual(r.code, 0, repr(r))
        recs = r.json()
        self.assertTrue(recs)
        self.assertTrue(all(x["resource"] == "umbrella" and x["resource_type"] == "tenant" for x in recs))
        r = self.sesctl("recommendations", "--status", "open", "--json")
        self.assertEqual(r.code, 0, repr(r))
        allrecs = r.json()
        self.assertTrue(all(x["status"] == "OPEN" for x in allrecs))
        self.assertEqual(allrecs[0]["impact"], "HIGH")               # high impact first
        self.assertTrue(any(x["resource_type"] == "identity" for x in allrecs), allrecs)
        r = self.sesctl("recommendations", "--type", "SMTP")
        self.assertExit(r, "USAGE")


class Changes(CliTest):
    """Every change, read back with boto3."""
    SEED = "demo"

    def setUp(self):
        super().setUp()
        self.emu.reset("demo")
        self.sesv2 = self.emu.client("sesv2")

    def entity(self, name):
        arn = self.sesv2.get_tenant(TenantName=name)["Tenant"]["TenantArn"]
        return self.sesv2.get_reputation_entity(ReputationEntityType="RESOURCE",
                                                ReputationEntityReference=arn)["ReputationEntity"]

    def resources(self, name):
        out = self.sesv2.list_tenant_resources(TenantName=name)["TenantResources"]
        return sorted((x["ResourceType"], x["ResourceArn"].rsplit("/", 1)[-1]) for x in out)

    def send(self, tenant, source, config_set=None):
        kw = dict(FromEmailAddress=source, Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                  Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
                  TenantName=tenant)
        if config_set:
            kw["ConfigurationSetName"] = config_set
        return self.sesv2.send_email(**kw)

    def test_create_attach_pause_send_resume_delete(self):
        self.sesv2.create_configuration_set(ConfigurationSetName="newco-tx")
        r = self.sesctl("tenant", "create", "newco", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["state"], "sending")
        for res in ("careers.example", "config-set:newco-tx"):
            r = self.sesctl("tenant", "attach", "newco", res, "--json")
            self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(self.resources("newco"), [("CONFIGURATION_SET", "newco-tx"),
                                                   ("EMAIL_IDENTITY", "careers.example")])
        self.send("newco", "hello@careers.example", "newco-tx")  # associated: SES sends
        # a typed confirmation: no terminal, no --yes → refused, nothing changed
        r = self.sesctl("tenant", "pause", "newco", "--reason", "INC-31 list import")
        self.assertExit(r, "REFUSED")
        self.assertEqual(self.entity("newco")["CustomerManagedStatus"]["Status"], "ENABLED")
        r = self.sesctl("tenant", "pause", "newco", "--reason", "INC-31 list import", "--yes", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["state"], "paused")
        self.assertEqual(self.entity("newco")["CustomerManagedStatus"]["Status"], "DISABLED")
        with self.assertRaises(Exception) as cm:
            self.send("newco", "hello@careers.example", "newco-tx")
        self.assertIn("SendingPaused", str(cm.exception))
        # the pane's data: who paused it, from the local audit trail
        r = self.sesctl("tenant", "show", "newco", "--json", "--offline")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["paused_by"]["reason"], "INC-31 list import")
        r = self.sesctl("tenant", "resume", "newco", "--reason", "INC-31 fixed", "--yes", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(self.entity("newco")["CustomerManagedStatus"]["Status"], "ENABLED")
        self.send("newco", "hello@careers.example", "newco-tx")
        r = self.sesctl("tenant", "reinstate", "newco", "--reason", "override", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(self.entity("newco")["CustomerManagedStatus"]["Status"], "REINSTATED")
        r = self.sesctl("tenant", "policy", "newco", "strict", "--yes", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["policy"], "strict")
        self.assertTrue(self.entity("newco")["ReputationManagementPolicy"].endswith("reputation-policy/strict"))
        r = self.sesctl("tenant", "detach", "newco", "config-set:newco-tx", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(self.resources("newco"), [("EMAIL_IDENTITY", "careers.example")])
        r = self.sesctl("tenant", "delete", "newco", "--yes", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["deleted"], "newco")
        names = [t["TenantName"] for t in self.sesv2.list_tenants()["Tenants"]]
        self.assertNotIn("newco", names)
        # the identity stays
        self.sesv2.get_email_identity(EmailIdentity="careers.example")
        # the audit trail holds each change with its exact command
        r = self.sesctl("audit", "--json")
        cmds = [a["command"] for a in r.json()]
        self.assertTrue(any("tenant pause newco --reason 'INC-31 list import'" in c
                            or 'tenant pause newco --reason "INC-31 list import"' in c for c in cmds), cmds)

    def test_aws_pause_cannot_be_lifted_from_here(self):
        r = self.sesctl("tenant", "resume", "umbrella", "--reason", "try", "--yes")
        self.assertExit(r, "REFUSED")
        self.assertIn("paused by AWS", r.err)
        self.assertIn("recommendations --tenant umbrella", r.err)
        r = self.sesctl("tenant", "reinstate", "umbrella", "--reason", "try", "--yes")
        self.assertExit(r, "REFUSED")
        ops = [q["op"] for q in self.emu.requests()]
        self.assertNotIn("UpdateReputationEntityCustomerManagedStatus", ops)
        self.assertEqual(self.entity("umbrella")["CustomerManagedStatus"]["Status"], "ENABLED")
        # a pause of our own is allowed, with a warning
        r = self.sesctl("tenant", "pause", "umbrella", "--reason", "hold", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("already paused by AWS", r.err)

    def test_attach_what_does_not_exist(self):
        r = self.sesctl("tenant", "attach", "acme", "template:no-such-template")
        self.assertExit(r, "NOT_FOUND")
        self.assertIn("attach: ", r.err)
        self.assertIn("is no-such-template a template of this account in eu-west-1", r.err)
        r = self.sesctl("tenant", "attach", "nobody", "shop.example")
        self.assertExit(r, "NOT_FOUND")

    def test_read_only_refuses_every_change(self):
        for args in (("tenant", "create", "x1"), ("tenant", "pause", "acme", "--reason", "r", "--yes"),
                     ("tenant", "policy", "acme", "none", "--yes")):
            r = self.sesctl("--read-only", *args)
            self.assertExit(r, "REFUSED")
        self.assertEqual(self.entity("acme")["CustomerManagedStatus"]["Status"], "ENABLED")

    def test_snapshot_and_diff_see_a_tenant_pause(self):
        snap = os.path.join(self.home, "before.json")
        r = self.sesctl("snapshot", "--region", REGION)
        self.assertEqual(r.code, 0, repr(r))
        with open(snap, "w") as f:
            f.write(r.out)
        region = json.loads(r.out)["regions"][0]
        self.assertIn("acme", [t["name"] for t in region["tenants"]])
        r = self.sesctl("tenant", "pause", "acme", "--reason", "diff", "--yes")
        self.assertEqual(r.code, 0, repr(r))
        r = self.sesctl("diff", snap, "--region", REGION)
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("tenants", r.out)
        self.assertIn("acme", r.out)
        self.assertIn("paused", r.out)


class InvalidInput(CliTest):
    """Refused with a sentence, and no request reaches SES."""
    SEED = "demo"

    def refused(self, *args, says):
        self.emu.requests(clear=True)
        r = self.sesctl(*args)
        self.assertExit(r, "USAGE")
        self.assertIn(says, r.err)
        self.assertEqual([q for q in self.emu.requests() if q["family"] == "v2"
                          and "Tenant" in (q["op"] or "")], [])

    def test_refusals(self):
        self.refused("tenant", "create", "bad name!", says="1 to 64 letters")
        self.refused("tenant", "create", "x" * 65, says="1 to 64 letters")
        self.refused("tenant", "pause", "acme", "--yes", says="--reason is required")
        self.refused("tenant", "policy", "acme", "lenient", "--yes", says="none, standard or strict")
        self.refused("tenant", "attach", "acme", "arn:aws:sns:eu-west-1:123456789012:t",
                     says="only those can belong to a tenant")


if __name__ == "__main__":
    unittest.main()
