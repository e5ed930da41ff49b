#!/usr/bin/env python3
"""The team's memory at scale: reading the account's CloudTrail history, against the emulator
with CloudTrail's own limit (LookupEvents 2 calls a second, 50 events a page).

  E management events in the emulator's trail (a mix of SES changes by three principals and
  four tools, spread over 30 days; injected with POST /_sesemu/cloudtrail/events), then
    sesctl:  `sesctl history --refresh --json` on an empty cache (the first read: every page),
             then the same again (the next read: from the newest event cached, minus 30 min);
    AWS CLI: `aws cloudtrail lookup-events --lookup-attributes AttributeKey=ReadOnly,
             AttributeValue=false` (it pages by itself; every run reads everything again:
             it keeps nothing);
    boto3:   the LookupEvents paginator, the same attribute (bench/boto3_history.py).
  Figures: wall time, events per second, requests. With the 2/s limit, (ceil(E/50) - 1)/2 s
  is the floor of a full read; the second read of sesctl is the point of the cache.

    python3 bench/history.py --events 2000 --runs 3 --out build/bench/history.json
"""

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench as B  # noqa: E402

ACCT = "123456789012"
REGION = "eu-west-1"

PEOPLE = [
    ({"type": "AssumedRole", "principalId": "AROAEXAMPLE:alice",
      "arn": f"arn:aws:sts::{ACCT}:assumed-role/OpsRole/alice", "accountId": ACCT,
      "sessionContext": {"sessionIssuer": {"type": "Role", "arn": f"arn:aws:iam::{ACCT}:role/OpsRole",
                                           "userName": "OpsRole", "accountId": ACCT}}},
     "sesctl/0.1.0 ua/2.1 os/linux#6.1.0 lang/c md/curl#7.88.1 (reason: INC-{n} routine change)"),
    ({"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": f"arn:aws:iam::{ACCT}:user/jens",
      "accountId": ACCT, "userName": "jens"},
     "aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0 exe/x86_64.debian.12 prompt/off"),
    ({"type": "AssumedRole", "principalId": "AROAEXAMPLE2:maria@example.com",
      "arn": f"arn:aws:sts::{ACCT}:assumed-role/AWSReservedSSO_Admin_abc/maria@example.com",
      "accountId": ACCT}, "AWS Internal"),
    ({"type": "IAMUser", "principalId": "AIDAEXAMPLE3", "arn": f"arn:aws:iam::{ACCT}:user/deploy",
      "accountId": ACCT, "userName": "deploy"}, "Boto3/1.34.0 md/Botocore#1.34.0"),
]
CHANGES = [
    ("PutAccountSendingAttributes", lambda i: {"sendingEnabled": i % 2 == 1}),
    ("PutConfigurationSetSendingOptions", lambda i: {"configurationSetName": f"stream-{i % 7}",
                                                     "sendingEnabled": i % 2 == 1}),
    ("CreateEmailIdentity", lambda i: {"emailIdentity": f"d{i}.example"}),
    ("DeleteEmailIdentity", lambda i: {"emailIdentity": f"d{i}.example"}),
    ("PutEmailIdentityDkimAttributes", lambda i: {"emailIdentity": f"d{i}.example", "signingEnabled": True}),
    ("UpdateReceiptRule", lambda i: {"ruleSetName": "inbound", "rule": {"name": f"r{i % 5}"}}),
]


def trail(n, now):
    rng = random.Random("sesctl-bench-history")
    for i in range(n):
        who, ua = PEOPLE[rng.randrange(len(PEOPLE))]
        name, params = CHANGES[rng.randrange(len(CHANGES))]
        t = now - 3600 - rng.randrange(30 * 86400)
        yield {"eventVersion": "1.08", "userIdentity": who,
               "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
               "eventSource": "ses.amazonaws.com", "eventName": name, "awsRegion": REGION,
               "sourceIPAddress": "198.51.100.7", "userAgent": ua.replace("{n}", str(i)),
               "requestParameters": params(i), "responseElements": None,
               "requestID": str(uuid.UUID(int=rng.getrandbits(128))),
               "eventID": str(uuid.UUID(int=rng.getrandbits(128))), "readOnly": False,
               "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCT,
               "eventCategory": "Management"}


