#!/usr/bin/env python3
"""Scripted HTTP/1.1 server on 127.0.0.1 for the http/client unit tests.

Usage: httpfixture.py SCRIPT.json LOG.jsonl [CERT.pem KEY.pem]
With a certificate and key the server speaks HTTPS. Prints the chosen port on stdout, then serves until killed.

SCRIPT: {"routes": {"/path": [step, step, ...]}, "default": step}
Each request takes the next step of its path's list (query ignored); the last step
repeats once the list is used up; unknown paths use "default" (echo 200).
A step: {"status": 200, "headers": {...}, "body": "text", "body_size": N (body of N 'x'),
         "delay": seconds before replying, "echo": true (body = JSON of the request),
         "drop": "before" (close without replying) | "mid" (send half the body, close),
         "declared_length": N (Content-Length sent, body as given, then close),
         "no_length": true (no Content-Length, close after the body)}
Every request is appended to LOG as one JSON line: method, path, headers (lower-case
names), body, peer (client port: equal ports mean a reused connection).
"""
import json
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCRIPT = {}
LOG_PATH = None
LOCK = threading.Lock()
CURSOR = {}


def next_step(path):
    with LOCK:
        steps = SCRIPT.get("routes", {}).get(path)
        if not steps:
            return SCRIPT.get("default", {"echo": True})
        i = CURSOR.get(path, 0)
        CURSOR[path] = i + 1
        return steps[min(i, len(steps) - 1)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes

    def log_message(self, fmt, *args):
        pass

    def handle_one(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path.split("?", 1)[0]
        record = {
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
            "peer": self.client_address[1],
        }
        with LOCK:
            with open(LOG_PATH, "a") as f:
                f.write(json.dumps(record) + "\n")
        step = next_step(path)
        if step.get("delay"):
            time.sleep(step["delay"])
        if step.get("drop") == "before":
            self.close_now()
            return
        if step.get("echo"):
            out = json.dumps(record).encode()
        elif "body_size" in step:
            out = b"x" * step["body_size"]
        else:
            out = step.get("body", "").encode()
        self.send_response(step.get("status", 200))
        for k, v in step.get("headers", {}).items():
            self.send_header(k, v)
        if step.get("echo") and "Content-Type" not in step.get("headers", {}):
            self.send_header("Content-Type", "application/json")
        if step.get("no_length"):
            self.send_header("Connection", "close")
            self.close_connection = True
        elif step.get("drop") == "mid":
            self.send_header("Content-Length", str(len(out)))
        else:
            self.send_header("Content-Length", str(step.get("declared_length", len(out))))
        self.end_headers()
        if self.command == "HEAD":      # headers only (S3's HeadBucket)
            return
        if step.get("drop") == "mid":
            self.wfile.write(out[: len(out) // 2])
            self.close_now()
            return
        self.wfile.write(out)
        if "declared_length" in step:
            self.close_now()

    def close_now(self):
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_one


def main():
    global SCRIPT, LOG_PATH
    with open(sys.argv[1]) as f:
        SCRIPT = json.load(f)
    LOG_PATH = sys.argv[2]
    open(LOG_PATH, "w").close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if len(sys.argv) > 4:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
