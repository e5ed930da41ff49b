"""Configuration sets as SES keeps them, on moto's own ConfigurationSet objects.

moto's backend holds the sets (`backend(region).config_sets[name]`, shared by v1 and v2);
what moto has no place for lives on the set object itself (so deleting a set, or moto's
reset, drops it too): `sesemu_destinations` (event destinations, name -> the SESv2
EventDestination as GetConfigurationSetEventDestinations returns it) and
`sesemu_archiving` (ArchivingOptions). Validation follows SES's documented limits.
"""

import datetime
import re
import time

import state
from common import ApiError
from moto.ses.models import ConfigurationSet
from state import backend

NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
DIMENSION_NAME_RE = re.compile(r"^[A-Za-z0-9_:-]{1,256}$")
DIMENSION_VALUE_RE = re.compile(r"^[A-Za-z0-9_.@:-]{1,256}$")
ARCHIVE_RE = re.compile(r"^arn:aws:ses:[a-z0-9-]+:\d{12}:mailmanager-archive/a-[a-z0-9]{24,62}$")
EVENT_TYPES = ("SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN", "CLICK", "RENDERING_FAILURE",
               "DELIVERY_DELAY", "SUBSCRIPTION")
KINDS = ("SnsDestination", "CloudWatchDestination", "KinesisFirehoseDestination", "EventBridgeDestination",
         "PinpointDestination")
MAX_SETS = 10000
MAX_DESTINATIONS = 10
MAX_DIMENSIONS = 10
SET_DIMENSION = "ses:configuration-set"


def bad(message):
    return ApiError("BadRequestException", message)


def not_found(name):
    return ApiError("NotFoundException", f"Configuration set <{name}> does not exist.", 404)


def get(region, name):
    cs = backend(region).config_sets.get(name)
    if cs is None:
        raise not_found(name)
    return cs


def destinations(cs):
    return cs.__dict__.setdefault("sesemu_destinations", {})


def archiving(cs):
    return cs.__dict__.get("sesemu_archiving") or {}


def arn(region, name):
    return f"arn:aws:ses:{region}:{state.account()}:configuration-set/{name}"


# ---- option blocks: each validator returns the block as stored ---------------------------

def _enum(value, allowed, what):
    if value not in allowed:
        raise bad(f"Invalid {what} {value!r}: must be one of {', '.join(allowed)}")
    return value


def _obj(value, what):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad(f"{what} must be an object")
    return value


def tracking_options(data, create=False):
    data = _obj(data, "TrackingOptions")
    domain = data.get("CustomRedirectDomain")
    if not domain:
        if create:
            raise bad("TrackingOptions.CustomRedirectDomain is required")
        return {}
    if not isinstance(domain, str) or len(domain) > 253:
        raise bad("Invalid CustomRedirectDomain")
    return {"CustomRedirectDomain": domain,
            "HttpsPolicy": _enum(data.get("HttpsPolicy", "OPTIONAL"), ("REQUIRE", "REQUIRE_OPEN_ONLY", "OPTIONAL"),
                                 "HttpsPolicy")}


def delivery_options(data):
    """SendingPoolName is not checked against dedicated pools (sesemu has none): any
    name of 1 to 64 characters is kept."""
    data = _obj(data, "DeliveryOptions")
    out = {"TlsPolicy": _enum(data.get("TlsPolicy", "OPTIONAL"), ("REQUIRE", "OPTIONAL"), "TlsPolicy")}
    pool = data.get("SendingPoolName")
    if pool is not None:
        if not isinstance(pool, str) or not (1 <= len(pool) <= 64):
            raise bad("Invalid SendingPoolName")
        out["SendingPoolName"] = pool
    mds = data.get("MaxDeliverySeconds")
    if mds is not None:
        if isinstance(mds, bool) or not isinstance(mds, int) or not (300 <= mds <= 50400):
            raise bad("MaxDeliverySeconds must be between 300 and 50400 seconds.")
        out["MaxDeliverySeconds"] = mds
    return out


def _flag(data, key, default=False):
    v = data.get(key, default)
    if not isinstance(v, bool):
        raise bad(f"{key} must be a boolean")
    return v


