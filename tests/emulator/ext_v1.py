"""SES v1 (Query/XML) operations moto lacks or gets wrong, on moto's backend state.

Handlers return the Result as a dict; sesemu serializes it with the botocore ses model.
"""

import base64
import email
import ipaddress
import re
import time
from email.utils import getaddresses, parseaddr

import configsets
import state
from common import ApiError, PassToMoto, registrar
from ext_v2 import check_send, record_sent, sent_last_24h
from state import STATUS_V1, backend, emu

HANDLERS = {}
_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$")


handler = registrar(HANDLERS)


def _required(req, name):
    v = req.form.get(name)
    if v in (None, ""):
        raise ApiError("ValidationError", f"1 validation error detected: Value null at '{name}' failed to "
                                          "satisfy constraint: Member must not be null")
    return v


def _rule_set(req):
    name = _required(req, "RuleSetName")
    rs = backend(req.region).receipt_rule_set.get(name)
    if rs is None:
        raise ApiError("RuleSetDoesNotExist", f"Rule set does not exist: {name}")
    return rs


def _rule_index(rs, name):
    for i, r in enumerate(rs.rules):
        if r["Name"] == name:
            return i
    raise ApiError("RuleDoesNotExist", f"Rule does not exist: {name}")


# ---- receipt rules and filters ------------------------------------------------------------

@handler
def create_receipt_rule(req):
    # moto compares whole rules for duplicates; SES refuses a second rule of the same name
    rs = backend(req.region).receipt_rule_set.get(req.form.get("RuleSetName", ""))
    name = req.form.get("Rule.Name")
    if rs is not None and any(r["Name"] == name for r in rs.rules):
        raise ApiError("AlreadyExists", f"Rule already exists: {name}")
    raise PassToMoto()


@handler
def delete_receipt_rule(req):
    rs = _rule_set(req)
    name = _required(req, "RuleName")
    rs.rules = [r for r in rs.rules if r["Name"] != name]   # a missing rule is not an error in SES
    return {}


@handler
def set_receipt_rule_position(req):
    rs = _rule_set(req)
    rule = rs.rules.pop(_rule_index(rs, _required(req, "RuleName")))
    after = req.form.get("After")
    if after:
        try:
            pos = _rule_index(rs, after) + 1
        except ApiError:
            rs.rules.insert(0, rule)
            raise
        rs.rules.insert(pos, rule)
    else:
        rs.rules.insert(0, rule)
    return {}


@handler
def reorder_receipt_rule_set(req):
    rs = _rule_set(req)
    names = req.form_list("RuleNames")
    by_name = {r["Name"]: r for r in rs.rules}
    for n in names:
        if n not in by_name:
            raise ApiError("RuleDoesNotExist", f"Rule does not exist: {n}")
    if len(set(names)) != len(names) or set(names) != set(by_name):
        raise ApiError("InvalidParameterValue", "RuleNames must list every rule of the rule set exactly once.")
    rs.rules = [by_name[n] for n in names]
    return {}


@handler
def list_receipt_filters(req):
    return {"Filters": [{"Name": n, "IpFilter": dict(f)} for n, f in emu(req.region).receipt_filters.items()]}


@handler
def create_receipt_filter(req):
    name = _required(req, "Filter.Name")
    policy = _required(req, "Filter.IpFilter.Policy")
    cidr = _required(req, "Filter.IpFilter.Cidr")
    if not _NAME_RE.match(name):
        raise ApiError("ValidationError", f"Invalid filter name: {name}")
    if policy not in ("Block", "Allow"):
        raise ApiError("ValidationError", f"Value '{policy}' at 'filter.ipFilter.policy' failed to satisfy "
                                          "constraint: Member must satisfy enum value set: [Block, Allow]")
    try:
        ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        raise ApiError("InvalidParameterValue", f"Invalid CIDR: {cidr}")
    filters = emu(req.region).receipt_filters
    if name in filters:
        raise ApiError("AlreadyExists", f"Filter already exists: {name}")
    if len(filters) >= 100:
        raise ApiError("LimitExceeded", "Maximum number of IP address filters exceeded.")
    filters[name] = {"Policy": policy, "Cidr": cidr}
    return {}


@handler
def delete_receipt_filter(req):
    emu(req.region).receipt_filters.pop(_required(req, "FilterName"), None)
    return {}


# ---- configuration sets (v1 view of the sets configsets.py keeps) ------------------------

