#!/usr/bin/env python3
"""Write the seed corpus of every fuzz target into OUTDIR/<target>/ (one file per seed).

    python3 tests/fuzz/seeds.py build/fuzz/seeds

Seeds are the recorded replies in tests/fixtures/ (moto 5.2.1 and botocore-shaped bodies),
prefixed with the selector byte the target reads first, the shipped themes, and small
hand-written samples of what the other parsers read (config files, credential_process
output, STS/SSO replies, DMARC/SPF records, DNS answers, hostile text). Deterministic: the
same tree gives the same files, so `make fuzz` and test_fuzz_smoke.py see the same seeds.
"""

import hashlib
import io
import os
import struct
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIX = os.path.join(ROOT, "tests", "fixtures")

# fuzz_ses_parse: first byte picks the parser (see fuzz_v2 / fuzz_xml there).
V2 = [("list_email_identities", 0), ("get_email_identity_policies", 3), ("get_email_identity", 1),
      ("put_dkim", 1), ("create_email_identity", 2), ("get_account", 4), ("bad_account", 4),
      ("suppressed", 5), ("configuration_set", 6), ("metric", 7), ("send_email", 8)]
V1 = [("list_receipt_rule_sets", 0), ("describe_receipt_rule_set", 1),
      ("describe_active_receipt_rule_set", 2), ("list_receipt_filters", 3),
      ("get_send_statistics", 4), ("bad_stat", 4), ("get_send_quota", 5), ("bad_quota", 5),
      ("account_sending_enabled", 5), ("identity_verification", 6)]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def fixtures(sub, exts=(".json", ".xml", ".html")):
    d = os.path.join(FIX, sub)
    for name in sorted(os.listdir(d)):
        if name.endswith(exts):
            yield name, read(os.path.join(d, name))


def ses_parse_seeds():
    out = []
    for name, body in fixtures("sesv2"):
        sel = next((s for key, s in V2 if key in name), None)
        for s in ([sel] if sel is not None else range(9)):
            out.append(bytes([s]) + body)
    for name, body in fixtures("mailmanager"):
        out.append(bytes([9]) + body)
    for name, body in fixtures("sesv1"):
        sel = next((s for key, s in V1 if key in name), None)
        for s in ([sel] if sel is not None else (0, 1, 4, 5)):
            out.append(bytes([0x80 | s]) + body)
    for name, body in fixtures("cloudwatch"):
        out.append(bytes([0x80 | 7]) + body)
    for name, body in fixtures("sts"):
        out.append(bytes([0x80 | 8]) + body)
    return out


def aws_error_seeds():
    out = []
    for sub in ("sesv2", "sesv1", "sts"):
        for name, body in fixtures(sub):
            if name.startswith(("bad_", "error")) or sub == "sts":
                out.append(b"\x00" + body)
    out.append(b"\x01NotFoundException:http://internal.amazon.com/\n"
               b'{"message":"Identity example.com does not exist."}')
    out.append(b'\x00{"__type":"com.amazonaws#TooManyRequestsException","Message":"Rate exceeded"}')
    out.append(b"\x00<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>"
               b"Maximum sending rate exceeded.</Message></Error><RequestId>1-2-3</RequestId>"
               b"</ErrorResponse>")
    return out


