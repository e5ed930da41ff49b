"""SESv2 operations moto lacks or gets wrong, on moto's own backend state.

Each handler takes the Request and returns the reply as a dict (JSON body, HTTP 200),
shaped as botocore 1.43.11's sesv2 model says: timestamps are epoch numbers.
"""

import base64
import datetime
import email
import time
import uuid
from email.utils import getaddresses, parseaddr

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_der_private_key, load_pem_private_key
from moto.ses.models import Message, RawMessage

import configsets
import dnscheck
import feedback
import state
import tenants
from common import ApiError, PassToMoto, decode_token, encode_token, registrar
from state import MX_V1_TO_V2, MX_V2_TO_V1, backend, emu, new_identity

HANDLERS = {}
SIMULATOR = "simulator.amazonses.com"


handler = registrar(HANDLERS)


def _ident(req, name=None):
    name = name or req.path_params.get("EmailIdentity")
    ident = backend(req.region).email_identities.get(name)
    if ident is None:
        raise ApiError("NotFoundException", f"Email identity {name} does not exist.", 404)
    return ident


def _bool(data, key, required=True):
    if key not in data:
        if required:
            raise ApiError("BadRequestException", f"{key} is required")
        return None
    if not isinstance(data[key], bool):
        raise ApiError("BadRequestException", f"{key} must be a boolean")
    return data[key]


def _epoch(value, name):
    """Query-string timestamps: ISO 8601 or epoch seconds."""
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise ApiError("BadRequestException", f"Invalid {name}: {value}")


def _page(items, req, default=100, maximum=1000, minimum=1):
    token = req.q1("NextToken")
    size = req.q1("PageSize")
    try:
        start = decode_token(token) if token else 0
    except ValueError:
        raise ApiError("InvalidNextTokenException" if req.op == "ListSuppressedDestinations" else "BadRequestException",
                       "Invalid NextToken")
    try:
        size = int(size) if size is not None else default
    except ValueError:
        raise ApiError("BadRequestException", "PageSize must be an integer")
    if size < minimum or size > maximum:
        raise ApiError("BadRequestException", f"PageSize must be between {minimum} and {maximum}")
    page = items[start:start + size]
    nxt = start + size
    token = encode_token(nxt) if nxt < len(items) else None
    return page, token


# ---- identities ------------------------------------------------------------------------

def identity_view(req, name, ident):
    b = backend(req.region)
    dk = dict(ident.dkim_attributes)
    ts = dk.get("LastKeyGenerationTimestamp")
    if isinstance(ts, str):  # moto writes ISO strings; AWS sends epoch numbers
        dk["LastKeyGenerationTimestamp"] = datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
    out = {
        "IdentityType": ident.identity_type,
        "FeedbackForwardingStatus": bool(ident.feedback_forwarding_status),
        "VerifiedForSendingStatus": ident.verification_status == "SUCCESS",
        "DkimAttributes": dk,
        "Policies": dict(ident.policies),
        "Tags": list(ident.tags or []),
        "VerificationStatus": ident.verification_status,
        "VerificationInfo": {"LastCheckedTimestamp": getattr(ident, "sesemu_checked", time.time())},
    }
    if ident.verification_status == "SUCCESS":
        out["VerificationInfo"]["LastSuccessTimestamp"] = getattr(ident, "sesemu_checked", time.time())
    elif ident.verification_status == "FAILED" and ident.identity_type == "DOMAIN":
        out["VerificationInfo"]["ErrorType"] = "HOST_NOT_FOUND"
    if ident.configuration_set_name:
        out["ConfigurationSetName"] = ident.configuration_set_name
    mf = b.identity_mail_from_domains.get(name)
    if mf and mf.get("mail_from_domain"):
        out["MailFromAttributes"] = {
            "MailFromDomain": mf["mail_from_domain"],
            "MailFromDomainStatus": mf.get("status", "PENDING"),
            "BehaviorOnMxFailure": MX_V1_TO_V2.get(mf.get("behavior_on_mx_failure") or "UseDefaultValue",
                                                   "USE_DEFAULT_VALUE"),
        }
    return out


