"""DMARC aggregate reports headless: the committed corpus imported (every shape in, every
hostile file named with its reason, nothing twice); fresh reports judged (not ready with
why, ready, unauthenticated listed but not held against the domain), their sources and raw
records; bombs refused; terminal escapes in a report never reach the terminal; the demo's
S3 bucket imported through the emulator, only new objects fetched the second time; and
`dmarc setup` read back with boto3 (rule in the active set, bucket policy), idempotent,
refused without confirmation, read-only or with bad input — before any request."""

import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import ROOT, CliTest  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures", "dmarc"))
import gen  # noqa: E402

CORPUS = os.path.join(ROOT, "tests", "fixtures", "dmarc", "corpus")
HOSTILE = ["badbase64.eml", "deep.xml", "doctype.xml", "noid.xml", "noreport.eml", "notreport.zip",
           "truncated.xml.gz"]


class DmarcFiles(CliTest):
    """Files, folders, mbox and maildir; no AWS call is needed (--offline)."""
    SEED = None

    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix="sesctl-dmarc-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        super().tearDown()

    def run_(self, *args):
        return self.sesctl("--offline", "--region", "eu-west-1", *args)

    def put(self, name, data):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_corpus_every_shape_in_every_hostile_file_named(self):
        r = self.run_("dmarc", "import", CORPUS, "--json")
        self.assertEqual(r.code, 0, repr(r))
        got = r.json()
        self.assertEqual(got["reports_new"], 12, got)
        self.assertEqual(got["refused"], len(HOSTILE), got)
        named = sorted(os.path.basename(p["item"].split(" › ")[0]) for p in got["problems"])
        self.assertEqual(named, HOSTILE)
        reasons = {os.path.basename(p["item"].split(" › ")[0]): p["reason"] for p in got["problems"]}
        self.assertIn("DOCTYPE", reasons["doctype.xml"])
        self.assertIn("report_id", reasons["noid.xml"])
        self.assertIn("gzip: truncated", reasons["truncated.xml.gz"])
        self.assertIn("no DMARC report attachment", reasons["noreport.eml"])
        self.assertIn("no .xml or .gz entry", reasons["notreport.zip"])
        # again: nothing is stored twice
        r = self.run_("dmarc", "import", CORPUS, "--json")
        self.assertEqual((r.json()["reports_new"], r.json()["reports_known"]), (0, 12), r.out)
        # every receiver's shape made it: orgs of the stored reports
        r = self.run_("dmarc", "sources", "example.com", "--days", "3650", "--json")
        orgs = set()
        for s in r.json():
            orgs.update(x.strip() for x in s["orgs"].split(","))
        self.assertTrue({"google.com", "Enterprise Outlook", "Yahoo", "mini.example", "receiver.example",
                         "plain.example"} <= orgs, orgs)
        ips = {s["source_ip"] for s in r.json()}
        self.assertIn("2a01:111:f400:7e1b::200", ips)    # IPv6 from Outlook's report

    def test_text_output_and_import_summary(self):
        r = self.run_("dmarc", "import", os.path.join(CORPUS, "google.eml"), os.path.join(CORPUS, "two.mbox"))
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.out.splitlines()[0], "read 2 files: 3 new reports (4 records), 0 already stored, 0 refused")
        r = self.run_("dmarc", "import", os.path.join(self.dir, "missing.xml"))
        self.assertExit(r, "NOT_FOUND")

    def fresh(self, domain, records, org="google.com", rid=None, days_ago=1, policy=None, fmt="gz"):
        today = int(time.time()) - int(time.time()) % 86400
        begin = today - days_ago * 86400
        xml = gen.report_xml(org, rid or f"{org}-{domain}-{begin}", domain, begin, begin + 86399, records,
                             policy=policy)
        if fmt == "gz":
            return self.put(f"{org}!{domain}!{begin}.xml.gz", gen.gzip_bytes(xml))
        return self.put(f"{org}!{domain}!{begin}.eml",
                        gen.mime_message([(f"{org}.zip", "application/zip", gen.zip_bytes("r.xml", xml))]))

    def test_verdicts_sources_and_raw_records(self):
        ses = ("eu-west-1.amazonses.com", "pass")
        for day in (1, 2):
            self.fresh("example.com", [
                gen.record("54.240.1.1", 990, "example.com", dkims=[("example.com", gen.SES_SELECTOR, "pass"),
                                                                    ("amazonses.com", "abc", "pass")], spf=ses),
                gen.record("198.51.100.7", 30, "example.com", dkim=("vendor.example", "s1", "pass"),
                           spf=("bounce.vendor.example", "pass")),
                gen.record("203.0.113.9", 5, "example.com", spf=("example.com", "fail"))],
                days_ago=day, fmt="gz" if day == 1 else "eml")
            self.fresh("ready.example", [
                gen.record("54.240.1.2", 500, "ready.example", dkims=[("ready.example", gen.SES_SELECTOR, "pass"),
                                                                      ("amazonses.com", "abc", "pass")], spf=ses),
                gen.record("203.0.113.10", 7, "ready.example", spf=("ready.example", "fail"))],
                days_ago=day, org="Yahoo")
        r = self.run_("dmarc", "import", self.dir)
        self.assertEqual(r.code, 0, repr(r))
        r = self.run_("dmarc", "--json")
        self.assertEqual(r.code, 0, repr(r))
        v = {x["domain"]: x for x in r.json()}
        self.assertFalse(v["example.com"]["ready"])
        self.assertEqual(v["example.com"]["verdict"], "not ready: 1 source fails, 97.1 % pass")
        self.assertEqual(v["example.com"]["messages"], 2 * 1025)
        self.assertEqual(v["example.com"]["unauthenticated"], 10)
        self.assertIn("vendor.example (198.51.100.7) passes DKIM as d=vendor.example", v["example.com"]["problems"][0])
        self.assertIn("not aligned with example.com", v["example.com"]["problems"][0])
        self.assertIn("10 messages from 1 unauthenticated sources", v["example.com"]["problems"][1])
        self.assertTrue(v["ready.example"]["ready"], v["ready.example"])
        self.assertEqual(v["ready.example"]["verdict"], "ready for p=quarantine/reject")
        self.assertEqual(v["ready.example"]["unauthenticated"], 14)      # listed, not held against it
        # one domain in words, with its days
        r = self.run_("dmarc", "example.com")
        self.assertEqual(r.code, 0, repr(r))
        self.assertRegex(r.out, r"verdict +not ready: 1 source fails")
        self.assertIn("what fails", r.out)
        one = self.run_("dmarc", "example.com", "--json").json()
        self.assertEqual(len(one["days"]), 2)
        self.assertEqual([(o["org"], o["reports"], o["messages"]) for o in one["orgs_list"]],
                         [("google.com", 2, 2050)])          # per reporting org
        self.assertIn("reported by", r.out)
        # sources: classes and rates
        r = self.run_("dmarc", "sources", "example.com", "--json")
        src = {s["source_ip"]: s for s in r.json()}
        self.assertEqual(src["54.240.1.1"]["class"], "ses")
        self.assertEqual(src["54.240.1.1"]["dmarc_pass"], 1)
        self.assertFalse(src["54.240.1.1"]["failing"])
        self.assertEqual(src["198.51.100.7"]["class"], "other")
        self.assertEqual(src["198.51.100.7"]["sender"], "vendor.example")
        self.assertTrue(src["198.51.100.7"]["failing"])
        self.assertEqual(src["203.0.113.9"]["class"], "unauthenticated")
        self.assertEqual(src["203.0.113.9"]["messages"], 10)
        r = self.run_("dmarc", "sources", "example.com", "--ip", "198.51.100.7", "--json")
        rows = r.json()
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0]["auth_results"]["dkim"][0]["domain"], "vendor.example")
        self.assertEqual(rows[0]["count"], 30)
        r = self.run_("dmarc", "example.com", "--csv")          # the day-by-day table
        self.assertTrue(r.out.startswith("day,messages,dmarc_pass\n"), r.out[:80])
        self.assertEqual(len(r.out.strip().splitlines()), 3)
        r = self.run_("dmarc", "sources", "example.com", "--csv")
        self.assertTrue(r.out.startswith("source_ip,class,sender,header_from,messages,"), r.out[:100])
        # bad input: a sentence, nothing else
        self.assertExit(self.run_("dmarc", "--days", "0"), "USAGE")
        self.assertExit(self.run_("dmarc", "nothing.example"), "NOT_FOUND")

    def test_bombs_and_hostile_text(self):
        gz, zp = gen.bombs(256 * 1024 * 1024)
        self.put("bomb.xml.gz", gz)
        self.put("bomb.zip", zp)
        self.put("bomb.eml", gen.mime_message([("b.xml.gz", "application/gzip", gz)]))
        # text a receiver controls: a C1 CSI in the org name (legal XML), escapes in a file name
        csi = "\u009b2J"
        xml = gen.report_xml("evil" + csi, "id-1", "example.com", int(time.time()) - 86400,
                             int(time.time()), [gen.record("192.0.2.1", 1, "example.com")])
        self.put("evil.eml", gen.mime_message([("evil\x1b]52;c;ZXZpbA==\x07.xml", "text/xml", xml),
                                               ("x\x1b[2J.xml.gz", "application/gzip", b"not gzip")]))
        r = self.run_("dmarc", "import", self.dir, "--json")
        self.assertEqual(r.code, 0, repr(r))
        got = r.json()
        reasons = " | ".join(p["reason"] for p in got["problems"])
        self.assertEqual((got["reports_new"], got["refused"]), (1, 4), reasons)
        self.assertIn("decompression bomb", reasons)
        r = self.run_("dmarc", "import", self.dir)          # the warnings name the files
        for out in (r.out + r.err, self.run_("dmarc", "sources", "example.com", "--ip", "192.0.2.1").out):
            self.assertNotIn("\x1b", out)
            self.assertNotIn("\x07", out)
            self.assertNotIn("\u009b", out)


