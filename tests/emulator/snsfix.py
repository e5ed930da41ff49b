"""moto's SNS made to behave as SNS does where the feedback audit looks:

- subscriptions with protocol email, email-json, http, https (and sqs/lambda endpoints in
  another account) start pending: ListSubscriptions(ByTopic) and Subscribe show
  `PendingConfirmation` as their SubscriptionArn, GetSubscriptionAttributes says
  PendingConfirmation "true", nothing is delivered to them, until the admin API confirms
  them (`POST /_sesemu/sns/confirm`); sqs/lambda in this account are confirmed at once;
  a failing http/https/lambda delivery (moto posts for real) does not fail the publisher;
- GetTopicAttributes reports the real SubscriptionsConfirmed / SubscriptionsPending;
- a topic ARN in another account answers 403 `AuthorizationError` (no cross-account
  permission is ever granted here), as SNS does for a topic you may not read.
"""

import re

from common import ApiError
from state import account

PENDING_PROTOCOLS = ("email", "email-json", "http", "https")
TOPIC_OPS = ("GetTopicAttributes", "ListSubscriptionsByTopic", "Subscribe", "Publish", "SetTopicAttributes",
             "DeleteTopic")


def is_pending(sub):
    return str(sub.attributes.get("PendingConfirmation", False)).lower() == "true"


def install():
    from moto.sns import models as m

    if getattr(m.SNSBackend, "_sesemu_patched", False):
        return
    m.SNSBackend._sesemu_patched = True

    def counts(topic):
        subs = [s for s in topic.sns_backend.subscriptions.values() if s.topic is topic]
        pending = sum(1 for s in subs if is_pending(s))
        return len(subs) - pending, pending

    # moto keeps two integers it never updates; SNS counts the topic's subscriptions
    m.Topic.subscriptions_confimed = property(lambda self: counts(self)[0], lambda self, v: None)
    m.Topic.subscriptions_pending = property(lambda self: counts(self)[1], lambda self, v: None)

    orig_subscribe = m.SNSBackend.subscribe

    def subscribe(self, topic_arn, endpoint, protocol):
        known = self._find_subscription(topic_arn, endpoint, protocol)
        sub = orig_subscribe(self, topic_arn, endpoint, protocol)
        if known is None:
            other_account = protocol in ("sqs", "lambda") and endpoint.split(":")[4:5] != [account()]
            if protocol in PENDING_PROTOCOLS or other_account:
                sub.attributes["PendingConfirmation"] = "true"
                sub.attributes["ConfirmationWasAuthenticated"] = "false"
        return sub

    m.SNSBackend.subscribe = subscribe

    orig_publish = m.Subscription.publish

    def publish(self, *args, **kwargs):
        if is_pending(self):        # SNS delivers nothing before the subscriber confirms
            return None
        if self.protocol not in ("http", "https", "lambda"):
            return orig_publish(self, *args, **kwargs)
        try:                        # a failed HTTP/Lambda delivery is SNS's retry business, never the
            return orig_publish(self, *args, **kwargs)      # publisher's error (moto would raise)
        except Exception:
            return None

    m.Subscription.publish = publish


def confirm(region, arn_or_endpoint):
    """Confirms the pending subscriptions whose ARN or endpoint is given. Returns their ARNs."""
    from moto.sns.models import sns_backends
    done = []
    for sub in sns_backends[account()][region].subscriptions.values():
        if is_pending(sub) and arn_or_endpoint in (sub.arn, sub.endpoint):
            sub.attributes["PendingConfirmation"] = "false"
            sub.attributes["ConfirmationWasAuthenticated"] = "true"
            sub.confirmed = True
            done.append(sub.arn)
    return done


def subscriptions(region):
    from moto.sns.models import sns_backends
    return [{"SubscriptionArn": s.arn, "TopicArn": s.topic.arn, "Protocol": s.protocol, "Endpoint": s.endpoint,
             "PendingConfirmation": is_pending(s)} for s in sns_backends[account()][region].subscriptions.values()]


def before(req):
    """Refusals moto does not make. Raises ApiError."""
    op = req.form.get("Action")
    arn = req.form.get("TopicArn") or ""
    if op in TOPIC_OPS and arn.startswith("arn:aws:sns:") and arn.split(":")[4:5] != [account()]:
        raise ApiError("AuthorizationError",
                       f"User: arn:aws:iam::{account()}:root is not authorized to perform: SNS:{op} on resource: "
                       f"{arn} because no resource-based policy allows the SNS:{op} action", 403)


def after(req, out):
    """Pending subscriptions show `PendingConfirmation` where SNS lists their ARN."""
    op = req.form.get("Action")
    if op not in ("ListSubscriptions", "ListSubscriptionsByTopic", "Subscribe") or b"SubscriptionArn" not in out:
        return out
    from moto.sns.models import sns_backends
    region = req.region or "us-east-1"
    pending = {s.arn for s in sns_backends[account()][region].subscriptions.values() if is_pending(s)}
    if not pending:
        return out
    if op == "Subscribe" and req.form.get("ReturnSubscriptionArn", "false").lower() == "true":
        return out
    repl = "pending confirmation" if op == "Subscribe" else "PendingConfirmation"

    def sub(mo):
        return (b"<SubscriptionArn>" + repl.encode() + b"</SubscriptionArn>"
                if mo.group(1).decode() in pending else mo.group(0))

    return re.sub(rb"<SubscriptionArn>([^<]*)</SubscriptionArn>", sub, out)
