"""sesemu S3: boto3's S3 calls pass through the emulator to moto (bucket, objects with awkward
keys, paging, bucket policy, errors), and the signature check applies S3's rules — the
wire path as the canonical URI, x-amz-content-sha256 checked against the body — so a
tampered signature, a path signed with the non-S3 rules or a body that does not match its
hash is refused."""

import hashlib
import http.client
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from botocore.auth import S3SigV4Auth, SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

from emutest import EmuTestCase  # noqa: E402
from sesemu_fixture import ACCESS_KEY, SECRET_KEY  # noqa: E402

REGION = "eu-west-1"
BUCKET = "sesctl-dmarc-test"
KEYS = ["plain.xml", "with space.xml", "plus+sign.xml", "caf\u00e9/\u4e2d.xml", "tilde~x.xml",
        "double//slash.xml", "dot/./seg.xml", "pct%41.xml"]


def s3_raw(emu, method, path, body=b"", signer=S3SigV4Auth, tamper=None, sign_body=None):
    """One request signed by hand with `signer`; path goes on the wire as given.
    sign_body: the body the signature covers (default: the body sent)."""
    signed = body if sign_body is None else sign_body
    req = AWSRequest(method=method, url=f"{emu.url}{path}", data=signed,
                     headers={"X-Amz-Content-SHA256": hashlib.sha256(signed).hexdigest()})
    signer(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION).add_auth(req)
    hdrs = dict(req.headers.items())
    if tamper:
        tamper(hdrs)
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


class S3Case(EmuTestCase):
    def setUp(self):
        super().setUp()
        self.s3 = self.emu.client("s3", region=REGION)
        self.s3.create_bucket(Bucket=BUCKET,
                              CreateBucketConfiguration={"LocationConstraint": REGION})

    def test_objects_round_trip(self):
        for k in KEYS:
            self.s3.put_object(Bucket=BUCKET, Key=k, Body=f"<feedback>{k}</feedback>".encode())
        got = self.s3.list_objects_v2(Bucket=BUCKET)
        self.assertEqual(sorted(o["Key"] for o in got["Contents"]), sorted(KEYS))
        for k in KEYS:
            body = self.s3.get_object(Bucket=BUCKET, Key=k)["Body"].read()
            self.assertEqual(body, f"<feedback>{k}</feedback>".encode())
        self.assertEqual(self.s3.get_bucket_location(Bucket=BUCKET)["LocationConstraint"], REGION)

    def test_paging(self):
        for i in range(25):
            self.s3.put_object(Bucket=BUCKET, Key=f"p/{i:03d}", Body=b"x")
        pages = list(self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix="p/", PaginationConfig={"PageSize": 10}))
        self.assertEqual([p["KeyCount"] for p in pages], [10, 10, 5])

    def test_policy_and_errors(self):
        policy = {"Version": "2012-10-17", "Statement": [{
            "Sid": "sesctl-dmarc-r1", "Effect": "Allow",
            "Principal": {"Service": "ses.amazonaws.com"}, "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/dmarc/*"}]}
        self.s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
        self.assertEqual(json.loads(self.s3.get_bucket_policy(Bucket=BUCKET)["Policy"]), policy)
        self.assertAwsError("NoSuchBucket", self.s3.list_objects_v2, Bucket="no-such-bucket-x")
        self.assertAwsError("NoSuchKey", self.s3.get_object, Bucket=BUCKET, Key="absent")
        self.s3.delete_bucket_policy(Bucket=BUCKET)
        self.assertAwsError("NoSuchBucketPolicy", self.s3.get_bucket_policy, Bucket=BUCKET)

    def test_s3_rules_accept_a_good_signature(self):
        self.s3.put_object(Bucket=BUCKET, Key="with space//x", Body=b"hello")
        status, body = s3_raw(self.emu, "GET", f"/{BUCKET}/with%20space//x")
        self.assertEqual((status, body), (200, b"hello"))
        status, body = s3_raw(self.emu, "PUT", f"/{BUCKET}/new%2Bkey", body=b"data")
        self.assertEqual(status, 200, body)

    def test_tampered_signature_refused(self):
        def flip(h):
            auth = h["Authorization"]
            h["Authorization"] = auth[:-1] + ("0" if auth[-1] != "0" else "1")
        status, body = s3_raw(self.emu, "GET", f"/{BUCKET}?list-type=2", tamper=flip)
        self.assertEqual(status, 403)
        self.assertIn(b"SignatureDoesNotMatch", body)

    def test_non_s3_rules_refused(self):
        # SigV4Auth encodes the path once more: /b/with%2520space — not what S3 signs
        self.s3.put_object(Bucket=BUCKET, Key="with space", Body=b"x")
        status, body = s3_raw(self.emu, "GET", f"/{BUCKET}/with%20space", signer=SigV4Auth)
        self.assertEqual(status, 403, body)
        self.assertIn(b"SignatureDoesNotMatch", body)

    def test_body_must_match_its_hash(self):
        status, body = s3_raw(self.emu, "PUT", f"/{BUCKET}/k", body=b"evil", sign_body=b"good")
        self.assertEqual(status, 400, body)
        self.assertIn(b"XAmzContentSHA256Mismatch", body)

    def test_content_sha256_required(self):
        def drop(h):
            h.pop("X-Amz-Content-SHA256", None)
        status, body = s3_raw(self.emu, "GET", f"/{BUCKET}?list-type=2", tamper=drop)
        self.assertEqual(status, 400, body)
        self.assertIn(b"x-amz-content-sha256", body)
        self.assertIn(b"<Error><Code>InvalidRequest</Code>", body)

    def test_unsigned_payload_accepted(self):
        req = AWSRequest(method="PUT", url=f"{self.emu.url}/{BUCKET}/u", data=b"abc",
                         headers={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"})

        class Unsigned(S3SigV4Auth):
            def _should_sha256_sign_payload(self, request):
                return False
        Unsigned(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION).add_auth(req)
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=30)
        try:
            conn.request("PUT", f"/{BUCKET}/u", body=b"abc", headers=dict(req.headers.items()))
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200, resp.read())
        finally:
            conn.close()
        got = self.s3.get_object(Bucket=BUCKET, Key="u")["Body"].read()
        self.assertEqual(got, b"abc")
        self.assertEqual(hashlib.sha256(got).hexdigest(), hashlib.sha256(b"abc").hexdigest())


if __name__ == "__main__":
    unittest.main()
