"""`identities list` streams from the cache to the output (issue 21): the same bytes as the
whole array printed (text, --json, --csv; hostile names sanitized), several regions in
order, filters, --sort, and a peak RSS that does not grow with the number of identities."""

import json
import os
import sqlite3
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import BIN, CliTest  # noqa: E402

ACCOUNT = "123456789012"


class ListStream(CliTest):
    SEED = None  # the cache is written directly: no emulator, --offline

    def make_cache(self, per_region, name="c"):
        """A cache holding per_region {region: [names]} for ACCOUNT, fresh."""
        cache = os.path.join(self.home, name + ".sqlite3")
        env = self.env()
        # sesctl creates (and migrates) the file; with nothing cached the list says so
        subprocess.run([BIN, "--cache", cache, "--offline", "identities", "list"], env=env,
                       capture_output=True)
        now = int(time.time())
        db = sqlite3.connect(cache)
        with db:
            for region, names in per_region.items():
                db.execute("INSERT OR REPLACE INTO accounts(account_id, region, profile, last_used)"
                           " VALUES (?,?,?,?)", (ACCOUNT, region, "default", now))
                db.execute("INSERT OR REPLACE INTO sync_state(account_id, region, kind, fetched)"
                           " VALUES (?,?,?,?)", (ACCOUNT, region, "identities", now))
                db.executemany(
                    "INSERT INTO identities(account_id, region, name, type, verification_status,"
                    " sending_enabled, dkim_status, dkim_tokens, fetched) VALUES (?,?,?,?,?,?,?,?,?)",
                    [(ACCOUNT, region, n, "EMAIL_ADDRESS" if "@" in n else "DOMAIN",
                      "PENDING" if i % 3 == 0 else "SUCCESS", 1, "SUCCESS", "t1\nt2\nt3", now)
                     for i, n in enumerate(names)])
        db.close()
        return cache

    def env(self):
        e = self.base_env(emulator=False)
        e.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                 AWS_REGION="eu-west-1")
        return e

    def list(self, cache, *args):
        return self.sesctl("--cache", cache, "--offline", *args, env=self.env())

    def test_formats_regions_filters(self):
        hostile = "evil\x1b]52;c;aGk=\x07.example"
        cache = self.make_cache({
            "eu-west-1": ["b.example", "ops@b.example", hostile, "a.example"],
            "us-east-1": ["z.example", "c@z.example"],
        })
        r = self.list(cache, "--region", "eu-west-1", "--region", "us-east-1", "identities", "list",
                      "--json")
        self.assertEqual(r.code, 0, r)
        rows = json.loads(r.out)
        self.assertEqual([(x["region"], x["name"]) for x in rows],
                         [("eu-west-1", "a.example"), ("eu-west-1", "b.example"),
                          ("eu-west-1", hostile), ("eu-west-1", "ops@b.example"),
                          ("us-east-1", "c@z.example"), ("us-east-1", "z.example")])
        self.assertTrue(r.out.startswith("[\n  {\n    \"name\""), r.out[:40])
        self.assertTrue(r.out.endswith("}\n]\n"))
        self.assertNotIn("\x1b", r.out)
        self.assertEqual(rows[0]["dkim_tokens"], ["t1", "t2", "t3"])  # read in full

        text = self.list(cache, "--region", "eu-west-1", "identities", "list")
        self.assertEqual(text.code, 0, text)
        lines = text.out.splitlines()
        self.assertTrue(lines[0].startswith("NAME"), lines)
        self.assertEqual(len(lines), 5)
        self.assertNotIn("\x1b", text.out)
        self.assertIn("\\e]52", text.out)             # the escape shown, inert
        col = lines[0].index("TYPE")                    # widths measured over every row
        self.assertTrue(all(l[col:].startswith(("domain", "DOMAIN", "email", "EMAIL"))
                            for l in lines[1:]), text.out)

        csv = self.list(cache, "--region", "eu-west-1", "identities", "list", "--csv")
        self.assertEqual(csv.code, 0, csv)
        self.assertEqual(len(csv.out.splitlines()), 5)  # header + 4 (text mode reads CRLF as LF)
        self.assertTrue(csv.out.startswith("name,type,region,"), csv.out[:60])
        self.assertNotIn("\x1b", csv.out)

        emails = json.loads(self.list(cache, "--region", "eu-west-1", "--region", "us-east-1",
                                      "identities", "list", "--type", "email", "--json").out)
        self.assertEqual([x["name"] for x in emails], ["ops@b.example", "c@z.example"])
        pending = json.loads(self.list(cache, "--region", "eu-west-1", "identities", "list",
                                       "--status", "pending", "--json").out)
        self.assertEqual({x["verification_status"] for x in pending}, {"PENDING"})
        by_status = json.loads(self.list(cache, "--region", "eu-west-1", "--region", "us-east-1",
                                         "identities", "list", "--sort", "status", "--json").out)
        self.assertEqual([x["verification_status"] for x in by_status],
                         sorted(x["verification_status"] for x in by_status))

    def test_empty_region_is_an_empty_array(self):
        cache = self.make_cache({"eu-west-1": []})
        r = self.list(cache, "--region", "eu-west-1", "identities", "list", "--json")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, "[]\n")

    def test_a_full_disk_is_an_error_said_once(self):
        cache = self.make_cache({"eu-west-1": [f"d{i:05d}.example" for i in range(3000)]})
        with open("/dev/full", "w") as full:
            p = subprocess.run([BIN, "--cache", cache, "--offline", "identities", "list", "--json"],
                               env=self.env(), stdout=full, stderr=subprocess.PIPE, text=True)
        self.assertEqual(p.returncode, 13, p.stderr)
        self.assertEqual(p.stderr.count("sesctl:"), 1, p.stderr)
        self.assertIn("writing the output failed", p.stderr)

    def peak_rss_kib(self, cache, *args):
        p = subprocess.Popen([BIN, "--cache", cache, "--offline", *args], env=self.env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read().decode()
        p.stderr.close()
        self.assertEqual(p.returncode, 0, err)
        return usage.ru_maxrss

    def test_peak_rss_does_not_grow_with_the_list(self):
        if "ASAN_OPTIONS" in os.environ:  # make asan: the quarantine holds freed memory
            self.skipTest("peak memory says nothing under AddressSanitizer (make asan)")
        # 2,000 and 40,000 identities: the whole array held made the second ~60 MiB larger
        small = self.make_cache({"eu-west-1": [f"d{i:06d}.example" for i in range(2000)]}, "s")
        large = self.make_cache({"eu-west-1": [f"d{i:06d}.example" for i in range(40000)]}, "l")
        for args in (("identities", "list", "--json"), ("identities", "list"),
                     ("identities", "list", "--csv")):
            a = self.peak_rss_kib(small, *args)
            b = self.peak_rss_kib(large, *args)
            self.assertLess(b - a, 4 * 1024, f"{args}: {a} KiB at 2,000, {b} KiB at 40,000")


if __name__ == "__main__":
    unittest.main()
