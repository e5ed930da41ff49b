"""The six moments of ../shared/SCENARIOS.md, walked in a real terminal (tmux) against the
emulator's demo account, at 80x24 and at 132x43 (issue 20, "Done when"). Each walk is the
operator's keys, one after another, with what the screen must say between them; changes
are read back from the emulator. The other TUI tests look at each pane closely; this one
checks that the moments go as written, end to end, at both sizes."""

import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import BIN, REGION, ROOT, TmuxMixin, TuiTest  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import ACCESS_KEY, SECRET_KEY, Sesemu  # noqa: E402

ACCOUNT = "123456789012"
DOMAIN = "receipts.shop.example"
SUPPORT = "support@help.shop.example"
SIZES = {"80x24": (80, 24), "132x43": (132, 43)}


def have_dnslib():
    try:
        import dnslib  # noqa: F401
        return True
    except ImportError:
        return os.path.isdir("/usr/lib/python3/dist-packages/dnslib")


@unittest.skipUnless(have_dnslib(), "SKIP: python3-dnslib is missing (sesemu --dns-port)")
class Scenarios(TmuxMixin, TuiTest):
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo", args=["--dns-port", "0"]).start()

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def setUp(self):
        super().setUp()
        self.emu.reset("demo")
        self.v2 = self.emu.client("sesv2")

    # ---- helpers ----

    def console(self, size, args=(), env=None):
        cols, rows = SIZES[size]
        e = self.emu.env({})
        e.update(env or {})
        self.start(cols=cols, rows=rows, args=("--dns-server", self.emu.dns_server, *args),
                   extra_env=e)

    def keys(self, *keys):
        self.tmux("send-keys", *keys)

    def esc(self, then):
        """Escape alone (Escape and a key sent together read as Alt-key), then what the
        screen shows after it."""
        self.keys("Escape")
        return self.wait_for(*then) if isinstance(then, tuple) else self.wait_for(then)

    def typed(self, text):
        self.tmux("send-keys", "-l", text)
        self.tmux("send-keys", "Enter")

    def quit(self):
        self.keys("q")
        self.assertEqual(self.wait_dead(), "0")
        self.tmux("kill-server", check=False)
        self.started = False

    def cli(self, *args):
        p = subprocess.run([BIN, "--cache", self.cache, "--region", REGION, *args],
                           env=self.env(100, 30, self.emu.env({})), capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def sending(self):
        return self.v2.get_account()["SendingEnabled"]

    def pause_with_p(self, reason):
        self.keys("3")
        self.wait_for("[3 Acc")
        self.keys("P")
        self.wait_for(f"Pause sending for account {ACCOUNT} in {REGION}? Reason:")
        self.typed(reason)
        self.wait_for("Type", ACCOUNT)  # the typed confirmation
        self.typed(ACCOUNT)
        return self.wait_for("SENDING PAUSED", reason[:20])

    # ---- 1. 02:13, bounce alarm ----

    def walk_1(self, size):
        self.cli("sync")
        self.addCleanup(self.v2.put_account_sending_attributes, SendingEnabled=True)
        self.console(size)
        s = self.wait_for("data ")  # the first frame, from the cache, with its age
        self.assertIn("[1 Id", s)
        self.keys("2")
        self.wait_for("[2 Rep", "bounce")
        s = self.pause_with_p("INC-4711 bounce spike")
        self.assertRegex(s.splitlines()[1], r"SENDING PAUSED \d{4}-\d\d-\d\d \d\d:\d\dZ by \S+")
        self.assertFalse(self.sending())
        self.wait_for("Suppression list")  # the burst of hard bounces is one section away
        self.quit()
        # the next morning, a colleague: the same banner; `sesctl audit` has the command
        self.console(size)
        self.wait_for("SENDING PAUSED", "INC-4711")
        self.quit()
        audit = json.loads(self.cli("audit", "--json"))
        self.assertEqual(audit[0]["command"],
                         "sesctl sending pause --reason 'INC-4711 bounce spike' --region "
                         + REGION)

    # ---- 2. onboarding a new sending domain ----

    def walk_2(self, size):
        self.addCleanup(self.v2.delete_email_identity, EmailIdentity=DOMAIN)
        self.console(size)
        self.wait_for("legacy-brand.example")
        self.keys(":")
        self.typed(f"identity create {DOMAIN} --key-length 2048")
        self.wait_for(f"ok: sesctl identity create {DOMAIN}"[:60])
        self.keys(":")
        self.typed(f"identity mail-from {DOMAIN} bounce.{DOMAIN}")
        self.wait_for("ok: sesctl identity mail-from"[:40])
        self.keys("1", "/")
        self.typed(DOMAIN)
        self.keys("Enter")  # its detail; then the DNS pane follows the selection
        self.wait_for(f"identity {DOMAIN}"[:30])
        self.esc("sending  feedback")
        self.keys("5")
        self.wait_for(f"{DOMAIN}: ", " records")
        self.keys("C")
        s = self.wait_for("MISSING")
        deadline = time.monotonic() + 60
        while s.count("MISSING") < 5:  # 3 DKIM, MAIL FROM MX and SPF; rows turn one by one
            self.assertLess(time.monotonic(), deadline, s)
            time.sleep(0.05)
            s = self.screen()
        self.keys("j", "Y")
        self.wait_for("bytes via tmux buffer")
        self.assertIn("._domainkey." + DOMAIN, self.tmux("show-buffer"))
        self.quit()

    # ---- 3. the same domain in a second region ----

    def walk_3(self, size):
        for region in (REGION, "us-west-2"):
            v2 = self.emu.client("sesv2", region=region)
            v2.create_email_identity(EmailIdentity=DOMAIN)
            self.addCleanup(v2.delete_email_identity, EmailIdentity=DOMAIN)
        self.cli("--region", "us-west-2", "sync")
        self.cli("sync")
        self.console(size, args=("--region", "us-west-2"))
        self.wait_for("legacy-brand.example")
        self.keys("/")
        self.typed(DOMAIN)
        self.keys("5")
        s = self.wait_for(f"{DOMAIN}: ")
        self.assertEqual(s.count("DKIM"), 6, s)  # three per region
        self.assertIn("us-west-2", s)
        self.quit()
        batch = json.loads(self.cli("--region", "us-west-2", "dns", DOMAIN, "--format",
                                    "route53"))
        names = [c["ResourceRecordSet"]["Name"] for c in batch["Changes"]]
        self.assertEqual(len([n for n in names if "._domainkey." in n]), 6, names)

    # ---- 4. where does mail to support@ go? ----

    def walk_4(self, size):
        self.addCleanup(self.emu.reset, "demo")
        self.console(size)
        self.wait_for("legacy-brand.example")
        self.keys("6")
        self.wait_for("[6 Rul", "inbound-main")
        self.keys("T")
        self.typed(SUPPORT)
        s = self.wait_for("stopped at rule 1 (spam-drop)")
        self.assertIn("Stop", s)
        self.esc("spam-drop")  # back to the rules of the active set, in their order
        self.wait_for("support-to-s3")
        self.keys("g", "j", "K")
        self.wait_for("Move rule support-to-s3 to the top of inbound-main")
        self.keys("y")
        self.wait_for("ok: sesctl receipt rule move")
        rules = self.emu.client("ses").describe_receipt_rule_set(RuleSetName="inbound-main")
        self.assertEqual([r["Name"] for r in rules["Rules"]][:2], ["support-to-s3", "spam-drop"])
        self.keys("T")  # the prompt keeps the last address: Enter traces it again
        self.wait_for("trace")
        self.keys("Enter")
        s = self.wait_for("1 support-to-s3", "S3 shop-inbound-mail", "2 rules applied")
        self.assertIn("SNS", s)
        self.quit()

    # ---- 5. compromised SMTP credentials ----

    def walk_5(self, size):
        self.addCleanup(self.v2.put_account_sending_attributes, SendingEnabled=True)
        self.console(size)
        self.wait_for("legacy-brand.example")
        self.pause_with_p("INC-5 smtp creds")
        self.keys("l", "l")
        self.wait_for("Rotate or delete the SMTP credentials")
        # the step by its words, not its row: the checklist starts with "pause only the sick
        # stream" when the demo's rates put one set over a line, and a refresh may add it
        self.keys("/")
        self.typed("Rotate or delete")
        self.wait_for("filter /Rotate or delete")
        self.keys("Enter")  # the IAM commands, with the account's values
        self.wait_for("aws iam update-access-key")
        self.esc("1/1")  # the detail closed, the filter still on
        self.esc("Spot the spike")
        self.keys("P")
        self.wait_for("Resume sending", "was paused")  # the reminder: who paused, when, why
        self.keys("y")
        self.wait_for("Reason for resuming")
        self.typed("creds rotated, IPs restricted")
        self.wait_for("Type", ACCOUNT)
        self.typed(ACCOUNT)
        self.wait_for("ok: sesctl sending resume")
        self.assertNotIn("SENDING PAUSED", self.tmux("capture-pane", "-p").splitlines()[1])
        self.assertTrue(self.sending())
        self.quit()

    # ---- 6. read-only on call ----

    def walk_6(self, size):
        self.addCleanup(self.v2.put_account_sending_attributes, SendingEnabled=True)
        self.write_config("[profile prod-oncall]\nread_only = true\n"
                          "[profile prod-admin]\nprotected = true\n")
        os.makedirs(os.path.join(self.home, ".aws"), exist_ok=True)
        with open(os.path.join(self.home, ".aws", "config"), "a") as f:
            f.write(f"[profile prod-oncall]\nregion = {REGION}\n"
                    f"[profile prod-admin]\nregion = {REGION}\n")
        with open(os.path.join(self.home, ".aws", "credentials"), "a") as f:
            for name in ("prod-oncall", "prod-admin"):  # explicit profiles skip AWS_* keys
                f.write(f"[{name}]\naws_access_key_id = {ACCESS_KEY}\n"
                        f"aws_secret_access_key = {SECRET_KEY}\n")
        self.console(size, args=("--profile", "prod-oncall"))
        s = self.wait_for("[RO]")
        self.keys("3", "P")
        self.wait_for("read-only profile 'prod-oncall'")
        self.keys(":")
        self.typed("sending pause --reason x")
        self.wait_for("refused: read-only profile 'prod-onc")
        self.assertTrue(self.sending())
        self.keys(":")
        self.typed("profile prod-admin")
        self.wait_for("profile prod-admin (protected)")
        self.pause_with_p("INC-6 from admin")
        self.assertFalse(self.sending())
        self.quit()


def _add(n, size):
    def test(self):
        getattr(self, f"walk_{n}")(size)
    test.__name__ = f"test_scenario_{n}_at_{size}"
    setattr(Scenarios, test.__name__, test)


for _n in range(1, 7):
    for _size in SIZES:
        _add(_n, _size)


if __name__ == "__main__":
    unittest.main()
