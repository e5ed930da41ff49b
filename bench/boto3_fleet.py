#!/usr/bin/env python3
"""The fleet read (bench/fleet.py's boto3 side) as a Python operator would write it: for
every (profile, region) cell, with a thread pool:
  sesv2 GetAccount, ListEmailIdentities (every page), ListConfigurationSets (every page),
  ses GetSendStatistics, cloudwatch GetMetricData (Reputation.BounceRate and
  Reputation.ComplaintRate, hourly, the last 24 h).
Credentials per profile through boto3.Session(profile_name=...) (botocore resolves keys,
assume-role chains and endpoint_url from AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE),
resolved once per profile; a cell whose calls fail is counted as failed, not retried.

  python3 bench/boto3_fleet.py --profiles prod-eu,prod-us,... --regions eu-west-1,us-east-1 \
      [--threads 16] --out RESULT.json
RESULT.json: {"cells", "ok", "failed", "identities", "config_sets", "errors": {cell: message}}
"""

import argparse
import datetime
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

CFG = Config(retries={"total_max_attempts": 3, "mode": "standard"}, max_pool_connections=4)
LOCK = threading.Lock()          # a boto3 Session is not thread-safe for creating clients
SESSIONS = {}


def session(profile):
    with LOCK:
        s = SESSIONS.get(profile)
        if s is None:
            s = SESSIONS[profile] = boto3.Session(profile_name=profile)
            s.get_credentials()  # resolves now: keys, or the role's AssumeRole (once a profile)
        return s


def client(profile, service, region):
    s = session(profile)
    with LOCK:
        return s.client(service, region_name=region, config=CFG)


def read_cell(profile, region):
    v2 = client(profile, "sesv2", region)
    v1 = client(profile, "ses", region)
    cw = client(profile, "cloudwatch", region)
    acct = v2.get_account()
    ids, token = 0, None
    while True:
        page = v2.list_email_identities(PageSize=1000, **({"NextToken": token} if token else {}))
        ids += len(page.get("EmailIdentities", []))
        token = page.get("NextToken")
        if not token:
            break
    sets, token = 0, None
    while True:
        page = v2.list_configuration_sets(PageSize=1000, **({"NextToken": token} if token else {}))
        sets += len(page.get("ConfigurationSets", []))
        token = page.get("NextToken")
        if not token:
            break
    stats = v1.get_send_statistics()["SendDataPoints"]
    end = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
    queries = [{"Id": f"m{i}", "MetricStat": {"Metric": {"Namespace": "AWS/SES", "MetricName": name},
                                              "Period": 3600, "Stat": "Average"}}
               for i, name in enumerate(("Reputation.BounceRate", "Reputation.ComplaintRate"))]
    rates = cw.get_metric_data(MetricDataQueries=queries, StartTime=end - datetime.timedelta(hours=24),
                               EndTime=end)["MetricDataResults"]
    return {"enforcement": acct.get("EnforcementStatus"), "sending": acct.get("SendingEnabled"),
            "identities": ids, "config_sets": sets, "points": len(stats),
            "rates": {r["Label"]: (r["Values"][0] if r["Values"] else None) for r in rates}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profiles", required=True)
    ap.add_argument("--regions", required=True)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    cells = [(p, r) for p in a.profiles.split(",") for r in a.regions.split(",")]
    results, errors = {}, {}

    def one(cell):
        try:
            results[cell] = read_cell(*cell)
        except Exception as e:  # noqa: BLE001 - a failed cell is a result
            errors[cell] = f"{type(e).__name__}: {e}"

    with ThreadPoolExecutor(max_workers=a.threads) as pool:
        list(pool.map(one, cells))
    out = {"cells": len(cells), "ok": len(results), "failed": len(errors),
           "identities": sum(r["identities"] for r in results.values()),
           "config_sets": sum(r["config_sets"] for r in results.values()),
           "errors": {f"{p}/{r}": m for (p, r), m in errors.items()}}
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
