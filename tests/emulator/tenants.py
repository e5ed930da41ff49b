"""SES tenants, their reputation entities and the VDM recommendations (findings) that
name them; moto has none of these.

Where things live (per region, on EmuState, so moto's reset wipes them and the seed puts
its own back):
- `tenants`: tenant name -> record {name, id, arn, created, tags, policy (none | standard
  | strict), customer and aws (StatusRecord dicts), resources: {canonical resource ARN ->
  {"type", "associated"}}}, in creation order;
- `recommendations`: [Recommendation dicts as ListRecommendations returns them], for
  tenants (ResourceArn = the tenant ARN) and for identities alike.

Wire choices where the model and the docs are silent (README.md, "Tenants"):
- TenantId is `tn-` and 24 hex digits; TenantArn `arn:aws:ses:REGION:ACCOUNT:tenant/NAME/ID`;
- every tenant has one reputation entity, type RESOURCE, reference the tenant ARN, policy
  `arn:aws:ses:REGION:aws:reputation-policy/standard` until changed;
- policies are kept and reported but never act on findings by themselves: what AWS
  decides (AwsSesManagedStatus) comes from the admin API;
- SendingStatusAggregate: DISABLED when either status is DISABLED, else REINSTATED when
  either is REINSTATED, else ENABLED; ReputationImpact: the highest OPEN finding on the
  tenant ARN (absent when there is none);
- an association whose resource was deleted (through any API) disappears with it;
  deleting a tenant drops its associations and the findings on its ARN.
"""

import hashlib
import re
import time

from common import ApiError, decode_token, encode_token, registrar
from state import account, backend, emu

HANDLERS = {}
handler = registrar(HANDLERS)

NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SENDING_STATUSES = ("ENABLED", "DISABLED", "REINSTATED")
POLICIES = ("none", "standard", "strict")
DEFAULT_POLICY = "standard"
RESOURCE_TYPES = {"identity": "EMAIL_IDENTITY", "configuration-set": "CONFIGURATION_SET",
                  "template": "EMAIL_TEMPLATE"}
ENTITY_TYPES = ("RESOURCE",)
ENTITY_FILTERS = ("ENTITY_TYPE", "REPUTATION_IMPACT", "SENDING_STATUS", "ENTITY_REFERENCE_PREFIX")
REC_TYPES = ("DKIM", "DMARC", "SPF", "BIMI", "COMPLAINT", "BOUNCE", "FEEDBACK_3P", "IP_LISTING")
IMPACTS = ("LOW", "HIGH")
REC_STATUSES = ("OPEN", "FIXED")
# ListRecommendations: one key alone, or STATUS with IMPACT, or STATUS with TYPE
REC_FILTER_PAIRS = ({"STATUS", "IMPACT"}, {"STATUS", "TYPE"})
_ARN_RE = re.compile(r"^arn:([a-z-]+):ses:([a-z0-9-]+):(\d{12}):(identity|configuration-set|template|tenant)/(.+)$")


# ---- state -----------------------------------------------------------------------------------

def tenants(region):
    return emu(region).tenants


def recommendations(region):
    return emu(region).recommendations


def tenant_arn(region, name, tid):
    return f"arn:aws:ses:{region}:{account()}:tenant/{name}/{tid}"


def policy_arn(region, word):
    return f"arn:aws:ses:{region}:aws:reputation-policy/{word}"


def resource_arn(region, kind, name):
    """kind: identity, configuration-set or template."""
    return f"arn:aws:ses:{region}:{account()}:{kind}/{name}"


def tenant_id(*parts):
    return "tn-" + hashlib.sha256("\0".join(("tenant",) + parts).encode()).hexdigest()[:24]


def new_tenant(region, name, tags=None, now=None, tid=None):
    """A tenant as CreateTenant makes it (also used by the seeds, with a fixed id)."""
    now = time.time() if now is None else now
    tid = tid or tenant_id(region, name, repr(now))
    rec = {"name": name, "id": tid, "arn": tenant_arn(region, name, tid), "created": now,
           "tags": [dict(t) for t in tags or []], "policy": DEFAULT_POLICY,
           "customer": {"Status": "ENABLED", "LastUpdatedTimestamp": now},
           "aws": {"Status": "ENABLED", "LastUpdatedTimestamp": now},
           "resources": {}}
    tenants(region)[name] = rec
    return rec


def by_arn(region, arn):
    return next((t for t in tenants(region).values() if t["arn"] == arn), None)


def aggregate(t):
    statuses = (t["customer"]["Status"], t["aws"]["Status"])
    if "DISABLED" in statuses:
        return "DISABLED"
    if "REINSTATED" in statuses:
        return "REINSTATED"
    return "ENABLED"