@handler
def list_email_identities(req):
    ids = backend(req.region).email_identities
    if emu(req.region).dns_zone or emu(req.region).dns_server:
        for name, ident in list(ids.items()):
            if ident.verification_status in ("PENDING", "TEMPORARY_FAILURE") and ident.identity_type == "DOMAIN":
                dnscheck.check_identity(req.region, name)
    page, token = _page(list(ids.items()), req, maximum=1000)
    # SES: "enabled for sending when its verification status is SUCCESS"
    items = [{"IdentityType": i.identity_type, "IdentityName": n,
              "SendingEnabled": i.verification_status == "SUCCESS" and bool(i.sending_enabled),
              "VerificationStatus": i.verification_status} for n, i in page]
    out = {"EmailIdentities": items}
    if token:
        out["NextToken"] = token
    return out


@handler
def get_email_identity(req):
    name = req.path_params["EmailIdentity"]
    ident = _ident(req)
    dnscheck.check_identity(req.region, name)
    return identity_view(req, name, ident)


def _validate_private_key(pem_b64):
    if not isinstance(pem_b64, str) or not (1 <= len(pem_b64) <= 20480):
        raise ApiError("BadRequestException", "Invalid DomainSigningPrivateKey length")
    key = None
    try:
        der = base64.b64decode(pem_b64, validate=False)
        key = load_der_private_key(der, password=None)
    except Exception:
        try:
            key = load_pem_private_key(pem_b64.encode(), password=None)
        except Exception:
            key = None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ApiError("BadRequestException", "The private key is not a valid base64-encoded RSA private key.")
    if key.key_size not in (1024, 2048):
        raise ApiError("BadRequestException", "The private key must be 1024 or 2048 bits long.")


@handler
def create_email_identity(req):
    data = req.json()
    name = data.get("EmailIdentity")
    if not name or not isinstance(name, str):
        raise ApiError("BadRequestException", "EmailIdentity is required")
    b = backend(req.region)
    if name in b.email_identities:
        raise ApiError("AlreadyExistsException", f"Email identity {name} already exist.", 400)
    dsa = data.get("DkimSigningAttributes") or {}
    dkim, selector = None, None
    key_len = dsa.get("NextSigningKeyLength", "RSA_2048_BIT")
    if dsa:
        if "@" in name:
            raise ApiError("BadRequestException", "DkimSigningAttributes are only valid for domain identities.")
        if dsa.get("DomainSigningPrivateKey") or dsa.get("DomainSigningSelector"):
            if not dsa.get("DomainSigningSelector") or not dsa.get("DomainSigningPrivateKey"):
                raise ApiError("BadRequestException", "Both DomainSigningSelector and DomainSigningPrivateKey are required.")
            _validate_private_key(dsa["DomainSigningPrivateKey"])
            dkim, selector = "EXTERNAL", dsa["DomainSigningSelector"]
    cs = data.get("ConfigurationSetName")
    if cs and cs not in b.config_sets:
        raise ApiError("NotFoundException", f"Configuration set <{cs}> does not exist.", 404)
    ident = new_identity(req.region, name, status="PENDING", dkim=dkim, selector=selector,
                         tags=data.get("Tags") or [], config_set=cs, key_length=key_len)
    return {"IdentityType": ident.identity_type, "VerifiedForSendingStatus": False,
            "DkimAttributes": identity_view(req, name, ident)["DkimAttributes"]}


@handler
def delete_email_identity(req):
    name = req.path_params["EmailIdentity"]
    _ident(req)
    state.delete_identity(req.region, name)
    return {}


@handler
def put_email_identity_dkim_attributes(req):
    ident = _ident(req)
    ident.dkim_attributes["SigningEnabled"] = bool(_bool(req.json(), "SigningEnabled", required=False))
    return {}


