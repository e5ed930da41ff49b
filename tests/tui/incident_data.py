"""Fixed data for the Reputation, Account and Log panes' screen tests: a cache written with
sqlite3 (no network), the same every run, so the screens compare as text.

Two weeks of 15-minute send statistics ending at END (a fixed UTC midnight): a diurnal
curve, a bounce incident two days before the last day (11 % from 08:00 to 20:00, over the
5 % review and the 10 % pause lines) and a complaint spike six days before it (0.6 %).
"""

import json
import random
import sqlite3
import time

from tuitest import ACCOUNT, REGION

END = 1795478400          # 2026-11-24 00:00:00Z: the last point is 23:45 the day before
BUCKET = 900
DAYS = 14
INCIDENT_DAY = END - 3 * 86400   # 2026-11-21
SPIKE_DAY = END - 7 * 86400      # 2026-11-17


def send_points():
    """[(ts, attempts, bounces, complaints, rejects)], oldest first; quiet buckets missing."""
    rng = random.Random("sesctl-tui-reputation")
    out = []
    for k in range(DAYS * 96, 0, -1):
        ts = END - k * BUCKET
        hour = (ts % 86400) / 3600
        day = ts - ts % 86400
        attempts = int(rng.gauss(180 * max(0.0, 1.0 - abs(hour - 13) / 10) + 8, 10))
        if attempts <= 0:
            continue
        bounce = 0.11 if day == INCIDENT_DAY and 8 <= hour < 20 else 0.012
        complaint = 0.006 if day == SPIKE_DAY and 10 <= hour < 14 else 0.0004
        bounces = sum(1 for _ in range(attempts) if rng.random() < bounce)
        complaints = int(attempts * complaint + rng.random())
        rejects = 1 if rng.random() < 0.01 else 0
        out.append((ts, attempts, bounces, complaints, rejects))
    return out


ACCOUNT_STATE = {"sending_enabled": True, "production_access": True,
                 "enforcement_status": "HEALTHY", "max_24h_send": 50000, "max_send_rate": 14,
                 "sent_last_24h": 12500, "suppressed_reasons": ["BOUNCE", "COMPLAINT"]}

# event destinations as the cache keeps them: events is a bit set in SES's order (SEND 1,
# REJECT 2, BOUNCE 4, COMPLAINT 8, DELIVERY 16, OPEN 32, CLICK 64 ...), kind 1 SNS,
# 2 CloudWatch, 3 Firehose, 4 EventBridge, 5 Pinpoint
SNS = {"name": "bounces-sns", "enabled": True, "events": 4 | 8, "kind": 1,
       "arn": "arn:aws:sns:eu-west-1:123456789012:ses-bounces"}
CW = {"name": "metrics-cw", "enabled": True, "events": 1 | 4 | 8 | 16, "kind": 2,
      "dims": [{"name": "ses:configuration-set", "source": "MESSAGE_TAG", "default": "none"}]}
EB = {"name": "clicks-eb", "enabled": True, "events": 32 | 64, "kind": 4,
      "arn": "arn:aws:events:eu-west-1:123456789012:event-bus/default"}

CONFIG_SETS = [
    ("default", {"sending_enabled": True, "reputation_metrics_enabled": False,
                 "tls_policy": "OPTIONAL", "dests_known": True, "dests": []}),
    ("marketing", {"sending_enabled": False, "reputation_metrics_enabled": True,
                   "tls_policy": "OPTIONAL", "dests_known": True, "dests": [EB, CW],
                   "tracking_domain": "click.marketing.example", "https_policy": "REQUIRE"}),
    ("transactional", {"sending_enabled": True, "reputation_metrics_enabled": True,
                       "tls_policy": "REQUIRE", "sending_pool": "ded-pool-1", "dests_known": True,
                       "dests": [SNS, CW], "max_delivery_seconds": 3600,
                       "suppression_set": True, "suppressed_reasons": ["BOUNCE", "COMPLAINT"]}),
    ("zz-evil\x1b[2J", {"sending_enabled": True}),  # sanitized wherever it is drawn
]


