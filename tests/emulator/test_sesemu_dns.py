"""sesemu: DNS-driven verification. A pending domain becomes SUCCESS when its three DKIM
CNAMEs are published on a DNS server on loopback (python3-dnslib, answering from a table
the test edits) or in a zone handed to the admin API; MAIL FROM follows its MX."""

import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase  # noqa: E402

DEBIAN_DIST = "/usr/lib/python3/dist-packages"
try:
    import dnslib  # noqa: F401
except ImportError:
    if os.path.isdir(DEBIAN_DIST):
        sys.path.append(DEBIAN_DIST)       # pure-Python python3-dnslib from Debian
try:
    from dnslib import CNAME, MX, QTYPE, RR, TXT
    from dnslib.server import BaseResolver, DNSLogger, DNSServer
except ImportError:  # pragma: no cover
    DNSServer = None


class TableResolver(BaseResolver if DNSServer else object):
    def __init__(self):
        self.records = {}          # (name, "CNAME"|"MX"|"TXT") -> [rdata]
        self.lock = threading.Lock()

    def add(self, name, rtype, rdata):
        with self.lock:
            self.records.setdefault((name.lower().rstrip("."), rtype), []).append(rdata)

    def resolve(self, request, handler):
        reply = request.reply()
        qname = str(request.q.qname).lower().rstrip(".")
        qtype = QTYPE[request.q.qtype]
        with self.lock:
            for rdata in self.records.get((qname, qtype), []):
                reply.add_answer(RR(request.q.qname, getattr(QTYPE, qtype), rdata=rdata, ttl=60))
        return reply


