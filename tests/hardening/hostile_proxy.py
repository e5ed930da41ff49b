"""A hostile HTTP proxy on loopback, in front of the emulator (or any upstream).

It forwards every request unchanged (headers included, so SigV4 still verifies upstream)
and, for requests that match a rule, spoils the answer in one chosen way. Use it to prove
that sesctl ends by itself against an endpoint that never ends.

    from hostile_proxy import HostileProxy
    proxy = HostileProxy(self.emu.url, rules=[
        {"match": {"path": "/v2/email/suppression/addresses"}, "reply": "repeat_token"},
    ]).start()
    env = self.emu.env(base); env["AWS_ENDPOINT_URL"] = proxy.url
    ...
    proxy.hits(0)            # how many requests rule 0 answered
    proxy.set_rules([...])   # replace the rules while running (also POST /_proxy/rules)
    proxy.stop()

Command line (for trying by hand): `hostile_proxy.py UPSTREAM_URL RULES_JSON` prints
"hostile proxy on http://127.0.0.1:PORT" and serves until killed.

A rule is a dict:
  match   all given keys must match (absent = any):
            "target"  the X-Amz-Target header (JSON 1.0 services), exact
            "action"  the Query API Action= (form body or query string), exact
            "path"    a regular expression searched in the request path (without query)
            "method"  GET, POST, ...
  after   answer normally the first N matching requests, then spoil (default 0)
  reply   one of:
            "repeat_token"   forward, then set NextToken to the same value every time
            "fresh_tokens"   forward, then set NextToken to a new value every time
            "cycle_tokens"   forward, then set NextToken to `tokens`[0], [1], ... in turn,
                             round and round (an earlier token comes back, not the last)
            "trickle"        forward, then send the body `trickle_bytes` (default 1) bytes
                             every `trickle_interval` seconds (default 1.0)
            "stall"          read the request, never answer (the connection stays open)
            "hostile_headers" forward, with x-amzn-RequestId (and x-amz-request-id) set to
                             `request_id` (default: terminal escapes and a bell)
            "big_numbers"    forward, replacing every JSON number with `number`
                             (default 1e308) and every XML element made of digits likewise
            "error"          answer `status` (default 400) with `body` (a JSON error body by
                             default: {"__type": code, "message": ...}, code from `code`,
                             default "ExpiredTokenException"), content type from `content_type`
The first matching rule wins. For the token replies, a request that carries a NextToken is
answered with the first page again (recorded when it was forwarded; the upstream would
refuse a token it never issued), with the token rewritten. NextToken is rewritten in JSON bodies (top-level key) and in
XML bodies (the first <NextToken> element, or one added before the closing tag of the
first *Result element).
"""

import http.client
import http.server
import json
import re
import socketserver
import sys
import threading
import time
import urllib.parse

