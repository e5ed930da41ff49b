"""sesemu configuration sets: every SESv2 configuration-set operation round-trips through
boto3 with replies matching the model, SES's refusals, v1's view of the same sets, the
Send count a set publishes to CloudWatch, and the demo's four sending streams with their
per-set metrics."""

import datetime
import json
import os
import sys
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase  # noqa: E402

ARN = "arn:aws:ses:eu-west-1:123456789012:configuration-set/"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:topic"
ARCHIVE = "arn:aws:ses:eu-west-1:123456789012:mailmanager-archive/a-abcdefghijklmnopqrstuvwx12"
SNS = {"Enabled": True, "MatchingEventTypes": ["BOUNCE", "COMPLAINT"], "SnsDestination": {"TopicArn": TOPIC}}
CW = {"Enabled": True, "MatchingEventTypes": ["SEND", "DELIVERY"],
      "CloudWatchDestination": {"DimensionConfigurations": [
          {"DimensionName": "ses:configuration-set", "DimensionValueSource": "MESSAGE_TAG",
           "DefaultDimensionValue": "stream"}]}}
SIMPLE = {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}}
SIM = {"ToAddresses": ["success@simulator.amazonses.com"]}


class ConfigSetApi(EmuTestCase):
    SEED = "demo"

    def setUp(self):
        super().setUp()     # a client that lets out-of-range values through to the emulator
        self.raw = self.shapes.attach(self.emu.client("sesv2", parameter_validation=False))

    def get(self, name="stream"):
        out = self.v2.get_configuration_set(ConfigurationSetName=name)
        out.pop("ResponseMetadata")
        return out

    def test_create_keeps_every_block_and_get_returns_them(self):
        self.v2.create_configuration_set(
            ConfigurationSetName="stream",
            TrackingOptions={"CustomRedirectDomain": "click.shop.example", "HttpsPolicy": "REQUIRE_OPEN_ONLY"},
            DeliveryOptions={"TlsPolicy": "REQUIRE", "SendingPoolName": "pool-1", "MaxDeliverySeconds": 3600},
            ReputationOptions={"ReputationMetricsEnabled": True},
            SendingOptions={"SendingEnabled": False},
            SuppressionOptions={"SuppressedReasons": ["COMPLAINT"], "ValidationOptions": {"ConditionThreshold": {
                "ConditionThresholdEnabled": "ENABLED",
                "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "HIGH"}}}},
            VdmOptions={"DashboardOptions": {"EngagementMetrics": "DISABLED"},
                        "GuardianOptions": {"OptimizedSharedDelivery": "ENABLED"}},
            ArchivingOptions={"ArchiveArn": ARCHIVE},
            Tags=[{"Key": "team", "Value": "web"}])
        got = self.get()
        self.assertEqual(got["TrackingOptions"], {"CustomRedirectDomain": "click.shop.example",
                                                  "HttpsPolicy": "REQUIRE_OPEN_ONLY"})
        self.assertEqual(got["DeliveryOptions"], {"TlsPolicy": "REQUIRE", "SendingPoolName": "pool-1",
                                                  "MaxDeliverySeconds": 3600})
        self.assertEqual(got["ReputationOptions"], {"ReputationMetricsEnabled": True})
        self.assertEqual(got["SendingOptions"], {"SendingEnabled": False})
        self.assertEqual(got["SuppressionOptions"]["ValidationOptions"]["ConditionThreshold"]
                         ["OverallConfidenceThreshold"], {"ConfidenceVerdictThreshold": "HIGH"})
        self.assertEqual(got["VdmOptions"]["GuardianOptions"], {"OptimizedSharedDelivery": "ENABLED"})
        self.assertEqual(got["ArchivingOptions"], {"ArchiveArn": ARCHIVE})
        self.assertEqual(got["Tags"], [{"Key": "team", "Value": "web"}])
        self.assertIn("stream", self.v2.list_configuration_sets(PageSize=1000)["ConfigurationSets"])
        # v1 sees the same set
        self.assertEqual(self.v1.describe_configuration_set(ConfigurationSetName="stream")
                         ["ConfigurationSet"]["Name"], "stream")

    def test_create_refusals(self):
        self.v2.create_configuration_set(ConfigurationSetName="stream")
        self.assertAwsError("AlreadyExistsException", self.v2.create_configuration_set,
                            ConfigurationSetName="stream", status=400)
        for bad in ("has space", "x" * 65, "dot.ted"):
            self.assertAwsError("BadRequestException", self.v2.create_configuration_set, ConfigurationSetName=bad)
        self.assertAwsError("BadRequestException", self.v2.create_configuration_set, ConfigurationSetName="a1",
                            ArchivingOptions={"ArchiveArn": "arn:aws:ses:eu-west-1:123456789012:archive/x"})
        self.assertAwsError("BadRequestException", self.raw.create_configuration_set, ConfigurationSetName="a2",
                            DeliveryOptions={"MaxDeliverySeconds": 100})

    def test_limit_of_10000_sets(self):
        # in this process's own moto (10,000 sets through HTTP would take a while)
        import configsets
        from common import ApiError
        from moto.ses.models import ConfigurationSet
        from state import backend
        sets = backend("ap-south-2").config_sets
        try:
            for i in range(configsets.MAX_SETS - 1):
                sets[f"s{i}"] = ConfigurationSet(f"s{i}")
            configsets.create("ap-south-2", "last")
            with self.assertRaises(ApiError) as cm:
                configsets.create("ap-south-2", "one-too-many")
            self.assertEqual(cm.exception.code, "LimitExceededException")
            self.assertEqual(len(sets), 10000)
        finally:
            sets.clear()

    def test_each_put_changes_only_its_block(self):
        self.v2.create_configuration_set(ConfigurationSetName="stream",
                                         DeliveryOptions={"TlsPolicy": "REQUIRE"},
                                         SuppressionOptions={"SuppressedReasons": ["BOUNCE"]})
        before = self.get()
        calls = [
            ("TrackingOptions", self.v2.put_configuration_set_tracking_options,
             {"CustomRedirectDomain": "t.shop.example", "HttpsPolicy": "OPTIONAL"}),
            ("DeliveryOptions", self.v2.put_configuration_set_delivery_options,
             {"TlsPolicy": "OPTIONAL", "SendingPoolName": "marketing-pool", "MaxDeliverySeconds": 50400}),
            ("ReputationOptions", self.v2.put_configuration_set_reputation_options,
             {"ReputationMetricsEnabled": True}),
            ("SuppressionOptions", self.v2.put_configuration_set_suppression_options,
             {"SuppressedReasons": ["BOUNCE", "COMPLAINT"],
              "ValidationOptions": {"ConditionThreshold": {"ConditionThresholdEnabled": "DISABLED"}}}),
            ("ArchivingOptions", self.v2.put_configuration_set_archiving_options, {"ArchiveArn": ARCHIVE}),
        ]
        for block, call, body in calls:
            self.assertEqual(call(ConfigurationSetName="stream", **body)["ResponseMetadata"]["HTTPStatusCode"], 200)
            after = self.get()
            self.assertEqual(after[block], body, block)
            self.assertEqual({k: v for k, v in after.items() if k != block},
                             {k: v for k, v in before.items() if k != block}, block)
            before = after
        self.v2.put_configuration_set_vdm_options(ConfigurationSetName="stream", VdmOptions={
            "DashboardOptions": {"EngagementMetrics": "ENABLED"},
            "GuardianOptions": {"OptimizedSharedDelivery": "DISABLED"}})
        self.assertEqual(self.get()["VdmOptions"]["DashboardOptions"], {"EngagementMetrics": "ENABLED"})
        self.v2.put_configuration_set_archiving_options(ConfigurationSetName="stream")    # detach
        self.assertNotIn("ArchivingOptions", self.get())
        self.v2.put_configuration_set_reputation_options(ConfigurationSetName="stream", ReputationMetricsEnabled=False)
        self.assertEqual(self.get()["ReputationOptions"], {"ReputationMetricsEnabled": False})

    def test_put_refusals(self):
        self.v2.create_configuration_set(ConfigurationSetName="stream")
        for seconds in (299, 50401):
            self.assertAwsError("BadRequestException", self.raw.put_configuration_set_delivery_options,
                                ConfigurationSetName="stream", MaxDeliverySeconds=seconds)
        self.assertAwsError("BadRequestException", self.v2.put_configuration_set_archiving_options,
                            ConfigurationSetName="stream", ArchiveArn="arn:aws:ses:eu-west-1:1:mailmanager-archive/a-1")
        for call, body in ((self.v2.put_configuration_set_tracking_options, {"CustomRedirectDomain": "x.example"}),
                           (self.v2.put_configuration_set_delivery_options, {"TlsPolicy": "REQUIRE"}),
                           (self.v2.put_configuration_set_reputation_options, {"ReputationMetricsEnabled": True}),
                           (self.v2.put_configuration_set_suppression_options, {"SuppressedReasons": []}),
                           (self.v2.put_configuration_set_vdm_options, {"VdmOptions": {}}),
                           (self.v2.put_configuration_set_archiving_options, {}),
                           (self.v2.put_configuration_set_sending_options, {"SendingEnabled": True}),
                           (self.v2.get_configuration_set_event_destinations, {}),
                           (self.v2.delete_configuration_set, {})):
            self.assertAwsError("NotFoundException", call, ConfigurationSetName="nope", status=404, **body)

    def test_resume_is_a_fresh_start(self):
        self.v2.create_configuration_set(ConfigurationSetName="stream", SendingOptions={"SendingEnabled": False})
        self.assertNotIn("LastFreshStart", self.get()["ReputationOptions"])
        self.v2.put_configuration_set_sending_options(ConfigurationSetName="stream", SendingEnabled=True)
        last = self.get()["ReputationOptions"]["LastFreshStart"]
        self.assertLess(abs(last.timestamp() - datetime.datetime.now(datetime.timezone.utc).timestamp()), 60)

    def test_event_destinations(self):
        self.v2.create_configuration_set(ConfigurationSetName="stream")
        self.v2.create_configuration_set(ConfigurationSetName="other")
        v2 = self.v2
        v2.create_configuration_set_event_destination(ConfigurationSetName="stream", EventDestinationName="sns",
                                                      EventDestination=SNS)
        # names are unique per set, not account-wide
        v2.create_configuration_set_event_destination(ConfigurationSetName="other", EventDestinationName="sns",
                                                      EventDestination=SNS)
        v2.create_configuration_set_event_destination(
            ConfigurationSetName="stream", EventDestinationName="eb",
            EventDestination={"MatchingEventTypes": ["OPEN", "CLICK"], "EventBridgeDestination": {
                "EventBusArn": "arn:aws:events:eu-west-1:123456789012:event-bus/default"}})
        v2.create_configuration_set_event_destination(
            ConfigurationSetName="stream", EventDestinationName="fh",
            EventDestination={"Enabled": True, "MatchingEventTypes": ["SEND"], "KinesisFirehoseDestination": {
                "IamRoleArn": "arn:aws:iam::123456789012:role/ses", "DeliveryStreamArn":
                    "arn:aws:firehose:eu-west-1:123456789012:deliverystream/ses"}})
        got = v2.get_configuration_set_event_destinations(ConfigurationSetName="stream")["EventDestinations"]
        self.assertEqual([d["Name"] for d in got], ["sns", "eb", "fh"])
        self.assertEqual(got[0], dict(SNS, Name="sns"))
        self.assertFalse(got[1]["Enabled"], "Enabled defaults to false")
        self.assertAwsError("AlreadyExistsException", v2.create_configuration_set_event_destination,
                            ConfigurationSetName="stream", EventDestinationName="sns", EventDestination=SNS)
        # update replaces the whole destination
        v2.update_configuration_set_event_destination(ConfigurationSetName="stream", EventDestinationName="sns",
                                                      EventDestination=CW)
        got = v2.get_configuration_set_event_destinations(ConfigurationSetName="stream")["EventDestinations"]
        self.assertEqual(got[0], dict(CW, Name="sns"))
        self.assertAwsError("NotFoundException", v2.update_configuration_set_event_destination,
                            ConfigurationSetName="stream", EventDestinationName="nope", EventDestination=CW, status=404)
        v2.delete_configuration_set_event_destination(ConfigurationSetName="stream", EventDestinationName="eb")
        self.assertAwsError("NotFoundException", v2.delete_configuration_set_event_destination,
                            ConfigurationSetName="stream", EventDestinationName="eb", status=404)
        self.assertEqual(len(v2.get_configuration_set_event_destinations(ConfigurationSetName="other")
                             ["EventDestinations"]), 1)

    def test_destination_refusals(self):
        self.v2.create_configuration_set(ConfigurationSetName="stream")

        def refused(definition, code="BadRequestException", name="d"):
            return self.assertAwsError(code, self.v2.create_configuration_set_event_destination,
                                       ConfigurationSetName="stream", EventDestinationName=name,
                                       EventDestination=definition)

        err = refused(dict(SNS, CloudWatchDestination=CW["CloudWatchDestination"]))
        self.assertIn("one and only one destination", err["Error"]["Message"])
        refused({"MatchingEventTypes": ["SEND"]})
        refused(dict(SNS, MatchingEventTypes=[]))
        refused(dict(SNS, MatchingEventTypes=["BOUNCED"]))
        refused(dict(SNS, SnsDestination={"TopicArn": "arn:aws:sqs:eu-west-1:123456789012:q"}))
        dim = CW["CloudWatchDestination"]["DimensionConfigurations"][0]
        for bad_dim in (dict(dim, DimensionName="has space"), dict(dim, DimensionName="x" * 257),
                        dict(dim, DimensionValueSource="HEADER")):
            refused(dict(CW, CloudWatchDestination={"DimensionConfigurations": [bad_dim]}))
        refused(dict(CW, CloudWatchDestination={"DimensionConfigurations": [
            dict(dim, DimensionName=f"d{i}") for i in range(11)]}))
        refused(SNS, name="bad name")
        self.assertAwsError("NotFoundException", self.v2.create_configuration_set_event_destination,
                            ConfigurationSetName="nope", EventDestinationName="d", EventDestination=SNS, status=404)
        for i in range(10):
            self.v2.create_configuration_set_event_destination(ConfigurationSetName="stream",
                                                               EventDestinationName=f"d{i}", EventDestination=SNS)
        refused(SNS, "LimitExceededException", name="d10")

    def test_delete_removes_destinations_and_identity_defaults(self):
        v2 = self.v2
        v2.create_configuration_set(ConfigurationSetName="stream")
        v2.create_configuration_set_event_destination(ConfigurationSetName="stream", EventDestinationName="sns",
                                                      EventDestination=SNS)
        v2.put_email_identity_configuration_set_attributes(EmailIdentity="shop.example",
                                                           ConfigurationSetName="stream")
        self.assertEqual(v2.get_email_identity(EmailIdentity="shop.example")["ConfigurationSetName"], "stream")
        v2.delete_configuration_set(ConfigurationSetName="stream")
        self.assertNotIn("ConfigurationSetName", v2.get_email_identity(EmailIdentity="shop.example"))
        v2.create_configuration_set(ConfigurationSetName="stream")
        self.assertEqual(v2.get_configuration_set_event_destinations(ConfigurationSetName="stream")
                         ["EventDestinations"], [])

    def test_identity_default_set(self):
        v2 = self.v2
        v2.put_email_identity_configuration_set_attributes(EmailIdentity="ops@shop.example",
                                                           ConfigurationSetName="notifications")
        self.assertEqual(v2.get_email_identity(EmailIdentity="ops@shop.example")["ConfigurationSetName"],
                         "notifications")
        v2.put_email_identity_configuration_set_attributes(EmailIdentity="ops@shop.example")   # clear
        self.assertNotIn("ConfigurationSetName", v2.get_email_identity(EmailIdentity="ops@shop.example"))
        self.assertAwsError("NotFoundException", v2.put_email_identity_configuration_set_attributes,
                            EmailIdentity="nobody@nowhere.example", ConfigurationSetName="marketing", status=404)
        self.assertAwsError("NotFoundException", v2.put_email_identity_configuration_set_attributes,
                            EmailIdentity="ops@shop.example", ConfigurationSetName="nope", status=404)

    def test_tags(self):
        v2 = self.v2
        v2.create_configuration_set(ConfigurationSetName="stream", Tags=[{"Key": "a", "Value": "1"}])
        v2.tag_resource(ResourceArn=ARN + "stream", Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "3"}])
        self.assertEqual(v2.list_tags_for_resource(ResourceArn=ARN + "stream")["Tags"],
                         [{"Key": "a", "Value": "3"}, {"Key": "b", "Value": "2"}])
        v2.untag_resource(ResourceArn=ARN + "stream", TagKeys=["a"])
        self.assertEqual(self.get()["Tags"], [{"Key": "b", "Value": "2"}])
        self.assertAwsError("NotFoundException", v2.list_tags_for_resource, ResourceArn=ARN + "nope")

    def test_v1_sees_v2_destinations_and_options(self):
        v2 = self.v2
        v2.create_configuration_set(ConfigurationSetName="stream", DeliveryOptions={"TlsPolicy": "REQUIRE"},
                                    TrackingOptions={"CustomRedirectDomain": "t.shop.example"},
                                    ReputationOptions={"ReputationMetricsEnabled": True})
        v2.create_configuration_set_event_destination(
            ConfigurationSetName="stream", EventDestinationName="cw",
            EventDestination=dict(CW, MatchingEventTypes=["SEND", "DELIVERY_DELAY", "RENDERING_FAILURE"]))
        v2.create_configuration_set_event_destination(
            ConfigurationSetName="stream", EventDestinationName="eb",
            EventDestination={"MatchingEventTypes": ["OPEN"], "EventBridgeDestination": {
                "EventBusArn": "arn:aws:events:eu-west-1:123456789012:event-bus/default"}})
        d = self.v1.describe_configuration_set(
            ConfigurationSetName="stream", ConfigurationSetAttributeNames=[
                "eventDestinations", "trackingOptions", "deliveryOptions", "reputationOptions"])
        (dest,) = d["EventDestinations"]            # EventBridge has no v1 form
        self.assertEqual(dest["Name"], "cw")
        self.assertEqual(dest["MatchingEventTypes"], ["send", "renderingFailure"])
        self.assertEqual(dest["CloudWatchDestination"]["DimensionConfigurations"][0]["DimensionValueSource"],
                         "messageTag")
        self.assertEqual(d["DeliveryOptions"], {"TlsPolicy": "Require"})
        self.assertEqual(d["TrackingOptions"], {"CustomRedirectDomain": "t.shop.example"})
        self.assertEqual(d["ReputationOptions"], {"SendingEnabled": True, "ReputationMetricsEnabled": True})
        # a v1-created destination joins the same list
        self.v1.create_configuration_set_event_destination(ConfigurationSetName="stream", EventDestination={
            "Name": "sns-v1", "Enabled": True, "MatchingEventTypes": ["bounce"],
            "SNSDestination": {"TopicARN": TOPIC}})
        got = v2.get_configuration_set_event_destinations(ConfigurationSetName="stream")["EventDestinations"]
        self.assertEqual(got[-1], {"Name": "sns-v1", "Enabled": True, "MatchingEventTypes": ["BOUNCE"],
                                   "SnsDestination": {"TopicArn": TOPIC}})
        self.assertAwsError("ConfigurationSetDoesNotExist", self.v1.describe_configuration_set,
                            ConfigurationSetName="nope")

    def send_count(self, name):
        cw = self.emu.client("cloudwatch")
        now = datetime.datetime.now(datetime.timezone.utc)
        r = cw.get_metric_data(StartTime=now - datetime.timedelta(hours=1), EndTime=now + datetime.timedelta(minutes=5),
                               MetricDataQueries=[{"Id": "s", "MetricStat": {"Metric": {
                                   "Namespace": "AWS/SES", "MetricName": "Send",
                                   "Dimensions": [{"Name": "ses:configuration-set", "Value": name}]},
                                   "Period": 3600 * 2, "Stat": "Sum"}}])
        return sum(r["MetricDataResults"][0]["Values"])

    def test_sending_with_a_set_counts_in_cloudwatch(self):
        v2 = self.v2
        v2.create_configuration_set(ConfigurationSetName="stream")
        v2.send_email(FromEmailAddress="ops@shop.example", Destination=SIM, Content=SIMPLE,
                      ConfigurationSetName="stream")
        self.assertEqual(self.send_count("stream"), 0, "no CloudWatch destination: nothing published")
        v2.create_configuration_set_event_destination(ConfigurationSetName="stream", EventDestinationName="cw",
                                                      EventDestination=CW)
        v2.send_email(FromEmailAddress="ops@shop.example", Destination=SIM, Content=SIMPLE,
                      ConfigurationSetName="stream")
        self.v1.send_email(Source="ops@shop.example", Destination=SIM, ConfigurationSetName="stream",
                           Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}})
        self.assertEqual(self.send_count("stream"), 2)
        v2.update_configuration_set_event_destination(ConfigurationSetName="stream", EventDestinationName="cw",
                                                      EventDestination=dict(CW, Enabled=False))
        v2.send_email(FromEmailAddress="ops@shop.example", Destination=SIM, Content=SIMPLE,
                      ConfigurationSetName="stream")
        self.assertEqual(self.send_count("stream"), 2)


