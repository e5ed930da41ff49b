#!/usr/bin/env python3
"""Oracle for tests/unit/test_config_botocore.c: what botocore makes of a config setup.

Usage: config_botocore.py CASES.json
CASES: [{"id": 0, "env": {"AWS_CONFIG_FILE": ..., ...}, "profile": null | "name"}, ...]
For each case every AWS_* variable is cleared, the case's env is set, and a botocore
Session (with profile= when "profile" is given, which is what --profile does in the CLI)
reports, one JSON line per case:
  {"id", "region", "access_key", "method", "endpoint"}   or   {"id", "error": "..."}
endpoint is the sesv2 client's endpoint_url. Exit status 77 when botocore is missing.
"""
import json
import os
import sys

try:
    import botocore.session
except ImportError:
    sys.exit(77)


def run(case):
    for k in [k for k in os.environ if k.startswith("AWS_")]:
        del os.environ[k]
    os.environ.update(case["env"])
    try:
        s = botocore.session.Session(profile=case.get("profile"))
        region = s.get_config_variable("region")
        creds = s.get_credentials()
        client = s.create_client("sesv2", region_name=region or "us-east-1")
        return {"id": case["id"], "region": region,
                "access_key": creds.access_key if creds else None,
                "method": creds.method if creds else None,
                "endpoint": client.meta.endpoint_url}
    except Exception as e:  # the C side only checks that both sides failed
        return {"id": case["id"], "error": type(e).__name__}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    for case in cases:
        print(json.dumps(run(case)), flush=True)


if __name__ == "__main__":
    main()
