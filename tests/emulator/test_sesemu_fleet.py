"""Several accounts at once and the fleet:AxR seed (issue 21): keys and assume-role pick the
account, each account has its own SES per region, the seed's health per cell, the AWS
config files and their expired profile."""

import datetime
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase  # noqa: E402
from sesemu_fixture import Sesemu  # noqa: E402

SEED = "fleet:30x3"
MAIN = "123456789012"


def acct_id(i):
    return str(200000000001 + i)


class FleetTest(EmuTestCase):
    SEED = SEED

    @classmethod
    def setUpClass(cls):
        t0 = time.monotonic()
        cls.emu = Sesemu(seed=cls.SEED).start()
        print(f"\nsesemu --seed {cls.SEED}: listening after {time.monotonic() - t0:.2f} s")

    def v2_of(self, account, region="eu-west-1"):
        return self.shapes.attach(self.emu.client("sesv2", account=account, region=region))

    def identities(self, client):
        return [i["IdentityName"] for i in client.list_email_identities(PageSize=1000)["EmailIdentities"]]

    # ---- accounts ---------------------------------------------------------------------------
    def test_accounts_have_their_own_keys_and_aliases(self):
        accounts = self.emu.accounts()
        self.assertEqual(len(accounts), 31)
        self.assertEqual((accounts[0]["id"], accounts[0]["main"], accounts[0]["access_key"]),
                         (MAIN, True, "AKIDEXAMPLE"))
        self.assertEqual([a["alias"] for a in accounts[1:6]], ["prod-eu", "prod-us", "staging", "dev", "cust-acme"])
        self.assertEqual(accounts[1]["id"], acct_id(0))
        self.assertEqual(accounts[1]["access_key"], f"AKIA{acct_id(0)}SEMU")
        self.assertEqual(len({a["access_key"] for a in accounts}), 31)
        self.assertEqual(self.emu.admin("GET", "health")["regions"], ["eu-west-1", "us-east-1", "us-west-2"])

    def test_each_account_sees_only_its_own_identities(self):
        self.assertEqual(self.identities(self.v2), [])      # the main account is the operator's, empty
        for alias in ("prod-eu", "prod-us", "cust-acme"):
            for region in ("eu-west-1", "us-west-2"):
                names = self.identities(self.v2_of(alias, region))
                self.assertEqual(len(names), 6, (alias, region))
                self.assertTrue(all(n.endswith(f"{alias}.example") for n in names), names)
                self.assertIn(f"{region}.{alias}.example", names)
        created = self.v2_of("prod-eu")
        created.create_email_identity(EmailIdentity="only-in-prod-eu.example")
        self.assertIn("only-in-prod-eu.example", self.identities(created))
        self.assertNotIn("only-in-prod-eu.example", self.identities(self.v2_of("prod-us")))
        self.assertNotIn("only-in-prod-eu.example", self.identities(self.v2_of("prod-eu", "us-east-1")))
        self.assertNotIn("only-in-prod-eu.example", self.identities(self.v2))

    def test_get_caller_identity_per_account(self):
        for alias, account in (("prod-eu", acct_id(0)), ("cust-wonka", acct_id(11)), ("cust-029", acct_id(29))):
            who = self.emu.client("sts", account=alias).get_caller_identity()
            self.assertEqual(who["Account"], account)
            self.assertTrue(who["Arn"].startswith(f"arn:aws:sts::{account}:"), who["Arn"])
        self.assertEqual(self.emu.client("sts").get_caller_identity()["Account"], MAIN)

    def test_unknown_key_refused(self):
        bad = self.emu.session("AKIA999999999999SEMU", "nope")
        self.assertAwsError("UnrecognizedClientException", self.emu.client("sesv2", session=bad).get_account)
        self.assertAwsError("InvalidClientTokenId", self.emu.client("sts", session=bad).get_caller_identity)

    def test_assume_role_acts_in_the_role_account(self):
        self.emu.set_cloudtrail_delay(0)
        staging = acct_id(2)
        creds = self.emu.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{staging}:role/OrganizationAccountAccessRole",
            RoleSessionName="oncall")["Credentials"]
        session = self.emu.session(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"],
                                   region="us-west-2")
        who = self.emu.client("sts", session=session).get_caller_identity()
        self.assertEqual(who["Account"], staging)
        self.assertEqual(who["Arn"], f"arn:aws:sts::{staging}:assumed-role/OrganizationAccountAccessRole/oncall")
        v2 = self.shapes.attach(self.emu.client("sesv2", session=session))
        self.assertEqual(v2.get_account()["EnforcementStatus"], "PROBATION")    # staging's us-west-2 cell
        v2.create_email_identity(EmailIdentity="assumed.example")
        self.assertIn("assumed.example", self.identities(self.v2_of("staging", "us-west-2")))
        self.assertNotIn("assumed.example", self.identities(self.emu.client("sesv2", region="us-west-2")))
        events = self.emu.client("cloudtrail", account="staging", region="us-west-2").lookup_events(
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateEmailIdentity"}])["Events"]
        self.assertEqual([e["Username"] for e in events], ["oncall"])
        self.assertEqual(self.emu.client("cloudtrail", region="us-west-2").lookup_events(
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateEmailIdentity"}])["Events"], [])

    # ---- the seed's health, cell by cell ----------------------------------------------------
    def cell(self, alias, region):
        acct = self.v2_of(alias, region).get_account()
        stats = self.emu.client("ses", account=alias, region=region).get_send_statistics()["SendDataPoints"]
        sent = sum(p["DeliveryAttempts"] for p in stats)
        rate = sum(p["Bounces"] for p in stats) / sent if sent else 0.0
        return acct, rate

    def test_varied_health(self):
        acct, rate = self.cell("prod-us", "eu-west-1")
        self.assertEqual((acct["EnforcementStatus"], acct["SendingEnabled"]), ("SHUTDOWN", False))
        self.assertGreater(rate, 0.10)
        acct, rate = self.cell("staging", "us-west-2")
        self.assertEqual((acct["EnforcementStatus"], acct["SendingEnabled"]), ("PROBATION", True))
        self.assertGreater(rate, 0.05)
        acct, rate = self.cell("dev", "eu-west-1")
        self.assertEqual((acct["EnforcementStatus"], acct["SendingEnabled"], acct["ProductionAccessEnabled"]),
                         ("HEALTHY", False, False))
        acct, rate = self.cell("cust-acme", "us-east-1")
        self.assertEqual((acct["EnforcementStatus"], acct["SendingEnabled"]), ("HEALTHY", True))
        self.assertGreater(rate, 0.05)
        sets = self.v2_of("cust-acme", "us-east-1")
        self.assertFalse(sets.get_configuration_set(ConfigurationSetName="marketing")["SendingOptions"]["SendingEnabled"])
        for alias, region in (("prod-eu", "eu-west-1"), ("prod-eu", "us-west-2"), ("cust-wayne", "us-east-1")):
            acct, rate = self.cell(alias, region)
            self.assertEqual((acct["EnforcementStatus"], acct["SendingEnabled"]), ("HEALTHY", True), alias)
            self.assertLess(rate, 0.02)
            self.assertTrue(acct["ProductionAccessEnabled"])

    def test_operator_pause_in_the_audit_trail(self):
        events = self.emu.client("cloudtrail", account="dev").lookup_events(
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "PutAccountSendingAttributes"}])["Events"]
        self.assertEqual([e["Username"] for e in events], ["oncall@example.com"])
        event = json.loads(events[0]["CloudTrailEvent"])
        self.assertEqual(event["requestParameters"], {"sendingEnabled": False})
        self.assertEqual(event["recipientAccountId"], acct_id(3))
        self.assertEqual(event["userIdentity"]["arn"],
                         f"arn:aws:sts::{acct_id(3)}:assumed-role/OnCallOperator/oncall@example.com")
        self.assertEqual(self.emu.client("cloudtrail", account="dev", region="us-east-1").lookup_events()["Events"], [])

    def test_reputation_metrics_per_cell(self):
        now = datetime.datetime.now(datetime.timezone.utc)

        def bounce_rate(alias, region):
            cw = self.emu.client("cloudwatch", account=alias, region=region)
            points = cw.get_metric_statistics(Namespace="AWS/SES", MetricName="Reputation.BounceRate",
                                              StartTime=now - datetime.timedelta(hours=3), EndTime=now,
                                              Period=3600, Statistics=["Maximum"])["Datapoints"]
            return max(p["Maximum"] for p in points)
        self.assertGreater(bounce_rate("cust-acme", "us-east-1"), 0.05)
        self.assertLess(bounce_rate("prod-eu", "eu-west-1"), 0.02)

    # ---- AWS config files -------------------------------------------------------------------
    def test_profiles_from_the_generated_files(self):
        files = self.emu.fleet_aws_config()
        kinds = {p["profile"]: p["kind"] for p in files["profiles"]}
        self.assertEqual((kinds["fleet-admin"], kinds["prod-eu"], kinds["staging"], kinds["cust-globex"]),
                         ("keys", "keys", "role", "expired"))
        self.assertIn("[profile staging]\nregion = us-west-2\nendpoint_url = ", files["config"])
        self.assertIn("source_profile = fleet-admin", files["config"])
        self.assertNotIn("endpoint_url", self.emu.fleet_aws_config(endpoint=False)["config"])
        self.assertEqual(self.emu.client("sts", profile="prod-eu").get_caller_identity()["Account"], acct_id(0))
        who = self.emu.client("sts", profile="staging").get_caller_identity()
        self.assertEqual(who["Arn"], f"arn:aws:sts::{acct_id(2)}:assumed-role/OrganizationAccountAccessRole/sesctl-fleet")
        self.assertEqual(self.emu.client("sesv2", profile="staging").get_account()["EnforcementStatus"], "PROBATION")
        self.assertEqual(self.emu.client("sts", profile="fleet-admin").get_caller_identity()["Account"], MAIN)

    def test_expired_profile_refused(self):
        self.assertAwsError("ExpiredTokenException", self.emu.client("sesv2", profile="cust-globex").get_account,
                            status=403)
        self.assertAwsError("ExpiredToken", self.emu.client("sts", profile="cust-globex").get_caller_identity)
        self.assertAwsError("ExpiredToken", self.emu.client("ses", profile="cust-globex").get_send_quota)
        # the account itself is fine with keys that work
        self.assertEqual(self.v2_of("cust-globex").get_account()["EnforcementStatus"], "HEALTHY")

    # ---- rate limits, admin -----------------------------------------------------------------
    def test_rate_limits_are_per_account(self):
        self.emu.set_faults(real_rate_limits=True)
        self.emu.client("ses", account="prod-eu").get_send_statistics()
        self.emu.client("ses", account="prod-us").get_send_statistics()       # its own 1/s
        self.assertAwsError("Throttling", self.emu.client("ses", account="prod-eu").get_send_statistics)

    def test_admin_creates_seeds_and_sets_an_account(self):
        made = self.emu.create_account("300000000001", alias="cust-new")
        self.assertEqual(made["access_key"], "AKIA300000000001SEMU")
        self.assertRaises(RuntimeError, self.emu.create_account, "300000000002", alias="cust-new")
        self.emu.seed_account("demo", account="cust-new", region="us-east-1")
        v2 = self.v2_of("cust-new", "us-east-1")
        self.assertIn("shop.example", self.identities(v2))
        self.assertEqual(self.identities(self.v2_of("cust-new")), [])
        self.emu.set_account(account="300000000001", region="us-east-1", enforcement_status="PROBATION",
                             sending_enabled=False, production_access=False, max_24h=500, max_rate=2)
        acct = v2.get_account()
        self.assertEqual((acct["EnforcementStatus"], acct["SendingEnabled"], acct["ProductionAccessEnabled"],
                          acct["SendQuota"]["Max24HourSend"], acct["SendQuota"]["MaxSendRate"]),
                         ("PROBATION", False, False, 500, 2))
        self.assertEqual(self.emu.state(account="cust-new", region="us-east-1")["identities"], len(self.identities(v2)))
        self.assertEqual(self.emu.state(region="us-east-1")["account"], MAIN)
        self.assertTrue(self.emu.client("sesv2", region="us-east-1").get_account()["SendingEnabled"])
        self.assertRaises(RuntimeError, self.emu.state, account="no-such-account")

    def test_identity_count_parameter(self):
        self.emu.reset("fleet:4x2:40")
        try:
            self.assertEqual(len(self.identities(self.v2_of("dev", "us-east-1"))), 40)
            self.assertEqual(self.emu.admin("GET", "health")["regions"], ["eu-west-1", "us-east-1"])
            kinds = {p["profile"]: p["kind"] for p in self.emu.fleet_aws_config()["profiles"]}
            self.assertEqual(kinds, {"fleet-admin": "keys", "prod-eu": "keys", "prod-us": "expired",
                                     "staging": "role", "dev": "keys"})
            health = {(a, r): self.v2_of(a, r).get_account()["EnforcementStatus"]
                      for a in ("prod-eu", "prod-us", "staging", "dev") for r in ("eu-west-1", "us-east-1")}
            self.assertEqual(sorted(health.values()).count("SHUTDOWN"), 1)
            self.assertEqual(sorted(health.values()).count("PROBATION"), 1)
        finally:
            self.emu.reset(self.SEED)


if __name__ == "__main__":
    unittest.main()
