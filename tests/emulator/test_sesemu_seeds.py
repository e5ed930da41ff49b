"""sesemu seeds: the demo account has what an operator expects, seeds are deterministic
(same seed, same account, also across processes), bulk:N and empty."""

import collections
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase  # noqa: E402
from sesemu_fixture import Sesemu  # noqa: E402


def list_all(call, key, **kw):
    out, token = [], None
    while True:
        r = call(**kw, **({"NextToken": token} if token else {}))
        out += r[key]
        token = r.get("NextToken")
        if not token:
            return out


def snapshot(emu):
    """Everything the demo seed decides, read back through the SDK. Send statistics are
    keyed by bucket time; see same_account()."""
    v2, v1 = emu.client("sesv2"), emu.client("ses")
    ids = list_all(v2.list_email_identities, "EmailIdentities", PageSize=1000)
    details = {}
    for i in ids:
        g = v2.get_email_identity(EmailIdentity=i["IdentityName"])
        g.pop("ResponseMetadata")
        g.pop("VerificationInfo", None)
        g["DkimAttributes"].pop("LastKeyGenerationTimestamp", None)
        details[i["IdentityName"]] = g
    supp = list_all(v2.list_suppressed_destinations, "SuppressedDestinationSummaries")
    stats = {p["Timestamp"]: (p["DeliveryAttempts"], p["Bounces"], p["Complaints"], p["Rejects"])
             for p in v1.get_send_statistics()["SendDataPoints"]}
    rules = {s["Name"]: v1.describe_receipt_rule_set(RuleSetName=s["Name"])["Rules"]
             for s in v1.list_receipt_rule_sets()["RuleSets"]}
    account = v2.get_account()
    account.pop("ResponseMetadata")
    account["SendQuota"].pop("SentLast24Hours")
    # tenants and findings without their timestamps (relative to the seed's start)
    tenants = [(t["TenantName"], t["TenantId"], t["TenantArn"]) for t in list_all(v2.list_tenants, "Tenants")]
    entities = [(e["ReputationEntityReference"], e["ReputationManagementPolicy"], e["SendingStatusAggregate"],
                 e["CustomerManagedStatus"]["Status"], e["CustomerManagedStatus"].get("Cause"),
                 e["AwsSesManagedStatus"]["Status"], e["AwsSesManagedStatus"].get("Cause"), e.get("ReputationImpact"))
                for e in list_all(v2.list_reputation_entities, "ReputationEntities")]
    resources = {t[0]: list_all(v2.list_tenant_resources, "TenantResources", TenantName=t[0]) for t in tenants}
    recs = sorted((r["ResourceArn"], r["Type"], r["Description"], r["Status"], r["Impact"])
                  for r in list_all(v2.list_recommendations, "Recommendations"))
    return {"ids": ids, "details": details, "supp": sorted((s["EmailAddress"], s["Reason"]) for s in supp),
            "stats": stats, "rules": rules, "filters": v1.list_receipt_filters()["Filters"], "account": account,
            "config_sets": v2.list_configuration_sets()["ConfigurationSets"],
            "tenants": tenants, "entities": entities, "tenant_resources": resources, "recommendations": recs}


def same_account(test, a, b):
    """Equal snapshots, except that the two-week window of statistics may have moved on by
    a bucket between them: the buckets both hold must agree, and nearly all are shared."""
    a, b = dict(a), dict(b)
    sa, sb = a.pop("stats"), b.pop("stats")
    test.assertEqual(a, b)
    shared = set(sa) & set(sb)
    test.assertGreater(len(shared), 0.95 * max(len(sa), len(sb)))
    test.assertEqual({t: sa[t] for t in shared}, {t: sb[t] for t in shared})