class DemoStreams(EmuTestCase):
    SEED = "demo"
    FIELDS = ("DeliveryAttempts", "Bounces", "Complaints", "Rejects")

    def destinations(self, name):
        return {d["Name"]: d for d in self.v2.get_configuration_set_event_destinations(
            ConfigurationSetName=name)["EventDestinations"]}

    def test_four_streams(self):
        sets = self.v2.list_configuration_sets()["ConfigurationSets"]
        self.assertEqual(sets, ["transactional", "marketing", "notifications", "legacy-newsletter"])
        got = {n: self.v2.get_configuration_set(ConfigurationSetName=n) for n in sets}
        self.assertEqual({n: (g["SendingOptions"]["SendingEnabled"], g["ReputationOptions"]["ReputationMetricsEnabled"],
                              g["DeliveryOptions"]["TlsPolicy"]) for n, g in got.items()},
                         {"transactional": (True, True, "REQUIRE"), "marketing": (True, True, "OPTIONAL"),
                          "notifications": (True, True, "OPTIONAL"), "legacy-newsletter": (False, False, "OPTIONAL")})
        self.assertEqual(got["transactional"]["SuppressionOptions"]["SuppressedReasons"], ["BOUNCE", "COMPLAINT"])
        self.assertEqual(got["marketing"]["DeliveryOptions"]["SendingPoolName"], "marketing-pool")
        self.assertEqual(got["marketing"]["TrackingOptions"], {"CustomRedirectDomain": "click.marketing.example",
                                                               "HttpsPolicy": "REQUIRE"})

        t = self.destinations("transactional")
        self.assertEqual(list(t), ["bounces-sns", "metrics-cw", "archive-firehose"])
        self.assertEqual(t["bounces-sns"]["SnsDestination"]["TopicArn"],
                         "arn:aws:sns:eu-west-1:123456789012:ses-bounces")
        self.assertEqual(t["bounces-sns"]["MatchingEventTypes"], ["BOUNCE", "COMPLAINT"])
        self.assertEqual(t["metrics-cw"]["CloudWatchDestination"]["DimensionConfigurations"],
                         [{"DimensionName": "ses:configuration-set", "DimensionValueSource": "MESSAGE_TAG",
                           "DefaultDimensionValue": "transactional"}])
        self.assertEqual(set(t["archive-firehose"]["MatchingEventTypes"]), {"SEND", "DELIVERY", "BOUNCE", "COMPLAINT"})
        m = self.destinations("marketing")
        self.assertEqual(list(m), ["marketing-eb", "metrics-cw", "feedback-sns"])
        self.assertEqual(m["feedback-sns"]["SnsDestination"]["TopicArn"],
                         "arn:aws:sns:eu-west-1:123456789012:ses-feedback")
        self.assertEqual(m["marketing-eb"]["EventBridgeDestination"]["EventBusArn"],
                         "arn:aws:events:eu-west-1:123456789012:event-bus/default")
        self.assertEqual(m["metrics-cw"]["CloudWatchDestination"]["DimensionConfigurations"][0]
                         ["DefaultDimensionValue"], "marketing")
        n = self.destinations("notifications")
        self.assertEqual(list(n), ["deliveries-sns"])
        self.assertFalse({"BOUNCE", "COMPLAINT"} & {e for d in n.values() for e in d["MatchingEventTypes"]})
        self.assertEqual(self.destinations("legacy-newsletter"), {})
        for d in list(t.values()) + list(m.values()) + list(n.values()):
            self.assertTrue(d["Enabled"], d["Name"])

        ids = {n: self.v2.get_email_identity(EmailIdentity=n).get("ConfigurationSetName")
               for n in ("marketing.example", "notify.example", "noreply@notify.example", "shop.example")}
        self.assertEqual(ids, {"marketing.example": "marketing", "notify.example": "notifications",
                               "noreply@notify.example": "notifications", "shop.example": "transactional"})
        # marketing is sending: pausing it is a change a console test makes
        self.v2.put_configuration_set_sending_options(ConfigurationSetName="marketing", SendingEnabled=False)
        self.assertEqual(self.emu.state()["configuration_sets"]["marketing"], False)

    def test_per_set_parts_add_up_to_the_account(self):
        split = self.emu.set_points()
        self.assertEqual(set(split["sets"]), {"transactional", "marketing", "notifications", "legacy-newsletter"})
        total = {}
        for points in list(split["sets"].values()) + [split["no_set"]]:
            for p in points:
                t = total.setdefault(p["Timestamp"], [0, 0, 0, 0])
                for k, f in enumerate(self.FIELDS):
                    t[k] += p[f]
                self.assertLessEqual(p["Bounces"] + p["Complaints"], p["DeliveryAttempts"])
        account = self.v1.get_send_statistics()["SendDataPoints"]
        self.assertGreater(len(account), 500)
        for p in account:
            self.assertEqual(total.pop(p["Timestamp"].timestamp()), [p[f] for f in self.FIELDS], p["Timestamp"])
        self.assertLessEqual(len(total), 2)        # the window may have moved on by a bucket
        week = datetime.datetime.now(datetime.timezone.utc).timestamp() - 7 * 86400
        self.assertEqual([p for p in split["sets"]["legacy-newsletter"] if p["Timestamp"] >= week], [])
        shares = {n: sum(p["DeliveryAttempts"] for p in pts) for n, pts in split["sets"].items()}
        self.assertTrue(0.3 < shares["marketing"] / sum(shares.values()) < 0.4, shares)

    def rates(self, name, days=14, metric="Reputation.BounceRate"):
        cw = self.shapes.attach(self.emu.client("cloudwatch"))
        now = datetime.datetime.now(datetime.timezone.utc)
        dims = [{"Name": "ses:configuration-set", "Value": name}] if name else []
        r = cw.get_metric_data(StartTime=now - datetime.timedelta(days=days), EndTime=now,
                               MetricDataQueries=[{"Id": "r", "MetricStat": {"Metric": {
                                   "Namespace": "AWS/SES", "MetricName": metric, "Dimensions": dims},
                                   "Period": 3600, "Stat": "Maximum"}}])["MetricDataResults"][0]
        return dict(zip(r["Timestamps"], r["Values"]))

    def test_per_set_reputation_in_cloudwatch(self):
        marketing = self.rates("marketing")
        when, peak = max(marketing.items(), key=lambda kv: kv[1])
        self.assertGreater(peak, 0.10)
        today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        incident = today - datetime.timedelta(days=2) + datetime.timedelta(hours=12)
        self.assertLess(abs((when - incident).total_seconds()), 24 * 3600, when)
        transactional = self.rates("transactional")
        self.assertGreater(len(transactional), 200)
        # the healthy stream stays under the review line, far below the culprit. The seed's
        # first day is a warm-up: its trailing 24 h window holds only the hours seeded so far,
        # and when the series starts at night that is one quiet hour (1 bounce in 16 sends is
        # 6.25 %, as CI saw at 1:40 UTC; 4.9 % at 21h), so the check starts a day after the
        # first point. Past it, at every hour of the day, the maximum stays under 1.6 %.
        first = min(transactional)
        settled = [v for t, v in transactional.items() if t >= first + datetime.timedelta(days=1)]
        self.assertGreater(len(settled), 200)
        self.assertLess(max(settled), 0.05)
        self.assertGreater(peak, 5 * max(settled))
        self.assertTrue(self.rates("notifications"))
        self.assertEqual(self.rates("legacy-newsletter"), {}, "reputation metrics are off")
        # the account's own series is not mixed with the sets'
        account = self.rates(None)
        self.assertLess(max(account.values()), peak)
        self.assertGreater(max(account.values()), 0.03)

    def test_per_set_counts_in_cloudwatch(self):
        cw = self.emu.client("cloudwatch")
        now = datetime.datetime.now(datetime.timezone.utc)
        split = self.emu.set_points()["sets"]

        def total(name, metric):
            dims = [{"Name": "ses:configuration-set", "Value": name}] if name else []
            r = cw.get_metric_statistics(Namespace="AWS/SES", MetricName=metric, Dimensions=dims,
                                         StartTime=now - datetime.timedelta(days=15), EndTime=now,
                                         Period=86400, Statistics=["Sum"])
            return sum(p["Sum"] for p in r["Datapoints"])

        for name in ("transactional", "marketing"):
            self.assertEqual(total(name, "Send"), sum(p["DeliveryAttempts"] for p in split[name]))
            self.assertEqual(total(name, "Bounce"), sum(p["Bounces"] for p in split[name]))
        self.assertEqual(total("notifications", "Send"), 0, "no CloudWatch destination")
        account = sum(p["DeliveryAttempts"] for p in self.emu.set_points()["no_set"]) + \
            sum(sum(p["DeliveryAttempts"] for p in pts) for pts in split.values())
        self.assertEqual(total(None, "Send"), account)


