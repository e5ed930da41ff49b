"""sesctl dns --check against a real DNS server on loopback (scenario 2: MISSING, WRONG,
then OK) and the multi-region merge of scenario 3."""

import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import CliTest, ROOT  # noqa: E402

DEBIAN_PY = "/usr/bin/python3"


def have_dnslib():
    return os.path.exists(DEBIAN_PY) and subprocess.run(
        [DEBIAN_PY, "-c", "import dnslib"], capture_output=True).returncode == 0


class DnsServer:
    def __init__(self, zone_text, path, fail=None):
        with open(path, "w") as f:
            f.write(zone_text)
        self.proc = subprocess.Popen([DEBIAN_PY, os.path.join(ROOT, "tests", "dns", "dnsserver.py"),
                                      "--zone", path, "--port", "0"]
                                     + (["--fail", fail] if fail else []),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        self.addr = f"127.0.0.1:{line[1]}"

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


@unittest.skipUnless(have_dnslib(), "SKIP: /usr/bin/python3 with dnslib (python3-dnslib) is missing")
class DnsCheck(CliTest):
    SEED = "demo"

    def records(self, domain):
        r = self.sesctl("dns", domain, "--json")
        self.assertEqual(r.code, 0, repr(r))
        return r.json()["records"]

    def check(self, domain, server, exit_as="OK"):
        r = self.sesctl("dns", domain, "--check", "--json", "--dns-server", server.addr)
        self.assertExit(r, exit_as)  # a script gates on it; the records come all the same
        return {(x["purpose"], x["name"]): x for x in r.json()["records"]}

    def test_missing_wrong_ok(self):
        recs = self.records("shop.example")
        dkim = [x for x in recs if x["type"] == "CNAME"]
        lines = ["$ORIGIN shop.example.", "$TTL 300",
                 "@ IN SOA ns.shop.example. admin.shop.example. 1 3600 600 86400 300",
                 "@ IN NS ns.shop.example."]
        # DKIM 1 right, DKIM 2 with the zone appended twice (the provider's classic), DKIM 3 absent
        lines.append(f"{dkim[0]['name']}. IN CNAME {dkim[0]['value']}.")
        lines.append(f"{dkim[1]['name']}. IN CNAME {dkim[1]['value']}.shop.example.")
        zone = "\n".join(lines) + "\n"
        srv = DnsServer(zone, os.path.join(self.home, "zone1"))
        try:
            got = self.check("shop.example", srv, exit_as="DNS_NOT_OK")
            text = self.sesctl("dns", "shop.example", "--check", "--dns-server", srv.addr)
        finally:
            srv.stop()
        self.assertExit(text, "DNS_NOT_OK")
        self.assertIn("MISSING", text.out)
        self.assertRegex(text.err, r"records are not OK: \d+ missing, 1 wrong, 0 could not be checked")
        by_name = {k[1]: v for k, v in got.items()}
        self.assertEqual(by_name[dkim[0]["name"]]["status"], "OK")
        self.assertEqual(by_name[dkim[1]["name"]]["status"], "WRONG")
        self.assertIn("shop.example", by_name[dkim[1]["name"]]["published"])
        self.assertEqual(by_name[dkim[2]["name"]]["status"], "MISSING")
        self.assertEqual(by_name[dkim[0]["name"]]["resolver"], srv.addr)

        # fixed: every record published, plus a real DMARC record that replaces the suggestion
        lines = lines[:4]
        for x in recs:
            if x["suggestion"] or x["placeholder"]:
                continue
            value = x["value"]
            if x["type"] == "TXT":
                value = '"' + value + '"'
            elif x["type"] == "CNAME":
                value += "."
            elif x["type"] == "MX":
                value += "."
            lines.append(f"{x['name']}. IN {x['type']} {value}")
        lines.append('_dmarc.shop.example. IN TXT "v=DMARC1; p=quarantine; rua=mailto:d@shop.example"')
        srv = DnsServer("\n".join(lines) + "\n", os.path.join(self.home, "zone2"))
        try:
            got = self.check("shop.example", srv)
            text = self.sesctl("dns", "shop.example", "--check", "--dns-server", srv.addr).out
        finally:
            srv.stop()
        bad = {k: v["status"] for k, v in got.items() if v["status"] != "OK"}
        self.assertEqual(bad, {})
        self.assertIn("DKIM", text)  # the alignment verdict follows the table

    def test_failed_lookups_are_unknown_not_absent(self):
        zone = "$ORIGIN shop.example.\n@ IN SOA ns. a. 1 3600 600 86400 300\n"
        for rcode in ("SERVFAIL", "REFUSED"):
            srv = DnsServer(zone, os.path.join(self.home, "zone-" + rcode), fail=rcode)
            try:
                r = self.sesctl("dns", "shop.example", "--check", "--dns-server", srv.addr)
                j = self.sesctl("dns", "shop.example", "--check", "--json", "--dns-server", srv.addr)
            finally:
                srv.stop()
            self.assertExit(r, "DNS_NOT_OK")
            self.assertRegex(r.err, r"0 missing, 0 wrong, \d+ could not be checked")
            self.assertNotIn("publishes no DMARC record", r.out)
            self.assertRegex(r.out, r"DMARC passes: +unknown -- the DMARC lookup for shop\.example failed")
            self.assertIn("unknown: the lookup of _dmarc.shop.example TXT failed", r.out)
            self.assertEqual({x["status"] for x in j.json()["records"]}, {"ERROR"})

    def test_two_regions_merge(self):
        v2w = self.emu.client("sesv2", region="us-west-2")
        v2w.create_email_identity(EmailIdentity="receipts.shop.example")
        v2e = self.emu.client("sesv2")
        v2e.create_email_identity(EmailIdentity="receipts.shop.example")
        for c, region in ((v2e, "eu-west-1"), (v2w, "us-west-2")):
            c.put_email_identity_mail_from_attributes(
                EmailIdentity="receipts.shop.example",
                MailFromDomain=f"bounce-{region}.receipts.shop.example")
        r = self.sesctl("dns", "receipts.shop.example", "--region", "eu-west-1",
                        "--region", "us-west-2", "--json")
        self.assertEqual(r.code, 0, repr(r))
        recs = r.json()["records"]
        self.assertEqual(sum(1 for x in recs if x["type"] == "CNAME"), 6)
        self.assertEqual(sum(1 for x in recs if x["purpose"].startswith("DMARC")), 1)
        mx = [x for x in recs if x["purpose"] == "MAIL FROM MX"]
        self.assertEqual(len(mx), 2)
        r53 = json.loads(self.sesctl("dns", "receipts.shop.example", "--region", "eu-west-1",
                                     "--region", "us-west-2", "--format", "route53").out)
        keys = [(c["ResourceRecordSet"]["Name"], c["ResourceRecordSet"]["Type"]) for c in r53["Changes"]]
        self.assertEqual(len(keys), len(set(keys)), "one change per name and type")
        amazonses = [c for c in r53["Changes"] if c["ResourceRecordSet"]["Name"].startswith("_amazonses.")]
        if amazonses:  # both regions' tokens under one name
            self.assertEqual(len(amazonses[0]["ResourceRecordSet"]["ResourceRecords"]), 2)


if __name__ == "__main__":
    unittest.main()
