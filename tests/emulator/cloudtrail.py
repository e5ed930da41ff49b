"""CloudTrail management events: what the emulator records for every mutating call it
serves, and LookupEvents (JSON 1.1, family "ct") to read them back, as CloudTrail's Event
history does (moto has no LookupEvents).

Where things live:
- per region, on EmuState (so moto's reset wipes them and the seed puts its own back):
  `cloudtrail` = [record], record = {"event": CloudTrail event dict, "recorded": epoch,
  "seq": n, "resources": [{"ResourceType", "ResourceName"}]};
- process-wide, in TRAIL: the delivery delay, the IAM user name of the emulator's own
  keys, and what each STS-issued access key stands for (role ARN, session name).

What is recorded (see README.md): SES v1/v2 and Mail Manager, SNS, SQS, S3 bucket-level
calls and STS credential calls, once the signature is good; reads (Get*, List*,
Describe*, ...) and data events (sends, SNS Publish, SQS messages, S3 objects) are not.
STS AssumeRole / GetSessionToken are recorded with readOnly true, as CloudTrail does.
"""

import base64
import datetime
import hashlib
import json
import re
import threading
import time
import uuid

import common
import state
from common import ApiError, registrar

HANDLERS = {}
handler = registrar(HANDLERS)

TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."
LOOKUP_KEYS = ("EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName",
               "EventSource", "AccessKeyId")
HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"
RETENTION = 90 * 86400         # LookupEvents' default StartTime: CloudTrail keeps 90 days
MAX_EVENTS = 100000
READ_PREFIXES = ("Get", "List", "Describe", "Head", "BatchGet", "Lookup", "Check", "Test")
STS_RECORDED = ("AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML", "GetSessionToken",
                "GetFederationToken")
DATA_EVENTS = {
    "ses": {"SendEmail", "SendRawEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail", "SendBulkEmail",
            "SendCustomVerificationEmail", "SendBounce"},
    "sns": {"Publish", "PublishBatch"},
    "sqs": {"SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch",
            "ChangeMessageVisibility", "ChangeMessageVisibilityBatch"},
}


class Trail:
    def __init__(self):
        self.lock = threading.RLock()
        self.delay = 3.0
        self.user_name = "sesemu-admin"
        self.sessions = {}          # STS access key -> {"role_arn", "session", "role_id", "created", "kind"}
        self.seq = 0

    def next_seq(self):
        with self.lock:
            self.seq += 1
            return self.seq


TRAIL = Trail()


# ---- storage ------------------------------------------------------------------------------

def records(region):
    st = state.emu(region)
    return st.__dict__.setdefault("cloudtrail", [])


def iso(ts):
    return datetime.datetime.fromtimestamp(int(ts), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value):
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        pass
    dt = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


def _id(prefix, *parts):
    digest = hashlib.sha256("\0".join(parts).encode()).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return prefix + "".join(alphabet[b % 32] for b in digest[:17])


def iam_user_identity(name, access_key, account=None):
    account = account or state.account()
    return {"type": "IAMUser", "principalId": _id("AIDA", account, name),
            "arn": f"arn:aws:iam::{account}:user/{name}", "accountId": account,
            "accessKeyId": access_key, "userName": name}


def assumed_role_identity(role_arn, session, access_key, created, role_id=None, account=None):
    account = account or state.account()
    role = role_arn.rsplit("/", 1)[-1]
    role_account = role_arn.split(":")[4] if role_arn.count(":") >= 5 and role_arn.split(":")[4] else account
    role_id = role_id or _id("AROA", role_arn)
    return {"type": "AssumedRole", "principalId": f"{role_id}:{session}",
            "arn": f"arn:aws:sts::{role_account}:assumed-role/{role}/{session}", "accountId": role_account,
            "accessKeyId": access_key,
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": role_id, "arn": role_arn,
                                                 "accountId": role_account, "userName": role},
                               "attributes": {"creationDate": iso(created), "mfaAuthenticated": "false"}}}