# fuzz_ses_events: 0 the notification parser, 1 the SQS JSON replies, 2 the SNS/v1 XML replies.
SNS_NS = b' xmlns="http://sns.amazonaws.com/doc/2010-03-31/"'
EVENTS_XML = [
    b"<GetIdentityNotificationAttributesResponse><GetIdentityNotificationAttributesResult>"
    b"<NotificationAttributes><entry><key>shop.example</key><value><BounceTopic>arn:aws:sns:"
    b"eu-west-1:123456789012:b</BounceTopic><ComplaintTopic/><ForwardingEnabled>true"
    b"</ForwardingEnabled><HeadersInBounceNotificationsEnabled>false"
    b"</HeadersInBounceNotificationsEnabled></value></entry></NotificationAttributes>"
    b"</GetIdentityNotificationAttributesResult></GetIdentityNotificationAttributesResponse>",
    b"<GetTopicAttributesResponse" + SNS_NS + b"><GetTopicAttributesResult><Attributes><entry>"
    b"<key>Owner</key><value>123456789012</value></entry><entry><key>SubscriptionsConfirmed</key>"
    b"<value>3</value></entry><entry><key>Policy</key><value>{}</value></entry></Attributes>"
    b"</GetTopicAttributesResult></GetTopicAttributesResponse>",
    b"<ListSubscriptionsByTopicResponse" + SNS_NS + b"><ListSubscriptionsByTopicResult><Subscriptions>"
    b"<member><SubscriptionArn>PendingConfirmation</SubscriptionArn><Protocol>email</Protocol>"
    b"<Endpoint>a@b</Endpoint><Owner>123456789012</Owner></member></Subscriptions><NextToken>t"
    b"</NextToken></ListSubscriptionsByTopicResult></ListSubscriptionsByTopicResponse>",
    b"<SubscribeResponse" + SNS_NS + b"><SubscribeResult><SubscriptionArn>arn:aws:sns:eu-west-1:"
    b"123456789012:t:1</SubscriptionArn></SubscribeResult></SubscribeResponse>",
]
EVENTS_SQS = [
    b'{"QueueUrl":"http://127.0.0.1:4566/123456789012/tap"}',
    b'{"Attributes":{"QueueArn":"arn:aws:sqs:eu-west-1:123456789012:tap"}}',
    b'{"Messages":[{"MessageId":"m","ReceiptHandle":"h","MD5OfBody":"x","Body":"{}"}]}',
    b'{"Successful":[{"Id":"0"}],"Failed":[{"Id":"1","SenderFault":true,"Code":"X"}]}',
]


def events_seeds():
    import json
    out = []
    for name, body in fixtures("events", (".json",)):
        out.append(b"\x00" + body)
        env = {"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:eu-west-1:123456789012:t",
               "Message": body.decode("utf-8")}
        out.append(b"\x00" + json.dumps(env).encode())
        out.append(b"\x01" + json.dumps({"Messages": [{"ReceiptHandle": "h", "Body": env["Message"]}]}).encode())
    out += [b"\x01" + s for s in EVENTS_SQS] + [b"\x02" + s for s in EVENTS_XML]
    return out


AWS_CONFIG = [
    b"[default]\nregion = eu-west-1\noutput = json\n",
    b"[profile prod]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/ses\n"
    b"source_profile = default\nexternal_id = x\nduration_seconds = 3600\n",
    b"[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
    b"[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
    b"[profile p]\ncredential_process = /usr/bin/helper --profile 'a b' \"c\\\"d\"\n",
    b"[profile s]\nservices = emu\n[services emu]\nsesv2 =\n  endpoint_url = http://127.0.0.1:4566\n",
    b"[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalr/K7MDENG\n"
    b"aws_session_token = tok ; comment\n# comment\n\n",
]

SETTINGS = [
    b"[global]\ntheme = default\nrefresh = 300\n",
    b"[profile prod-oncall]\nread_only = true\n[profile prod-admin]\nprotected = true\n"
    b"alias = prod\nregions = eu-west-1, us-east-1\n",
    b"# comment\n[keys]\nctrl-r = refresh\nF5 = refresh\n",
    b"[global]\nregions = all\nrefresh = 0\n[profile x]\ntheme = mono\nread_only = no\n",
    b"[fleet]\nprofiles = prod-*, staging\nregions = eu-west-1, us-east-1\n[fleet emea]\n"
    b"profiles = *-eu\nregions = active\n",
]

PROCESS = [
    b'{"Version": 1, "AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "secret"}',
    b'{"Version": 1, "AccessKeyId": "ASIA", "SecretAccessKey": "s", "SessionToken": "t",'
    b' "Expiration": "2030-01-01T00:00:00Z"}',
    b'{"Version": 2}',
    b"helper: cannot reach the vault\x1b[31m red\n",
]
STS_OK = (b'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'
          b"<Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey>"
          b"<SessionToken>t</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>"
          b"</AssumeRoleResult></AssumeRoleResponse>")