def impact(region, arn):
    found = {r["Impact"] for r in recommendations(region) if r["ResourceArn"] == arn and r["Status"] == "OPEN"}
    return "HIGH" if "HIGH" in found else ("LOW" if "LOW" in found else None)


def _identity_name(region, name):
    """The stored name of an identity (identities keep the case they were created with)."""
    ids = backend(region).email_identities
    if name in ids:
        return name
    return next((n for n in ids if n.lower() == name.lower()), None)


def canonical_resource(region, arn):
    """(resource type, canonical ARN) of an existing identity, configuration set or template
    of this account and region, or None."""
    m = _ARN_RE.match(arn or "")
    if not m or m.group(1) != "aws" or m.group(2) != region or m.group(3) != account() or m.group(4) == "tenant":
        return None
    kind, name = m.group(4), m.group(5)
    b = backend(region)
    if kind == "identity":
        name = _identity_name(region, name)
        if name is None:
            return None
    elif kind == "configuration-set":
        if name not in b.config_sets:
            return None
    elif name not in b.templates:
        return None
    return RESOURCE_TYPES[kind], resource_arn(region, kind, name)


def prune(region):
    """Associations whose resource was deleted (through any API) go with it."""
    for t in tenants(region).values():
        for arn in [a for a in t["resources"] if canonical_resource(region, a) is None]:
            del t["resources"][arn]


# ---- views -----------------------------------------------------------------------------------

def tenant_view(t, full=True):
    out = {"TenantName": t["name"], "TenantId": t["id"], "TenantArn": t["arn"], "CreatedTimestamp": t["created"]}
    if full:
        out["Tags"] = [dict(x) for x in t["tags"]]
        out["SendingStatus"] = aggregate(t)
    return out


def entity_view(region, t):
    out = {"ReputationEntityReference": t["arn"], "ReputationEntityType": "RESOURCE",
           "ReputationManagementPolicy": policy_arn(region, t["policy"]),
           "CustomerManagedStatus": dict(t["customer"]), "AwsSesManagedStatus": dict(t["aws"]),
           "SendingStatusAggregate": aggregate(t)}
    level = impact(region, t["arn"])
    if level:
        out["ReputationImpact"] = level
    return out


# ---- request helpers -------------------------------------------------------------------------

def _page(items, data, default=100, maximum=1000):
    """One page of a JSON-body list call (NextToken, PageSize in the body)."""
    token, size = data.get("NextToken"), data.get("PageSize", default)
    try:
        start = decode_token(token) if token else 0
    except (ValueError, AttributeError):
        raise ApiError("BadRequestException", "Invalid NextToken")
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= maximum:
        raise ApiError("BadRequestException", f"PageSize must be between 1 and {maximum}")
    page = items[start:start + size]
    nxt = start + size
    return page, (encode_token(nxt) if nxt < len(items) else None)


def _with_token(out, token):
    if token:
        out["NextToken"] = token
    return out


def _name(data):
    name = data.get("TenantName")
    if not isinstance(name, str) or not name:
        raise ApiError("BadRequestException", "TenantName is required")
    return name


def _tenant(region, name):
    t = tenants(region).get(name)
    if t is None:
        raise ApiError("NotFoundException", f"Tenant {name} does not exist.", 404)
    return t


def _filter(data, allowed, empty_ok=True):
    """The request's Filter map, checked; {} when absent (or empty, where the model allows
    an empty map: only ListRecommendations' has a minimum of one key)."""
    f = data.get("Filter")
    if f is None:
        return {}
    if not isinstance(f, dict) or (not f and not empty_ok):
        raise ApiError("BadRequestException", "Filter must be a non-empty map")
    for k, v in f.items():
        if k not in allowed:
            raise ApiError("BadRequestException", f"Invalid filter key {k}: one of {', '.join(allowed)}")
        if not isinstance(v, str) or not 1 <= len(v) <= 512:
            raise ApiError("BadRequestException", f"Filter value for {k} must be 1 to 512 characters")
    return f


def _enum(value, allowed, what):
    if value not in allowed:
        raise ApiError("BadRequestException", f"Invalid {what} {value}: one of {', '.join(allowed)}")
    return value


def _resource(region, arn):
    """(type, canonical ARN) of a request's ResourceArn: BadRequest when it is not an ARN,
    NotFound when it names no identity, configuration set or template here."""
    if not isinstance(arn, str) or not arn:
        raise ApiError("BadRequestException", "ResourceArn is required")
    if not arn.startswith("arn:") or arn.count(":") < 5:
        raise ApiError("BadRequestException", f"Invalid ResourceArn: {arn}")
    found = canonical_resource(region, arn)
    if found is None:
        raise ApiError("NotFoundException", f"Resource {arn} does not exist.", 404)
    return found


