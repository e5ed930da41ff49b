"""The fleet (issue 21) against the emulator's `fleet:6x2` seed: six accounts in two regions,
one AWS profile each (staging reached by assuming a role from fleet-admin, cust-globex with
expired session keys). `sync --fleet` reads every cell and keeps going past the bad one;
`fleet --json` matches what boto3 reads with each profile's own credentials, cell by cell;
`find` finds an identity, or every identity under a domain, across accounts and regions;
`--fleet` refuses every verb but sync, fleet and find — a change above all."""

import csv
import datetime
import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import CliTest  # noqa: E402

FLEET = "[fleet]\nprofiles = prod-*, staging, dev, cust-*\nregions = eu-west-1, us-east-1\n"
REGIONS = ("eu-west-1", "us-east-1")
PROFILES = ("prod-eu", "prod-us", "staging", "dev", "cust-acme", "cust-globex")


class Fleet(CliTest):
    SEED = "fleet:6x2"

    def setUp(self):
        super().setUp()
        files = self.emu.fleet_aws_config()
        self.write(self.aws_config, files["config"])
        self.write(self.aws_credentials, files["credentials"])
        self.config = self.write(os.path.join(self.home, ".config", "sesctl.conf"), FLEET)

    def env(self):
        """No keys in the environment: every cell's credentials come from its profile."""
        e = self.base_env(emulator=False)
        e["AWS_MAX_ATTEMPTS"] = "1"
        return e

    def fleet(self, *args):
        return self.sesctl("--config", self.config, *args, env=self.env())

    def synced(self):
        r = self.fleet("sync", "--fleet", "--json")
        self.assertExit(r, "PARTIAL")  # cust-globex's keys are expired
        return r

    def boto_cell(self, profile, region):
        """What a boto3 user reads for the cell, with the profile's own credentials."""
        v2 = self.emu.client("sesv2", region=region, profile=profile)
        acct = v2.get_account()
        ids = []
        kw = {}
        while True:
            page = v2.list_email_identities(PageSize=1000, **kw)
            ids += page["EmailIdentities"]
            if not page.get("NextToken"):
                break
            kw = {"NextToken": page["NextToken"]}
        sets = v2.list_configuration_sets()["ConfigurationSets"]
        sts = self.emu.client("sts", region=region, profile=profile).get_caller_identity()
        return acct, ids, sets, sts["Account"]

    def test_sync_reads_every_cell_and_reports_the_bad_one(self):
        r = self.synced()
        cells = {(c["profile"], c["region"]): c for c in r.json()}
        self.assertEqual(set(cells), {(p, reg) for p in PROFILES for reg in REGIONS})
        for reg in REGIONS:
            bad = cells[("cust-globex", reg)]
            self.assertEqual(bad["status"], "failed")
            self.assertIn("expired", bad["error"])
        good = [c for c in cells.values() if c["profile"] != "cust-globex"]
        self.assertTrue(all(c["status"] == "ok" and c["account_id"] for c in good), good)
        self.assertIn("2 of 12 cells could not be read", r.err)

    def test_fleet_json_matches_boto3_cell_by_cell(self):
        self.synced()
        r = self.fleet("fleet", "--json")
        self.assertExit(r, "OK")
        doc = r.json()
        self.assertEqual(doc["cells"], 12)
        rows = {(x["profile"], x["region"]): x for x in doc["rows"]}
        for profile in PROFILES:
            for region in REGIONS:
                row = rows[(profile, region)]
                with self.subTest(profile=profile, region=region):
                    if profile == "cust-globex":
                        self.assertEqual(row["health"], "error")
                        self.assertIn("expired", row["error"])
                        continue
                    acct, ids, sets, account_id = self.boto_cell(profile, region)
                    self.assertEqual(row["account_id"], account_id)
                    self.assertEqual(row["sending_enabled"], acct["SendingEnabled"])
                    self.assertEqual(row["enforcement"], acct["EnforcementStatus"])
                    self.assertEqual(row["production"], acct["ProductionAccessEnabled"])
                    self.assertEqual(row["max_24h_send"], acct["SendQuota"]["Max24HourSend"])
                    self.assertEqual(row["sent_last_24h"], acct["SendQuota"]["SentLast24Hours"])
                    self.assertEqual(row["identities"], len(ids))
                    self.assertEqual(row["pending"],
                                     sum(i.get("VerificationStatus") == "PENDING" for i in ids))
                    self.assertEqual(row["failed"],
                                     sum(i.get("VerificationStatus") == "FAILED" for i in ids))
                    self.assertEqual(row["config_sets"], len(sets))
        # the health each cell was seeded with, worst first
        order = [(x["profile"], x["region"], x["health"]) for x in doc["rows"]][:6]
        self.assertEqual([h for _, _, h in order],
                         ["error", "error", "shutdown", "paused", "probation", "over-line"])
        self.assertEqual(order[2][:2], ("prod-us", "eu-west-1"))
        self.assertEqual(order[3][:2], ("dev", "eu-west-1"))
        self.assertEqual(doc["trouble"], 6)

    def test_rates_are_the_accounts_own_reputation_metrics(self):
        self.synced()
        rows = {(x["profile"], x["region"]): x for x in self.fleet("fleet", "--json").json()["rows"]}
        cw = self.emu.client("cloudwatch", region="us-east-1", profile="cust-acme")
        now = datetime.datetime.now(datetime.timezone.utc)
        pts = cw.get_metric_statistics(Namespace="AWS/SES", MetricName="Reputation.BounceRate",
                                       StartTime=now - datetime.timedelta(days=2), EndTime=now,
                                       Period=3600, Statistics=["Average"])["Datapoints"]
        newest = max(pts, key=lambda p: p["Timestamp"])["Average"]
        row = rows[("cust-acme", "us-east-1")]
        self.assertTrue(math.isclose(row["bounce_rate"], newest, rel_tol=1e-6), (row, newest))
        self.assertEqual(row["health"], "over-line")
        self.assertIn("review line 5 %", row["why"])

    def test_sort_and_text(self):
        self.synced()
        rows = self.fleet("fleet", "--sort", "bounce", "--json").json()["rows"]
        rates = [x["bounce_rate"] for x in rows if x["bounce_rate"] is not None]
        self.assertEqual(rates, sorted(rates, reverse=True))
        self.assertIsNone(rows[-1]["bounce_rate"])  # unknown last
        self.assertExit(self.fleet("fleet", "--sort", "alphabet"), "USAGE")
        text = self.fleet("fleet").out.splitlines()
        self.assertRegex(text[0], r"^PROFILE +REGION +ACCOUNT_ID +HEALTH ")
        self.assertRegex(text[1], r"^cust-globex ")
        rows = list(csv.DictReader(self.fleet("fleet", "--csv").out.splitlines()))
        self.assertEqual(len(rows), 12)
        shut = next(x for x in rows if (x["profile"], x["region"]) == ("prod-us", "eu-west-1"))
        self.assertEqual(shut["enforcement"], "SHUTDOWN")
        self.assertGreater(float(shut["bounce_rate"]), 0.1)  # a number, not "11.6%"

    def test_fleet_before_any_read_says_never_read(self):
        r = self.fleet("fleet", "--json")
        self.assertExit(r, "OK")
        self.assertEqual({x["health"] for x in r.json()["rows"]}, {"unread"})

    def test_fleet_refresh_reads_the_summaries(self):
        r = self.fleet("fleet", "--refresh", "--json")
        self.assertExit(r, "OK")  # the bad cell is in its row, not the exit code
        self.assertIn("2 of 12 cells could not be read", r.err)
        health = {(x["profile"], x["region"]): x["health"] for x in r.json()["rows"]}
        self.assertEqual(health[("prod-us", "eu-west-1")], "shutdown")

    def test_a_pause_shows_in_the_cell_at_once(self):
        self.synced()
        r = self.sesctl("--profile", "prod-eu", "--region", "us-east-1", "--config", self.config,
                        "sending", "pause", "--reason", "INC-9 test", "--yes",
                        "--confirm=200000000001", env=self.env())
        self.assertExit(r, "OK")
        rows = {(x["profile"], x["region"]): x for x in self.fleet("fleet", "--json").json()["rows"]}
        row = rows[("prod-eu", "us-east-1")]
        self.assertEqual(row["health"], "paused")
        self.assertFalse(row["sending_enabled"])
        self.assertEqual(row["paused_reason"], "INC-9 test")
        v2 = self.emu.client("sesv2", region="us-east-1", profile="prod-eu")
        self.assertFalse(v2.get_account()["SendingEnabled"])
        v2.put_account_sending_attributes(SendingEnabled=True)

    def test_find_an_identity_and_everything_under_a_domain(self):
        self.synced()
        r = self.fleet("find", "ops@staging.example", "--json")
        self.assertExit(r, "OK")
        self.assertEqual(sorted((x["region"], x["account_id"], x["profile"]) for x in r.json()),
                         [("eu-west-1", "200000000003", "staging"),
                          ("us-east-1", "200000000003", "staging")])
        under = self.fleet("find", "PROD-US.example", "--json").json()
        names = {x["name"] for x in under}
        v2 = self.emu.client("sesv2", region="eu-west-1", profile="prod-us")
        listed = {i["IdentityName"] for i in v2.list_email_identities()["EmailIdentities"]}
        self.assertEqual({n for n in names if n in listed}, listed)  # all of eu-west-1's
        self.assertTrue(all(n == "prod-us.example" or n.endswith((".prod-us.example", "@prod-us.example"))
                            for n in names), names)
        exact = self.fleet("find", "prod-us.example", "--exact", "--json").json()
        self.assertEqual({x["name"] for x in exact}, {"prod-us.example"})
        self.assertEqual(len(exact), 2)  # both regions
        none = self.fleet("find", "nobody.example")
        self.assertExit(none, "OK")
        self.assertIn("no cached identity is nobody.example", none.err)
        # "us.example" is not a parent of "prod-us.example": labels, not characters
        self.assertEqual(self.fleet("find", "us.example", "--json").json(), [])

    def test_fleet_flag_refuses_every_other_verb(self):
        self.synced()
        before = len(self.emu.requests())
        r = self.fleet("--fleet", "sending", "pause", "--reason", "x", "--yes")
        self.assertExit(r, "REFUSED")
        self.assertIn("a change is made in one account and one region", r.err)
        r = self.fleet("--fleet", "identities", "list")
        self.assertExit(r, "REFUSED")
        self.assertIn("does not take --fleet", r.err)
        self.assertEqual(len(self.emu.requests()), before)  # nothing was asked of SES
        self.assertExit(self.fleet("--fleet=emea", "fleet"), "NOT_FOUND")

    def test_without_a_fleet_section_every_profile_with_its_region(self):
        self.write(self.config, "")
        rows = self.fleet("fleet", "--json").json()["rows"]
        cells = {(x["profile"], x["region"]) for x in rows}
        self.assertEqual(len(cells), 7)  # the six accounts and fleet-admin, each at home
        self.assertIn(("fleet-admin", "eu-west-1"), cells)

    def test_active_regions_are_found_once_and_remembered(self):
        self.write(self.config, "[fleet]\nprofiles = prod-eu, staging, cust-globex\nregions = active\n")
        before = self.fleet("fleet", "--json").json()["rows"]
        self.assertEqual({(x["profile"], x["region"]) for x in before},
                         {("prod-eu", "eu-west-1"), ("staging", "eu-west-1"), ("cust-globex", "us-east-1")})
        r = self.fleet("sync", "--fleet", "--json")
        self.assertExit(r, "PARTIAL")
        rows = self.fleet("fleet", "--json").json()["rows"]
        # the seed's accounts have identities in its two regions and nowhere else
        self.assertEqual({(x["profile"], x["region"]) for x in rows if x["profile"] != "cust-globex"},
                         {(p, reg) for p in ("prod-eu", "staging") for reg in REGIONS})
        self.assertEqual([x["health"] for x in rows if x["profile"] == "cust-globex"], ["error"])
        looked = [q for q in self.emu.requests() if q.get("op") == "ListEmailIdentities"
                  and q.get("account") == "200000000001"]
        self.assertGreaterEqual(len({q["region"] for q in looked}), 20)  # every SES region once
        n = len(self.emu.requests())
        self.fleet("sync", "--fleet", "--kind", "account")
        again = self.emu.requests()[n:]
        self.assertEqual({q["region"] for q in again if q.get("account") == "200000000001"
                          and q.get("op") == "GetAccount"}, set(REGIONS))  # remembered

    def test_a_profile_that_cannot_start_says_why_in_its_row(self):
        # no keys, role, SSO or process: the child ends before it reads anything, so the
        # parent writes the child's sentence into the cell
        with open(self.aws_config, "a") as f:
            f.write("\n[profile cust-nokeys]\nregion = eu-west-1\n")
        r = self.fleet("sync", "--fleet", "--kind", "account", "--json")
        self.assertExit(r, "PARTIAL")
        rows = {(x["profile"], x["region"]): x for x in self.fleet("fleet", "--json").json()["rows"]}
        for region in REGIONS:
            bad = rows[("cust-nokeys", region)]
            self.assertEqual(bad["health"], "error")
            self.assertIn("no AWS credentials found", bad["error"])
        self.assertEqual(rows[("cust-acme", "eu-west-1")]["health"], "healthy")

    def test_force_and_concurrency_reach_the_children(self):
        self.synced()
        n = len(self.emu.requests())
        r = self.fleet("sync", "--fleet", "--kind", "identities", "--force", "--concurrency", "2")
        self.assertExit(r, "PARTIAL")
        details = [q for q in self.emu.requests()[n:] if q.get("op") == "GetEmailIdentity"]
        self.assertEqual(len(details), 10 * 6)  # every identity of the 10 good cells, again
        self.assertExit(self.fleet("sync", "--fleet", "--concurrency", "0"), "USAGE")

    def test_parallel_is_bounded(self):
        self.assertExit(self.fleet("sync", "--fleet", "--parallel", "0"), "USAGE")
        r = self.fleet("sync", "--fleet", "--parallel", "1", "--kind", "account", "--json")
        self.assertExit(r, "PARTIAL")
        self.assertEqual(sum(c["status"] == "ok" for c in r.json()), 10)


if __name__ == "__main__":
    unittest.main()