V1_EVENT_TYPES = {"SEND": "send", "REJECT": "reject", "BOUNCE": "bounce", "COMPLAINT": "complaint",
                  "DELIVERY": "delivery", "OPEN": "open", "CLICK": "click", "RENDERING_FAILURE": "renderingFailure"}
V1_SOURCES = {"MESSAGE_TAG": "messageTag", "EMAIL_HEADER": "emailHeader", "LINK_TAG": "linkTag"}


def _v1_set(req):
    name = _required(req, "ConfigurationSetName")
    cs = backend(req.region).config_sets.get(name)
    if cs is None:
        raise ApiError("ConfigurationSetDoesNotExist", f"Configuration set <{name}> does not exist.")
    return cs


def _v1_destination(d):
    """A SESv2 event destination as v1 shows it; None when v1 cannot express it
    (EventBridge, Pinpoint). Event types v1 lacks are left out."""
    out = {"Name": d["Name"], "Enabled": d["Enabled"],
           "MatchingEventTypes": [V1_EVENT_TYPES[t] for t in d["MatchingEventTypes"] if t in V1_EVENT_TYPES]}
    if "SnsDestination" in d:
        out["SNSDestination"] = {"TopicARN": d["SnsDestination"]["TopicArn"]}
    elif "KinesisFirehoseDestination" in d:
        k = d["KinesisFirehoseDestination"]
        out["KinesisFirehoseDestination"] = {"IAMRoleARN": k["IamRoleArn"], "DeliveryStreamARN": k["DeliveryStreamArn"]}
    elif "CloudWatchDestination" in d:
        out["CloudWatchDestination"] = {"DimensionConfigurations": [
            {"DimensionName": c["DimensionName"], "DimensionValueSource": V1_SOURCES[c["DimensionValueSource"]],
             "DefaultDimensionValue": c["DefaultDimensionValue"]}
            for c in d["CloudWatchDestination"]["DimensionConfigurations"]]}
    else:
        return None
    return out


@handler
def describe_configuration_set(req):
    cs = _v1_set(req)
    asked = set(req.form_list("ConfigurationSetAttributeNames"))
    out = {"ConfigurationSet": {"Name": cs.configuration_set_name}}
    if "eventDestinations" in asked:
        out["EventDestinations"] = [v for v in map(_v1_destination, configsets.destinations(cs).values()) if v]
    v2 = configsets.view(cs)
    if "trackingOptions" in asked and "TrackingOptions" in v2:
        out["TrackingOptions"] = {"CustomRedirectDomain": v2["TrackingOptions"]["CustomRedirectDomain"]}
    if "deliveryOptions" in asked and "DeliveryOptions" in v2:
        out["DeliveryOptions"] = {"TlsPolicy": v2["DeliveryOptions"]["TlsPolicy"].capitalize()}
    if "reputationOptions" in asked:
        rep = v2["ReputationOptions"]
        out["ReputationOptions"] = {"SendingEnabled": v2["SendingOptions"]["SendingEnabled"],
                                    "ReputationMetricsEnabled": rep["ReputationMetricsEnabled"]}
        if "LastFreshStart" in rep:
            out["ReputationOptions"]["LastFreshStart"] = rep["LastFreshStart"]
    return out


