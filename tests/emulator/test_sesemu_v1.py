"""sesemu: SES v1 extensions (receipt rules and filters, account sending, statistics),
CloudWatch reputation metrics and Mail Manager lists, on the demo account."""

import collections
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase, raw_request  # noqa: E402


def rule_names(client, rule_set):
    return [r["Name"] for r in client.describe_receipt_rule_set(RuleSetName=rule_set)["Rules"]]


class ReceiptRules(EmuTestCase):
    SEED = "demo"

    def test_demo_rule_sets_and_the_support_scenario(self):
        active = self.v1.describe_active_receipt_rule_set()
        self.assertEqual(active["Metadata"]["Name"], "inbound-main")
        rules = active["Rules"]
        self.assertEqual([r["Name"] for r in rules][:2], ["spam-drop", "support-to-s3"])
        spam, support = rules[0], rules[1]
        self.assertIn("help.shop.example", spam["Recipients"])
        self.assertEqual([list(a)[0] for a in spam["Actions"]], ["BounceAction", "StopAction"])
        self.assertEqual([list(a)[0] for a in support["Actions"]], ["S3Action", "SNSAction"])
        kinds = {list(a)[0] for r in rules for a in r["Actions"]}
        self.assertTrue({"S3Action", "SNSAction", "LambdaAction", "BounceAction", "StopAction",
                         "AddHeaderAction", "WorkmailAction"} <= kinds, kinds)
        sets = {s["Name"] for s in self.v1.list_receipt_rule_sets()["RuleSets"]}
        self.assertEqual(sets, {"inbound-main", "inbound-legacy"})

    def test_set_receipt_rule_position(self):
        # the operator moves support-to-s3 above spam-drop
        self.v1.set_receipt_rule_position(RuleSetName="inbound-main", RuleName="support-to-s3")
        self.assertEqual(rule_names(self.v1, "inbound-main")[:2], ["support-to-s3", "spam-drop"])
        self.v1.set_receipt_rule_position(RuleSetName="inbound-main", RuleName="support-to-s3", After="staff-workmail")
        names = rule_names(self.v1, "inbound-main")
        self.assertEqual(names.index("support-to-s3"), names.index("staff-workmail") + 1)
        self.assertAwsError("RuleDoesNotExist", self.v1.set_receipt_rule_position, RuleSetName="inbound-main",
                            RuleName="nope")
        self.assertAwsError("RuleSetDoesNotExist", self.v1.set_receipt_rule_position, RuleSetName="nope",
                            RuleName="spam-drop")
        self.assertEqual(sorted(rule_names(self.v1, "inbound-main")), sorted(names))

    def test_reorder_and_delete(self):
        names = rule_names(self.v1, "inbound-main")
        self.v1.reorder_receipt_rule_set(RuleSetName="inbound-main", RuleNames=list(reversed(names)))
        self.assertEqual(rule_names(self.v1, "inbound-main"), list(reversed(names)))
        self.assertAwsError("RuleDoesNotExist", self.v1.reorder_receipt_rule_set, RuleSetName="inbound-main",
                            RuleNames=names[:-1] + ["ghost"])
        self.assertAwsError("InvalidParameterValue", self.v1.reorder_receipt_rule_set, RuleSetName="inbound-main",
                            RuleNames=names[:-1])
        self.v1.delete_receipt_rule(RuleSetName="inbound-main", RuleName="spam-drop")
        self.assertNotIn("spam-drop", rule_names(self.v1, "inbound-main"))
        self.assertAwsError("RuleSetDoesNotExist", self.v1.delete_receipt_rule, RuleSetName="nope", RuleName="x")

    def test_create_rule_with_existing_name_is_refused(self):
        self.assertAwsError("AlreadyExists", self.v1.create_receipt_rule, RuleSetName="inbound-main",
                            Rule={"Name": "spam-drop", "Enabled": False,
                                  "Actions": [{"StopAction": {"Scope": "RuleSet"}}]})
        self.v1.create_receipt_rule(RuleSetName="inbound-main", After="spam-drop",
                                    Rule={"Name": "tag-it", "Enabled": True,
                                          "Actions": [{"AddHeaderAction": {"HeaderName": "X-T", "HeaderValue": "1"}}]})
        self.assertEqual(rule_names(self.v1, "inbound-main")[1], "tag-it")

    def test_rules_may_name_the_demo_bucket_topic_and_function(self):
        region, acct = "eu-west-1", "123456789012"
        self.v1.create_receipt_rule(RuleSetName="inbound-main", After="support-to-s3", Rule={
            "Name": "billing-archive", "Enabled": True, "Recipients": ["billing@shop.example"], "Actions": [
                {"S3Action": {"BucketName": "shop-inbound-mail", "ObjectKeyPrefix": "billing/",
                              "TopicArn": f"arn:aws:sns:{region}:{acct}:inbound-mail"}},
                {"LambdaAction": {"FunctionArn": f"arn:aws:lambda:{region}:{acct}:function:parse-invoice"}}]})
        self.assertIn("billing-archive", rule_names(self.v1, "inbound-main"))
        self.assertAwsError("InvalidS3Configuration", self.v1.create_receipt_rule, RuleSetName="inbound-main",
                            Rule={"Name": "nobucket", "Enabled": True,
                                  "Actions": [{"S3Action": {"BucketName": "no-such-bucket"}}]})

    def test_receipt_filters(self):
        filters = self.v1.list_receipt_filters()["Filters"]
        self.assertIn({"Name": "block-spammer", "IpFilter": {"Policy": "Block", "Cidr": "198.51.100.23"}}, filters)
        self.v1.create_receipt_filter(Filter={"Name": "new-block", "IpFilter": {"Policy": "Block",
                                                                               "Cidr": "10.0.0.0/8"}})
        self.assertAwsError("AlreadyExists", self.v1.create_receipt_filter,
                            Filter={"Name": "new-block", "IpFilter": {"Policy": "Block", "Cidr": "10.0.0.1"}})
        self.assertAwsError("InvalidParameterValue", self.v1.create_receipt_filter,
                            Filter={"Name": "bad", "IpFilter": {"Policy": "Block", "Cidr": "10.0.0.0/99"}})
        self.assertIn("new-block", [f["Name"] for f in self.v1.list_receipt_filters()["Filters"]])
        self.v1.delete_receipt_filter(FilterName="new-block")
        self.assertNotIn("new-block", [f["Name"] for f in self.v1.list_receipt_filters()["Filters"]])


