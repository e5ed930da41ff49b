"""Terminal injection: hostile bytes that SES (here: the emulator) will carry — in tags,
identity policies, receipt rule recipients, error messages and response headers, DNS answers
— reach sesctl's output inert.

Text output: no ESC, no C0 control but TAB/LF, no DEL, no C1 control, no bidi override, valid
UTF-8 (checked on stdout and stderr). JSON: the same, parseable, and the parsed strings equal
what was stored (escaped, not mangled). CSV: the same.
"""

import json
import os
import socket
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hardtest import HardTest, HttpFixture, fuzz_seeds, hostile_bytes_in  # noqa: E402

_seeds = fuzz_seeds()
dns_msg, dns_name, txt = _seeds.dns_msg, _seeds.dns_name, _seeds.txt

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"           # "copy `echo pwned` to the clipboard"
EVIL = ("\x1b[31mred\x1b[0m " + OSC52 + " \x1b[2J\x1b[H \x9b6n \x9d0;title\x9c bel\x07 bs\x08 cr\r"
        " \u202eevil\u202c \u2066iso\u2069 del\x7f")
EVIL_NUL = EVIL + " nul\x00after"
# XML 1.0 cannot carry C0 controls at all (moto then sends XML that does not parse, which
# sesctl refuses: see test_v1_reply_with_raw_escape); C1, DEL and bidi controls are legal
EVIL_XML = "\x9b6n \x9d0;title\x9c \u202eevil\u202c \u2066iso\u2069 del\x7f <&>"


class Injection(HardTest):
    SEED = "empty"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        v2, v1 = cls.emu.client("sesv2"), cls.emu.client("ses")
        v2.create_email_identity(EmailIdentity="evil.example",
                                 Tags=[{"Key": "k" + EVIL, "Value": EVIL_NUL}, {"Key": "plain", "Value": EVIL}])
        policy = {"Version": "2012-10-17", "Statement": [{"Sid": "s1", "Effect": "Allow", "Principal": {"AWS": EVIL},
                                                           "Action": "ses:SendEmail", "Resource": "*"}]}
        v2.create_email_identity_policy(EmailIdentity="evil.example", PolicyName="p1", Policy=json.dumps(policy))
        v1.create_receipt_rule_set(RuleSetName="inbound")
        v1.create_receipt_rule(RuleSetName="inbound", Rule={
            "Name": "evil-rule", "Enabled": True, "Recipients": [EVIL_XML + "@evil.example", "evil.example"],
            "Actions": [{"AddHeaderAction": {"HeaderName": "X-Evil", "HeaderValue": EVIL_XML}},
                        {"BounceAction": {"SmtpReplyCode": "550", "Message": EVIL_XML, "Sender": "b@evil.example"}},
                        {"StopAction": {"Scope": "RuleSet"}}]})
        v1.set_active_receipt_rule_set(RuleSetName="inbound")

    def assertInert(self, r, what):
        for name, data in (("stdout", r.out), ("stderr", r.err)):
            if "--csv" in what:     # RFC 4180 records end in CRLF
                data = data.replace(b"\r\n", b"\n")
            self.assertEqual(hostile_bytes_in(data), [], f"{what}: {name} carries live bytes:\n{r!r}")

    def run_all(self, cases, env=None):
        for args in cases:
            r = self.run_bytes(*args, env=env)
            self.assertInert(r, " ".join(args))
            if "--json" in args and r.out:
                json.loads(r.out)
        return r

    def test_emulator_data_is_inert_in_text_json_and_csv(self):
        r = self.run_bytes("sync")
        self.assertEqual(r.code, 0, repr(r))
        self.run_all([("identities", "list"), ("identities", "list", "--csv"), ("identity", "show", "evil.example"),
                      ("identity", "show", "evil.example", "--csv"), ("receipt", "sets"), ("receipt", "show"),
                      ("receipt", "show", "inbound", "--csv"), ("receipt", "trace", "x@evil.example"),
                      ("receipt", "trace", EVIL_XML + "@evil.example"),
                      ("receipt", "trace", EVIL.replace("\x00", "") + "@evil.example"), ("log",), ("audit",)])
        # the text shows the escapes, so an operator sees something odd is there
        r = self.run_bytes("identity", "show", "evil.example")
        self.assertIn(b"\\e]52;c;", r.out)
        self.assertIn(b"\\u202e", r.out)

    def test_json_is_escaped_and_lossless(self):
        self.assertEqual(self.run_bytes("sync").code, 0)
        r = self.run_bytes("identity", "show", "evil.example", "--json")
        self.assertInert(r, "identity show --json")
        got = r.json()
        self.assertEqual(got["tags"]["plain"], EVIL)
        self.assertEqual(json.loads(got["policies"]["p1"])["Statement"][0]["Principal"]["AWS"]
                         if isinstance(got["policies"]["p1"], str)
                         else got["policies"]["p1"]["Statement"][0]["Principal"]["AWS"], EVIL)
        r = self.run_bytes("receipt", "show", "inbound", "--json")
        self.assertInert(r, "receipt show --json")
        self.assertIn(EVIL_XML + "@evil.example", json.dumps(r.json(), ensure_ascii=False))
        r = self.run_bytes("identities", "list", "--json")
        self.assertInert(r, "identities list --json")

    def test_error_messages_and_headers_from_a_hostile_endpoint(self):
        body = json.dumps({"__type": "BadRequestException", "message": EVIL_NUL})
        script = {"default": {"status": 400, "body": body,
                              "headers": {"Content-Type": "application/x-amz-json-1.1",
                                          "x-amzn-ErrorType": "Bad\x1b[31mException:" + OSC52,
                                          "x-amzn-RequestId": "\x1b]0;owned\x07\x9b2J"}}}
        xml = ("<ErrorResponse><Error><Code>Evil\x1b[5m</Code><Message>" + OSC52 + " \x9b2J \u202eabc"
               "</Message></Error><RequestId>\x1b[2J</RequestId></ErrorResponse>")
        for sc in (script, {"default": {"status": 403, "body": xml, "headers": {"Content-Type": "text/xml"}}},
                   {"default": {"status": 200, "body": "\x1b]52;c;AAAA\x07<html>" + EVIL + "</html>",
                                "headers": {"Content-Type": "text/html"}}}):
            with HttpFixture(sc, self.home) as srv:
                env = self.env(AWS_ENDPOINT_URL=srv.url)
                for args in (("identity", "show", "x.example", "--refresh"), ("sync",), ("whoami",),
                             ("receipt", "sets", "--refresh"), ("sync", "--json"), ("-v", "account", "--refresh")):
                    r = self.run_bytes(*args, env=env)
                    self.assertNotEqual(r.code, 0, repr(r))
                    self.assertInert(r, " ".join(args))
                    self.assertTrue(r.err, "a failure says why")

    def test_v1_reply_with_raw_escape(self):
        """A rule whose recipient holds ESC comes back as XML that does not parse: the kind
        fails with an inert sentence, the rest of the sync completes."""
        v1 = self.emu.client("ses")
        v1.create_receipt_rule_set(RuleSetName="esc-set")
        v1.create_receipt_rule(RuleSetName="esc-set", Rule={"Name": "r", "Enabled": True,
                                                            "Recipients": [EVIL + "@evil.example"]})
        try:
            r = self.run_bytes("receipt", "show", "esc-set", "--refresh")
            self.assertNotEqual(r.code, 0, repr(r))
            self.assertInert(r, "receipt show esc-set")
            r = self.run_bytes("receipt", "show", "esc-set", "--refresh", "--json")
            self.assertInert(r, "receipt show esc-set --json")
        finally:
            v1.delete_receipt_rule_set(RuleSetName="esc-set")

    def test_dns_answers(self):
        server = HostileDns()
        try:
            self.assertEqual(self.run_bytes("sync").code, 0)
            for args in (("dns", "evil.example", "--check", "--dns-server", server.addr),
                         ("dns", "evil.example", "--check", "--json", "--dns-server", server.addr),
                         ("dns", "evil.example", "--check", "--csv", "--dns-server", server.addr)):
                r = self.run_bytes(*args)
                self.assertInert(r, " ".join(args))
                if "--json" in args:
                    r.json()
            self.assertGreater(server.answered, 0, "the DNS server was never asked")
        finally:
            server.stop()


