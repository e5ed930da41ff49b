#!/usr/bin/env python3
"""The configuration-set part of a sync done with boto3, as a competent script would: every
set (all pages), each set's options and event destinations, then each set's own
Reputation.* and Send/Bounce/Complaint series from CloudWatch (GetMetricData, 100 sets a
call, 5 queries a set, 14 days hourly), written to one JSON file. Credentials, region and
endpoint come from the AWS_* environment (bench/streams.py points them at the emulator).

    python3 bench/boto3_streams.py --out FILE [--workers 8] [--no-metrics]
"""

import argparse
import datetime
import json
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

SERIES = (("b", "Reputation.BounceRate", "Average"), ("c", "Reputation.ComplaintRate", "Average"),
          ("s", "Send", "Sum"), ("x", "Bounce", "Sum"), ("k", "Complaint", "Sum"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--no-metrics", dest="metrics", action="store_false",
                    help="only the sets and their destinations")
    args = ap.parse_args()
    cfg = Config(retries={"mode": "standard"}, max_pool_connections=max(args.workers, 1))
    s = boto3.Session()
    v2, cw = s.client("sesv2", config=cfg), s.client("cloudwatch", config=cfg)
    names, kw = [], {}
    while True:
        page = v2.list_configuration_sets(**kw)
        names += page["ConfigurationSets"]
        if not page.get("NextToken"):
            break
        kw["NextToken"] = page["NextToken"]

    def one(name):
        cs = v2.get_configuration_set(ConfigurationSetName=name)
        cs.pop("ResponseMetadata", None)
        cs["EventDestinations"] = v2.get_configuration_set_event_destinations(
            ConfigurationSetName=name)["EventDestinations"]
        return cs

    if args.workers > 1:
        with ThreadPoolExecutor(args.workers) as pool:
            sets = list(pool.map(one, names))
    else:
        sets = [one(n) for n in names]
    end = datetime.datetime.now(datetime.timezone.utc)
    series = {}
    for i in range(0, len(names) if args.metrics else 0, 100):
        chunk = names[i:i + 100]
        queries = [{"Id": f"{letter}{i + k}", "ReturnData": True, "MetricStat": {
            "Metric": {"Namespace": "AWS/SES", "MetricName": metric,
                       "Dimensions": [{"Name": "ses:configuration-set", "Value": n}]},
            "Period": 3600, "Stat": stat}} for k, n in enumerate(chunk) for letter, metric, stat in SERIES]
        kw = {}
        while True:
            page = cw.get_metric_data(MetricDataQueries=queries, StartTime=end - datetime.timedelta(days=14),
                                      EndTime=end, **kw)
            for r in page["MetricDataResults"]:
                series.setdefault(r["Id"], []).extend(zip([t.isoformat() for t in r["Timestamps"]], r["Values"]))
            if not page.get("NextToken"):
                break
            kw["NextToken"] = page["NextToken"]
    with open(args.out, "w") as f:
        json.dump({"sets": sets, "series": series}, f, default=str)


if __name__ == "__main__":
    main()
