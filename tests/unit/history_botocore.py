#!/usr/bin/env python3
"""CloudTrail LookupEvents requests as botocore 1.43.11 serialises them, for
test_ses_history.c. Usage: history_botocore.py

One JSON line per case: {"in": {...}, "body", "target", "content_type"}. The body is
re-printed compactly with ensure_ascii=False (sesctl writes raw UTF-8 and no spaces), keys in
botocore's order. botocore's JSON serializer writes a structure's members in the order of
the caller's dict, not the model's: each case's params are built in the order of the
LookupEvents input shape, which is what the AWS CLI does (it fills its parameters from the
model), so that order is the one to match. Timestamps go in as datetimes and epoch numbers
and come out as integer epoch seconds (a fraction is dropped). "in" carries the times as
epoch integers for the C side.
"""
import calendar
import datetime
import json
import sys

import botocore.session
from botocore.serialize import create_serializer

ODD = "a b&c=d/e?f#g+h%i;j:k@l~m*n'o(p)q!r\"s<t>u\\v\u00e9\u4e2d\U0001f600\t\u001b"
UTC = datetime.timezone.utc

CASES = [
    {"MaxResults": 50},
    {"LookupAttributes": [{"AttributeKey": "EventSource", "AttributeValue": "ses.amazonaws.com"}],
     "MaxResults": 50},
    {"LookupAttributes": [{"AttributeKey": "EventName",
                           "AttributeValue": "PutAccountSendingAttributes"}],
     "StartTime": datetime.datetime(2026, 12, 1, tzinfo=UTC),
     "EndTime": datetime.datetime(2026, 12, 4, 10, 0, 0, tzinfo=UTC), "MaxResults": 20,
     "NextToken": "kbOt5LlZe++mErCebpy2TgaMgmDvF1kYGFcH64JSjIbZFjsuvrSqg66b5YGssKutDYIyII4lrP4="},
    {"LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": ODD}],
     "StartTime": 1700000000, "MaxResults": 1},
    {"LookupAttributes": [{"AttributeKey": "ResourceName", "AttributeValue": "x" * 2000}],
     "EndTime": 1700000000.75, "MaxResults": 50, "NextToken": ODD},
    {"LookupAttributes": [{"AttributeKey": "ReadOnly", "AttributeValue": "false"}], "MaxResults": 7},
    {"LookupAttributes": [{"AttributeKey": "AccessKeyId", "AttributeValue": "AKIAIOSFODNN7EXAMPLE"}],
     "StartTime": 1, "EndTime": 4102444800, "MaxResults": 50},
]


def epoch(v):
    if isinstance(v, datetime.datetime):
        return calendar.timegm(v.utctimetuple())
    return int(v)


def main():
    model = botocore.session.get_session().get_service_model("cloudtrail")
    op = model.operation_model("LookupEvents")
    order = list(op.input_shape.members)
    ser = create_serializer(model.protocol)
    for params in CASES:
        assert list(params) == [k for k in order if k in params], params
        req = ser.serialize_to_request(params, op)
        body = json.dumps(json.loads(req["body"]), separators=(",", ":"), ensure_ascii=False)
        given = dict(params)
        for k in ("StartTime", "EndTime"):
            if k in given:
                given[k] = epoch(given[k])
        out = {"in": given, "body": body, "target": req["headers"].get("X-Amz-Target"),
               "content_type": req["headers"].get("Content-Type")}
        sys.stdout.buffer.write((json.dumps(out, ensure_ascii=False) + "\n").encode("utf-8"))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
