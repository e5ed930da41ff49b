#!/usr/bin/env python3
"""Fake credential endpoints on 127.0.0.1 for tests/unit/test_creds.c.

Usage: fake_aws_creds.py SCRIPT.json LOG.jsonl
Prints the chosen port on stdout, then serves until killed. One server plays every role;
the test points AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO, AWS_CONTAINER_CREDENTIALS_FULL_URI
and AWS_EC2_METADATA_SERVICE_ENDPOINT at it.

SCRIPT (every part optional):
  "sts":  {"keys": {"AKID": "secret"},            # long-term keys it accepts
           "roles": {"arn": "PREFIX"},            # role → prefix of the keys it issues
           "web_token": "jwt",                    # AssumeRoleWithWebIdentity token
           "expires_in": 3600,
           "fail_first": N, "fail_status": 503}   # first N calls fail (400 = Throttling)
  "sso":  {"token": "t", "account": "1234", "role": "R", "prefix": "SSO", "expires_in": 3600}
  "ecs":  {"path": "/creds", "auth": "Bearer x" | null, "prefix": "ECS", "expires_in": 3600}
  "imds": {"role": "web", "prefix": "IMDS", "v1_only": false, "status": 200,
           "expires_in": 3600}
STS verifies SigV4 itself (hashlib/hmac, independent of the C signer): the key id in the
Credential scope must be known (from "keys" or issued earlier), the signature must match,
and a session key needs its X-Amz-Security-Token. Issued keys are PREFIX + a counter, the
secret "secret-" + key id, the token "token-" + key id.
Every request is appended to LOG as one JSON line: method, path, headers, body, and for
STS "signed_with" (the key id) and "verdict".
"""
import datetime
import hashlib
import hmac
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCRIPT = {}
LOG_PATH = None
LOCK = threading.Lock()
ISSUED = {}  # key id -> (secret, token)
COUNTER = [0]


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def issue(prefix, expires_in):
    with LOCK:
        COUNTER[0] += 1
        kid = "%s%04d" % (prefix, COUNTER[0])
        ISSUED[kid] = ("secret-" + kid, "token-" + kid)
    return kid, "secret-" + kid, "token-" + kid, time.time() + expires_in


