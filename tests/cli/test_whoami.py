"""sesctl whoami against the emulator, with each credential source arranged in a private HOME."""

import http.server
import json
import os
import socket
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import CliTest, ACCESS_KEY, SECRET_KEY  # noqa: E402


class FakeMetadata(http.server.BaseHTTPRequestHandler):
    """IMDSv2 on loopback: token PUT, role GET, credentials GET."""
    token = "imds-token-123"

    def log_message(self, *a):
        pass

    def _send(self, code, body, ctype="text/plain"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self._send(200, self.token)
        self._send(403, "no")

    def do_GET(self):
        if self.headers.get("X-aws-ec2-metadata-token") != self.token:
            return self._send(401, "token required")
        if self.path == "/latest/meta-data/iam/security-credentials/":
            return self._send(200, "bastion-role")
        if self.path == "/latest/meta-data/iam/security-credentials/bastion-role":
            return self._send(200, json.dumps({
                "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": ACCESS_KEY,
                "SecretAccessKey": SECRET_KEY, "Token": "imds-session-token",
                "Expiration": "2099-01-01T00:00:00Z"}), "application/json")
        self._send(404, "not found")


def serve(handler):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


class Whoami(CliTest):
    SEED = "empty"

    def check(self, r, source_word):
        self.assertEqual(r.code, 0, repr(r))
        data = r.json()
        self.assertEqual(data["account"], "123456789012")
        self.assertTrue(data["arn"].startswith("arn:aws:"), data)
        self.assertEqual(data["region"], "eu-west-1")
        self.assertEqual(data["endpoint"], self.emu.url)
        self.assertIn(source_word, data["credentials"])
        self.assertNotIn(SECRET_KEY, r.out + r.err)
        return data

    def test_env_keys(self):
        data = self.check(self.sesctl("whoami", "--json"), "env")
        self.assertEqual(data["endpoint_source"], "AWS_ENDPOINT_URL")

    def test_text_output(self):
        r = self.sesctl("whoami")
        self.assertEqual(r.code, 0, repr(r))
        self.assertIn("account: 123456789012", r.out)
        self.assertIn("credentials: env", r.out)

    def test_profile_with_static_keys(self):
        env = self.base_env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        self.write(self.aws_credentials, f"[ops]\naws_access_key_id = {ACCESS_KEY}\n"
                                         f"aws_secret_access_key = {SECRET_KEY}\n")
        self.write(self.aws_config, "[profile ops]\nregion = eu-west-1\n")
        data = self.check(self.sesctl("whoami", "--json", "--profile", "ops", env=env), "ops")
        self.assertEqual(data["profile"], "ops")

    def test_explicit_profile_skips_env_keys(self):
        env = self.base_env()
        env["AWS_ACCESS_KEY_ID"] = "AKIDWRONGWRONGWRONG"  # would be refused by the emulator
        self.write(self.aws_credentials, f"[ops]\naws_access_key_id = {ACCESS_KEY}\n"
                                         f"aws_secret_access_key = {SECRET_KEY}\n")
        self.check(self.sesctl("whoami", "--json", "--profile", "ops", env=env), "ops")

    def test_aws_profile_does_not_skip_env_keys(self):
        env = self.base_env()
        env["AWS_PROFILE"] = "ops"
        env["AWS_ACCESS_KEY_ID"] = "AKIDWRONGWRONGWRONG"
        self.write(self.aws_credentials, f"[ops]\naws_access_key_id = {ACCESS_KEY}\n"
                                         f"aws_secret_access_key = {SECRET_KEY}\n")
        r = self.sesctl("whoami", "--json", env=env)
        self.assertExit(r, "AUTH")
        self.assertIn("InvalidClientTokenId", r.err)

    def test_credential_process(self):
        env = self.base_env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        script = self.write(os.path.join(self.home, "creds.sh"),
                            "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", "
                            "\"SecretAccessKey\": \"%s\"}' " f"'{ACCESS_KEY}' '{SECRET_KEY}'\n", 0o700)
        self.write(self.aws_config, f"[default]\ncredential_process = {script}\n")
        self.check(self.sesctl("whoami", "--json", env=env), "credential_process")

    def test_credential_process_failure_is_one_sentence(self):
        env = self.base_env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        script = self.write(os.path.join(self.home, "creds.sh"),
                            "#!/bin/sh\necho 'token expired, run sso login' >&2\nexit 3\n", 0o700)
        self.write(self.aws_config, f"[default]\ncredential_process = {script}\n")
        r = self.sesctl("whoami", env=env)
        self.assertExit(r, "AUTH")
        self.assertIn("token expired, run sso login", r.err)
        self.assertEqual(len(r.err.strip().splitlines()), 1, r.err)

    def test_assume_role_profile(self):
        env = self.base_env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        self.write(self.aws_credentials, f"[base]\naws_access_key_id = {ACCESS_KEY}\n"
                                         f"aws_secret_access_key = {SECRET_KEY}\n")
        self.write(self.aws_config, "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ses-admin\n"
                                    "source_profile = base\nregion = eu-west-1\n")
        r = self.sesctl("whoami", "--json", "--profile", "ops", env=env)
        self.assertEqual(r.code, 0, repr(r))
        data = r.json()
        self.assertIn("assume", data["credentials"])
        self.assertIn("assumed-role/ses-admin", data["arn"])
        r = self.sesctl("identities", "list", "--profile", "ops", "--json", env=env)
        self.assertEqual(r.code, 0, repr(r))  # the temporary keys (with token) sign SES calls

    def test_imds(self):
        srv = serve(FakeMetadata)
        try:
            env = self.base_env()
            del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
            env.pop("AWS_EC2_METADATA_DISABLED")
            env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = f"http://127.0.0.1:{srv.server_address[1]}"
            self.check(self.sesctl("whoami", "--json", env=env), "imds")
        finally:
            srv.shutdown()
            srv.server_close()

    def test_no_credentials(self):
        env = self.base_env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        r = self.sesctl("whoami", env=env)
        self.assertExit(r, "AUTH")

    def test_wrong_secret_is_auth_error(self):
        env = self.base_env()
        env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        r = self.sesctl("whoami", env=env)
        self.assertExit(r, "AUTH")
        self.assertIn("SignatureDoesNotMatch", r.err)
        self.assertNotIn("not-the-secret", r.err)

    def test_no_region(self):
        env = self.base_env()
        del env["AWS_REGION"], env["AWS_DEFAULT_REGION"]
        r = self.sesctl("whoami", env=env)
        self.assertExit(r, "CONFIG")
        self.assertIn("no region", r.err)

    def test_malformed_config_names_file_and_line(self):
        self.write(self.aws_config, "[default]\nregion = eu-west-1\nthis line is wrong\n")
        r = self.sesctl("whoami")
        self.assertExit(r, "CONFIG")
        self.assertIn(f"{self.aws_config}:3", r.err)

    def test_plain_http_to_remote_refused(self):
        r = self.sesctl("whoami", "--endpoint-url", "http://sesctl-test.invalid:8080")
        self.assertExit(r, "NETWORK")
        self.assertIn("loopback", r.err)

    def test_unreachable_endpoint(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        r = self.sesctl("whoami", "--endpoint-url", f"http://127.0.0.1:{port}")
        self.assertExit(r, "NETWORK")

    def test_unknown_verb_and_flag(self):
        self.assertExit(self.sesctl("frobnicate"), "USAGE")
        self.assertExit(self.sesctl("whoami", "--bogus"), "USAGE")

    def test_version_and_help(self):
        r = self.sesctl("--version")
        self.assertEqual(r.code, 0)
        self.assertRegex(r.out, r"^sesctl \d+\.\d+\.\d+")
        r = self.sesctl("--help")
        self.assertEqual(r.code, 0)
        self.assertIn("whoami", r.out)
        self.assertIn("exit codes", r.out)


if __name__ == "__main__":
    unittest.main()
