#!/usr/bin/env python3
"""Random receipt rules and the Query body botocore 1.43.11 serialises for each, for
test_ses_forms.c. Usage: ses_forms_botocore.py SEED COUNT

One JSON line per case: {"set": ..., "after": ..., "rule": {...}, "body": "..."}. The
rule dict is built in the model's member order (botocore serialises in input order; that
is also the order sesctl writes). Values mix ASCII punctuation, spaces, reserved URL
characters and non-ASCII text so percent-encoding is exercised byte for byte.
"""
import json
import random
import sys

import botocore.session
from botocore.serialize import QuerySerializer
from botocore.utils import percent_encode_sequence

NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
TEXT_POOL = (list("abcXYZ019 -_.~!*'();:@&=+$,/?#[]%\"<>\\^`{|}") +
             ["\u00e9", "\u00fc", "\u4e2d", "\u0416", "\U0001f600", "\t"])

ACTIONS = {  # element: [(field, required)] in model member order
    "S3Action": [("TopicArn", False), ("BucketName", True), ("ObjectKeyPrefix", False),
                 ("KmsKeyArn", False), ("IamRoleArn", False)],
    "BounceAction": [("TopicArn", False), ("SmtpReplyCode", True), ("StatusCode", False),
                     ("Message", True), ("Sender", True)],
    "WorkmailAction": [("TopicArn", False), ("OrganizationArn", True)],
    "LambdaAction": [("TopicArn", False), ("FunctionArn", True), ("InvocationType", False)],
    "StopAction": [("Scope", True), ("TopicArn", False)],
    "AddHeaderAction": [("HeaderName", True), ("HeaderValue", True)],
    "SNSAction": [("TopicArn", True), ("Encoding", False)],
    "ConnectAction": [("InstanceARN", True), ("IAMRoleARN", True)],
}


def name(rng):
    n = rng.randint(1, 20)
    inner = "".join(rng.choice(NAME_CHARS + "_-") for _ in range(max(0, n - 2)))
    return rng.choice(NAME_CHARS) + inner + (rng.choice(NAME_CHARS) if n > 1 else "")


def text(rng, allow_empty):
    n = rng.randint(0 if allow_empty else 1, 24)
    return "".join(rng.choice(TEXT_POOL) for _ in range(n))


def action(rng):
    element = rng.choice(sorted(ACTIONS))
    body = {}
    for field, required in ACTIONS[element]:
        if required or rng.random() < 0.5:
            body[field] = text(rng, allow_empty=not required)
    return {element: body}


def case(rng):
    rule = {"Name": name(rng), "Enabled": rng.random() < 0.5}
    if rng.random() < 0.6:
        rule["TlsPolicy"] = rng.choice(["Require", "Optional"])
    recipients = [text(rng, False) for _ in range(rng.randint(0, 3))]
    if recipients:
        rule["Recipients"] = recipients
    rule["Actions"] = [action(rng) for _ in range(rng.randint(0, 5))]
    rule["ScanEnabled"] = rng.random() < 0.5
    params = {"RuleSetName": name(rng)}
    if rng.random() < 0.5:
        params["After"] = name(rng)
    params["Rule"] = rule
    return params


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    model = botocore.session.get_session().get_service_model("ses")
    op = model.operation_model("CreateReceiptRule")
    ser = QuerySerializer()
    for _ in range(count):
        params = case(rng)
        body = percent_encode_sequence(ser.serialize_to_request(params, op)["body"])
        out = {"set": params["RuleSetName"], "after": params.get("After"), "rule": params["Rule"],
               "body": body}
        sys.stdout.buffer.write((json.dumps(out, ensure_ascii=False) + "\n").encode("utf-8"))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
