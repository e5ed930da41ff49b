#!/usr/bin/env python3
"""Oracle for tests/unit/test_sigv4_botocore.c: signs requests with botocore's SigV4Auth.

Input file, one request per line, tab-separated, every text field hex-encoded:
    id method path query region service when token access_key secret headers body
`when` is decimal Unix time; `headers` is hex of "name\\0value\\0name\\0value...".
The query is percent-decoded here and handed to botocore as a list of (key, value) params,
so botocore does its own re-encoding and sorting.

botocore adds X-Amz-Date (from the patched clock) and X-Amz-Security-Token (from the
credentials) itself, so those two are not copied from the line; everything else,
including Host, is set exactly as the C side signs it.

Service "s3" is signed with botocore's S3SigV4Auth (the path as given is the canonical URI,
and botocore sets X-Amz-Content-SHA256 itself from the body, so that header is not copied
either: the C side's value must equal botocore's).

Output, one line per request: id, Authorization value, hex of the canonical request.
Exit 77 with a line starting "SKIP" when botocore cannot be imported.
"""

import datetime
import sys
from unittest import mock
from urllib.parse import unquote

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as exc:  # pragma: no cover - depends on the machine
    print(f"SKIP botocore is not importable with {sys.executable}: {exc}")
    sys.exit(77)

AUTO_HEADERS = {"x-amz-date", "x-amz-security-token"}
S3_AUTO_HEADERS = AUTO_HEADERS | {"x-amz-content-sha256"}


def unhex(field):
    return bytes.fromhex(field).decode("utf-8")


def query_params(query):
    params = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, _, value = piece.partition("=")
        params.append((unquote(key), unquote(value)))
    return params


def sign(fields):
    (rid, method, path, query, region, service, when, token, akid, secret, headers,
     body) = fields
    query = unhex(query)
    hdr = unhex(headers).split("\0")
    pairs = list(zip(hdr[0::2], hdr[1::2])) if hdr != [""] else []
    url = "https://signing.invalid" + unhex(path)
    req = AWSRequest(method=unhex(method), url=url, data=bytes.fromhex(body),
                     params=query_params(query))
    s3 = unhex(service) == "s3"
    for name, value in pairs:
        if name.lower() not in (S3_AUTO_HEADERS if s3 else AUTO_HEADERS):
            req.headers[name] = value
    creds = Credentials(unhex(akid), unhex(secret), unhex(token) or None)
    auth = (botocore.auth.S3SigV4Auth if s3 else botocore.auth.SigV4Auth)(
        creds, unhex(service), unhex(region))
    now = datetime.datetime.fromtimestamp(int(when), datetime.timezone.utc)
    seen = []
    real_canonical = auth.canonical_request

    def record(request):
        seen.append(real_canonical(request))
        return seen[-1]

    auth.canonical_request = record
    with mock.patch.object(botocore.auth, "get_current_datetime",
                           return_value=now.replace(tzinfo=None)):
        auth.add_auth(req)
    return rid, req.headers["Authorization"], seen[-1].encode("utf-8").hex()


def main():
    if len(sys.argv) != 2:
        print("usage: sigv4_botocore.py REQUESTS-FILE", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="ascii") as fh:
        for line in fh:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 12:
                print(f"malformed request line with {len(fields)} fields", file=sys.stderr)
                return 1
            print("\t".join(sign(fields)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
