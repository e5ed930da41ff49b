#!/usr/bin/env python3
"""SESv2 tenant, reputation-entity and recommendation requests as botocore 1.43.11's
REST-JSON serialiser makes them, for test_ses_tenants.c. Usage: tenants_botocore.py SEED COUNT

One JSON line per case: {"op", "in": {...}, "method", "path", "query", "body",
"content_type"}. The first cases are fixed (every operation, the bare and the full input,
a real tenant ARN); the rest are random, with reserved, non-ASCII and control characters in
every label and string.

path is botocore's url_path byte for byte (labels percent-encoded by the serialiser,
percent_encode(value, safe='-._~'): a tenant ARN's ':' is %3A and its '/' %2F). body is
botocore's JSON re-printed compactly with ensure_ascii=False, keys in botocore's order:
sesctl writes no spaces and raw UTF-8, which is the same JSON text. botocore writes a
structure's members in the order of the caller's dict, so every case is built in the order
of the operation's input shape (what the AWS CLI does), and a filter map's keys in the order
of its key enum. The pool leaves out \\b and \\f, which json.dumps writes as two-character
escapes where sesctl writes \\u0008 and \\u000c (the same string); every other control
character is escaped alike.
"""
import json
import random
import sys

import botocore.session
from botocore.serialize import RestJSONSerializer

POOL = (list("abcXYZ019 -_.~!*'();:@&=+$,/?#[]%\"<>\\^`{|}") +
        ["\u00e9", "\u00fc", "\u4e2d", "\u0416", "\U0001f600", "\t", "\n", "\r", "\x01",
         "\x1b", "\x7f", "\u2028"])
ACCT = "123456789012"

OPS = ["CreateTenant", "GetTenant", "DeleteTenant", "ListTenants",
       "CreateTenantResourceAssociation", "DeleteTenantResourceAssociation",
       "ListTenantResources", "ListResourceTenants", "ListReputationEntities",
       "GetReputationEntity", "UpdateReputationEntityPolicy",
       "UpdateReputationEntityCustomerManagedStatus", "ListRecommendations"]

TENANT_ARN = "arn:aws:ses:eu-west-1:%s:tenant/acme-prod/tn-3f2a9c0d1e4b5a6978" % ACCT
FIXED = [
    ("CreateTenant", {"TenantName": "acme-prod"}),
    ("GetTenant", {"TenantName": "acme-prod"}),
    ("DeleteTenant", {"TenantName": "acme-prod"}),
    ("ListTenants", {}),
    ("ListTenants", {"NextToken": "tok/1+=", "PageSize": 50}),
    ("CreateTenantResourceAssociation",
     {"TenantName": "acme-prod", "ResourceArn": "arn:aws:ses:eu-west-1:%s:identity/shop.example" % ACCT}),
    ("DeleteTenantResourceAssociation",
     {"TenantName": "acme-prod", "ResourceArn": "arn:aws:ses:eu-west-1:%s:configuration-set/tx" % ACCT}),
    ("ListTenantResources", {"TenantName": "acme-prod"}),
    ("ListTenantResources", {"TenantName": "acme-prod", "Filter": {"RESOURCE_TYPE": "EMAIL_IDENTITY"},
                             "NextToken": "t2"}),
    ("ListResourceTenants", {"ResourceArn": "arn:aws:ses:eu-west-1:%s:identity/shop.example" % ACCT}),
    ("ListResourceTenants", {"ResourceArn": "arn:aws:ses:eu-west-1:%s:template/welcome" % ACCT,
                             "NextToken": "t3"}),
    ("ListReputationEntities", {}),
    ("ListReputationEntities", {"Filter": {"SENDING_STATUS": "DISABLED"}, "NextToken": "t4"}),
    ("GetReputationEntity", {"ReputationEntityType": "RESOURCE", "ReputationEntityReference": TENANT_ARN}),
    ("GetReputationEntity", {"ReputationEntityType": "RESOURCE",
                             "ReputationEntityReference": "arn:aws-cn:ses:cn-north-1:%s:tenant/x/tn-1" % ACCT}),
    ("UpdateReputationEntityPolicy",
     {"ReputationEntityType": "RESOURCE", "ReputationEntityReference": TENANT_ARN,
      "ReputationEntityPolicy": "arn:aws:ses:eu-west-1:aws:reputation-policy/strict"}),
    ("UpdateReputationEntityCustomerManagedStatus",
     {"ReputationEntityType": "RESOURCE", "ReputationEntityReference": TENANT_ARN, "SendingStatus": "DISABLED"}),
    ("ListRecommendations", {}),
    ("ListRecommendations", {"Filter": {"RESOURCE_ARN": TENANT_ARN}}),
    ("ListRecommendations", {"Filter": {"IMPACT": "HIGH", "STATUS": "OPEN"}, "NextToken": "t5", "PageSize": 100}),
    ("ListRecommendations", {"Filter": {"TYPE": "DKIM", "STATUS": "FIXED"}, "PageSize": 1}),
]


def text(rng, lo=1, hi=24):
    return "".join(rng.choice(POOL) for _ in range(rng.randint(lo, hi)))