@unittest.skipIf(DNSServer is None, "python3-dnslib is not installed")
class DnsVerification(EmuTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.resolver = TableResolver()
        cls.dns = DNSServer(cls.resolver, port=0, address="127.0.0.1", logger=DNSLogger(logf=lambda s: None))
        cls.dns.start_thread()
        cls.dns_addr = "127.0.0.1:%d" % cls.dns.server.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.dns.stop()
        cls.dns.server.server_close()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        with self.resolver.lock:
            self.resolver.records.clear()

    def status(self, name):
        g = self.v2.get_email_identity(EmailIdentity=name)
        return g["VerificationStatus"], g["DkimAttributes"]["Status"]

    def test_dkim_cnames_on_a_loopback_dns_server(self):
        tokens = self.v2.create_email_identity(EmailIdentity="receipts.shop.example")["DkimAttributes"]["Tokens"]
        self.v2.put_email_identity_mail_from_attributes(EmailIdentity="receipts.shop.example",
                                                        MailFromDomain="bounce.receipts.shop.example")
        self.assertEqual(self.emu.publish_dns(server=self.dns_addr)["verified"], [])
        self.assertEqual(self.status("receipts.shop.example"), ("PENDING", "PENDING"))
        for t in tokens[:2]:
            self.resolver.add(f"{t}._domainkey.receipts.shop.example", "CNAME", CNAME(f"{t}.dkim.amazonses.com."))
        # the provider appended the zone name twice to the third one
        self.resolver.add(f"{tokens[2]}._domainkey.receipts.shop.example", "CNAME",
                          CNAME(f"{tokens[2]}.dkim.amazonses.com.receipts.shop.example."))
        self.assertEqual(self.status("receipts.shop.example"), ("PENDING", "PENDING"))
        self.resolver.add(f"{tokens[2]}._domainkey.receipts.shop.example", "CNAME",
                          CNAME(f"{tokens[2]}.dkim.amazonses.com."))
        self.assertEqual(self.status("receipts.shop.example"), ("SUCCESS", "SUCCESS"))
        mf = self.v2.get_email_identity(EmailIdentity="receipts.shop.example")["MailFromAttributes"]
        self.assertEqual(mf["MailFromDomainStatus"], "PENDING")
        self.resolver.add("bounce.receipts.shop.example", "MX", MX("feedback-smtp.eu-west-1.amazonses.com.", 10))
        self.resolver.add("bounce.receipts.shop.example", "TXT", TXT("v=spf1 include:amazonses.com ~all"))
        mf = self.v2.get_email_identity(EmailIdentity="receipts.shop.example")["MailFromAttributes"]
        self.assertEqual(mf["MailFromDomainStatus"], "SUCCESS")

    def test_byodkim_txt_record(self):
        from test_sesemu_v2 import rsa_key_b64
        self.v2.create_email_identity(EmailIdentity="byo.example", DkimSigningAttributes={
            "DomainSigningSelector": "s1", "DomainSigningPrivateKey": rsa_key_b64(1024)})
        self.emu.publish_dns(server=self.dns_addr)
        self.assertEqual(self.status("byo.example")[0], "PENDING")
        self.resolver.add("s1._domainkey.byo.example", "TXT", TXT("v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC"))
        self.assertEqual(self.status("byo.example"), ("SUCCESS", "SUCCESS"))

    def test_zone_given_to_the_admin_api(self):
        tokens = self.v2.create_email_identity(EmailIdentity="zone.example")["DkimAttributes"]["Tokens"]
        self.v2.create_email_identity(EmailIdentity="other.example")
        zone = {f"{t}._domainkey.zone.example": {"CNAME": f"{t}.dkim.amazonses.com"} for t in tokens}
        self.assertEqual(self.emu.publish_dns(zone=zone)["verified"], ["zone.example"])
        self.assertEqual(self.status("zone.example"), ("SUCCESS", "SUCCESS"))
        self.assertEqual(self.status("other.example"), ("PENDING", "PENDING"))
        self.assertRaises(RuntimeError, self.emu.publish_dns, server="192.0.2.1:53")


@unittest.skipIf(DNSServer is None, "python3-dnslib is not installed")
class EmulatorServesDns(unittest.TestCase):
    """sesemu --dns-port serves the seeded zone: what sesctl's DNS pane reads in make demo."""

    def test_demo_zone_served_and_driving_verification(self):
        import dnscheck
        from sesemu_fixture import Sesemu
        with Sesemu(seed="demo", args=["--dns-port", "0"]) as emu:
            host, port = emu.dns_server.split(":")
            srv = (host, int(port))
            v2 = emu.client("sesv2")
            shop = v2.get_email_identity(EmailIdentity="shop.example")
            for t in shop["DkimAttributes"]["Tokens"]:
                self.assertEqual(dnscheck.query(srv, f"{t}._domainkey.shop.example", "CNAME"),
                                 [f"{t}.dkim.amazonses.com"])
            self.assertEqual(dnscheck.query(srv, "bounce.shop.example", "MX"),
                             ["10 feedback-smtp.eu-west-1.amazonses.com"])
            self.assertTrue(dnscheck.query(srv, "_dmarc.shop.example", "TXT")[0].startswith("v=DMARC1; p=quarantine"))
            self.assertEqual(dnscheck.query(srv, "mf.mail.shop.example", "MX"), [])      # MAIL FROM pending
            for receiving in ("shop.example", "help.shop.example", "invoices.example"):      # the active rules' domains
                self.assertEqual(dnscheck.query(srv, receiving, "MX"), ["10 inbound-smtp.eu-west-1.amazonaws.com"])
            pending = v2.get_email_identity(EmailIdentity="newbrand.example")
            tokens = pending["DkimAttributes"]["Tokens"]
            published = [bool(dnscheck.query(srv, f"{t}._domainkey.newbrand.example", "CNAME")) for t in tokens]
            self.assertEqual(published, [True, True, False])
            self.assertEqual(pending["VerificationStatus"], "PENDING")
            # the operator publishes the third record (scenario 2): DNS and SES agree
            emu.publish_dns(add={f"{tokens[2]}._domainkey.newbrand.example": {"CNAME": f"{tokens[2]}.dkim.amazonses.com"}})
            self.assertEqual(dnscheck.query(srv, f"{tokens[2]}._domainkey.newbrand.example", "CNAME"),
                             [f"{tokens[2]}.dkim.amazonses.com"])
            self.assertEqual(v2.get_email_identity(EmailIdentity="newbrand.example")["VerificationStatus"], "SUCCESS")
            failed = v2.get_email_identity(EmailIdentity="legacy-brand.example")["DkimAttributes"]["Tokens"][0]
            self.assertEqual(dnscheck.query(srv, f"{failed}._domainkey.legacy-brand.example", "CNAME"),
                             [f"{failed}.dkim.amazonses.com.legacy-brand.example"])


if __name__ == "__main__":
    unittest.main()