def _tags(tags):
    if tags is None:
        return []
    if not isinstance(tags, list) or any(not isinstance(t, dict) or not t.get("Key") for t in tags):
        raise ApiError("BadRequestException", "Tags must be a list of {Key, Value}")
    if len(tags) > 50:
        raise ApiError("BadRequestException", "A resource takes at most 50 tags.")
    return [{"Key": t["Key"], "Value": t.get("Value", "")} for t in tags]


def _entity(req, missing_code="NotFoundException"):
    etype = req.path_params.get("ReputationEntityType")
    ref = req.path_params.get("ReputationEntityReference")
    _enum(etype, ENTITY_TYPES, "ReputationEntityType")
    t = by_arn(req.region, ref)
    if t is None:
        raise ApiError(missing_code, f"Reputation entity {etype}/{ref} does not exist.",
                       404 if missing_code == "NotFoundException" else 400)
    return t


# ---- tenants ---------------------------------------------------------------------------------

@handler
def create_tenant(req):
    data = req.json()
    name = data.get("TenantName")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ApiError("BadRequestException", "TenantName must be 1 to 64 characters: letters, digits, "
                                              "hyphens (-) and underscores (_) only.")
    if name in tenants(req.region):
        raise ApiError("AlreadyExistsException", f"Tenant {name} already exists.")
    return tenant_view(new_tenant(req.region, name, _tags(data.get("Tags"))))


@handler
def get_tenant(req):
    return {"Tenant": tenant_view(_tenant(req.region, _name(req.json())))}


@handler
def list_tenants(req):
    page, token = _page(list(tenants(req.region).values()), req.json())
    return _with_token({"Tenants": [tenant_view(t, full=False) for t in page]}, token)


@handler
def delete_tenant(req):
    """The tenant and its associations go (the resources stay), and with its reputation
    entity the findings on its ARN."""
    t = _tenant(req.region, _name(req.json()))
    del tenants(req.region)[t["name"]]
    recs = recommendations(req.region)
    recs[:] = [r for r in recs if r["ResourceArn"] != t["arn"]]
    return {}


@handler
def create_tenant_resource_association(req):
    data = req.json()
    t = _tenant(req.region, _name(data))
    rtype, arn = _resource(req.region, data.get("ResourceArn"))
    prune(req.region)
    if arn in t["resources"]:
        raise ApiError("AlreadyExistsException", f"Resource {arn} is already associated with tenant {t['name']}.")
    t["resources"][arn] = {"type": rtype, "associated": time.time()}
    return {}


@handler
def delete_tenant_resource_association(req):
    data = req.json()
    t = _tenant(req.region, _name(data))
    rtype, arn = _resource(req.region, data.get("ResourceArn"))
    if arn not in t["resources"]:
        raise ApiError("NotFoundException", f"Resource {arn} is not associated with tenant {t['name']}.", 404)
    del t["resources"][arn]
    return {}


@handler
def list_tenant_resources(req):
    data = req.json()
    t = _tenant(req.region, _name(data))
    f = _filter(data, ("RESOURCE_TYPE",))
    want = _enum(f["RESOURCE_TYPE"], tuple(RESOURCE_TYPES.values()), "RESOURCE_TYPE") if f else None
    prune(req.region)
    rows = [{"ResourceType": r["type"], "ResourceArn": arn} for arn, r in t["resources"].items()
            if want is None or r["type"] == want]
    page, token = _page(rows, data)
    return _with_token({"TenantResources": page}, token)


@handler
def list_resource_tenants(req):
    data = req.json()
    _, arn = _resource(req.region, data.get("ResourceArn"))
    prune(req.region)
    rows = [{"TenantName": t["name"], "TenantId": t["id"], "ResourceArn": arn,
             "AssociatedTimestamp": t["resources"][arn]["associated"]}
            for t in tenants(req.region).values() if arn in t["resources"]]
    page, token = _page(rows, data)
    return _with_token({"ResourceTenants": page}, token)


# ---- reputation entities ---------------------------------------------------------------------