TOKEN_KINDS = ("repeat_token", "fresh_tokens", "cycle_tokens")
HOSTILE_ID = "\x1b]0;owned\x07\x1b[2J\x1b[31mREQ\x1b[0m\x07"


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class HostileProxy:
    def __init__(self, upstream, rules=None):
        u = urllib.parse.urlsplit(upstream)
        self.up_host, self.up_port = u.hostname, u.port or 80
        self.lock = threading.Lock()
        self.set_rules(rules or [])
        self.server = None
        self.url = None
        self.stop_event = threading.Event()

    # ---- control ----------------------------------------------------------------------
    def set_rules(self, rules):
        with self.lock:
            self.rules = [dict(r) for r in rules]
            self.seen = [0] * len(self.rules)     # matching requests per rule
            self.spoiled = [0] * len(self.rules)  # of those, answered with the hostile reply
            self.counter = 0

    def hits(self, i):
        with self.lock:
            return self.spoiled[i]

    def start(self):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _any(self):
                proxy._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _any

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.stop_event.set()
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    # ---- one request ------------------------------------------------------------------
    def _rule_for(self, h, body):
        path, _, query = h.path.partition("?")
        action = None
        for src in (query, body.decode("latin-1") if body else ""):
            a = urllib.parse.parse_qs(src).get("Action")
            if a:
                action = a[0]
        with self.lock:
            for i, r in enumerate(self.rules):
                m = r.get("match", {})
                if "target" in m and h.headers.get("X-Amz-Target") != m["target"]:
                    continue
                if "action" in m and action != m["action"]:
                    continue
                if "path" in m and not re.search(m["path"], path):
                    continue
                if "method" in m and h.command != m["method"]:
                    continue
                self.seen[i] += 1
                if self.seen[i] <= r.get("after", 0):
                    return None
                self.spoiled[i] += 1
                self.counter += 1
                return r, self.counter
        return None

    def _handle(self, h):
        n = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(n) if n else b""
        if h.path.startswith("/_proxy/rules"):
            self.set_rules(json.loads(body or b"[]"))
            return self._send(h, 200, {"Content-Type": "application/json"}, b"{}")
        hit = self._rule_for(h, body)
        rule, count = hit if hit else (None, 0)
        kind = rule["reply"] if rule else None
        if kind == "stall":
            self.stop_event.wait()
            h.close_connection = True
            return
        if kind == "error":
            code = rule.get("code", "ExpiredTokenException")
            out = rule.get("body")
            if out is None:
                out = json.dumps({"__type": code, "message": "The security token included in the request is expired"})
            return self._send(h, rule.get("status", 400),
                              {"Content-Type": rule.get("content_type", "application/json"),
                               "x-amzn-ErrorType": code}, out.encode())
        if kind in TOKEN_KINDS and "_page" in rule and ("NextToken" in h.path or b"NextToken" in body):
            # the upstream would refuse a token it never issued: replay the first page
            status, headers, data = rule["_page"]
        else:
            status, headers, data = self._forward(h, body)
            if kind in TOKEN_KINDS:
                rule["_page"] = (status, headers, data)
        if kind == "repeat_token":
            data = set_token(data, rule.get("token", "AAAArepeated"))
        elif kind == "fresh_tokens":
            data = set_token(data, f"fresh-{count}")
        elif kind == "cycle_tokens":
            toks = rule.get("tokens", ["A", "B"])
            data = set_token(data, toks[(count - 1) % len(toks)])
        elif kind == "big_numbers":
            data = big_numbers(data, rule.get("number", "1e308"))
        elif kind == "hostile_headers":
            rid = rule.get("request_id", HOSTILE_ID)
            headers = [(k, v) for k, v in headers if k.lower() not in ("x-amzn-requestid", "x-amz-request-id")]
            headers += [("x-amzn-RequestId", rid), ("x-amz-request-id", rid)]
        if kind == "trickle":
            return self._trickle(h, status, headers, data, rule)
        self._send(h, status, headers, data)

    def _forward(self, h, body):
        c = http.client.HTTPConnection(self.up_host, self.up_port, timeout=120)
        hdrs = {k: v for k, v in h.headers.items() if k.lower() not in ("connection", "keep-alive")}
        c.request(h.command, h.path, body=body, headers=hdrs)
        r = c.getresponse()
        data = r.read()
        headers = [(k, v) for k, v in r.getheaders()
                   if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server")]
        c.close()
        return r.status, headers, data

    def _send(self, h, status, headers, data):
        items = headers.items() if isinstance(headers, dict) else headers
        h.send_response(status)
        for k, v in items:
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(data)

    def _trickle(self, h, status, headers, data, rule):
        step = int(rule.get("trickle_bytes", 1))
        pause = float(rule.get("trickle_interval", 1.0))
        h.send_response(status)
        for k, v in headers:
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        try:
            for i in range(0, len(data), step):
                h.wfile.write(data[i:i + step])
                h.wfile.flush()
                if self.stop_event.wait(pause):
                    break
        except OSError:
            pass
        h.close_connection = True


def set_token(data, token):
    """NextToken := token in a JSON or XML body (bytes in, bytes out)."""
    text = data.decode("utf-8", "replace")
    if text.lstrip().startswith("{"):
        obj = json.loads(text)
        obj["NextToken"] = token
        return json.dumps(obj).encode()
    if "<NextToken>" in text:
        return re.sub(r"<NextToken>.*?</NextToken>", f"<NextToken>{token}</NextToken>", text, 1,
                      flags=re.S).encode()
    if "<NextToken/>" in text:
        return text.replace("<NextToken/>", f"<NextToken>{token}</NextToken>", 1).encode()
    m = re.search(r"</(\w+Result)>", text)
    if m:
        return (text[:m.start()] + f"<NextToken>{token}</NextToken>" + text[m.start():]).encode()
    return data


def big_numbers(data, number):
    text = data.decode("utf-8", "replace")
    if text.lstrip().startswith("{"):
        return re.sub(r'(?<=[:\[,])(\s*)-?\d+(\.\d+)?([eE][-+]?\d+)?', lambda m: m.group(1) + number,
                      text).encode()
    return re.sub(r">(\d+(\.\d+)?)</", f">{number}</", text).encode()


if __name__ == "__main__":
    p = HostileProxy(sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else []).start()
    print(f"hostile proxy on {p.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        p.stop()