class DemoSeed(EmuTestCase):
    SEED = "demo"

    def test_identities_in_every_state(self):
        ids = list_all(self.v2.list_email_identities, "EmailIdentities")
        self.assertTrue(35 <= len(ids) <= 45, len(ids))
        by_status = collections.Counter((i["IdentityType"], i["VerificationStatus"]) for i in ids)
        for key in (("DOMAIN", "SUCCESS"), ("DOMAIN", "PENDING"), ("DOMAIN", "FAILED"),
                    ("EMAIL_ADDRESS", "SUCCESS"), ("EMAIL_ADDRESS", "PENDING")):
            self.assertGreater(by_status[key], 0, key)
        names = [i["IdentityName"] for i in ids]
        self.assertTrue(any(n.startswith("xn--") for n in names), "an IDN (punycode) domain")
        details = {n: self.v2.get_email_identity(EmailIdentity=n) for n in names}
        origins = collections.Counter(d["DkimAttributes"]["SigningAttributesOrigin"] for d in details.values()
                                      if d["IdentityType"] == "DOMAIN")
        self.assertGreater(origins["EXTERNAL"], 0)
        self.assertGreater(origins["AWS_SES"], 10)
        easy = [d for d in details.values() if d["DkimAttributes"].get("SigningAttributesOrigin") == "AWS_SES"
                and d["IdentityType"] == "DOMAIN"]
        self.assertTrue(all(len(d["DkimAttributes"]["Tokens"]) == 3 for d in easy))
        mf = {d["MailFromAttributes"]["MailFromDomainStatus"] for d in details.values() if "MailFromAttributes" in d}
        self.assertEqual(mf, {"PENDING", "SUCCESS", "FAILED"})
        self.assertEqual(details["help.shop.example"]["VerificationStatus"], "SUCCESS")

    def test_account_config_sets_and_suppression(self):
        a = self.v2.get_account()
        self.assertEqual((a["ProductionAccessEnabled"], a["EnforcementStatus"], a["SendingEnabled"]),
                         (True, "HEALTHY", True))
        self.assertEqual((a["SendQuota"]["Max24HourSend"], a["SendQuota"]["MaxSendRate"]), (50000.0, 14.0))
        sets = self.v2.list_configuration_sets()["ConfigurationSets"]
        self.assertEqual(len(sets), 4)
        paused = [s for s in sets if not self.v2.get_configuration_set(ConfigurationSetName=s)
                  ["SendingOptions"]["SendingEnabled"]]
        self.assertEqual(paused, ["legacy-newsletter"])
        supp = list_all(self.v2.list_suppressed_destinations, "SuppressedDestinationSummaries", PageSize=50)
        self.assertEqual(len(supp), 200)
        reasons = collections.Counter(s["Reason"] for s in supp)
        self.assertGreater(reasons["COMPLAINT"], 10)
        self.assertGreater(reasons["BOUNCE"], 100)

    def test_same_seed_same_account(self):
        first = snapshot(self.emu)
        self.v2.delete_email_identity(EmailIdentity="shop.example")
        self.v2.put_suppressed_destination(EmailAddress="new@x.example", Reason="BOUNCE")
        self.assertNotEqual(snapshot(self.emu)["ids"], first["ids"])
        self.emu.reset("demo")
        same_account(self, snapshot(self.emu), first)
        with Sesemu(seed="demo") as other:
            same_account(self, snapshot(other), first)
        self.emu.reset("bulk:40")
        other = snapshot(self.emu)
        self.assertNotEqual(other["ids"], first["ids"])
        self.assertEqual((other["tenants"], other["recommendations"]), ([], []))
        self.assertEqual(len(first["tenants"]), 6)


class BulkAndEmpty(EmuTestCase):
    def test_bulk_10000(self):
        self.emu.reset("bulk:10000")
        ids = list_all(self.v2.list_email_identities, "EmailIdentities", PageSize=1000)
        self.assertEqual(len({i["IdentityName"] for i in ids}), 10000)
        statuses = collections.Counter(i["VerificationStatus"] for i in ids)
        self.assertEqual(set(statuses), {"SUCCESS", "PENDING", "FAILED", "TEMPORARY_FAILURE"})
        self.assertGreater(statuses["SUCCESS"], 7000)
        g = self.v2.get_email_identity(EmailIdentity="d000000.bulk.example")
        self.assertEqual(len(g["DkimAttributes"]["Tokens"]), 3)
        self.assertEqual(g["MailFromAttributes"]["MailFromDomain"], "bounce.d000000.bulk.example")
        self.assertEqual(g["ConfigurationSetName"], "bulk")

    def test_empty(self):
        self.assertEqual(self.v2.list_email_identities()["EmailIdentities"], [])
        a = self.v2.get_account()
        self.assertFalse(a["ProductionAccessEnabled"])
        self.assertEqual(self.v1.get_send_statistics()["SendDataPoints"], [])
        self.assertEqual(self.v1.list_receipt_filters()["Filters"], [])
        self.assertEqual(self.v2.list_tenants()["Tenants"], [])
        self.assertEqual(self.v2.list_recommendations()["Recommendations"], [])

    def test_unknown_seed_is_refused(self):
        with self.assertRaises(RuntimeError):
            self.emu.reset("nonsense")


if __name__ == "__main__":
    unittest.main()
