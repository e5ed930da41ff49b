#!/usr/bin/python3
"""Loopback DNS server for sesctl's DNS tests (Debian python3-dnslib, run with /usr/bin/python3).

    /usr/bin/python3 tests/dns/dnsserver.py --zone FILE [--port 0]

Serves the records of a BIND-style zone text on 127.0.0.1 over UDP and TCP (same port),
prints "PORT <n>" on stdout once listening, and exits when stdin is closed, so a test that
dies takes its server with it. Answers are authoritative (AA): NXDOMAIN for unknown names,
NOERROR with no records (NODATA) for known names without the asked type, and a CNAME at the
name is always returned. UDP answers over 512 bytes are truncated (TC) like a real server,
so clients must retry over TCP.

Names whose first label is special misbehave on purpose:
    servfail.*   SERVFAIL
    silent.*     no answer at all (the client times out)
    garbage.*    a reply whose last record runs past the end of the packet
    huge.*       the zone's records plus 20 TXT records of 255 bytes (forces TCP)

--fail RCODE (SERVFAIL, REFUSED) answers every query with that code: a resolver that is
down for the whole check.
"""
import argparse
import socket
import struct
import sys
import threading

from dnslib import QTYPE, RCODE, RR, TXT, DNSLabel, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSServer

SPECIAL = ("servfail", "silent", "garbage", "huge")


def special_of(qname):
    first = str(qname).split(".")[0].lower()
    return first if first in SPECIAL else None


class ZoneResolver(BaseResolver):
    def __init__(self, text, fail=None):
        self.rrs = RR.fromZone(text)
        self.names = {rr.rname for rr in self.rrs}
        self.fail = fail

    def resolve(self, request, handler):
        reply = request.reply()
        if self.fail:
            reply.header.rcode = getattr(RCODE, self.fail)
            return reply
        reply.header.aa = 1
        qname, qtype = request.q.qname, QTYPE[request.q.qtype]
        special = special_of(qname)
        if special == "servfail":
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        for rr in self.rrs:
            rtype = QTYPE[rr.rtype]
            if rr.rname == qname and (qtype in (rtype, "ANY") or rtype == "CNAME"):
                reply.add_answer(rr)
        if special == "huge" and qtype == "TXT":
            for i in range(20):
                reply.add_answer(RR(qname, QTYPE.TXT, ttl=60, rdata=TXT("%02d" % i + "x" * 253)))
        if not reply.rr and qname not in self.names:
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


class Handler(DNSHandler):
    def get_reply(self, data):
        rdata = super().get_reply(data)
        special = special_of(DNSLabel(self.last_qname)) if self.last_qname else None
        if special == "garbage":
            return rdata[:-3]
        if self.protocol == "udp" and len(rdata) > 512:
            # what a real server sends: the question, TC set, no records (dnslib's own
            # truncate() drops the question, which resolvers then ignore)
            reply = DNSRecord.parse(data).reply()
            reply.header.aa = 1
            reply.header.tc = 1
            return reply.pack()
        return rdata

    def handle(self):
        try:
            raw = self.request[0] if self.server.socket_type == socket.SOCK_DGRAM else None
            self.last_qname = str(DNSRecord.parse(raw).q.qname) if raw else None
        except Exception:
            self.last_qname = None
        if self.last_qname and special_of(DNSLabel(self.last_qname)) == "silent":
            return
        super().handle()


class TcpHandler(Handler):
    """Keeps the connection open for several queries, as real servers do: c-ares 1.18 fails
    every query pending on a server whose TCP connection closes under it."""

    def handle(self):
        self.protocol = "tcp"
        while True:
            head = self.recv_exact(2)
            if head is None:
                return
            data = self.recv_exact(struct.unpack("!H", head)[0])
            if data is None:
                return
            try:
                qname = DNSRecord.parse(data).q.qname
            except Exception:
                return
            if special_of(qname) == "silent":
                continue
            self.last_qname = str(qname)
            rdata = self.get_reply(data)
            self.request.sendall(struct.pack("!H", len(rdata)) + rdata)

    def recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.request.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data


class QuietLogger:
    def __getattr__(self, name):
        return lambda *args: None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zone", required=True, help="zone file")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--fail", choices=("SERVFAIL", "REFUSED"), help="answer every query so")
    args = ap.parse_args()
    with open(args.zone, encoding="utf-8") as f:
        resolver = ZoneResolver(f.read(), args.fail)
    logger = QuietLogger()
    for attempt in range(50):  # port 0: find a port free for both UDP and TCP
        udp = DNSServer(resolver, port=args.port, address="127.0.0.1", handler=Handler,
                        logger=logger)
        port = udp.server.server_address[1]
        try:
            tcp = DNSServer(resolver, port=port, address="127.0.0.1", tcp=True,
                            handler=TcpHandler, logger=logger)
            break
        except OSError:
            udp.server.server_close()
            if args.port or attempt == 49:
                raise
    udp.start_thread()
    tcp.start_thread()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()  # until the test closes our stdin (or dies)
    udp.stop()
    tcp.stop()


if __name__ == "__main__":
    main()