class StatisticsAndMetrics(EmuTestCase):
    SEED = "demo"

    def test_send_statistics_two_weeks_with_a_bounce_incident(self):
        points = self.v1.get_send_statistics()["SendDataPoints"]
        stamps = [p["Timestamp"] for p in points]
        self.assertNotEqual(stamps, sorted(stamps), "SES does not return points in time order")
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertGreater(min(stamps), now - datetime.timedelta(days=14, minutes=16))
        # the series ends now: quiet night buckets may be missing, but not two hours of them
        self.assertLess(now - max(stamps), datetime.timedelta(hours=2))
        self.assertTrue(all(s.minute % 15 == 0 and s.second == 0 for s in stamps))
        self.assertGreater(len(points), 14 * 50)
        self.assertLess(len(points), 14 * 96 + 1)
        days = collections.defaultdict(lambda: [0, 0, 0])
        for p in points:
            d = days[p["Timestamp"].date()]
            d[0] += p["DeliveryAttempts"]
            d[1] += p["Bounces"]
            d[2] += p["Complaints"]
        rates = {day: b / a for day, (a, b, c) in days.items() if a > 1000}
        self.assertEqual(len([r for r in rates.values() if r > 0.05]), 1, rates)
        self.assertLess(sorted(rates.values())[len(rates) // 2], 0.02)
        comp = {day: c / a for day, (a, b, c) in days.items() if a > 1000}
        self.assertGreater(max(comp.values()), 3 * sorted(comp.values())[len(comp) // 2])

    def test_quota_and_account_sending(self):
        q = self.v1.get_send_quota()
        self.assertEqual((q["Max24HourSend"], q["MaxSendRate"]), (50000.0, 14.0))
        self.assertGreater(q["SentLast24Hours"], 0)
        self.assertTrue(self.v1.get_account_sending_enabled()["Enabled"])
        self.v1.update_account_sending_enabled(Enabled=False)
        self.assertFalse(self.v2.get_account()["SendingEnabled"])

    def test_cloudwatch_reputation_metrics(self):
        cw = self.emu.client("cloudwatch")
        now = datetime.datetime.now(datetime.timezone.utc)
        stats = cw.get_metric_statistics(Namespace="AWS/SES", MetricName="Reputation.BounceRate",
                                         StartTime=now - datetime.timedelta(days=14), EndTime=now,
                                         Period=86400, Statistics=["Maximum", "Average"])["Datapoints"]
        self.assertGreaterEqual(len(stats), 13)
        self.assertGreater(max(d["Maximum"] for d in stats), 0.05)
        self.assertLess(min(d["Average"] for d in stats), 0.03)
        r = cw.get_metric_data(StartTime=now - datetime.timedelta(days=14), EndTime=now, MetricDataQueries=[
            {"Id": "c", "MetricStat": {"Metric": {"Namespace": "AWS/SES", "MetricName": "Reputation.ComplaintRate"},
                                       "Period": 3600, "Stat": "Maximum"}},
            {"Id": "s", "MetricStat": {"Metric": {"Namespace": "AWS/SES", "MetricName": "Send"},
                                       "Period": 86400, "Stat": "Sum"}}])
        res = {x["Id"]: x for x in r["MetricDataResults"]}
        self.assertGreater(len(res["c"]["Values"]), 300)
        self.assertGreater(max(res["c"]["Values"]), 0.001)
        self.assertGreater(sum(res["s"]["Values"]), 100000)

    def test_cloudwatch_query_protocol_as_sesctl_sends_it(self):
        import urllib.parse
        import xml.etree.ElementTree as ET
        now = datetime.datetime.now(datetime.timezone.utc)
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        form = {"Action": "GetMetricData", "Version": "2010-08-01",
                "StartTime": (now - datetime.timedelta(days=14)).strftime(fmt), "EndTime": now.strftime(fmt),
                "MetricDataQueries.member.1.Id": "b",
                "MetricDataQueries.member.1.MetricStat.Metric.Namespace": "AWS/SES",
                "MetricDataQueries.member.1.MetricStat.Metric.MetricName": "Reputation.BounceRate",
                "MetricDataQueries.member.1.MetricStat.Period": "86400",
                "MetricDataQueries.member.1.MetricStat.Stat": "Maximum"}
        status, headers, body = raw_request(self.emu, "POST", "/", urllib.parse.urlencode(form).encode(),
                                            {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                                            service="monitoring")
        self.assertEqual(status, 200, body)
        ns = {"cw": "http://monitoring.amazonaws.com/doc/2010-08-01/"}
        values = [float(v.text) for v in ET.fromstring(body).iterfind(".//cw:Values/cw:member", ns)]
        self.assertGreaterEqual(len(values), 13)
        self.assertGreater(max(values), 0.05)
        status, _, body = raw_request(self.emu, "POST", "/", urllib.parse.urlencode(form).encode(),
                                      {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                                      service="monitoring", secret="wrong")
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", body)

    def test_vdm_batch_get_metric_data(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        r = self.v2.batch_get_metric_data(Queries=[
            {"Id": "send", "Namespace": "VDM", "Metric": "SEND", "StartDate": now - datetime.timedelta(days=7),
             "EndDate": now},
            {"Id": "bounce", "Namespace": "VDM", "Metric": "PERMANENT_BOUNCE",
             "StartDate": now - datetime.timedelta(days=14), "EndDate": now}])
        res = {x["Id"]: x for x in r["Results"]}
        self.assertIn(len(res["send"]["Timestamps"]), (7, 8))
        self.assertEqual(len(res["send"]["Timestamps"]), len(res["send"]["Values"]))
        self.assertGreater(sum(res["bounce"]["Values"]), 0)
        self.assertEqual(r["Errors"], [])
        window = {"StartDate": now - datetime.timedelta(days=7), "EndDate": now}
        r = self.v2.batch_get_metric_data(Queries=[
            {"Id": "gmail", "Namespace": "VDM", "Metric": "SEND", "Dimensions": {"ISP": "Gmail"}, **window},
            {"Id": "shop", "Namespace": "VDM", "Metric": "SEND", "Dimensions": {"EMAIL_IDENTITY": "shop.example"},
             **window},
            {"Id": "ghost", "Namespace": "VDM", "Metric": "SEND", "Dimensions": {"EMAIL_IDENTITY": "no.example"},
             **window}])
        parts = {x["Id"]: sum(x["Values"]) for x in r["Results"]}
        total = sum(res["send"]["Values"])
        self.assertTrue(0 < parts["shop"] < parts["gmail"] < total, (parts, total))
        self.assertEqual(parts["ghost"], 0)
        self.assertAwsError("BadRequestException", self.v2.batch_get_metric_data, Queries=[
            {"Id": "bad", "Namespace": "VDM", "Metric": "SEND", "Dimensions": {"COUNTRY": "NZ"}, **window}])

    def test_mail_manager_lists(self):
        mm = self.shapes.attach(self.emu.client("mailmanager"))
        self.assertEqual({r["RuleSetName"] for r in mm.list_rule_sets()["RuleSets"]}, {"journaling", "inbound-filtering"})
        self.assertEqual(len(mm.list_traffic_policies()["TrafficPolicies"]), 2)
        pts = mm.list_ingress_points(PageSize=1)
        self.assertEqual(len(pts["IngressPoints"]), 1)
        more = mm.list_ingress_points(PageSize=1, NextToken=pts["NextToken"])
        self.assertNotIn("NextToken", more)
        self.assertNotEqual(pts["IngressPoints"], more["IngressPoints"])
        self.assertEqual({a["ArchiveState"] for a in mm.list_archives()["Archives"]}, {"ACTIVE", "PENDING_DELETION"})

    def test_identity_attributes_v1(self):
        names = ["shop.example", "newbrand.example", "legacy-brand.example", "ops@shop.example"]
        v = self.v1.get_identity_verification_attributes(Identities=names)["VerificationAttributes"]
        self.assertEqual([v[n]["VerificationStatus"] for n in names], ["Success", "Pending", "Failed", "Success"])
        self.assertIn("VerificationToken", v["newbrand.example"])
        mf = self.v1.get_identity_mail_from_domain_attributes(Identities=["shop.example", "billing.example"])
        mf = mf["MailFromDomainAttributes"]
        self.assertEqual(mf["shop.example"]["MailFromDomainStatus"], "Success")
        self.assertEqual(mf["billing.example"]["MailFromDomainStatus"], "Failed")


if __name__ == "__main__":
    unittest.main()
