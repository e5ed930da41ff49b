"""Request object, errors, response rendering and the botocore-model router for sesemu."""

import base64
import datetime
import json
import re
import uuid
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

import botocore.session

XMLNS = "http://ses.amazonaws.com/doc/2010-12-01/"


class ApiError(Exception):
    """An AWS error: code as on the wire, message, HTTP status."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class PassToMoto(Exception):
    """Raised by a handler that only checked the request: moto answers it."""


@lru_cache(maxsize=None)
def service_model(name):
    return botocore.session.get_session().get_service_model(name)


class Request:
    def __init__(self, environ, body):
        self.environ = environ
        self.method = environ["REQUEST_METHOD"].upper()
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
        parts = urlsplit(raw)
        self.raw_path = parts.path or "/"
        self.query = parse_qs(parts.query or environ.get("QUERY_STRING", ""), keep_blank_values=True)
        self.body = body
        self.region = "us-east-1"
        self.service = None
        self.family = None      # v2 | v1 | mm | cw | ct | other
        self.op = None
        self.path_params = {}
        self.access_key = None  # the signing key and its account: sesemu.Emulator._classify
        self.account = None
        self.request_id = str(uuid.uuid4())
        self._form = None

    def header(self, name, default=None):
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"), default)

    def json(self):
        if not self.body:
            return {}
        try:
            data = json.loads(self.body)
        except ValueError:
            raise ApiError("SerializationException" if self.family in ("mm", "ct") else "BadRequestException",
                           "Could not parse request body into json")
        if not isinstance(data, dict):
            raise ApiError("BadRequestException", "Request body must be a JSON object")
        return data

    def q1(self, name, default=None):
        v = self.query.get(name)
        return v[0] if v else default

    @property
    def form(self):
        """v1 Query parameters (form body merged with the query string), one value each."""
        if self._form is None:
            merged = {k: v[-1] for k, v in self.query.items()}
            ctype = self.environ.get("CONTENT_TYPE", "")
            if self.body and "json" not in ctype:
                for k, v in parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True).items():
                    merged[k] = v[-1]
            self._form = merged
        return self._form

    def form_list(self, prefix):
        """Query-protocol list: prefix.member.1, prefix.member.2, ..."""
        out, i = [], 1
        while f"{prefix}.member.{i}" in self.form:
            out.append(self.form[f"{prefix}.member.{i}"])
            i += 1
        return out


def registrar(table):
    """Decorator filing a handler under its operation name: put_account_details -> PutAccountDetails."""
    def register(fn):
        table["".join(p.capitalize() for p in fn.__name__.split("_"))] = fn
        return fn
    return register


def encode_token(offset):
    """NextToken for a list position (opaque to clients, as AWS's are)."""
    return base64.urlsafe_b64encode(f"sesemu:{offset}".encode()).decode()


def decode_token(token):
    """Offset from a NextToken made by encode_token; ValueError for anything else."""
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
    except Exception:
        raise ValueError("bad token")
    prefix, _, num = text.partition(":")
    if prefix != "sesemu" or not num.isdigit():
        raise ValueError("bad token")
    return int(num)


# ---- routing by the botocore REST model ----------------------------------------------

def _compile_uri(uri):
    path = uri.split("?", 1)[0]
    names = []

    def repl(m):
        name = m.group(1)
        greedy = name.endswith("+")
        name = name.rstrip("+")
        names.append(name)
        return f"(?P<{name}>.+)" if greedy else f"(?P<{name}>[^/]+)"

    pattern = re.sub(r"\\\{([^}]+)\\\}", repl, re.escape(path))
    return re.compile("^" + pattern + "/?$"), names


@lru_cache(maxsize=None)
def rest_routes(service):
    model = service_model(service)
    routes = []
    for op in model.operation_names:
        http = model.operation_model(op).http
        rx, _ = _compile_uri(http["requestUri"])
        routes.append((http["method"].upper(), rx, op))
    # literal segments beat parameters: longer literal prefix first
    routes.sort(key=lambda r: -len(r[1].pattern.split("(?P")[0]))
    return routes


def match_rest(service, method, raw_path):
    for m, rx, op in rest_routes(service):
        if m != method:
            continue
        hit = rx.match(raw_path)
        if hit:
            return op, {k: unquote(v) for k, v in hit.groupdict().items()}
    return None, {}


# ---- rendering -------------------------------------------------------------------------

def json_body(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def _cbor_text(s):
    raw = s.encode()
    n = len(raw)
    if n < 24:
        head = bytes([0x60 | n])
    elif n < 256:
        head = bytes([0x78, n])
    else:
        head = bytes([0x79]) + n.to_bytes(2, "big")
    return head + raw[:65535]


def cbor_error(code, message):
    """{"__type": code, "message": message} in CBOR (CloudWatch's smithy-rpc-v2-cbor)."""
    return bytes([0xA2]) + _cbor_text("__type") + _cbor_text(code) + _cbor_text("message") + _cbor_text(message)


def render_error(req, err):
    family = req.family if req is not None else "v2"
    rid = req.request_id if req is not None else str(uuid.uuid4())
    status = err.status
    if family == "cw" and "/operation/" in req.raw_path:
        return status, [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                        ("x-amzn-RequestId", rid)], cbor_error(err.code, err.message)
    if family == "ct":      # JSON 1.1 (CloudTrail)
        return status, [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", rid)], \
            json_body({"__type": err.code, "message": err.message})
    if family in ("cw", "other") and req.header("X-Amz-Target"):
        return status, [("Content-Type", "application/x-amz-json-1.0"), ("x-amzn-RequestId", rid)], \
            json_body({"__type": err.code, "message": err.message})
    if family == "other" and getattr(req, "service", None) == "s3":     # REST-XML, S3's shape
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{xml_escape(err.code)}</Code>"
                f"<Message>{xml_escape(err.message)}</Message><RequestId>{rid}</RequestId></Error>")
        return status, [("Content-Type", "application/xml"), ("x-amz-request-id", rid)], body.encode()
    if family in ("v1", "cw", "other"):     # Query protocol (SES v1, CloudWatch, STS)
        kind = "Receiver" if status >= 500 else "Sender"
        body = (f'<ErrorResponse xmlns="{XMLNS}"><Error><Type>{kind}</Type><Code>{xml_escape(err.code)}</Code>'
                f"<Message>{xml_escape(err.message)}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>")
        return status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid)], body.encode()
    if family == "mm":
        body = json_body({"__type": err.code, "message": err.message})
        return status, [("Content-Type", "application/x-amz-json-1.0"), ("x-amzn-RequestId", rid)], body
    body = json_body({"message": err.message})
    return status, [("Content-Type", "application/json"), ("x-amzn-ErrorType", err.code),
                    ("x-amzn-RequestId", rid)], body


