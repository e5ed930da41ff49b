"""The DNS pane against the emulator's demo account and its DNS server (sesemu --dns-port:
a loopback server answering from the emulator's zone, which the tests change between runs).

Scenario 2 (onboarding receipts.shop.example): every record MISSING, then published with one
DKIM CNAME wrong (the provider appended the zone twice) and the pane shows WRONG with what
is published beside what is expected, then fixed and all OK. Copies: Y in a real terminal
under tmux goes to the tmux buffer; headless, export writes a file that is parsed back."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuitest import REGION, ROOT, TmuxMixin, TuiTest  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
from sesemu_fixture import Sesemu  # noqa: E402

DOMAIN = "receipts.shop.example"
MAIL_FROM = "bounce." + DOMAIN
CEILING = 30.0


def have_dnslib():
    try:
        import dnslib  # noqa: F401
        return True
    except ImportError:
        return os.path.isdir("/usr/lib/python3/dist-packages/dnslib")


def normalize(screen, secrets):
    """Random tokens (even cut short by a column), the data age, the DNS server's port and
    the check time vary between runs; the status line is compared by the tests themselves."""
    lines = screen.splitlines()[:-1]
    lines[0] = re.sub(r" +data \d+ (s|min) old$", "  data <age>", lines[0])
    text = "\n".join(lines) + "\n"
    for i, tok in enumerate(secrets):
        mask = f"tok{i}" + "x" * (len(tok) - 4)
        for n in range(len(tok), 9, -1):
            text = text.replace(tok[:n], mask[:n])
    text = re.sub(r"127\.0\.0\.1:\d{4,5}", "127.0.0.1:<port>", text)
    return re.sub(r"checked \d\d:\d\dZ", "checked <hh:mm>Z", text)


def record_rows(screen):
    return [l for l in screen.splitlines()[2:-1]
            if re.match(r"^\S+ (OK|MISSING|WRONG|CONFLICT|ERROR|unchecked|optional) ", l)]


def summary_line(screen):
    """The line under the records: domain, counts, when and where it was checked, keys."""
    return next(l for l in screen.splitlines() if re.match(r"^(\S+|every domain \(\d+\)): \d+ record", l))


def status_of(screen, name_part, rtype):
    for line in screen.splitlines():
        cols = line.split()
        if len(cols) > 3 and name_part in cols[2] and cols[3] == rtype:
            return cols[1]
    return None


@unittest.skipUnless(have_dnslib(), "SKIP: python3-dnslib is missing (sesemu --dns-port)")
class DnsPane(TuiTest):
    emu = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Sesemu(seed="demo", args=["--dns-port", "0"]).start()
        v2 = cls.emu.client("sesv2")
        v2.create_email_identity(EmailIdentity=DOMAIN,
                                 DkimSigningAttributes={"NextSigningKeyLength": "RSA_2048_BIT"})
        v2.put_email_identity_mail_from_attributes(EmailIdentity=DOMAIN, MailFromDomain=MAIL_FROM)
        cls.tokens = v2.get_email_identity(EmailIdentity=DOMAIN)["DkimAttributes"]["Tokens"]
        v1 = cls.emu.client("ses").get_identity_verification_attributes(Identities=[DOMAIN])
        cls.secrets = cls.tokens + [v1["VerificationAttributes"][DOMAIN]["VerificationToken"]]

    @classmethod
    def tearDownClass(cls):
        if cls.emu:
            cls.emu.stop()

    def setUp(self):
        super().setUp()
        self.emu.publish_dns(remove=self.published_names())

    def published_names(self):
        return [f"{t}._domainkey.{DOMAIN}" for t in self.tokens] + [
            MAIL_FROM, f"_amazonses.{DOMAIN}", f"_dmarc.{DOMAIN}"]

    def publish(self, wrong_dkim=False):
        zone = {f"{t}._domainkey.{DOMAIN}": {"CNAME": [f"{t}.dkim.amazonses.com"]} for t in self.tokens}
        if wrong_dkim:  # the provider's classic: the zone name appended twice
            zone[f"{self.tokens[1]}._domainkey.{DOMAIN}"] = {
                "CNAME": [f"{self.tokens[1]}.dkim.amazonses.com.{DOMAIN}.{DOMAIN}"]}
        zone[MAIL_FROM] = {"MX": [f"10 feedback-smtp.{REGION}.amazonses.com"],
                           "TXT": ["v=spf1 include:amazonses.com ~all"]}
        zone[f"_amazonses.{DOMAIN}"] = {"TXT": [self.secrets[3]]}
        zone[f"_dmarc.{DOMAIN}"] = {"TXT": [f"v=DMARC1; p=none; rua=mailto:dmarc-reports@{DOMAIN}"]}
        self.emu.publish_dns(add=zone)

    def run_dns(self, *steps, **kw):
        return self.run_script(*steps, env=self.emu.env({}),
                               args=("--dns-server", self.emu.dns_server), **kw)

    def open_pane(self):
        return ("key r", f"keys /{DOMAIN}", "key <Enter>", ":dns")

    def test_onboarding_missing_then_wrong_then_ok(self):
        r = self.run_dns(*self.open_pane(), "dump unchecked", "key C", "dump missing")
        self.assert_screen("dns-unchecked-80x24", normalize(r.screens["unchecked"], self.secrets))
        s = r.screens["missing"]
        self.assert_screen("dns-missing-80x24", normalize(s, self.secrets))
        # shop.example's own DMARC record covers the subdomain: that row is OK
        # DKIM verifies the domain: the legacy _amazonses TXT is optional, not MISSING
        self.assertRegex(s.splitlines()[-1],
                         r"checked 7 records via 127\.0\.0\.1:\d+: 1 OK, 5 MISSING, 1 optional")
        rows = record_rows(s)
        self.assertEqual(len(rows), 7, s)
        self.assertEqual([l.split()[1] for l in rows], ["optional"] + ["MISSING"] * 5 + ["OK"], s)
        self.assertIn("_dmarc\u2026.shop.example", rows[-1])  # elided in the middle: the domain stays

        self.publish(wrong_dkim=True)
        r = self.run_dns(*self.open_pane(), "key r", "dump wrong", "key j", "key j",
                         "key <Enter>", "dump detail", cols=132, rows=43)
        s = r.screens["wrong"]
        self.assert_screen("dns-wrong-132x43", normalize(s, self.secrets))
        self.assertEqual(status_of(s, self.tokens[1][:12], "CNAME"), "WRONG", s)
        # the list shows what is published beside what is expected (issue 20)
        wrong = next(l for l in record_rows(s) if " WRONG " in l)
        self.assertIn(f"published: extra at the end: .{DOMAIN}.{DOMAIN}"[:40], wrong)
        self.assertEqual(status_of(s, self.tokens[0][:12], "CNAME"), "OK", s)
        self.assertRegex(s.splitlines()[-1], r"^refreshed in \d+ s")
        self.assertIn(f"{DOMAIN}: 7 records, 6 OK, 1 WRONG; checked", summary_line(s))
        d = r.screens["detail"]
        self.assertIn(f"expected                   {self.tokens[1]}.dkim.amazonses.com\n", d)
        self.assertIn(f"published                  {self.tokens[1]}.dkim.amazonses.com."
                      f"{DOMAIN}.{DOMAIN}\n", d)
        self.assertIn("status                     WRONG", d)
        self.assertIn(f"difference                 extra at the end: .{DOMAIN}.{DOMAIN}\n", d)
        self.assertIn("alignment                  DKIM aligned:", d)

        self.publish()
        r = self.run_dns(*self.open_pane(), "key r", "dump ok", cols=132, rows=43)
        s = r.screens["ok"]
        self.assertIn(f"{DOMAIN}: 7 records, 7 OK; checked", summary_line(s))
        self.assertIn("alignment: DKIM aligned yes, SPF aligned yes, DMARC pass yes", s)

    def test_copy_and_export_without_a_clipboard(self):
        # nothing published here: SES would verify the domain, and the other tests' screens
        # (the alignment verdict) would depend on the order the tests run in
        r = self.run_dns(*self.open_pane(), "key Y", "dump copied", "key E", "key <C-u>",
                         "keys route53", "key <Enter>", "dump exported", cols=132, rows=43)
        exports = os.path.join(self.home, ".local", "state", "sesctl", "exports")
        # headless: no tty and no tmux, so Y saves to a file and says so
        copied = r.screens["copied"].splitlines()[-1]
        self.assertRegex(copied, r"no clipboard reachable; saved \d+ bytes to .*dns-copy\.txt")
        with open(os.path.join(exports, "dns-copy.txt")) as f:
            line = f.read()
        self.assertEqual(line, f"_amazonses.{DOMAIN}.\t1800\tIN\tTXT\t\"{self.secrets[3]}\"")
        last = r.screens["exported"].splitlines()[-1]
        path = os.path.join(exports, f"{DOMAIN}-dns.route53.json")
        self.assertIn(f"saved {os.path.getsize(path)} bytes to", last)
        with open(path) as f:
            batch = json.load(f)
        names = sorted(c["ResourceRecordSet"]["Name"] for c in batch["Changes"])
        # the suggested DMARC record and the optional legacy TXT are left out of the batch
        self.assertEqual(len(names), 5)
        self.assertFalse([n for n in names if n.startswith(("_dmarc.", "_amazonses."))], names)
        self.assertIn(f"{MAIL_FROM}.", names)

    def test_two_regions_merge(self):
        """Scenario 3: the same domain in us-west-2 too: one _amazonses name with two values,
        six DKIM CNAMEs, a MAIL FROM pair per region, one DMARC record."""
        west = self.emu.client("sesv2", region="us-west-2")
        west.create_email_identity(EmailIdentity=DOMAIN)
        self.addCleanup(west.delete_email_identity, EmailIdentity=DOMAIN)
        west.put_email_identity_mail_from_attributes(EmailIdentity=DOMAIN,
                                                     MailFromDomain="bounce-us-west-2." + DOMAIN)
        west_tokens = west.get_email_identity(EmailIdentity=DOMAIN)["DkimAttributes"]["Tokens"]
        r = self.run_script("key r", f"keys /{DOMAIN}", "key <Enter>", ":dns", "dump both",
                            "key E", "key <C-u>", "keys route53", "key <Enter>", "dump exported",
                            env=self.emu.env({}), region=None, cols=132, rows=43,
                            args=("--region", REGION, "--region", "us-west-2"))
        s = r.screens["both"]
        rows = record_rows(s)
        kinds = [l.split()[3] for l in rows]
        self.assertEqual(kinds.count("CNAME"), 6, s)
        self.assertEqual(kinds.count("MX"), 2, s)
        self.assertEqual(sum(1 for l in rows if "DMARC" in l), 1, s)
        self.assertEqual(sum(1 for l in rows if l.split()[2] == f"_amazonses.{DOMAIN}"), 2, s)
        self.assertIn("us-west-2", s)
        self.assertTrue(any(west_tokens[0] in l for l in rows), s)
        # the change batch the DNS team applies with one aws route53 command
        path = os.path.join(self.home, ".local", "state", "sesctl", "exports",
                            f"{DOMAIN}-dns.route53.json")
        self.assertIn(f"saved {os.path.getsize(path)} bytes to", r.screens["exported"])
        with open(path) as f:
            changes = {(c["ResourceRecordSet"]["Name"], c["ResourceRecordSet"]["Type"]): c
                       for c in json.load(f)["Changes"]}
        # DKIM verifies the domain in both regions: the legacy TXT is optional, not applied
        self.assertNotIn((f"_amazonses.{DOMAIN}.", "TXT"), changes)
        self.assertEqual(sum(1 for k in changes if k[1] == "CNAME"), 6)
        self.assertIn((f"bounce-us-west-2.{DOMAIN}.", "MX"), changes)
        self.assertIn((f"{MAIL_FROM}.", "MX"), changes)
        self.assertTrue(all(c["Action"] == "UPSERT" for c in changes.values()))

    def test_region_change_forgets_the_check(self):
        """After :region the summary said "checked 07:25Z via ..." of the other region's
        records (issue 20)."""
        r = self.run_dns(*self.open_pane(), "key C", "dump checked", ":region us-west-2",
                         ":dns", "dump other", cols=132, rows=43)
        self.assertIn("; checked ", summary_line(r.screens["checked"]))
        other = [l for l in r.screens["other"].splitlines()
                 if re.match(r"^(\S+|every domain \(\d+\)): \d+ record", l)]
        self.assertTrue(all("; checked " not in l for l in other), r.screens["other"])

    def test_follows_a_selection_made_by_filtering(self):
        """/receipts Enter in Identities, then 5: the DNS pane showed the domain it had
        shown before (issue 20)."""
        r = self.run_dns("key r", "key 5", "dump before", "key 1", f"keys /{DOMAIN}",
                         "key <Enter>", "key 5", "dump after", cols=132, rows=43)
        self.assertNotIn(f"{DOMAIN}: ", summary_line(r.screens["before"]))
        self.assertTrue(summary_line(r.screens["after"]).startswith(f"{DOMAIN}: "),
                        r.screens["after"])

    def test_inbound_mx_for_a_receiving_domain(self):
        """help.shop.example receives through the active rule set: its MX is in the list."""
        r = self.run_dns("key r", "keys /help.shop.example", "key <Enter>", ":dns", "key C",
                         "dump inbound", cols=132, rows=43)
        s = r.screens["inbound"]
        mx = [l for l in record_rows(s) if "Inbound MX" in l]
        self.assertEqual(len(mx), 1, s)
        self.assertIn(f"10 inbound-smtp.{REGION}.amazonaws.com", mx[0])
        self.assertTrue(mx[0].startswith("\u2713 OK"), mx[0])


@unittest.skipUnless(shutil.which("tmux") and have_dnslib(), "SKIP tmux or python3-dnslib missing")
class DnsPaneTmux(TmuxMixin, TuiTest):
    """Scenario 2 in a real terminal: the MISSING rows, Y copies a zone line into the tmux
    buffer, the records are published, `r` refreshes and checks: OK."""

    def setUp(self):
        super().setUp()
        self.emu = Sesemu(seed="demo", args=["--dns-port", "0"]).start()
        self.addCleanup(self.emu.stop)

    def test_scenario_2_live(self):
        v2 = self.emu.client("sesv2")
        v2.create_email_identity(EmailIdentity=DOMAIN)
        tokens = v2.get_email_identity(EmailIdentity=DOMAIN)["DkimAttributes"]["Tokens"]
        self.start(100, 30, args=["--dns-server", self.emu.dns_server], extra_env=self.emu.env({}))
        self.wait_for("legacy-brand.example")  # a stale cache refreshes on its own at start
        self.tmux("send-keys", "/" + DOMAIN, "Enter", ":dns", "Enter")
        self.wait_for(f"{DOMAIN}: 5 records")
        self.tmux("send-keys", "C")
        # the legacy _amazonses TXT of a domain DKIM verifies is optional, not MISSING
        self.wait_for("checked 5 records via", "1 OK, 3 MISSING, 1 optional")
        self.tmux("send-keys", "j", "Y")  # the first DKIM CNAME as a zone line
        want = f"{tokens[0]}._domainkey.{DOMAIN}.\t1800\tIN\tCNAME\t{tokens[0]}.dkim.amazonses.com."
        self.wait_for(f"copied {len(want)} bytes via tmux buffer")
        self.assertEqual(self.tmux("show-buffer"), want)
        self.tmux("send-keys", "N")
        name = f"{tokens[0]}._domainkey.{DOMAIN}"
        self.wait_for(f"copied {len(name)} bytes via tmux buffer (name)")
        self.assertEqual(self.tmux("show-buffer"), name)
        # a click selects the row under the pointer (the table starts at the body's top, under
        # the banner when one shows: the demo's paused tenants give one)
        head = next(i for i, l in enumerate(self.screen().splitlines()) if l.startswith("status "))
        row3 = head + 3
        for b in (0, 3):  # X10 mouse report: press, release
            self.tmux("send-keys", "-H", "1b", "5b", "4d", f"{32 + b:02x}", f"{33 + 3:02x}",
                      f"{33 + row3:02x}")
        self.wait_for(" 3/5")
        deadline = time.monotonic() + CEILING
        while self.tmux("display-message", "-p", "#{cursor_y}").strip() != str(row3):
            self.assertLess(time.monotonic(), deadline, "the cursor did not follow the click")
            time.sleep(0.05)
        self.emu.publish_dns(add={f"{t}._domainkey.{DOMAIN}": {"CNAME": [f"{t}.dkim.amazonses.com"]}
                                  for t in tokens})
        # a check alone: the records are live, SES (as last read) has not verified them
        self.tmux("send-keys", "C")
        self.wait_for("alignment: DKIM aligned pending", "live in DNS, SES not verified yet")
        self.tmux("send-keys", "r")  # refresh, then check again
        deadline = time.monotonic() + CEILING
        s = self.wait_for("5 records, 4 OK, 1 optional")
        while s.count("\u2713 OK  ") != 4:  # the rows follow the summary line
            self.assertLess(time.monotonic(), deadline, s)
            time.sleep(0.05)
            s = self.tmux("capture-pane", "-p")
        self.assertEqual(s.count("\u2717 MISSING"), 0, s)
        self.assertIn("5 records, 4 OK, 1 optional", s)


if __name__ == "__main__":
    unittest.main()