class DmarcS3(CliTest):
    """The demo's bucket of raw messages, through the emulator's S3."""
    SEED = "demo"

    def gets(self):
        return [q for q in self.emu.requests() if q["method"] == "GET" and
                q["path"].startswith("/shop-dmarc-reports/") and len(q["path"].split("/")) > 2]

    def test_import_only_what_is_new_then_the_verdicts(self):
        self.emu.requests(clear=True)
        r = self.sesctl("dmarc", "import", "s3://shop-dmarc-reports/dmarc/", "--json")
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(r.json()["reports_new"], 126, r.out)
        self.assertEqual(len(self.gets()), 126)
        self.emu.requests(clear=True)
        r = self.sesctl("dmarc", "import", "s3://shop-dmarc-reports/dmarc/", "--json")
        self.assertEqual((r.json()["reports_new"], r.json()["skipped"]), (0, 126), r.out)
        self.assertEqual(self.gets(), [], "objects read before are not fetched again")
        # one new object arrives: only it is read
        s3 = self.emu.client("s3")
        xml = gen.report_xml("late.example", "late-1", "shop.example", int(time.time()) - 86400,
                             int(time.time()), [gen.record("192.0.2.9", 3, "shop.example")])
        s3.put_object(Bucket="shop-dmarc-reports", Key="dmarc/zzlate",
                      Body=gen.mime_message([("late.xml.gz", "application/gzip", gen.gzip_bytes(xml))]))
        self.emu.requests(clear=True)
        r = self.sesctl("dmarc", "import", "s3://shop-dmarc-reports/dmarc/", "--json")
        self.assertEqual(r.json()["reports_new"], 1, r.out)
        self.assertEqual(len(self.gets()), 1)
        # the verdicts, tied to the identities sesctl knows
        self.assertEqual(self.sesctl("sync", "--kind", "identities").code, 0)
        v = {x["domain"]: x for x in self.sesctl("dmarc", "--json").json()}
        self.assertTrue(v["accounts.example"]["ready"], v["accounts.example"])
        self.assertFalse(v["old.example"]["ready"])
        self.assertIn("DKIM signing is off for identity old.example", " ".join(v["old.example"]["problems"]))
        self.assertFalse(v["shop.example"]["ready"])
        self.assertIn("em.mailvendor.example", v["shop.example"]["problems"][0])
        src = self.sesctl("dmarc", "sources", "shop.example", "--json").json()
        ses = [s for s in src if s["class"] == "ses"]
        self.assertTrue(ses and all(s["identity"] == "shop.example" for s in ses), ses[:2])

    def test_files_and_verdicts_ask_aws_nothing(self):
        self.emu.requests(clear=True)
        r = self.sesctl("dmarc", "import", os.path.join(CORPUS, "google.eml"))
        self.assertEqual(r.code, 0, repr(r))
        self.assertEqual(self.sesctl("dmarc", "--days", "3650").code, 0)
        self.assertEqual(self.emu.requests(), [], "no STS, no SES: the cache is enough")

    def test_bad_uri_and_missing_bucket(self):
        self.emu.requests(clear=True)
        r = self.sesctl("dmarc", "import", "s3://Bad_Bucket/x")
        self.assertExit(r, "USAGE")
        self.assertEqual(self.emu.requests(), [])
        r = self.sesctl("dmarc", "import", "s3://no-such-bucket-here/")
        self.assertExit(r, "NOT_FOUND")


