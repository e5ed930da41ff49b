"""Mail Manager (JSON 1.0, X-Amz-Target: MailManagerSvc.*): moto has no backend, so the
list operations read the seeded resources kept in EmuState."""

from common import ApiError, decode_token, encode_token
from state import emu

HANDLERS = {}

_LISTS = {
    "ListRuleSets": ("RuleSets", ("RuleSetId", "RuleSetName", "LastModificationDate")),
    "ListTrafficPolicies": ("TrafficPolicies", ("TrafficPolicyName", "TrafficPolicyId", "DefaultAction")),
    "ListIngressPoints": ("IngressPoints", ("IngressPointName", "IngressPointId", "Status", "Type", "ARecord")),
    "ListArchives": ("Archives", ("ArchiveId", "ArchiveName", "ArchiveState", "LastUpdatedTimestamp")),
}


def _lister(op, key, fields):
    def fn(req):
        data = req.json()
        size = data.get("PageSize", 50)
        if not isinstance(size, int) or not 1 <= size <= 50:
            raise ApiError("ValidationException", "PageSize must be between 1 and 50")
        token = data.get("NextToken")
        try:
            start = decode_token(token) if token else 0
        except ValueError:
            raise ApiError("ValidationException", "Invalid NextToken")
        items = emu(req.region).mailmanager[key]
        page = [{f: it[f] for f in fields if f in it} for it in items[start:start + size]]
        out = {key: page}
        if start + size < len(items):
            out["NextToken"] = encode_token(start + size)
        return out
    return fn


for _op, (_key, _fields) in _LISTS.items():
    HANDLERS[_op] = _lister(_op, _key, _fields)