class StreamsSeed(EmuTestCase):
    SEED = "streams:30"

    def test_streams(self):
        sets = self.v2.list_configuration_sets()["ConfigurationSets"]
        self.assertEqual(sets, [f"stream-{i:04d}" for i in range(30)])
        g = [self.v2.get_configuration_set(ConfigurationSetName=n) for n in sets[:2]]
        self.assertEqual([x["DeliveryOptions"]["TlsPolicy"] for x in g], ["REQUIRE", "OPTIONAL"])
        self.assertTrue(all(x["ReputationOptions"]["ReputationMetricsEnabled"] for x in g))
        d = self.v2.get_configuration_set_event_destinations(ConfigurationSetName="stream-0029")["EventDestinations"]
        self.assertEqual(sorted(k for x in d for k in x if k.endswith("Destination")),
                         ["CloudWatchDestination", "EventBridgeDestination", "SnsDestination"])
        self.assertTrue(all(x["Enabled"] for x in d))
        self.assertEqual(len(self.v2.list_email_identities()["EmailIdentities"]), 20)
        rates = DemoStreams.rates(self, "stream-0007", days=2)
        self.assertGreaterEqual(len(rates), 23)

    def test_large_streams_seed(self):
        self.emu.reset("streams:2000")
        r = self.v2.list_configuration_sets(PageSize=1000)
        self.assertEqual(len(r["ConfigurationSets"]), 1000)


if __name__ == "__main__":
    unittest.main()
