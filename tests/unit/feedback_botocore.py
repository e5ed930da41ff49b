#!/usr/bin/env python3
"""The feedback-routing and events-tap requests as botocore 1.43.11 serialises them, for
test_ses_feedback.c. Usage: feedback_botocore.py

One JSON line per case: {"op", "in": {...}, "body", "target"}. Query operations (SES v1,
SNS) give the form body as botocore sends it (percent_encode_sequence); SQS (JSON 1.0)
gives the body re-printed compactly with ensure_ascii=False, keys in botocore's order, so
the C side can compare byte for byte (sesctl writes raw UTF-8 and no spaces), and the
X-Amz-Target header. A fixed set: values carry reserved URL characters, quotes, control
characters and non-ASCII text.
"""
import json
import sys

import botocore.session
from botocore.serialize import create_serializer
from botocore.utils import percent_encode_sequence

ODD = "a b&c=d/e?f#g+h%i;j:k@l~m*n'o(p)q!r\"s<t>u\\v\u00e9\u4e2d\U0001f600\t"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-feedback_2"
URL = "http://127.0.0.1:4566/123456789012/tap-1?x=\u00e9&y=\"q\""

CASES = [
    ("ses", "GetIdentityNotificationAttributes", {"Identities": ["example.com"]}),
    ("ses", "GetIdentityNotificationAttributes",
     {"Identities": ["user+tag@ex\u00e4mple.com", ODD, "arn:aws:ses:eu-west-1:123456789012:identity/x.example"]}),
    ("ses", "SetIdentityNotificationTopic",
     {"Identity": "ops+1@shop.example", "NotificationType": "Bounce", "SnsTopic": TOPIC}),
    ("ses", "SetIdentityNotificationTopic", {"Identity": ODD, "NotificationType": "Complaint"}),
    ("ses", "SetIdentityNotificationTopic",
     {"Identity": "shop.example", "NotificationType": "Delivery",
      "SnsTopic": "arn:aws-cn:sns:cn-north-1:123456789012:t.fifo"}),
    ("ses", "SetIdentityHeadersInNotificationsEnabled",
     {"Identity": ODD, "NotificationType": "Delivery", "Enabled": True}),
    ("ses", "SetIdentityHeadersInNotificationsEnabled",
     {"Identity": "shop.example", "NotificationType": "Bounce", "Enabled": False}),
    ("ses", "SetIdentityFeedbackForwardingEnabled", {"Identity": ODD, "ForwardingEnabled": False}),
    ("ses", "SetIdentityFeedbackForwardingEnabled",
     {"Identity": "shop.example", "ForwardingEnabled": True}),
    ("sns", "GetTopicAttributes", {"TopicArn": TOPIC}),
    ("sns", "ListSubscriptionsByTopic", {"TopicArn": TOPIC}),
    ("sns", "ListSubscriptionsByTopic", {"TopicArn": TOPIC, "NextToken": "AAE+/b=c&d=="}),
    ("sns", "Subscribe", {"TopicArn": TOPIC, "Protocol": "sqs",
                          "Endpoint": "arn:aws:sqs:eu-west-1:123456789012:tap-1",
                          "ReturnSubscriptionArn": True}),
    ("sns", "Subscribe", {"TopicArn": TOPIC, "Protocol": "https", "Endpoint": "https://h.example/p?a=b&c=" + ODD,
                          "Attributes": {"RawMessageDelivery": "true"},
                          "ReturnSubscriptionArn": True}),
    ("sns", "Unsubscribe", {"SubscriptionArn": TOPIC + ":0b1c2d3e-aaaa-bbbb-cccc-0123456789ab"}),
    ("sqs", "CreateQueue", {"QueueName": "sesctl-tap_1"}),
    ("sqs", "CreateQueue", {"QueueName": "q", "Attributes": {
        "Policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":'
                  '"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*","Condition":'
                  '{"ArnEquals":{"aws:SourceArn":"' + TOPIC + '"}}}]}\n\t\u00e9\u001b/',
        "MessageRetentionPeriod": "345600"}}),
    ("sqs", "GetQueueAttributes", {"QueueUrl": URL, "AttributeNames": ["QueueArn"]}),
    ("sqs", "DeleteQueue", {"QueueUrl": URL}),
    ("sqs", "ReceiveMessage", {"QueueUrl": URL, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 20}),
    ("sqs", "ReceiveMessage", {"QueueUrl": URL, "MaxNumberOfMessages": 1, "WaitTimeSeconds": 0,
                               "VisibilityTimeout": 43200}),
    ("sqs", "DeleteMessageBatch", {"QueueUrl": URL, "Entries": [{"Id": "0", "ReceiptHandle": "h+/=0"}]}),
    ("sqs", "DeleteMessageBatch", {"QueueUrl": URL, "Entries": [
        {"Id": str(i), "ReceiptHandle": "AQEB" + ODD + str(i)} for i in range(10)]}),
]


def main():
    session = botocore.session.get_session()
    for service, op, params in CASES:
        model = session.get_service_model(service)
        req = create_serializer(model.protocol).serialize_to_request(
            params, model.operation_model(op))
        if model.protocol == "query":
            body = percent_encode_sequence(req["body"])
        else:
            body = json.dumps(json.loads(req["body"]), separators=(",", ":"), ensure_ascii=False)
        out = {"op": op, "in": params, "body": body, "target": req["headers"].get("X-Amz-Target")}
        sys.stdout.buffer.write((json.dumps(out, ensure_ascii=False) + "\n").encode("utf-8"))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