STS_ERR = (b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not "
           b"authorized\x1b]52;c;ZXZpbA==\x07</Message></Error><RequestId>r</RequestId></ErrorResponse>")
SSO = b'{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T","expiration":1900000000000}}'
CONTAINER = b'{"AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2030-01-01T00:00:00Z"}'


def creds_seeds():
    out = [b"\x00" + p for p in PROCESS] + [b"\x01" + p for p in PROCESS[3:]]
    out += [b"\x02" + CONTAINER, b"\x03" + STS_OK,
            b"\x04" + STS_OK.replace(b"AssumeRole", b"AssumeRoleWithWebIdentity"),
            b"\x05" + STS_ERR, b"\x2d" + STS_ERR, b"\x06" + SSO, b"\x1e" + b"{}"]
    return out


POLICY = [
    b"v=DMARC1; p=reject; rua=mailto:dmarc@example.com; ruf=mailto:f@example.com; fo=1; pct=50",
    b"v=DMARC1; p=none; sp=quarantine; adkim=s; aspf=r; t=y",
    b"v=DMARC1; p=quarantine; pct=150",
    b"v=spf1 include:amazonses.com include:_spf.google.com ~all",
    b"v=spf1 a mx ptr exists:%{i}.x.example redirect=_spf.example.com",
    b"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all",
    b"v=DMARC1;p=reject;rua=mailto:a@b.example!10m,mailto:c@d.example",
]


def dns_name(name):
    out = b""
    for label in name.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def dns_msg(qname, qtype, answers, rcode=0, flags=0x8400):
    hdr = struct.pack(">HHHHHH", 0x1234, flags | rcode, 1, len(answers), 0, 0)
    q = dns_name(qname) + struct.pack(">HH", qtype, 1)
    body = b""
    for rtype, rdata in answers:
        body += b"\xc0\x0c" + struct.pack(">HHIH", rtype, 1, 300, len(rdata)) + rdata
    return hdr + q + body


def txt(*strings):
    return b"".join(bytes([len(s)]) + s for s in strings)


def dns_answer_seeds():
    return [
        dns_msg("_dmarc.example.com", 16, [(16, txt(b"v=DMARC1; p=reject"))]),
        dns_msg("example.com", 16, [(16, txt(b"v=spf1 include:amazonses.com", b" ~all")),
                                    (16, txt(b"google-site-verification=x"))]),
        dns_msg("abc._domainkey.example.com", 5, [(5, dns_name("abc.dkim.amazonses.com"))]),
        dns_msg("example.com", 15, [(15, struct.pack(">H", 10) + dns_name("inbound-smtp.eu-west-1.amazonaws.com"))]),
        dns_msg("example.com", 1, [(1, bytes([192, 0, 2, 1]))]),
        dns_msg("example.com", 28, [(28, bytes(15) + b"\x01")]),
        dns_msg("example.com", 2, [(2, dns_name("ns1.example.net"))]),
        dns_msg("missing.example.com", 16, [], rcode=3),
        dns_msg("example.com", 16, [], rcode=2),
        dns_msg("loop.example.com", 5, [(5, b"\xc0\x0c")]),
    ]


TEXT = [
    b"plain name",
    b"\x1b[31mred\x1b[0m \x1b]52;c;ZXZpbA==\x07 \x9b31m \xc2\x9b2J",
    b"bidi \xe2\x80\xaeevil\xe2\x80\xac nul\x00 bel\x07 del\x7f",
    b"\xff\xfe invalid \xc3\x28 \xe2\x82 \xf0\x9f\x98\x80 \xe6\x97\xa5\xe6\x9c\xac",
    b"=cmd|' /C calc'!A0",
    b"\x03line one\nline two\r\n\ttab",
]


def theme_seeds():
    d = os.path.join(ROOT, "themes")
    return [read(os.path.join(d, n)) for n in sorted(os.listdir(d)) if n.endswith(".theme")]


