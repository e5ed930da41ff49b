#!/usr/bin/env python3
"""The same jobs as sesctl's feedback bench, with boto3 (the AWS SDK a script would use):

  drain:  read every message of an SQS queue 10 at a time, decode the SNS envelope and the
          SES record inside (json twice), make one row per recipient, delete the batch;
  audit:  GetIdentityNotificationAttributes for every identity, 100 a call, one call a
          second (SES's limit), then GetTopicAttributes and ListSubscriptionsByTopic for
          each topic named.

Prints one JSON object: rows/messages/seconds (drain) or identities/topics/seconds
(audit). Credentials and endpoint from the environment (AWS_ENDPOINT_URL …).

    python3 bench/boto3_events.py drain --queue-url URL
    python3 bench/boto3_events.py audit
"""

import argparse
import json
import sys
import time

import boto3


def drain(url):
    sqs = boto3.client("sqs")
    t0 = time.monotonic()
    msgs = rows = 0
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        batch = got.get("Messages", [])
        if not batch:
            break
        for m in batch:
            env = json.loads(m["Body"])
            rec = env.get("Message", env)
            if isinstance(rec, str):
                rec = json.loads(rec)
            kind = rec.get("notificationType") or rec.get("eventType")
            obj = rec.get(str(kind).lower(), {}) if kind else {}
            rcpts = (obj.get("bouncedRecipients") or obj.get("complainedRecipients")
                     or obj.get("recipients") or rec.get("mail", {}).get("destination") or [None])
            rows += len(rcpts)
        msgs += len(batch)
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
    return {"messages": msgs, "rows": rows, "seconds": time.monotonic() - t0}


def audit():
    ses = boto3.client("ses")
    sesv2 = boto3.client("sesv2")
    sns = boto3.client("sns")
    t0 = time.monotonic()
    names, token = [], None
    while True:
        kw = {"PageSize": 1000, **({"NextToken": token} if token else {})}
        page = sesv2.list_email_identities(**kw)
        names += [x["IdentityName"] for x in page.get("EmailIdentities", [])]
        token = page.get("NextToken")
        if not token:
            break
    topics, last = set(), 0.0
    for i in range(0, len(names), 100):
        wait = last + 1.0 - time.monotonic()
        if last and wait > 0:
            time.sleep(wait)
        last = time.monotonic()
        got = ses.get_identity_notification_attributes(Identities=names[i:i + 100])
        for a in got["NotificationAttributes"].values():
            for k in ("BounceTopic", "ComplaintTopic", "DeliveryTopic"):
                if a.get(k):
                    topics.add(a[k])
    for t in sorted(topics):
        try:
            sns.get_topic_attributes(TopicArn=t)
            sns.list_subscriptions_by_topic(TopicArn=t)
        except sns.exceptions.ClientError:
            pass
    return {"identities": len(names), "topics": len(topics), "seconds": time.monotonic() - t0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("job", choices=["drain", "audit"])
    ap.add_argument("--queue-url")
    args = ap.parse_args()
    out = drain(args.queue_url) if args.job == "drain" else audit()
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
