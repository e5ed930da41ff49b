#!/usr/bin/env python3
"""Tenants at scale: reading T tenants (one per customer), each with its reputation entity
(two status records), its resources and the account's findings, against the emulator.

  Set-up (seed empty, then through boto3 and the admin API, deterministic): T tenants
  cust-NNNN, each with a domain identity cNNNN.tenants.example and a configuration set
  cust-NNNN-tx associated, every third also an address identity billing@… (2-3 resources a
  tenant); every tenth paused by the operator (UpdateReputationEntityCustomerManagedStatus
  DISABLED), every 25th paused by AWS (admin tenant/status, with a cause); findings: a HIGH
  bounce finding on every seventh tenant, a LOW DMARC finding on every fifth domain.
  Measured:
    sesctl:  `sesctl --cache NEW sync --kind tenants` on an empty cache (the first read:
             ListTenants, ListReputationEntities, ListTenantResources per tenant,
             ListRecommendations), then `sesctl --cache SAME tenants --json` (the second
             read, served from the cache), then `… tenants --json --refresh`;
    AWS CLI: the same job as a shell script does it, one `aws` process a call
             (list-tenants, which pages by itself, then get-reputation-entity and
             list-tenant-resources for each tenant, then list-recommendations, looping on
             NextToken: botocore has no paginator for it). It keeps nothing: every run does
             everything. The script is AWSCLI_JOB below, printed when it runs; 2 T + 2
             processes of about half a second each, so it runs --cli-runs times (default 1);
    boto3:   bench/boto3_tenants.py, the same job with botocore's paginators (ListTenants,
             ListTenantResources) and one GetReputationEntity a tenant; and again with
             `--entities list` (the statuses from ListReputationEntities pages, sesctl's plan).
  Figures: wall time (median of --runs), CPU, peak RSS, requests (the emulator's --verbose
  log), tenants per second, and the emulator's own CPU during the job (/proc/PID/stat: how
  much of the wall time is the server's). Every job's output is checked: T tenants, the paused ones, the
  resources; a run that read less is an error, not a figure.

    python3 bench/tenants.py --tenants 200 --runs 3 --cli-runs 1 --out build/bench/tenants.json
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench as B  # noqa: E402

REGION = "eu-west-1"
ACCT = "123456789012"

# The AWS CLI's job, one process a call; the last line it prints is what it read.
AWSCLI_JOB = r"""set -euo pipefail
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
aws sesv2 list-tenants --query 'Tenants[].[TenantName,TenantArn]' --output text >"$out/tenants.txt"
tenants=0 paused=0 resources=0
while IFS=$'\t' read -r name arn; do
	[ -n "$name" ] || continue
	aws sesv2 get-reputation-entity --reputation-entity-type RESOURCE \
		--reputation-entity-reference "$arn" --output json >"$out/entity.json"
	aws sesv2 list-tenant-resources --tenant-name "$name" --output json >"$out/resources.json"
	tenants=$((tenants + 1))
	if grep -q '"SendingStatusAggregate": "DISABLED"' "$out/entity.json"; then paused=$((paused + 1)); fi
	resources=$((resources + $(grep -c '"ResourceArn"' "$out/resources.json" || true)))
done <"$out/tenants.txt"
findings=0 token=""
while :; do
	if [ -n "$token" ]; then
		aws sesv2 list-recommendations --page-size 100 --next-token "$token" --output json >"$out/recs.json"
	else
		aws sesv2 list-recommendations --page-size 100 --output json >"$out/recs.json"
	fi
	findings=$((findings + $(grep -c '"ResourceArn"' "$out/recs.json" || true)))
	token=$(sed -n 's/^ *"NextToken": "\([^"]*\)".*/\1/p' "$out/recs.json")
	[ -n "$token" ] || break