@handler
def put_email_identity_dkim_signing_attributes(req):
    name = req.path_params["EmailIdentity"]
    ident = _ident(req)
    data = req.json()
    origin = data.get("SigningAttributesOrigin")
    attrs = data.get("SigningAttributes") or {}
    if ident.identity_type != "DOMAIN":
        raise ApiError("BadRequestException", "DKIM signing attributes apply to domain identities only.")
    b = backend(req.region)
    dk = ident.dkim_attributes
    if origin == "EXTERNAL":
        if not attrs.get("DomainSigningSelector") or not attrs.get("DomainSigningPrivateKey"):
            raise ApiError("BadRequestException", "DomainSigningSelector and DomainSigningPrivateKey are required.")
        sel = attrs["DomainSigningSelector"]
        if not (1 <= len(sel) <= 63):
            raise ApiError("BadRequestException", "DomainSigningSelector must be 1-63 characters.")
        _validate_private_key(attrs["DomainSigningPrivateKey"])
        b.dkim_tokens.pop(name, None)
        for k in ("NextSigningKeyLength", "CurrentSigningKeyLength", "LastKeyGenerationTimestamp"):
            dk.pop(k, None)
        dk.update(SigningEnabled=True, Status="PENDING", SigningAttributesOrigin="EXTERNAL", Tokens=[sel])
    elif origin == "AWS_SES" or (isinstance(origin, str) and origin.startswith("AWS_SES_")):
        key_len = attrs.get("NextSigningKeyLength") or dk.get("NextSigningKeyLength") or "RSA_2048_BIT"
        if key_len not in ("RSA_1024_BIT", "RSA_2048_BIT"):
            raise ApiError("BadRequestException", f"Invalid NextSigningKeyLength {key_len}")
        if dk.get("SigningAttributesOrigin") == origin and dk.get("Tokens"):
            dk["NextSigningKeyLength"] = key_len    # key length change only; tokens stay
        else:
            tokens = state.dkim_tokens(req.region, name)
            b.dkim_tokens[name] = tokens
            dk.update(SigningEnabled=True, Status="PENDING", SigningAttributesOrigin=origin, Tokens=tokens,
                      NextSigningKeyLength=key_len, CurrentSigningKeyLength=key_len,
                      LastKeyGenerationTimestamp=time.time())
    else:
        raise ApiError("BadRequestException", f"Invalid SigningAttributesOrigin {origin}")
    return {"DkimStatus": dk["Status"], "DkimTokens": list(dk.get("Tokens", []))}


@handler
def put_email_identity_mail_from_attributes(req):
    name = req.path_params["EmailIdentity"]
    _ident(req)
    data = req.json()
    behavior = data.get("BehaviorOnMxFailure", "USE_DEFAULT_VALUE")
    if behavior not in MX_V2_TO_V1:
        raise ApiError("BadRequestException", f"Invalid BehaviorOnMxFailure {behavior}")
    problem = state.set_mail_from(req.region, name, data.get("MailFromDomain"), MX_V2_TO_V1[behavior])
    if problem:
        raise ApiError("BadRequestException", problem)
    return {}


@handler
def put_email_identity_feedback_attributes(req):
    name = req.path_params["EmailIdentity"]
    ident = _ident(req)
    enabled = bool(_bool(req.json(), "EmailForwardingEnabled", required=False))
    if not enabled and not feedback.can_disable_forwarding(ident):
        raise ApiError("BadRequestException", feedback.FORWARDING_MESSAGE.format(name=name))
    ident.feedback_forwarding_status = enabled
    return {}


# ---- account ---------------------------------------------------------------------------

@handler
def get_account(req):
    st = emu(req.region)
    out = {
        "DedicatedIpAutoWarmupEnabled": st.auto_warmup,
        "EnforcementStatus": st.enforcement_status,
        "ProductionAccessEnabled": st.production_access,
        "SendQuota": {"Max24HourSend": st.max_24h, "MaxSendRate": st.max_rate,
                      "SentLast24Hours": float(sent_last_24h(req.region))},
        "SendingEnabled": st.sending_enabled,
        "SuppressionAttributes": {"SuppressedReasons": list(st.suppressed_reasons)},
    }
    if st.details:
        out["Details"] = st.details
    if st.vdm:
        out["VdmAttributes"] = st.vdm
    return out


def sent_last_24h(region):
    st = emu(region)
    cutoff = time.time() - 86400
    seeded = sum(p["DeliveryAttempts"] for p in st.send_points if p["Timestamp"] >= cutoff)
    return seeded + sum(len(m["Destinations"]) for m in st.sent if m["Timestamp"] >= cutoff)


@handler
def put_account_sending_attributes(req):
    emu(req.region).sending_enabled = bool(_bool(req.json(), "SendingEnabled", required=False))
    return {}


