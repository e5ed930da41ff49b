#!/usr/bin/env python3
"""DMARC aggregate reports: how fast reports are imported, and how fast the verdict of a
domain with a year of reports is read.

  Set-up (tests/fixtures/dmarc/gen.py, deterministic):
    import: --reports N (10,000) reports as .xml.gz files in one folder, from 4 receivers,
            1-8 records each (SES sources, a vendor, spoofers; IPv4 and IPv6);
    year:   365 days x --orgs K (20) receivers for one domain, 5 records a report, imported
            once (not timed), then read.
  Measured (median of --runs, each on a fresh cache for the import):
    sesctl:  `sesctl --offline dmarc import DIR` — unpack, parse, store (sqlite, one
             transaction a report);
    Python:  the same job with the standard library (gzip, xml.etree, sqlite3 with one
             transaction a report) — there is no AWS CLI or SDK call for DMARC reports, so
             the baseline is what an operator would script;
    year:    `sesctl --offline dmarc --days 365` (every domain's verdict), `… dmarc DOMAIN
             --days 365` (one domain with its days), `… dmarc sources DOMAIN --days 365`.
    S3:      the demo emulator's bucket (126 raw messages, as SES's receipt rule stores them)
             with --latency-ms (50) injected on every call: `sesctl dmarc import s3://…`
             against `aws s3 sync` of the same prefix (the AWS CLI's part of the job: the
             download alone, nothing parsed) and a boto3 script fetching with 8 threads.
  Figures: wall, CPU, peak RSS (bench/runstat), reports/s, compressed MB/s and XML MB/s.
  Every run's output is checked (N reports stored); a run that stored less is an error.

    python3 bench/dmarc.py --reports 10000 --runs 3 --out build/bench/dmarc.json
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "fixtures", "dmarc"))
import bench as B  # noqa: E402
import gen  # noqa: E402

DOMAIN = "example.com"
DAY0 = 1764547200      # 2025-12-01: fixed, so every run builds the same files

PY_S3 = r'''
import concurrent.futures, sys, boto3
from botocore.config import Config
bucket, prefix, url = sys.argv[1], sys.argv[2], sys.argv[3]
s3 = boto3.client("s3", endpoint_url=url, region_name="eu-west-1",
                  config=Config(max_pool_connections=8, retries={"max_attempts": 1}))
keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for o in page.get("Contents", [])]
with concurrent.futures.ThreadPoolExecutor(8) as ex:
    sizes = list(ex.map(lambda k: len(s3.get_object(Bucket=bucket, Key=k)["Body"].read()), keys))
print(len(sizes))
'''

PY_IMPORT = r'''
import gzip, os, sqlite3, sys, xml.etree.ElementTree as ET
folder, db = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
c.executescript("""CREATE TABLE IF NOT EXISTS reports(id INTEGER PRIMARY KEY, org TEXT, rid TEXT,
  domain TEXT, begin INTEGER, end_ INTEGER, UNIQUE(org, rid));