def identity_for(access_key):
    s = TRAIL.sessions.get(access_key)
    if s and s["kind"] == "role":
        return assumed_role_identity(s["role_arn"], s["session"], access_key, s["created"], s["role_id"])
    ident = iam_user_identity(TRAIL.user_name, access_key)
    if s:       # GetSessionToken: the user's own temporary keys
        ident["sessionContext"] = {"attributes": {"creationDate": iso(s["created"]), "mfaAuthenticated": "false"}}
    return ident


def username_of(event):
    ident = event.get("userIdentity") or {}
    if ident.get("type") == "AssumedRole":
        return (ident.get("arn") or "").rsplit("/", 1)[-1] or None
    if ident.get("type") == "Root":
        return "root"
    return ident.get("userName") or ident.get("invokedBy")


def learn_sts(form, out, now=None):
    """Remembers who the keys handed out by STS stand for (called with the request's form
    and moto's XML reply)."""
    akid = re.search(rb"<AccessKeyId>([^<]+)</AccessKeyId>", out)
    if not akid:
        return
    action = form.get("Action", "")
    now = time.time() if now is None else now
    entry = {"kind": "user", "created": now, "role_arn": None, "session": None, "role_id": None}
    if action.startswith("AssumeRole") and form.get("RoleArn"):
        role_id = re.search(rb"<AssumedRoleId>([^<:]+):", out)
        entry.update(kind="role", role_arn=form["RoleArn"], session=form.get("RoleSessionName", ""),
                     role_id=role_id.group(1).decode() if role_id else None)
    with TRAIL.lock:
        TRAIL.sessions[akid.group(1).decode()] = entry


# ---- requestParameters ----------------------------------------------------------------------

def _camel(name):
    return name[:1].lower() + name[1:]


def _typed(shape, text):
    t = shape.type_name if shape is not None else "string"
    if t == "boolean":
        return str(text).lower() == "true"
    if t in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            return text
    if t in ("float", "double"):
        try:
            return float(text)
        except ValueError:
            return text
    return text


def from_json(shape, value):
    """A JSON input walked with its botocore shape: structure members camelCased, map keys
    as sent, sensitive values hidden."""
    if shape is not None and shape.metadata.get("sensitive"):
        return HIDDEN
    if isinstance(value, dict):
        if shape is not None and shape.type_name == "map":
            return {k: from_json(shape.value, v) for k, v in value.items()}
        members = shape.members if shape is not None and shape.type_name == "structure" else {}
        return {_camel(k): from_json(members.get(k), v) for k, v in value.items()}
    if isinstance(value, list):
        member = shape.member if shape is not None and shape.type_name == "list" else None
        return [from_json(member, v) for v in value]
    return value


def from_query(shape, form, prefix):
    """A Query-protocol input (Name.member.N, Name.entry.N.key, Name.Member) walked with its
    botocore shape into CloudTrail's form."""
    out = {}
    for name, member in shape.members.items():
        key = prefix + member.serialization.get("name", name)
        value = _query_value(member, form, key)
        if value is not None:
            out[_camel(name)] = value
    return out


def _query_value(shape, form, key):
    if shape.metadata.get("sensitive") and (key in form or any(k.startswith(key + ".") for k in form)):
        return HIDDEN
    t = shape.type_name
    if t == "structure":
        if not any(k.startswith(key + ".") for k in form):
            return None
        return from_query(shape, form, key + ".")
    if t == "list":
        flat = shape.serialization.get("flattened")
        item = key if flat else key + "." + shape.member.serialization.get("name", "member")
        values, i = [], 1
        while True:
            v = _query_value(shape.member, form, f"{item}.{i}")
            if v is None:
                break
            values.append(v)
            i += 1
        if not values and key in form:       # an empty list is sent as "Name="
            return []
        return values or None
    if t == "map":
        flat = shape.serialization.get("flattened")
        base = key if flat else key + ".entry"
        kname = shape.key.serialization.get("name", "key")
        vname = shape.value.serialization.get("name", "value")
        out, i = {}, 1
        while f"{base}.{i}.{kname}" in form:
            out[form[f"{base}.{i}.{kname}"]] = _query_value(shape.value, form, f"{base}.{i}.{vname}")
            i += 1
        return out or None
    if key not in form:
        return None
    return _typed(shape, form[key])


