#!/usr/bin/env python3
"""The cold-sync job done with boto3, as a competent script would: who am I, the account,
every identity (all pages) with its details (8 worker threads, as sesctl keeps 8 in
flight), configuration sets, receipt rule sets and the active set, send statistics; the
result written to one JSON file (the script's "cache"). Credentials, region and endpoint
come from the AWS_* environment (bench/bench.py points them at the emulator).

    python3 bench/boto3_sync.py --out FILE [--workers 8]
"""

import argparse
import json
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--workers", type=int, default=8)
    args = ap.parse_args()
    cfg = Config(retries={"mode": "standard"}, max_pool_connections=args.workers)
    s = boto3.Session()
    sts, v2, v1 = s.client("sts", config=cfg), s.client("sesv2", config=cfg), s.client("ses", config=cfg)
    out = {"caller": sts.get_caller_identity(), "account": v2.get_account()}
    out["account"].pop("ResponseMetadata", None)
    ids, kw = [], {"PageSize": 1000}          # botocore has no paginator for this one
    while True:
        page = v2.list_email_identities(**kw)
        ids += page["EmailIdentities"]
        if not page.get("NextToken"):
            break
        kw["NextToken"] = page["NextToken"]

    def detail(name):
        d = v2.get_email_identity(EmailIdentity=name)
        d.pop("ResponseMetadata", None)
        return d

    with ThreadPoolExecutor(args.workers) as pool:
        details = list(pool.map(detail, [i["IdentityName"] for i in ids]))
    out["identities"] = [dict(i, Details=d) for i, d in zip(ids, details)]
    sets, kw = [], {}
    while True:
        page = v2.list_configuration_sets(**kw)
        sets += page["ConfigurationSets"]
        if not page.get("NextToken"):
            break
        kw["NextToken"] = page["NextToken"]
    out["configuration_sets"] = sets
    out["rule_sets"] = v1.list_receipt_rule_sets().get("RuleSets", [])
    active = v1.describe_active_receipt_rule_set()
    active.pop("ResponseMetadata", None)
    out["active_rule_set"] = active
    out["send_statistics"] = v1.get_send_statistics().get("SendDataPoints", [])
    with open(args.out, "w") as f:
        json.dump(out, f, default=str)
    print(f"{len(out['identities'])} identities")


if __name__ == "__main__":
    main()
