#!/usr/bin/env python3
"""Random S3 inputs and what botocore's REST-XML serialiser (and prepare_request_dict, which
joins the URI's own query with the encoded parameters) makes of them, for test_s3.c.
Usage: s3_rest_botocore.py SEED COUNT

One JSON line per case: {"op", "in": {...}, "method", "path", "query", "body", "md5"}.
path is the URL path (labels percent-encoded as botocore does), query the encoded query
string without '?', body the payload text or "", md5 the base64 Content-MD5 of the body
(PutBucketPolicy: the model requires a checksum) or "".
Exit 77 with a line starting "SKIP" when botocore cannot be imported.
"""
import base64
import hashlib
import json
import random
import sys
from urllib.parse import urlsplit

try:
    import botocore.session
    from botocore.awsrequest import prepare_request_dict
    from botocore.serialize import create_serializer
except ImportError as exc:  # pragma: no cover - depends on the machine
    print(f"SKIP botocore is not importable with {sys.executable}: {exc}")
    sys.exit(77)

POOL = (list("abcXYZ019 -_.~!*'();:@&=+$,/?#[]%\"<>\\^`{|}") +
        ["//", "/./", "/../", "\u00e9", "\u00fc", "\u4e2d", "\u0416", "\U0001f600"])
BUCKET = "abcdefghijklmnopqrstuvwxyz0123456789"
OPS = ["ListObjectsV2", "GetObject", "PutBucketPolicy", "GetBucketPolicy", "HeadBucket",
       "GetBucketLocation"]


def text(rng, lo=1, hi=30):
    return "".join(rng.choice(POOL) for _ in range(rng.randint(lo, hi)))


def bucket(rng):
    inner = "".join(rng.choice(BUCKET + ".-") for _ in range(rng.randint(1, 40)))
    inner = inner.replace("..", ".x")
    return rng.choice(BUCKET) + inner + rng.choice(BUCKET)


def gen(rng):
    op = rng.choice(OPS)
    p = {"Bucket": bucket(rng)}
    if op == "ListObjectsV2":
        # botocore's query order is the order of the parameters given: the shape's
        for name, value in (("MaxKeys", rng.randint(1, 1000)), ("Prefix", text(rng)),
                            ("ContinuationToken", text(rng, 1, 80)), ("StartAfter", text(rng))):
            if rng.random() < 0.6:
                p[name] = value
    elif op == "GetObject":
        p["Key"] = text(rng)
    elif op == "PutBucketPolicy":
        p["Policy"] = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "s" + str(rng.randint(0, 99)), "Effect": "Allow",
             "Resource": "arn:aws:s3:::" + p["Bucket"] + "/" + text(rng) + "*"}]})
    return op, p


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    model = botocore.session.get_session().get_service_model("s3")
    ser = create_serializer("rest-xml", include_validation=False)
    for _ in range(count):
        op, params = gen(rng)
        req = ser.serialize_to_request(params, model.operation_model(op))
        prepare_request_dict(req, "https://s3.eu-west-1.amazonaws.com")
        url = urlsplit(req["url"])
        body = req["body"]
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        md5 = base64.b64encode(hashlib.md5(body.encode()).digest()).decode() if body else ""
        print(json.dumps({"op": op, "in": params, "method": req["method"], "path": url.path,
                          "query": url.query, "body": body or "", "md5": md5}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