@handler
def put_account_details(req):
    data = req.json()
    st = emu(req.region)
    for key in ("MailType", "WebsiteURL"):
        if not data.get(key):
            raise ApiError("BadRequestException", f"{key} is required")
    if data["MailType"] not in ("MARKETING", "TRANSACTIONAL"):
        raise ApiError("BadRequestException", "MailType must be MARKETING or TRANSACTIONAL")
    if st.details and st.details.get("ReviewDetails", {}).get("Status") == "PENDING":
        raise ApiError("ConflictException", "A review of your account details is already in progress.", 409)
    extra = data.get("AdditionalContactEmailAddresses")
    if extra is not None and not (1 <= len(extra) <= 4):
        raise ApiError("BadRequestException", "AdditionalContactEmailAddresses takes 1 to 4 addresses")
    details = {k: data[k] for k in ("MailType", "WebsiteURL", "ContactLanguage", "UseCaseDescription",
                                    "AdditionalContactEmailAddresses") if data.get(k) is not None}
    if data.get("ProductionAccessEnabled"):
        details["ReviewDetails"] = {"Status": "PENDING", "CaseId": "case-" + uuid.uuid4().hex[:10]}
    st.details = details
    return {}


@handler
def put_account_suppression_attributes(req):
    reasons = req.json().get("SuppressedReasons") or []
    if any(r not in ("BOUNCE", "COMPLAINT") for r in reasons):
        raise ApiError("BadRequestException", "SuppressedReasons must be BOUNCE or COMPLAINT")
    emu(req.region).suppressed_reasons = list(reasons)
    return {}


# ---- suppression list ------------------------------------------------------------------

@handler
def list_suppressed_destinations(req):
    st = emu(req.region)
    reasons = set(req.query.get("Reason", []))
    if reasons - {"BOUNCE", "COMPLAINT"}:
        raise ApiError("BadRequestException", "Reason must be BOUNCE or COMPLAINT")
    start = _epoch(req.q1("StartDate"), "StartDate")
    end = _epoch(req.q1("EndDate"), "EndDate")
    rows = []
    for addr, d in sorted(st.suppression.items(), key=lambda kv: (-kv[1]["LastUpdateTime"], kv[0])):
        if reasons and d["Reason"] not in reasons:
            continue
        if start is not None and d["LastUpdateTime"] < start:
            continue
        if end is not None and d["LastUpdateTime"] > end:
            continue
        rows.append({"EmailAddress": addr, "Reason": d["Reason"], "LastUpdateTime": d["LastUpdateTime"]})
    page, token = _page(rows, req, default=1000, maximum=1000)
    out = {"SuppressedDestinationSummaries": page}
    if token:
        out["NextToken"] = token
    return out


def _suppressed(req):
    addr = req.path_params["EmailAddress"]
    d = emu(req.region).suppression.get(addr.lower())
    if d is None:
        raise ApiError("NotFoundException", f"Email address {addr} does not exist on your suppression list.", 404)
    return addr.lower(), d


@handler
def get_suppressed_destination(req):
    addr, d = _suppressed(req)
    out = {"EmailAddress": addr, "Reason": d["Reason"], "LastUpdateTime": d["LastUpdateTime"]}
    attrs = {k: d[k] for k in ("MessageId", "FeedbackId") if d.get(k)}
    if attrs:
        out["Attributes"] = attrs
    return {"SuppressedDestination": out}


@handler
def put_suppressed_destination(req):
    data = req.json()
    addr, reason = data.get("EmailAddress"), data.get("Reason")
    if not addr or "@" not in addr:
        raise ApiError("BadRequestException", "EmailAddress must be an email address")
    if reason not in ("BOUNCE", "COMPLAINT"):
        raise ApiError("BadRequestException", "Reason must be BOUNCE or COMPLAINT")
    emu(req.region).suppression[addr.lower()] = {"Reason": reason, "LastUpdateTime": time.time()}
    return {}


@handler
def delete_suppressed_destination(req):
    addr, _ = _suppressed(req)
    del emu(req.region).suppression[addr]
    return {}


# ---- configuration sets ----------------------------------------------------------------
# State and validation in configsets.py (shared with v1 and the seeds).

def _cs(req):
    return configsets.get(req.region, req.path_params["ConfigurationSetName"])


cs_sending_enabled = configsets.sending_enabled


@handler
def create_configuration_set(req):
    data = req.json()
    configsets.create(req.region, data.get("ConfigurationSetName"), data)
    return {}


@handler
def get_configuration_set(req):
    return configsets.view(_cs(req))


@handler
def delete_configuration_set(req):
    configsets.delete(req.region, req.path_params["ConfigurationSetName"])
    return {}


