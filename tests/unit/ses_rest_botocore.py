#!/usr/bin/env python3
"""Random SESv2 inputs and what botocore 1.43.11's REST-JSON serialiser makes of them, for
test_ses_rest.c. Usage: ses_rest_botocore.py SEED COUNT

One JSON line per case: {"op", "in": {...}, "method", "path", "query", "body"}. path is
the URL path (labels percent-encoded as botocore does), query the encoded query string
(prepare_request_dict's percent_encode_sequence), body the JSON text or "".
"""
import datetime
import json
import random
import sys

import botocore.session
from botocore.serialize import RestJSONSerializer
from botocore.utils import percent_encode_sequence

POOL = (list("abcXYZ019 -_.~!*'();:@&=+$,/?#[]%\"<>\\^`{|}") +
        ["\u00e9", "\u00fc", "\u4e2d", "\u0416", "\U0001f600", "\t", "\n"])
NAME = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
T0 = 1793491200  # 2026-11-01T00:00:00Z


def text(rng, lo=1, hi=20):
    return "".join(rng.choice(POOL) for _ in range(rng.randint(lo, hi)))


def maybe(rng, d, key, value):
    if rng.random() < 0.5:
        d[key] = value


def dkim(rng):
    if rng.random() < 0.5:
        return {"NextSigningKeyLength": rng.choice(["RSA_1024_BIT", "RSA_2048_BIT"])}
    return {"DomainSigningSelector": "".join(rng.choice(NAME) for _ in range(rng.randint(1, 63))),
            "DomainSigningPrivateKey": "".join(rng.choice(NAME + "+/=") for _ in range(rng.randint(1, 300)))}


def gen(rng):
    op = rng.choice(["GetEmailIdentity", "CreateEmailIdentity", "CreateEmailIdentityPolicy",
                     "PutEmailIdentityDkimSigningAttributes", "PutEmailIdentityMailFromAttributes",
                     "DeleteSuppressedDestination", "ListSuppressedDestinations", "PutAccountDetails",
                     "BatchGetMetricData", "SendEmail", "PutConfigurationSetSendingOptions"])
    p = {}
    if op == "GetEmailIdentity":
        p["EmailIdentity"] = text(rng)
    elif op == "CreateEmailIdentity":
        p["EmailIdentity"] = text(rng).replace("@", "")   # DKIM options: domains only
        maybe(rng, p, "DkimSigningAttributes", dkim(rng))
        maybe(rng, p, "ConfigurationSetName", text(rng))
    elif op == "CreateEmailIdentityPolicy":
        p["EmailIdentity"] = text(rng)
        p["PolicyName"] = "".join(rng.choice(NAME) for _ in range(rng.randint(1, 64)))
        p["Policy"] = text(rng, 1, 60)
    elif op == "PutEmailIdentityDkimSigningAttributes":
        p["EmailIdentity"] = text(rng)
        p["SigningAttributesOrigin"] = "EXTERNAL"
        p["SigningAttributes"] = dkim(rng)
        if "DomainSigningSelector" not in p["SigningAttributes"]:
            p["SigningAttributesOrigin"] = "AWS_SES"
    elif op == "PutEmailIdentityMailFromAttributes":
        p["EmailIdentity"] = text(rng)
        maybe(rng, p, "MailFromDomain", text(rng))
        maybe(rng, p, "BehaviorOnMxFailure", rng.choice(["USE_DEFAULT_VALUE", "REJECT_MESSAGE"]))
    elif op == "DeleteSuppressedDestination":
        p["EmailAddress"] = text(rng)
    elif op == "ListSuppressedDestinations":
        reasons = [r for r in ("BOUNCE", "COMPLAINT") if rng.random() < 0.5]
        if reasons:
            p["Reasons"] = reasons
        maybe(rng, p, "StartDate", datetime.datetime.fromtimestamp(T0 + rng.randint(0, 10**7), datetime.timezone.utc))
        maybe(rng, p, "EndDate", datetime.datetime.fromtimestamp(T0 + 10**7 + rng.randint(0, 10**7), datetime.timezone.utc))
        maybe(rng, p, "NextToken", text(rng))
        maybe(rng, p, "PageSize", rng.randint(1, 1000))
    elif op == "PutAccountDetails":
        p["MailType"] = rng.choice(["MARKETING", "TRANSACTIONAL"])
        p["WebsiteURL"] = text(rng)
        maybe(rng, p, "ContactLanguage", rng.choice(["EN", "JA"]))
        maybe(rng, p, "UseCaseDescription", text(rng, 1, 80))
        maybe(rng, p, "AdditionalContactEmailAddresses", [text(rng) for _ in range(rng.randint(1, 4))])
        maybe(rng, p, "ProductionAccessEnabled", rng.random() < 0.5)
    elif op == "BatchGetMetricData":
        qs = []
        for i in range(rng.randint(1, 10)):
            q = {"Id": "q%d%s" % (i, text(rng, 0, 5)), "Namespace": "VDM",
                 "Metric": rng.choice(["SEND", "COMPLAINT", "PERMANENT_BOUNCE", "OPEN", "CLICK"])}
            if rng.random() < 0.5:
                q["Dimensions"] = {rng.choice(["EMAIL_IDENTITY", "CONFIGURATION_SET", "ISP"]): text(rng)}
            start = T0 + rng.randint(0, 10**6)
            q["StartDate"] = datetime.datetime.fromtimestamp(start, datetime.timezone.utc)
            q["EndDate"] = datetime.datetime.fromtimestamp(start + rng.randint(1, 10**6), datetime.timezone.utc)
            qs.append(q)
        p["Queries"] = qs
    elif op == "SendEmail":
        p["FromEmailAddress"] = text(rng)
        p["Destination"] = {"ToAddresses": [text(rng)]}
        p["Content"] = {"Simple": {"Subject": {"Data": text(rng), "Charset": "UTF-8"},
                                   "Body": {"Text": {"Data": text(rng, 0, 80), "Charset": "UTF-8"}}}}
        maybe(rng, p, "ConfigurationSetName", text(rng))
    elif op == "PutConfigurationSetSendingOptions":
        p["ConfigurationSetName"] = text(rng)
        p["SendingEnabled"] = rng.random() < 0.5
    return op, p


def plain(v):
    if isinstance(v, datetime.datetime):
        return int(v.timestamp())
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    model = botocore.session.get_session().get_service_model("sesv2")
    ser = RestJSONSerializer()
    for _ in range(count):
        op, params = gen(rng)
        req = ser.serialize_to_request(params, model.operation_model(op))
        body = req["body"].decode() if isinstance(req["body"], bytes) else req["body"]
        out = {"op": op, "in": plain(params), "method": req["method"], "path": req["url_path"],
               "query": percent_encode_sequence(req["query_string"]) if req["query_string"] else "",
               "body": body or ""}
        sys.stdout.buffer.write((json.dumps(out, ensure_ascii=False) + "\n").encode("utf-8"))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