def suppression_options(data):
    data = _obj(data, "SuppressionOptions")
    reasons = data.get("SuppressedReasons") or []
    if not isinstance(reasons, list):
        raise bad("SuppressedReasons must be a list")
    for r in reasons:
        _enum(r, ("BOUNCE", "COMPLAINT"), "SuppressedReasons value")
    out = {"SuppressedReasons": list(dict.fromkeys(reasons))}
    vo = data.get("ValidationOptions")
    if vo is not None:
        ct = _obj(_obj(vo, "ValidationOptions").get("ConditionThreshold"), "ConditionThreshold")
        if "ConditionThresholdEnabled" not in ct:
            raise bad("ValidationOptions.ConditionThreshold.ConditionThresholdEnabled is required")
        threshold = {"ConditionThresholdEnabled": _enum(ct["ConditionThresholdEnabled"], ("ENABLED", "DISABLED"),
                                                        "ConditionThresholdEnabled")}
        oct_ = ct.get("OverallConfidenceThreshold")
        if oct_ is not None:
            verdict = _obj(oct_, "OverallConfidenceThreshold").get("ConfidenceVerdictThreshold")
            threshold["OverallConfidenceThreshold"] = {
                "ConfidenceVerdictThreshold": _enum(verdict, ("MEDIUM", "HIGH", "MANAGED"),
                                                    "ConfidenceVerdictThreshold")}
        out["ValidationOptions"] = {"ConditionThreshold": threshold}
    return out


def vdm_options(data):
    data = _obj(data, "VdmOptions")
    out = {}
    for block, key in (("DashboardOptions", "EngagementMetrics"), ("GuardianOptions", "OptimizedSharedDelivery")):
        if data.get(block) is not None:
            inner = _obj(data[block], block)
            out[block] = {key: _enum(inner.get(key), ("ENABLED", "DISABLED"), f"{block}.{key}")} if key in inner else {}
    return out


def archiving_options(data):
    data = _obj(data, "ArchivingOptions")
    archive = data.get("ArchiveArn")
    if archive is None:
        return {}
    if not isinstance(archive, str) or not ARCHIVE_RE.match(archive):
        raise bad(f"Invalid ArchiveArn {archive!r}")
    return {"ArchiveArn": archive}


# ---- sets ----------------------------------------------------------------------------

def create(region, name, data=None, now=None):
    """CreateConfigurationSet: every option block validated and kept (ArchivingOptions too)."""
    data = data or {}
    b = backend(region)
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise bad(f"Invalid configuration set name {name!r}: 1 to 64 letters, digits, '_' or '-'.")
    if name in b.config_sets:
        raise ApiError("AlreadyExistsException", f"Configuration set <{name}> already exists.", 400)
    if len(b.config_sets) >= MAX_SETS:
        raise ApiError("LimitExceededException", "Maximum number of configuration sets exceeded.", 400)
    sending = _obj(data.get("SendingOptions"), "SendingOptions")
    rep = _obj(data.get("ReputationOptions"), "ReputationOptions")
    tags = data.get("Tags") or []
    if not isinstance(tags, list) or any(not isinstance(t, dict) or not t.get("Key") for t in tags):
        raise bad("Tags must be a list of {Key, Value}")
    cs = ConfigurationSet(
        configuration_set_name=name,
        tracking_options=tracking_options(data.get("TrackingOptions"), create="TrackingOptions" in data),
        delivery_options=delivery_options(data.get("DeliveryOptions")),
        reputation_options={"ReputationMetricsEnabled": _flag(rep, "ReputationMetricsEnabled")},
        sending_options={"SendingEnabled": _flag(sending, "SendingEnabled", True)},
        tags=[{"Key": t["Key"], "Value": t.get("Value", "")} for t in tags],
        suppression_options=suppression_options(data["SuppressionOptions"]) if "SuppressionOptions" in data else {},
        vdm_options=vdm_options(data.get("VdmOptions")))
    cs.sesemu_archiving = archiving_options(data.get("ArchivingOptions"))
    cs.sesemu_created = time.time() if now is None else now
    b.config_sets[name] = cs
    return cs


