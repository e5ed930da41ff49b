"""sesemu feedback: v1 identity notification attributes, SNS subscriptions as SNS keeps
them (pending/confirmed, counts, dead and cross-account topics), the notifications and
event-publishing records a send to the mailbox simulator produces (read back from SQS
queues subscribed to the topics), the bulk feedback admin endpoint and the demo seed's
feedback routing."""

import json
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase  # noqa: E402

ACCT = "123456789012"
REGION = "eu-west-1"
SIM = "@simulator.amazonses.com"
CANNED = "Bounce, Complaint, or Delivery."
# The model marks BounceTopic/ComplaintTopic/DeliveryTopic required; SES leaves out the ones
# that are not set (so does sesemu), which the strict shape check reports.
UNSET_TOPIC = re.compile(r"^GetIdentityNotificationAttributes\.NotificationAttributes\[[^]]+\]\."
                         r"(Bounce|Complaint|Delivery)Topic: required member missing$")


def topic_arn(name, account=ACCT):
    return f"arn:aws:sns:{REGION}:{account}:{name}"


class FeedbackCase(EmuTestCase):
    SEED = "empty"

    def setUp(self):
        super().setUp()
        self.sns = self.shapes.attach(self.emu.client("sns"))
        self.sqs = self.emu.client("sqs")

    def tearDown(self):
        self.shapes.errors = [e for e in self.shapes.errors if not UNSET_TOPIC.match(e)]
        super().tearDown()

    # ---- helpers ---------------------------------------------------------------------------
    def domain(self, name):
        self.v2.create_email_identity(EmailIdentity=name)
        self.emu.set_identity_status(name, "SUCCESS")
        return name

    def address(self, addr, verified=True):
        self.v2.create_email_identity(EmailIdentity=addr)
        if verified:
            self.emu.verify_identity(addr)
        return addr

    def topic_with_queue(self, name, raw=False):
        arn = self.sns.create_topic(Name=name)["TopicArn"]
        url = self.sqs.create_queue(QueueName=name + "-q")["QueueUrl"]
        qarn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
        if raw:
            self.sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RawMessageDelivery",
                                                 AttributeValue="true")
        return arn, url

    def drain(self, url, raw=False):
        """Every record on a queue: the SNS envelope checked, its Message decoded."""
        out = []
        while True:
            msgs = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not msgs:
                return out
            for m in msgs:
                self.assertNotIn(CANNED, m["Body"])
                if raw:
                    out.append(json.loads(m["Body"]))
                else:
                    env = json.loads(m["Body"])
                    self.assertEqual(env["Type"], "Notification")
                    self.assertIsInstance(env["Message"], str, "Message must be a JSON string")
                    for k in ("MessageId", "TopicArn", "Timestamp", "SignatureVersion", "Signature",
                              "SigningCertURL", "UnsubscribeURL"):
                        self.assertIn(k, env)
                    out.append(json.loads(env["Message"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])

    def v1_send(self, source, to, subject="Hello", **kw):
        return self.v1.send_email(Source=source, Destination={"ToAddresses": to},
                                  Message={"Subject": {"Data": subject}, "Body": {"Text": {"Data": "body"}}},
                                  **kw)["MessageId"]

    def v2_send(self, source, to, subject="Hello", **kw):
        return self.v2.send_email(FromEmailAddress=source, Destination={"ToAddresses": to},
                                  Content={"Simple": {"Subject": {"Data": subject},
                                                      "Body": {"Text": {"Data": "body"}}}}, **kw)["MessageId"]

    def attrs(self, *names):
        return self.v1.get_identity_notification_attributes(Identities=list(names))["NotificationAttributes"]


class NotificationAttributes(FeedbackCase):
    def test_round_trip_clear_and_headers(self):
        d = self.domain("d.test")
        t1, t2 = self.sns.create_topic(Name="b")["TopicArn"], self.sns.create_topic(Name="c")["TopicArn"]
        self.assertEqual(self.attrs(d)[d], {"ForwardingEnabled": True, "HeadersInBounceNotificationsEnabled": False,
                                            "HeadersInComplaintNotificationsEnabled": False,
                                            "HeadersInDeliveryNotificationsEnabled": False})
        self.assertAwsError("InvalidParameterValue", self.v1.set_identity_headers_in_notifications_enabled,
                            Identity=d, NotificationType="Complaint", Enabled=True)     # no topic yet
        self.v1.set_identity_notification_topic(Identity=d, NotificationType="Bounce", SnsTopic=t1)
        self.v1.set_identity_notification_topic(Identity=d, NotificationType="Complaint", SnsTopic=t2)
        self.v1.set_identity_notification_topic(Identity=d, NotificationType="Delivery", SnsTopic=t1)
        self.v1.set_identity_headers_in_notifications_enabled(Identity=d, NotificationType="Complaint", Enabled=True)
        got = self.attrs(d)[d]
        self.assertEqual((got["BounceTopic"], got["ComplaintTopic"], got["DeliveryTopic"]), (t1, t2, t1))
        self.assertTrue(got["HeadersInComplaintNotificationsEnabled"])
        self.assertFalse(got["HeadersInBounceNotificationsEnabled"])
        self.v1.set_identity_notification_topic(Identity=d, NotificationType="Delivery")      # clears
        self.v1.set_identity_headers_in_notifications_enabled(Identity=d, NotificationType="Complaint", Enabled=False)
        got = self.attrs(d)[d]
        self.assertNotIn("DeliveryTopic", got)
        self.assertEqual(got["BounceTopic"], t1)
        self.assertFalse(got["HeadersInComplaintNotificationsEnabled"])
        # an identity ARN names the identity too
        self.assertIn(f"arn:aws:ses:{REGION}:{ACCT}:identity/{d}", self.attrs(f"arn:aws:ses:{REGION}:{ACCT}:identity/{d}"))

    def test_only_known_identities_and_at_most_100(self):
        self.domain("d.test")
        self.assertEqual(set(self.attrs("d.test", "nope.test", "x@nope.test")), {"d.test"})
        self.assertAwsError("InvalidParameterValue", self.v1.get_identity_notification_attributes,
                            Identities=[f"n{i}.test" for i in range(101)])
        self.assertEqual(self.attrs(*[f"n{i}.test" for i in range(100)]), {})
        self.assertAwsError("InvalidParameterValue", self.v1.set_identity_notification_topic,
                            Identity="nope.test", NotificationType="Bounce", SnsTopic=topic_arn("x"))

    def test_forwarding_off_needs_bounce_and_complaint_topics(self):
        d = self.domain("d.test")
        t = self.sns.create_topic(Name="fb")["TopicArn"]
        err = self.assertAwsError("InvalidParameterValue", self.v1.set_identity_feedback_forwarding_enabled,
                                  Identity=d, ForwardingEnabled=False)
        self.assertIn("bounce and complaint", err["Error"]["Message"])
        self.v1.set_identity_notification_topic(Identity=d, NotificationType="Bounce", SnsTopic=t)
        self.assertAwsError("InvalidParameterValue", self.v1.set_identity_feedback_forwarding_enabled,
                            Identity=d, ForwardingEnabled=False)
        self.assertAwsError("BadRequestException", self.v2.put_email_identity_feedback_attributes,
                            EmailIdentity=d, EmailForwardingEnabled=False)
        self.v1.set_identity_notification_topic(Identity=d, NotificationType="Complaint", SnsTopic=t)
        self.v1.set_identity_feedback_forwarding_enabled(Identity=d, ForwardingEnabled=False)
        self.assertFalse(self.attrs(d)[d]["ForwardingEnabled"])
        self.assertFalse(self.v2.get_email_identity(EmailIdentity=d)["FeedbackForwardingStatus"])
        # a topic cannot be removed while forwarding is off
        self.assertAwsError("InvalidParameterValue", self.v1.set_identity_notification_topic,
                            Identity=d, NotificationType="Bounce")
        self.v2.put_email_identity_feedback_attributes(EmailIdentity=d, EmailForwardingEnabled=True)
        self.assertTrue(self.attrs(d)[d]["ForwardingEnabled"])
        self.assertTrue(self.v2.get_email_identity(EmailIdentity=d)["FeedbackForwardingStatus"])
        self.v2.put_email_identity_feedback_attributes(EmailIdentity=d, EmailForwardingEnabled=False)
        self.assertFalse(self.attrs(d)[d]["ForwardingEnabled"])

    def test_deleted_identity_forgets_its_settings(self):
        d = self.domain("d.test")
        self.v1.set_identity_notification_topic(Identity=d, NotificationType="Bounce",
                                                SnsTopic=self.sns.create_topic(Name="x")["TopicArn"])
        self.v1.delete_identity(Identity=d)
        self.assertEqual(self.attrs(d), {})
        self.domain(d)
        self.assertNotIn("BounceTopic", self.attrs(d)[d])

    def test_real_rate_limits_one_per_second(self):
        self.emu.set_faults(real_rate_limits=True)
        self.domain("d.test")
        self.attrs("d.test")
        self.assertAwsError("Throttling", self.v1.get_identity_notification_attributes, Identities=["d.test"])
        time.sleep(1.1)
        self.attrs("d.test")


class Subscriptions(FeedbackCase):
    def counts(self, arn):
        a = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        return a["SubscriptionsConfirmed"], a["SubscriptionsPending"]

    def test_pending_until_confirmed_and_counts(self):
        arn, url = self.topic_with_queue("t")
        self.assertEqual(self.counts(arn), ("1", "0"))
        r = self.sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="ops@d.test")
        self.assertEqual(r["SubscriptionArn"], "pending confirmation")
        self.sns.subscribe(TopicArn=arn, Protocol="https", Endpoint="https://hooks.d.test/ses")
        self.assertEqual(self.counts(arn), ("1", "2"))
        subs = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        by_proto = {s["Protocol"]: s["SubscriptionArn"] for s in subs}
        self.assertEqual(by_proto["email"], "PendingConfirmation")
        self.assertEqual(by_proto["https"], "PendingConfirmation")
        self.assertTrue(by_proto["sqs"].startswith(arn + ":"))
        self.assertIn("PendingConfirmation", [s["SubscriptionArn"] for s in self.sns.list_subscriptions()["Subscriptions"]])
        done = self.emu.confirm_subscription("ops@d.test")["confirmed"]
        self.assertEqual(len(done), 1)
        self.assertEqual(self.counts(arn), ("2", "1"))
        by_proto = {s["Protocol"]: s["SubscriptionArn"]
                    for s in self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]}
        self.assertEqual(by_proto["email"], done[0])
        self.assertEqual(self.sns.get_subscription_attributes(SubscriptionArn=done[0])["Attributes"]
                         ["PendingConfirmation"], "false")
        with self.assertRaises(RuntimeError):
            self.emu.confirm_subscription("ops@d.test")      # nothing pending any more
        pending = [s for s in self.emu.sns_subscriptions() if s["PendingConfirmation"]]
        self.assertEqual([s["Protocol"] for s in pending], ["https"])

    def test_deleted_topic_not_found_and_other_account_denied(self):
        arn = self.sns.create_topic(Name="gone")["TopicArn"]
        self.sns.delete_topic(TopicArn=arn)
        self.assertAwsError("NotFound", self.sns.get_topic_attributes, TopicArn=arn, status=404)
        other = topic_arn("partner-feedback", "210987654321")
        self.assertAwsError("AuthorizationError", self.sns.get_topic_attributes, TopicArn=other, status=403)
        self.assertAwsError("AuthorizationError", self.sns.list_subscriptions_by_topic, TopicArn=other, status=403)

    def test_raw_delivery_and_nothing_to_pending(self):
        arn, url = self.topic_with_queue("raw", raw=True)
        self.sns.publish(TopicArn=arn, Message='{"a":1}')
        self.assertEqual(self.drain(url, raw=True), [{"a": 1}])
        # a queue subscribed but left pending (another account's queue) gets nothing
        q2 = self.sqs.create_queue(QueueName="other")["QueueUrl"]
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:210987654321:other")
        self.assertEqual(self.counts(arn), ("1", "1"))
        self.sns.publish(TopicArn=arn, Message="x")
        self.assertEqual(self.sqs.receive_message(QueueUrl=q2).get("Messages", []), [])


