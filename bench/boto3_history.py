#!/usr/bin/env python3
"""boto3's side of bench/history.py: every management change from the LookupEvents paginator
(ReadOnly=false), each CloudTrailEvent decoded; prints the count. No cache: every run reads
the whole trail again."""

import argparse
import json

import boto3
from botocore.config import Config


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--region", default="eu-west-1")
    args = ap.parse_args()
    ct = boto3.client("cloudtrail", region_name=args.region,
                      config=Config(retries={"mode": "standard", "max_attempts": 10}))
    n = 0
    for page in ct.get_paginator("lookup_events").paginate(
            LookupAttributes=[{"AttributeKey": "ReadOnly", "AttributeValue": "false"}]):
        for e in page["Events"]:
            doc = json.loads(e["CloudTrailEvent"])
            if doc.get("eventSource") == "ses.amazonaws.com":
                n += 1
    print(n)


if __name__ == "__main__":
    main()