def snapshot(identities, paused=False):
    import json
    return json.dumps({"sesctl_snapshot": 1, "regions": [{
        "region": "eu-west-1", "account_state": {"sending_enabled": not paused, "fetched": "x", "max_send_rate": 14},
        "identities": [{"name": n, "verification_status": v, "tags": {"k": "v\u202e"}} for n, v in identities],
        "configuration_sets": [{"name": "cs1", "sending_enabled": True}],
        "receipt_rule_sets": [{"name": "inbound", "rules": [{"name": "r1", "recipients": ["a@b"]}]}],
        "receipt_filters": []}]}).encode()


def pair(a, b):
    return struct.pack(">H", len(a)) + a + b


def snapshot_seeds():
    a = snapshot([("shop.example", "SUCCESS"), ("old.example", "FAILED")])
    b = snapshot([("shop.example", "PENDING"), ("new.example", "SUCCESS")], paused=True)
    return [pair(a, a), pair(a, b), pair(b, a), pair(a, b"{}"), pair(b"[1,2]", a)]

# fuzz_cloudtrail: even first byte a LookupEvents page, odd one CloudTrailEvent document.
CT_ACCT = "123456789012"
CT_IDENTITIES = [
    {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": f"arn:aws:iam::{CT_ACCT}:user/bob",
     "accountId": CT_ACCT, "accessKeyId": "AKIAEXAMPLE", "userName": "bob"},
    {"type": "AssumedRole", "principalId": "AROAEXAMPLE:alice",
     "arn": f"arn:aws:sts::{CT_ACCT}:assumed-role/OpsRole/alice", "accountId": CT_ACCT,
     "sessionContext": {"sessionIssuer": {"type": "Role", "arn": f"arn:aws:iam::{CT_ACCT}:role/OpsRole",
                                          "userName": "OpsRole"},
                        "attributes": {"creationDate": "2026-12-04T09:55:00Z", "mfaAuthenticated": "true"}}},
    {"type": "Root", "principalId": CT_ACCT, "arn": f"arn:aws:iam::{CT_ACCT}:root", "accountId": CT_ACCT},
    {"type": "AWSService", "invokedBy": "ses.amazonaws.com"},
    {"type": "FederatedUser", "principalId": f"{CT_ACCT}:carol",
     "arn": f"arn:aws:sts::{CT_ACCT}:federated-user/carol", "accountId": CT_ACCT},
    {"type": "IdentityCenterUser", "accountId": CT_ACCT, "userName": "dave@corp.example",
     "onBehalfOf": {"userId": "906744f8-1234", "identityStoreArn": "arn:aws:identitystore::1:identitystore/d-1"}},
    {"type": "AWSAccount", "principalId": "AIDAOTHER", "accountId": "210987654321"},
    None,
]
CT_CALLS = [
    ("sesctl/0.1.0 ua/2.1 os/linux#6.1 lang/c md/curl#7.88.1 (reason: INC-4711 bounce spike)",
     "PutAccountSendingAttributes", {"sendingEnabled": False}),
    ("aws-cli/1.29.0 Python/3.11.2 Linux/6.1.0 botocore/1.31.0", "UpdateAccountSendingEnabled",
     {"enabled": True}),
    ("aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12 prompt/off "
     "command/sesv2.put-configuration-set-sending-options", "PutConfigurationSetSendingOptions",
     {"configurationSetName": "marketing", "sendingEnabled": False}),
    ("Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1.0 Botocore/1.34.0",
     "UpdateConfigurationSetSendingEnabled", {"ConfigurationSetName": "tx", "Enabled": "true"}),
    ("console.amazonaws.com", "UpdateReputationEntityCustomerManagedStatus",
     {"reputationEntityReference": "acme", "sendingStatus": "DISABLED"}),
    ("AWS Internal", "DeleteReceiptRule", {"ruleSetName": "inbound", "ruleName": "to-s3"}),
    ("ses.amazonaws.com", "PutSuppressedDestination", {"emailAddress": "b@x.example", "reason": "BOUNCE"}),
    ("", "CreateEmailIdentity", {"emailIdentity": "shop.example"}),
]