class SendFeedback(FeedbackCase):
    def setUp(self):
        super().setUp()
        self.d = self.domain("d.test")
        self.sender = "app@d.test"
        self.arn, self.url = self.topic_with_queue("fb")
        for kind in ("Bounce", "Complaint", "Delivery"):
            self.v1.set_identity_notification_topic(Identity=self.d, NotificationType=kind, SnsTopic=self.arn)

    def of(self, records, kind):
        return [r for r in records if r.get("notificationType") == kind]

    def test_v1_bounce_documented_shape_without_headers(self):
        mid = self.v1_send(self.sender, ["bounce" + SIM], subject="Order 42")
        recs = self.drain(self.url)
        self.assertEqual(len(recs), 1, recs)
        r = recs[0]
        self.assertEqual(r["notificationType"], "Bounce")
        b = r["bounce"]
        self.assertEqual((b["bounceType"], b["bounceSubType"]), ("Permanent", "General"))
        rc = b["bouncedRecipients"][0]
        self.assertEqual(rc, {"emailAddress": "bounce" + SIM, "action": "failed", "status": "5.1.1",
                              "diagnosticCode": "smtp; 550 5.1.1 user unknown"})
        self.assertIn("reportingMTA", b)
        self.assertTrue(b["feedbackId"])
        m = r["mail"]
        self.assertEqual(m["messageId"], mid)
        self.assertEqual(m["source"], self.sender)
        self.assertEqual(m["sourceArn"], f"arn:aws:ses:{REGION}:{ACCT}:identity/d.test")
        self.assertEqual(m["sendingAccountId"], ACCT)
        self.assertEqual(m["destination"], ["bounce" + SIM])
        self.assertIn("sourceIp", m)
        self.assertRegex(m["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        for k in ("headers", "commonHeaders", "headersTruncated", "tags"):
            self.assertNotIn(k, m)

    def test_v2_bounce_with_headers(self):
        self.v1.set_identity_headers_in_notifications_enabled(Identity=self.d, NotificationType="Bounce", Enabled=True)
        mid = self.v2_send(self.sender, ["bounce" + SIM], subject="Receipt")
        (r,) = self.drain(self.url)
        self.assertEqual(r["notificationType"], "Bounce")
        self.assertEqual(r["bounce"]["bouncedRecipients"][0]["status"], "5.1.1")
        m = r["mail"]
        self.assertEqual(m["messageId"], mid)
        self.assertFalse(m["headersTruncated"])
        self.assertEqual(m["commonHeaders"]["subject"], "Receipt")
        self.assertEqual(m["commonHeaders"]["from"], [self.sender])
        self.assertEqual(m["commonHeaders"]["to"], ["bounce" + SIM])
        self.assertIn({"name": "Subject", "value": "Receipt"}, m["headers"])

    def test_every_simulator_scenario(self):
        to = ["success" + SIM, "ooto" + SIM, "complaint" + SIM, "suppressionlist" + SIM]
        mid = self.v1_send(self.sender, to)
        recs = self.drain(self.url)
        self.assertTrue(all(r["mail"]["messageId"] == mid for r in recs))
        delivered = sorted(r["delivery"]["recipients"][0] for r in self.of(recs, "Delivery"))
        self.assertEqual(delivered, sorted(["success" + SIM, "ooto" + SIM, "complaint" + SIM]))
        d = self.of(recs, "Delivery")[0]["delivery"]
        self.assertTrue(d["smtpResponse"].startswith("250"))
        bounces = {r["bounce"]["bouncedRecipients"][0]["emailAddress"]: r["bounce"] for r in self.of(recs, "Bounce")}
        self.assertEqual((bounces["ooto" + SIM]["bounceType"], bounces["ooto" + SIM]["bounceSubType"]),
                         ("Transient", "General"))
        self.assertEqual((bounces["suppressionlist" + SIM]["bounceType"],
                          bounces["suppressionlist" + SIM]["bounceSubType"]), ("Permanent", "OnAccountSuppressionList"))
        (c,) = self.of(recs, "Complaint")
        self.assertEqual(c["complaint"]["complaintFeedbackType"], "abuse")
        self.assertEqual(c["complaint"]["complainedRecipients"], [{"emailAddress": "complaint" + SIM}])
        self.assertEqual(len(recs), 6)

    def test_raw_email_is_reported_too(self):
        raw = (f"From: {self.sender}\r\nTo: complaint{SIM}\r\nSubject: raw one\r\n\r\nhi\r\n").encode()
        mid = self.v1.send_raw_email(RawMessage={"Data": raw})["MessageId"]
        kinds = sorted(r["notificationType"] for r in self.drain(self.url) if r["mail"]["messageId"] == mid)
        self.assertEqual(kinds, ["Complaint", "Delivery"])

    def test_inheritance(self):
        own_arn, own_url = self.topic_with_queue("own")
        addr = self.address("alice@d.test")
        self.v1.set_identity_notification_topic(Identity=addr, NotificationType="Bounce", SnsTopic=own_arn)
        self.address("pending@d.test", verified=False)
        m1 = self.v1_send("bob@d.test", ["bounce" + SIM])          # not an identity: the domain's
        m2 = self.v1_send(addr, ["bounce" + SIM])                  # verified on its own: its own
        m3 = self.v1_send("pending@d.test", ["bounce" + SIM])      # not verified on its own: the domain's
        dom = [r for r in self.drain(self.url)]
        own = self.drain(own_url)
        self.assertEqual(sorted(r["mail"]["messageId"] for r in dom), sorted([m1, m3]))
        self.assertEqual([r["mail"]["messageId"] for r in own], [m2])
        self.assertEqual(own[0]["mail"]["sourceArn"], f"arn:aws:ses:{REGION}:{ACCT}:identity/{addr}")
        self.assertEqual(dom[0]["mail"]["sourceArn"], f"arn:aws:ses:{REGION}:{ACCT}:identity/d.test")
        # the address has no complaint topic of its own and forwarding on: Return-Path mailbox
        self.v1_send(addr, ["complaint" + SIM])
        fwd = self.emu.feedback()["forwarded"]
        self.assertEqual([(f["type"], f["identity"], f["to"]) for f in fwd], [("Complaint", addr, addr)])

    def test_configuration_set_event_destination(self):
        ev_arn, ev_url = self.topic_with_queue("events")
        self.v2.create_configuration_set(ConfigurationSetName="stream")
        self.v2.create_configuration_set_event_destination(
            ConfigurationSetName="stream", EventDestinationName="sns",
            EventDestination={"Enabled": True, "MatchingEventTypes": ["SEND", "BOUNCE"],
                              "SnsDestination": {"TopicArn": ev_arn}})
        mid = self.v2_send(self.sender, ["bounce" + SIM, "success" + SIM], ConfigurationSetName="stream",
                           EmailTags=[{"Name": "campaign", "Value": "spring"}])
        recs = self.drain(ev_url)
        self.assertEqual(sorted(r["eventType"] for r in recs), ["Bounce", "Send"])
        for r in recs:
            self.assertNotIn("notificationType", r)
            m = r["mail"]
            self.assertEqual(m["messageId"], mid)
            self.assertEqual(m["tags"]["ses:configuration-set"], ["stream"])
            self.assertEqual(m["tags"]["ses:from-domain"], ["d.test"])
            self.assertIn("ses:caller-identity", m["tags"])
            self.assertEqual(m["tags"]["campaign"], ["spring"])
            self.assertIn("commonHeaders", m)              # always in event publishing
            self.assertNotIn("sourceIp", m)                 # a tag in event publishing
            self.assertEqual(m["sourceArn"], f"arn:aws:ses:{REGION}:{ACCT}:identity/d.test")
        bounce = next(r for r in recs if r["eventType"] == "Bounce")
        self.assertEqual(bounce["bounce"]["bouncedRecipients"][0]["emailAddress"], "bounce" + SIM)
        self.assertEqual(next(r for r in recs if r["eventType"] == "Send")["send"], {})
        # the identity's own topic still gets its notifications
        self.assertEqual(sorted(r["notificationType"] for r in self.drain(self.url)), ["Bounce", "Delivery"])
        # a disabled destination publishes nothing; the identity's default set applies without a set name
        self.v2.update_configuration_set_event_destination(
            ConfigurationSetName="stream", EventDestinationName="sns",
            EventDestination={"Enabled": False, "MatchingEventTypes": ["SEND", "BOUNCE"],
                              "SnsDestination": {"TopicArn": ev_arn}})
        self.v2_send(self.sender, ["bounce" + SIM], ConfigurationSetName="stream")
        self.assertEqual(self.drain(ev_url), [])
        self.v2.update_configuration_set_event_destination(
            ConfigurationSetName="stream", EventDestinationName="sns",
            EventDestination={"Enabled": True, "MatchingEventTypes": ["BOUNCE"], "SnsDestination": {"TopicArn": ev_arn}})
        self.v2.put_email_identity_configuration_set_attributes(EmailIdentity=self.d, ConfigurationSetName="stream")
        self.v1_send(self.sender, ["bounce" + SIM])
        self.assertEqual([r["eventType"] for r in self.drain(ev_url)], ["Bounce"])

    def test_no_canned_moto_record(self):
        for local in ("success", "bounce", "complaint", "ooto"):
            self.v1_send(self.sender, [local + SIM])
            self.v2_send(self.sender, [local + SIM])
        recs = self.drain(self.url)       # drain() fails on the canned text
        self.assertEqual(len(recs), 2 * (1 + 1 + 2 + 2))
        self.assertTrue(all(r["notificationType"] in ("Bounce", "Complaint", "Delivery") for r in recs))
        self.assertTrue(all(r["mail"]["source"] == self.sender for r in recs))

    def test_failing_https_subscriber_does_not_break_sends(self):
        self.sns.subscribe(TopicArn=self.arn, Protocol="https", Endpoint="https://127.0.0.1:1/hook")
        self.emu.confirm_subscription("https://127.0.0.1:1/hook")
        mid = self.v1_send(self.sender, ["bounce" + SIM])
        self.assertEqual([r["mail"]["messageId"] for r in self.drain(self.url)], [mid])

    def test_dead_topic_is_logged_not_delivered(self):
        self.sns.delete_topic(TopicArn=self.arn)
        self.v1_send(self.sender, ["bounce" + SIM])
        pub = self.emu.feedback()["published"]
        self.assertEqual([(p["type"], p["delivered"]) for p in pub], [("Bounce", False)])
        self.assertEqual(self.emu.feedback()["forwarded"], [])     # a topic is set: not forwarded


class BulkFeedback(FeedbackCase):
    def test_publishes_n_records_of_the_mix(self):
        arn, url = self.topic_with_queue("bulk", raw=True)
        out = self.emu.publish_feedback("bulk", 300, types={"bounce": 0.6, "complaint": 0.1, "delivery": 0.3},
                                        identity="shop.test", since_seconds=3600, seed=7)
        self.assertEqual(out["published"], 300)
        self.assertEqual(out["topic"], arn)
        recs = self.drain(url, raw=True)
        self.assertEqual(len(recs), 300)
        kinds = [r["notificationType"] for r in recs]
        self.assertGreater(kinds.count("Bounce"), kinds.count("Delivery"))
        self.assertGreater(kinds.count("Delivery"), kinds.count("Complaint"))
        self.assertGreater(kinds.count("Complaint"), 0)
        now = time.time()
        stamps = [r["mail"]["timestamp"] for r in recs]
        self.assertGreater(len(set(stamps)), 250)
        import datetime
        oldest = min(datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=datetime.timezone.utc).timestamp() for s in stamps)
        self.assertTrue(now - 3700 < oldest < now - 1800, oldest)
        bounces = [r["bounce"] for r in recs if r["notificationType"] == "Bounce"]
        codes = {b["bouncedRecipients"][0]["diagnosticCode"].split(" ")[1] for b in bounces}
        self.assertTrue({"550", "552", "554"} <= codes, codes)
        domains = {r["mail"]["destination"][0].split("@")[1] for r in recs}
        self.assertTrue({"gmail.example", "yahoo.example", "corp.example"} <= domains)
        self.assertTrue(all(r["mail"]["sourceArn"].endswith(":identity/shop.test") for r in recs))
        # same seed, same records
        arn2, url2 = self.topic_with_queue("bulk2", raw=True)
        self.emu.publish_feedback("bulk2", 300, types={"bounce": 0.6, "complaint": 0.1, "delivery": 0.3},
                                  identity="shop.test", since_seconds=3600, seed=7)
        again = self.drain(url2, raw=True)
        self.assertEqual(sorted(r["mail"]["messageId"] for r in again), sorted(r["mail"]["messageId"] for r in recs))

    def test_event_schema_through_the_envelope(self):
        arn, url = self.topic_with_queue("ev")
        self.emu.publish_feedback(arn, 20, types={"complaint": 1}, config_set="marketing", schema="event", seed=1)
        recs = self.drain(url)
        self.assertEqual(len(recs), 20)
        self.assertTrue(all(r["eventType"] == "Complaint" for r in recs))
        self.assertTrue(all(r["mail"]["tags"]["ses:configuration-set"] == ["marketing"] for r in recs))

    def test_ten_thousand_and_errors(self):
        arn, url = self.topic_with_queue("big")
        self.assertEqual(self.emu.publish_feedback("big", 10000, seed=3)["published"], 10000)
        n = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        self.assertEqual(n["Attributes"]["ApproximateNumberOfMessages"], "10000")
        with self.assertRaises(RuntimeError):
            self.emu.publish_feedback("missing", 1)
        with self.assertRaises(RuntimeError):
            self.emu.publish_feedback("big", 1, types={"open": 1})


class SqsAtLength(FeedbackCase):
    """What sqsfix.py must keep of moto's SQS while making receive and delete cheap."""

    def counts(self, url):
        a = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        return (int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"]),
                int(a["ApproximateNumberOfMessagesDelayed"]))

    def test_in_flight_counts_deletes_and_handles(self):
        arn, url = self.topic_with_queue("len", raw=True)
        self.emu.publish_feedback("len", 500, seed=5)
        self.assertEqual(self.counts(url), (500, 0, 0))
        first = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)["Messages"]
        second = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)["Messages"]
        self.assertEqual(len(first), 10)
        self.assertFalse({m["MessageId"] for m in first} & {m["MessageId"] for m in second})  # in flight
        self.assertEqual(self.counts(url), (480, 20, 0))
        # the second batch first, one handle twice (SQS accepts it), one made up
        entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(second)]
        out = self.sqs.delete_message_batch(QueueUrl=url, Entries=entries)
        self.assertEqual(len(out["Successful"]), 10)
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=second[0]["ReceiptHandle"])
        bad = self.sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": "x", "ReceiptHandle": "made-up"}])
        self.assertEqual([f["Code"] for f in bad["Failed"]], ["ReceiptHandleIsInvalid"])
        self.assertEqual(self.counts(url), (480, 10, 0))
        # one of the first batch visible again at once, then deleted
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"],
                                           VisibilityTimeout=0)
        self.assertEqual(self.counts(url), (481, 9, 0))
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
        self.assertEqual(self.counts(url), (480, 9, 0))
        self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(first[1:])])
        seen = set()
        while True:
            got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not got:
                break
            seen |= {m["MessageId"] for m in got}
            self.sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
        self.assertEqual(len(seen), 480)
        self.assertFalse(seen & {m["MessageId"] for m in first + second})
        self.assertEqual(self.counts(url), (0, 0, 0))

    def test_delayed_messages_wait(self):
        url = self.sqs.create_queue(QueueName="slow", Attributes={"DelaySeconds": "900"})["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="later")
        self.assertEqual(self.counts(url), (0, 0, 1))
        self.assertEqual(self.sqs.receive_message(QueueUrl=url).get("Messages", []), [])


class DemoFeedback(FeedbackCase):
    SEED = "demo"

    def counts(self, name):
        a = self.sns.get_topic_attributes(TopicArn=topic_arn(name))["Attributes"]
        return int(a["SubscriptionsConfirmed"]), int(a["SubscriptionsPending"])

    def test_identity_settings(self):
        a = self.attrs("shop.example", "billing.example", "support.example", "accounts.example",
                       "marketing.example", "notify.example", "status.example")
        shop = a["shop.example"]
        self.assertEqual((shop["BounceTopic"], shop["ComplaintTopic"], shop["DeliveryTopic"]),
                         (topic_arn("ses-feedback"), topic_arn("ses-feedback"), topic_arn("ses-deliveries")))
        self.assertTrue(shop["HeadersInBounceNotificationsEnabled"])
        self.assertEqual((a["billing.example"]["BounceTopic"], a["billing.example"]["ComplaintTopic"]),
                         (topic_arn("ses-bounces-unconfirmed"), topic_arn("old-complaints")))
        self.assertFalse(a["billing.example"]["ForwardingEnabled"])
        self.assertEqual(a["support.example"]["BounceTopic"], topic_arn("support-feedback"))
        self.assertFalse(a["support.example"]["ForwardingEnabled"])
        partner = topic_arn("partner-feedback", "210987654321")
        self.assertEqual((a["accounts.example"]["BounceTopic"], a["accounts.example"]["ComplaintTopic"]),
                         (partner, partner))
        for name in ("marketing.example", "notify.example", "status.example"):
            self.assertTrue(a[name]["ForwardingEnabled"])
            self.assertFalse({"BounceTopic", "ComplaintTopic"} & set(a[name]), name)
        self.assertFalse(self.v2.get_email_identity(EmailIdentity="billing.example")["FeedbackForwardingStatus"])

    def test_topics_and_subscriptions(self):
        self.assertEqual(self.counts("ses-feedback"), (1, 0))
        self.assertEqual(self.counts("ses-deliveries"), (1, 0))
        self.assertEqual(self.counts("ses-bounces-unconfirmed"), (0, 1))
        self.assertEqual(self.counts("support-feedback"), (0, 0))
        subs = self.sns.list_subscriptions_by_topic(TopicArn=topic_arn("ses-bounces-unconfirmed"))["Subscriptions"]
        self.assertEqual([(s["Protocol"], s["SubscriptionArn"]) for s in subs], [("email", "PendingConfirmation")])
        self.assertAwsError("NotFound", self.sns.get_topic_attributes, TopicArn=topic_arn("old-complaints"))
        self.assertAwsError("AuthorizationError", self.sns.get_topic_attributes,
                            TopicArn=topic_arn("partner-feedback", "210987654321"))
        subs = self.sns.list_subscriptions_by_topic(TopicArn=topic_arn("ses-feedback"))["Subscriptions"]
        self.assertEqual([s["Endpoint"] for s in subs], [f"arn:aws:sqs:{REGION}:{ACCT}:ops-feedback"])

    def test_config_sets(self):
        d = self.v2.get_configuration_set_event_destinations(ConfigurationSetName="marketing")["EventDestinations"]
        fb = next(x for x in d if x["Name"] == "feedback-sns")
        self.assertTrue(fb["Enabled"])
        self.assertEqual(sorted(fb["MatchingEventTypes"]), ["BOUNCE", "COMPLAINT", "DELIVERY"])
        self.assertEqual(fb["SnsDestination"]["TopicArn"], topic_arn("ses-feedback"))
        self.assertEqual(self.v2.get_email_identity(EmailIdentity="marketing.example")["ConfigurationSetName"],
                         "marketing")
        n = self.v2.get_configuration_set_event_destinations(ConfigurationSetName="notifications")["EventDestinations"]
        self.assertFalse([x for x in n if x["Enabled"] and {"BOUNCE", "COMPLAINT"} & set(x["MatchingEventTypes"])])
        self.assertEqual(self.v2.get_email_identity(EmailIdentity="notify.example")["ConfigurationSetName"],
                         "notifications")

    def test_sends_reach_ops_feedback(self):
        url = self.sqs.get_queue_url(QueueName="ops-feedback")["QueueUrl"]
        self.assertEqual(self.sqs.receive_message(QueueUrl=url).get("Messages", []), [])   # no history in the seed
        mid = self.v1_send("orders@shop.example", ["bounce" + SIM], subject="Your order")
        mkt = self.v2_send("deals@marketing.example", ["complaint" + SIM])
        recs = self.drain(url)
        shop = [r for r in recs if r["mail"]["messageId"] == mid]
        self.assertEqual([r["notificationType"] for r in shop], ["Bounce"])
        self.assertEqual(shop[0]["mail"]["commonHeaders"]["subject"], "Your order")     # headers on for Bounce
        kinds = sorted(r.get("eventType") for r in recs if r["mail"]["messageId"] == mkt)
        self.assertEqual(kinds, ["Complaint", "Delivery"])       # through marketing's feedback-sns
        # billing.example: the pending subscriber gets nothing, the deleted topic nothing either
        self.v1_send("billing@billing.example", ["bounce" + SIM, "complaint" + SIM])
        self.emu.publish_feedback("ses-feedback", 50, seed=1)
        self.assertEqual(len(self.drain(url)), 50)


if __name__ == "__main__":
    unittest.main()
