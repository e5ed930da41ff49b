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
                     "BatchGetMetricData", "SendEmail", "PutConfigurationSetSendingOptions"] + CS_OPS
                    + TENANT_OPS)
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
    elif op in TENANT_OPS:
        tenant_gen(rng, op, p)
    else:
        cs_gen(rng, op, p)
    return op, p


# ---- tenants: the reputation entity's reference is any text in one path label

TENANT_OPS = ["CreateTenant", "GetTenant", "DeleteTenant", "ListTenants",
              "CreateTenantResourceAssociation", "DeleteTenantResourceAssociation",
              "ListTenantResources", "ListResourceTenants", "ListReputationEntities",
              "GetReputationEntity", "UpdateReputationEntityPolicy",
              "UpdateReputationEntityCustomerManagedStatus", "ListRecommendations"]


def tenant_arn(rng):
    if rng.random() < 0.5:
        return "arn:aws:ses:eu-west-1:%s:tenant/%s/tn-%s" % (acct(rng), name(rng), name(rng, 24))
    return text(rng)


def tenant_gen(rng, op, p):
    if op in ("CreateTenant", "GetTenant", "DeleteTenant"):
        p["TenantName"] = name(rng)
    elif op == "ListTenants":
        maybe(rng, p, "NextToken", text(rng))
        maybe(rng, p, "PageSize", rng.randint(1, 1000))
    elif op in ("CreateTenantResourceAssociation", "DeleteTenantResourceAssociation"):
        p["TenantName"] = name(rng)
        p["ResourceArn"] = text(rng)
    elif op == "ListTenantResources":
        p["TenantName"] = name(rng)
        maybe(rng, p, "Filter", {"RESOURCE_TYPE": rng.choice(["EMAIL_IDENTITY", "CONFIGURATION_SET",
                                                               "EMAIL_TEMPLATE"])})
        maybe(rng, p, "NextToken", text(rng))
    elif op == "ListResourceTenants":
        p["ResourceArn"] = text(rng)
        maybe(rng, p, "NextToken", text(rng))
    elif op == "ListReputationEntities":
        key = rng.choice(["ENTITY_TYPE", "REPUTATION_IMPACT", "SENDING_STATUS", "ENTITY_REFERENCE_PREFIX"])
        maybe(rng, p, "Filter", {key: text(rng)})
        maybe(rng, p, "NextToken", text(rng))
    elif op == "ListRecommendations":
        f = {}
        pick = rng.randint(0, 5)
        if pick == 1:
            f["TYPE"] = rng.choice(["DKIM", "DMARC", "SPF", "BIMI", "BOUNCE"])
        elif pick == 2:
            f["RESOURCE_ARN"] = tenant_arn(rng)
        elif pick == 3:
            f["STATUS"], f["IMPACT"] = rng.choice(["OPEN", "FIXED"]), rng.choice(["LOW", "HIGH"])
        elif pick == 4:
            f["STATUS"], f["TYPE"] = rng.choice(["OPEN", "FIXED"]), rng.choice(["DKIM", "SPF"])
        elif pick == 5:
            f["IMPACT"] = rng.choice(["LOW", "HIGH"])
        if f:
            p["Filter"] = f
        maybe(rng, p, "NextToken", text(rng))
        maybe(rng, p, "PageSize", rng.randint(1, 100))
    else:
        p["ReputationEntityType"] = "RESOURCE"
        p["ReputationEntityReference"] = tenant_arn(rng)
        if op == "UpdateReputationEntityPolicy":
            p["ReputationEntityPolicy"] = "arn:aws:ses:eu-west-1:aws:reputation-policy/" + rng.choice(
                ["none", "standard", "strict"])
        elif op == "UpdateReputationEntityCustomerManagedStatus":
            p["SendingStatus"] = rng.choice(["ENABLED", "DISABLED", "REINSTATED"])


# ---- configuration sets: names and ARNs pass sesctl's checks, so only valid input is used

CS_OPS = ["CreateConfigurationSet", "DeleteConfigurationSet", "PutConfigurationSetDeliveryOptions",
          "PutConfigurationSetReputationOptions", "PutConfigurationSetSuppressionOptions",
          "PutConfigurationSetTrackingOptions", "PutConfigurationSetVdmOptions",
          "PutConfigurationSetArchivingOptions", "CreateConfigurationSetEventDestination",
          "UpdateConfigurationSetEventDestination", "DeleteConfigurationSetEventDestination",
          "PutEmailIdentityConfigurationSetAttributes", "TagResource", "UntagResource"]
EVENTS = ["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN", "CLICK", "RENDERING_FAILURE",
          "DELIVERY_DELAY", "SUBSCRIPTION"]


def name(rng, hi=64):
    return "".join(rng.choice(NAME) for _ in range(rng.randint(1, hi)))


def acct(rng):
    return "".join(rng.choice("0123456789") for _ in range(12))


def subset(rng, values):
    out = [v for v in values if rng.random() < 0.5]
    return out or [rng.choice(values)]


def delivery(rng):
    d = {}
    maybe(rng, d, "TlsPolicy", rng.choice(["REQUIRE", "OPTIONAL"]))
    maybe(rng, d, "SendingPoolName", name(rng))
    maybe(rng, d, "MaxDeliverySeconds", rng.randint(300, 50400))
    return d or {"TlsPolicy": "REQUIRE"}