@handler
def list_reputation_entities(req):
    data = req.json()
    f = _filter(data, ENTITY_FILTERS)
    if "ENTITY_TYPE" in f:
        _enum(f["ENTITY_TYPE"], ENTITY_TYPES, "ENTITY_TYPE")
    if "REPUTATION_IMPACT" in f:
        _enum(f["REPUTATION_IMPACT"], IMPACTS, "REPUTATION_IMPACT")
    if "SENDING_STATUS" in f:
        _enum(f["SENDING_STATUS"], SENDING_STATUSES, "SENDING_STATUS")
    rows = []
    for t in tenants(req.region).values():
        e = entity_view(req.region, t)
        if "REPUTATION_IMPACT" in f and e.get("ReputationImpact") != f["REPUTATION_IMPACT"]:
            continue
        if "SENDING_STATUS" in f and e["SendingStatusAggregate"] != f["SENDING_STATUS"]:
            continue
        if "ENTITY_REFERENCE_PREFIX" in f and not t["arn"].startswith(f["ENTITY_REFERENCE_PREFIX"]):
            continue
        rows.append(e)
    page, token = _page(rows, data)
    return _with_token({"ReputationEntities": page}, token)


@handler
def get_reputation_entity(req):
    return {"ReputationEntity": entity_view(req.region, _entity(req))}


POLICY_RE = re.compile(r"^arn:aws:ses:([a-z0-9-]+):aws:reputation-policy/(" + "|".join(POLICIES) + ")$")


@handler
def update_reputation_entity_policy(req):
    # the model lists no NotFoundException here: an unknown entity is a BadRequestException
    t = _entity(req, "BadRequestException")
    value = req.json().get("ReputationEntityPolicy")
    m = POLICY_RE.match(value) if isinstance(value, str) else None
    if not m or m.group(1) != req.region:
        raise ApiError("BadRequestException", f"Invalid reputation entity policy {value}: expected "
                                              f"{policy_arn(req.region, '(none|standard|strict)')}")
    t["policy"] = m.group(2)
    return {}


@handler
def update_reputation_entity_customer_managed_status(req):
    t = _entity(req, "BadRequestException")
    status = _enum(req.json().get("SendingStatus"), SENDING_STATUSES, "SendingStatus")
    t["customer"] = {"Status": status, "LastUpdatedTimestamp": time.time()}   # the API carries no cause
    return {}


# ---- recommendations -------------------------------------------------------------------------

@handler
def list_recommendations(req):
    data = req.json()
    f = _filter(data, ("TYPE", "IMPACT", "STATUS", "RESOURCE_ARN"), empty_ok=False)
    if len(f) > 1 and set(f) not in REC_FILTER_PAIRS:
        raise ApiError("BadRequestException", "Filter takes one key, or STATUS with IMPACT, or STATUS with TYPE.")
    if "TYPE" in f:
        _enum(f["TYPE"], REC_TYPES, "TYPE")
    if "IMPACT" in f:
        _enum(f["IMPACT"], IMPACTS, "IMPACT")
    if "STATUS" in f:
        _enum(f["STATUS"], REC_STATUSES, "STATUS")
    keys = {"TYPE": "Type", "IMPACT": "Impact", "STATUS": "Status", "RESOURCE_ARN": "ResourceArn"}
    recs = sorted(recommendations(req.region), key=lambda r: -r["LastUpdatedTimestamp"])   # stable: ties keep order
    rows = [dict(r) for r in recs if all(r[keys[k]] == v for k, v in f.items())]
    page, token = _page(rows, data, default=100, maximum=100)
    return _with_token({"Recommendations": page}, token)


def add_recommendation(region, resource_arn, rtype, rimpact, description, status="OPEN", now=None):
    """A finding appears (or changes): one per (ResourceArn, Type, Description). Returns it."""
    now = time.time() if now is None else now
    for value, allowed, what in ((rtype, REC_TYPES, "type"), (rimpact, IMPACTS, "impact"),
                                 (status, REC_STATUSES, "status")):
        if value not in allowed:
            raise ValueError(f"{what} must be one of {', '.join(allowed)}")
    if not isinstance(description, str) or not description:
        raise ValueError("description is required")
    for r in recommendations(region):
        if (r["ResourceArn"], r["Type"], r["Description"]) == (resource_arn, rtype, description):
            r.update(Impact=rimpact, Status=status, LastUpdatedTimestamp=now)
            return r
    rec = {"ResourceArn": resource_arn, "Type": rtype, "Description": description, "Status": status,
           "Impact": rimpact, "CreatedTimestamp": now, "LastUpdatedTimestamp": now}
    recommendations(region).append(rec)
    return rec


def resolve_recommendations(region, resource_arn, rtype, description=None, now=None):
    """Every OPEN finding on that resource of that type (and description, when given)
    becomes FIXED. Returns them."""
    now = time.time() if now is None else now
    done = []
    for r in recommendations(region):
        if r["ResourceArn"] == resource_arn and r["Type"] == rtype and r["Status"] == "OPEN" \
                and (description is None or r["Description"] == description):
            r.update(Status="FIXED", LastUpdatedTimestamp=now)
            done.append(r)
    return done


