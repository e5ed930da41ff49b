"""sesemu CloudTrail: the management events recorded for mutating calls (caller, raw
User-Agent, requestParameters in CloudTrail's camelCase), LookupEvents with its filters,
time range, paging and errors, the delivery delay, the rate limit, the admin endpoints and
the demo seed's history."""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase, raw_request  # noqa: E402


ACCT = "123456789012"
REGION = "eu-west-1"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
CEILING = 120       # seconds a poll may wait before the test gives up (never a speed limit)
AWS = shutil.which("aws")


def wait_for(fn, what, ceiling=CEILING, step=0.2):
    end = time.monotonic() + ceiling
    while True:
        out = fn()
        if out:
            return out
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(step)


class TrailCase(EmuTestCase):
    SEED = "empty"

    def setUp(self):
        super().setUp()
        self.emu.set_cloudtrail(delay=0, rate=None)
        self.ct = self.shapes.attach(self.emu.client("cloudtrail"))
        self.agents = []
        for client in (self.v2, self.v1):
            client.meta.events.register("before-send", self._capture_agent)

    def tearDown(self):
        self.emu.set_cloudtrail(delay=0, rate=None)
        super().tearDown()

    def _capture_agent(self, request, **kwargs):
        ua = request.headers.get("User-Agent")
        self.agents.append(ua.decode() if isinstance(ua, bytes) else ua)

    def lookup(self, key=None, value=None, client=None, **kw):
        if key:
            kw["LookupAttributes"] = [{"AttributeKey": key, "AttributeValue": value}]
        return (client or self.ct).lookup_events(**kw)

    def events(self, key=None, value=None, **kw):
        """Every page, as (outer, inner) pairs, newest first."""
        out, token = [], None
        while True:
            args = dict(kw, **({"NextToken": token} if token else {}))
            page = self.lookup(key, value, **args)
            out += [(e, json.loads(e["CloudTrailEvent"])) for e in page["Events"]]
            token = page.get("NextToken")
            if not token:
                return out

    def one(self, key, value):
        evs = self.events(key, value)
        self.assertEqual(len(evs), 1, [e for e, _ in evs])
        return evs[0]


