"""Configuration sets in full, headless: every config-set verb run against the emulator and
its effect read back with boto3; invalid input refused before any request; the per-set
rates equal what CloudWatch serves for the set, computed here independently."""

import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import CliTest  # noqa: E402

SNS = "arn:aws:sns:eu-west-1:123456789012:ops-bounces"
FIREHOSE = "arn:aws:firehose:eu-west-1:123456789012:deliverystream/ses-events"
ROLE = "arn:aws:iam::123456789012:role/ses-firehose"
BUS = "arn:aws:events:eu-west-1:123456789012:event-bus/default"
PINPOINT = "arn:aws:mobiletargeting:eu-west-1:123456789012:apps/0123456789abcdef"


class DemoStreams(CliTest):
    """The demo's four streams, read only."""
    SEED = "demo"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sesv2 = cls.emu.client("sesv2")
        cls.cw = cls.emu.client("cloudwatch")

    def rows(self):
        r = self.sesctl("config-sets", "--json")
        self.assertEqual(r.code, 0, repr(r))
        return {x["name"]: x for x in r.json()}

    def test_rows_say_state_destinations_and_feedback(self):
        rows = self.rows()
        self.assertEqual(sorted(rows), ["legacy-newsletter", "marketing", "notifications", "transactional"])
        legacy = rows["legacy-newsletter"]
        self.assertFalse(legacy["sending_enabled"])
        self.assertIsNone(legacy["bounce_rate"])           # never a 0 % it does not have
        self.assertIn("--reputation-metrics on", legacy["rates_note"])
        self.assertIn("config-set set legacy-newsletter", legacy["rates_note"])
        self.assertEqual(rows["notifications"]["feedback"], "no bounce or complaint destination")
        self.assertEqual(rows["transactional"]["tls_policy"], "REQUIRE")
        self.assertEqual(rows["marketing"]["sending_pool"], "marketing-pool")
        self.assertEqual(rows["marketing"]["destinations"], "EventBridge:bounce,complaint CW SNS:bounce,complaint")
        self.assertEqual(rows["transactional"]["feedback"], "ok")
        self.assertEqual(rows["transactional"]["destination_count"], 3)

    def test_text_and_csv(self):
        r = self.sesctl("config-sets")
        self.assertEqual(r.code, 0, repr(r))
        head = r.out.splitlines()[0].split()
        self.assertEqual(head[:4], ["NAME", "SENDING", "BOUNCE", "COMPLAINT"])
        self.assertRegex(r.out, r"\nlegacy-newsletter +PAUSED +- +- ")
        r = self.sesctl("config-sets", "--csv")
        self.assertEqual(r.code, 0, repr(r))
        self.assertTrue(r.out.startswith("name,sending,bounce,complaint,reputation_metrics,tls_policy,"
                                         "sending_pool,destinations,feedback\n"), r.out[:200])

    def latest(self, set_name, metric):
        """The newest point CloudWatch serves for the set, asked here on our own."""
        end = datetime.datetime.now(datetime.timezone.utc)
        out = self.cw.get_metric_data(
            MetricDataQueries=[{"Id": "m", "ReturnData": True, "MetricStat": {
                "Metric": {"Namespace": "AWS/SES", "MetricName": metric,
                           "Dimensions": [{"Name": "ses:configuration-set", "Value": set_name}]},
                "Period": 3600, "Stat": "Average"}}],
            StartTime=end - datetime.timedelta(days=2), EndTime=end)
        res = out["MetricDataResults"][0]
        pts = sorted(zip(res["Timestamps"], res["Values"]))
        return pts[-1][1] if pts else None

    def test_rates_are_each_sets_own_series(self):
        rows = self.rows()
        for name in ("marketing", "transactional", "notifications"):
            for key, metric in (("bounce_rate", "Reputation.BounceRate"),
                                ("complaint_rate", "Reputation.ComplaintRate")):
                want = self.latest(name, metric)
                self.assertIsNotNone(want, name)
                self.assertAlmostEqual(rows[name][key], want, places=12, msg=f"{name} {key}")

    def test_counts_sum_the_sets_points(self):
        """sends_24h of a set with a CloudWatch destination = the sum of its seeded points in
        the 24 hours before the newest hour, from the emulator's own split."""
        import time
        split = self.emu.set_points()["sets"]
        rows = self.rows()
        now = time.time()
        for name in ("marketing", "transactional"):
            def sent(hours):
                return sum(p["DeliveryAttempts"] for p in split[name] if p["Timestamp"] > now - hours * 3600)
            # CloudWatch sums whole hours: the 24 h window covers between 23 and 25 of them
            self.assertGreater(sent(23), 0)
            self.assertGreaterEqual(rows[name]["sends_24h"], sent(23), name)
            self.assertLessEqual(rows[name]["sends_24h"], sent(25), name)
        self.assertNotIn("sends_24h", rows["notifications"])   # no CloudWatch destination

    def test_show(self):
        r = self.sesctl("config-set", "show", "marketing", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIsNone(r.json()["default_for"])   # identities never read here: unknown
        self.assertEqual(self.sesctl("sync", "--kind", "identities").code, 0)
        r = self.sesctl("config-set", "show", "marketing", "--json")
        self.assertEqual(r.code, 0, repr(r))
        d = r.json()
        self.assertEqual(d["tracking_domain"], "click.marketing.example")
        self.assertEqual(d["https_policy"], "REQUIRE")
        self.assertEqual(d["default_for"], ["marketing.example"])
        names = {x["name"]: x for x in d["event_destinations"]}
        self.assertEqual(names["marketing-eb"]["kind"], "EventBridge")
        self.assertEqual(names["marketing-eb"]["events"], ["bounce", "complaint", "open", "click"])
        self.assertEqual(names["metrics-cw"]["target"], "ses:configuration-set=MESSAGE_TAG:marketing")
        r = self.sesctl("config-set", "show", "marketing")
        self.assertIn("NAME", r.out)
        self.assertRegex(r.out, r"marketing-eb +yes +EventBridge +bounce,complaint,open,click")
        self.assertExit(self.sesctl("config-set", "show", "nosuch"), "NOT_FOUND")


class Changes(CliTest):
    """Every change, read back with boto3."""
    SEED = "demo"

    def setUp(self):
        super().setUp()
        self.emu.reset("demo")
        self.sesv2 = self.emu.client("sesv2")

    def get(self, name):
        return self.sesv2.get_configuration_set(ConfigurationSetName=name)

    def dests(self, name):
        out = self.sesv2.get_configuration_set_event_destinations(ConfigurationSetName=name)
        return {d["Name"]: d for d in out["EventDestinations"]}

    def ok(self, *args):
        r = self.sesctl(*args)
        self.assertEqual(r.code, 0, repr(r))
        return r

    def test_create_set_delete(self):
        self.ok("config-set", "create", "receipts", "--tls", "require", "--max-delivery", "3600",
                "--reputation-metrics", "on", "--suppress", "bounce", "--pool", "receipts-pool")
        cs = self.get("receipts")
        self.assertEqual(cs["DeliveryOptions"], {"TlsPolicy": "REQUIRE", "SendingPoolName": "receipts-pool",
                                                 "MaxDeliverySeconds": 3600})
        self.assertTrue(cs["ReputationOptions"]["ReputationMetricsEnabled"])
        self.assertEqual(cs["SuppressionOptions"]["SuppressedReasons"], ["BOUNCE"])
        self.assertTrue(cs["SendingOptions"]["SendingEnabled"])
        # only the options given change: the pool and max delivery stay with --tls
        self.ok("config-set", "set", "receipts", "--tls", "optional")
        cs = self.get("receipts")
        self.assertEqual(cs["DeliveryOptions"], {"TlsPolicy": "OPTIONAL", "SendingPoolName": "receipts-pool",
                                                 "MaxDeliverySeconds": 3600})
        self.ok("config-set", "set", "receipts", "--tracking-domain", "click.shop.example", "--https",
                "require-open-only", "--auto-validation", "high", "--vdm-engagement", "on",
                "--vdm-optimized-delivery", "off", "--suppress", "bounce,complaint",
                "--reputation-metrics", "off", "--archive",
                "arn:aws:ses:eu-west-1:123456789012:mailmanager-archive/a-0123456789abcdefghijklmnop")
        cs = self.get("receipts")
        self.assertEqual(cs["TrackingOptions"], {"CustomRedirectDomain": "click.shop.example",
                                                 "HttpsPolicy": "REQUIRE_OPEN_ONLY"})
        self.assertEqual(cs["SuppressionOptions"]["SuppressedReasons"], ["BOUNCE", "COMPLAINT"])
        self.assertEqual(cs["SuppressionOptions"]["ValidationOptions"]["ConditionThreshold"],
                         {"ConditionThresholdEnabled": "ENABLED",
                          "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "HIGH"}})
        self.assertEqual(cs["VdmOptions"], {"DashboardOptions": {"EngagementMetrics": "ENABLED"},
                                            "GuardianOptions": {"OptimizedSharedDelivery": "DISABLED"}})
        self.assertFalse(cs["ReputationOptions"]["ReputationMetricsEnabled"])
        self.assertIn("mailmanager-archive/a-0123", cs["ArchivingOptions"]["ArchiveArn"])
        self.assertEqual(cs["DeliveryOptions"]["SendingPoolName"], "receipts-pool")   # untouched
        self.ok("config-set", "set", "receipts", "--archive", "none", "--pool", "none")
        cs = self.get("receipts")
        self.assertNotIn("ArchiveArn", cs.get("ArchivingOptions") or {})
        self.assertNotIn("SendingPoolName", cs["DeliveryOptions"])
        # the cache follows: the list shows the new set as SES has it
        rows = {x["name"]: x for x in self.sesctl("config-sets", "--json").json()}
        self.assertEqual(rows["receipts"]["tls_policy"], "OPTIONAL")
        # a delete is typed: without a terminal and without --yes it is refused
        self.assertExit(self.sesctl("config-set", "delete", "receipts"), "REFUSED")
        self.get("receipts")
        r = self.ok("config-set", "delete", "receipts", "--yes", "--json")
        self.assertEqual(r.json()["deleted"], "receipts")
        with self.assertRaises(self.sesv2.exceptions.NotFoundException):
            self.get("receipts")
        self.assertNotIn("receipts", [x["name"] for x in self.sesctl("config-sets", "--json").json()])
        audit = [a for a in self.sesctl("audit", "--json").json() if a["result"] != "started"]
        self.assertEqual(audit[0]["verb"], "config-set delete")
        self.assertEqual(audit[0]["result"], "ok")

    def test_tags(self):
        self.ok("config-set", "create", "tagged", "--tag", "team=mail", "--tag", "cost=42")
        tags = {t["Key"]: t["Value"] for t in self.get("tagged")["Tags"]}
        self.assertEqual(tags, {"team": "mail", "cost": "42"})
        self.ok("config-set", "set", "tagged", "--untag", "cost", "--tag", "team=ops", "--tag", "owner=")
        tags = {t["Key"]: t["Value"] for t in self.get("tagged")["Tags"]}
        self.assertEqual(tags, {"team": "ops", "owner": ""})
        self.assertEqual(self.sesctl("config-set", "show", "tagged", "--json").json()["tags"],
                         {"team": "ops", "owner": ""})

    def test_delete_warns_about_identities_that_use_it(self):
        self.ok("sync")
        r = self.ok("config-set", "delete", "marketing", "--yes")
        self.assertIn("1 identities named marketing as their default configuration set", r.err)

    def test_destinations_of_every_kind(self):
        self.ok("config-set", "create", "streamx")
        self.ok("config-set", "destination", "add", "streamx", "sns", "--sns", SNS, "--events", "bounce,complaint")
        self.ok("config-set", "destination", "add", "streamx", "cw", "--cloudwatch",
                "ses:configuration-set=message-tag:none", "--cloudwatch", "campaign=email-header:x@y.example",
                "--events", "send,delivery-delay")
        self.ok("config-set", "destination", "add", "streamx", "fh", "--firehose", FIREHOSE, "--role", ROLE,
                "--events", "all", "--disabled")
        self.ok("config-set", "destination", "add", "streamx", "eb", "--eventbridge", BUS, "--events", "click")
        self.ok("config-set", "destination", "add", "streamx", "pp", "--pinpoint", PINPOINT, "--events",
                "subscription")
        d = self.dests("streamx")
        self.assertEqual(d["sns"]["SnsDestination"], {"TopicArn": SNS})
        self.assertEqual(sorted(d["sns"]["MatchingEventTypes"]), ["BOUNCE", "COMPLAINT"])
        self.assertTrue(d["sns"]["Enabled"])
        self.assertEqual(d["cw"]["CloudWatchDestination"]["DimensionConfigurations"], [
            {"DimensionName": "ses:configuration-set", "DimensionValueSource": "MESSAGE_TAG",
             "DefaultDimensionValue": "none"},
            {"DimensionName": "campaign", "DimensionValueSource": "EMAIL_HEADER",
             "DefaultDimensionValue": "x@y.example"}])
        self.assertEqual(sorted(d["cw"]["MatchingEventTypes"]), ["DELIVERY_DELAY", "SEND"])
        self.assertFalse(d["fh"]["Enabled"])
        self.assertEqual(len(d["fh"]["MatchingEventTypes"]), 10)
        self.assertEqual(d["fh"]["KinesisFirehoseDestination"], {"IamRoleArn": ROLE, "DeliveryStreamArn": FIREHOSE})
        self.assertEqual(d["eb"]["EventBridgeDestination"], {"EventBusArn": BUS})
        self.assertEqual(d["pp"]["PinpointDestination"], {"ApplicationArn": PINPOINT})
        # update keeps what is not given; enable/disable; delete
        self.ok("config-set", "destination", "update", "streamx", "sns", "--events", "bounce")
        d = self.dests("streamx")
        self.assertEqual(d["sns"]["MatchingEventTypes"], ["BOUNCE"])
        self.assertEqual(d["sns"]["SnsDestination"], {"TopicArn": SNS})
        self.ok("config-set", "destination", "enable", "streamx", "fh")
        self.assertTrue(self.dests("streamx")["fh"]["Enabled"])
        # the only bounce destination going off is said out loud
        self.ok("config-set", "destination", "disable", "streamx", "fh", "--yes")
        r = self.ok("config-set", "destination", "disable", "streamx", "sns", "--yes")
        self.assertIn("no longer sends bounce events anywhere", r.err)
        self.assertFalse(self.dests("streamx")["sns"]["Enabled"])
        self.ok("config-set", "destination", "delete", "streamx", "pp", "--yes")
        self.assertNotIn("pp", self.dests("streamx"))
        self.assertExit(self.sesctl("config-set", "destination", "delete", "streamx", "pp", "--yes"), "NOT_FOUND")
        self.assertExit(self.sesctl("config-set", "destination", "add", "streamx", "eb", "--eventbridge", BUS,
                                    "--events", "open"), "CONFLICT")
        row = {x["name"]: x for x in self.sesctl("config-sets", "--json").json()}["streamx"]
        self.assertEqual(row["destinations"], "CW EventBridge")
        self.assertEqual(row["feedback"], "no bounce or complaint destination")

    def test_identity_default_set(self):
        self.ok("identity", "config-set", "shop.example", "notifications")
        self.assertEqual(self.sesv2.get_email_identity(EmailIdentity="shop.example")["ConfigurationSetName"],
                         "notifications")
        self.ok("identity", "config-set", "shop.example", "--clear")
        self.assertNotIn("ConfigurationSetName", self.sesv2.get_email_identity(EmailIdentity="shop.example"))
        self.assertExit(self.sesctl("identity", "config-set", "shop.example", "nosuch"), "NOT_FOUND")
        self.assertExit(self.sesctl("identity", "config-set", "shop.example"), "USAGE")

    def test_read_only_refuses_every_change(self):
        for args in (("config-set", "create", "x"), ("config-set", "set", "marketing", "--tls", "require"),
                     ("config-set", "delete", "marketing", "--yes"),
                     ("config-set", "destination", "delete", "marketing", "metrics-cw", "--yes"),
                     ("identity", "config-set", "shop.example", "marketing")):
            self.assertExit(self.sesctl("--read-only", *args), "REFUSED")
        self.assertEqual(self.get("marketing")["DeliveryOptions"]["TlsPolicy"], "OPTIONAL")
        self.assertIn("metrics-cw", self.dests("marketing"))


class InvalidInput(CliTest):
    """Refused with a sentence, and no request reaches SES."""
    SEED = "demo"

    def refused(self, *args, says):
        self.emu.requests(clear=True)
        r = self.sesctl(*args)
        self.assertExit(r, "USAGE")
        self.assertIn(says, r.err)
        self.assertEqual(self.emu.requests(), [], f"{args} made requests")

    def test_refused_before_any_request(self):
        add = ("config-set", "destination", "add", "marketing", "d")
        self.refused(*add, "--sns", SNS, "--eventbridge", BUS, "--events", "bounce", says="exactly one place")
        self.refused(*add, "--events", "bounce", says="exactly one of --sns")
        self.refused(*add, "--sns", "arn:aws:sqs:eu-west-1:123456789012:q", "--events", "bounce",
                     says="not an ARN for SNS")
        self.refused(*add, "--sns", SNS, says="--events")
        self.refused(*add, "--sns", SNS, "--events", "bounce,opened", says="unknown event type 'opened'")
        self.refused(*add, "--eventbridge", "arn:aws:events:eu-west-1:123456789012:event-bus/mine",
                     "--events", "bounce", says="default event bus")
        self.refused(*add, "--firehose", FIREHOSE, "--events", "bounce", says="needs --role")
        self.refused(*add, "--cloudwatch", "bad name=message-tag:x", "--events", "send", says="dimension name")
        self.refused(*add, "--cloudwatch", "dim=cookie:x", "--events", "send", says="message-tag, email-header")
        self.refused(*add, "--cloudwatch", "dim", "--events", "send", says="NAME=SOURCE:DEFAULT")
        self.refused(*add, "--sns", SNS, "--role", ROLE, "--events", "bounce", says="--role goes with --firehose")
        self.refused("config-set", "destination", "add", "bad.set", "d", "--sns", SNS, "--events", "bounce",
                     says="not a configuration set name")
        self.refused("config-set", "create", "has space", says="not a configuration set name")
        self.refused("config-set", "set", "marketing", "--max-delivery", "100", says="300 to 50400")
        self.refused("config-set", "set", "marketing", "--tls", "sometimes", says="require or optional")
        self.refused("config-set", "set", "marketing", "--suppress", "spam", says="--suppress takes")
        self.refused("config-set", "set", "marketing", "--tracking-domain", "not a domain", says="")
        self.refused("config-set", "set", "marketing", "--archive", "arn:aws:s3:::bucket", says="archive ARN")
        self.refused("config-set", "set", "marketing", says="say what to change")
        self.refused("config-set", "set", "marketing", "--tag", "novalue", says="KEY=VALUE")
        self.refused("config-set", "set", "marketing", "--tag", "aws:x=1", says="AWS's own")
        self.refused("config-set", "create", "fresh", "--untag", "x", says="a new set has no tags")
        self.refused("config-set", "destination", "update", "marketing", "metrics-cw", says="say what to change")


if __name__ == "__main__":
    unittest.main()
