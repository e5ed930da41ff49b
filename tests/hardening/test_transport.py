"""Transport policy at the CLI level, against scripted servers on loopback:
- https is always verified: a server whose certificate chains to a private CA is refused
  (nothing is sent) unless AWS_CA_BUNDLE names that CA; a certificate for another name is
  refused even then;
- plain http is refused to anything but loopback, before any connection;
- redirects are not followed (the target never hears from sesctl);
- a reply over the size limit (64 MiB) is refused, not buffered without end.
"""

import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hardtest import EXIT, HardTest, HttpFixture, hostile_bytes_in  # noqa: E402

STS_OK = ('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
          '<Arn>arn:aws:iam::123456789012:user/t</Arn><UserId>AIDA</UserId><Account>123456789012</Account>'
          '</GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>'
          '</GetCallerIdentityResponse>')
OK_STEP = {"status": 200, "body": STS_OK, "headers": {"Content-Type": "text/xml"}}


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@unittest.skipUnless(shutil.which("openssl"), "SKIP: the openssl command is needed to make test certificates")
class Transport(HardTest):
    SEED = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        import tempfile
        cls.pki = tempfile.mkdtemp(prefix="sesctl-pki-")
        d = cls.pki
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=sesctl test CA", cwd=d)
        for name, san in (("good", "IP:127.0.0.1"), ("wrong", "DNS:wrong.example")):
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
                    "-subj", f"/CN={name}", cwd=d)
            with open(os.path.join(d, f"{name}.ext"), "w") as f:
                f.write(f"subjectAltName={san}\nbasicConstraints=CA:FALSE\n")
            openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=d)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.pki, ignore_errors=True)
        super().tearDownClass()

    def cli_env(self, url, **extra):
        env = self.base_env(emulator=False)
        env.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret", AWS_REGION="eu-west-1",
                   AWS_ENDPOINT_URL=url, AWS_MAX_ATTEMPTS="1")
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def assertInert(self, r):
        self.assertEqual(hostile_bytes_in(r.out) + hostile_bytes_in(r.err), [], repr(r))

    def test_tls_verified_with_and_without_the_ca(self):
        pem, key = os.path.join(self.pki, "good.pem"), os.path.join(self.pki, "good.key")
        with HttpFixture({"default": OK_STEP}, self.home, pem, key) as srv:
            r = self.run_bytes("whoami", "--json", env=self.cli_env(srv.url))
            self.assertEqual(r.code, EXIT["NETWORK"], repr(r))
            self.assertRegex(r.err.lower(), rb"certificate|tls|ssl", repr(r))
            self.assertEqual(srv.requests(), [], "a request went to an unverified server")
            self.assertInert(r)
            r = self.run_bytes("whoami", "--json", env=self.cli_env(srv.url, AWS_CA_BUNDLE=os.path.join(self.pki, "ca.pem")))
            self.assertEqual(r.code, 0, repr(r))
            self.assertEqual(r.json()["account"], "123456789012")
            reqs = srv.requests()
            self.assertTrue(reqs and "authorization" in reqs[0]["headers"])

    def test_tls_wrong_name_refused_even_with_the_ca(self):
        pem, key = os.path.join(self.pki, "wrong.pem"), os.path.join(self.pki, "wrong.key")
        with HttpFixture({"default": OK_STEP}, self.home, pem, key) as srv:
            r = self.run_bytes("whoami", env=self.cli_env(srv.url, AWS_CA_BUNDLE=os.path.join(self.pki, "ca.pem")))
            self.assertEqual(r.code, EXIT["NETWORK"], repr(r))
            self.assertEqual(srv.requests(), [])

    def test_plain_http_only_to_loopback(self):
        for url in ("http://192.0.2.1:8080", "http://10.1.2.3", "http://[2001:db8::1]:80",
                    "http://example.invalid", "http://127.0.0.1.example.invalid"):
            for args in (("whoami",), ("sync",), ("--endpoint-url", url, "identities", "list", "--refresh")):
                r = self.run_bytes(*args, env=self.cli_env(url), timeout=120)
                self.assertNotEqual(r.code, 0, f"{url} {args}: {r!r}")
                self.assertIn(b"only loopback", r.err, f"{url} {args}: refused for the wrong reason: {r!r}")
        # loopback over http is fine (emulators)
        with HttpFixture({"default": OK_STEP}, self.home) as srv:
            r = self.run_bytes("whoami", env=self.cli_env(srv.url))
            self.assertEqual(r.code, 0, repr(r))

    def test_redirects_not_followed(self):
        with HttpFixture({"default": OK_STEP}, self.home) as target:
            for status in (301, 302, 303, 307, 308):
                step = {"status": status, "body": "", "headers": {"Location": target.url + "/stolen"}}
                with HttpFixture({"default": step}, self.home) as srv:
                    for args in (("whoami",), ("identity", "show", "x.example"), ("sync",)):
                        r = self.run_bytes(*args, env=self.cli_env(srv.url))
                        self.assertNotEqual(r.code, 0, f"{status} {args}: {r!r}")
                        self.assertInert(r)
                    self.assertTrue(srv.requests())
            self.assertEqual(target.requests(), [], "a redirect was followed")

    def test_response_size_limit(self):
        big = {"status": 200, "body_size": 65 * 1024 * 1024 + 1, "headers": {"Content-Type": "text/xml"}}
        lying = {"status": 200, "body": "<x/>", "declared_length": 8 * 1024 ** 3,
                 "headers": {"Content-Type": "text/xml"}}
        for step, want in ((big, "limit"), (lying, None)):
            with HttpFixture({"default": step}, self.home) as srv:
                r = self.run_bytes("whoami", env=self.cli_env(srv.url))
                self.assertEqual(r.code, EXIT["BAD_REPLY"], repr(r))
                if want:
                    self.assertIn(want.encode(), r.err, repr(r))
                self.assertInert(r)


if __name__ == "__main__":
    unittest.main()