def delete(region, name):
    """Removes the set, its event destinations and tags; identities that had it as their
    default set keep none."""
    b = backend(region)
    if name not in b.config_sets:
        raise not_found(name)
    del b.config_sets[name]
    b.config_set_event_destination.pop(name, None)
    for ident in b.email_identities.values():
        if ident.configuration_set_name == name:
            ident.configuration_set_name = None


def view(cs):
    """GetConfigurationSet's reply (all seven blocks that are set, and Tags)."""
    out = {"ConfigurationSetName": cs.configuration_set_name,
           "SendingOptions": {"SendingEnabled": sending_enabled(cs)},
           "Tags": [dict(t) for t in cs.tags or []]}
    rep = dict(cs.reputation_options or {})
    rep.setdefault("ReputationMetricsEnabled", False)
    last = rep.get("LastFreshStart")
    if isinstance(last, str):       # moto (v1) writes ISO strings
        rep["LastFreshStart"] = datetime.datetime.fromisoformat(last.replace("Z", "+00:00")).timestamp()
    elif last is None:
        rep.pop("LastFreshStart", None)
    out["ReputationOptions"] = rep
    for key, val in (("TrackingOptions", cs.tracking_options), ("DeliveryOptions", cs.delivery_options),
                     ("SuppressionOptions", cs.suppression_options), ("VdmOptions", cs.vdm_options),
                     ("ArchivingOptions", archiving(cs))):
        if val:
            out[key] = dict(val)
    return out


def sending_enabled(cs):
    v = cs.enabled
    if isinstance(v, dict):  # moto keeps the SendingOptions dict here
        v = v.get("SendingEnabled", True)
    return v if isinstance(v, bool) else True


def set_sending(cs, enabled, now=None):
    """Per-set pause/resume. Resuming a paused set resets its reputation metrics: SES's
    "fresh start" (LastFreshStart)."""
    if enabled and not sending_enabled(cs):
        if cs.reputation_options is None:
            cs.reputation_options = {}
        cs.reputation_options["LastFreshStart"] = time.time() if now is None else now
    cs.enabled = {"SendingEnabled": bool(enabled)}


# ---- event destinations --------------------------------------------------------------

def _arn(value, prefix, what):
    if not isinstance(value, str) or not value.startswith(prefix) or len(value) > 2048:
        raise bad(f"Invalid {what} {value!r}: must be an ARN starting with {prefix}")
    return value


