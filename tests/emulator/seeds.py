"""Seeds: `empty`, `demo` (an account an operator would recognise), `bulk:N` and
`streams:N` (N configuration sets for benchmarks).

Deterministic: every random choice comes from random.Random(seed name), and time series
are laid out backwards from the current 15-minute boundary, so the same seed gives the
same account and the graphs always show the last two weeks.
"""

import base64
import datetime
import io
import random
import time
import zipfile

from moto.ses.models import ConfigurationSet, ReceiptRuleSet

import configsets
import state
from state import backend, dkim_tokens, emu, new_identity

BUCKET = 900
DAYS = 14


def apply(seed, region, now=None):
    now = time.time() if now is None else now
    if seed in (None, "", "empty"):
        return
    if seed == "demo":
        return demo(region, now)
    if seed.startswith("bulk:"):
        return bulk(region, int(seed.split(":", 1)[1]), now)
    if seed.startswith("streams:"):
        return streams(region, int(seed.split(":", 1)[1]), now)
    raise ValueError(f"unknown seed {seed!r}: empty, demo, bulk:N or streams:N")


def _production(st, max_24h=50000.0, rate=14.0):
    st.production_access = True
    st.max_24h, st.max_rate = max_24h, rate
    st.enforcement_status = "HEALTHY"
    st.suppressed_reasons = ["BOUNCE", "COMPLAINT"]


# ---- demo ------------------------------------------------------------------------------

VERIFIED_DOMAINS = [
    "shop.example", "help.shop.example", "mail.shop.example", "news.shop.example", "eu.shop.example",
    "billing.example", "accounts.example", "notify.example", "status.example", "invoices.example",
    "marketing.example", "support.example", "careers.example", "mail1.example",
]
VERIFIED_ADDRESSES = [
    "ops@shop.example", "alerts@shop.example", "noreply@notify.example", "billing@billing.example",
    "alice@accounts.example", "bob@support.example", "hr@careers.example", "postmaster@mail.example",
    "reports@status.example", "dmarc-reports@dmarc.example", "support@help.shop.example",
    "security@shop.example", "newsletter@news.shop.example", "invoices@invoices.example",
    "team@marketing.example",
]
# billing, support and accounts send through `notifications` (no bounce or complaint
# destination), so the feedback audit's NOWHERE and UNKNOWN verdicts come from their own
# topics alone: `transactional` exports bounces to Firehose, which counts as read.
DEFAULT_SETS = {"marketing.example": "marketing", "notify.example": "notifications",
                "noreply@notify.example": "notifications", "billing.example": "notifications",
                "support.example": "notifications", "accounts.example": "notifications"}
PENDING_ADDRESSES = ["new-hire@shop.example", "partner-ops@partner.example", "ceo@newbrand.example",
                     "test-sender@partner.example"]


def demo(region, now):
    rng = random.Random(f"demo:{region}")
    st = emu(region)
    b = backend(region)
    _production(st)
    st.details = {"MailType": "TRANSACTIONAL", "WebsiteURL": "https://shop.example", "ContactLanguage": "EN",
                  "UseCaseDescription": "Order confirmations, receipts and password resets for shop.example "
                                        "customers; bounces and complaints handled via SNS.",
                  "AdditionalContactEmailAddresses": ["ops@shop.example"],
                  "ReviewDetails": {"Status": "GRANTED", "CaseId": "case-0471108815"}}
    st.vdm = {"VdmEnabled": "ENABLED", "DashboardAttributes": {"EngagementMetrics": "ENABLED"},
              "GuardianAttributes": {"OptimizedSharedDelivery": "DISABLED"}}

    _demo_config_sets(region, now)

    # identities, created over the last months
    created = now - 120 * 86400
    for i, d in enumerate(VERIFIED_DOMAINS):
        new_identity(region, d, status="SUCCESS", now=created + i * 86400,
                     key_length="RSA_1024_BIT" if d == "mail1.example" else "RSA_2048_BIT",
                     config_set=DEFAULT_SETS.get(d, "transactional"),
                     tags=[{"Key": "team", "Value": rng.choice(["web", "billing", "platform"])}])
    new_identity(region, "newbrand.example", status="PENDING", now=now - 3600)
    new_identity(region, "legacy-brand.example", status="FAILED", now=now - 10 * 86400)
    new_identity(region, "partner.example", status="TEMPORARY_FAILURE", now=now - 2 * 86400)
    new_identity(region, "secure.example", status="SUCCESS", dkim="EXTERNAL", selector="sel2024", now=created)
    new_identity(region, "xn--bcher-kva.example", status="SUCCESS", now=created)      # bücher.example
    old = new_identity(region, "old.example", status="SUCCESS", now=created - 200 * 86400)
    old.dkim_attributes["SigningEnabled"] = False
    for a in VERIFIED_ADDRESSES:
        new_identity(region, a, status="SUCCESS", now=created, config_set=DEFAULT_SETS.get(a))
    for a in PENDING_ADDRESSES:
        new_identity(region, a, status="PENDING", now=now - 7200)
    new_identity(region, "old-sender@legacy-brand.example", status="FAILED", now=now - 30 * 86400)
    for dom, mf, status in (("shop.example", "bounce.shop.example", "SUCCESS"),
                            ("mail.shop.example", "mf.mail.shop.example", "PENDING"),
                            ("billing.example", "bounce.billing.example", "FAILED"),
                            ("notify.example", "bounce.notify.example", "SUCCESS")):
        b.identity_mail_from_domains[dom] = {"mail_from_domain": mf, "status": status,
                                             "behavior_on_mx_failure": "UseDefaultValue"}
    b.identity_mail_from_domains["billing.example"]["behavior_on_mx_failure"] = "RejectMessage"
    _demo_feedback(region)
    b.email_identities["support.example"].feedback_forwarding_status = False   # legal: both topics set

    for k, ident in enumerate(b.email_identities.values()):   # SES re-checks DNS every few hours
        ident.sesemu_checked = max(ident.sesemu_created, now - 1800 * (k % 12 + 1))
    _demo_receipt(region, now)
    _demo_dns(region)
    points = _demo_statistics(rng, now, region)
    st.send_points = points
    _demo_suppression(rng, st, now)
    _seed_cloudwatch(region, points)
    st.set_points = _demo_split(region, points, now)
    _seed_set_metrics(region, st.set_points)
    _demo_mailmanager(st, region, now)
    _demo_history(region, now)
    _demo_tenants(region, now)
    _demo_dmarc(region, now)


