"""sesemu with the AWS CLI (a second real client), and tests/emulator/demo.sh."""

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase  # noqa: E402
from sesemu_fixture import HERE  # noqa: E402

AWS = shutil.which("aws")
ROOT = os.path.dirname(os.path.dirname(HERE))


@unittest.skipIf(AWS is None, "the AWS CLI is not installed")
class AwsCli(EmuTestCase):
    SEED = "demo"

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="sesemu-cli-")
        self.env = self.emu.env()
        for name in ("config", "credentials"):
            open(os.path.join(self.tmp, name), "w").close()
        self.env.update(AWS_CONFIG_FILE=os.path.join(self.tmp, "config"), HOME=self.tmp,
                        AWS_SHARED_CREDENTIALS_FILE=os.path.join(self.tmp, "credentials"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)
        super().tearDown()

    def aws(self, *args, ok=True, env=None):
        p = subprocess.run([AWS, *args, "--output", "json"], env=env or self.env, capture_output=True, text=True,
                           timeout=120)
        if ok:
            self.assertEqual(p.returncode, 0, p.stderr)
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p

    def test_v2_reads_and_paging(self):
        self.assertEqual(self.aws("sesv2", "get-account")["EnforcementStatus"], "HEALTHY")
        page = self.aws("sesv2", "list-email-identities", "--page-size", "7")
        ids = page["EmailIdentities"]
        self.assertEqual(len(ids), 7)
        while "NextToken" in page:
            page = self.aws("sesv2", "list-email-identities", "--page-size", "1000", "--next-token", page["NextToken"])
            ids += page["EmailIdentities"]
        self.assertEqual(len({i["IdentityName"] for i in ids}), 40)
        g = self.aws("sesv2", "get-email-identity", "--email-identity", "ops@shop.example")
        self.assertEqual(g["VerificationStatus"], "SUCCESS")
        supp = self.aws("sesv2", "list-suppressed-destinations", "--reasons", "COMPLAINT")
        self.assertTrue(supp["SuppressedDestinationSummaries"])
        self.assertTrue(all(s["Reason"] == "COMPLAINT" for s in supp["SuppressedDestinationSummaries"]))

    def test_v2_writes(self):
        from test_sesemu_v2 import rsa_key_b64
        self.aws("sesv2", "create-email-identity", "--email-identity", "cli.example")
        r = self.aws("sesv2", "put-email-identity-dkim-signing-attributes", "--email-identity", "cli.example",
                     "--signing-attributes-origin", "EXTERNAL", "--signing-attributes",
                     f"DomainSigningSelector=cli,DomainSigningPrivateKey={rsa_key_b64(1024)}")
        self.assertEqual(r["DkimTokens"], ["cli"])
        bad = self.aws("sesv2", "put-email-identity-dkim-signing-attributes", "--email-identity", "cli.example",
                       "--signing-attributes-origin", "EXTERNAL", "--signing-attributes",
                       "DomainSigningSelector=cli,DomainSigningPrivateKey=" + base64.b64encode(b"junk").decode(),
                       ok=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("BadRequestException", bad.stderr)
        self.aws("sesv2", "put-account-sending-attributes", "--no-sending-enabled")
        self.assertFalse(self.aws("ses", "get-account-sending-enabled")["Enabled"])
        self.assertFalse(self.emu.state()["sending_enabled"])

    def test_v1_receipt_rules(self):
        self.aws("ses", "set-receipt-rule-position", "--rule-set-name", "inbound-main",
                 "--rule-name", "support-to-s3")
        rules = self.aws("ses", "describe-active-receipt-rule-set")["Rules"]
        self.assertEqual([r["Name"] for r in rules][:2], ["support-to-s3", "spam-drop"])
        self.aws("ses", "create-receipt-filter", "--filter", "Name=cli-block,IpFilter={Policy=Block,Cidr=10.1.0.0/16}")
        names = [f["Name"] for f in self.aws("ses", "list-receipt-filters")["Filters"]]
        self.assertIn("cli-block", names)

    def test_wrong_secret_fails(self):
        env = dict(self.env, AWS_SECRET_ACCESS_KEY="wrong")
        p = self.aws("sesv2", "get-account", ok=False, env=env)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", p.stderr)


FAKE_SESCTL = """#!/bin/sh
# stands in for ./sesctl: records its arguments and environment, then reads the account
# through the emulator with the AWS CLI, as sesctl would with its own client
{ echo "ARGS:$*"; env | grep -E '^(AWS_|XDG_|HOME=)'; } >> "$RECORD"
prev=""
for a in "$@"; do   # make demo FLEET=1: the sesctl config it wrote and the AWS profiles
	if [ "$prev" = "--config" ]; then
		sed 's/^/CONF:/' "$a" >> "$RECORD"
		echo "PROFILES:$(grep -c '^\[profile ' "$AWS_CONFIG_FILE")" >> "$RECORD"
	fi
	prev=$a
done
[ "$1" = "--dns-server" ] && shift 2
if [ $# -eq 0 ] && [ -n "$FAIL_BARE" ]; then exit 2; fi
if [ "$1" = "wait" ]; then echo READY >> "$RECORD"; sleep 60; exit 0; fi
if [ -n "$AWS_BIN" ]; then "$AWS_BIN" sesv2 get-account --query EnforcementStatus --output text >> "$RECORD" 2>&1; fi
exit 0
"""


def read(path):
    with open(path) as f:
        return f.read()


class DemoScript(unittest.TestCase):
    def fake_sesctl(self):
        tmp = tempfile.mkdtemp(prefix="sesemu-demo-")
        self.addCleanup(shutil.rmtree, tmp, True)
        fake = os.path.join(tmp, "fake-sesctl")
        with open(fake, "w") as f:
            f.write(FAKE_SESCTL)
        os.chmod(fake, 0o755)
        return tmp, fake, os.path.join(tmp, "record")

    def run_demo(self, *args, fail_bare=False, **extra_env):
        tmp, fake, record = self.fake_sesctl()
        home = os.path.join(tmp, "home")
        os.mkdir(home)
        env = dict(os.environ, SESCTL=fake, RECORD=record, HOME=home, AWS_BIN=AWS or "",
                   FAIL_BARE="1" if fail_bare else "", AWS_PROFILE="prod-admin", **extra_env)
        p = subprocess.run(["bash", os.path.join(HERE, "demo.sh"), *args], env=env, capture_output=True,
                           text=True, timeout=180)
        self.assertTrue(os.path.exists(record), f"sesctl stand-in did not run: {p.stderr}")
        lines = read(record).splitlines()
        return p, lines, home

    def test_environment_and_teardown(self):
        p, lines, home = self.run_demo("identities", "list")
        self.assertEqual(p.returncode, 0, p.stderr)
        # the emulator's DNS server is handed to sesctl
        self.assertRegex(lines[0], r"^ARGS:--dns-server 127\.0\.0\.1:\d+ identities list$")
        env = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("ARGS:"))
        url = env["AWS_ENDPOINT_URL"]
        self.assertRegex(url, r"^http://127\.0\.0\.1:\d+$")
        self.assertEqual((env["AWS_REGION"], env["AWS_ACCESS_KEY_ID"]), ("eu-west-1", "AKIDEXAMPLE"))
        self.assertNotIn("AWS_PROFILE", env)
        for key in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "AWS_CONFIG_FILE",
                    "AWS_SHARED_CREDENTIALS_FILE"):
            self.assertFalse(env[key].startswith(home), key)
            self.assertFalse(os.path.exists(env[key]), f"{key} temp dir left behind")
        self.assertFalse(os.path.exists(os.path.join(home, ".aws")))
        if AWS:
            self.assertIn("HEALTHY", lines)
        port = int(url.rsplit(":", 1)[1])
        with socket.socket() as s:
            self.assertNotEqual(s.connect_ex(("127.0.0.1", port)), 0, "the emulator still listens")

    def test_fleet(self):
        # make demo FLEET=1: fleet:12x3, its AWS files, a [fleet] config, sync --fleet, the console
        p, lines, _ = self.run_demo(SESEMU_FLEET="1")
        self.assertEqual(p.returncode, 0, p.stderr)
        calls = [re.sub(r"--dns-server \S+ ?", "", line) for line in lines if line.startswith("ARGS:")]
        self.assertEqual(len(calls), 2, calls)
        self.assertRegex(calls[0], r"^ARGS:--config \S+/sesctl\.conf sync --fleet$")
        self.assertRegex(calls[1], r"^ARGS:--config \S+/sesctl\.conf$")
        self.assertIn("CONF:profiles = prod-*, staging, dev, cust-*", lines)
        self.assertIn("CONF:regions = eu-west-1, us-east-1, us-west-2", lines)
        self.assertIn("PROFILES:13", lines)      # 12 accounts and fleet-admin
        env = dict(line.split("=", 1) for line in lines if "=" in line and line.startswith("AWS_"))
        self.assertEqual(env["AWS_PROFILE"], "fleet-admin")
        self.assertNotIn("AWS_ACCESS_KEY_ID", env)
        self.assertIn("fleet:12x3", p.stderr)

    def test_ctrl_c_stops_the_emulator(self):
        import signal
        import time
        _, fake, record = self.fake_sesctl()
        env = dict(os.environ, SESCTL=fake, RECORD=record, AWS_BIN="", FAIL_BARE="")
        # a terminal's Ctrl-C: SIGINT to the whole foreground process group
        p = subprocess.Popen(["bash", os.path.join(HERE, "demo.sh"), "wait"], env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(600):
                if os.path.exists(record) and "READY" in read(record):
                    break
                time.sleep(0.1)
            url = next(line.split("=", 1)[1] for line in read(record).splitlines()
                       if line.startswith("AWS_ENDPOINT_URL="))
            os.killpg(p.pid, signal.SIGINT)
            self.assertEqual(p.wait(timeout=60), 130)
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        with socket.socket() as s:
            self.assertNotEqual(s.connect_ex(("127.0.0.1", int(url.rsplit(":", 1)[1]))), 0)

    @unittest.skipIf(AWS is None, "the AWS CLI is not installed")
    def test_emulator_flags_and_log(self):
        log = tempfile.NamedTemporaryFile(prefix="sesemu-log-", delete=False)
        log.close()
        self.addCleanup(os.unlink, log.name)
        p, lines, _ = self.run_demo("x", SESEMU_ARGS="--verbose --fault throttle:1:GetAccount",
                                    SESEMU_LOG=log.name, AWS_MAX_ATTEMPTS="1", SESEMU_DNS="0")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(lines[0], "ARGS:x")        # SESEMU_DNS=0: no DNS server, no --dns-server
        self.assertIn("TooManyRequestsException", "\n".join(lines))
        self.assertIn("sesemu: eu-west-1 v2 GetAccount -> 429 [throttle]", read(log.name))

    def test_falls_back_to_cli_verbs_without_a_tui(self):
        p, lines, _ = self.run_demo(fail_bare=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        calls = [re.sub(r"--dns-server \S+ ?", "", line) for line in lines if line.startswith("ARGS:")]
        self.assertEqual(calls, ["ARGS:-q events tap --topic arn:aws:sns:eu-west-1:123456789012:ses-feedback --yes",
                                 "ARGS:-q dmarc import s3://shop-dmarc-reports/dmarc/",
                                 "ARGS:", "ARGS:whoami", "ARGS:identities list"])



if __name__ == "__main__":
    unittest.main()