def event_destination(name, data):
    """One EventDestinationDefinition, validated as SES does; returns the stored
    EventDestination (with Name and Enabled, false when absent)."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise bad(f"Invalid event destination name {name!r}: 1 to 64 letters, digits, '_' or '-'.")
    data = _obj(data, "EventDestination")
    kinds = [k for k in KINDS if data.get(k) is not None]
    if len(kinds) != 1:
        raise bad("An event destination must have one and only one destination: SnsDestination, "
                  "CloudWatchDestination, KinesisFirehoseDestination, EventBridgeDestination or PinpointDestination.")
    types = data.get("MatchingEventTypes")
    if not isinstance(types, list) or not types:
        raise bad("MatchingEventTypes must list at least one event type")
    for t in types:
        _enum(t, EVENT_TYPES, "MatchingEventTypes value")
    out = {"Name": name, "Enabled": _flag(data, "Enabled"), "MatchingEventTypes": list(dict.fromkeys(types))}
    kind = kinds[0]
    block = _obj(data[kind], kind)
    if kind == "SnsDestination":
        out[kind] = {"TopicArn": _arn(block.get("TopicArn"), "arn:aws:sns:", "TopicArn")}
    elif kind == "KinesisFirehoseDestination":
        out[kind] = {"IamRoleArn": _arn(block.get("IamRoleArn"), "arn:aws:iam::", "IamRoleArn"),
                     "DeliveryStreamArn": _arn(block.get("DeliveryStreamArn"), "arn:aws:firehose:",
                                               "DeliveryStreamArn")}
    elif kind == "EventBridgeDestination":
        out[kind] = {"EventBusArn": _arn(block.get("EventBusArn"), "arn:aws:events:", "EventBusArn")}
    elif kind == "PinpointDestination":
        out[kind] = {}
        if block.get("ApplicationArn") is not None:
            out[kind]["ApplicationArn"] = _arn(block["ApplicationArn"], "arn:aws:", "ApplicationArn")
    else:
        dims = block.get("DimensionConfigurations")
        if not isinstance(dims, list) or not dims:
            raise bad("CloudWatchDestination.DimensionConfigurations must hold at least one dimension")
        if len(dims) > MAX_DIMENSIONS:
            raise bad(f"A CloudWatch destination takes at most {MAX_DIMENSIONS} dimensions.")
        conf = []
        for d in dims:
            d = _obj(d, "DimensionConfiguration")
            dname, value = d.get("DimensionName"), d.get("DefaultDimensionValue")
            if not isinstance(dname, str) or not DIMENSION_NAME_RE.match(dname):
                raise bad(f"Invalid DimensionName {dname!r}: 1 to 256 letters, digits, '_', '-' or ':'.")
            if not isinstance(value, str) or not DIMENSION_VALUE_RE.match(value):
                raise bad(f"Invalid DefaultDimensionValue {value!r}")
            conf.append({"DimensionName": dname,
                         "DimensionValueSource": _enum(d.get("DimensionValueSource"),
                                                       ("MESSAGE_TAG", "EMAIL_HEADER", "LINK_TAG"),
                                                       "DimensionValueSource"),
                         "DefaultDimensionValue": value})
        out[kind] = {"DimensionConfigurations": conf}
    return out


def add_destination(cs, name, data):
    dests = destinations(cs)
    if name in dests:
        raise ApiError("AlreadyExistsException", f"Event destination {name} already exists in configuration set "
                                                 f"<{cs.configuration_set_name}>.", 400)
    dest = event_destination(name, data)
    if len(dests) >= MAX_DESTINATIONS:
        raise ApiError("LimitExceededException", f"A configuration set takes at most {MAX_DESTINATIONS} "
                                                 "event destinations.", 400)
    dests[name] = dest
    return dest


def _destination_missing(cs, name):
    return ApiError("NotFoundException", f"Event destination {name} does not exist in configuration set "
                                         f"<{cs.configuration_set_name}>.", 404)


def update_destination(cs, name, data):
    dests = destinations(cs)
    if name not in dests:
        raise _destination_missing(cs, name)
    dests[name] = event_destination(name, data)


def delete_destination(cs, name):
    if destinations(cs).pop(name, None) is None:
        raise _destination_missing(cs, name)


# ---- CloudWatch: what SES publishes for a set -------------------------------------------

def counts_in_cloudwatch(cs, event_type):
    """True when an enabled CloudWatch destination of the set matches event_type and has
    the `ses:configuration-set` dimension (so SES publishes the set's count)."""
    for d in destinations(cs).values():
        cw = d.get("CloudWatchDestination")
        if (cw and d.get("Enabled") and event_type in d["MatchingEventTypes"]
                and any(c["DimensionName"] == SET_DIMENSION for c in cw["DimensionConfigurations"])):
            return True
    return False


def count_send(region, name, now=None):
    """A message sent with configuration set `name`: Send +1 in CloudWatch (AWS/SES,
    dimension ses:configuration-set) when the set publishes SEND there."""
    cs = backend(region).config_sets.get(name) if name else None
    if cs is None or not counts_in_cloudwatch(cs, "SEND"):
        return
    put_metrics(region, [{"MetricName": "Send", "Value": 1.0, "Unit": "Count",
                          "Timestamp": time.time() if now is None else now,
                          "Dimensions": [{"Name": SET_DIMENSION, "Value": name}]}])


def put_metrics(region, data):
    """Writes datums (Timestamp as epoch seconds) into moto's CloudWatch, AWS/SES."""
    from moto.cloudwatch.models import cloudwatch_backends
    for d in data:   # moto's CloudWatch compares naive UTC datetimes
        d["Timestamp"] = datetime.datetime.fromtimestamp(d["Timestamp"], datetime.timezone.utc).replace(tzinfo=None)
    cloudwatch_backends[state.account()][region].put_metric_data("AWS/SES", data)