class HostileDns:
    """UDP DNS server on 127.0.0.1: every TXT answer carries escapes, invalid UTF-8 and NUL;
    CNAME and MX targets have a label with ESC in it."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.addr = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self.answered = 0
        self.stopping = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopping:
            try:
                pkt, peer = self.sock.recvfrom(4096)
            except OSError:
                return
            if len(pkt) < 12:
                continue
            i, labels = 12, []
            while i < len(pkt) and pkt[i]:
                labels.append(pkt[i + 1:i + 1 + pkt[i]].decode("latin-1"))
                i += 1 + pkt[i]
            qtype = int.from_bytes(pkt[i + 1:i + 3], "big")
            name = ".".join(labels)
            evil_label = b"\x0a\x1b[31mevil\x07" + b"\x07example\x00"
            if qtype == 16:
                answers = [(16, txt(b"v=spf1 \x1b]52;c;ZXZpbA==\x07 include:amazonses.com ~all")),
                           (16, txt(b"v=DMARC1; p=none; rua=mailto:\x1b[2J\x9b6n\xff\xfe@x.example")),
                           (16, txt(b"\x00nul \xe2\x80\xae bidi \xc2\x9b c1"))]
            elif qtype == 5:
                answers = [(5, evil_label)]
            elif qtype == 15:
                answers = [(15, b"\x00\x0a" + evil_label)]
            else:
                answers = []
            msg = bytearray(dns_msg(name, qtype, answers))
            msg[0:2] = pkt[0:2]                       # the query's id
            msg[12:12 + len(dns_name(name))] = pkt[12:12 + len(dns_name(name))]
            self.sock.sendto(bytes(msg), peer)
            self.answered += 1

    def stop(self):
        self.stopping = True
        self.sock.close()
        self.thread.join(timeout=10)


if __name__ == "__main__":
    unittest.main()