@handler
def put_configuration_set_sending_options(req):
    configsets.set_sending(_cs(req), bool(_bool(req.json(), "SendingEnabled", required=False)))
    return {}


@handler
def put_configuration_set_tracking_options(req):
    cs = _cs(req)
    cs.tracking_options = configsets.tracking_options(req.json())
    return {}


@handler
def put_configuration_set_delivery_options(req):
    cs = _cs(req)
    cs.delivery_options = configsets.delivery_options(req.json())
    return {}


@handler
def put_configuration_set_reputation_options(req):
    cs = _cs(req)
    enabled = bool(_bool(req.json(), "ReputationMetricsEnabled", required=False))
    cs.reputation_options = dict(cs.reputation_options or {}, ReputationMetricsEnabled=enabled)  # LastFreshStart stays
    return {}


@handler
def put_configuration_set_suppression_options(req):
    cs = _cs(req)
    cs.suppression_options = configsets.suppression_options(req.json())
    return {}


@handler
def put_configuration_set_vdm_options(req):
    cs = _cs(req)
    cs.vdm_options = configsets.vdm_options(req.json().get("VdmOptions"))
    return {}


@handler
def put_configuration_set_archiving_options(req):
    cs = _cs(req)
    cs.sesemu_archiving = configsets.archiving_options(req.json())
    return {}


@handler
def get_configuration_set_event_destinations(req):
    return {"EventDestinations": [dict(d) for d in configsets.destinations(_cs(req)).values()]}


@handler
def create_configuration_set_event_destination(req):
    data = req.json()
    configsets.add_destination(_cs(req), data.get("EventDestinationName"), data.get("EventDestination"))
    return {}


@handler
def update_configuration_set_event_destination(req):
    configsets.update_destination(_cs(req), req.path_params["EventDestinationName"], req.json().get("EventDestination"))
    return {}


@handler
def delete_configuration_set_event_destination(req):
    configsets.delete_destination(_cs(req), req.path_params["EventDestinationName"])
    return {}


@handler
def put_email_identity_configuration_set_attributes(req):
    ident = _ident(req)
    name = req.json().get("ConfigurationSetName")
    if name:
        configsets.get(req.region, name)
    ident.configuration_set_name = name or None
    return {}


def _tagged_set(req, arn):
    """The configuration set an ARN names (None for any other resource: moto answers)."""
    prefix = f"arn:aws:ses:{req.region}:{state.account()}:configuration-set/"
    if not isinstance(arn, str) or not arn.startswith(prefix):
        return None
    return configsets.get(req.region, arn[len(prefix):])


def _tag_target(req, arn):
    """(read, write) of the Tags of the configuration set or tenant an ARN names; None for
    any other resource (moto answers)."""
    cs = _tagged_set(req, arn)
    if cs is not None:
        return (lambda: list(cs.tags or [])), (lambda tags: setattr(cs, "tags", tags))
    if isinstance(arn, str) and arn.startswith(f"arn:aws:ses:{req.region}:{state.account()}:tenant/"):
        t = tenants.by_arn(req.region, arn)
        if t is None:
            raise ApiError("NotFoundException", f"Resource {arn} does not exist.", 404)
        return (lambda: list(t["tags"])), (lambda tags: t.__setitem__("tags", tags))
    return None


@handler
def tag_resource(req):
    data = req.json()
    target = _tag_target(req, data.get("ResourceArn"))
    if target is None:
        raise PassToMoto()
    read, write = target
    tags = data.get("Tags")
    if not isinstance(tags, list) or not tags or any(not isinstance(t, dict) or not t.get("Key") for t in tags):
        raise ApiError("BadRequestException", "Tags must be a non-empty list of {Key, Value}")
    merged = {t["Key"]: t.get("Value", "") for t in read()}
    merged.update({t["Key"]: t.get("Value", "") for t in tags})
    if len(merged) > 50:
        raise ApiError("BadRequestException", "A resource takes at most 50 tags.")
    write([{"Key": k, "Value": v} for k, v in merged.items()])
    return {}


@handler
def untag_resource(req):
    target = _tag_target(req, req.q1("ResourceArn"))
    if target is None:
        raise PassToMoto()
    read, write = target
    keys = set(req.query.get("TagKeys", []))
    if not keys:
        raise ApiError("BadRequestException", "TagKeys is required")
    write([t for t in read() if t["Key"] not in keys])
    return {}