def stream_series():
    """Each set's hourly Reputation.* (the trailing 24 h ratio, as SES computes it) from a
    split of the account's points: marketing sends 35 % and carries 90 % of the incident's
    bounces, transactional 55 %, default the rest (no reputation metrics, no series).
    {metric key: [(ts, value)]} with keys "cs:SET:METRIC"."""
    parts = {"marketing": [], "transactional": []}
    for ts, attempts, bounces, complaints, _ in send_points():
        day, hour = ts - ts % 86400, (ts % 86400) / 3600
        incident = day == INCIDENT_DAY and 8 <= hour < 20
        m_att, t_att = attempts * 35 // 100, attempts * 55 // 100
        m_b = bounces * 9 // 10 if incident else bounces * 35 // 100
        t_b = bounces - m_b if incident else bounces * 55 // 100
        parts["marketing"].append((ts, m_att, m_b, complaints * 35 // 100))
        parts["transactional"].append((ts, t_att, t_b, complaints * 55 // 100))
    out = {}
    for name, pts in parts.items():
        for metric, col in (("Reputation.BounceRate", 2), ("Reputation.ComplaintRate", 3)):
            series = []
            for t in range(END - DAYS * 86400 + 86400, END + 1, 3600):
                window = [p for p in pts if t - 86400 <= p[0] < t]
                sent = sum(p[1] for p in window)
                if sent:
                    series.append((t, sum(p[col] for p in window) / sent))
            out[f"cs:{name}:{metric}"] = series
    return out


def suppressed():
    """A burst of 12 hard bounces from one list import on the incident day, and older ones."""
    out = []
    for i in range(12):
        out.append((f"import-{i:03d}@list.example", "BOUNCE", INCIDENT_DAY + 9 * 3600 + i * 600))
    for i, name in enumerate(["anna", "ben", "chen", "dana", "eli", "fatima"]):
        out.append((f"{name}@mail.example", "COMPLAINT" if i % 3 == 0 else "BOUNCE",
                    END - (20 + i * 5) * 86400))
    out.append(("evil\x1b[2J@x.example", "BOUNCE", END - 40 * 86400))  # sanitized when drawn
    return out


AUDIT = [
    # time, user, verb words, reason, result, status, action (1 pause, 2 resume)
    (INCIDENT_DAY + 9 * 3600 + 900, "alice", ["sending", "pause", "--reason", "INC-4711 bounce spike"],
     "INC-4711 bounce spike", "ok", "OK", 1),
    (INCIDENT_DAY + 10 * 3600, "bob", ["suppression", "remove", "anna@mail.example"], None,
     "refused", "REFUSED", 0),
    (INCIDENT_DAY + 22 * 3600, "alice", ["sending", "resume", "--reason", "list import reverted"],
     "list import reverted", "ok", "OK", 2),
]

ARN = "arn:aws:sts::123456789012:assumed-role"
SESCTL_UA = "sesctl/0.1.0 ua/2.1 os/linux#6.1.0 lang/c md/curl#7.88.1"
# The account's CloudTrail history as the cache keeps it (store/history.c): the two sesctl
# changes above as CloudTrail saw them (one row each with the local record: "both"), a
# configuration set paused in the console by someone else, an identity deleted with the AWS
# CLI, a failed attempt with boto3.
HISTORY = [
    # event id, time, name, principal, who, arn, role, tool, tool version, reason, op,
    # resource kind, resource, sending, user agent, error
    ("ev-1", INCIDENT_DAY + 9 * 3600 + 930, "PutAccountSendingAttributes", "role", "alice",
     f"{ARN}/OpsRole/alice", "OpsRole", "sesctl", "sesctl/0.1.0", "INC-4711 bounce spike", "pause",
     "account", None, 0, SESCTL_UA + " (reason: INC-4711 bounce spike)", None),
    ("ev-2", INCIDENT_DAY + 22 * 3600 + 40, "PutAccountSendingAttributes", "role", "alice",
     f"{ARN}/OpsRole/alice", "OpsRole", "sesctl", "sesctl/0.1.0", "list import reverted", "resume",
     "account", None, 1, SESCTL_UA + " (reason: list import reverted)", None),
    ("ev-3", INCIDENT_DAY - 17 * 3600, "PutConfigurationSetSendingOptions", "role",
     "maria@example.com", f"{ARN}/AWSReservedSSO_Admin_0a1b/maria@example.com",
     "AWSReservedSSO_Admin_0a1b", "console", None, None, "pause", "config-set", "marketing", 0,
     "AWS Internal", None),
    ("ev-4", INCIDENT_DAY - 2 * 86400 + 11 * 3600, "DeleteEmailIdentity", "user", "deploy-bot",
     "arn:aws:iam::123456789012:user/deploy-bot", None, "aws-cli", "aws-cli/2.15.0", None,
     "delete", "identity", "old-brand.example", -1,
     "aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0 exe/x86_64.debian.12 prompt/off", None),
    ("ev-5", INCIDENT_DAY + 12 * 3600, "PutSuppressedDestination", "user", "bob",
     "arn:aws:iam::123456789012:user/bob", None, "sdk", "Boto3/1.34.0", None, "change",
     "suppression", "anna@mail.example", -1, "Boto3/1.34.0 md/Botocore#1.34.0", "AccessDenied"),
]

CALLS = [
    # time offset from END, operation, service, http, status, error code, request id, ms, retries
    (-3600, "GetAccount", "sesv2", 200, "OK", None, "0f290209-aaaa-4c4c-9fab-81949e7e7708", 41, 0),
    (-3500, "GetSendStatistics", "ses", 200, "OK", None, "1c434921-bbbb-4c4c-9fab-81949e7e7708", 95, 0),
    (-3400, "ListSuppressedDestinations", "sesv2", 429, "THROTTLED", "TooManyRequestsException",
     "f97b3282-cccc-4c4c-9fab-81949e7e7708", 1210, 3),
    (-3300, "GetMetricData", "monitoring", 0, "NETWORK", None, None, 30000, 2),
]


def seed(path, *, stats=True, account=True, lists=True, log=True, streams=True, history=True,
         paused=False, age=6 * 3600 + 1800):
    """Write the data into the cache at path (created by sesctl before). paused: the account
    state says sending is off (the history then explains it or not)."""
    fetched = int(time.time()) - age
    db = sqlite3.connect(path)
    with db:
        db.execute("INSERT OR REPLACE INTO accounts(account_id, region, profile, last_used)"
                   " VALUES (?,?,?,?)", (ACCOUNT, REGION, "default", fetched))
        kinds = []
        if stats:
            db.executemany("INSERT INTO send_points VALUES (?,?,?,?,?,?,?)",
                           [(ACCOUNT, REGION, *p) for p in send_points()])
            for metric, value in (("Reputation.BounceRate", 0.0123), ("Reputation.ComplaintRate", 0.0004)):
                db.execute("INSERT INTO metric_points VALUES (?,?,?,?,?)",
                           (ACCOUNT, REGION, metric, END - 3600, value))
            kinds += ["send-statistics", "metrics"]
        if account:
            state = dict(ACCOUNT_STATE, sending_enabled=not paused)
            db.execute("INSERT OR REPLACE INTO account_state(account_id, region, fetched, data)"
                       " VALUES (?,?,?,?)", (ACCOUNT, REGION, fetched, json.dumps(state)))
            kinds.append("account")
        if lists:
            db.executemany("INSERT INTO suppressed(account_id, region, email, reason, last_update)"
                           " VALUES (?,?,?,?,?)", [(ACCOUNT, REGION, *s) for s in suppressed()])
            db.executemany("INSERT INTO config_sets(account_id, region, name, fetched, data)"
                           " VALUES (?,?,?,?,?)",
                           [(ACCOUNT, REGION, n, fetched, json.dumps(d)) for n, d in CONFIG_SETS])
            kinds += ["suppression", "config-sets"]
        if lists and streams:
            for key, series in stream_series().items():
                db.executemany("INSERT INTO metric_points VALUES (?,?,?,?,?)",
                               [(ACCOUNT, REGION, key, t, v) for t, v in series])
        if log:
            for t, user, words, reason, result, status, action in AUDIT:
                argv = ["sesctl", *words]
                cmd = " ".join(w if " " not in w else f"'{w}'" for w in argv)
                verb = " ".join(words[:2])
                db.execute("INSERT INTO audit(time, os_user, host, profile, region, account_id,"
                           " argv_json, command, verb, result, status, reason, action)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           (t, user, "ops-1", "default", REGION, ACCOUNT, json.dumps(argv), cmd,
                            verb, result, status, reason, action))
            for off, op, svc, http, status, code, rid, ms, retries in CALLS:
                db.execute("INSERT INTO api_calls(time, operation, service, region, http_status,"
                           " status, error_code, request_id, latency_ms, retries)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?)",
                           (END + off, op, svc, REGION, http, status, code, rid, ms, retries))
        if history:
            for (eid, t, name, principal, who, arn, role, tool, ver, reason, op, kind, res,
                 sending, ua, error) in HISTORY:
                db.execute("INSERT INTO history(account_id, region, event_id, time, name, source,"
                           " principal, who, who_arn, role, source_ip, user_agent, tool,"
                           " tool_version, reason, op, resource_kind, resource, sending,"
                           " error_code, event_region)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           (ACCOUNT, REGION, eid, t, name, "ses.amazonaws.com", principal, who,
                            arn, role, "203.0.113.7", ua, tool, ver, reason, op, kind, res,
                            sending, error, REGION))
            kinds.append("history")
        for k in kinds:
            db.execute("INSERT OR REPLACE INTO sync_state(account_id, region, kind, fetched)"
                       " VALUES (?,?,?,?)", (ACCOUNT, REGION, k, fetched))
    db.close()