def set_aws_status(region, name, status, cause=None, now=None):
    """What AWS decided for a tenant (AwsSesManagedStatus). Returns the tenant record."""
    t = tenants(region).get(name)
    if t is None:
        raise KeyError(f"no tenant {name!r} in {region}")
    if status not in SENDING_STATUSES:
        raise ValueError(f"status must be one of {', '.join(SENDING_STATUSES)}")
    if cause is not None and (not isinstance(cause, str) or not 1 <= len(cause) <= 512):
        raise ValueError("cause must be 1 to 512 characters")
    rec = {"Status": status, "LastUpdatedTimestamp": time.time() if now is None else now}
    if cause:
        rec["Cause"] = cause
    t["aws"] = rec
    return t


def resolve_resource(region, resource):
    """An ARN as given, or the ARN of the tenant (first) or identity of that name; None if
    the name is neither."""
    if resource.startswith("arn:"):
        return resource
    t = tenants(region).get(resource)
    if t is not None:
        return t["arn"]
    name = _identity_name(region, resource)
    return resource_arn(region, "identity", name) if name else None


def dump(region):
    """Admin view: every tenant with its entity and resources, and every recommendation."""
    prune(region)
    out = {}
    for t in tenants(region).values():
        e = entity_view(region, t)
        out[t["name"]] = dict(tenant_view(t), policy=t["policy"], ReputationEntity=e,
                              resources=[{"ResourceType": r["type"], "ResourceArn": a,
                                          "AssociatedTimestamp": r["associated"]} for a, r in t["resources"].items()])
    return {"region": region, "tenants": out, "recommendations": [dict(r) for r in recommendations(region)]}


# ---- sending ---------------------------------------------------------------------------------

def check_send(region, name, address, identity_arn=None, config_set=None, template_arn=None):
    """SES's refusals for a send with TenantName (after the account-wide pause):
    unknown tenant -> NotFoundException; a referenced resource (the From identity, i.e. the
    address or its domain, or FromEmailAddressIdentityArn; the configuration set; the
    template) not associated -> BadRequestException; tenant's aggregate status DISABLED ->
    SendingPausedException."""
    if not isinstance(name, str) or not name:
        raise ApiError("BadRequestException", "TenantName must be 1 to 64 characters")
    t = _tenant(region, name)
    prune(region)
    assoc = t["resources"]

    def refuse(arn):
        raise ApiError("BadRequestException", f"The resource {arn} is not associated with the tenant {name}.")

    if config_set:
        if config_set not in backend(region).config_sets:
            raise ApiError("NotFoundException", f"Configuration set <{config_set}> does not exist.", 404)
        arn = resource_arn(region, "configuration-set", config_set)
        if arn not in assoc:
            refuse(arn)
    if identity_arn:
        found = canonical_resource(region, identity_arn)
        if (found[1] if found else identity_arn) not in assoc:
            refuse(identity_arn)
    elif address:
        cands = []
        for cand in (address, address.rsplit("@", 1)[-1]):
            stored = _identity_name(region, cand)
            if stored is not None:
                cands.append(resource_arn(region, "identity", stored))
        # no identity at all: the sender check that follows says "not verified"
        if cands and not any(c in assoc for c in cands):
            refuse(cands[0])
    if template_arn:
        found = canonical_resource(region, template_arn)
        if (found[1] if found else template_arn) not in assoc:
            refuse(template_arn)
    if aggregate(t) == "DISABLED":
        raise ApiError("SendingPausedException", f"Email sending is paused for the tenant {name}.")
    return t


# ---- seeds -----------------------------------------------------------------------------------

def seed_tenant(region, name, created, resources=(), customer=None, aws=None, policy=DEFAULT_POLICY):
    """A tenant written straight into state for a seed: fixed id (from region and name),
    resources as (kind, name, when) with kind identity | configuration-set | template,
    customer/aws as (status, cause or None, when)."""
    t = new_tenant(region, name, now=created, tid=tenant_id(region, name))
    t["policy"] = policy
    for kind, rname, when in resources:
        t["resources"][resource_arn(region, kind, rname)] = {"type": RESOURCE_TYPES[kind], "associated": when}
    for key, value in (("customer", customer), ("aws", aws)):
        if value:
            status, cause, when = value
            t[key] = {"Status": status, "LastUpdatedTimestamp": when, **({"Cause": cause} if cause else {})}
    return t
