"""SigV4 verification for sesemu (moto checks nothing).

The signature is recomputed with botocore's own SigV4Auth for the emulator's known
credentials, using exactly the headers the client says it signed. A mismatch is answered
the way AWS does: HTTP 403 SignatureDoesNotMatch with the canonical request and the
string to sign in the message.

S3 (credential scope service "s3") is checked with S3's rules, as botocore's S3SigV4Auth
signs: the canonical URI is the path exactly as it came on the wire (no second encoding,
no normalisation of "//" or "."), and x-amz-content-sha256 must be present, signed, and
either the hex SHA-256 of the body (checked: XAmzContentSHA256Mismatch otherwise),
UNSIGNED-PAYLOAD, or STREAMING-UNSIGNED-PAYLOAD-TRAILER (boto3's aws-chunked uploads,
whose trailing checksum moto checks).
"""

import datetime
import hashlib
import re
from urllib.parse import quote, unquote, urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

_AUTH_RE = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,\s*"
    r"SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)"
)

MAX_SKEW = datetime.timedelta(minutes=5)

MISMATCH_TEXT = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)


class SigError(Exception):
    """code, HTTP status and message of an authentication failure."""

    def __init__(self, code, message, status=403):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class _Signer(SigV4Auth):
    """SigV4Auth that signs exactly the headers named by the client and canonicalises the
    query string the way the service does (decode, then encode each key and value)."""

    def __init__(self, credentials, service, region, signed_headers):
        super().__init__(credentials, service, region)
        self._signed = signed_headers

    def headers_to_sign(self, request):
        out = HTTPHeaders()
        for name in self._signed:
            for value in request.headers.get_all(name) or [""]:
                out[name] = value
        return out

    def canonical_query_string(self, request):
        query = urlsplit(request.url).query
        pairs = []
        if query:
            for part in query.split("&"):
                k, _, v = part.partition("=")
                pairs.append((quote(unquote(k), safe="-_.~"), quote(unquote(v), safe="-_.~")))
        return "&".join(f"{k}={v}" for k, v in sorted(pairs))


class _S3Signer(_Signer):
    """S3: the wire path is the canonical URI."""

    def _normalize_url_path(self, path):
        return path


S3_UNSIGNED = ("UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")


def _check_s3_payload(headers, signed_headers, body):
    value = headers.get("x-amz-content-sha256")
    if value is None:
        raise SigError("InvalidRequest",
                       "Missing required header for this request: x-amz-content-sha256", 400)
    if "x-amz-content-sha256" not in signed_headers:
        raise SigError("AccessDenied", "There were headers present in the request which were "
                       "not signed: x-amz-content-sha256")
    if value in S3_UNSIGNED:
        return
    if value.startswith("STREAMING-"):
        raise SigError("NotImplemented", f"sesemu does not verify {value} uploads", 501)
    digest = hashlib.sha256(body or b"").hexdigest()
    if value != digest:
        raise SigError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' "
                       "header does not match what was computed.", 400)


def parse_authorization(header):
    """Returns (access_key, date, region, service, signed_headers, signature) or None."""
    m = _AUTH_RE.match(header or "")
    if not m:
        return None
    akid, date, region, service, signed, sig = m.groups()
    return akid, date, region, service, signed.split(";"), sig


def verify(environ, body, credentials, now=None):
    """Checks the request in `environ` (WSGI) whose body is `body` (bytes).

    credentials: dict access_key -> secret_key. Returns (access_key, region, service).
    Raises SigError on any failure.
    """
    header = environ.get("HTTP_AUTHORIZATION", "")
    parsed = parse_authorization(header)
    if parsed is None:
        if not header:
            raise SigError("MissingAuthenticationToken", "Missing Authentication Token")
        raise SigError("IncompleteSignature", f"Authorization header requires 'Credential', "
                       f"'Signature' and 'SignedHeaders' parameters. Authorization={header}", 400)
    akid, date, region, service, signed_headers, signature = parsed
    secret = credentials.get(akid)
    if secret is None:
        raise SigError("InvalidClientTokenId", "The security token included in the request is invalid.")

    amz_date = environ.get("HTTP_X_AMZ_DATE", "")
    try:
        when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise SigError("IncompleteSignature", "Date must be in ISO-8601 'basic format'. "
                       f"Got '{amz_date}'. See http://en.wikipedia.org/wiki/ISO_8601", 400)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if abs(now - when) > MAX_SKEW:
        fmt = "%Y%m%dT%H%M%SZ"
        if when < now:
            msg = (f"Signature expired: {amz_date} is now earlier than "
                   f"{(now - MAX_SKEW).strftime(fmt)} ({now.strftime(fmt)} - 5 min.)")
        else:
            msg = (f"Signature not yet current: {amz_date} is still later than "
                   f"{(now + MAX_SKEW).strftime(fmt)} ({now.strftime(fmt)} + 5 min.)")
        raise SigError("SignatureDoesNotMatch", msg)

    host = environ.get("HTTP_HOST", "")
    raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or (
        quote(environ.get("PATH_INFO", "/")) + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""))
    headers = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").lower()] = value
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    request = AWSRequest(method=environ["REQUEST_METHOD"], url=f"http://{host}{raw_uri}",
                         headers=headers, data=body)
    request.context["timestamp"] = amz_date
    if service == "s3":
        _check_s3_payload(headers, signed_headers, body)
    elif "x-amz-content-sha256" not in headers:
        # botocore reads the payload hash from the header when present; otherwise hash the body
        request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body or b"").hexdigest()
    signer = (_S3Signer if service == "s3" else _Signer)(Credentials(akid, secret, environ.get("HTTP_X_AMZ_SECURITY_TOKEN")),
                     service, region, signed_headers)
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    expected = signer.signature(string_to_sign, request)
    if expected != signature:
        raise SigError("SignatureDoesNotMatch",
                       f"{MISMATCH_TEXT}\n\nThe Canonical String for this request should have been\n"
                       f"'{canonical}'\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n")
    return akid, region, service