def cloudtrail_seeds():
    import json
    docs = []
    for i, ident in enumerate(CT_IDENTITIES):
        ua, name, params = CT_CALLS[i % len(CT_CALLS)]
        doc = {"eventVersion": "1.09", "eventTime": "2026-12-04T10:00:00Z",
               "eventSource": "ses.amazonaws.com", "eventName": name, "awsRegion": "eu-west-1",
               "sourceIPAddress": "203.0.113.7", "userAgent": ua, "requestParameters": params,
               "responseElements": None, "eventID": f"3f1c7e0a-0000-4000-8000-00000000000{i}",
               "readOnly": False, "eventType": "AwsApiCall", "recipientAccountId": CT_ACCT}
        if ident is not None:
            doc["userIdentity"] = ident
        if i == 3:
            doc["errorCode"] = "AccessDenied"
            doc["errorMessage"] = "not authorized\x1b[2J"
        docs.append(json.dumps(doc))
    out = [b"\x01" + d.encode() for d in docs]
    events = [{"EventId": f"e-{i}", "EventName": json.loads(d)["eventName"], "ReadOnly": "false",
               "AccessKeyId": "ASIAEXAMPLE", "EventTime": 1796378400.25, "EventSource": "ses.amazonaws.com",
               "Username": "alice", "Resources": [], "CloudTrailEvent": d} for i, d in enumerate(docs)]
    out.append(b"\x00" + json.dumps({"Events": events, "NextToken": "tok/1+="}).encode())
    out.append(b"\x00" + json.dumps({"Events": events[:2]}).encode())
    damaged = dict(events[0], CloudTrailEvent='{"eventID": "x", trunc')
    out.append(b"\x00" + json.dumps({"Events": [damaged, {"EventId": "bare"}]}).encode())
    out.append(b'\x00{"Events":[]}')
    return out


# fuzz_tenants: the first byte picks the parser (0 CreateTenant, 1 GetTenant, 2 ListTenants,
# 3 ListTenantResources, 4 ListResourceTenants, 5 the reputation entity list and get,
# 7 ListRecommendations), 8 the policy ARN helpers, 9 the builders (see fuzz_tenants.c).
TN_ARN = "arn:aws:ses:eu-west-1:123456789012:tenant/acme-prod/tn-3f2a9c0d1e4b5a6978"
TN_TENANT = {"TenantName": "acme-prod", "TenantId": "tn-3f2a9c0d1e4b5a6978", "TenantArn": TN_ARN,
             "CreatedTimestamp": 1796378400.25, "SendingStatus": "ENABLED",
             "Tags": [{"Key": "team", "Value": "mail"}, {"Key": "k", "Value": None}]}
TN_STATUS = {"Status": "DISABLED", "Cause": "paused by ops\x1b[2J", "LastUpdatedTimestamp": "2026-12-04T10:00:00Z"}
TN_ENTITY = {"ReputationEntityReference": TN_ARN, "ReputationEntityType": "RESOURCE",
             "ReputationManagementPolicy": "arn:aws:ses:eu-west-1:aws:reputation-policy/standard",
             "CustomerManagedStatus": TN_STATUS, "AwsSesManagedStatus": {"Status": "ENABLED"},
             "SendingStatusAggregate": "DISABLED", "ReputationImpact": "HIGH"}
TN_REC = {"ResourceArn": TN_ARN, "Type": "DKIM", "Description": "DKIM is not set up", "Status": "OPEN",
          "CreatedTimestamp": 1796378400, "LastUpdatedTimestamp": "2026-12-04T10:00:00.000Z", "Impact": "HIGH"}


