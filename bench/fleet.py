#!/usr/bin/env python3
"""Fleet (issue 21): every account and region at once, against emulators that answer like a
real region (`sesemu --latency 30-80`: each AWS call waits 30-80 ms, concurrently).

  Set-up: K emulator processes (--emulators, default 3), each with the seed fleet:AxR
  (default fleet:30x3: 30 accounts x 3 regions = 90 cells; the seed is deterministic, so
  every process holds the same accounts, keys and cells). The fleet's AWS config and
  credentials files come from the first one (GET /_sesemu/fleet/aws-config); the profiles
  that sign with their own keys get endpoint_url spread round-robin over the K processes,
  while fleet-admin and the assume-role profiles stay on the first one (the temporary keys
  AssumeRole hands out are known only to the process that issued them). Why K > 1: one
  Python process serves moto under one lock with the GIL, so with 90 cells read at once its
  CPU, not the 30-80 ms, would set the pace — the figure would be the emulator's. The
  emulators' CPU during each job is printed so you can see whether they were the limit.
  The sesctl config has `[fleet] profiles = prod-*, staging, dev, cust-*` and the seed's
  regions (every account profile; not fleet-admin). One profile (cust-globex) has expired
  keys by design, so 3 cells fail: sesctl exits 9 (partial), boto3 counts 3 failures.

  a. Fleet sync (--runs, a new cache each run):
       sesctl:  `sesctl --config F --cache NEW sync --fleet` (all cells concurrently);
       boto3:   bench/boto3_fleet.py, a thread pool (16) over the cells: GetAccount,
                ListEmailIdentities (all pages), ListConfigurationSets, GetSendStatistics,
                GetMetricData (bounce and complaint rate) a cell; credentials once a profile;
       AWS CLI: EXTRAPOLATED, not run in full: --cli-sample cells' five calls are timed one
                `aws --profile P --region R ...` process each (as a shell loop does), and the
                per-call median is multiplied by 5 x the readable cells. Serial, like a loop.
     Figures: wall, CPU, peak RSS (bench/runstat), requests (the emulators' --verbose logs),
     the emulators' CPU. sesctl reads more per cell than the boto3 script (configuration set
     details, tenants, suppression, receipt rules, Mail Manager, CloudTrail …): the request
     counts say how much more.
  b. From the cache, with 900,000 identities (--identities): the cache of one sesctl sync
     --fleet gets --identities rows spread evenly over the readable cells, inserted with
     sqlite3 (and `rname`, the name reversed, when the schema has it). Then
       `sesctl --config F --cache C find NAME --json` for an exact name (present in every
       region of one account), a domain (every identity under it), and a name in no cell
       (--runs each; target <= 10 ms);
       the console's first frame on a pty (as section 3: exec → the header's "N cells"
       written to the terminal; SESCTL_CONFIG=F, so it opens on the Fleet pane; target
       <= 20 ms).

    python3 bench/fleet.py --seed fleet:30x3 --latency 30-80 --emulators 3 --runs 3 \
        --identities 900000 --out build/bench/fleet.json
  Needs ./sesctl with `sync --fleet`, `fleet` and `find` (issue 21), build/bench/runstat
  (bench/run.sh builds it; or BENCH_RUNSTAT), python3 with boto3 and moto, and `aws`.
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench as B  # noqa: E402

PROFILES_GLOB = "prod-*, staging, dev, cust-*"
CLI_CALLS = [  # the AWS CLI's five calls a cell (list-email-identities: one page at this size)
    ("get-account", ["sesv2", "get-account"]),
    ("list-email-identities", ["sesv2", "list-email-identities", "--page-size", "1000", "--no-paginate"]),
    ("list-configuration-sets", ["sesv2", "list-configuration-sets"]),
    ("get-send-statistics", ["ses", "get-send-statistics"]),
    ("get-metric-data", None),   # built per run: needs times
]


class Logs:
    """The --verbose request logs of every emulator, as one."""

    def __init__(self, emus):
        self.logs = [B.ReqLog(e) for e in emus]
        self.emus = emus

    def start(self):
        for log in self.logs:
            log.start()
        self.cpu0 = [emu_cpu(e) for e in self.emus]

    def ops(self):
        out = {}
        for log in self.logs:
            for k, v in log.ops().items():
                out[k] = out.get(k, 0) + v
        return out

    def cpu(self):
        return [emu_cpu(e) - c for e, c in zip(self.emus, self.cpu0)]


def emu_cpu(emu):
    with open(f"/proc/{emu.proc.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def spread_config(text, profiles, urls):
    """The AWS config with each keys profile's endpoint_url on urls[i mod K]."""
    target, i = {}, 0
    for p in profiles:
        if p["kind"] in ("keys", "expired") and p["profile"] != "fleet-admin":
            target[p["profile"]] = urls[i % len(urls)]
            i += 1
    out, cur = [], None
    for line in text.splitlines():
        m = re.match(r"\[profile (\S+)\]", line.strip())
        if m:
            cur = m.group(1)
        elif line.strip().startswith("endpoint_url") and cur in target:
            line = f"endpoint_url = {target[cur]}"
        out.append(line)
    return "\n".join(out) + "\n"


