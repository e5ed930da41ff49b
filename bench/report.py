#!/usr/bin/env python3
"""Turn bench/run.sh's raw results into the Markdown tables of doc/benchmarks.md.

    python3 bench/report.py build/bench      # reads results.json, machine.json, sigv4*.txt
    python3 bench/report.py DIR1 DIR2        # N rows of DIR2's results.json replace DIR1's
"""

import json
import os
import statistics
import sys


def med(xs):
    return statistics.median(xs)


def rng(xs, scale=1.0, fmt="{:.0f}"):
    xs = sorted(x * scale for x in xs)
    return f"{fmt.format(statistics.median(xs))} ({fmt.format(xs[0])}–{fmt.format(xs[-1])})"


def ms(xs, fmt="{:.1f}"):
    return rng(xs, 1000.0, fmt)


def sec(xs, fmt="{:.2f}"):
    return rng(xs, 1.0, fmt)


def mib(kib):
    return f"{kib / 1024:.1f}"


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    with open(os.path.join(d, "results.json")) as f:
        res = json.load(f)
    machine = {}
    if os.path.exists(os.path.join(d, "machine.json")):
        with open(os.path.join(d, "machine.json")) as f:
            machine = json.load(f)
    for extra in sys.argv[2:]:                      # a later run of some sizes replaces those rows
        with open(os.path.join(extra, "results.json")) as f:
            more = json.load(f)
        ns = {r["n"] for r in more["results"]}
        res["results"] = sorted([r for r in res["results"] if r["n"] not in ns] + more["results"],
                                key=lambda r: r["n"])
        res["started"] += f" (N={','.join(str(n) for n in sorted(ns))}: {more['started']} – {more.get('finished', '?')})"
    R = res["results"]
    p = print
    p(f"Run {res.get('started', '?')} – {res.get('finished', '?')}, commit {machine.get('commit', '?')}; "
      f"{res['runs']} runs per figure unless n says otherwise; figures are median (min–max).")
    p()
    p("Load average (1/5/15 min) per N, before → after: " + "; ".join(
        f"N={r['n']}: {'/'.join(r['load_before'])} → {'/'.join(r.get('load_after', ['?']))}" for r in R))
    p()

    # 1. cold sync
    p("### 1. Cold sync (empty cache → everything)")
    p()
    p("| N | sesctl wall s | sesctl CPU s | CPU/wall | sesctl peak RSS MiB | requests | boto3 wall s | boto3 CPU s "
      "| boto3 RSS MiB | AWS CLI whole job s (**extrapolated**) | AWS CLI CPU s (**extrap.**) "
      "| boto3 ÷ sesctl wall | AWS CLI ÷ sesctl wall | boto3 ÷ sesctl CPU | AWS CLI ÷ sesctl CPU |")
    p("|---:|---|---|---:|---|---:|---|---|---|---:|---:|---:|---:|---:|---:|")
    for r in R:
        c, b, a = r["cold"], r["boto3"], r["awscli"]
        sw, sc = med([x["wall"] for x in c]), med([x["cpu"] for x in c])
        bw, bc = med([x["wall"] for x in b]), med([x["cpu"] for x in b])
        p(f"| {r['n']:,} | {sec([x['wall'] for x in c])} | {sec([x['cpu'] for x in c], '{:.3f}')} "
          f"| {100 * sc / sw:.0f} % | {mib(med([x['rss_kib'] for x in c]))} (max {mib(max(x['rss_kib'] for x in c))}) "
          f"| {med([x['requests'] for x in c]):.0f} | {sec([x['wall'] for x in b])} | {sec([x['cpu'] for x in b])} "
          f"| {mib(med([x['rss_kib'] for x in b]))} | {a['extrapolated_total']:.0f} | {a['extrapolated_cpu']:.0f} "
          f"| {bw / sw:.2f} | {a['extrapolated_total'] / sw:.0f} | {bc / sc:.1f} | {a['extrapolated_cpu'] / sc:.0f} |")
    p()
    p("Requests per operation (one sesctl run; the emulator's request log):")
    p()
    for r in R:
        ops = r["cold"][0]["ops"]
        p(f"- N={r['n']:,}: " + ", ".join(f"{k} {v}" for k, v in sorted(ops.items(), key=lambda kv: -kv[1])))
    p()
    p("AWS CLI (v1, one process per call, as a shell script runs it): the part without per-identity "
      "detail calls is measured whole; `get-email-identity` is timed on a random sample and the whole "
      "job is **extrapolated** as fixed part + N × median per call.")
    p()
    p("| N | fixed part wall s (runs) | fixed part CPU s | list-email-identities alone s | requests (fixed part) "
      "| get-email-identity per call ms (n) | CPU per call ms | AWS CLI peak RSS MiB | **extrapolated** whole job |")
    p("|---:|---|---|---|---:|---|---:|---:|---|")
    for r in R:
        a = r["awscli"]
        fx = a["fixed"]
        p(f"| {r['n']:,} | {sec([x['wall'] for x in fx])} (n={len(fx)}) | {sec([x['cpu'] for x in fx])} "
          f"| {sec(a['list'])} | {med([x['requests'] for x in fx]):.0f} | {ms(a['per_call'], '{:.0f}')} "
          f"(n={len(a['per_call'])}) | {a['cpu_per_call'] * 1000:.0f} | {mib(max(x['rss_kib'] for x in fx))} "
          f"| {med([x['wall'] for x in fx]):.2f} + {r['n']:,} × {med(a['per_call']):.3f} = "
          f"**{a['extrapolated_total']:.0f} s** ({a['extrapolated_total'] / 60:.1f} min) |")
    p()

    # 2. warm list
    p("### 2. Listing from a warm cache")
    p()
    p("| N | `identities list` ms | RSS MiB | `identities list --json` ms | RSS MiB | requests made "
      "| `aws sesv2 list-email-identities` (all pages) ms | AWS CLI ÷ sesctl (text) | AWS CLI ÷ sesctl (json) |")
    p("|---:|---|---:|---|---:|---:|---|---:|---:|")
    for r in R:
        t, j = r["list"]["text"], r["list"]["json"]
        tw, jw = med([x["wall"] for x in t["samples"]]), med([x["wall"] for x in j["samples"]])
        aw = med(r["awscli"]["list"])
        p(f"| {r['n']:,} | {ms([x['wall'] for x in t['samples']])} | {mib(max(x['rss_kib'] for x in t['samples']))} "
          f"| {ms([x['wall'] for x in j['samples']])} | {mib(max(x['rss_kib'] for x in j['samples']))} "
          f"| {t['requests'] + j['requests']} | {ms(r['awscli']['list'], '{:.0f}')} (n={len(r['awscli']['list'])}) "
          f"| {aw / tw:.0f} | {aw / jw:.0f} |")
    p()
    for r in R:
        if not r.get("list_scale"):
            continue
        p(f"`identities list` from the N = {r['n']:,} cache grown to more identities (synthetic copies of one "
          "row, `--offline`): the rows stream from the cache, so peak RSS should not grow with N "
          "(target ≤ 16 MiB at 10,000 and 100,000).")
        p()
        p("| identities | text ms | RSS MiB | `--json` ms | RSS MiB | `--csv` ms | RSS MiB | ≤ 16 MiB |")
        p("|---:|---|---:|---|---:|---|---:|---|")
        for n, v in sorted(r["list_scale"].items(), key=lambda kv: int(kv[0])):
            peak = max(x["rss_kib"] for f in ("text", "json", "csv") for x in v[f])
            p(f"| {int(n):,} | " + " | ".join(
                f"{ms([x['wall'] for x in v[f]])} | {mib(max(x['rss_kib'] for x in v[f]))}"
                for f in ("text", "json", "csv")) + f" | {'met' if peak <= 16 * 1024 else '**missed**'} |")
        p()

    # 3. first frame
    p("### 3. Console first frame from a warm cache (a 120×40 pty)")
    p()
    p("| N | exec → first frame on the terminal ms | RSS then MiB (peak) | target | every row loaded ms "
      "| callgrind: start + first frame + the rest + exit (M instr.) |")
    p("|---:|---|---|---|---|---:|")
    for r in R:
        s = r["tui"]["samples"]
        ok = med([x["wall"] for x in s]) <= 0.020 and max(x["hwm_kib"] for x in s) <= 16 * 1024
        cg = r.get("callgrind", {})
        loaded = [x["loaded"] for x in s if x.get("loaded")]
        p(f"| {r['n']:,} | {ms([x['wall'] for x in s])} (n={len(s)}) | {mib(med([x['rss_kib'] for x in s]))} "
          f"({mib(max(x['hwm_kib'] for x in s))}) | ≤ 20 ms, ≤ 16 MiB: {'met' if ok else '**missed**'} "
          f"| {ms(loaded) if loaded else '–'} "
          + (f"| {cg['start'] / 1e6:.1f} |" if cg else "| – |"))
    p()

    # 4. filter
    p("### 4. Filter keystroke (`/` then typed keys over N rows)")
    p()
    p("| N | per keystroke p50 ms | p99 ms | max ms | samples | floor without a key p50 / p99 ms "
      "| callgrind per keystroke (M instr.) | target < 5 ms |")
    p("|---:|---:|---:|---:|---:|---|---:|---|")
    for r in R:
        f = r["filter"]
        cg = r.get("callgrind", {})
        p(f"| {r['n']:,} | {f['p50']:.2f} | {f['p99']:.2f} | {f['max']:.2f} | {len(f['raw_ms'])} "
          f"| {f['base_p50']:.2f} / {f.get('base_p99', float('nan')):.2f} "
          + (f"| {cg['per_key'] / 1e6:.2f} " if cg else "| – ") + f"| {'met' if f['p99'] < 5 else '**missed**'} |")
    p()

    # 5. sigv4
    p("### 5. SigV4 signing (one thread)")
    p()
    rows = []
    path = os.path.join(d, "sigv4.jsonl")
    if os.path.exists(path):
        with open(path) as fh:
            rows = [json.loads(line) for line in fh if line.startswith("{")]
    irs = {}
    path = os.path.join(d, "sigv4-ir.txt")
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                irs[line.split()[0]] = line.split(":")[1].split()[0]
    p("| signing key | signatures/s (CPU) | µs per signature | instructions per signature (callgrind) |")
    p("|---|---|---|---:|")
    for fresh, label in ((False, "cached (same day/region/service)"), (True, "derived every time")):
        xs = [x for x in rows if x["fresh_key"] == fresh]
        if xs:
            p(f"| {label} | {rng([x['per_second'] for x in xs])} | {rng([x['us_per_signature'] for x in xs], 1, '{:.2f}')} "
              f"| {irs.get('fresh' if fresh else 'cached', '–')} |")
    p()

    # 6. scaling
    p("### 6. Scaling over N")
    p()
    p("| N | sync CPU µs/identity | sync wall ms/identity | list ms (text) | list µs/identity "
      "| first frame ms | first-frame instr./identity | filter instr./key/row |")
    p("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in R:
        n = r["n"]
        sc = med([x["cpu"] for x in r["cold"]])
        sw = med([x["wall"] for x in r["cold"]])
        lw = med([x["wall"] for x in r["list"]["text"]["samples"]])
        ff = med([x["wall"] for x in r["tui"]["samples"]])
        cg = r.get("callgrind", {})
        p(f"| {n:,} | {sc / n * 1e6:.0f} | {sw / n * 1000:.2f} | {lw * 1000:.1f} | {lw / n * 1e6:.1f} "
          f"| {ff * 1000:.1f} | " + (f"{cg['start'] / n:,.0f} | {cg['per_key'] / n:,.0f} |" if cg else "– | – |"))
    p()
    streams(d, p)
    events(d, p)
    history(d, p)
    tenants(d, p)
    dmarc(d, p)
    fleet(d, p)


def streams(d, p):
    """7. configuration sets (bench/streams.py), when it ran."""
    path = os.path.join(d, "streams.json")
    if not os.path.exists(path):
        return
    with open(path) as f:
        s = json.load(f)
    p(f"### 7. Configuration sets: {s['sets']} sets, 3 destinations each (seed streams:{s['sets']})")
    p()
    p("Every set's options and event destinations, then the account's and every set's own "
      "Reputation.* and Send/Bounce/Complaint series (14 days, hourly). Load before → after: "
      f"{'/'.join(s['load_before'])} → {'/'.join(s.get('load_after', ['?']))}.")
    p()
    p("| job | wall s | CPU s | peak RSS MiB | requests |")
    p("|---|---:|---:|---:|---:|")
    for key, label in (("sesctl_sets", "sets: `sesctl sync --kind config-sets` (empty cache)"),
                       ("boto3_sets_1", "sets: boto3, 1 thread (`bench/boto3_streams.py --workers 1 --no-metrics`)"),
                       ("boto3_sets_8", "sets: boto3, 8 threads (`… --workers 8 --no-metrics`)"),
                       ("sesctl", "sets + metrics: `sesctl sync --kind config-sets --kind metrics`"),
                       ("boto3_1", "sets + metrics: boto3, 1 thread (`bench/boto3_streams.py --workers 1`)"),
                       ("boto3_8", "sets + metrics: boto3, 8 threads (`… --workers 8`)"),
                       ("list", "`sesctl config-sets` (warm cache)")):
        xs = s.get(key)
        if not xs:
            continue
        p(f"| {label} | {sec([x['wall'] for x in xs], '{:.3f}')} | {sec([x['cpu'] for x in xs], '{:.3f}')} "
          f"| {mib(max(x['rss_kib'] for x in xs))} | {med([x['requests'] for x in xs]):.0f} |")
    p()


def events(d, p):
    """8. feedback: the events tap and the routing audit (bench/events.py), when it ran."""
    path = os.path.join(d, "events.json")
    if not os.path.exists(path):
        return
    with open(path) as f:
        s = json.load(f)
    p(f"### 8. Feedback: {s['events']:,} events from a tap queue; the audit of {s['identities']:,} identities")
    p()
    p("Load before → after: "
      f"{'/'.join(s['load_before'])} → {'/'.join(s.get('load_after', ['?']))}.")
    p()
    p(f"| job | wall s | messages/s | rows/s | {s['events']:,} messages at that rate, s | CPU s "
      "| peak RSS MiB | requests |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, label in (("sesctl_events", "`sesctl events` (receive, parse, store, delete)"),
                       ("boto3_events", "boto3 (`bench/boto3_events.py drain`: receive, decode, delete; no store)"),
                       ("awscli_events", f"AWS CLI, {s.get('cli_sample')} messages (`aws sqs receive-message` + `delete-message-batch`)")):
        xs = s.get(key)
        if not xs:
            continue
        n = xs[0].get("messages", s["events"])
        # rows: what sesctl stored ("new"), what boto3 counted (one per recipient)
        rows = [x.get("new_rows", x.get("inner", {}).get("rows")) for x in xs]
        rate = med([n / x["wall"] for x in xs])
        row_rate = "–" if None in rows else f"{med([r / x['wall'] for r, x in zip(rows, xs)]):.0f}"
        p(f"| {label} | {sec([x['wall'] for x in xs], '{:.3f}')} | {rate:.0f} | {row_rate} "
          f"| {s['events'] / rate:.1f}{'' if n == s['events'] else ' (extrapolated)'} "
          f"| {sec([x['cpu'] for x in xs], '{:.3f}')} | {mib(max(x['rss_kib'] for x in xs))} "
          f"| {med([x['requests'] for x in xs]):.0f} |")
    p()
    p(f"The audit: SES allows one GetIdentityNotificationAttributes call (100 identities) a second, "
      f"so {s['audit_floor']} s is the floor for {s['identities']:,} identities.")
    p()
    p("| job | wall s | over the floor s | requests |")
    p("|---|---:|---:|---:|")
    for key, label in (("sesctl_audit", "`sesctl sync --kind feedback` (identities cached)"),
                       ("boto3_audit", "boto3 (`bench/boto3_events.py audit`, list + paced reads + topics)")):
        xs = s.get(key)
        if not xs:
            continue
        p(f"| {label} | {sec([x['wall'] for x in xs], '{:.2f}')} "
          f"| {med([x['wall'] - s['audit_floor'] for x in xs]):.2f} | {med([x['requests'] for x in xs]):.0f} |")
    p()


def history(d, p):
    """9. the team's memory: CloudTrail read and cached (bench/history.py), when it ran."""
    path = os.path.join(d, "history.json")
    if not os.path.exists(path):
        return
    with open(path) as f:
        s = json.load(f)
    p(f"### 9. History: {s['events']:,} CloudTrail events, LookupEvents at 2 calls/s "
      f"(a full read's floor: {s['floor']:.1f} s)")
    p()
    p("Load before → after: "
      f"{'/'.join(s['load_before'])} → {'/'.join(s.get('load_after', ['?']))}.")
    p()
    p("| job | wall s | events/s | CPU s | peak RSS MiB | requests |")
    p("|---|---:|---:|---:|---:|---:|")
    for key, label in (("sesctl_first", "`sesctl history --refresh`, empty cache (every page)"),
                       ("sesctl_next", "`sesctl history --refresh` again (from the newest cached event)"),
                       ("awscli", "`aws cloudtrail lookup-events` (every page, every time)"),
                       ("boto3", "boto3 LookupEvents paginator (`bench/boto3_history.py`)")):
        xs = s.get(key)
        if not xs:
            continue
        rate = "–" if key == "sesctl_next" else f"{med([s['events'] / x['wall'] for x in xs]):.0f}"
        p(f"| {label} | {sec([x['wall'] for x in xs], '{:.3f}')} | {rate} "
          f"| {sec([x['cpu'] for x in xs], '{:.3f}')} | {mib(max(x['rss_kib'] for x in xs))} "
          f"| {med([x['requests'] for x in xs]):.0f} |")
    p()


def rate(x):
    return f"{x:.1f}" if x < 10 else f"{x:,.0f}"


def dmarc(d, p):
    """11. DMARC reports: import and a year read (bench/dmarc.py), when it ran."""
    path = os.path.join(d, "dmarc.json")
    if not os.path.exists(path):
        return
    with open(path) as f:
        s = json.load(f)
    n, comp, xmlb = s["reports"], s["compressed_bytes"], s["xml_bytes"]
    p(f"### 11. DMARC reports: {n:,} reports ({s['records']:,} records, {comp / 1e6:.1f} MB gzip, "
      f"{xmlb / 1e6:.1f} MB XML); a year of one domain: {s['year_reports']:,} reports")
    p()
    p("Load before → after: "
      f"{'/'.join(s['load_before'])} → {'/'.join(s.get('load_after', ['?']))}.")
    p()
    p("| job | wall s | reports/s | MB/s gzip | MB/s XML | CPU s | peak RSS MiB |")
    p("|---|---:|---:|---:|---:|---:|---:|")
    for key, label in (("sesctl_import", "`sesctl dmarc import DIR` (fresh cache)"),
                       ("python_import", "Python stdlib: gzip + xml.etree + sqlite3, the same rows")):
        xs = s.get(key) or []
        if xs:
            p(f"| {label} | {sec([x['wall'] for x in xs], '{:.2f}')} | {rate(med([n / x['wall'] for x in xs]))} "
              f"| {med([comp / 1e6 / x['wall'] for x in xs]):.1f} | {med([xmlb / 1e6 / x['wall'] for x in xs]):.1f} "
              f"| {sec([x['cpu'] for x in xs], '{:.2f}')} | {mib(max(x['rss_kib'] for x in xs))} |")
    p()
    if s.get("s3_sesctl"):
        k = s["s3_objects"]
        p(f"From S3: the demo's {k} raw messages, {s['latency_ms']} ms injected on every emulator call.")
        p()
        p("| job | wall s | objects/s | CPU s | peak RSS MiB |")
        p("|---|---:|---:|---:|---:|")
        for key, label in (("s3_sesctl", "`sesctl dmarc import s3://…` (list, 8 fetches in flight, parse, store)"),
                           ("s3_boto3", "boto3: list + GetObject with 8 threads (download only)"),
                           ("s3_awscli", "AWS CLI: `aws s3 sync` of the prefix (download only)")):
            xs = s.get(key) or []
            if xs:
                p(f"| {label} | {sec([x['wall'] for x in xs], '{:.2f}')} | {rate(med([k / x['wall'] for x in xs]))} "
                  f"| {sec([x['cpu'] for x in xs], '{:.2f}')} | {mib(max(x['rss_kib'] for x in xs))} |")
        p()
    p("| a year of one domain | wall ms | CPU ms | peak RSS MiB |")
    p("|---|---:|---:|---:|")
    for key, label in (("year_all", "`sesctl dmarc --days 365` (every domain's verdict)"),
                       ("year_domain", "`sesctl dmarc DOMAIN --days 365` (verdict and days)"),
                       ("year_sources", "`sesctl dmarc sources DOMAIN --days 365`")):
        xs = s.get(key) or []
        if xs:
            p(f"| {label} | {rng([x['wall'] for x in xs], 1000.0)} "
              f"| {med([x['cpu'] * 1000 for x in xs]):.0f} | {mib(max(x['rss_kib'] for x in xs))} |")
    p()


def tenants(d, p):
    """10. tenants: read, cached, refreshed (bench/tenants.py), when it ran."""
    path = os.path.join(d, "tenants.json")
    if not os.path.exists(path):
        return
    with open(path) as f:
        s = json.load(f)
    t, pl = s["tenants"], s["plan"]
    p(f"### 10. Tenants: {t:,} tenants, {pl['resources']:,} resources, {pl['paused']} paused "
      f"({pl['paused_aws']} by AWS), {pl['findings']} findings")
    p()
    p("Load before → after: "
      f"{'/'.join(s['load_before'])} → {'/'.join(s.get('load_after', ['?']))}.")
    p()
    p("| job | wall s | tenants/s | CPU s | peak RSS MiB | requests | processes | emulator CPU s |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, label, procs in (
            ("sesctl_first", "`sesctl sync --kind tenants`, empty cache (first read)", "1"),
            ("sesctl_cached", "`sesctl tenants --json` (second read: the cache)", "1"),
            ("sesctl_refresh", "`sesctl tenants --json --refresh`", "1"),
            ("awscli", "AWS CLI: `list-tenants`, per tenant `get-reputation-entity` + "
                       "`list-tenant-resources`, `list-recommendations`",
             f"{2 * t + 1 + max(1, -(-pl['findings'] // 100)):,}"),
            ("boto3", "boto3 (`bench/boto3_tenants.py`: paginators, GetReputationEntity a tenant)", "1"),
            ("boto3_list", "boto3 `--entities list` (statuses from ListReputationEntities, as sesctl)", "1")):
        xs = s.get(key)
        if not xs:
            continue
        n = f" (n={len(xs)})" if len(xs) != s["runs"] else ""
        p(f"| {label}{n} | {sec([x['wall'] for x in xs], '{:.3f}')} | {rate(med([t / x['wall'] for x in xs]))} "
          f"| {sec([x['cpu'] for x in xs], '{:.3f}')} | {mib(max(x['rss_kib'] for x in xs))} "
          f"| {med([x['requests'] for x in xs]):.0f} | {procs} "
          f"| {med([x['emu_cpu'] for x in xs]) if 'emu_cpu' in xs[0] else float('nan'):.2f} |")
    p()
    p("Requests per operation (one run of each; the emulator's request log):")
    p()
    for key in ("sesctl_first", "sesctl_refresh", "awscli", "boto3", "boto3_list"):
        xs = s.get(key)
        if xs:
            p(f"- {key}: " + ", ".join(f"{k} {v}" for k, v in sorted(xs[0]["ops"].items(), key=lambda kv: -kv[1])))
    p()


def fleet(d, p):
    """Fleet (issue 21): sync of every cell, find and the Fleet pane (bench/fleet.py), when it ran."""
    path = os.path.join(d, "fleet.json")
    if not os.path.exists(path):
        return
    with open(path) as f:
        s = json.load(f)
    c = s["cells"]
    p(f"### 12. Fleet (issue 21): {c} cells (seed {s['seed']}; {s['readable']} readable, the rest expired "
      f"by design), every call delayed {s['latency']} ms, {s['emulators']} emulator processes")
    p()
    p("Load before → after: "
      f"{'/'.join(s['load_before'])} → {'/'.join(s.get('load_after', ['?']))}.")
    p()
    p("| job | wall s | CPU s | peak RSS MiB | requests | requests a cell | emulators' CPU s |")
    p("|---|---:|---:|---:|---:|---:|---:|")
    for key, label in (("sesctl_sync", "`sesctl sync --fleet` (new cache; exit 9: partial)"),
                       ("boto3", "boto3 (`bench/boto3_fleet.py`, 16 threads, 5 reads a cell)")):
        xs = s.get(key) or []
        if xs:
            p(f"| {label} | {sec([x['wall'] for x in xs], '{:.2f}')} | {sec([x['cpu'] for x in xs], '{:.2f}')} "
              f"| {mib(max(x['rss_kib'] for x in xs))} | {med([x['requests'] for x in xs]):.0f} "
              f"| {med([x['requests'] for x in xs]) / c:.1f} | {med([sum(x['emu_cpu']) for x in xs]):.2f} |")
    a = s.get("awscli")
    if a:
        p(f"| AWS CLI, **extrapolated**: {len(a['per_call'])} calls timed, × {a['calls']} calls, serial "
          f"| {a['extrapolated_wall']:.0f} | {a['extrapolated_cpu']:.0f} | – | {a['calls']} | 5 | – |")
    p()
    if s.get("find"):
        p(f"From a cache of {s['identities']:,} identities ({c} cells):")
        p()
        p("| command | wall ms | CPU ms | peak RSS MiB | found |")
        p("|---|---:|---:|---:|---:|")
        for kind, f in s["find"].items():
            xs = f["samples"]
            p(f"| `sesctl find {f['name']}` ({kind}) | {ms([x['wall'] for x in xs])} "
              f"| {med([x['cpu'] * 1000 for x in xs]):.0f} | {mib(max(x['rss_kib'] for x in xs))} | {xs[0]['found']} |")
        ff = s.get("first_frame") or []
        if ff:
            p(f"| Fleet pane first frame (a 120×40 pty) | {ms([x['wall'] for x in ff])} | – "
              f"| {mib(max(x['rss_kib'] or 0 for x in ff))} | – |")
        p()


if __name__ == "__main__":
    main()
