"""Shared base for the emulator's own unittest files (not a test file itself)."""

import http.client
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

from sesemu_fixture import ACCESS_KEY, SECRET_KEY, Sesemu  # noqa: E402
from shapecheck import ShapeChecker  # noqa: E402


class EmuTestCase(unittest.TestCase):
    SEED = "empty"
    ARGS = ()

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed=cls.SEED, args=cls.ARGS).start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset(self.SEED)
        self.emu.clear_faults()
        self.shapes = ShapeChecker()
        self.v2 = self.shapes.attach(self.emu.client("sesv2"))
        self.v1 = self.shapes.attach(self.emu.client("ses"))

    def tearDown(self):
        self.assertEqual(self.shapes.errors, [], "responses do not match the botocore model")

    def assertAwsError(self, code, fn, *args, status=None, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kwargs)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        if status is not None:
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status)
        return err


def raw_request(emu, method, path, body=b"", headers=None, secret=SECRET_KEY, access=ACCESS_KEY,
                region="eu-west-1", token=None, tamper=None, service="ses"):
    """One SigV4-signed request built by hand (as the C client builds it): `path` is sent
    exactly as given, already percent-encoded. tamper(headers) may change it after signing.
    Returns (status, headers dict, body bytes)."""
    url = f"{emu.url}{path}"
    req = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    SigV4Auth(Credentials(access, secret, token), service, region).add_auth(req)
    hdrs = dict(req.headers.items())
    if tamper:
        tamper(hdrs)
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()