def _demo_feedback(region):
    """SNS topics, the ops-feedback queue and identity notification settings giving the
    feedback audit every verdict: shop.example OK (confirmed SQS subscriber), billing.example
    and support.example NOWHERE (pending-only / deleted / subscriber-less topics, forwarding
    off), accounts.example UNKNOWN (another account's topic), marketing.example OK through
    its default set's SNS destination, notify.example MAILBOX-ONLY."""
    from moto.sns.models import sns_backends
    from moto.sqs.models import sqs_backends

    import feedback
    acct = state.account()
    sns = sns_backends[acct][region]
    sqs_backends[acct][region].create_queue("ops-feedback")
    queue_arn = f"arn:aws:sqs:{region}:{acct}:ops-feedback"
    arn = {name: sns.create_topic(name).arn for name in
           ("ses-feedback", "ses-deliveries", "ses-bounces-unconfirmed", "support-feedback", "old-complaints")}
    sns.subscribe(arn["ses-feedback"], queue_arn, "sqs")
    sns.subscribe(arn["ses-deliveries"], queue_arn, "sqs")
    sns.subscribe(arn["ses-bounces-unconfirmed"], "bounces@billing.example", "email")   # never confirmed
    ids = backend(region).email_identities

    def topics(identity, **kinds):
        for kind, topic in kinds.items():
            feedback.set_topic(ids[identity], kind, topic)

    topics("shop.example", Bounce=arn["ses-feedback"], Complaint=arn["ses-feedback"], Delivery=arn["ses-deliveries"])
    feedback.set_headers(ids["shop.example"], "Bounce", True)
    topics("billing.example", Bounce=arn["ses-bounces-unconfirmed"], Complaint=arn["old-complaints"])
    sns.delete_topic(arn["old-complaints"])
    ids["billing.example"].feedback_forwarding_status = False
    topics("support.example", Bounce=arn["support-feedback"], Complaint=arn["support-feedback"])
    partner = "arn:aws:sns:eu-west-1:210987654321:partner-feedback"
    topics("accounts.example", Bounce=partner, Complaint=partner)
    configsets.add_destination(backend(region).config_sets["marketing"], "feedback-sns", {
        "Enabled": True, "MatchingEventTypes": ["BOUNCE", "COMPLAINT", "DELIVERY"],
        "SnsDestination": {"TopicArn": arn["ses-feedback"]}})


def _cw_destination(types, default):
    return {"Enabled": True, "MatchingEventTypes": types, "CloudWatchDestination": {"DimensionConfigurations": [
        {"DimensionName": configsets.SET_DIMENSION, "DimensionValueSource": "MESSAGE_TAG",
         "DefaultDimensionValue": default}]}}


def _demo_config_sets(region, now):
    """Four sending streams: `transactional` (every safeguard), `marketing` (dedicated pool,
    click tracking; it carries the bounce incident), `notifications` (no destination gets
    bounces or complaints) and the paused `legacy-newsletter` (no metrics, no destinations)."""
    acct = state.account()
    sns = f"arn:aws:sns:{region}:{acct}"
    counts = ["SEND", "BOUNCE", "COMPLAINT", "DELIVERY"]
    sets = [
        ("transactional", {"ReputationOptions": {"ReputationMetricsEnabled": True},
                           "DeliveryOptions": {"TlsPolicy": "REQUIRE"},
                           "SuppressionOptions": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]}},
         [("bounces-sns", {"Enabled": True, "MatchingEventTypes": ["BOUNCE", "COMPLAINT"],
                           "SnsDestination": {"TopicArn": f"{sns}:ses-bounces"}}),
          ("metrics-cw", _cw_destination(counts, "transactional")),
          ("archive-firehose", {"Enabled": True, "MatchingEventTypes": ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT"],
                                "KinesisFirehoseDestination": {
                                    "IamRoleArn": f"arn:aws:iam::{acct}:role/ses-firehose",
                                    "DeliveryStreamArn":
                                        f"arn:aws:firehose:{region}:{acct}:deliverystream/ses-archive"}})]),
        ("marketing", {"ReputationOptions": {"ReputationMetricsEnabled": True},
                       "DeliveryOptions": {"TlsPolicy": "OPTIONAL", "SendingPoolName": "marketing-pool"},
                       "TrackingOptions": {"CustomRedirectDomain": "click.marketing.example", "HttpsPolicy": "REQUIRE"},
                       "SuppressionOptions": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]}},
         [("marketing-eb", {"Enabled": True, "MatchingEventTypes": ["BOUNCE", "COMPLAINT", "OPEN", "CLICK"],
                            "EventBridgeDestination": {
                                "EventBusArn": f"arn:aws:events:{region}:{acct}:event-bus/default"}}),
          ("metrics-cw", _cw_destination(counts, "marketing"))]),
        ("notifications", {"ReputationOptions": {"ReputationMetricsEnabled": True},
                           "DeliveryOptions": {"TlsPolicy": "OPTIONAL"},
                           "SuppressionOptions": {"SuppressedReasons": ["BOUNCE"]}},
         [("deliveries-sns", {"Enabled": True, "MatchingEventTypes": ["DELIVERY"],
                              "SnsDestination": {"TopicArn": f"{sns}:ses-deliveries"}})]),
        ("legacy-newsletter", {"ReputationOptions": {"ReputationMetricsEnabled": False},
                               "SendingOptions": {"SendingEnabled": False},
                               "DeliveryOptions": {"TlsPolicy": "OPTIONAL"}}, []),
    ]
    for age, (name, options, dests) in enumerate(sets):
        cs = configsets.create(region, name, options, now=now - (400 - 60 * age) * 86400)
        for dname, definition in dests:
            configsets.add_destination(cs, dname, definition)


# Shares of the demo's sends per stream (None: sent without a configuration set). The
# paused newsletter sent only until a week ago.
SHARES_RECENT = (("transactional", 45), ("marketing", 35), ("notifications", 15), (None, 5))
SHARES_OLDER = (("transactional", 42), ("marketing", 33), ("notifications", 14), ("legacy-newsletter", 6), (None, 5))
INCIDENT_SET = "marketing"