def rest_input(model_name, op, req):
    """A REST-JSON input (SESv2): path, query string, headers and body by the model."""
    shape = common.service_model(model_name).operation_model(op).input_shape
    try:
        body = json.loads(req.body) if req.body else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if shape is None:
        return {}
    out = {}
    for name, member in shape.members.items():
        loc = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if loc == "uri":
            if wire in req.path_params:
                out[_camel(name)] = _typed(member, req.path_params[wire])
        elif loc == "querystring":
            if wire in req.query:
                vals = req.query[wire]
                out[_camel(name)] = ([_typed(member.member, v) for v in vals] if member.type_name == "list"
                                     else _typed(member, vals[-1]))
        elif loc == "header":
            v = req.header(wire)
            if v is not None:
                out[_camel(name)] = _typed(member, v)
        elif name in body:
            out[_camel(name)] = from_json(member, body[name])
    return out


# ---- what a request is --------------------------------------------------------------------------

def describe(req):
    """(event source, operation, model name, protocol) of a request worth recording, or None."""
    fam, svc = req.family, req.service
    if fam == "v2" and req.op:
        return "ses.amazonaws.com", req.op, "sesv2", "rest"
    if fam == "v1" and req.op:
        return "ses.amazonaws.com", req.op, "ses", "query"
    if fam == "mm" and req.op:
        return "ses.amazonaws.com", req.op, "mailmanager", "json"
    if fam != "other":
        return None
    target = req.header("X-Amz-Target", "") or ""
    if svc == "sqs":
        op = target.split(".", 1)[1] if target.startswith("AmazonSQS.") else req.form.get("Action")
        return ("sqs.amazonaws.com", op, "sqs", "json" if target else "query") if op else None
    if svc in ("sns", "sts"):
        op = req.form.get("Action")
        return (f"{svc}.amazonaws.com", op, svc, "query") if op else None
    if svc == "s3":
        op = s3_operation(req)
        return ("s3.amazonaws.com", op, "s3", "s3") if op else None
    return None


def s3_operation(req):
    """Bucket-level S3 calls only (object calls are data events): the model's operation on
    /{Bucket} whose query marker (?policy, ?tagging ...) is in the request."""
    parts = [p for p in req.raw_path.split("/") if p]
    if len(parts) != 1:
        return None
    model = common.service_model("s3")
    best = None
    for op in model.operation_names:
        http = model.operation_model(op).http
        uri = http["requestUri"]
        path, _, q = uri.partition("?")
        if http["method"].upper() != req.method or path.rstrip("/") != "/{Bucket}":
            continue
        marker = q.split("=", 1)[0].split("&", 1)[0] if q else ""
        if marker and marker not in req.query:
            continue
        if not marker and req.query:
            if best is None:
                best = (0, op)
            continue
        score = 2 if marker else 1
        if best is None or score > best[0]:
            best = (score, op)
    return best[1] if best else None


def read_only(source, op):
    if source == "sts.amazonaws.com":
        return True
    return op.startswith(READ_PREFIXES)


def worth_recording(source, op):
    svc = source.split(".", 1)[0]
    if op in DATA_EVENTS.get(svc, ()):
        return False
    if svc == "sts":
        return op in STS_RECORDED
    return not read_only(source, op)


def request_parameters(req, model_name, protocol, op):
    try:
        if protocol == "rest":
            return rest_input(model_name, op, req)
        if protocol == "query":
            shape = common.service_model(model_name).operation_model(op).input_shape
            return from_query(shape, req.form, "") if shape is not None else {}
        if protocol == "json":
            shape = common.service_model(model_name).operation_model(op).input_shape
            data = json.loads(req.body) if req.body else {}
            return from_json(shape, data) if isinstance(data, dict) else {}
        if protocol == "s3":
            return {"bucketName": req.raw_path.strip("/"), "Host": req.header("Host", "")}
    except Exception:       # a request botocore's model does not describe: record it bare
        return {}
    return {}