@handler
def create_configuration_set_event_destination(req):
    """Kept with the SESv2 destinations (moto keeps one per set, names account-wide)."""
    cs = _v1_set(req)
    f = req.form
    p = "EventDestination."
    to_v2 = {v: k for k, v in V1_EVENT_TYPES.items()}
    types = req.form_list(p + "MatchingEventTypes")
    if any(t not in to_v2 for t in types):
        raise ApiError("InvalidParameterValue", f"Invalid MatchingEventTypes {types}")
    d = {"Enabled": f.get(p + "Enabled", "false").lower() == "true", "MatchingEventTypes": [to_v2[t] for t in types]}
    if f.get(p + "SNSDestination.TopicARN"):
        d["SnsDestination"] = {"TopicArn": f[p + "SNSDestination.TopicARN"]}
    fh = p + "KinesisFirehoseDestination."
    if f.get(fh + "IAMRoleARN") or f.get(fh + "DeliveryStreamARN"):
        d["KinesisFirehoseDestination"] = {"IamRoleArn": f.get(fh + "IAMRoleARN"),
                                           "DeliveryStreamArn": f.get(fh + "DeliveryStreamARN")}
    dims, i = [], 1
    to_v2_source = {v: k for k, v in V1_SOURCES.items()}
    while f"{p}CloudWatchDestination.DimensionConfigurations.member.{i}.DimensionName" in f:
        q = f"{p}CloudWatchDestination.DimensionConfigurations.member.{i}."
        dims.append({"DimensionName": f[q + "DimensionName"],
                     "DimensionValueSource": to_v2_source.get(f.get(q + "DimensionValueSource"), "?"),
                     "DefaultDimensionValue": f.get(q + "DefaultDimensionValue")})
        i += 1
    if dims:
        d["CloudWatchDestination"] = {"DimensionConfigurations": dims}
    name = _required(req, p + "Name")
    try:
        configsets.add_destination(cs, name, d)
    except ApiError as e:   # the v1 names of SESv2's errors
        code = {"AlreadyExistsException": "EventDestinationAlreadyExists",
                "LimitExceededException": "LimitExceeded"}.get(e.code, "InvalidParameterValue")
        raise ApiError(code, e.message)
    return {}


# ---- account ----------------------------------------------------------------------------

@handler
def get_account_sending_enabled(req):
    return {"Enabled": emu(req.region).sending_enabled}


@handler
def update_account_sending_enabled(req):
    emu(req.region).sending_enabled = req.form.get("Enabled", "false").lower() == "true"
    return {}


@handler
def get_send_quota(req):
    st = emu(req.region)
    return {"Max24HourSend": st.max_24h, "MaxSendRate": st.max_rate,
            "SentLast24Hours": float(sent_last_24h(req.region))}


@handler
def get_send_statistics(req):
    st = emu(req.region)
    cutoff = time.time() - 14 * 86400
    points = [dict(p) for p in st.send_points if p["Timestamp"] >= cutoff]
    for m in st.sent:   # messages sent through the emulator, bucketed like SES does
        ts = m["Timestamp"] - m["Timestamp"] % 900
        points.append({"Timestamp": ts, "DeliveryAttempts": len(m["Destinations"]), "Bounces": 0,
                       "Complaints": 0, "Rejects": 0})
    return {"SendDataPoints": points}


# ---- identities ---------------------------------------------------------------------------

@handler
def get_identity_verification_attributes(req):
    ids = backend(req.region).email_identities
    out = {}
    for name in req.form_list("Identities"):
        ident = ids.get(name)
        if ident is None:
            continue
        entry = {"VerificationStatus": STATUS_V1.get(ident.verification_status, "Pending")}
        if ident.identity_type == "DOMAIN":
            entry["VerificationToken"] = state.legacy_token(req.region, name)
        out[name] = entry
    return {"VerificationAttributes": out}


@handler
def get_identity_dkim_attributes(req):
    ids = backend(req.region).email_identities
    out = {}
    for name in req.form_list("Identities"):
        ident = ids.get(name)
        if ident is None:
            out[name] = {"DkimEnabled": False, "DkimVerificationStatus": "NotStarted"}
            continue
        dk = ident.dkim_attributes
        entry = {"DkimEnabled": bool(dk.get("SigningEnabled")),
                 "DkimVerificationStatus": STATUS_V1.get(dk.get("Status", "NOT_STARTED"), "NotStarted")}
        if ident.identity_type == "DOMAIN" and dk.get("Tokens"):
            entry["DkimTokens"] = list(dk["Tokens"])
        out[name] = entry
    return {"DkimAttributes": out}


@handler
def get_identity_mail_from_domain_attributes(req):
    b = backend(req.region)
    out = {}
    for name in req.form_list("Identities"):
        if name not in b.email_identities:
            continue
        mf = b.identity_mail_from_domains.get(name) or {}
        out[name] = {"BehaviorOnMXFailure": mf.get("behavior_on_mx_failure") or "UseDefaultValue"}
        if mf.get("mail_from_domain"):
            out[name].update(MailFromDomain=mf["mail_from_domain"],
                             MailFromDomainStatus=STATUS_V1.get(mf.get("status", "PENDING"), "Pending"))
        # without a custom MAIL FROM only the behaviour is sent (the model marks all three
        # required; moto omits them too, and there is no status value for "none")
    return {"MailFromDomainAttributes": out}