class DmarcSetup(CliTest):
    SEED = "demo"
    BUCKET = "shop-dmarc-collect"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emu.client("s3").create_bucket(Bucket=cls.BUCKET,
                                           CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})

    def test_setup_creates_then_finds_in_place(self):
        v1 = self.emu.client("ses")
        before = v1.describe_active_receipt_rule_set()["Rules"]
        r = self.sesctl("dmarc", "setup", "shop.example", "--bucket", self.BUCKET, "--yes", "--json")
        self.assertEqual(r.code, 0, repr(r))
        out = r.json()
        self.assertEqual([(s["step"], s["state"]) for s in out["steps"]],
                         [("bucket policy", "added"), ("receipt rule", "created")])
        rules = v1.describe_active_receipt_rule_set()["Rules"]
        self.assertEqual(len(rules), len(before) + 1)
        rule = rules[-1]                      # at the end: the operator's order stays
        self.assertEqual(rule["Name"], "dmarc-shop-example")
        self.assertEqual(rule["Recipients"], ["dmarc@reports.shop.example"])
        self.assertEqual(rule["Actions"][0]["S3Action"]["BucketName"], self.BUCKET)
        self.assertEqual(rule["Actions"][0]["S3Action"]["ObjectKeyPrefix"], "dmarc/")
        policy = json.loads(self.emu.client("s3").get_bucket_policy(Bucket=self.BUCKET)["Policy"])
        st = [s for s in policy["Statement"] if s.get("Sid", "").startswith("sesctl-dmarc")][0]
        self.assertEqual(st["Principal"], {"Service": "ses.amazonaws.com"})
        self.assertEqual(st["Action"], "s3:PutObject")
        self.assertEqual(st["Resource"], f"arn:aws:s3:::{self.BUCKET}/dmarc/*")
        self.assertEqual(st["Condition"]["StringEquals"]["AWS:SourceAccount"], "123456789012")
        self.assertIn("receipt-rule-set/inbound-main:receipt-rule/dmarc-shop-example",
                      st["Condition"]["ArnLike"]["AWS:SourceArn"])
        dns = {(d["name"], d["type"]): d["value"] for d in out["dns"]}
        self.assertEqual(dns[("reports.shop.example", "MX")], "10 inbound-smtp.eu-west-1.amazonaws.com")
        self.assertIn("rua=mailto:dmarc@reports.shop.example", dns[("_dmarc.shop.example", "TXT")])
        # again: both in place, nothing written
        r = self.sesctl("dmarc", "setup", "shop.example", "--bucket", self.BUCKET, "--yes", "--json")
        self.assertEqual([(s["step"], s["state"]) for s in r.json()["steps"]],
                         [("bucket policy", "in place"), ("receipt rule", "in place")])
        self.assertEqual(len(v1.describe_active_receipt_rule_set()["Rules"]), len(before) + 1)
        # an rua in another organisation's domain needs its authorisation record
        r = self.sesctl("dmarc", "setup", "accounts.example", "--bucket", self.BUCKET, "--rua",
                        "dmarc@reports.shop.example", "--yes", "--json")
        self.assertEqual(r.code, 0, repr(r))
        dns = {(d["name"], d["type"]): d["value"] for d in r.json()["dns"]}
        self.assertEqual(dns[("accounts.example._report._dmarc.reports.shop.example", "TXT")], '"v=DMARC1"')

    def test_refused_before_any_request(self):
        self.emu.requests(clear=True)
        for args, exit_ in ((["shop.example"], "USAGE"),                       # no --bucket
                            (["not a domain", "--bucket", self.BUCKET], "USAGE"),
                            (["shop.example", "--bucket", "Bad_Bucket"], "USAGE"),
                            (["shop.example", "--bucket", self.BUCKET, "--rua", "nobody"], "USAGE")):
            r = self.sesctl("dmarc", "setup", *args, "--yes")
            self.assertExit(r, exit_)
            self.assertTrue(r.err.strip(), args)
        r = self.sesctl("dmarc", "setup", "shop.example", "--bucket", self.BUCKET)   # no tty, no --yes
        self.assertExit(r, "REFUSED")
        r = self.sesctl("--read-only", "dmarc", "setup", "shop.example", "--bucket", self.BUCKET, "--yes")
        self.assertExit(r, "REFUSED")
        muts = [q for q in self.emu.requests() if q["method"] in ("PUT", "POST") and q["op"] not in
                (None, "GetCallerIdentity")]
        self.assertEqual(muts, [])

    def test_missing_bucket(self):
        r = self.sesctl("dmarc", "setup", "shop.example", "--bucket", "no-such-bucket-anywhere", "--yes")
        self.assertExit(r, "NOT_FOUND")
        self.assertIn("no-such-bucket-anywhere", r.err)


if __name__ == "__main__":
    unittest.main()