def measured_job(name, argv, env, logs, ok_rcs=(0,), stdout=subprocess.DEVNULL):
    logs.start()
    m = B.measured(argv, env, stdout=stdout)
    if m["rc"] not in ok_rcs:
        raise SystemExit(f"{name} failed (exit {m['rc']}): {m['stderr']}")
    m["emu_cpu"] = logs.cpu()
    m["ops"] = logs.ops()
    m["requests"] = B.count(m["ops"])
    return m


def say_job(label, m, cells):
    B.say(f"    {label}: wall {m['wall']:.3f} s  cpu {m['cpu']:.3f} s  peak RSS {m['rss_kib'] / 1024:.1f} MiB  "
          f"requests {m['requests']} ({m['requests'] / cells:.1f} a cell)  exit {m['rc']}  "
          f"emulators' cpu {' + '.join(f'{c:.2f}' for c in m['emu_cpu'])} s")


def fill_identities(cache, total):
    """total identity rows over the cells the sync read; returns (rows, cells, sample names)."""
    db = sqlite3.connect(cache)
    cols = [r[1] for r in db.execute("PRAGMA table_info(identities)")]
    cells = db.execute("SELECT DISTINCT account_id, region FROM identities ORDER BY account_id, region").fetchall()
    if not cells:
        raise SystemExit("the sync cached no identities: nothing to fill")
    aliases = {}
    for acct, name in db.execute("SELECT account_id, min(name) FROM identities WHERE name NOT LIKE '%@%' "
                                 "AND name NOT LIKE 'd0%' AND name NOT LIKE '%.%.%' GROUP BY account_id"):
        aliases[acct] = name
    per = -(-total // len(cells))
    now = int(time.time())
    has_r = "rname" in cols
    sql_cols = ["account_id", "region", "name", "type", "verification_status", "sending_enabled",
                "verified_for_sending", "has_details", "fetched"] + (["rname"] if has_r else [])
    sql = f"INSERT OR IGNORE INTO identities({', '.join(sql_cols)}) VALUES ({', '.join('?' * len(sql_cols))})"
    n = 0
    with db:
        for acct, region in cells:
            base = aliases.get(acct, f"a{acct}.example")
            rows = []
            for j in range(per):
                if n >= total:
                    break
                name = f"b{j:05d}.{region}.{base}" if j % 10 else f"user{j:05d}@{region}.{base}"
                row = [acct, region, name, "EMAIL_ADDRESS" if j % 10 == 0 else "DOMAIN", "SUCCESS", 1, 1, 0, now]
                if has_r:
                    row.append(name[::-1])
                rows.append(row)
                n += 1
            db.executemany(sql, rows)
    count = db.execute("SELECT count(*) FROM identities").fetchone()[0]
    db.close()
    first_acct, first_region = cells[0]
    base = aliases.get(first_acct, f"a{first_acct}.example")
    return count, len(cells), has_r, {"exact": f"b00001.{first_region}.{base}", "domain": base,
                                      "missing": "nowhere.invalid"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", default="fleet:30x3")
    ap.add_argument("--latency", default="30-80")
    ap.add_argument("--emulators", type=int, default=3)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=16, help="boto3 script's pool")
    ap.add_argument("--cli-sample", type=int, default=3, help="cells whose 5 AWS CLI calls are timed")
    ap.add_argument("--identities", type=int, default=900000)
    ap.add_argument("--out", default=os.path.join(B.ROOT, "build", "bench", "fleet.json"))
    args = ap.parse_args()
    B.say(f"\n== fleet: seed {args.seed}, --latency {args.latency} ms, {args.emulators} emulator process(es); "
          f"load average {' '.join(B.loadavg())}")
    tmp = tempfile.mkdtemp(prefix="sesctl-bench-fleet-")
    emus = []
    res = {"seed": args.seed, "latency": args.latency, "emulators": args.emulators, "runs": args.runs,
           "load_before": B.loadavg()}
    try:
        t0 = time.monotonic()
        for _ in range(args.emulators):
            emus.append(B.Sesemu(seed=args.seed, args=["--latency", args.latency, "--verbose"],
                                 start_timeout=600).start())
        B.say(f"  emulators: python3 tests/emulator/sesemu.py --seed {args.seed} --latency {args.latency} --verbose "
              f"x {len(emus)} ({', '.join(e.url for e in emus)}), up in {time.monotonic() - t0:.1f} s")
        logs = Logs(emus)
        files = emus[0].fleet_aws_config()
        profiles = files["profiles"]
        regions = emus[0].admin("GET", "health")["regions"]
        accounts = [p["profile"] for p in profiles if p["profile"] != "fleet-admin"]
        cells = len(accounts) * len(regions)
        expired = [p["profile"] for p in profiles if p["kind"] == "expired"]
        readable = cells - len(expired) * len(regions)
        home = os.path.join(tmp, "home")
        env = B.clean_env(home, emus[0])
        for k in list(env):
            if k.startswith("AWS_") and k not in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
                                                  "AWS_EC2_METADATA_DISABLED", "AWS_PAGER"):
                del env[k]
        with open(env["AWS_CONFIG_FILE"], "w") as f:
            f.write(spread_config(files["config"], profiles, [e.url for e in emus]))
        with open(env["AWS_SHARED_CREDENTIALS_FILE"], "w") as f:
            f.write(files["credentials"])
        conf = os.path.join(tmp, "sesctl.conf")
        with open(conf, "w") as f:
            f.write(f"[fleet]\nprofiles = {PROFILES_GLOB}\nregions = {', '.join(regions)}\n")
        B.say(f"  {len(accounts)} account profiles x {len(regions)} regions = {cells} cells; expired by design: "
              f"{', '.join(expired)} ({cells - readable} cells); sesctl config: [fleet] profiles = {PROFILES_GLOB}")
        res.update(cells=cells, readable=readable, regions=regions)

        # ---- a. sync -------------------------------------------------------------------
        sync = [B.BIN, "--config", conf, "--cache", "CACHE", "sync", "--fleet"]
        B.say(f"  sesctl: {B.cmdline(sync)}   (CACHE a new file each run; exit 9 = partial, expected)")
        res["sesctl_sync"] = []
        for i in range(args.runs):
            cache = os.path.join(tmp, f"fleet-{i}.sqlite3")
            m = measured_job("sesctl sync --fleet", [B.BIN, "--config", conf, "--cache", cache, "sync", "--fleet"],
                             env, logs, ok_rcs=(0, 9))
            say_job(f"run {i + 1}", m, cells)
            res["sesctl_sync"].append({k: v for k, v in m.items() if k != "stderr"})
        cache = os.path.join(tmp, "fleet-0.sqlite3")
        p = subprocess.run([B.BIN, "--config", conf, "--cache", cache, "fleet", "--json"], env=env,
                           capture_output=True, text=True)
        fleet = json.loads(p.stdout)
        ok = sum(1 for r in fleet["rows"] if r.get("health") != "error")
        B.say(f"    sesctl fleet --json from that cache: {len(fleet['rows'])} cells, {ok} read")
        if len(fleet["rows"]) != cells or ok != readable:
            raise SystemExit(f"sesctl's cache has {len(fleet['rows'])} cells ({ok} read), expected {cells} ({readable})")
        res["sesctl_cells_read"] = ok

        boto = [B.PY, os.path.join(B.ROOT, "bench", "boto3_fleet.py"), "--profiles", ",".join(accounts),
                "--regions", ",".join(regions), "--threads", str(args.threads), "--out", os.path.join(tmp, "boto3.json")]
        B.say(f"  boto3: python3 bench/boto3_fleet.py --profiles ({len(accounts)}) --regions {','.join(regions)} "
              f"--threads {args.threads}")
        res["boto3"] = []
        for i in range(args.runs):
            m = measured_job("boto3_fleet.py", boto, env, logs)
            with open(os.path.join(tmp, "boto3.json")) as f:
                got = json.load(f)
            if got["ok"] != readable:
                raise SystemExit(f"boto3 read {got['ok']} cells, expected {readable}: {got['errors']}")
            m["got"] = {k: got[k] for k in ("cells", "ok", "failed", "identities")}
            say_job(f"run {i + 1}", m, cells)
            res["boto3"].append({k: v for k, v in m.items() if k != "stderr"})

        # AWS CLI: a sample, extrapolated
        import datetime
        end = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
        start = end - datetime.timedelta(hours=24)
        mdq = json.dumps([{"Id": f"m{i}", "MetricStat": {"Metric": {"Namespace": "AWS/SES", "MetricName": n},
                                                         "Period": 3600, "Stat": "Average"}}
                          for i, n in enumerate(("Reputation.BounceRate", "Reputation.ComplaintRate"))])
        sample = [(a, regions[i % len(regions)]) for i, a in enumerate(x for x in accounts if x not in expired)]
        sample = sample[:args.cli_sample]
        per_call, cpu_call = [], []
        logs.start()
        for prof, region in sample:
            for what, cmd in CLI_CALLS:
                if cmd is None:
                    cmd = ["cloudwatch", "get-metric-data", "--metric-data-queries", mdq,
                           "--start-time", start.isoformat(), "--end-time", end.isoformat()]
                m = B.measured(["aws", "--profile", prof, "--region", region, *cmd, "--output", "json"], env)
                if m["rc"] != 0:
                    raise SystemExit(f"aws {what} ({prof}, {region}) failed: {m['stderr']}")
                per_call.append(m["wall"])
                cpu_call.append(m["cpu"])
        nreq = B.count(logs.ops())
        calls = 5 * readable
        med = statistics.median(per_call)
        res["awscli"] = {"sample_cells": len(sample), "per_call": per_call, "cpu_per_call": cpu_call,
                         "requests_sample": nreq, "calls": calls, "extrapolated_wall": med * calls,
                         "extrapolated_cpu": statistics.median(cpu_call) * calls,
                         "rss_kib_max": None}
        B.say(f"  AWS CLI: {len(per_call)} calls timed ({len(sample)} cells x 5, one `aws --profile P --region R` "
              f"process each): {B.fmt_ms(B.summary(per_call))} a call, cpu {statistics.median(cpu_call) * 1000:.0f} ms; "
              f"EXTRAPOLATED serial job = {calls} calls x {med:.3f} s = {med * calls:.1f} s")

        # ---- b. find and the first frame over many identities ------------------------------
        big = os.path.join(tmp, "big.sqlite3")
        shutil.copy(cache, big)
        t0 = time.monotonic()
        count, ncells, has_r, names = fill_identities(big, args.identities)
        B.say(f"  cache filled: {count} identities in {ncells} cells ({'with' if has_r else 'without'} rname) "
              f"in {time.monotonic() - t0:.1f} s")
        res["identities"] = count
        res["find"] = {}
        for kind, name in names.items():
            argv = [B.BIN, "--config", conf, "--cache", big, "find", name, "--json"]
            samples = []
            for i in range(max(args.runs, 5)):
                out = os.path.join(tmp, "find.json")
                with open(out, "w") as f:
                    m = B.measured(argv, env, stdout=f)
                if m["rc"] not in (0, 1):
                    raise SystemExit(f"sesctl find failed (exit {m['rc']}): {m['stderr']}")
                with open(out) as f:
                    txt = f.read()
                found = len(json.loads(txt)) if txt.strip().startswith("[") else 0
                samples.append({"wall": m["wall"], "cpu": m["cpu"], "rss_kib": m["rss_kib"], "found": found,
                                "rc": m["rc"]})
            s = B.summary([x["wall"] for x in samples])
            res["find"][kind] = {"name": name, "samples": samples}
            B.say(f"    {B.cmdline(argv)}: {B.fmt_ms(s)}  found {samples[0]['found']}  "
                  f"peak RSS {samples[0]['rss_kib'] / 1024:.1f} MiB")

        fenv = dict(env, SESCTL_CONFIG=conf, TERM="xterm-256color")
        for k in ("SESCTL_NO_DISPLAY", "SESCTL_TEST_SCRIPT", "LINES", "COLUMNS"):
            fenv.pop(k, None)
        B.say(f"  Fleet pane first frame: SESCTL_CONFIG=F {B.BIN} --cache {big} on a 120x40 pty; time = exec → "
              f"the header's '{cells} cells' written to the terminal; RSS read then")
        ff = []
        for i in range(max(args.runs, 5)):
            when, st = B.pty_first_frame([B.BIN, "--cache", big], fenv, f"{cells} cells")
            ff.append({"wall": when, "rss_kib": st.get("VmRSS"), "hwm_kib": st.get("VmHWM")})
            B.say(f"    run {i + 1}: first frame {when * 1000:.1f} ms  RSS {st.get('VmRSS', 0) / 1024:.1f} MiB")
        _, texts, _ = B.tui_session(dict(env, SESCTL_CONFIG=conf), big, tmp, ["dump"], name="fleetff")
        if "Fleet]" not in texts[0] or f"{cells} cells" not in texts[0]:
            raise SystemExit(f"the first frame is not the Fleet pane:\n{texts[0]}")
        res["first_frame"] = ff
        res["first_frame_text"] = texts[0]
        res["load_after"] = B.loadavg()
    finally:
        for e in emus:
            e.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(res, f, indent=1)
    B.say(f"  results: {args.out}")


if __name__ == "__main__":
    main()