@handler
def list_tags_for_resource(req):
    target = _tag_target(req, req.q1("ResourceArn"))
    if target is None:
        raise PassToMoto()
    return {"Tags": [dict(t) for t in target[0]()]}


# ---- sending ---------------------------------------------------------------------------

def check_send(region, source, recipients, config_set, v1=False, tenant=None, identity_arn=None,
               template_arn=None):
    """SES's refusals, in SES's order. Raises ApiError. With a tenant (v2 TenantName), its
    checks come right after the account's (tenants.check_send)."""
    check_sender(region, source, config_set, v1, tenant, identity_arn, template_arn)
    check_recipients(region, recipients, v1)


def check_sender(region, source, config_set, v1=False, tenant=None, identity_arn=None, template_arn=None):
    """The refusals that hold for a whole send: the account, the tenant, the configuration
    set, the sender."""
    st = emu(region)
    b = backend(region)
    if not st.sending_enabled:
        if v1:
            raise ApiError("AccountSendingPausedException",
                           "Email sending is disabled for your entire Amazon SES account.")
        raise ApiError("SendingPausedException", "Email sending is paused for this account.")
    if tenant is not None:
        tenants.check_send(region, tenant, parseaddr(source or "")[1], identity_arn, config_set, template_arn)
    if config_set:
        cs = b.config_sets.get(config_set)
        if cs is None:
            raise ApiError("ConfigurationSetDoesNotExist" if v1 else "NotFoundException",
                           f"Configuration set <{config_set}> does not exist.", 400 if v1 else 404)
        if not configsets.sending_enabled(cs):
            if v1:
                raise ApiError("ConfigurationSetSendingPausedException",
                               f"Email sending is disabled for the configuration set {config_set}.")
            raise ApiError("SendingPausedException",
                           f"Email sending is paused for the configuration set {config_set}.")
    addr = parseaddr(source or "")[1]
    if not addr or not state.identity_is_verified(region, addr):
        raise ApiError("MessageRejected", f"Email address is not verified. The following identities failed "
                                          f"the check in region {region.upper()}: {addr or source}")


def check_recipients(region, recipients, v1=False):
    """The refusals that depend on the recipients: none, sandbox, too many, daily quota."""
    st = emu(region)
    if not recipients:
        raise ApiError("BadRequestException" if not v1 else "InvalidParameterValue", "Missing final '@domain'")
    if not st.production_access:
        bad = [r for r in recipients
               if not parseaddr(r)[1].lower().endswith("@" + SIMULATOR)
               and not state.identity_is_verified(region, parseaddr(r)[1])]
        if bad:
            raise ApiError("MessageRejected", "Email address is not verified. The following identities failed "
                                              f"the check in region {region.upper()}: {', '.join(bad)}")
    if len(recipients) > 50:
        raise ApiError("MessageRejected", "Recipient count exceeds 50.")
    if st.max_24h >= 0 and sent_last_24h(region) + len(recipients) > st.max_24h:
        if v1:
            raise ApiError("Throttling", "Daily message quota exceeded.")
        raise ApiError("TooManyRequestsException", "Daily message quota exceeded.", 429)


def record_sent(region, source, recipients, subject, body, config_set, raw=None, tags=None):
    b = backend(region)
    mid = "0102" + uuid.uuid4().hex + "-" + uuid.uuid4().hex[:8] + "-000000"
    if raw is not None:
        b.sent_messages.append(RawMessage(mid, source, list(recipients), raw))
    else:
        b.sent_messages.append(Message(mid, source, subject or "", body or "", {"ToAddresses": list(recipients)}))
    b.sent_message_count += len(recipients)
    emu(region).sent.append({"MessageId": mid, "Source": source, "Destinations": list(recipients),
                             "Subject": subject, "ConfigurationSetName": config_set,
                             "Timestamp": time.time()})
    configsets.count_send(region, config_set)
    feedback.on_send(region, mid, source, recipients, subject, config_set, tags=tags)
    return mid


def _template_ref(region, tpl):
    """(name, ARN) of the stored template a Template block names (TemplateArn wins), or
    (None, None) for inline TemplateContent."""
    arn, name = tpl.get("TemplateArn"), tpl.get("TemplateName")
    if isinstance(arn, str) and arn:
        return arn.rsplit("/", 1)[-1] if "/" in arn else arn, arn
    if isinstance(name, str) and name:
        return name, tenants.resource_arn(region, "template", name)
    return None, None