def _largest_remainder(total, shares):
    weight = sum(w for _, w in shares)
    exact = [(total * w / weight, k) for k, (_, w) in enumerate(shares)]
    parts = [int(x) for x, _ in exact]
    for _, k in sorted(exact, key=lambda e: (-(e[0] - int(e[0])), e[1]))[:total - sum(parts)]:
        parts[k] += 1
    return parts


def _deal(rng, n, weights, room, parts):
    """n units, one at a time, to a stream drawn by weight among those with room left."""
    for _ in range(n):
        open_ = [k for k in range(len(parts)) if room[k] > 0 and weights[k] > 0] or \
                [k for k in range(len(parts)) if room[k] > 0] or [len(parts) - 1]
        k = rng.choices(open_, [max(weights[j], 1) for j in open_])[0]
        parts[k] += 1
        room[k] -= 1


def _demo_split(region, points, now):
    """Each of the account's send points split among the streams, integers that add up
    exactly to the account's: sends by share, bounces, complaints and rejects drawn per
    unit in proportion to each stream's sends (seeded per bucket), and during the
    incident nearly all the bounces above the usual rate go to `marketing`.
    Returns {set name or None: [points, oldest first]}."""
    end = now - now % BUCKET
    today = end - end % 86400
    out = {}
    for p in sorted(points, key=lambda p: p["Timestamp"]):
        ts = p["Timestamp"]
        days_ago = int((today - (ts - ts % 86400)) // 86400)
        hour = (ts % 86400) / 3600
        shares = SHARES_RECENT if ts >= now - 7 * 86400 else SHARES_OLDER
        names = [n for n, _ in shares]
        rng = random.Random(f"split:{region}:{int(ts)}")
        sends = _largest_remainder(p["DeliveryAttempts"], shares)
        base_bounce, base_complaint = _demo_rates(-1, hour)
        bounce_rate, complaint_rate = _demo_rates(days_ago, hour)
        attempts = p["DeliveryAttempts"]
        usual = p["Bounces"] if bounce_rate == base_bounce else min(p["Bounces"], int(attempts * base_bounce + 0.5))
        bounces = [0] * len(names)
        room = list(sends)
        extra = p["Bounces"] - usual
        if extra:
            k = names.index(INCIDENT_SET)
            mine = min(extra - extra // 20, room[k])
            bounces[k] += mine
            room[k] -= mine
            _deal(rng, extra - mine, [0] * (len(names) - 1) + [1], room, bounces)
        _deal(rng, usual, sends, room, bounces)
        complaints = [0] * len(names)
        usual_c = p["Complaints"] if complaint_rate == base_complaint else \
            min(p["Complaints"], int(attempts * base_complaint + 0.5))
        extra_c = p["Complaints"] - usual_c
        if extra_c:
            k = names.index(INCIDENT_SET)
            mine = min(extra_c, room[k])
            complaints[k] += mine
            room[k] -= mine
        _deal(rng, p["Complaints"] - sum(complaints), sends, room, complaints)
        rejects = [0] * len(names)
        _deal(rng, p["Rejects"], sends, [p["Rejects"]] * len(names), rejects)
        for k, name in enumerate(names):
            if sends[k] or bounces[k] or complaints[k] or rejects[k]:
                out.setdefault(name, []).append({"Timestamp": ts, "DeliveryAttempts": sends[k], "Bounces": bounces[k],
                                                 "Complaints": complaints[k], "Rejects": rejects[k]})
    return out


def _seed_set_metrics(region, set_points):
    """Per-set CloudWatch metrics (dimension ses:configuration-set): Reputation.* for sets
    with reputation metrics on, and the Send/Bounce/Complaint/Delivery counts a set's
    enabled CloudWatch destination publishes."""
    sets = backend(region).config_sets
    for name, points in set_points.items():
        cs = sets.get(name) if name else None
        if cs is None:
            continue
        dims = [{"Name": configsets.SET_DIMENSION, "Value": name}]
        events = [e for e in ("SEND", "BOUNCE", "COMPLAINT", "DELIVERY") if configsets.counts_in_cloudwatch(cs, e)]
        reputation = bool((cs.reputation_options or {}).get("ReputationMetricsEnabled"))
        _seed_cloudwatch(region, points, dims=dims, events=events, reputation=reputation)


BYODKIM_PUBLIC_KEY = ("MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDDGZHDMvVfvuz1IOHqRJQhSzbPW6LeQsZFNjhLBpj4TBxrpCfYKmXhKB+"
                      "etgjzEwZyXAOTxA+qiyLYnO9ZK+XlCT95wjvs/S4DMYBHOsKH0sxHcnpbK7XeQAIfp+70TpwQZP+3u6IBY+ZTZNXLTIcNFz+"
                      "SnwCwL5ixNi8TLhTgmQIDAQAB")
DMARC = {"shop.example": "v=DMARC1; p=quarantine; pct=100; rua=mailto:dmarc-reports@dmarc.example",
         "notify.example": "v=DMARC1; p=none; rua=mailto:dmarc-reports@dmarc.example",
         "billing.example": "v=DMARC1; p=reject; rua=mailto:dmarc-reports@dmarc.example; adkim=s; aspf=s",
         "marketing.example": "v=DMARC1; p=none"}


def _demo_dns(region):
    """The DNS an operator of this account would have published: everything for verified
    identities, two of three DKIM CNAMEs for the pending domain, wrong values (the zone
    appended twice, an MX elsewhere) where SES says FAILED, nothing for pending MAIL FROM.
    Kept in the emulator's zone: it drives verification and `--dns-port` serves it."""
    b = backend(region)
    zone = emu(region).dns_zone

    def add(name, rtype, value):
        zone.setdefault(name.lower(), {}).setdefault(rtype, []).append(value)

    for name, ident in b.email_identities.items():
        if ident.identity_type != "DOMAIN":
            continue
        dk = ident.dkim_attributes
        tokens = dk.get("Tokens") or []
        if dk.get("SigningAttributesOrigin") == "EXTERNAL":
            for sel in tokens:
                add(f"{sel}._domainkey.{name}", "TXT", f"v=DKIM1; k=rsa; p={BYODKIM_PUBLIC_KEY}")
        elif ident.verification_status == "SUCCESS":
            for t in tokens:
                add(f"{t}._domainkey.{name}", "CNAME", f"{t}.dkim.amazonses.com")
        elif ident.verification_status == "PENDING":
            for t in tokens[:2]:
                add(f"{t}._domainkey.{name}", "CNAME", f"{t}.dkim.amazonses.com")
        elif ident.verification_status == "FAILED":
            for t in tokens:
                add(f"{t}._domainkey.{name}", "CNAME", f"{t}.dkim.amazonses.com.{name}")
        if ident.verification_status == "SUCCESS":
            add(f"_amazonses.{name}", "TXT", state.legacy_token(region, name))
        if name in DMARC:
            add(f"_dmarc.{name}", "TXT", DMARC[name])
    add("shop.example", "TXT", "v=spf1 include:amazonses.com ~all")
    # inbound MX for every verified domain the active rule set receives for
    receiving = set()
    for rs in b.receipt_rule_set.values():
        if rs.is_active:
            receiving |= {r.split("@")[-1].lower() for rule in rs.rules for r in rule.get("Recipients", [])}
    for name in sorted(receiving):
        ident = b.email_identities.get(name)
        if ident is not None and ident.verification_status == "SUCCESS":
            add(name, "MX", f"10 inbound-smtp.{region}.amazonaws.com")
    for name, mf in b.identity_mail_from_domains.items():
        domain = mf["mail_from_domain"]
        if mf.get("status") == "SUCCESS":
            add(domain, "MX", f"10 feedback-smtp.{region}.amazonses.com")
            add(domain, "TXT", "v=spf1 include:amazonses.com ~all")
        elif mf.get("status") == "FAILED":
            add(domain, "MX", f"10 mx.{name}")


def _demo_resources(region):
    """The bucket, topic and function the demo rules name, created in moto's S3, SNS and
    Lambda, so that CreateReceiptRule/UpdateReceiptRule naming them pass moto's checks."""
    from moto.awslambda.models import lambda_backends
    from moto.iam.models import iam_backends
    from moto.s3.models import s3_backends
    from moto.sns.models import sns_backends
    acct = state.account()
    s3 = s3_backends[acct]["aws"]
    for bucket in ("shop-inbound-mail", "legacy-inbound"):    # bucket names are global
        if bucket not in s3.buckets:
            s3.create_bucket(bucket, region)
    sns_backends[acct][region].create_topic("inbound-mail")
    iam = iam_backends[acct]["aws"]
    role = next((r for r in iam.roles.values() if r.name == "sesemu-lambda"), None)
    if role is None:                                         # IAM is global too
        role = iam.create_role(role_name="sesemu-lambda", assume_role_policy_document="{}", path="/",
                               permissions_boundary=None, description="demo", tags=[], max_session_duration=None)
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return event\n")
    lambda_backends[acct][region].create_function({
        "FunctionName": "parse-invoice", "Runtime": "python3.12", "Role": role.arn, "Handler": "index.handler",
        "Code": {"ZipFile": base64.b64encode(code.getvalue()).decode()}})


def _demo_receipt(region, now):
    b = backend(region)
    _demo_resources(region)
    acct = state.account()
    topic = f"arn:aws:sns:{region}:{acct}:inbound-mail"
    main = ReceiptRuleSet("inbound-main")
    main.is_active = True
    main.rules = [
        {"Name": "spam-drop", "Enabled": True, "TlsPolicy": "Optional", "Recipients": ["help.shop.example"],
         "Actions": [{"BounceAction": {"SmtpReplyCode": "550", "StatusCode": "5.7.1",
                                       "Message": "Message rejected as spam", "Sender": "mailer-daemon@shop.example"}},
                     {"StopAction": {"Scope": "RuleSet"}}], "ScanEnabled": True},
        {"Name": "support-to-s3", "Enabled": True, "TlsPolicy": "Require", "Recipients": ["support@help.shop.example"],
         "Actions": [{"S3Action": {"BucketName": "shop-inbound-mail", "ObjectKeyPrefix": "support/"}},
                     {"SNSAction": {"TopicArn": topic, "Encoding": "UTF-8"}}], "ScanEnabled": True},
        {"Name": "invoices-lambda", "Enabled": True, "TlsPolicy": "Optional", "Recipients": ["invoices.example"],
         "Actions": [{"AddHeaderAction": {"HeaderName": "X-Inbound-Route", "HeaderValue": "invoices"}},
                     {"LambdaAction": {"FunctionArn": f"arn:aws:lambda:{region}:{acct}:function:parse-invoice",
                                       "InvocationType": "Event"}}], "ScanEnabled": True},
        {"Name": "staff-workmail", "Enabled": True, "TlsPolicy": "Optional", "Recipients": ["shop.example"],
         "Actions": [{"WorkmailAction": {"OrganizationArn":
                                         f"arn:aws:workmail:{region}:{acct}:organization/m-68755160c4cb4e29a2b2f8fb58f359d7"}}],
         "ScanEnabled": False},
        {"Name": "postmaster-sns", "Enabled": False, "TlsPolicy": "Optional", "Recipients": ["postmaster@mail.example"],
         "Actions": [{"SNSAction": {"TopicArn": topic, "Encoding": "Base64"}}], "ScanEnabled": False},
    ]
    legacy = ReceiptRuleSet("inbound-legacy")
    legacy.rules = [
        {"Name": "all-to-s3", "Enabled": True, "TlsPolicy": "Optional", "Recipients": [],
         "Actions": [{"S3Action": {"BucketName": "legacy-inbound", "TopicArn": topic}}], "ScanEnabled": False},
    ]
    for rs, age in ((main, 40), (legacy, 400)):
        rs.created_timestamp = datetime.datetime.fromtimestamp(now - age * 86400, datetime.timezone.utc).isoformat()
        b.receipt_rule_set[rs.name] = rs
    emu(region).receipt_filters.update({
        "office-allow": {"Policy": "Allow", "Cidr": "203.0.113.0/24"},
        "block-spammer": {"Policy": "Block", "Cidr": "198.51.100.23"},
        "block-botnet": {"Policy": "Block", "Cidr": "192.0.2.0/25"},
    })


def _demo_rates(days_ago, hour):
    """(bounce rate, complaint rate) of the demo's sends: a bad list import two days ago
    (8:00-20:00 UTC), a complaint spike six days ago (10:00-14:00)."""
    bounce_rate = 0.11 if days_ago == 2 and 8 <= hour < 20 else 0.012
    complaint_rate = 0.006 if days_ago == 6 and 10 <= hour < 14 else 0.0004
    return bounce_rate, complaint_rate


def _demo_statistics(rng, now, region):
    """14 days of 15-minute points ending now: a diurnal curve peaking early afternoon UTC,
    a bounce incident two days ago (over 5 % that day) and a complaint spike six days ago.
    Quiet night buckets are missing, as in SES. Each bucket's numbers come from its own
    Random(seed, region, bucket time), so a bucket always has the same values."""
    end = now - now % BUCKET
    today = end - end % 86400
    points = []
    for k in range(DAYS * 96, 0, -1):
        ts = end - k * BUCKET
        brng = random.Random(f"demo:{region}:{int(ts)}")
        hour = (ts % 86400) / 3600
        days_ago = int((today - (ts - ts % 86400)) // 86400)
        diurnal = max(0.0, 1.0 - abs(hour - 13) / 10)
        attempts = int(brng.gauss(180 * diurnal + 8, 12))
        if attempts <= 0:
            continue
        bounce_rate, complaint_rate = _demo_rates(days_ago, hour)
        bounces = sum(1 for _ in range(attempts) if brng.random() < bounce_rate)
        complaints = int(attempts * complaint_rate + brng.random())
        rejects = 1 if brng.random() < 0.01 else 0
        points.append({"Timestamp": float(ts), "DeliveryAttempts": attempts, "Bounces": bounces,
                       "Complaints": complaints, "Rejects": rejects})
    rng.shuffle(points)        # SES does not return them in time order
    return points


COUNT_METRICS = {"SEND": "Send", "BOUNCE": "Bounce", "COMPLAINT": "Complaint", "DELIVERY": "Delivery"}


def _seed_cloudwatch(region, points, dims=None, events=tuple(COUNT_METRICS), reputation=True):
    """Reputation.BounceRate / ComplaintRate (hourly, trailing 24 h) and the Send, Bounce,
    Complaint, Delivery counts, written into moto's own CloudWatch: the account's, or with
    `dims` a configuration set's (only the counts of `events`, Reputation.* if asked)."""
    from moto.cloudwatch.models import cloudwatch_backends
    cw = cloudwatch_backends[state.account()][region]
    ordered = sorted(points, key=lambda p: p["Timestamp"])
    data = []
    extra = {"Dimensions": dims} if dims else {}

    def ts(t):  # moto's CloudWatch compares naive UTC datetimes
        return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).replace(tzinfo=None)

    for p in ordered:
        for event, val in (("SEND", p["DeliveryAttempts"]), ("BOUNCE", p["Bounces"]),
                           ("COMPLAINT", p["Complaints"]), ("DELIVERY", p["DeliveryAttempts"] - p["Bounces"])):
            if event in events:
                data.append({"MetricName": COUNT_METRICS[event], "Value": float(val), "Unit": "Count",
                             "Timestamp": ts(p["Timestamp"]), **extra})
    if ordered and reputation:
        first = ordered[0]["Timestamp"]
        last = ordered[-1]["Timestamp"]
        t = first - first % 3600 + 3600
        j = 0
        window = []
        while t <= last + BUCKET:
            while j < len(ordered) and ordered[j]["Timestamp"] < t:
                window.append(ordered[j])
                j += 1
            window = [p for p in window if p["Timestamp"] >= t - 86400]
            sent = sum(p["DeliveryAttempts"] for p in window)
            if sent:
                data.append({"MetricName": "Reputation.BounceRate", "Unit": "None", "Timestamp": ts(t),
                             "Value": sum(p["Bounces"] for p in window) / sent, **extra})
                data.append({"MetricName": "Reputation.ComplaintRate", "Unit": "None", "Timestamp": ts(t),
                             "Value": sum(p["Complaints"] for p in window) / sent, **extra})
            t += 3600
    cw.put_metric_data("AWS/SES", data)


def _demo_suppression(rng, st, now):
    first = ["anna", "ben", "chen", "dana", "eli", "fatima", "gus", "hana", "ivan", "jo", "kim", "lea",
             "marco", "nina", "omar", "pia", "quinn", "raj", "sara", "tom"]
    domains = ["mail.example", "inbox.example", "corp.example", "isp.example", "webmail.example"]
    incident = now - now % 86400 - 2 * 86400 + 12 * 3600
    for i in range(200):
        if i < 60:      # the burst of hard bounces from one list import during the incident
            addr = f"import-{i:03d}.{rng.choice(first)}@{rng.choice(domains)}"
            reason, when = "BOUNCE", incident + rng.uniform(-4, 4) * 3600
        else:
            addr = f"{rng.choice(first)}.{rng.choice(first)}{rng.randrange(1000)}@{rng.choice(domains)}"
            reason = "COMPLAINT" if rng.random() < 0.2 else "BOUNCE"
            when = now - rng.uniform(0, 90) * 86400
        st.suppression[addr] = {"Reason": reason, "LastUpdateTime": round(when, 3),
                                "MessageId": f"0102018f{rng.getrandbits(64):016x}-{i:04d}-000000",
                                "FeedbackId": f"0102018f{rng.getrandbits(64):016x}-feedback-{i:04d}"}


# The demo's CloudTrail history (LookupEvents). Maria works in the SES console through IAM
# Identity Center; the console's own calls reach CloudTrail with userAgent "AWS Internal"
# (what the SES v2 console's events carry) and sessionCredentialFromConsole. Jens is an
# IAM user with the AWS CLI v2.
CONSOLE_UA = "AWS Internal"
CLI_UA = "aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/{command}"
BOTO3_UA = ("Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.6 "
            "md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.34.0")
TERRAFORM_UA = ("APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) terraform-provider-aws/5.31.0 "
                "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.24.0 os/linux "
                "lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64 api/sesv2#1.25.0")
SSO_ROLE = "AWSReservedSSO_AdministratorAccess_abc123"
DELETED_IDENTITY = "promo.shop.example"


def _demo_history(region, now):
    """Who changed what, newest last (each visible to LookupEvents at once: it is past):
    - 7 days ago: maria@example.com (console) pauses the `legacy-newsletter` set;
    - 5 days ago: jens (IAM user, AWS CLI) turns feedback forwarding off for billing.example;
    - 3 days ago: maria pauses the account's sending, 2 hours later resumes it;
    - 2 days ago: jens deletes the identity promo.shop.example (CLI), a minute later tries
      again: NotFoundException;
    - 26 hours ago: sesemu-admin (boto3) turns forwarding off for support.example;
    - 1 hour ago: the terraform-deploy role creates newbrand.example (still pending)."""
    import cloudtrail
    acct = state.account()
    role_arn = f"arn:aws:iam::{acct}:role/aws-reserved/sso.amazonaws.com/{region}/{SSO_ROLE}"
    maria_key = cloudtrail._id("ASIA", region, "maria")
    day = 86400
    login = now - 3 * day - 1200

    def maria(t):
        return cloudtrail.assumed_role_identity(role_arn, "maria@example.com", maria_key, login if t < now - 2 * day
                                                else t - 600, cloudtrail._id("AROA", role_arn))
    jens = cloudtrail.iam_user_identity("jens", cloudtrail._id("AKIA", "jens"))
    admin = cloudtrail.iam_user_identity(cloudtrail.TRAIL.user_name, "AKIDEXAMPLE")
    tf_arn = f"arn:aws:iam::{acct}:role/terraform-deploy"
    terraform = cloudtrail.assumed_role_identity(tf_arn, "1733300000000000000", cloudtrail._id("ASIA", region, "tf"),
                                                 now - 3700, cloudtrail._id("AROA", tf_arn))
    history = [
        (now - 7 * day, maria(now - 7 * day), "203.0.113.45", CONSOLE_UA, "PutConfigurationSetSendingOptions",
         {"configurationSetName": "legacy-newsletter", "sendingEnabled": False}, None),
        (now - 5 * day, jens, "198.51.100.7", CLI_UA.format(command="ses.set-identity-feedback-forwarding-enabled"),
         "SetIdentityFeedbackForwardingEnabled", {"identity": "billing.example", "forwardingEnabled": False}, None),
        (now - 3 * day, maria(now - 3 * day), "203.0.113.45", CONSOLE_UA, "PutAccountSendingAttributes",
         {"sendingEnabled": False}, None),
        (now - 3 * day + 7200, maria(now - 3 * day + 7200), "203.0.113.45", CONSOLE_UA,
         "PutAccountSendingAttributes", {"sendingEnabled": True}, None),
        (now - 2 * day, jens, "198.51.100.7", CLI_UA.format(command="sesv2.delete-email-identity"),
         "DeleteEmailIdentity", {"emailIdentity": DELETED_IDENTITY}, None),
        (now - 2 * day + 60, jens, "198.51.100.7", CLI_UA.format(command="sesv2.delete-email-identity"),
         "DeleteEmailIdentity", {"emailIdentity": DELETED_IDENTITY},
         ("NotFoundException", f"Email identity {DELETED_IDENTITY} does not exist.")),
        (now - 26 * 3600, admin, "192.0.2.44", BOTO3_UA, "PutEmailIdentityFeedbackAttributes",
         {"emailIdentity": "support.example", "emailForwardingEnabled": False}, None),
        (now - 3600, terraform, "34.250.12.9", TERRAFORM_UA, "CreateEmailIdentity",
         {"emailIdentity": "newbrand.example"}, None),
    ]
    for k, (t, who, ip, ua, name, params, error) in enumerate(history):
        t = int(t)
        digest = state._digest("trail", region, str(k)).hex()
        ev = {"eventVersion": "1.08", "userIdentity": who, "eventTime": cloudtrail.iso(t),
              "eventSource": "ses.amazonaws.com", "eventName": name, "awsRegion": region,
              "sourceIPAddress": ip, "userAgent": ua}
        if error:
            ev["errorCode"], ev["errorMessage"] = error
        ev.update({"requestParameters": params, "responseElements": None,
                   "requestID": f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}",
                   "eventID": f"{digest[32:40]}-{digest[40:44]}-4{digest[45:48]}-8{digest[49:52]}-{digest[52:64]}",
                   "readOnly": False, "eventType": "AwsApiCall", "managementEvent": True,
                   "recipientAccountId": acct, "eventCategory": "Management"})
        if ua == CONSOLE_UA:
            ev["sessionCredentialFromConsole"] = "true"
        cloudtrail.add(region, ev, t)


# The demo's tenants (SES tenants, one per customer of the shop's platform), in creation
# order: (name, days ago, plan tag, [(kind, resource)]). Shared resources are allowed: the
# configuration sets serve several tenants.
DEMO_TENANTS = [
    ("acme", 200, "enterprise", [("identity", "shop.example"), ("identity", "ops@shop.example"),
                                 ("configuration-set", "transactional")]),
    ("globex", 150, "business", [("identity", "marketing.example"), ("identity", "team@marketing.example"),
                                 ("configuration-set", "marketing")]),
    ("initech", 120, "business", [("identity", "notify.example"), ("identity", "noreply@notify.example"),
                                  ("configuration-set", "notifications")]),
    ("umbrella", 90, "starter", [("identity", "news.shop.example"), ("identity", "newsletter@news.shop.example"),
                                 ("configuration-set", "marketing")]),
    ("hooli", 60, "enterprise", [("identity", "billing.example"), ("identity", "billing@billing.example"),
                                 ("configuration-set", "notifications"), ("configuration-set", "transactional")]),
    ("wayne", 30, "starter", [("identity", "support.example"), ("identity", "bob@support.example"),
                              ("configuration-set", "notifications")]),
]
UMBRELLA_CAUSE = "High bounce rate: reputation finding BOUNCE (HIGH)"
HOOLI_CAUSE = "incident INC-4711: complaint spike"


def _demo_tenants(region, now):
    """Six tenants: acme, globex, initech healthy; umbrella paused by AWS two days ago (the
    bounce incident; an OPEN HIGH BOUNCE finding on its ARN); hooli paused by the operator
    six days ago (the complaint spike); wayne reinstated by the operator yesterday despite an
    OPEN LOW COMPLAINT finding. Plus the advisor's findings on the account's domains: DKIM
    (old.example, signing off), DMARC (accounts.example, no record), SPF (billing.example's
    MAIL FROM), all OPEN, and a FIXED DMARC one for shop.example (published since)."""
    import tenants
    day = 86400
    made = {}
    for name, age, plan, resources in DEMO_TENANTS:
        created = now - age * day
        made[name] = tenants.seed_tenant(region, name, created,
                                         [(kind, res, created + 3600 * (k + 1)) for k, (kind, res) in
                                          enumerate(resources)])
        made[name]["tags"] = [{"Key": "plan", "Value": plan}]
    tenants.set_aws_status(region, "umbrella", "DISABLED", UMBRELLA_CAUSE, now=now - 2 * day + 1800)
    made["hooli"]["customer"] = {"Status": "DISABLED", "Cause": HOOLI_CAUSE, "LastUpdatedTimestamp": now - 6 * day}
    made["wayne"]["customer"] = {"Status": "REINSTATED", "LastUpdatedTimestamp": now - day}

    def ident(name):
        return tenants.resource_arn(region, "identity", name)

    findings = [   # (resource ARN, type, impact, description, status, created, updated)
        (ident("shop.example"), "DMARC", "LOW", "No DMARC record found at _dmarc.shop.example.", "FIXED",
         now - 45 * day, now - 12 * day),
        (ident("old.example"), "DKIM", "HIGH", "DKIM signing is disabled for old.example: mail is not signed.",
         "OPEN", now - 20 * day, now - 20 * day),
        (ident("accounts.example"), "DMARC", "HIGH", "No DMARC record found at _dmarc.accounts.example.",
         "OPEN", now - 14 * day, now - 14 * day),
        (ident("billing.example"), "SPF", "LOW",
         "The MAIL FROM domain bounce.billing.example has no SPF record including amazonses.com.",
         "OPEN", now - 10 * day, now - 10 * day),
        (made["wayne"]["arn"], "COMPLAINT", "LOW", "Complaint rate 0.08% over the last 7 days (tenant wayne).",
         "OPEN", now - 3 * day, now - 3 * day),
        (made["umbrella"]["arn"], "BOUNCE", "HIGH", "Bounce rate 11.8% over the last 24 hours (tenant umbrella).",
         "OPEN", now - 2 * day, now - 2 * day),
    ]
    for arn, rtype, level, text, status, created, updated in findings:
        rec = tenants.add_recommendation(region, arn, rtype, level, text, status, now=created)
        rec["LastUpdatedTimestamp"] = updated


def _demo_mailmanager(st, region, now):
    st.mailmanager = {
        "RuleSets": [{"RuleSetId": "rs-0a1b2c3d4e5f", "RuleSetName": "journaling",
                      "LastModificationDate": now - 5 * 86400},
                     {"RuleSetId": "rs-1b2c3d4e5f6a", "RuleSetName": "inbound-filtering",
                      "LastModificationDate": now - 20 * 86400}],
        "TrafficPolicies": [{"TrafficPolicyName": "allow-partners", "TrafficPolicyId": "tp-0a1b2c3d4e5f",
                             "DefaultAction": "DENY"},
                            {"TrafficPolicyName": "open-relay-guard", "TrafficPolicyId": "tp-1b2c3d4e5f6a",
                             "DefaultAction": "ALLOW"}],
        "IngressPoints": [{"IngressPointName": "journal-in", "IngressPointId": "inp-0a1b2c3d4e5f",
                           "Status": "ACTIVE", "Type": "OPEN", "ARecord": f"inp-0a1b2c3d4e5f.mail-manager-smtp.{region}.amazonaws.com"},
                          {"IngressPointName": "partner-auth", "IngressPointId": "inp-1b2c3d4e5f6a",
                           "Status": "PROVISIONING", "Type": "AUTH"}],
        "Archives": [{"ArchiveId": "a-0a1b2c3d4e5f", "ArchiveName": "journal-7y", "ArchiveState": "ACTIVE",
                      "LastUpdatedTimestamp": now - 86400},
                     {"ArchiveId": "a-1b2c3d4e5f6a", "ArchiveName": "old-archive", "ArchiveState": "PENDING_DELETION",
                      "LastUpdatedTimestamp": now - 40 * 86400}],
    }


# ---- bulk ------------------------------------------------------------------------------

def bulk(region, n, now):
    """n identities with details, straight into moto's backend (10,000 take about a second)."""
    st = emu(region)
    b = backend(region)
    _production(st)
    b.config_sets["bulk"] = ConfigurationSet(configuration_set_name="bulk", sending_options={"SendingEnabled": True})
    statuses = ["SUCCESS"] * 16 + ["PENDING", "PENDING", "FAILED", "TEMPORARY_FAILURE"]
    for i in range(n):
        status = statuses[(i * 7919) % len(statuses)]
        if i % 4 == 3:
            name = f"user{i:06d}@d{i - 3:06d}.bulk.example"
            new_identity(region, name, status=status, now=now - i)
        else:
            name = f"d{i:06d}.bulk.example"
            new_identity(region, name, status=status, now=now - i, config_set="bulk" if i % 3 == 0 else None,
                         tags=[{"Key": "shard", "Value": str(i % 16)}] if i % 5 == 0 else None)
            if i % 10 == 0:
                b.identity_mail_from_domains[name] = {"mail_from_domain": f"bounce.{name}", "status": status
                                                      if status != "TEMPORARY_FAILURE" else "PENDING",
                                                      "behavior_on_mx_failure": "UseDefaultValue"}


# ---- streams ---------------------------------------------------------------------------

def streams(region, n, now):
    """n configuration sets `stream-0000`... for benchmarks: each with reputation metrics
    on, TLS alternating REQUIRE/OPTIONAL, three enabled destinations (SNS, CloudWatch with
    ses:configuration-set, EventBridge) and 24 hourly Reputation.* points; 20 verified
    domains whose default sets are the first streams."""
    st = emu(region)
    _production(st)
    acct = state.account()
    hour = now - now % 3600
    data = []
    for i in range(n):
        name = f"stream-{i:04d}"
        cs = configsets.create(region, name, {
            "ReputationOptions": {"ReputationMetricsEnabled": True},
            "DeliveryOptions": {"TlsPolicy": "REQUIRE" if i % 2 == 0 else "OPTIONAL"}}, now=now - i)
        dests = configsets.destinations(cs)     # written directly: 3 x 10,000 validations add up
        dests["sns"] = {"Name": "sns", "Enabled": True, "MatchingEventTypes": ["BOUNCE", "COMPLAINT"],
                        "SnsDestination": {"TopicArn": f"arn:aws:sns:{region}:{acct}:{name}-feedback"}}
        dests["metrics-cw"] = dict(_cw_destination(list(COUNT_METRICS), name), Name="metrics-cw")
        dests["events-eb"] = {"Name": "events-eb", "Enabled": True,
                              "MatchingEventTypes": ["BOUNCE", "COMPLAINT", "DELIVERY", "OPEN", "CLICK"],
                              "EventBridgeDestination": {
                                  "EventBusArn": f"arn:aws:events:{region}:{acct}:event-bus/default"}}
        digest = state._digest("streams", region, name)
        bounce, complaint = digest[0] % 40 / 1000, digest[1] % 10 / 10000
        dims = [{"Name": configsets.SET_DIMENSION, "Value": name}]
        for h in range(24):
            t = datetime.datetime.fromtimestamp(hour - h * 3600, datetime.timezone.utc).replace(tzinfo=None)
            wobble = (digest[2 + h] % 11 - 5) / 10000
            data.append({"MetricName": "Reputation.BounceRate", "Unit": "None", "Timestamp": t,
                         "Value": max(0.0, bounce + wobble), "Dimensions": dims})
            data.append({"MetricName": "Reputation.ComplaintRate", "Unit": "None", "Timestamp": t,
                         "Value": max(0.0, complaint + wobble / 10), "Dimensions": dims})
    if data:
        from moto.cloudwatch.models import cloudwatch_backends
        cloudwatch_backends[state.account()][region].put_metric_data("AWS/SES", data)
    for i in range(20):
        new_identity(region, f"s{i:02d}.streams.example", status="SUCCESS", now=now - 86400,
                     config_set=f"stream-{i % n:04d}" if n else None)


# ---- DMARC aggregate reports (issue 17) ----

DMARC_BUCKET = "shop-dmarc-reports"
DMARC_PREFIX = "dmarc/"
DMARC_DAYS = 14
# (submitter domain, org_name, sender, attachment)
DMARC_RECEIVERS = (("google.com", "google.com", "noreply-dmarc-support@google.com", "zip"),
                   ("enterprise.protection.outlook.com", "Enterprise Outlook", "dmarcreport@microsoft.com", "gz"),
                   ("yahoo.com", "Yahoo", "noreply@dmarc.yahoo.com", "gz"))


def _dmarc_gen():
    import importlib
    import os
    import sys
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "dmarc")
    if here not in sys.path:
        sys.path.insert(0, here)
    return importlib.import_module("gen")