CREATE TABLE IF NOT EXISTS records(report INTEGER, ip TEXT, count INTEGER, disposition TEXT,
  dkim TEXT, spf TEXT, header_from TEXT, auth TEXT);""")
def t(e, p):
    x = e.find(p)
    return x.text.strip() if x is not None and x.text else None
n = 0
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), "rb") as f:
        root = ET.fromstring(gzip.decompress(f.read()))
    md = root.find("report_metadata")
    with c:
        cur = c.execute("INSERT OR IGNORE INTO reports(org, rid, domain, begin, end_) VALUES (?,?,?,?,?)",
                        (t(md, "org_name"), t(md, "report_id"), t(root, "policy_published/domain"),
                         int(t(md, "date_range/begin")), int(t(md, "date_range/end"))))
        if not cur.rowcount:
            continue
        rid = cur.lastrowid
        for r in root.findall("record"):
            auth = " ".join(f"{a.tag}={t(a, 'domain')}:{t(a, 'result')}" for a in r.find("auth_results"))
            c.execute("INSERT INTO records VALUES (?,?,?,?,?,?,?,?)",
                      (rid, t(r, "row/source_ip"), int(t(r, "row/count")),
                       t(r, "row/policy_evaluated/disposition"), t(r, "row/policy_evaluated/dkim"),
                       t(r, "row/policy_evaluated/spf"), t(r, "identifiers/header_from"), auth))
        n += 1
print(n)
'''

RECEIVERS = ("google.com", "Enterprise Outlook", "Yahoo", "Mail.Ru")


def make_report(rng, org, rid, begin, records):
    recs = []
    for _ in range(records):
        kind = rng.random()
        if kind < 0.7:
            recs.append(gen.record(f"54.240.{rng.randint(0, 7)}.{rng.randint(1, 254)}", rng.randint(1, 900),
                                   DOMAIN, dkims=[(DOMAIN, gen.SES_SELECTOR, "pass")],
                                   spf=("eu-west-1.amazonses.com", "pass")))
        elif kind < 0.85:
            recs.append(gen.record("198.51.100.44", rng.randint(1, 80), DOMAIN,
                                   dkim=("em.vendor.example", "s1", "pass"), spf=("bounces.vendor.example", "pass")))
        else:
            ip = (f"2001:db8:{rng.randint(0, 65535):x}::{rng.randint(1, 65535):x}" if rng.random() < 0.3
                  else f"203.0.113.{rng.randint(1, 254)}")
            recs.append(gen.record(ip, rng.randint(1, 9), DOMAIN, spf=(DOMAIN, "softfail")))
    return gen.report_xml(org, rid, DOMAIN, begin, begin + 86399, recs,
                          policy={"adkim": "r", "aspf": "r", "p": "none", "pct": 100})


def write_reports(folder, n):
    """n .xml.gz files; returns (compressed bytes, XML bytes, records)."""
    rng = random.Random(17)
    comp = xmlb = records = 0
    for i in range(n):
        org = RECEIVERS[i % len(RECEIVERS)]
        k = rng.randint(1, 8)
        xml = make_report(rng, org, f"r{i:06d}", DAY0 + (i // len(RECEIVERS)) * 86400 % (365 * 86400), k)
        data = gen.gzip_bytes(xml)
        with open(os.path.join(folder, f"{org.replace(' ', '_')}!{DOMAIN}!{i:06d}.xml.gz"), "wb") as f:
            f.write(data)
        comp += len(data)
        xmlb += len(xml)
        records += k
    return comp, xmlb, records


def write_year(folder, orgs, now):
    rng = random.Random(23)
    today = int(now) - int(now) % 86400
    n = 0
    for d in range(365, 0, -1):
        for k in range(orgs):
            xml = make_report(rng, f"receiver-{k:02d}.example", f"y{d}-{k}", today - d * 86400, 5)
            with open(os.path.join(folder, f"y{d:03d}-{k:02d}.xml.gz"), "wb") as f:
                f.write(gen.gzip_bytes(xml))
            n += 1
    return n


def env_for(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SESCTL_", "XDG_"))}
    env.update(HOME=home, XDG_CACHE_HOME=os.path.join(home, "cache"), XDG_CONFIG_HOME=os.path.join(home, "cfg"),
               XDG_STATE_HOME=os.path.join(home, "state"), AWS_EC2_METADATA_DISABLED="true", LC_ALL="C.UTF-8",
               TZ="UTC", AWS_ACCESS_KEY_ID="AKIDBENCH", AWS_SECRET_ACCESS_KEY="bench")
    return env


def s3_part(out, a, sesctl, tmp):
    sys.path.insert(0, os.path.join(HERE, "..", "tests", "emulator"))
    from sesemu_fixture import Sesemu
    import seeds
    emu = Sesemu(seed="demo").start()
    try:
        emu.set_faults([{"kind": "latency", "rate": 1.0, "operation": "*", "ms": a.latency_ms}])
        url = "s3://%s/%s" % (seeds.DMARC_BUCKET, seeds.DMARC_PREFIX)
        n = len(seeds.dmarc_objects("eu-west-1", __import__("time").time()))
        out["s3_objects"] = n
        out["latency_ms"] = a.latency_ms
        jobs = [("s3_sesctl", lambda d: [sesctl, "-q", "dmarc", "import", url, "--json"]),
                ("s3_boto3", lambda d: [sys.executable, "-c", PY_S3, seeds.DMARC_BUCKET, seeds.DMARC_PREFIX,
                                        emu.url])]
        if shutil.which("aws"):
            jobs.append(("s3_awscli", lambda d: ["aws", "s3", "sync", url, os.path.join(d, "dl"),
                                                 "--only-show-errors"]))
        for key, argv_of in jobs:
            out[key] = []
            for r in range(a.runs):
                home = os.path.join(tmp, f"home-{key}-{r}")
                os.makedirs(home)
                env = emu.env(env_for(home))
                for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
                    env[k] = emu.env({})[k]
                argv = argv_of(home)
                B.say("$ " + B.cmdline(argv))
                so = os.path.join(home, "stdout")
                with open(so, "w") as f:
                    m = B.measured(argv, env, stdout=f)
                with open(so) as f:
                    text = f.read()
                if key == "s3_sesctl":
                    got = json.loads(text)["reports_new"]
                elif key == "s3_boto3":
                    got = int(text.strip() or 0)
                else:
                    got = sum(len(fs) for _, _, fs in os.walk(os.path.join(home, "dl")))
                if m["rc"] != 0 or got != n:
                    raise SystemExit(f"{key}: exit {m['rc']}, {got} of {n}: {m['stderr']}")
                out[key].append(m)
                B.say(f"  {m['wall']:.2f} s wall, {m['cpu']:.2f} s CPU, {m['rss_kib'] / 1024:.1f} MiB")
    finally:
        emu.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--orgs", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--latency-ms", type=int, default=50)
    ap.add_argument("--no-s3", action="store_true")
    ap.add_argument("--out", default="build/bench/dmarc.json")
    a = ap.parse_args()
    sesctl = os.environ.get("SESCTL_BIN", os.path.join(HERE, "..", "sesctl"))
    tmp = tempfile.mkdtemp(prefix="sesctl-bench-dmarc-")
    out = {"reports": a.reports, "runs": a.runs, "orgs": a.orgs, "load_before": B.loadavg()}
    try:
        folder = os.path.join(tmp, "reports")
        os.makedirs(folder)
        comp, xmlb, records = write_reports(folder, a.reports)
        out.update(compressed_bytes=comp, xml_bytes=xmlb, records=records)
        B.say(f"dmarc: {a.reports:,} reports, {records:,} records, {comp / 1e6:.1f} MB gzip, {xmlb / 1e6:.1f} MB XML")
        for key, argv_of in (
                ("sesctl_import", lambda home: [sesctl, "--offline", "--region", "eu-west-1", "-q", "dmarc",
                                                "import", folder, "--json"]),
                ("python_import", lambda home: [sys.executable, "-c", PY_IMPORT, folder,
                                                os.path.join(home, "py.sqlite3")])):
            out[key] = []
            for r in range(a.runs):
                home = os.path.join(tmp, f"home-{key}-{r}")
                os.makedirs(home)
                argv = argv_of(home)
                B.say("$ " + B.cmdline(argv))
                so = os.path.join(home, "stdout")
                with open(so, "w") as f:
                    m = B.measured(argv, env_for(home), stdout=f)
                with open(so) as f:
                    text = f.read()
                got = json.loads(text)["reports_new"] if key == "sesctl_import" else int(text.strip())
                if m["rc"] != 0 or got != a.reports:
                    raise SystemExit(f"{key}: exit {m['code']}, stored {got} of {a.reports}: {m['stderr']}")
                out[key].append(m)
                B.say(f"  {m['wall']:.2f} s wall, {m['cpu']:.2f} s CPU, {m['rss_kib'] / 1024:.1f} MiB, "
                      f"{a.reports / m['wall']:,.0f} reports/s, {comp / 1e6 / m['wall']:.1f} MB/s gzip")
        # a year of one domain: imported once, then read
        year = os.path.join(tmp, "year")
        os.makedirs(year)
        import time
        n_year = write_year(year, a.orgs, time.time())
        home = os.path.join(tmp, "home-year")
        os.makedirs(home)
        env = env_for(home)
        p = subprocess.run([sesctl, "--offline", "--region", "eu-west-1", "-q", "dmarc", "import", year, "--json"],
                           env=env, capture_output=True, text=True)
        if p.returncode != 0 or json.loads(p.stdout)["reports_new"] != n_year:
            raise SystemExit(f"year import failed: {p.stderr}")
        out["year_reports"] = n_year
        out["year_records"] = n_year * 5
        for key, args in (("year_all", ["dmarc", "--days", "365", "--json"]),
                          ("year_domain", ["dmarc", DOMAIN, "--days", "365", "--json"]),
                          ("year_sources", ["dmarc", "sources", DOMAIN, "--days", "365", "--json"])):
            argv = [sesctl, "--offline", "--region", "eu-west-1", *args]
            B.say("$ " + B.cmdline(argv))
            out[key] = []
            for _ in range(a.runs):
                m = B.measured(argv, env)
                if m["rc"] != 0:
                    raise SystemExit(f"{key}: exit {m['code']}: {m['stderr']}")
                out[key].append(m)
            B.say(f"  {B.fmt_ms(B.summary([m['wall'] for m in out[key]]))}")
        if not a.no_s3:
            s3_part(out, a, sesctl, tmp)
        out["load_after"] = B.loadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