def _tenant_of(data):
    """TenantName when the request has one (None without); BadRequest for an empty one."""
    if "TenantName" not in data:
        return None
    name = data["TenantName"]
    if not isinstance(name, str) or not name:
        raise ApiError("BadRequestException", "TenantName must be 1 to 64 characters")
    return name


@handler
def send_email(req):
    data = req.json()
    dest = data.get("Destination") or {}
    content = data.get("Content") or {}
    recipients = (dest.get("ToAddresses") or []) + (dest.get("CcAddresses") or []) + (dest.get("BccAddresses") or [])
    source = data.get("FromEmailAddress")
    subject = body = raw = template_arn = None
    if "Simple" in content:
        simple = content["Simple"]
        subject = (simple.get("Subject") or {}).get("Data")
        b = simple.get("Body") or {}
        body = (b.get("Text") or b.get("Html") or {}).get("Data")
    elif "Raw" in content:
        try:
            raw = base64.b64decode(content["Raw"]["Data"]).decode("utf-8", "replace")
        except Exception:
            raise ApiError("BadRequestException", "Raw.Data must be base64")
        msg = email.message_from_string(raw)
        source = source or msg.get("From")
        subject = msg.get("Subject")
        if not recipients:
            recipients = [a for _, a in getaddresses(msg.get_all("To", []) + msg.get_all("Cc", [])) if a]
    elif "Template" in content:
        name, template_arn = _template_ref(req.region, content["Template"] or {})
        subject = "template:" + str(name)
    else:
        raise ApiError("BadRequestException", "Content must hold exactly one of Simple, Raw or Template")
    cs = data.get("ConfigurationSetName")
    check_send(req.region, source, recipients, cs, tenant=_tenant_of(data),
               identity_arn=data.get("FromEmailAddressIdentityArn"), template_arn=template_arn)
    tags = {t.get("Name"): t.get("Value") for t in data.get("EmailTags") or [] if isinstance(t, dict)}
    return {"MessageId": record_sent(req.region, source, recipients, subject, body, cs, raw, tags=tags)}


BULK_STATUS = {"MessageRejected": "MESSAGE_REJECTED", "TooManyRequestsException": "ACCOUNT_DAILY_QUOTA_EXCEEDED"}


@handler
def send_bulk_email(req):
    """A template to 1-50 destinations. What holds for the whole send (account, tenant,
    configuration set, sender, a stored template that does not exist) is an error of the
    call; what a destination's recipients break (sandbox, count, daily quota) is that
    entry's Status."""
    data = req.json()
    tpl = (data.get("DefaultContent") or {}).get("Template")
    if not isinstance(tpl, dict):
        raise ApiError("BadRequestException", "DefaultContent.Template is required")
    name, template_arn = _template_ref(req.region, tpl)
    if name is None and not tpl.get("TemplateContent"):
        raise ApiError("BadRequestException", "Template needs TemplateName, TemplateArn or TemplateContent")
    entries = data.get("BulkEmailEntries")
    if not isinstance(entries, list) or not 1 <= len(entries) <= 50:
        raise ApiError("BadRequestException", "BulkEmailEntries must hold 1 to 50 entries")
    source, cs = data.get("FromEmailAddress"), data.get("ConfigurationSetName")
    check_sender(req.region, source, cs, tenant=_tenant_of(data),
                 identity_arn=data.get("FromEmailAddressIdentityArn"), template_arn=template_arn)
    if name is not None and name not in backend(req.region).templates:
        raise ApiError("NotFoundException", f"Template {name} does not exist.", 404)
    defaults = {t.get("Name"): t.get("Value") for t in data.get("DefaultEmailTags") or [] if isinstance(t, dict)}
    results = []
    for entry in entries:
        dest = (entry or {}).get("Destination") or {}
        recipients = (dest.get("ToAddresses") or []) + (dest.get("CcAddresses") or []) + \
            (dest.get("BccAddresses") or [])
        try:
            check_recipients(req.region, recipients)
        except ApiError as e:
            results.append({"Status": BULK_STATUS.get(e.code, "INVALID_PARAMETER"), "Error": e.message})
            continue
        tags = dict(defaults)
        tags.update({t.get("Name"): t.get("Value") for t in entry.get("ReplacementTags") or [] if isinstance(t, dict)})
        mid = record_sent(req.region, source, recipients, "template:" + str(name or "inline"), None, cs, tags=tags)
        results.append({"Status": "SUCCESS", "MessageId": mid})
    return {"BulkEmailEntryResults": results}