RESOURCE_KEYS = (
    ("emailIdentity", "AWS::SES::EmailIdentity"), ("identity", "AWS::SES::EmailIdentity"),
    ("emailAddress", "AWS::SES::EmailIdentity"), ("domain", "AWS::SES::EmailIdentity"),
    ("configurationSetName", "AWS::SES::ConfigurationSet"), ("ruleSetName", "AWS::SES::ReceiptRuleSet"),
    ("templateName", "AWS::SES::Template"), ("contactListName", "AWS::SES::ContactList"),
    ("dedicatedIpPool", "AWS::SES::DedicatedIpPool"), ("poolName", "AWS::SES::DedicatedIpPool"),
    ("topicArn", "AWS::SNS::Topic"), ("subscriptionArn", "AWS::SNS::Subscription"),
    ("queueUrl", "AWS::SQS::Queue"), ("queueName", "AWS::SQS::Queue"),
    ("roleArn", "AWS::IAM::Role"), ("bucketName", "AWS::S3::Bucket"), ("tenantName", "AWS::SES::Tenant"),
)
# SES ARNs in resourceArn (tenant associations, tags) and reputationEntityReference (a
# tenant's reputation entity): the resource they name, by its name
SES_ARN_TYPES = {"identity": "AWS::SES::EmailIdentity", "configuration-set": "AWS::SES::ConfigurationSet",
                 "template": "AWS::SES::Template", "tenant": "AWS::SES::Tenant"}
_SES_ARN = re.compile(r"^arn:[a-z-]+:ses:[a-z0-9-]*:\d{12}:([a-z-]+)/([^/]+)")


def resources_of(event):
    params = event.get("requestParameters") or {}
    if not isinstance(params, dict):
        return []
    out = []
    if event.get("eventSource") == "sns.amazonaws.com" and event.get("eventName") == "CreateTopic" and "name" in params:
        out.append({"ResourceType": "AWS::SNS::Topic", "ResourceName": params["name"]})
    for key, rtype in RESOURCE_KEYS:
        v = params.get(key)
        if isinstance(v, str) and v:
            if key == "emailAddress" and "Suppress" in (event.get("eventName") or ""):
                rtype = "AWS::SES::SuppressedDestination"
            out.append({"ResourceType": rtype, "ResourceName": v})
    if isinstance(params.get("ruleName"), str) and isinstance(params.get("ruleSetName"), str):
        out.append({"ResourceType": "AWS::SES::ReceiptRule", "ResourceName": params["ruleName"]})
    for key in ("resourceArn", "reputationEntityReference"):
        m = _SES_ARN.match(params.get(key) or "") if isinstance(params.get(key), str) else None
        if m and m.group(1) in SES_ARN_TYPES:
            res = {"ResourceType": SES_ARN_TYPES[m.group(1)], "ResourceName": m.group(2)}
            if res not in out:
                out.append(res)
    return out


def _error_of(status, headers, out):
    if status < 300:
        return None, None
    hdr = {k.lower(): v for k, v in headers}
    code = hdr.get("x-amzn-errortype", "").split(":", 1)[0] or None
    message = None
    text = out.decode("utf-8", "replace") if isinstance(out, bytes) else str(out)
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
            code = code or (doc.get("__type") or doc.get("code") or "").rsplit("#", 1)[-1] or None
            message = doc.get("message") or doc.get("Message")
        except ValueError:
            pass
    else:
        m = re.search(r"<Code>([^<]*)</Code>", text)
        code = code or (m.group(1) if m else None)
        m = re.search(r"<Message>([^<]*)</Message>", text)
        message = m.group(1) if m else None
    return code or f"HTTP{status}", (message or "").replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&quot;", '"').replace("&amp;", "&")


def raw_user_agent(environ):
    ua = environ.get("HTTP_USER_AGENT")
    if ua is None:
        return None
    try:      # WSGI hands headers over as latin-1: give back the bytes the client sent
        return ua.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return ua