@handler
def set_identity_mail_from_domain(req):
    b = backend(req.region)
    name = _required(req, "Identity")
    if name not in b.email_identities:
        raise ApiError("InvalidParameterValue", f"Identity '{name}' does not exist.")
    behavior = req.form.get("BehaviorOnMXFailure") or "UseDefaultValue"
    if behavior not in ("UseDefaultValue", "RejectMessage"):
        raise ApiError("ValidationError", f"Value '{behavior}' at 'behaviorOnMXFailure' failed to satisfy "
                                          "constraint: Member must satisfy enum value set: [RejectMessage, UseDefaultValue]")
    problem = state.set_mail_from(req.region, name, req.form.get("MailFromDomain"), behavior)
    if problem:
        raise ApiError("InvalidParameterValue", problem)
    return {}


def _verify(req, name, dkim):
    if name not in backend(req.region).email_identities:
        state.new_identity(req.region, name, status="PENDING", dkim=None if dkim else "NONE")
    return name


@handler
def verify_email_identity(req):
    _verify(req, _required(req, "EmailAddress"), False)
    return {}


HANDLERS["VerifyEmailAddress"] = verify_email_identity


@handler
def verify_domain_identity(req):
    name = _verify(req, _required(req, "Domain").lower(), True)
    return {"VerificationToken": state.legacy_token(req.region, name)}


@handler
def verify_domain_dkim(req):
    name = _required(req, "Domain").lower()
    b = backend(req.region)
    if name not in b.email_identities:
        state.new_identity(req.region, name, status="PENDING")
    ident = b.email_identities[name]
    dk = ident.dkim_attributes
    if not dk.get("Tokens") or dk.get("SigningAttributesOrigin") == "EXTERNAL":
        tokens = state.dkim_tokens(req.region, name)
        b.dkim_tokens[name] = tokens
        dk.update(SigningEnabled=True, Status="PENDING", SigningAttributesOrigin="AWS_SES", Tokens=tokens)
    return {"DkimTokens": list(dk["Tokens"])}


@handler
def delete_identity(req):
    state.delete_identity(req.region, _required(req, "Identity"))
    return {}


# ---- sending ------------------------------------------------------------------------------

@handler
def send_email(req):
    f = req.form
    recipients = (req.form_list("Destination.ToAddresses") + req.form_list("Destination.CcAddresses")
                  + req.form_list("Destination.BccAddresses"))
    source = f.get("Source")
    cs = f.get("ConfigurationSetName")
    check_send(req.region, source, recipients, cs, v1=True)
    body = f.get("Message.Body.Text.Data") or f.get("Message.Body.Html.Data")
    return {"MessageId": record_sent(req.region, source, recipients, f.get("Message.Subject.Data"), body, cs,
                                     tags=_message_tags(req))}


@handler
def send_raw_email(req):
    try:
        raw = base64.b64decode(_required(req, "RawMessage.Data")).decode("utf-8", "replace")
    except ValueError:
        raise ApiError("InvalidParameterValue", "RawMessage.Data must be base64")
    msg = email.message_from_string(raw)
    source = req.form.get("Source") or parseaddr(msg.get("From", ""))[1]
    recipients = req.form_list("Destinations") or [
        a for _, a in getaddresses(msg.get_all("To", []) + msg.get_all("Cc", []) + msg.get_all("Bcc", [])) if a]
    cs = req.form.get("ConfigurationSetName")
    check_send(req.region, source, recipients, cs, v1=True)
    return {"MessageId": record_sent(req.region, source, recipients, msg.get("Subject"), None, cs, raw=raw,
                                     tags=_message_tags(req))}


def _message_tags(req):
    """Tags.member.N.Name / .Value of a v1 send (they reach event-publishing records)."""
    out, i = {}, 1
    while f"Tags.member.{i}.Name" in req.form:
        out[req.form[f"Tags.member.{i}.Name"]] = req.form.get(f"Tags.member.{i}.Value", "")
        i += 1
    return out


@handler
def update_configuration_set_sending_enabled(req):
    """The v1 switch for a set's sending (moto answers it with a 500): the same flag as
    SESv2 PutConfigurationSetSendingOptions, fresh start included."""
    cs = _v1_set(req)
    enabled = _required(req, "Enabled").lower()
    if enabled not in ("true", "false"):
        raise ApiError("InvalidParameterValue", "Enabled must be true or false.")
    configsets.set_sending(cs, enabled == "true")
    return {}