# ---- VDM -------------------------------------------------------------------------------

VDM_METRICS = ("SEND", "COMPLAINT", "PERMANENT_BOUNCE", "TRANSIENT_BOUNCE", "OPEN", "CLICK", "DELIVERY",
               "DELIVERY_OPEN", "DELIVERY_CLICK", "DELIVERY_COMPLAINT")


def _vdm_value(metric, p):
    sent = p["DeliveryAttempts"]
    bounces, complaints = p["Bounces"], p["Complaints"]
    delivered = max(sent - bounces, 0)
    return {"SEND": sent, "COMPLAINT": complaints, "PERMANENT_BOUNCE": bounces * 9 // 10,
            "TRANSIENT_BOUNCE": bounces - bounces * 9 // 10, "DELIVERY": delivered,
            "OPEN": delivered * 31 // 100, "CLICK": delivered * 4 // 100, "DELIVERY_OPEN": delivered,
            "DELIVERY_CLICK": delivered, "DELIVERY_COMPLAINT": delivered}[metric]


ISPS = {"Gmail": 0.41, "Yahoo": 0.12, "Outlook": 0.22, "Apple": 0.09}


def _vdm_share(region, dims):
    """Fraction of the account's mail a dimension filter selects: all without a filter, a
    fixed share per ISP, and for an identity or configuration set a share derived from its
    name (unknown ones: 0). None when the filter is not one VDM accepts."""
    if not dims:
        return 1.0
    if len(dims) > 3 or set(dims) - {"EMAIL_IDENTITY", "CONFIGURATION_SET", "ISP"}:
        return None
    share = 1.0
    b = backend(region)
    for name, value in dims.items():
        if name == "ISP":
            share *= ISPS.get(value, 0.0)
        elif name == "EMAIL_IDENTITY":
            share *= (5 + state._digest("vdm", value)[0] % 30) / 100 if value in b.email_identities else 0.0
        else:
            share *= (20 + state._digest("vdm", value)[0] % 60) / 100 if value in b.config_sets else 0.0
    return share


@handler
def batch_get_metric_data(req):
    queries = req.json().get("Queries")
    if not isinstance(queries, list) or not (1 <= len(queries) <= 10):
        raise ApiError("BadRequestException", "Queries must hold 1 to 10 queries")
    st = emu(req.region)
    results, errors = [], []
    for q in queries:
        qid = q.get("Id")
        if not qid or q.get("Namespace") != "VDM" or q.get("Metric") not in VDM_METRICS:
            raise ApiError("BadRequestException", f"Invalid query {qid}")
        try:
            start, end = float(q["StartDate"]), float(q["EndDate"])
        except (KeyError, TypeError, ValueError):
            raise ApiError("BadRequestException", f"Query {qid} needs StartDate and EndDate")
        if st.vdm is None or st.vdm.get("VdmEnabled") != "ENABLED":
            errors.append({"Id": qid, "Code": "ACCESS_DENIED", "Message": "VDM is not enabled for this account."})
            continue
        share = _vdm_share(req.region, q.get("Dimensions") or {})
        if share is None:
            raise ApiError("BadRequestException", f"Query {qid}: Dimensions must be 1 to 3 of "
                                                  "EMAIL_IDENTITY, CONFIGURATION_SET, ISP.")
        days = {}
        for p in st.send_points:
            if start <= p["Timestamp"] < end:
                day = p["Timestamp"] - p["Timestamp"] % 86400
                days[day] = days.get(day, 0) + _vdm_value(q["Metric"], p)
        keys = sorted(days)
        results.append({"Id": qid, "Timestamps": keys, "Values": [int(days[k] * share) for k in keys]})
    return {"Results": results, "Errors": errors}


@handler
def list_configuration_sets(req):
    # moto's paginator fails on a PageSize query parameter (string, not int)
    names = list(backend(req.region).config_sets)
    page, token = _page(names, req, default=100, maximum=1000)
    out = {"ConfigurationSets": page}
    if token:
        out["NextToken"] = token
    return out