def suppression(rng):
    d = {"SuppressedReasons": [r for r in ("BOUNCE", "COMPLAINT") if rng.random() < 0.5]}
    if rng.random() < 0.5:
        ct = {"ConditionThresholdEnabled": rng.choice(["ENABLED", "DISABLED"])}
        maybe(rng, ct, "OverallConfidenceThreshold",
              {"ConfidenceVerdictThreshold": rng.choice(["MEDIUM", "HIGH", "MANAGED"])})
        d["ValidationOptions"] = {"ConditionThreshold": ct}
    return d


def tracking(rng, create):
    d = {"CustomRedirectDomain": "click%d.example.com" % rng.randint(0, 999)}
    if not create and rng.random() < 0.3:
        d = {}
    maybe(rng, d, "HttpsPolicy", rng.choice(["REQUIRE", "REQUIRE_OPEN_ONLY", "OPTIONAL"]))
    return d or {"HttpsPolicy": "OPTIONAL"}


def vdm(rng):
    d = {}
    maybe(rng, d, "DashboardOptions", {"EngagementMetrics": rng.choice(["ENABLED", "DISABLED"])})
    maybe(rng, d, "GuardianOptions", {"OptimizedSharedDelivery": rng.choice(["ENABLED", "DISABLED"])})
    return d or {"DashboardOptions": {"EngagementMetrics": "ENABLED"}}


def archive(rng):
    return "arn:aws:ses:eu-west-1:%s:mailmanager-archive/a-%s" % (
        acct(rng), "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(24, 62))))


def destination(rng):
    d = {"Enabled": rng.random() < 0.5, "MatchingEventTypes": subset(rng, EVENTS)}
    kind = rng.choice(["sns", "cw", "firehose", "eventbridge", "pinpoint"])
    region = rng.choice(["eu-west-1", "us-east-1"])
    if kind == "sns":
        d["SnsDestination"] = {"TopicArn": "arn:aws:sns:%s:%s:%s" % (region, acct(rng), name(rng))}
    elif kind == "cw":
        d["CloudWatchDestination"] = {"DimensionConfigurations": [
            {"DimensionName": rng.choice(["ses:configuration-set", "ses:from-domain", name(rng)]),
             "DimensionValueSource": rng.choice(["MESSAGE_TAG", "EMAIL_HEADER", "LINK_TAG"]),
             "DefaultDimensionValue": name(rng) + rng.choice(["", "@x.example", ".v"])}
            for _ in range(rng.randint(1, 10))]}
    elif kind == "firehose":
        d["KinesisFirehoseDestination"] = {
            "IamRoleArn": "arn:aws:iam::%s:role/%s" % (acct(rng), name(rng)),
            "DeliveryStreamArn": "arn:aws:firehose:%s:%s:deliverystream/%s" % (region, acct(rng), name(rng))}
    elif kind == "eventbridge":
        d["EventBridgeDestination"] = {"EventBusArn": "arn:aws:events:%s:%s:event-bus/default" % (region, acct(rng))}
    else:
        d["PinpointDestination"] = {"ApplicationArn": "arn:aws:mobiletargeting:%s:%s:apps/%s" % (region, acct(rng), name(rng))}
    return d


def cs_gen(rng, op, p):
    if op in ("TagResource", "UntagResource"):
        p["ResourceArn"] = "arn:aws:ses:eu-west-1:%s:configuration-set/%s" % (acct(rng), name(rng))
        keys = [name(rng, 30) + text(rng, 0, 4).replace("aws:", "") for _ in range(rng.randint(1, 4))]
        if op == "TagResource":
            p["Tags"] = [{"Key": k, "Value": text(rng, 0, 12)} for k in keys]
        else:
            p["TagKeys"] = keys
        return
    if op == "PutEmailIdentityConfigurationSetAttributes":
        p["EmailIdentity"] = text(rng)
        maybe(rng, p, "ConfigurationSetName", name(rng))
        return
    p["ConfigurationSetName"] = name(rng)
    if op == "CreateConfigurationSet":
        p["ReputationOptions"] = {"ReputationMetricsEnabled": rng.random() < 0.5}
        p["SendingOptions"] = {"SendingEnabled": rng.random() < 0.5}
        maybe(rng, p, "DeliveryOptions", delivery(rng))
        maybe(rng, p, "SuppressionOptions", suppression(rng))
        maybe(rng, p, "TrackingOptions", tracking(rng, True))
        maybe(rng, p, "VdmOptions", vdm(rng))
        maybe(rng, p, "ArchivingOptions", {"ArchiveArn": archive(rng)})
        maybe(rng, p, "Tags", [{"Key": name(rng, 20), "Value": text(rng, 0, 10)} for _ in range(rng.randint(1, 3))])
    elif op == "PutConfigurationSetDeliveryOptions":
        p.update(delivery(rng))
    elif op == "PutConfigurationSetReputationOptions":
        p["ReputationMetricsEnabled"] = rng.random() < 0.5
    elif op == "PutConfigurationSetSuppressionOptions":
        p.update(suppression(rng))
    elif op == "PutConfigurationSetTrackingOptions":
        p.update(tracking(rng, False))
    elif op == "PutConfigurationSetVdmOptions":
        p["VdmOptions"] = vdm(rng)
    elif op == "PutConfigurationSetArchivingOptions":
        maybe(rng, p, "ArchiveArn", archive(rng))
    elif op in ("CreateConfigurationSetEventDestination", "UpdateConfigurationSetEventDestination"):
        p["EventDestinationName"] = name(rng)
        p["EventDestination"] = destination(rng)
    elif op == "DeleteConfigurationSetEventDestination":
        p["EventDestinationName"] = name(rng)


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