def record(req, status, headers, out, now=None):
    """Files one served request as a management event (if it is one)."""
    if getattr(req, "unauthenticated", False) or status == 0:
        return None
    what = describe(req)
    if what is None:
        return None
    source, op, model_name, protocol = what
    if not worth_recording(source, op):
        return None
    now = time.time() if now is None else now
    from sigcheck import parse_authorization
    parsed = parse_authorization(req.header("Authorization", ""))
    akid = parsed[0] if parsed else ((req.q1("X-Amz-Credential") or "").split("/", 1)[0] or "AKIDEXAMPLE")
    rid = next((v for k, v in headers if k.lower() in ("x-amzn-requestid", "x-amz-request-id")), None)
    if rid is None:
        m = re.search(rb"<RequestId>([^<]+)</RequestId>", out or b"")
        rid = m.group(1).decode() if m else req.request_id
    code, message = _error_of(status, headers, out or b"")
    event = {
        "eventVersion": "1.08",
        "userIdentity": identity_for(akid),
        "eventTime": iso(now),
        "eventSource": source,
        "eventName": op,
        "awsRegion": req.region,
        "sourceIPAddress": req.environ.get("REMOTE_ADDR") or "127.0.0.1",
        "userAgent": raw_user_agent(req.environ),
    }
    if code:
        event["errorCode"] = code
        event["errorMessage"] = message
    event.update({
        "requestParameters": request_parameters(req, model_name, protocol, op) or None,
        "responseElements": None,
        "requestID": rid,
        "eventID": str(uuid.uuid4()),
        "readOnly": read_only(source, op),
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": state.account(),
        "eventCategory": "Management",
    })
    return add(req.region, event, now)


def add(region, event, recorded=None):
    """Stores an event (recorded = when it reached the trail; default its eventTime). A
    region keeps the newest MAX_EVENTS."""
    if recorded is None:
        recorded = parse_time(event["eventTime"])
    rec = {"event": event, "recorded": float(recorded), "seq": TRAIL.next_seq(), "resources": resources_of(event)}
    recs = records(region)
    recs.append(rec)
    if len(recs) > MAX_EVENTS:
        del recs[:len(recs) - MAX_EVENTS]
    return rec


def complete(event, region, now=None):
    """An event given through the admin API with CloudTrail's defaults filled in."""
    now = time.time() if now is None else now
    ev = dict(event)
    ev.setdefault("eventVersion", "1.08")
    ev.setdefault("userIdentity", iam_user_identity(TRAIL.user_name, "AKIDEXAMPLE"))
    ev["eventTime"] = iso(parse_time(ev["eventTime"])) if "eventTime" in ev else iso(now)
    ev.setdefault("eventSource", "ses.amazonaws.com")
    if "eventName" not in ev:
        raise ValueError("eventName is required")
    ev.setdefault("awsRegion", region)
    ev.setdefault("sourceIPAddress", "127.0.0.1")
    ev.setdefault("userAgent", None)
    ev.setdefault("requestParameters", None)
    ev.setdefault("responseElements", None)
    ev.setdefault("requestID", str(uuid.uuid4()))
    ev.setdefault("eventID", str(uuid.uuid4()))
    ev.setdefault("readOnly", read_only(ev["eventSource"], ev["eventName"]))
    ev.setdefault("eventType", "AwsApiCall")
    ev.setdefault("managementEvent", True)
    ev.setdefault("recipientAccountId", state.account())
    ev.setdefault("eventCategory", "Management")
    return ev


def visible(rec, now):
    return now >= rec["recorded"] + TRAIL.delay


def dump(region, now=None):
    """Every stored event of a region, oldest first, with sesemu's bookkeeping."""
    now = time.time() if now is None else now
    out = []
    for rec in sorted(records(region), key=lambda r: (parse_time(r["event"]["eventTime"]), r["seq"])):
        ev = dict(rec["event"])
        ev["sesemu"] = {"recorded": rec["recorded"], "visibleAt": rec["recorded"] + TRAIL.delay,
                        "delivered": visible(rec, now), "resources": rec["resources"]}
        out.append(ev)
    return out


# ---- LookupEvents ---------------------------------------------------------------------------

def _token(t, seq):
    return base64.urlsafe_b64encode(f"sesemu-ct:{t}:{seq}".encode()).decode()


def _untoken(token):
    try:
        prefix, t, seq = base64.urlsafe_b64decode(token.encode()).decode().split(":")
        if prefix != "sesemu-ct":
            raise ValueError
        return int(t), int(seq)
    except Exception:
        raise ApiError("InvalidNextTokenException", "Invalid NextToken.")