def dmarc_records(region, domain, day, receiver):
    """The demo's story per domain, for one receiver's report of one day:
      shop.example      SES aligned (Easy DKIM), a newsletter vendor signing as itself (not
                        aligned: not ready), a few spoofers;
      accounts.example  SES aligned only: ready for p=quarantine/reject;
      old.example       SES with DKIM signing off: signed as amazonses.com, SPF on SES's
                        MAIL FROM: nothing aligns."""
    g = _dmarc_gen()
    rng = random.Random(f"dmarc:{region}:{domain}:{day}:{receiver}")
    sel = dkim_tokens(region, domain)[0]
    ses_spf = (f"{region}.amazonses.com", "pass")
    ses_ip = f"54.240.{rng.randint(0, 7)}.{rng.randint(1, 254)}"
    recs = []
    if domain == "shop.example":
        recs.append(g.record(ses_ip, rng.randint(800, 1200), domain, dkims=[(domain, sel, "pass"),
                             ("amazonses.com", "224i4yxa5dv7c2xz3womw6peuasteono", "pass")],
                             spf=("bounce.shop.example", "pass")))
        recs.append(g.record("198.51.100.44", rng.randint(30, 60), domain,
                             dkim=("em.mailvendor.example", "s1", "pass"),
                             spf=("bounces.mailvendor.example", "pass")))
        if rng.random() < 0.6:
            recs.append(g.record(f"203.0.113.{rng.randint(1, 254)}", rng.randint(1, 9), domain,
                                 spf=(domain, "softfail"), disposition="none"))
    elif domain == "accounts.example":
        recs.append(g.record(ses_ip, rng.randint(200, 400), domain, dkims=[(domain, sel, "pass"),
                             ("amazonses.com", "224i4yxa5dv7c2xz3womw6peuasteono", "pass")],
                             spf=ses_spf))
    elif domain == "old.example":
        recs.append(g.record(ses_ip, rng.randint(20, 50), domain,
                             dkim=("amazonses.com", "224i4yxa5dv7c2xz3womw6peuasteono", "pass"),
                             spf=ses_spf))
    return recs