def sign_check(method, path, headers, body):
    """Return (key id, verdict) for a SigV4-signed request."""
    auth = headers.get("authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return None, "unsigned"
    parts = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    scope = parts["Credential"].split("/")
    kid, date, region, service = scope[0], scope[1], scope[2], scope[3]
    secret = SCRIPT.get("sts", {}).get("keys", {}).get(kid)
    token = None
    if secret is None and kid in ISSUED:
        secret, token = ISSUED[kid]
    if secret is None:
        return kid, "unknown key"
    if token is not None and headers.get("x-amz-security-token") != token:
        return kid, "missing or wrong session token"
    if service != "sts":
        return kid, "wrong service " + service
    signed = parts["SignedHeaders"].split(";")
    canon = "".join("%s:%s\n" % (h, " ".join(headers.get(h, "").split())) for h in signed)
    creq = "\n".join([method, path, "", canon, parts["SignedHeaders"],
                      hashlib.sha256(body).hexdigest()])
    sts = "\n".join(["AWS4-HMAC-SHA256", headers.get("x-amz-date", ""),
                     "/".join(scope[1:]), hashlib.sha256(creq.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    return kid, "ok" if hmac.compare_digest(want, parts["Signature"]) else "bad signature"


def sts_error(code, msg, status=403):
    body = ('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
            '<Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>'
            '<RequestId>req-1</RequestId></ErrorResponse>' % (code, msg))
    return status, "text/xml", body


def sts_reply(action, kid, secret, token, exp):
    body = ('<{a}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><{a}Result>'
            '<Credentials><AccessKeyId>{k}</AccessKeyId><SecretAccessKey>{s}</SecretAccessKey>'
            '<SessionToken>{t}</SessionToken><Expiration>{e}</Expiration></Credentials>'
            '</{a}Result><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata>'
            '</{a}Response>').format(a=action, k=kid, s=secret, t=token, e=iso(exp))
    return 200, "text/xml", body


STS_CALLS = [0]


def handle_sts(method, path, headers, body, record):
    cfg = SCRIPT.get("sts", {})
    form = dict(urllib.parse.parse_qsl(body.decode()))
    action = form.get("Action")
    exp_in = cfg.get("expires_in", 3600)
    record["form"] = form
    with LOCK:
        STS_CALLS[0] += 1
        n = STS_CALLS[0]
    if n <= cfg.get("fail_first", 0):
        if cfg.get("fail_status", 503) == 400:
            return sts_error("Throttling", "Rate exceeded", 400)
        return sts_error("ServiceUnavailable", "Try again", cfg.get("fail_status", 503))
    if action == "AssumeRoleWithWebIdentity":
        if form.get("WebIdentityToken") != cfg.get("web_token"):
            return sts_error("InvalidIdentityToken", "The token is not valid.", 400)
        prefix = cfg.get("roles", {}).get(form.get("RoleArn"))
        if not prefix:
            return sts_error("AccessDenied", "Not authorized to assume this role.")
        return sts_reply(action, *issue(prefix, exp_in))
    if action != "AssumeRole":
        return sts_error("InvalidAction", "Unknown action.", 400)
    kid, verdict = sign_check(method, path, headers, body)
    record["signed_with"], record["verdict"] = kid, verdict
    if verdict != "ok":
        return sts_error("SignatureDoesNotMatch", "Signature check failed: " + verdict)
    prefix = cfg.get("roles", {}).get(form.get("RoleArn"))
    if not prefix:
        return sts_error("AccessDenied", "User is not authorized to perform: sts:AssumeRole")
    return sts_reply(action, *issue(prefix, exp_in))


def creds_json(prefix, exp_in, names):
    kid, secret, token, exp = issue(prefix, exp_in)
    return {names[0]: kid, names[1]: secret, names[2]: token, names[3]: iso(exp)}


def handle_sso(path, query, headers):
    cfg = SCRIPT.get("sso", {})
    if headers.get("x-amz-sso_bearer_token") != cfg.get("token"):
        return 401, "application/json", '{"message":"Session token not found or invalid"}'
    if query.get("account_id") != [cfg.get("account")] or query.get("role_name") != [cfg.get("role")]:
        return 403, "application/json", '{"message":"No access"}'
    kid, secret, token, exp = issue(cfg.get("prefix", "SSO"), cfg.get("expires_in", 3600))
    rc = {"accessKeyId": kid, "secretAccessKey": secret, "sessionToken": token,
          "expiration": int(exp * 1000)}
    return 200, "application/json", json.dumps({"roleCredentials": rc})


def handle_imds(method, path, headers):
    cfg = SCRIPT.get("imds", {})
    token = "imds-session-token"
    if path == "/latest/api/token" and method == "PUT":
        if cfg.get("v1_only"):
            return 403, "text/plain", ""
        if not headers.get("x-aws-ec2-metadata-token-ttl-seconds"):
            return 400, "text/plain", ""
        return 200, "text/plain", token
    if not cfg.get("v1_only") and headers.get("x-aws-ec2-metadata-token") != token:
        return 401, "text/plain", ""
    base = "/latest/meta-data/iam/security-credentials/"
    if path == base:
        return 200, "text/plain", cfg.get("role", "web") + "\n"
    if path == base + cfg.get("role", "web"):
        body = creds_json(cfg.get("prefix", "IMDS"), cfg.get("expires_in", 3600),
                          ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"])
        body.update({"Code": "Success", "Type": "AWS-HMAC"})
        return cfg.get("status", 200), "application/json", json.dumps(body)
    return 404, "text/plain", ""


def handle_ecs(path, headers):
    cfg = SCRIPT.get("ecs", {})
    if cfg.get("auth") and headers.get("authorization") != cfg["auth"]:
        return 403, "application/json", '{"message":"bad token"}'
    body = creds_json(cfg.get("prefix", "ECS"), cfg.get("expires_in", 3600),
                      ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"])
    return 200, "application/json", json.dumps(body)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        record = {"method": self.command, "path": self.path, "headers": headers,
                  "body": body.decode("utf-8", "replace")}
        if url.path.startswith("/federation/"):
            status, ctype, out = handle_sso(url.path, urllib.parse.parse_qs(url.query), headers)
        elif url.path.startswith("/latest/"):
            status, ctype, out = handle_imds(self.command, url.path, headers)
        elif "ecs" in SCRIPT and url.path == SCRIPT["ecs"].get("path", "/creds"):
            status, ctype, out = handle_ecs(url.path, headers)
        elif self.command == "POST" and url.path.endswith("/"):
            status, ctype, out = handle_sts(self.command, url.path, headers, body, record)
        else:
            status, ctype, out = 404, "text/plain", "no route"
        with LOCK:
            with open(LOG_PATH, "a") as f:
                f.write(json.dumps(record) + "\n")
        data = out.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = handle_any


def main():
    global SCRIPT, LOG_PATH
    with open(sys.argv[1]) as f:
        SCRIPT = json.load(f)
    LOG_PATH = sys.argv[2]
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