def xml_escape(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def iso(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def normalize_json(shape, value):
    """A moto JSON reply made as AWS sends it: members that are null are left out and
    timestamps given as ISO strings become epoch numbers (walking the botocore shape)."""
    if isinstance(value, dict):
        members = shape.members if shape is not None and shape.type_name == "structure" else None
        inner = shape.value if shape is not None and shape.type_name == "map" else None
        return {k: normalize_json(members.get(k) if members is not None else inner, v)
                for k, v in value.items() if v is not None}
    if isinstance(value, list):
        member = shape.member if shape is not None and shape.type_name == "list" else None
        return [normalize_json(member, v) for v in value]
    if shape is not None and shape.type_name == "timestamp" and isinstance(value, str):
        try:
            when = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        return when.timestamp()
    return value


def _xml_value(shape, value):
    t = shape.type_name
    if t == "structure":
        out = []
        for name, member in shape.members.items():
            if name in value and value[name] is not None:
                out.append(f"<{name}>{_xml_value(member, value[name])}</{name}>")
        return "".join(out)
    if t == "list":
        return "".join(f"<member>{_xml_value(shape.member, v)}</member>" for v in value)
    if t == "map":
        return "".join(f"<entry><key>{xml_escape(k)}</key><value>{_xml_value(shape.value, v)}</value></entry>"
                       for k, v in value.items())
    if t == "boolean":
        return "true" if value else "false"
    if t == "timestamp":
        return iso(value) if isinstance(value, (int, float)) else xml_escape(value)
    return xml_escape(value)


def render_query_xml(op, result, rid):
    """Query-protocol (SES v1) success body for `op`, serialized from the botocore model."""
    model = service_model("ses").operation_model(op)
    out = model.output_shape
    inner = ""
    if out is not None:
        inner = f"<{op}Result>{_xml_value(out, result or {})}</{op}Result>"
    return (f'<{op}Response xmlns="{XMLNS}">{inner}<ResponseMetadata><RequestId>{rid}</RequestId>'
            f"</ResponseMetadata></{op}Response>").encode()