class Recording(TrailCase):
    def test_v2_pause_is_recorded_as_cloudtrail_writes_it(self):
        t0 = int(time.time())
        resp = self.v2.put_account_sending_attributes(SendingEnabled=False)
        outer, ev = self.one("EventName", "PutAccountSendingAttributes")
        self.assertEqual(ev["requestParameters"], {"sendingEnabled": False})
        self.assertEqual(ev["userAgent"], self.agents[-1])
        self.assertTrue(ev["userAgent"].startswith("Boto3/"), ev["userAgent"])
        ident = ev["userIdentity"]
        self.assertEqual(ident["type"], "IAMUser")
        self.assertEqual(ident["arn"], f"arn:aws:iam::{ACCT}:user/sesemu-admin")
        self.assertEqual(ident["userName"], "sesemu-admin")
        self.assertEqual(ident["accountId"], ACCT)
        self.assertEqual(ident["accessKeyId"], "AKIDEXAMPLE")
        self.assertRegex(ident["principalId"], r"^AIDA[A-Z2-7]{17}$")
        for k, v in (("eventVersion", "1.08"), ("eventSource", "ses.amazonaws.com"), ("awsRegion", REGION),
                     ("sourceIPAddress", "127.0.0.1"), ("responseElements", None), ("readOnly", False),
                     ("eventType", "AwsApiCall"), ("managementEvent", True), ("recipientAccountId", ACCT),
                     ("eventCategory", "Management")):
            self.assertEqual(ev[k], v, k)
        self.assertNotIn("errorCode", ev)
        self.assertRegex(ev["eventTime"], ISO)
        self.assertEqual(ev["requestID"], resp["ResponseMetadata"]["RequestId"])
        self.assertRegex(ev["eventID"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertEqual(outer["EventId"], ev["eventID"])
        self.assertEqual(outer["ReadOnly"], "false")
        self.assertEqual(outer["Username"], "sesemu-admin")
        self.assertEqual(outer["AccessKeyId"], "AKIDEXAMPLE")
        self.assertEqual(outer["EventSource"], "ses.amazonaws.com")
        when = outer["EventTime"].timestamp()
        self.assertGreaterEqual(when, t0)
        self.assertEqual(datetime.datetime.fromtimestamp(when, datetime.timezone.utc)
                         .strftime("%Y-%m-%dT%H:%M:%SZ"), ev["eventTime"])

    def test_assumed_role_pause_names_the_session(self):
        sts = self.emu.client("sts")
        role = f"arn:aws:iam::{ACCT}:role/ses-operator"
        creds = sts.assume_role(RoleArn=role, RoleSessionName="alice")["Credentials"]
        session = self.emu.session(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
        self.emu.client("sesv2", session=session).put_account_sending_attributes(SendingEnabled=False)
        outer, ev = self.one("Username", "alice")
        self.assertEqual(outer["EventName"], "PutAccountSendingAttributes")
        ident = ev["userIdentity"]
        self.assertEqual(ident["type"], "AssumedRole")
        self.assertEqual(ident["arn"], f"arn:aws:sts::{ACCT}:assumed-role/ses-operator/alice")
        self.assertEqual(ident["accessKeyId"], creds["AccessKeyId"])
        self.assertEqual(outer["AccessKeyId"], creds["AccessKeyId"])
        self.assertTrue(ident["principalId"].startswith("AROA") and ident["principalId"].endswith(":alice"))
        issuer = ident["sessionContext"]["sessionIssuer"]
        self.assertEqual(issuer, {"type": "Role", "principalId": ident["principalId"].split(":")[0],
                                  "arn": role, "accountId": ACCT, "userName": "ses-operator"})
        self.assertEqual(ident["sessionContext"]["attributes"]["mfaAuthenticated"], "false")
        self.assertRegex(ident["sessionContext"]["attributes"]["creationDate"], ISO)
        # AssumeRole itself: by the IAM user, read-only as CloudTrail marks it
        outer, ev = self.one("EventName", "AssumeRole")
        self.assertEqual(outer["EventSource"], "sts.amazonaws.com")
        self.assertEqual(outer["ReadOnly"], "true")
        self.assertEqual(ev["requestParameters"], {"roleArn": role, "roleSessionName": "alice"})
        self.assertIn({"ResourceType": "AWS::IAM::Role", "ResourceName": role}, outer["Resources"])

    def test_v1_calls_use_lower_camel_form_parameters(self):
        self.v1.update_account_sending_enabled(Enabled=False)
        _, ev = self.one("EventName", "UpdateAccountSendingEnabled")
        self.assertEqual(ev["requestParameters"], {"enabled": False})
        self.assertEqual(ev["userAgent"], self.agents[-1])
        self.v2.create_configuration_set(ConfigurationSetName="x")
        self.v1.update_configuration_set_sending_enabled(ConfigurationSetName="x", Enabled=False)
        self.assertFalse(self.v2.get_configuration_set(ConfigurationSetName="x")["SendingOptions"]["SendingEnabled"])
        outer, ev = self.one("EventName", "UpdateConfigurationSetSendingEnabled")
        self.assertEqual(ev["requestParameters"], {"configurationSetName": "x", "enabled": False})
        self.assertEqual(outer["Resources"], [{"ResourceType": "AWS::SES::ConfigurationSet", "ResourceName": "x"}])
        self.v1.verify_email_identity(EmailAddress="ops@a.example")
        _, ev = self.one("EventName", "VerifyEmailIdentity")
        self.assertEqual(ev["requestParameters"], {"emailAddress": "ops@a.example"})

    def test_v2_nested_bodies_and_path_parameters(self):
        self.v2.create_configuration_set(ConfigurationSetName="cs1", SendingOptions={"SendingEnabled": True},
                                         Tags=[{"Key": "team", "Value": "web"}])
        _, ev = self.one("EventName", "CreateConfigurationSet")
        self.assertEqual(ev["requestParameters"], {"configurationSetName": "cs1",
                                                   "sendingOptions": {"sendingEnabled": True},
                                                   "tags": [{"key": "team", "value": "web"}]})
        self.v2.put_configuration_set_sending_options(ConfigurationSetName="cs1", SendingEnabled=False)
        outer, ev = self.one("EventName", "PutConfigurationSetSendingOptions")
        self.assertEqual(ev["requestParameters"], {"configurationSetName": "cs1", "sendingEnabled": False})
        self.assertEqual(outer["Resources"], [{"ResourceType": "AWS::SES::ConfigurationSet", "ResourceName": "cs1"}])

    def test_failed_calls_carry_the_error(self):
        self.assertAwsError("NotFoundException", self.v2.delete_email_identity, EmailIdentity="nope.example")
        _, ev = self.one("EventName", "DeleteEmailIdentity")
        self.assertEqual(ev["errorCode"], "NotFoundException")
        self.assertIn("nope.example", ev["errorMessage"])
        self.assertEqual(ev["requestParameters"], {"emailIdentity": "nope.example"})
        self.assertAwsError("InvalidParameterValue", self.v1.set_identity_feedback_forwarding_enabled,
                            Identity="nope.example", ForwardingEnabled=False)
        _, ev = self.one("EventName", "SetIdentityFeedbackForwardingEnabled")
        self.assertEqual(ev["errorCode"], "InvalidParameterValue")
        self.assertEqual(ev["requestParameters"], {"identity": "nope.example", "forwardingEnabled": False})

    def test_sns_sqs_recorded_reads_and_sends_are_not(self):
        sns = self.emu.client("sns")
        arn = sns.create_topic(Name="ops")["TopicArn"]
        sns.publish(TopicArn=arn, Message="hi")                    # a data event
        sqs = self.emu.client("sqs")
        url = sqs.create_queue(QueueName="q1", Attributes={"VisibilityTimeout": "40"})["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="x")             # a data event
        self.v2.get_account()
        self.v2.list_email_identities()
        self.v1.get_send_quota()
        self.lookup()
        self.emu.state()
        names = [e["eventName"] for e in self.emu.cloudtrail_events()]
        self.assertEqual(sorted(names), ["CreateQueue", "CreateTopic"])
        outer, ev = self.one("EventSource", "sns.amazonaws.com")
        self.assertEqual(ev["requestParameters"], {"name": "ops"})
        outer, ev = self.one("EventSource", "sqs.amazonaws.com")
        self.assertEqual(ev["requestParameters"], {"queueName": "q1", "attributes": {"VisibilityTimeout": "40"}})
        self.assertEqual(outer["Resources"], [{"ResourceType": "AWS::SQS::Queue", "ResourceName": "q1"}])

    def test_bad_signatures_are_not_recorded(self):
        bad = self.emu.session(secret_key="wrong")
        client = self.emu.client("sesv2", session=bad)
        self.assertAwsError("SignatureDoesNotMatch", client.put_account_sending_attributes, SendingEnabled=False)
        self.assertEqual(self.emu.cloudtrail_events(), [])

    def test_user_agent_is_stored_exactly_as_received(self):
        ua = 'sesctl/0.1.0 (reason: pausing  during the "bounce" storm; ticket #42 \u2014 m\u00fcller) curl/8.5.0'

        def tamper(h):
            h["User-Agent"] = ua.encode("utf-8")
        status, _, body = raw_request(self.emu, "PUT", "/v2/email/account/sending", b'{"SendingEnabled":false}',
                                      headers={"Content-Type": "application/json"}, tamper=tamper)
        self.assertEqual(status, 200, body)
        raw = [e for e in self.emu.cloudtrail_events() if e["eventName"] == "PutAccountSendingAttributes"]
        self.assertEqual(raw[0]["userAgent"], ua)
        _, ev = self.one("EventName", "PutAccountSendingAttributes")
        self.assertEqual(ev["userAgent"], ua)
        # botocore's user_agent_extra, appended to the SDK's agent
        client = self.emu.client("sesv2", user_agent_extra="(reason: resume after fix)")
        client.meta.events.register("before-send", self._capture_agent)
        client.put_account_sending_attributes(SendingEnabled=True)
        newest = self.events("EventName", "PutAccountSendingAttributes")[0][1]
        self.assertEqual(newest["userAgent"], self.agents[-1])
        self.assertTrue(newest["userAgent"].endswith("(reason: resume after fix)"), newest["userAgent"])

    def test_user_name_is_configurable(self):
        self.emu.set_cloudtrail(user_name="ci-runner")
        try:
            self.v2.put_account_sending_attributes(SendingEnabled=True)
            outer, ev = self.one("Username", "ci-runner")
            self.assertEqual(ev["userIdentity"]["arn"], f"arn:aws:iam::{ACCT}:user/ci-runner")
        finally:
            self.emu.set_cloudtrail(user_name="sesemu-admin")

    @unittest.skipUnless(AWS, "no aws CLI")
    def test_aws_cli_agent_and_parameters(self):
        p = subprocess.run([AWS, "sesv2", "put-account-sending-attributes", "--no-sending-enabled"],
                           env=self.emu.env(), capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        _, ev = self.one("EventName", "PutAccountSendingAttributes")
        self.assertTrue(ev["userAgent"].startswith("aws-cli/"), ev["userAgent"])
        self.assertEqual(ev["requestParameters"], {"sendingEnabled": False})


class Lookup(TrailCase):
    def _history(self):
        self.v2.create_email_identity(EmailIdentity="a.example")
        self.v2.create_email_identity(EmailIdentity="b.example")
        self.v2.delete_email_identity(EmailIdentity="a.example")
        self.v2.create_configuration_set(ConfigurationSetName="cs1")
        self.v1.update_account_sending_enabled(Enabled=True)
        self.emu.client("sns").create_topic(Name="t1")

    def test_filters(self):
        self._history()
        names = lambda evs: [e["EventName"] for e, _ in evs]  # noqa: E731
        self.assertEqual(names(self.events()), ["CreateTopic", "UpdateAccountSendingEnabled", "CreateConfigurationSet",
                                                "DeleteEmailIdentity", "CreateEmailIdentity", "CreateEmailIdentity"])
        self.assertEqual(len(self.events("EventName", "CreateEmailIdentity")), 2)
        self.assertEqual(names(self.events("EventSource", "sns.amazonaws.com")), ["CreateTopic"])
        self.assertEqual(len(self.events("EventSource", "ses.amazonaws.com")), 5)
        self.assertEqual(len(self.events("Username", "sesemu-admin")), 6)
        self.assertEqual(self.events("Username", "nobody"), [])
        self.assertEqual(names(self.events("ResourceName", "a.example")),
                         ["DeleteEmailIdentity", "CreateEmailIdentity"])
        self.assertEqual(names(self.events("ResourceType", "AWS::SES::ConfigurationSet")), ["CreateConfigurationSet"])
        self.assertEqual(len(self.events("AccessKeyId", "AKIDEXAMPLE")), 6)
        self.assertEqual(len(self.events("ReadOnly", "false")), 6)
        self.assertEqual(self.events("ReadOnly", "true"), [])
        eid = self.events()[2][0]["EventId"]
        self.assertEqual(names(self.events("EventId", eid)), ["CreateConfigurationSet"])

    def test_regions_are_separate(self):
        self._history()
        other = self.shapes.attach(self.emu.client("cloudtrail", region="us-east-1"))
        self.assertEqual(other.lookup_events()["Events"], [])
        self.emu.client("sesv2", region="us-east-1").create_email_identity(EmailIdentity="us.example")
        evs = other.lookup_events()["Events"]
        self.assertEqual([e["EventName"] for e in evs], ["CreateEmailIdentity"])
        self.assertEqual(json.loads(evs[0]["CloudTrailEvent"])["awsRegion"], "us-east-1")
        self.assertEqual(len(self.events()), 6)

    def test_time_range(self):
        now = int(time.time())
        for k, age in enumerate((5000, 4000, 3000, 2000)):
            self.emu.put_cloudtrail_event({"eventName": "PutAccountSendingAttributes",
                                           "eventTime": now - age, "requestParameters": {"sendingEnabled": k % 2 == 1}})
        got = self.events(StartTime=now - 4500, EndTime=now - 2500)
        self.assertEqual([e["EventTime"].timestamp() for e, _ in got], [now - 3000, now - 4000])
        self.assertEqual(len(self.events(StartTime=now - 4000)), 3)     # 4000, 3000, 2000
        self.assertEqual(len(self.events(EndTime=now - 4000)), 2)
        self.assertEqual(len(self.events(StartTime=now - 3000, EndTime=now - 3000)), 1)
        self.assertAwsError("InvalidTimeRangeException", self.lookup, StartTime=now - 100, EndTime=now - 200)

    def test_paging_newest_first(self):
        self._history()
        first = self.lookup(MaxResults=2)
        self.assertEqual(len(first["Events"]), 2)
        seen = [e["EventId"] for e in first["Events"]]
        token = first["NextToken"]
        pages = 1
        while token:
            page = self.lookup(MaxResults=2, NextToken=token)
            self.assertLessEqual(len(page["Events"]), 2)
            seen += [e["EventId"] for e in page["Events"]]
            token = page.get("NextToken")
            pages += 1
        self.assertEqual(pages, 3)
        self.assertEqual(seen, [e["EventId"] for e, _ in self.events()])
        self.assertEqual(len(set(seen)), 6)
        times = [e["EventTime"] for e, _ in self.events()]
        self.assertEqual(times, sorted(times, reverse=True))
        # a page boundary stays put when newer events arrive meanwhile
        first = self.lookup(MaxResults=3)
        self.v2.create_email_identity(EmailIdentity="late.example")
        rest = self.lookup(MaxResults=50, NextToken=first["NextToken"])
        self.assertEqual(len(rest["Events"]), 3)
        self.assertNotIn("late.example", "".join(e["CloudTrailEvent"] for e in rest["Events"]))

    def test_bad_inputs(self):
        raw = self.emu.client("cloudtrail", parameter_validation=False)
        two = [{"AttributeKey": "EventName", "AttributeValue": "A"},
               {"AttributeKey": "Username", "AttributeValue": "b"}]
        self.assertAwsError("InvalidLookupAttributesException", raw.lookup_events, LookupAttributes=two, status=400)
        self.assertAwsError("InvalidLookupAttributesException", raw.lookup_events,
                            LookupAttributes=[{"AttributeKey": "Color", "AttributeValue": "blue"}])
        for n in (0, 51, -1):
            self.assertAwsError("InvalidMaxResultsException", raw.lookup_events, MaxResults=n)
        for token in ("garbage", "c2VzZW11OjE="):
            self.assertAwsError("InvalidNextTokenException", raw.lookup_events, NextToken=token)
        self.assertAwsError("InvalidTimeRangeException", raw.lookup_events, StartTime=2000, EndTime=1000)
        # JSON 1.1 error shape on the wire
        status, headers, body = raw_request(
            self.emu, "POST", "/", json.dumps({"MaxResults": 99}).encode(), service="cloudtrail",
            headers={"Content-Type": "application/x-amz-json-1.1",
                     "X-Amz-Target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"})
        self.assertEqual(status, 400)
        self.assertEqual(headers["content-type"], "application/x-amz-json-1.1")
        self.assertEqual(json.loads(body)["__type"], "InvalidMaxResultsException")
        self.assertIn("message", json.loads(body))

    def test_signature_is_checked(self):
        client = self.emu.client("cloudtrail", session=self.emu.session(secret_key="wrong"))
        self.assertAwsError("SignatureDoesNotMatch", client.lookup_events, status=403)
        client = self.emu.client("cloudtrail", session=self.emu.session(access_key="AKIDNOBODY"))
        self.assertAwsError("UnrecognizedClientException", client.lookup_events, status=403)

    def test_rate_limit(self):
        self.emu.set_cloudtrail(rate=0.001)       # a first call, then nothing for a long time
        self.lookup()
        self.assertAwsError("ThrottlingException", self.lookup, status=400)
        self.emu.set_cloudtrail(rate=None)
        self.lookup()


class DeliveryAndAdmin(TrailCase):
    def test_delay(self):
        self.emu.set_cloudtrail_delay(600)
        self.v2.put_account_sending_attributes(SendingEnabled=False)
        raw = self.emu.cloudtrail_events()
        self.assertEqual(len(raw), 1)
        self.assertFalse(raw[0]["sesemu"]["delivered"])
        self.assertEqual(raw[0]["userAgent"], self.agents[-1])
        self.assertEqual(self.lookup()["Events"], [])
        self.emu.set_cloudtrail_delay(1.5)
        evs = wait_for(lambda: self.lookup()["Events"], "the event after the delay")
        seen = time.time()
        self.assertGreaterEqual(seen, raw[0]["sesemu"]["recorded"] + 1.5)
        self.assertEqual(evs[0]["EventId"], raw[0]["eventID"])
        self.assertTrue(self.emu.cloudtrail_events()[0]["sesemu"]["delivered"])
        # delay 0: the very next lookup sees it
        self.emu.set_cloudtrail_delay(0)
        self.v2.put_account_sending_attributes(SendingEnabled=True)
        self.assertEqual(len(self.lookup()["Events"]), 2)
        self.assertEqual(self.emu.cloudtrail()["delay"], 0)

    def test_default_delay_is_three_seconds(self):
        self.emu.set_cloudtrail(delay=3)
        self.v2.put_account_sending_attributes(SendingEnabled=False)
        raw = self.emu.cloudtrail_events()[0]
        self.assertAlmostEqual(raw["sesemu"]["visibleAt"] - raw["sesemu"]["recorded"], 3, places=3)

    def test_injected_events_and_reset(self):
        when = int(time.time()) - 10 * 86400
        iso = datetime.datetime.fromtimestamp(when, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        ev = self.emu.put_cloudtrail_event({"eventName": "DeleteEmailIdentity", "eventTime": iso,
                                            "requestParameters": {"emailIdentity": "gone.example"},
                                            "userAgent": "console.amazonaws.com"})
        self.assertEqual(ev["eventTime"], iso)
        self.assertEqual(ev["eventSource"], "ses.amazonaws.com")
        self.assertEqual(ev["awsRegion"], REGION)
        self.assertFalse(ev["readOnly"])
        self.v2.create_email_identity(EmailIdentity="kept.example")
        raw = self.emu.cloudtrail_events()
        self.assertEqual([e["eventName"] for e in raw], ["DeleteEmailIdentity", "CreateEmailIdentity"])
        self.assertEqual(raw[0]["sesemu"]["resources"],
                         [{"ResourceType": "AWS::SES::EmailIdentity", "ResourceName": "gone.example"}])
        outer, inner = self.one("ResourceName", "gone.example")
        self.assertEqual(inner["userAgent"], "console.amazonaws.com")
        self.assertEqual(outer["EventTime"].timestamp(), when)
        # older than CloudTrail's 90 days: stored, but LookupEvents does not reach it
        self.emu.put_cloudtrail_event({"eventName": "DeleteEmailIdentity", "eventTime": when - 100 * 86400,
                                       "requestParameters": {"emailIdentity": "ancient.example"}})
        self.assertEqual(self.events("ResourceName", "ancient.example"), [])
        self.assertEqual(len(self.events("ResourceName", "ancient.example", StartTime=when - 101 * 86400)), 1)
        self.emu.reset()
        self.assertEqual(self.emu.cloudtrail_events(), [])
        self.assertEqual(self.lookup()["Events"], [])
        self.assertRaises(RuntimeError, self.emu.put_cloudtrail_event, {"eventTime": "2026-01-02T03:04:05Z"})


class Flags(EmuTestCase):
    ARGS = ("--cloudtrail-delay", "0.25", "--cloudtrail-rate", "2", "--cloudtrail-user", "ci-runner")

    def test_command_line(self):
        cfg = self.emu.cloudtrail()
        self.assertEqual((cfg["delay"], cfg["rate"], cfg["user_name"]), (0.25, 2.0, "ci-runner"))
        self.emu.clear_faults()             # the CloudTrail limit is not a fault rule
        self.assertEqual(self.emu.faults()["service_limits"], {"ct:LookupEvents": 2.0})
        self.v2.put_account_sending_attributes(SendingEnabled=False)
        raw = self.emu.cloudtrail_events()
        self.assertEqual(raw[0]["userIdentity"]["arn"], f"arn:aws:iam::{ACCT}:user/ci-runner")


class DemoHistory(TrailCase):
    SEED = "demo"

    def test_console_pause_and_resume(self):
        self.emu.set_cloudtrail_delay(3)       # seeded history is old: visible at once
        now = time.time()
        evs = self.events("EventName", "PutAccountSendingAttributes")
        self.assertEqual(len(evs), 2)
        (resume, r), (pause, p) = evs
        self.assertEqual(p["requestParameters"], {"sendingEnabled": False})
        self.assertEqual(r["requestParameters"], {"sendingEnabled": True})
        self.assertAlmostEqual(pause["EventTime"].timestamp(), now - 3 * 86400, delta=300)
        self.assertEqual(resume["EventTime"].timestamp() - pause["EventTime"].timestamp(), 7200)
        arn = f"arn:aws:sts::{ACCT}:assumed-role/AWSReservedSSO_AdministratorAccess_abc123/maria@example.com"
        for outer, ev in evs:
            self.assertEqual(outer["Username"], "maria@example.com")
            self.assertEqual(ev["userIdentity"]["type"], "AssumedRole")
            self.assertEqual(ev["userIdentity"]["arn"], arn)
            self.assertEqual(ev["userAgent"], "AWS Internal")
            self.assertEqual(ev["sessionCredentialFromConsole"], "true")
        self.assertTrue(self.v2.get_account()["SendingEnabled"])
        self.assertEqual(len(self.events("Username", "maria@example.com")), 3)

    def test_cli_deletion(self):
        evs = self.events("ResourceName", "promo.shop.example")
        self.assertEqual(len(evs), 2)
        (retry, rv), (delete, d) = evs
        self.assertEqual(delete["EventName"], "DeleteEmailIdentity")
        self.assertEqual(d["userIdentity"]["type"], "IAMUser")
        self.assertEqual(d["userIdentity"]["userName"], "jens")
        self.assertEqual(d["userAgent"], "aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0 exe/x86_64.debian.12 prompt/off "
                                         "command/sesv2.delete-email-identity")
        self.assertNotIn("errorCode", d)
        self.assertEqual(rv["errorCode"], "NotFoundException")
        self.assertAlmostEqual(delete["EventTime"].timestamp(), time.time() - 2 * 86400, delta=300)
        self.assertAwsError("NotFoundException", self.v2.get_email_identity, EmailIdentity="promo.shop.example")

    def test_whole_history_and_reset(self):
        names = [e["EventName"] for e, _ in self.events()]
        self.assertEqual(names, ["CreateEmailIdentity", "PutEmailIdentityFeedbackAttributes", "DeleteEmailIdentity",
                                 "DeleteEmailIdentity", "PutAccountSendingAttributes", "PutAccountSendingAttributes",
                                 "SetIdentityFeedbackForwardingEnabled", "PutConfigurationSetSendingOptions"])
        self.assertEqual(self.v2.get_configuration_set(ConfigurationSetName="legacy-newsletter")
                         ["SendingOptions"]["SendingEnabled"], False)
        self.v2.put_account_sending_attributes(SendingEnabled=True)
        self.assertEqual(len(self.events()), 9)
        self.emu.reset()
        self.assertEqual(len(self.events()), 8)


if __name__ == "__main__":
    unittest.main()