def run(name, argv, env, log, stdout=subprocess.DEVNULL):
    log.start()
    m = B.measured(argv, env, stdout=stdout)
    if m["rc"] != 0:
        raise SystemExit(f"{name} failed (exit {m['rc']}): {m['stderr']}")
    m["ops"] = log.ops()
    m["requests"] = B.count(m["ops"])
    return m


def report(label, m, n):
    B.say(f"    {label}: wall {m['wall']:.3f} s  ({n / m['wall']:.0f} events/s)  cpu {m['cpu']:.3f} s  "
          f"peak RSS {m['rss_kib'] / 1024:.1f} MiB  requests {m['requests']}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(B.ROOT, "build", "bench", "history.json"))
    args = ap.parse_args()
    n = args.events
    floor = (math.ceil(n / 50) - 1) / 2.0  # the first call is free, each next one waits 0.5 s
    B.say(f"\n== history: {n} CloudTrail events over 30 days, LookupEvents at 2 calls/s "
          f"(floor of a full read {floor:.1f} s); load average {' '.join(B.loadavg())}")
    tmp = tempfile.mkdtemp(prefix="sesctl-bench-history-")
    emu = B.Sesemu(seed="empty", args=["--verbose", "--cloudtrail-rate", "2", "--cloudtrail-delay", "0"],
                   start_timeout=600).start()
    log = B.ReqLog(emu)
    B.say(f"  emulator: python3 tests/emulator/sesemu.py --port 0 --seed empty --verbose "
          f"--cloudtrail-rate 2 --cloudtrail-delay 0  ({emu.url})")
    res = {"events": n, "runs": args.runs, "floor": floor, "load_before": B.loadavg()}
    try:
        env = B.clean_env(os.path.join(tmp, "home"), emu)
        env.update(AWS_MAX_ATTEMPTS="10", AWS_RETRY_MODE="standard")  # CloudTrail throttles at 2/s
        now = int(time.time())
        for ev in trail(n, now):
            emu.put_cloudtrail_event(ev)
        first = [B.BIN, "--cache", "CACHE", "history", "--refresh", "--json", "--limit", "1"]
        B.say(f"  sesctl: {B.cmdline(first)} (an empty cache, then the same cache again)")
        res["sesctl_first"], res["sesctl_next"] = [], []
        for i in range(args.runs):
            cache = os.path.join(tmp, f"history-{i}.sqlite3")
            argv = [B.BIN, "--cache", cache, "history", "--refresh", "--json", "--limit", "1"]
            m = run("sesctl history", argv, env, log)
            report(f"run {i + 1} first read", m, n)
            res["sesctl_first"].append(m)
            m = run("sesctl history again", argv, env, log)
            report(f"run {i + 1} next read ", m, n)
            res["sesctl_next"].append(m)
        cli = ["aws", "cloudtrail", "lookup-events", "--region", REGION, "--lookup-attributes",
               "AttributeKey=ReadOnly,AttributeValue=false", "--output", "json"]
        B.say(f"  AWS CLI: {B.cmdline(cli)}")
        res["awscli"] = []
        for i in range(args.runs):
            with open(os.path.join(tmp, "cli.json"), "w") as f:
                m = run("aws cloudtrail lookup-events", cli, env, log, stdout=f)
            with open(os.path.join(tmp, "cli.json")) as f:
                got = len(json.load(f)["Events"])
            m["got"] = got
            report(f"run {i + 1} ({got} events)", m, n)
            res["awscli"].append(m)
        py = [B.PY, os.path.join(B.ROOT, "bench", "boto3_history.py"), "--region", REGION]
        B.say(f"  boto3: {B.cmdline(py)}")
        res["boto3"] = []
        for i in range(args.runs):
            m = run("boto3 history", py, env, log)
            report(f"run {i + 1}", m, n)
            res["boto3"].append(m)
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
