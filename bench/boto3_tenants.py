#!/usr/bin/env python3
"""boto3's side of bench/tenants.py: every tenant (the ListTenants paginator), each tenant's
reputation entity and resources (the ListTenantResources paginator), then every finding
(ListRecommendations, looping on NextToken: botocore has no paginator for it). One thread,
as sesctl reads tenants one after the other. No cache: every run reads everything again.
Prints what it read as one JSON line: {"tenants", "paused", "resources", "findings"}.

  --entities get   (default) one GetReputationEntity a tenant, as the AWS CLI job does;
  --entities list  the statuses from the ListReputationEntities paginator (100 a page),
                   as sesctl reads them.

Credentials, region and endpoint come from the AWS_* environment.
"""

import argparse
import json

import boto3
from botocore.config import Config


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", choices=("get", "list"), default="get")
    args = ap.parse_args()
    v2 = boto3.client("sesv2", config=Config(retries={"mode": "standard"}))
    tenants = [t for page in v2.get_paginator("list_tenants").paginate() for t in page["Tenants"]]
    entities = {}
    if args.entities == "list":
        for page in v2.get_paginator("list_reputation_entities").paginate(Filter={"ENTITY_TYPE": "RESOURCE"}):
            for e in page["ReputationEntities"]:
                entities[e["ReputationEntityReference"]] = e
    paused = resources = 0
    for t in tenants:
        e = entities.get(t["TenantArn"])
        if e is None:
            e = v2.get_reputation_entity(ReputationEntityType="RESOURCE",
                                         ReputationEntityReference=t["TenantArn"])["ReputationEntity"]
        t["ReputationEntity"] = e
        paused += e.get("SendingStatusAggregate") == "DISABLED"
        t["Resources"] = [r for page in v2.get_paginator("list_tenant_resources").paginate(TenantName=t["TenantName"])
                          for r in page["TenantResources"]]
        resources += len(t["Resources"])
    findings, kw = [], {"PageSize": 100}
    while True:
        page = v2.list_recommendations(**kw)
        findings += page["Recommendations"]
        if not page.get("NextToken"):
            break
        kw["NextToken"] = page["NextToken"]
    print(json.dumps({"tenants": len(tenants), "paused": paused, "resources": resources,
                      "findings": len(findings)}))


if __name__ == "__main__":
    main()
