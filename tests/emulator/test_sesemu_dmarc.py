"""sesemu's DMARC reports: the demo bucket holds what an SES receipt rule's S3 action would
have stored — one raw message per receiver, domain and day, with the report attached as
zip (Google) or gzip (the others) — and the reports tell the demo's story with the
account's own Easy DKIM selectors, read with Python's email, gzip, zipfile and ElementTree
only (no sesctl code)."""

import email
import gzip
import io
import os
import sys
import unittest
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emutest import EmuTestCase  # noqa: E402

import seeds  # noqa: E402


class DemoDmarcBucket(EmuTestCase):
    SEED = "demo"

    def reports(self):
        s3 = self.emu.client("s3")
        keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(
            Bucket=seeds.DMARC_BUCKET, Prefix=seeds.DMARC_PREFIX) for o in page.get("Contents", [])]
        out = []
        for key in keys:
            msg = email.message_from_bytes(s3.get_object(Bucket=seeds.DMARC_BUCKET, Key=key)["Body"].read())
            parts = [p for p in msg.walk() if p.get_filename()]
            self.assertEqual(len(parts), 1, key)
            data, ctype = parts[0].get_payload(decode=True), parts[0].get_content_type()
            if ctype == "application/zip":
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    xml = z.read(z.namelist()[0])
            else:
                self.assertEqual(ctype, "application/gzip")
                xml = gzip.decompress(data)
            out.append((msg, ET.fromstring(xml)))
        return out

    def test_one_message_per_receiver_domain_and_day(self):
        reps = self.reports()
        self.assertEqual(len(reps), 3 * 3 * seeds.DMARC_DAYS)
        seen = {(r.findtext("report_metadata/org_name"), r.findtext("policy_published/domain"),
                 r.findtext("report_metadata/date_range/begin")) for _, r in reps}
        self.assertEqual(len(seen), len(reps))
        self.assertEqual({d for _, d, _ in seen}, {"shop.example", "accounts.example", "old.example"})
        for msg, r in reps:
            self.assertIn(r.findtext("policy_published/domain"), msg["Subject"])
            self.assertEqual(msg["To"], "dmarc@reports.shop.example")

    def test_ses_records_carry_the_accounts_selectors(self):
        tokens = {d: self.v2.get_email_identity(EmailIdentity=d)["DkimAttributes"]["Tokens"]
                  for d in ("shop.example", "accounts.example")}
        for _, r in self.reports():
            domain = r.findtext("policy_published/domain")
            for rec in r.findall("record"):
                for dk in rec.findall("auth_results/dkim"):
                    if dk.findtext("domain") == domain:
                        self.assertIn(dk.findtext("selector"), tokens[domain])
                if domain == "old.example":     # its DKIM signing is off: only amazonses.com signs
                    self.assertEqual([d.findtext("domain") for d in rec.findall("auth_results/dkim")],
                                     ["amazonses.com"])
                    self.assertEqual(rec.findtext("row/policy_evaluated/dkim"), "fail")
        old = self.v2.get_email_identity(EmailIdentity="old.example")
        self.assertFalse(old["DkimAttributes"]["SigningEnabled"])


if __name__ == "__main__":
    unittest.main()