done
echo "{\"tenants\": $tenants, \"paused\": $paused, \"resources\": $resources, \"findings\": $findings}"
"""


def name_of(i):
    return f"cust-{i:04d}"


def plan(t):
    """What the set-up makes, and so what every tool must read."""
    p = {"tenants": t, "resources": 0, "paused_customer": 0, "paused_aws": 0, "tenant_findings": 0,
         "domain_findings": 0}
    for i in range(t):
        p["resources"] += 3 if i % 3 == 0 else 2
        aws = i % 25 == 7
        p["paused_aws"] += aws
        p["paused_customer"] += (i % 10 == 3) and not aws
        p["tenant_findings"] += i % 7 == 5
        p["domain_findings"] += i % 5 == 1
    p["paused"] = p["paused_customer"] + p["paused_aws"]
    p["findings"] = p["tenant_findings"] + p["domain_findings"]
    return p


def setup(emu, t):
    v2 = emu.client("sesv2")
    for i in range(t):
        name = name_of(i)
        dom = f"c{i:04d}.tenants.example"
        res = [f"arn:aws:ses:{REGION}:{ACCT}:identity/{dom}",
               f"arn:aws:ses:{REGION}:{ACCT}:configuration-set/{name}-tx"]
        v2.create_email_identity(EmailIdentity=dom)
        v2.create_configuration_set(ConfigurationSetName=f"{name}-tx")
        if i % 3 == 0:
            v2.create_email_identity(EmailIdentity=f"billing@{dom}")
            res.append(f"arn:aws:ses:{REGION}:{ACCT}:identity/billing@{dom}")
        arn = v2.create_tenant(TenantName=name, Tags=[{"Key": "plan", "Value": ("pro", "basic")[i % 2]}])["TenantArn"]
        for r in res:
            v2.create_tenant_resource_association(TenantName=name, ResourceArn=r)
        if i % 25 == 7:
            emu.set_tenant_aws_status(name, "DISABLED", cause=f"Bounce rate {8 + i % 5}.{i % 10}% over the policy's line")
        elif i % 10 == 3:
            v2.update_reputation_entity_customer_managed_status(
                ReputationEntityType="RESOURCE", ReputationEntityReference=arn, SendingStatus="DISABLED")
        if i % 7 == 5:
            emu.add_recommendation(name, "BOUNCE", "HIGH", f"Bounce rate {6 + i % 4}% over the last 7 days")
        if i % 5 == 1:
            emu.add_recommendation(res[0], "DMARC", "LOW", f"No DMARC record on {dom}")


def check_sesctl(rows, p, what):
    got = {"tenants": len(rows),
           "paused": sum(r.get("state") in ("paused", "paused by AWS") for r in rows),
           "paused_aws": sum(r.get("state") == "paused by AWS" for r in rows),
           "resources": sum(r.get("identities", 0) + r.get("config_sets", 0) + r.get("templates", 0) for r in rows),
           "tenant_findings": sum(r.get("findings", 0) for r in rows)}
    want = {k: p[k] for k in got}
    if got != want:
        raise SystemExit(f"{what} read {got}, the set-up made {want}")
    return got


def check_counts(got, p, what, keys=("tenants", "paused", "resources", "findings")):
    want = {k: p[k] for k in keys}
    have = {k: got.get(k) for k in keys}
    if have != want:
        raise SystemExit(f"{what} read {have}, the set-up made {want}")


def emu_cpu(emu):
    """CPU seconds the emulator process has used (user + system, /proc/PID/stat)."""
    with open(f"/proc/{emu.proc.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(name, argv, env, log, stdout=subprocess.DEVNULL):
    log.start()
    c0 = emu_cpu(log.emu)
    m = B.measured(argv, env, stdout=stdout)
    m["emu_cpu"] = emu_cpu(log.emu) - c0
    if m["rc"] != 0:
        raise SystemExit(f"{name} failed (exit {m['rc']}): {m['stderr']}")
    m["ops"] = log.ops()
    m["requests"] = B.count(m["ops"])
    return m


def report(label, m, t):
    B.say(f"    {label}: wall {m['wall']:.3f} s  ({t / m['wall']:.0f} tenants/s)  cpu {m['cpu']:.3f} s  "
          f"peak RSS {m['rss_kib'] / 1024:.1f} MiB  emulator cpu {m['emu_cpu']:.2f} s  requests {m['requests']}  "
          f"({', '.join(f'{k} {v}' for k, v in sorted(m['ops'].items(), key=lambda kv: -kv[1]))})")


def sesctl_json(name, argv, env, log, tmp, p):
    path = os.path.join(tmp, "sesctl.json")
    with open(path, "w") as f:
        m = run(name, argv, env, log, stdout=f)
    with open(path) as f:
        rows = json.load(f)
    m["got"] = check_sesctl(rows, p, name)
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tenants", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cli-runs", type=int, default=1,
                    help="runs of the AWS CLI job (2 T + 2 processes, about 0.5 s each: minutes a run)")
    ap.add_argument("--out", default=os.path.join(B.ROOT, "build", "bench", "tenants.json"))
    args = ap.parse_args()
    t = args.tenants
    cli_runs = args.cli_runs
    p = plan(t)
    B.say(f"\n== tenants: T = {t} tenants, {p['resources']} resources, {p['paused']} paused "
          f"({p['paused_aws']} by AWS), {p['findings']} findings ({p['tenant_findings']} on tenants); "
          f"load average {' '.join(B.loadavg())}")
    tmp = tempfile.mkdtemp(prefix="sesctl-bench-tenants-")
    emu = B.Sesemu(seed="empty", args=["--verbose"], start_timeout=600).start()
    log = B.ReqLog(emu)
    B.say(f"  emulator: python3 tests/emulator/sesemu.py --port 0 --seed empty --verbose  ({emu.url})")
    res = {"tenants": t, "runs": args.runs, "cli_runs": cli_runs, "plan": p, "load_before": B.loadavg()}
    try:
        env = B.clean_env(os.path.join(tmp, "home"), emu)
        log.start()
        setup(emu, t)
        B.say(f"  set-up through boto3 and the admin API: {B.count(log.ops())} requests")

        first = [B.BIN, "--cache", "CACHE", "sync", "--kind", "tenants"]
        cached = [B.BIN, "--cache", "CACHE", "tenants", "--json"]
        B.say(f"  sesctl: {B.cmdline(first)} (CACHE a new empty file each run), then "
              f"{B.cmdline(cached)} (from the cache), then the same with --refresh")
        for k in ("sesctl_first", "sesctl_cached", "sesctl_refresh"):
            res[k] = []
        for i in range(args.runs):
            cache = os.path.join(tmp, f"tenants-{i}.sqlite3")
            m = run("sesctl sync --kind tenants", [B.BIN, "--cache", cache, "sync", "--kind", "tenants"], env, log)
            report(f"run {i + 1} first read (sync)  ", m, t)
            res["sesctl_first"].append(m)
            m = sesctl_json("sesctl tenants --json", [B.BIN, "--cache", cache, "tenants", "--json"], env, log, tmp, p)
            report(f"run {i + 1} tenants --json     ", m, t)
            res["sesctl_cached"].append(m)
            m = sesctl_json("sesctl tenants --json --refresh",
                            [B.BIN, "--cache", cache, "tenants", "--json", "--refresh"], env, log, tmp, p)
            report(f"run {i + 1} tenants --refresh  ", m, t)
            res["sesctl_refresh"].append(m)

        script = os.path.join(tmp, "awscli_tenants.sh")
        with open(script, "w") as f:
            f.write(AWSCLI_JOB)
        B.say(f"  AWS CLI: bash awscli_tenants.sh ({2 * t + 1 + max(1, -(-p['findings'] // 100))} processes: list-tenants, then "
              f"get-reputation-entity and list-tenant-resources per tenant, list-recommendations); "
              f"the script (bench/tenants.py, AWSCLI_JOB):")
        for line in AWSCLI_JOB.strip().splitlines():
            B.say(f"      {line}")
        B.say(f"    {cli_runs} run(s), each reads everything")
        res["awscli"] = []
        for i in range(cli_runs):
            path = os.path.join(tmp, "cli.out")
            with open(path, "w") as f:
                m = run("AWS CLI tenants job", ["bash", script], env, log, stdout=f)
            with open(path) as f:
                m["got"] = json.loads(f.read().strip().splitlines()[-1])
            check_counts(m["got"], p, "the AWS CLI job")
            report(f"run {i + 1}", m, t)
            res["awscli"].append(m)

        for key, extra in (("boto3", []), ("boto3_list", ["--entities", "list"])):
            py = [B.PY, os.path.join(B.ROOT, "bench", "boto3_tenants.py"), *extra]
            B.say(f"  boto3: {B.cmdline(py)}")
            res[key] = []
            for i in range(args.runs):
                path = os.path.join(tmp, "boto3.out")
                with open(path, "w") as f:
                    m = run("boto3 tenants", py, env, log, stdout=f)
                with open(path) as f:
                    m["got"] = json.load(f)
                check_counts(m["got"], p, f"boto3 {' '.join(extra)}".strip())
                report(f"run {i + 1}", m, t)
                res[key].append(m)
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