def tenant_arn(rng):
    if rng.random() < 0.3:
        return text(rng, 1, 40)
    part, region = rng.choice([("aws", "eu-west-1"), ("aws", "us-east-1"), ("aws-cn", "cn-north-1"),
                               ("aws-us-gov", "us-gov-west-1")])
    return "arn:%s:ses:%s:%s:tenant/%s/tn-%032x" % (part, region, ACCT, text(rng, 1, 12),
                                                     rng.getrandbits(128))


def maybe(rng, params, key, value):
    if rng.random() < 0.5:
        params[key] = value


def recommendation_filter(rng):
    shape = rng.choice([None, ["TYPE"], ["IMPACT"], ["STATUS"], ["RESOURCE_ARN"],
                        ["IMPACT", "STATUS"], ["TYPE", "STATUS"]])
    if not shape:
        return None
    pick = {"TYPE": lambda: rng.choice(["DKIM", "DMARC", "SPF", "BIMI", "COMPLAINT", "BOUNCE",
                                         "FEEDBACK_3P", "IP_LISTING", text(rng)]),
            "IMPACT": lambda: rng.choice(["LOW", "HIGH", text(rng)]),
            "STATUS": lambda: rng.choice(["OPEN", "FIXED", text(rng)]),
            "RESOURCE_ARN": lambda: tenant_arn(rng)}
    return {k: pick[k]() for k in shape}


def gen(rng, op):
    """Params for op, in the order of its input shape."""
    p = {}
    if op in ("CreateTenant", "GetTenant", "DeleteTenant"):
        p["TenantName"] = text(rng)
    elif op == "ListTenants":
        maybe(rng, p, "NextToken", text(rng, 1, 60))
        maybe(rng, p, "PageSize", rng.randint(1, 1000))
    elif op in ("CreateTenantResourceAssociation", "DeleteTenantResourceAssociation"):
        p["TenantName"] = text(rng)
        p["ResourceArn"] = text(rng)
    elif op == "ListTenantResources":
        p["TenantName"] = text(rng)
        maybe(rng, p, "Filter", {"RESOURCE_TYPE": rng.choice(["EMAIL_IDENTITY", "CONFIGURATION_SET",
                                                               "EMAIL_TEMPLATE", text(rng)])})
        maybe(rng, p, "NextToken", text(rng, 1, 60))
    elif op == "ListResourceTenants":
        p["ResourceArn"] = text(rng)
        maybe(rng, p, "NextToken", text(rng, 1, 60))
    elif op == "ListReputationEntities":
        key = rng.choice(["ENTITY_TYPE", "REPUTATION_IMPACT", "SENDING_STATUS", "ENTITY_REFERENCE_PREFIX"])
        maybe(rng, p, "Filter", {key: text(rng, 0, 20)})
        maybe(rng, p, "NextToken", text(rng, 1, 60))
    elif op in ("GetReputationEntity", "UpdateReputationEntityPolicy",
                "UpdateReputationEntityCustomerManagedStatus"):
        p["ReputationEntityType"] = "RESOURCE"
        p["ReputationEntityReference"] = tenant_arn(rng)
        if op == "UpdateReputationEntityPolicy":
            p["ReputationEntityPolicy"] = rng.choice(
                ["arn:aws:ses:eu-west-1:aws:reputation-policy/" + w for w in ("none", "standard", "strict")]
                + [text(rng)])
        elif op == "UpdateReputationEntityCustomerManagedStatus":
            p["SendingStatus"] = rng.choice(["ENABLED", "DISABLED", "REINSTATED"])
    elif op == "ListRecommendations":
        f = recommendation_filter(rng)
        if f:
            p["Filter"] = f
        maybe(rng, p, "NextToken", text(rng, 1, 60))
        maybe(rng, p, "PageSize", rng.randint(1, 100))
    return p


def in_model_order(op_model, params):
    members = op_model.input_shape.members
    order = [k for k, m in members.items() if not m.serialization.get("location")]
    body = [k for k in params if k in order]
    assert body == [k for k in order if k in params], (op_model.name, list(params))
    f = params.get("Filter")
    if f and op_model.input_shape.members["Filter"].key.enum:
        enum = op_model.input_shape.members["Filter"].key.enum
        assert list(f) == [k for k in enum if k in f], (op_model.name, list(f))


def case(ser, model, op, params):
    om = model.operation_model(op)
    in_model_order(om, params)
    req = ser.serialize_to_request(params, om)
    body = req["body"]
    body = body.decode("utf-8") if isinstance(body, bytes) else (body or "")
    if body:
        body = json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False)
    assert not req["query_string"], (op, req["query_string"])
    return {"op": op, "in": params, "method": req["method"], "path": req["url_path"], "query": "",
            "body": body, "content_type": req["headers"].get("Content-Type")}


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    model = botocore.session.get_session().get_service_model("sesv2")
    ser = RestJSONSerializer()
    cases = [case(ser, model, op, p) for op, p in FIXED]
    for i in range(count):
        op = OPS[i % len(OPS)]
        cases.append(case(ser, model, op, gen(rng, op)))
    for c in cases:
        sys.stdout.buffer.write((json.dumps(c, ensure_ascii=False) + "\n").encode("utf-8"))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