def _matches(rec, key, value):
    ev = rec["event"]
    if key == "EventId":
        return ev.get("eventID") == value
    if key == "EventName":
        return ev.get("eventName") == value
    if key == "EventSource":
        return ev.get("eventSource") == value
    if key == "ReadOnly":
        return str(bool(ev.get("readOnly"))).lower() == value.lower()
    if key == "Username":
        return username_of(ev) == value
    if key == "AccessKeyId":
        return (ev.get("userIdentity") or {}).get("accessKeyId") == value
    if key == "ResourceType":
        return any(r["ResourceType"] == value for r in rec["resources"])
    if key == "ResourceName":
        return any(r["ResourceName"] == value for r in rec["resources"])
    return False


def _epoch_arg(data, name):
    if name not in data or data[name] is None:
        return None
    try:
        return parse_time(data[name])
    except (TypeError, ValueError):
        raise ApiError("InvalidTimeRangeException", f"{name} is not a valid timestamp.")


@handler
def lookup_events(req):
    data = req.json()
    attrs = data.get("LookupAttributes") or []
    if not isinstance(attrs, list):
        raise ApiError("InvalidLookupAttributesException", "LookupAttributes must be a list.")
    if len(attrs) > 1:
        raise ApiError("InvalidLookupAttributesException",
                       "You can only specify one lookup attribute. "
                       "Please remove extra lookup attributes and try again.")
    key = value = None
    if attrs:
        a = attrs[0] if isinstance(attrs[0], dict) else {}
        key, value = a.get("AttributeKey"), a.get("AttributeValue")
        if key not in LOOKUP_KEYS:
            raise ApiError("InvalidLookupAttributesException",
                           f"Invalid attribute key: {key}. Valid keys: {', '.join(LOOKUP_KEYS)}.")
        if not isinstance(value, str) or not value:
            raise ApiError("InvalidLookupAttributesException", "AttributeValue must be a non-empty string.")
    if data.get("EventCategory") not in (None, "insight"):
        raise ApiError("InvalidEventCategoryException", "Invalid event category.")
    if data.get("EventCategory") == "insight":
        return {"Events": []}       # no Insights in the emulator
    mx = data.get("MaxResults", 50)
    if isinstance(mx, bool) or not isinstance(mx, int) or not 1 <= mx <= 50:
        raise ApiError("InvalidMaxResultsException", "MaxResults must be between 1 and 50.")
    now = time.time()
    start, end = _epoch_arg(data, "StartTime"), _epoch_arg(data, "EndTime")
    if start is not None and end is not None and start > end:
        raise ApiError("InvalidTimeRangeException", "Start time must be before end time.")
    start = now - RETENTION if start is None else start
    end = now if end is None else end
    cursor = _untoken(data["NextToken"]) if data.get("NextToken") else None

    def order(rec):
        return int(parse_time(rec["event"]["eventTime"])), rec["seq"]

    hits = []
    for rec in records(req.region):
        t = parse_time(rec["event"]["eventTime"])
        if not visible(rec, now) or not start <= t <= end:
            continue
        if rec["event"].get("recipientAccountId", state.account()) != state.account():
            continue
        if key and not _matches(rec, key, value):
            continue
        if cursor is not None and order(rec) >= cursor:
            continue
        hits.append(rec)
    hits.sort(key=order, reverse=True)
    page = hits[:mx]
    out = {"Events": [render(rec) for rec in page]}
    if len(hits) > mx:
        out["NextToken"] = _token(*order(page[-1]))
    return out


def render(rec):
    ev = rec["event"]
    item = {"EventId": ev.get("eventID"), "EventName": ev.get("eventName"),
            "ReadOnly": "true" if ev.get("readOnly") else "false",
            "AccessKeyId": (ev.get("userIdentity") or {}).get("accessKeyId"),
            "EventTime": int(parse_time(ev["eventTime"])), "EventSource": ev.get("eventSource"),
            "Username": username_of(ev), "Resources": rec["resources"],
            "CloudTrailEvent": json.dumps(ev, separators=(",", ":"))}
    return {k: v for k, v in item.items() if v is not None}
