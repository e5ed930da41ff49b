"""Feedback routing and the events tap, headless, against the emulator: the audit's verdict
for every case the demo holds (a live topic, a pending subscription, a deleted topic, a topic
nobody subscribed, another account's topic, forwarding only, a configuration set's SNS
destination), verdicts that change when the account changes, identity notification settings
written and read back with boto3, the forwarding-off rule explained before any call, and the
tap: its queue and subscription created and removed, a bounce to the mailbox simulator read
back with its status and diagnostic, and --follow printing it as it arrives."""

import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import BIN, CliTest  # noqa: E402

ACCT = "123456789012"
TOPIC = f"arn:aws:sns:eu-west-1:{ACCT}:ses-feedback"


def arn(name, account=ACCT):
    return f"arn:aws:sns:eu-west-1:{account}:{name}"


class DemoAudit(CliTest):
    """The demo's verdicts, read only."""
    SEED = "demo"

    def audit(self, *extra):
        r = self.sesctl("feedback", "--json", *extra)
        self.assertEqual(r.code, 0, repr(r))
        return r.json()

    def test_every_verdict_with_its_reason(self):
        doc = self.audit()
        rows = {x["identity"]: x for x in doc["identities"]}
        self.assertEqual(rows["shop.example"]["verdict"], "OK")
        self.assertIn("ses-feedback", rows["shop.example"]["bounce_route"]["reason"])
        self.assertEqual(rows["marketing.example"]["verdict"], "OK")
        self.assertIn("set marketing", rows["marketing.example"]["bounce_route"]["reason"])
        billing = rows["billing.example"]
        self.assertEqual(billing["verdict"], "NOWHERE")
        self.assertIn("pending confirmation", billing["bounce_route"]["reason"])
        self.assertIn("no longer exists", billing["complaint_route"]["reason"])
        self.assertEqual(rows["support.example"]["verdict"], "NOWHERE")
        self.assertIn("no subscribers", rows["support.example"]["bounce_route"]["reason"])
        self.assertEqual(rows["accounts.example"]["verdict"], "UNKNOWN")
        self.assertIn("210987654321", rows["accounts.example"]["bounce_route"]["reason"])
        notify = rows["notify.example"]
        self.assertEqual(notify["verdict"], "MAILBOX-ONLY")
        self.assertIn("@notify.example", notify["mailbox"])
        self.assertGreaterEqual(doc["counts"]["NOWHERE"], 2)
        self.assertEqual(doc["counts"]["NOWHERE"],
                         sum(1 for x in doc["identities"] if x["verdict"] == "NOWHERE"))

    def test_exit_zero_with_bad_verdicts_text_and_csv(self):
        r = self.sesctl("feedback")
        self.assertEqual(r.code, 0, repr(r))          # the verdicts are the data
        self.assertIn("send feedback nowhere", r.err)
        self.assertRegex(r.out, r"\nbilling\.example +NOWHERE ")
        r = self.sesctl("feedback", "--csv")
        self.assertEqual(r.code, 0, repr(r))
        self.assertTrue(r.out.startswith("identity,verdict,bounce,complaint,delivery,why"), r.out[:100])
        r = self.sesctl("feedback", "--verdict", "nowhere", "--json")
        self.assertEqual({x["verdict"] for x in r.json()["identities"]}, {"NOWHERE"})

    def test_one_identity_and_inheritance(self):
        r = self.sesctl("feedback", "billing.example", "--json")
        self.assertEqual(r.code, 0, repr(r))
        one = r.json()
        self.assertEqual(one["bounce_route"]["topic"], arn("ses-bounces-unconfirmed"))
        self.assertFalse(one["forwarding"])
        r = self.sesctl("feedback", "nosuch.example")
        self.assertExit(r, "NOT_FOUND")
        r = self.sesctl("feedback", "--verdict", "bad")
        self.assertExit(r, "USAGE")

    def test_offline_reads_the_cache(self):
        self.assertEqual(self.sesctl("feedback").code, 0)
        r = self.sesctl("--offline", "feedback", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertTrue(r.json()["identities"])


class ChangingRoutes(CliTest):
    """Verdicts follow the account; writes go through the verb table."""
    SEED = "demo"

    def setUp(self):
        super().setUp()
        self.emu.reset("demo")
        self.ses = self.emu.client("ses")
        self.sns = self.emu.client("sns")

    def verdict(self, name, refresh=True):
        args = ["feedback", name, "--json"] + (["--refresh"] if refresh else [])
        r = self.sesctl(*args)
        self.assertEqual(r.code, 0, repr(r))
        return r.json()

    def test_set_and_clear_topics_read_back_with_boto3(self):
        r = self.sesctl("identity", "notifications", "notify.example", "--bounce-topic", TOPIC,
                        "--complaint-topic", TOPIC, "--headers", "on", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["verdict"], "OK")
        got = self.ses.get_identity_notification_attributes(Identities=["notify.example"])
        attrs = got["NotificationAttributes"]["notify.example"]
        self.assertEqual(attrs["BounceTopic"], TOPIC)
        self.assertTrue(attrs["HeadersInBounceNotificationsEnabled"])
        r = self.sesctl("identity", "notifications", "notify.example", "--bounce-topic", "none")
        self.assertEqual(r.code, 0, repr(r))
        attrs = self.ses.get_identity_notification_attributes(
            Identities=["notify.example"])["NotificationAttributes"]["notify.example"]
        self.assertNotIn("BounceTopic", attrs)
        self.assertEqual(self.verdict("notify.example", refresh=False)["bounce"], "MAILBOX-ONLY")

    def test_bad_input_refused_before_any_request(self):
        self.emu.requests(clear=True)
        r = self.sesctl("identity", "notifications", "notify.example", "--bounce-topic", "not-an-arn")
        self.assertExit(r, "USAGE")
        r = self.sesctl("identity", "notifications", "notify.example")
        self.assertExit(r, "USAGE")
        self.assertIn("sesctl feedback notify.example", r.err)
        self.assertEqual(self.emu.requests(), [])

    def test_forwarding_off_needs_both_topics_said_before_calling(self):
        r = self.sesctl("identity", "feedback", "notify.example", "off")
        self.assertExit(r, "USAGE")
        self.assertIn("both a bounce and a complaint topic", r.err)
        attrs = self.ses.get_identity_notification_attributes(
            Identities=["notify.example"])["NotificationAttributes"]["notify.example"]
        self.assertTrue(attrs["ForwardingEnabled"])
        # and clearing a topic of an identity with forwarding off is refused the same way
        r = self.sesctl("identity", "notifications", "support.example", "--bounce-topic", "none")
        self.assertExit(r, "USAGE")
        self.assertIn("forwarding off", r.err)

    def test_confirmation_and_deletion_change_the_verdict(self):
        self.assertEqual(self.verdict("billing.example")["bounce"], "NOWHERE")
        subs = self.sns.list_subscriptions_by_topic(TopicArn=arn("ses-bounces-unconfirmed"))
        pending = [s for s in subs["Subscriptions"] if s["SubscriptionArn"] == "PendingConfirmation"]
        self.assertTrue(pending, subs)
        self.emu.confirm_subscription(pending[0]["Endpoint"])
        self.assertEqual(self.verdict("billing.example")["bounce"], "OK")
        # support.example: forwarding off, a set without feedback destinations; its topics
        # moved to a live one, then that topic deleted
        for kind in ("Bounce", "Complaint"):
            self.ses.set_identity_notification_topic(Identity="support.example", NotificationType=kind,
                                                     SnsTopic=TOPIC)
        self.assertEqual(self.verdict("support.example")["verdict"], "OK")
        self.sns.delete_topic(TopicArn=TOPIC)
        support = self.verdict("support.example")
        self.assertEqual(support["verdict"], "NOWHERE")
        self.assertIn("no longer exists", support["bounce_route"]["reason"])

    def test_read_only_refuses_and_audits(self):
        r = self.sesctl("--read-only", "identity", "notifications", "notify.example",
                        "--bounce-topic", TOPIC)
        self.assertExit(r, "REFUSED")
        r = self.sesctl("audit", "--json")
        self.assertIn("identity notifications", json.dumps(r.json()))


class Tap(CliTest):
    """The events tap: sesctl's own queue, nobody else's."""
    SEED = "demo"

    def setUp(self):
        super().setUp()
        self.emu.reset("demo")
        self.sqs = self.emu.client("sqs")
        self.sns = self.emu.client("sns")
        self.v2 = self.emu.client("sesv2")

    def send_bounce(self, to="bounce@simulator.amazonses.com"):
        self.v2.send_email(FromEmailAddress="sender@shop.example",
                           Destination={"ToAddresses": [to]},
                           Content={"Simple": {"Subject": {"Data": "hello"},
                                               "Body": {"Text": {"Data": "x"}}}})

    def tap(self):
        r = self.sesctl("events", "tap", "--topic", TOPIC, "--yes", "--json")
        self.assertEqual(r.code, 0, repr(r))
        return r.json()

    def test_tap_read_untap(self):
        before = set(self.sqs.list_queues().get("QueueUrls", []))
        tap = self.tap()
        self.assertIn("/sesctl-tap-ses-feedback-", tap["queue"])
        url = tap["queue"]
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["MessageRetentionPeriod"], "345600")
        policy = json.loads(attrs["Policy"])
        self.assertEqual(policy["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"], TOPIC)
        subs = self.sns.list_subscriptions_by_topic(TopicArn=TOPIC)["Subscriptions"]
        mine = [s for s in subs if s["Endpoint"].endswith(url.rsplit("/", 1)[1])]
        self.assertEqual(len(mine), 1)
        sub_attrs = self.sns.get_subscription_attributes(SubscriptionArn=mine[0]["SubscriptionArn"])
        self.assertEqual(sub_attrs["Attributes"].get("RawMessageDelivery", "false"), "false")
        # a second tap on the same topic is refused, naming the first
        r = self.sesctl("events", "tap", "--topic", TOPIC, "--yes")
        self.assertExit(r, "CONFLICT")

        self.send_bounce()
        r = self.sesctl("events", "--json", "--type", "bounce")
        self.assertEqual(r.code, 0, repr(r))
        evs = r.json()["events"]
        self.assertTrue(evs, r.out)
        b = evs[0]
        self.assertEqual(b["recipient"], "bounce@simulator.amazonses.com")
        self.assertEqual(b["status"], "5.1.1")
        self.assertIn("550", b["diagnostic"])
        self.assertEqual(b["identity"], "shop.example")
        self.assertEqual(r.json()["top_recipient_domains"][0]["domain"], "simulator.amazonses.com")
        # read once, kept in the cache, gone from the queue
        r = self.sesctl("--offline", "events", "--json")
        self.assertEqual(len(r.json()["events"]), len(evs))
        n = int(self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
                ["Attributes"]["ApproximateNumberOfMessages"])
        self.assertEqual(n, 0)

        r = self.sesctl("events", "untap", "--yes", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(set(self.sqs.list_queues().get("QueueUrls", [])), before)
        subs = self.sns.list_subscriptions_by_topic(TopicArn=TOPIC)["Subscriptions"]
        self.assertFalse([s for s in subs if "sesctl-tap" in s["Endpoint"]])
        self.assertTrue([s for s in subs if s["Endpoint"].endswith(":ops-feedback")])  # theirs stays
        r = self.sesctl("events", "untap", "--yes")
        self.assertExit(r, "NOT_FOUND")

    def test_tap_needs_yes_refuses_read_only_and_bad_topics(self):
        r = self.sesctl("events", "tap", "--topic", TOPIC)
        self.assertExit(r, "REFUSED")
        r = self.sesctl("--read-only", "events", "tap", "--topic", TOPIC, "--yes")
        self.assertExit(r, "REFUSED")
        r = self.sesctl("events", "tap", "--topic", "arn:aws:sqs:eu-west-1:1:x", "--yes")
        self.assertExit(r, "USAGE")
        self.assertFalse([u for u in self.sqs.list_queues().get("QueueUrls", []) if "sesctl-tap" in u])

    def test_bad_filters(self):
        self.assertExit(self.sesctl("events", "--type", "bogus"), "USAGE")
        self.assertExit(self.sesctl("events", "--since", "3x"), "USAGE")

    @unittest.skipIf(os.environ.get("SESCTL_FAKETIME"),
                     "SKIP under make check-dates: moto's SQS long poll never ends under libfaketime "
                     "and holds the emulator (the follow path keeps no dates of its own)")
    def test_follow_prints_a_bounce_as_it_arrives(self):
        self.tap()
        p = subprocess.Popen([BIN, "events", "--follow", "--json"], env=self.base_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(1)
            self.send_bounce()
            line = p.stdout.readline()      # blocks until the row arrives
            row = json.loads(line)
            self.assertEqual(row["type"], "bounce")
            self.assertEqual(row["recipient"], "bounce@simulator.amazonses.com")
        finally:
            p.send_signal(2)
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            err = p.stderr.read()
            p.stdout.close()
            p.stderr.close()
        self.assertEqual(p.returncode, 0, err)   # Ctrl-C is how a follow ends


if __name__ == "__main__":
    unittest.main()
