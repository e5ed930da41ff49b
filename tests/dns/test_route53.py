"""The Route 53 export applied by a real consumer: the AWS CLI against moto's Route 53.

test_dns_export (the cmocka binary) writes, for scenario 3 (shop.example in two regions)
and for an IDN domain with a BYODKIM key longer than one TXT string, the Route 53
ChangeBatch and the JSON export. This test creates each hosted zone in moto, applies the
batch with `aws route53 change-resource-record-sets`, reads the zone back with
`aws route53 list-resource-record-sets` and compares it record for record with the JSON
export (TXT quoting re-derived here, independently).
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import boto3

ROOT = os.environ.get("SESCTL_ROOT", os.getcwd())
BUILD = os.environ.get("SESCTL_BUILD", "build")
EXPORTER = os.path.join(ROOT, BUILD, "tests", "test_dns_export")
ENV = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
           AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE="/nonexistent",
           AWS_SHARED_CREDENTIALS_FILE="/nonexistent", AWS_PAGER="")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def txt_value(text):
    """Route 53 TXT: quoted strings of at most 255 bytes, '"' and '\\' escaped, others octal."""
    raw = text.encode()
    chunks = [raw[i:i + 255] for i in range(0, len(raw), 255)] or [b""]
    out = []
    for chunk in chunks:
        s = ""
        for b in chunk:
            c = chr(b)
            if c in '"\\':
                s += "\\" + c
            elif b < 0x20 or b >= 0x7f:
                s += "\\%03o" % b
            else:
                s += c
        out.append('"' + s + '"')
    return " ".join(out)


def expected_rrsets(export, with_suggested=False):
    sets = {}
    for r in export["records"]:
        if r["placeholder"] or ((r["suggestion"] or r["optional"]) and not with_suggested):
            continue
        value = txt_value(r["value"]) if r["type"] == "TXT" else r["value"] + "."
        key = (r["name"] + ".", r["type"])
        ttl, values = sets.setdefault(key, (r["ttl"], []))
        values.append(value)
    return {k: (ttl, sorted(v)) for k, (ttl, v) in sets.items()}


class Route53Batch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(EXPORTER, os.X_OK):
            raise unittest.SkipTest("%s is not built (run make check)" % EXPORTER)
        cls.dir = tempfile.TemporaryDirectory()
        subprocess.run([EXPORTER, "--write", cls.dir.name], check=True)
        cls.port = free_port()
        cls.url = "http://127.0.0.1:%d" % cls.port
        cls.moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                     "-p", str(cls.port)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        while True:  # until moto answers (or dies)
            if cls.moto.poll() is not None:
                raise RuntimeError("moto.server exited with %d" % cls.moto.returncode)
            try:
                urllib.request.urlopen(cls.url + "/moto-api/", timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        cls.r53 = boto3.client("route53", endpoint_url=cls.url, region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")

    @classmethod
    def tearDownClass(cls):
        cls.moto.terminate()
        cls.moto.wait()
        cls.dir.cleanup()

    def load(self, name):
        with open(os.path.join(self.dir.name, name), encoding="utf-8") as f:
            return json.load(f)

    def apply_and_read_back(self, prefix, batch_name=None):
        export = self.load(prefix + ".json.json")
        zone = self.r53.create_hosted_zone(Name=export["domain"] + ".",
                                           CallerReference=batch_name or prefix)["HostedZone"]["Id"]
        batch = os.path.join(self.dir.name, batch_name or prefix + ".route53.json")
        subprocess.run(["aws", "route53", "change-resource-record-sets", "--hosted-zone-id",
                        zone, "--change-batch", "file://" + batch, "--endpoint-url", self.url],
                       check=True, env=ENV, stdout=subprocess.DEVNULL)
        listed = subprocess.run(["aws", "route53", "list-resource-record-sets", "--hosted-zone-id",
                                 zone, "--endpoint-url", self.url, "--output", "json"],
                                check=True, env=ENV, stdout=subprocess.PIPE, text=True)
        got = {}
        for rr in json.loads(listed.stdout)["ResourceRecordSets"]:
            if rr["Type"] in ("SOA", "NS"):
                continue
            self.assertNotIn((rr["Name"], rr["Type"]), got)
            got[(rr["Name"], rr["Type"])] = (
                rr["TTL"], sorted(v["Value"] for v in rr["ResourceRecords"]))
        return export, got

    def test_scenario3_two_regions(self):
        export, got = self.apply_and_read_back("shop")
        self.assertEqual(got, expected_rrsets(export))
        self.assertEqual(sum(1 for (n, t) in got if t == "CNAME"), 6)
        self.assertIn(("bounce-eu-west-1.shop.example.", "MX"), got)
        self.assertEqual(got[("bounce-us-west-2.shop.example.", "MX")],
                         (1800, ["10 feedback-smtp.us-west-2.amazonses.com."]))
        self.assertEqual(got[("shop.example.", "MX")],
                         (1800, ["10 inbound-smtp.eu-west-1.amazonaws.com."]))
        # the suggested DMARC record is not applied unless asked for: a subdomain's p=none
        # would override a stricter policy of its parent
        self.assertEqual(len([k for k in got if k[0].startswith("_dmarc.")]), 0)
        comment = self.load("shop.route53.json")["Comment"]
        self.assertIn("1 suggested record(s) left out; --include-suggested adds them", comment)
        # the domain verifies with DKIM: the legacy _amazonses TXT is optional (issue 20)
        self.assertEqual(len([k for k in got if k[0].startswith("_amazonses.")]), 0)
        self.assertIn("2 optional record(s) left out: DKIM verifies the domain", comment)

    def test_scenario3_with_suggested(self):
        export, got = self.apply_and_read_back("shop", "shop.route53-suggested.json")
        self.assertEqual(got, expected_rrsets(export, with_suggested=True))
        self.assertEqual(len([k for k in got if k[0].startswith("_dmarc.")]), 1)
        comment = self.load("shop.route53-suggested.json")["Comment"]
        self.assertIn("includes 1 suggested record(s): review them", comment)
        ttl, values = got[("_amazonses.shop.example.", "TXT")]
        self.assertEqual(len(values), 2)  # one name, both instances' tokens
        self.assertIn("includes 2 optional record(s)", comment)

    def test_idn_byodkim_long_txt(self):
        export, got = self.apply_and_read_back("idn")
        self.assertEqual(export["domain_unicode"], "b\u00fccher.example")
        self.assertEqual(got, expected_rrsets(export))
        ttl, (key,) = got[("sel2024._domainkey.xn--bcher-kva.example.", "TXT")]
        self.assertRegex(key, r'^"v=DKIM1; k=rsa; p=[^"]{237}" "[^"]+"$')

    def test_batch_shape(self):
        batch = self.load("shop.route53.json")
        names = [(c["ResourceRecordSet"]["Name"], c["ResourceRecordSet"]["Type"])
                 for c in batch["Changes"]]
        self.assertEqual(len(names), len(set(names)))  # one UPSERT per name and type
        self.assertTrue(all(c["Action"] == "UPSERT" for c in batch["Changes"]))


if __name__ == "__main__":
    unittest.main()