def dmarc_objects(region, now, days=DMARC_DAYS):
    """{key: raw MIME bytes}: one message per receiver, domain and day, as SES's S3 action
    stores them (the key is the prefix and the message id)."""
    g = _dmarc_gen()
    today = int(now) - int(now) % 86400
    out = {}
    for d in range(days, 0, -1):
        begin = today - d * 86400
        for domain in ("shop.example", "accounts.example", "old.example"):
            for org, org_name, sender, kind in DMARC_RECEIVERS:
                rid = f"{org}-{domain}-{begin}"
                xml = g.report_xml(org_name, rid, domain, begin,
                                   begin + 86399, dmarc_records(region, domain, begin, org),
                                   policy={"adkim": "r", "aspf": "r", "p": "none", "pct": 100},
                                   email=sender)
                name = g.report_name(org, domain, begin, begin + 86399, ".zip" if kind == "zip" else ".xml.gz")
                att = (name, "application/zip", g.zip_bytes(name[:-4] + ".xml", xml)) if kind == "zip" else \
                    (name, "application/gzip", g.gzip_bytes(xml))
                msg = g.mime_message([att], sender=sender, to="dmarc@reports.shop.example",
                                     subject=f"Report Domain: {domain} Submitter: {org} Report-ID: {rid}",
                                     date=datetime.datetime.fromtimestamp(begin + 86400 + 3600, datetime.timezone.utc))
                key = DMARC_PREFIX + base64.b32encode(_digest_key(rid)).decode().lower().rstrip("=")
                out[key] = msg
    return out


def _digest_key(s):
    import hashlib
    return hashlib.sha256(s.encode()).digest()[:20]


def _demo_dmarc(region, now):
    """A bucket of DMARC reports as an SES receipt rule would have stored them (no rule: the
    demo's rule sets stay as they are; `sesctl dmarc setup` adds one)."""
    from moto.s3.models import s3_backends
    s3 = s3_backends[state.account()]["aws"]
    if DMARC_BUCKET not in s3.buckets:
        s3.create_bucket(DMARC_BUCKET, region)
    for key, body in dmarc_objects(region, now).items():
        s3.put_object(DMARC_BUCKET, key, body)
