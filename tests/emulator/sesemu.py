#!/usr/bin/env python3
"""sesemu: a local Amazon SES emulator for sesctl's tests and demo.

    python3 tests/emulator/sesemu.py --port PORT --seed NAME

moto runs in-process; this WSGI middleware in front of it verifies SigV4, fixes moto's
bugs a real client hits, adds the SES operations moto lacks (ext_v2, tenants,
ext_v1, ext_mailmanager; CloudWatch is moto's own, seeded), injects faults (faults.py) and
serves an admin API under /_sesemu/ (README.md). Listens on 127.0.0.1 only.
"""

import argparse
import collections
import io
import json
import os
import random
import signal
import socket
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import accounts as accounts_mod  # noqa: E402
import common  # noqa: E402
import faults as faults_mod  # noqa: E402
import sigcheck  # noqa: E402
import snsfix  # noqa: E402
import state  # noqa: E402
from common import ApiError, Request, json_body, render_error  # noqa: E402

DEFAULT_ACCESS_KEY = "AKIDEXAMPLE"
DEFAULT_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
ADMIN_PREFIX = "/_sesemu/"


class Emulator:
    def __init__(self, access_key, secret_key, seed="empty", regions=("eu-west-1",), verify_signatures=True,
                 verbose=False):
        os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
        # the emulator reads botocore's models only: never the user's profiles or ~/.aws
        for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            os.environ.pop(var, None)
        os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        import cloudtrail
        import cwfix
        import ext_mailmanager
        import ext_v1
        import ext_v2
        import feedback
        import snsfix
        import sqsfix
        import tenants
        cwfix.install()
        feedback.install()
        snsfix.install()
        sqsfix.install()

        self.moto = DomainDispatcherApplication(create_backend_app)
        self.handlers = {"v2": {**ext_v2.HANDLERS, **tenants.HANDLERS},
                         "v1": {**ext_v1.HANDLERS, **feedback.HANDLERS},
                         "mm": ext_mailmanager.HANDLERS, "ct": cloudtrail.HANDLERS}
        self.accounts = accounts_mod.Accounts(access_key, secret_key)
        self.seed = seed
        self.base_regions = list(regions)     # a fleet seed brings its own regions
        self.regions = list(regions)
        self.verify_signatures = verify_signatures
        self.verbose = verbose
        self.dns_port = None
        self.faults = faults_mod.Faults()
        self.requests = collections.deque(maxlen=5000)   # admin: GET /_sesemu/requests
        self.latency = None                # (min_ms, max_ms): --latency, every AWS call's delay
        self.latency_rng = random.Random()
        self.lock = threading.RLock()
        import admin
        self.admin = admin.Admin(self)
        self.reset(seed)

    # ---- state ---------------------------------------------------------------------
    def reset(self, seed=None):
        from moto.moto_api._internal.models import moto_api_backend

        import fleet
        import seeds
        with self.lock, state.acting_as(state.MAIN_ACCOUNT):
            moto_api_backend.reset()        # every account's backends
            self.requests.clear()
            self.seed = seed or self.seed
            if fleet.parse(self.seed):
                self.regions = fleet.apply(self.seed, self.accounts)
            else:
                self.regions = list(self.base_regions)
                for region in self.regions:
                    seeds.apply(self.seed, region)

    # ---- WSGI ----------------------------------------------------------------------
    def __call__(self, environ, start_response):
        if environ.get("CONTENT_LENGTH"):
            try:
                body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
            except ValueError:
                body = b""
        elif environ.get("wsgi.input_terminated"):      # chunked upload
            body = environ["wsgi.input"].read()
        else:
            body = b""
        if environ.get("PATH_INFO", "/").startswith(ADMIN_PREFIX):
            return self._respond(start_response, *self.admin.handle(environ, body))

        req = Request(environ, body)
        self._classify(req)
        delayed = None
        if self.latency:
            # a real region's round trip; slept in this request's own thread and outside
            # self.lock, so concurrent requests' delays overlap as they would at AWS
            ms = self.latency_rng.uniform(*self.latency)
            t0 = time.monotonic()
            time.sleep(ms / 1000.0)
            delayed = {"ms": round(ms, 3), "start": t0, "end": time.monotonic()}
        with state.acting_as(req.account):
            status, headers, out, fault = self._serve(req, environ, body)
            if fault != "drop":
                self._record(req, status, headers, out)
        self.requests.append({"family": req.family, "op": req.op, "method": req.method, "path": req.raw_path,
                              "region": req.region, "account": req.account, "status": status, "fault": fault,
                              **({"delayed": delayed} if delayed else {})})
        if self.verbose:
            sys.stderr.write(f"sesemu: {req.region} {req.family} {req.op or req.method + ' ' + req.raw_path} "
                             f"-> {status or 'dropped'}{' [' + fault + ']' if fault else ''}\n")
        if fault == "drop":
            self._close(environ)
            raise ConnectionAbortedError("sesemu: dropped connection (fault injection)")
        if fault == "truncate":
            self._truncate(environ, status, headers, out)
            raise ConnectionAbortedError("sesemu: truncated body (fault injection)")
        return self._respond(start_response, status, headers, out)

    def _learn_sts_credentials(self, req, out):
        """Temporary credentials moto's STS hands out (AssumeRole, GetSessionToken, web
        identity) sign later requests, as they do at AWS, in the account of the role they
        were issued for (AssumedRoleUser's ARN), else in the caller's; CloudTrail names
        their caller after the role and session they were asked for."""
        import re

        import cloudtrail
        akid = re.search(rb"<AccessKeyId>([^<]+)</AccessKeyId>", out)
        secret = re.search(rb"<SecretAccessKey>([^<]+)</SecretAccessKey>", out)
        role = re.search(rb"<Arn>arn:[a-z-]+:sts::(\d{12}):assumed-role/", out)
        if akid and secret:
            account = role.group(1).decode() if role else req.account
            self.accounts.learn(akid.group(1).decode(), secret.group(1).decode(), account)
            cloudtrail.learn_sts(req.form, out)

    def _record(self, req, status, headers, out):
        """CloudTrail: a management event for a mutating call that got past the signature
        check (cloudtrail.py decides what counts)."""
        import cloudtrail
        if req.family == "ct":
            return
        try:
            with self.lock:
                cloudtrail.record(req, status, headers, out)
        except Exception:   # the trail must never break the call it records
            traceback.print_exc(file=sys.stderr)

    def _serve(self, req, environ, body):
        """(status, headers, body, fault kind or None) for one SES request."""
        if self.verify_signatures:
            try:
                if req.access_key in self.accounts.expired:
                    raise sigcheck.SigError("ExpiredToken", "The security token included in the request is expired")
                sigcheck.verify(environ, body, self.accounts.secrets)
            except sigcheck.SigError as e:
                req.unauthenticated = True
                code = e.code
                if req.family in ("v2", "mm", "ct"):    # the JSON protocols' names for the same errors
                    code = {"InvalidClientTokenId": "UnrecognizedClientException",
                            "ExpiredToken": "ExpiredTokenException"}.get(code, code)
                return (*render_error(req, ApiError(code, e.message, e.status)), None)

        hit, limited = self.faults.decide(req.family, req.op, req.region, req.account)
        if "latency" in hit:
            time.sleep(hit["latency"]["ms"] / 1000.0)
        if "drop" in hit:
            return 0, [], b"", "drop"
        if limited or "throttle" in hit:
            return (*render_error(req, throttling(req)), "rate_limited" if limited else "throttle")
        if "denied" in hit:
            svc = {"ct": "cloudtrail", "v1": "ses", "v2": "ses", "mm": "ses"}.get(req.family, req.service or "ses")
            code = "AccessDenied" if req.family == "v1" else "AccessDeniedException"
            err = ApiError(code, f"User: arn:aws:iam::{req.account}:user/sesemu-admin is not authorized to "
                                 f"perform: {svc}:{req.op} because no identity-based policy allows the "
                                 f"{svc}:{req.op} action", 403 if req.family in ("v2", "v1") else 400)
            return (*render_error(req, err), "denied")
        for kind, status in (("error500", 500), ("error503", 503)):
            if kind in hit:
                code = {500: "InternalFailure", 503: "ServiceUnavailable"}[status]
                if req.family == "v2" and status == 500:
                    code = "InternalServiceErrorException"
                err = ApiError(code, "We encountered an internal error. Please try again.", status)
                return (*render_error(req, err), kind)

        with self.lock:
            status, headers, out = self._dispatch(req, environ, body)
            if status == 200 and b"<Credentials>" in out:
                self._learn_sts_credentials(req, out)

        if "content_type" in hit:
            return (200, [("Content-Type", "text/html; charset=utf-8")],
                    b"<!DOCTYPE html><html><head><title>Sign in</title></head>"
                    b"<body><h1>Network login required</h1></body></html>", "content_type")
        if "malformed" in hit:
            out = out[: max(1, len(out) // 2)] + (b"<<not-xml" if req.family in ("v1", "cw") else b"{]}")
            return status, headers, out, "malformed"
        if "truncate" in hit:
            return status, headers, out, "truncate"
        return status, headers, out, ("latency" if "latency" in hit else None)

    def _classify(self, req):
        """Family, operation, region and service of a request, and the one answer to "which
        account is this?": the account of the signing key (accounts.py); a request with no
        or an unknown key is the main account's, and the signature check refuses it."""
        parsed = sigcheck.parse_authorization(req.header("Authorization", ""))
        req.access_key = parsed[0] if parsed else None
        req.account = self.accounts.account_of(req.access_key) or state.MAIN_ACCOUNT
        if parsed:
            req.region, req.service = parsed[2], parsed[3]
        target = req.header("X-Amz-Target", "") or ""
        if target.startswith("MailManagerSvc."):
            req.family, req.op = "mm", target.split(".", 1)[1]
        elif target.startswith("com.amazonaws.cloudtrail.") or req.service == "cloudtrail":
            req.family, req.op = "ct", target.rsplit(".", 1)[-1] or None
        elif req.service == "monitoring":
            req.family = "cw"
            if target:
                req.op = target.rsplit(".", 1)[-1]
            elif "/operation/" in req.raw_path:
                req.op = req.raw_path.rsplit("/", 1)[-1]
            else:
                req.op = req.form.get("Action")
        elif req.raw_path.startswith(("/v2/", "/v1/email/")):
            # /v1/email/identities/{id}/dkim/signing is the old model's path for a v2 operation
            req.family = "v2"
            path = "/v2/" + req.raw_path[4:] if req.raw_path.startswith("/v1/") else req.raw_path
            req.op, req.path_params = common.match_rest("sesv2", req.method, path)
        elif req.service in ("ses", "email", None):
            req.family = "v1"
            req.op = req.form.get("Action")
        else:
            req.family = "other"

    def _dispatch(self, req, environ, body):
        rid = req.request_id
        fn = self.handlers.get(req.family, {}).get(req.op)
        if fn is not None:
            try:
                result = fn(req)
            except ApiError as e:
                return render_error(req, e)
            except common.PassToMoto:
                fn = None
            except Exception:   # a bug in an extension: answer as AWS would, keep the trace
                traceback.print_exc(file=sys.stderr)
                return render_error(req, ApiError("InternalFailure" if req.family != "v2" else
                                                  "InternalServiceErrorException",
                                                  f"sesemu: {req.op} failed; see the emulator's log", 500))
            else:
                if req.family == "v1":
                    return 200, [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid)], \
                        common.render_query_xml(req.op, result, rid)
                ctype = {"mm": "application/x-amz-json-1.0", "ct": "application/x-amz-json-1.1"}.get(
                    req.family, "application/json")
                return 200, [("Content-Type", ctype), ("x-amzn-RequestId", rid)], json_body(result)
        if req.family in ("mm", "ct"):
            return render_error(req, ApiError("UnknownOperationException", f"Unknown operation {req.op}"))
        if req.service == "sns":
            try:
                snsfix.before(req)
            except ApiError as e:
                return render_error(req, e)
        status, headers, out = self._moto(environ, body)
        if req.service == "sns" and status < 300:
            out = snsfix.after(req, out)
        if req.family == "v2" and status < 300 and out[:1] == b"{":
            # moto sends "NextToken": null and ISO timestamps; AWS omits absent members and sends epochs
            shape = common.service_model("sesv2").operation_model(req.op).output_shape if req.op else None
            try:
                out = json_body(common.normalize_json(shape, json.loads(out)))
            except ValueError:
                pass
            headers = [(k, v) for k, v in headers if k.lower() != "content-type"] + [("Content-Type", "application/json")]
        return status, headers, out

    def _moto(self, environ, body):
        env = dict(environ)
        env["HTTP_X_MOTO_ACCOUNT_ID"] = state.account()     # moto's backends[account] follow the caller
        env["wsgi.input"] = io.BytesIO(body)
        env["CONTENT_LENGTH"] = str(len(body))
        captured = {}

        def sr(status, headers, exc_info=None):
            captured["status"] = int(status.split()[0])
            captured["headers"] = headers
            return lambda data: None

        chunks = self.moto(env, sr)
        try:
            out = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() not in ("content-length", "server", "date")]
        return captured["status"], headers, out

    @staticmethod
    def _respond(start_response, status, headers, out):
        reasons = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
                   429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(out))))
        start_response(f"{status} {reasons.get(status, 'Status')}", headers)
        return [out]

    @staticmethod
    def _close(environ):
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _truncate(self, environ, status, headers, out):
        """Headers announcing the whole body, half of it, then the connection closes."""
        sock = environ.get("werkzeug.socket")
        head = [f"HTTP/1.1 {status} X".encode()]
        head += [f"{k}: {v}".encode() for k, v in headers if k.lower() != "content-length"]
        head.append(f"Content-Length: {len(out)}".encode())
        try:
            sock.sendall(b"\r\n".join(head) + b"\r\n\r\n" + out[: len(out) // 2])
        except OSError:
            pass
        self._close(environ)


def throttling(req):
    if req.family == "v2":
        return ApiError("TooManyRequestsException", "Too Many Requests", 429)
    if req.family in ("mm", "ct"):
        return ApiError("ThrottlingException", "Rate exceeded", 400)
    return ApiError("Throttling", "Rate exceeded", 400)


# ---- server ---------------------------------------------------------------------------

def make_server(emulator, port):
    from werkzeug.serving import WSGIRequestHandler, make_server as wz_make_server

    class QuietHandler(WSGIRequestHandler):
        # HTTP/1.1 replies; werkzeug still closes the connection after each one (it cannot
        # drain unread bodies), so clients reconnect per request
        protocol_version = "HTTP/1.1"

        def log_request(self, *args, **kwargs):
            pass

        def log_error(self, *args, **kwargs):
            pass

        def handle_one_request(self):
            try:
                super().handle_one_request()
            except ConnectionAbortedError:
                self.close_connection = True

        def run_wsgi(self):
            try:
                super().run_wsgi()
            except ConnectionAbortedError:
                self.close_connection = True

    return wz_make_server("127.0.0.1", port, emulator, threaded=True, request_handler=QuietHandler)


def parse_latency(spec):
    """'30-80' or '50' (ms) -> (min, max)."""
    try:
        lo, _, hi = spec.partition("-")
        lo = float(lo)
        hi = float(hi) if hi else lo
    except ValueError:
        raise argparse.ArgumentTypeError(f"--latency wants MIN-MAX in ms (e.g. 30-80), not {spec!r}")
    if lo < 0 or hi < lo:
        raise argparse.ArgumentTypeError(f"--latency wants 0 <= MIN <= MAX, not {spec!r}")
    return (lo, hi)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Local Amazon SES emulator (moto + extensions) on 127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 picks a free one)")
    p.add_argument("--seed", default="empty", help="empty | demo | bulk:N | streams:N | fleet:AxR[:N]")
    p.add_argument("--region", action="append", dest="regions",
                   help="region(s) the seed fills (repeatable; default eu-west-1)")
    p.add_argument("--access-key", default=DEFAULT_ACCESS_KEY)
    p.add_argument("--secret-key", default=DEFAULT_SECRET_KEY)
    p.add_argument("--no-verify-signatures", action="store_true", help="accept any signature")
    p.add_argument("--verbose", action="store_true", help="one line per request on stderr")
    p.add_argument("--dns-port", type=int, default=None, metavar="PORT",
                   help="also serve the seeded DNS zones over UDP on 127.0.0.1:PORT (0 picks one); "
                        "the second stdout line is then 'sesemu dns on 127.0.0.1:PORT'")
    p.add_argument("--fault", action="append", default=[], metavar="KIND:RATE[:OP[,OP...]][:MS]",
                   help=f"inject a fault; KIND one of {', '.join(faults_mod.KINDS)}")
    p.add_argument("--fault-seed", type=int, default=0)
    p.add_argument("--cloudtrail-delay", type=float, default=3.0, metavar="SECONDS",
                   help="an event reaches LookupEvents this long after the call (default 3)")
    p.add_argument("--cloudtrail-rate", type=float, default=None, metavar="PER_SECOND",
                   help="enforce CloudTrail's LookupEvents limit (2 per second per account and region)")
    p.add_argument("--cloudtrail-user", default="sesemu-admin", metavar="NAME",
                   help="IAM user name CloudTrail gives the emulator's own keys (default sesemu-admin)")
    p.add_argument("--latency", type=parse_latency, default=None, metavar="MIN-MAX",
                   help="delay every AWS request's response by a random MIN..MAX ms (e.g. 30-80; "
                        "admin /_sesemu/ calls are not delayed); requests are served concurrently")
    p.add_argument("--real-rate-limits", action="store_true",
                   help="enforce SES's documented per-operation limits (1/s for v1 receipt-rule calls)")
    return p.parse_args(argv)


def fault_config(args):
    rules = []
    for spec in args.fault:
        parts = spec.split(":")
        rule = {"kind": parts[0], "rate": float(parts[1]) if len(parts) > 1 else 1.0}
        if len(parts) > 2 and parts[2] not in ("", "*"):
            rule["operation"] = parts[2].split(",")
        if len(parts) > 3:
            rule["ms"] = int(parts[3])
        rules.append(rule)
    return {"seed": args.fault_seed, "rules": rules, "real_rate_limits": args.real_rate_limits}


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    emulator = Emulator(args.access_key, args.secret_key, seed=args.seed,
                        regions=args.regions or ["eu-west-1"], verify_signatures=not args.no_verify_signatures,
                        verbose=args.verbose)
    emulator.faults.configure(fault_config(args))
    emulator.latency = args.latency
    import cloudtrail
    cloudtrail.TRAIL.delay = args.cloudtrail_delay
    cloudtrail.TRAIL.user_name = args.cloudtrail_user
    emulator.faults.set_service_limit("ct", "LookupEvents", args.cloudtrail_rate)
    server = make_server(emulator, args.port)
    port = server.server_address[1]

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    dns, dns_line = None, None
    if args.dns_port is not None:
        try:
            import dnsserver
            dns, emulator.dns_port = dnsserver.start(emulator, args.dns_port)
            dns_line = f"sesemu dns on 127.0.0.1:{emulator.dns_port}"
        except (ImportError, OSError) as e:
            dns_line = f"sesemu dns unavailable: {e}"
    sys.stdout.write(f"sesemu listening on http://127.0.0.1:{port}\n")
    if dns_line:
        sys.stdout.write(dns_line + "\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if dns is not None:
            dns.stop()
            dns.server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