def tenants_seeds():
    import json

    def j(sel, doc):
        return bytes([sel]) + json.dumps(doc).encode()
    info = {k: TN_TENANT[k] for k in ("TenantName", "TenantId", "TenantArn", "CreatedTimestamp")}
    out = [
        j(0, TN_TENANT), j(0, {"TenantId": "tn-1"}), j(1, {"Tenant": TN_TENANT}),
        j(1, {"Tenant": {"TenantName": "b", "SendingStatus": "PAUSED", "Tags": None}}), j(1, {"Tenant": None}),
        j(2, {"Tenants": [info, {"TenantName": "b"}], "NextToken": "page/2+="}),
        j(2, {"Tenants": [], "NextToken": ""}), j(2, {"Tenants": [{"TenantId": "x"}]}),
        j(3, {"TenantResources": [{"ResourceType": "EMAIL_IDENTITY",
                                   "ResourceArn": "arn:aws:ses:eu-west-1:123456789012:identity/shop.example"},
                                  {"ResourceType": "CONTACT_LIST", "ResourceArn": "arn:c"}], "NextToken": "t"}),
        j(4, {"ResourceTenants": [{"TenantName": "acme-prod", "TenantId": "tn-1", "ResourceArn": "arn:r",
                                   "AssociatedTimestamp": -1}]}),
        j(5, {"ReputationEntities": [TN_ENTITY, {"ReputationEntityReference": "arn:b"}], "NextToken": "e2"}),
        j(6, {"ReputationEntity": TN_ENTITY}), j(6, {"ReputationEntity": {"ReputationEntityType": "RESOURCE"}}),
        j(7, {"Recommendations": [TN_REC, {"Description": "no type"}, "DKIM", None,
                                  {"Type": "ARC", "Status": "SNOOZED"}], "NextToken": "r2"}),
        b"\x08" + TN_ARN.encode(), b"\x08arn:aws-cn:ses:cn-north-1:1:tenant/x", b"\x08arn::::",
        b"\x08arn:aws:ses:eu-west-1:aws:reputation-policy/strict",
        b"\x09" + TN_ARN.encode(), b"\x09a\"b\\c\x01\x1b\x7f\xc3\xa9 /:%?#", b"\x09",
    ]
    return out


def dmarc_seeds(xml_only):
    """The committed corpus of tests/fixtures/dmarc (each receiver's shape, mbox, maildir,
    the hostile files); for the XML target only the bare reports, unpacked."""
    import gzip
    import zipfile
    root = os.path.join(FIX, "dmarc", "corpus")
    out = []
    for d, _, names in os.walk(root):
        for n in sorted(names):
            data = read(os.path.join(d, n))
            if not xml_only:
                out.append(data)
            elif n.endswith(".xml"):
                out.append(data)
            elif n.endswith(".xml.gz") and "truncated" not in n:
                out.append(gzip.decompress(data))
            elif n.endswith(".zip") and "notreport" not in n:
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    out.append(z.read(z.namelist()[0]))
    return out


TARGETS = {
    "fuzz_dmarc_xml": lambda: dmarc_seeds(True),
    "fuzz_dmarc_unpack": lambda: dmarc_seeds(False),
    "fuzz_tenants": tenants_seeds,
    "fuzz_snapshot_diff": snapshot_seeds,
    "fuzz_ses_parse": ses_parse_seeds,
    "fuzz_ses_events": events_seeds,
    "fuzz_cloudtrail": cloudtrail_seeds,
    "fuzz_aws_error": aws_error_seeds,
    "fuzz_aws_config": lambda: AWS_CONFIG,
    "fuzz_creds": creds_seeds,
    "fuzz_settings": lambda: SETTINGS,
    "fuzz_dns_policy": lambda: POLICY,
    "fuzz_dns_answer": dns_answer_seeds,
    "fuzz_text": lambda: TEXT,
    "fuzz_theme": theme_seeds,
}


def write_all(outdir):
    counts = {}
    for target, make in TARGETS.items():
        d = os.path.join(outdir, target)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            os.unlink(os.path.join(d, old))
        seeds = make()
        for s in seeds:
            with open(os.path.join(d, hashlib.sha1(s).hexdigest()), "wb") as f:
                f.write(s)
        counts[target] = len(seeds)
    return counts


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for t, n in write_all(sys.argv[1]).items():
        print(f"seeds: {t}: {n}")
