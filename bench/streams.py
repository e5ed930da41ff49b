#!/usr/bin/env python3
"""Configuration sets at scale: the emulator seeded with streams:N (N sets, 3 enabled event
destinations each, reputation metrics on, 24 hourly Reputation.* points each). Measured:

  sesctl: `sesctl --cache NEW sync --kind config-sets` (every set with its options and
          destinations), then `... --kind config-sets --kind metrics` (also the account's
          and every set's own series);
  boto3:  bench/boto3_streams.py doing the same reads (--no-metrics for the first), one
          thread and 8 threads;
  then `sesctl config-sets` against the warm cache (what an operator types next).

Requests are counted from the emulator's --verbose log. Prints every figure with its
command; writes the raw samples to --out for bench/report.py.

    python3 bench/streams.py --sets 200 --runs 5 --out build/bench/streams.json
"""

import argparse
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench as B  # noqa: E402


def job(name, argv, env, runs, log, check=None):
    say = B.say
    say(f"  {name}: {B.cmdline([a.__doc__ if callable(a) else a for a in argv])}")
    samples = []
    for i in range(runs):
        log.start()
        m = B.measured([a() if callable(a) else a for a in argv], env)
        if m["rc"] != 0:
            raise SystemExit(f"{name} failed (exit {m['rc']}): {m['stderr']}")
        m["ops"] = log.ops()
        m["requests"] = B.count(m["ops"])
        say(f"    run {i + 1}: wall {m['wall']:.3f} s  cpu {m['cpu']:.3f} s  peak RSS {m['rss_kib'] / 1024:.1f} MiB  "
            f"requests {m['requests']}")
        samples.append(m)
    if check:
        check()
    return samples


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(B.ROOT, "build", "bench", "streams.json"))
    args = ap.parse_args()
    n = args.sets
    B.say(f"\n== configuration sets: N = {n} (emulator seed streams:{n}); load average {' '.join(B.loadavg())}")
    tmp = tempfile.mkdtemp(prefix="sesctl-bench-streams-")
    emu = B.Sesemu(seed=f"streams:{n}", args=["--verbose"], start_timeout=600).start()
    log = B.ReqLog(emu)
    B.say(f"  emulator: python3 tests/emulator/sesemu.py --port 0 --seed streams:{n} --verbose  ({emu.url})")
    res = {"sets": n, "runs": args.runs, "load_before": B.loadavg()}
    try:
        env = B.clean_env(os.path.join(tmp, "home"), emu)
        counter = iter(range(10 ** 6))
        cache = os.path.join(tmp, "warm.sqlite3")

        def fresh_cache():
            """NEW"""  # shown in the command line: a new, empty cache file each run
            return os.path.join(tmp, f"cold-{next(counter)}.sqlite3")

        def check_cache():
            r = B.subprocess.run([B.BIN, "--cache", cache, "--offline", "config-sets", "--json"], env=env,
                                 capture_output=True, text=True)
            rows = json.loads(r.stdout) if r.returncode == 0 else []
            with_rates = sum(1 for x in rows if x.get("bounce_rate") is not None)
            if len(rows) != n or with_rates != n:
                raise SystemExit(f"the cache holds {len(rows)} sets, {with_rates} with rates; expected {n}: {r.stderr}")

        def last_cache():
            """WARM"""
            return cache

        sets_only = ["--cache", fresh_cache, "sync", "--kind", "config-sets"]
        res["sesctl_sets"] = job("sesctl sync, sets", [B.BIN, *sets_only], env, args.runs, log)
        cold = ["--cache", fresh_cache, "sync", "--kind", "config-sets", "--kind", "metrics"]
        res["sesctl"] = job("sesctl sync, sets and metrics", [B.BIN, *cold], env, args.runs, log)
        # the warm cache: one more sync into a kept file, then the list from it
        B.measured([B.BIN, "--cache", cache, "sync", "--kind", "config-sets", "--kind", "metrics"], env)
        check_cache()
        res["list"] = job("sesctl config-sets (warm cache)", [B.BIN, "--cache", last_cache, "config-sets"], env,
                          args.runs, log)
        out = os.path.join(tmp, "boto3.json")
        script = [B.PY, os.path.join(B.ROOT, "bench", "boto3_streams.py"), "--out", out]
        for workers in (1, 8):
            res[f"boto3_sets_{workers}"] = job(f"boto3, sets, {workers} thread{'s' if workers > 1 else ''}",
                                               [*script, "--workers", str(workers), "--no-metrics"], env,
                                               args.runs, log)
        for workers in (1, 8):
            res[f"boto3_{workers}"] = job(f"boto3, sets and metrics, {workers} thread{'s' if workers > 1 else ''}",
                                          [*script, "--workers", str(workers)], env, args.runs, log)
        res["load_after"] = B.loadavg()
    finally:
        emu.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(res, f, indent=1)
    B.say(f"raw samples: {args.out}")


if __name__ == "__main__":
    main()
