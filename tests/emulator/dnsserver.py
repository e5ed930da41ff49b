"""sesemu --dns-port: the emulator's DNS zones served over UDP on 127.0.0.1 (python3-dnslib),
so that sesctl's DNS checks (`--dns-server 127.0.0.1:PORT`) see the same records that
drive the emulator's verification. The answer is the union of every seeded region's zone.
"""

import os
import sys

DEBIAN_DIST = "/usr/lib/python3/dist-packages"
try:
    import dnslib  # noqa: F401
except ImportError:
    if os.path.isdir(DEBIAN_DIST):
        sys.path.append(DEBIAN_DIST)        # pure-Python python3-dnslib from Debian
from dnslib import CNAME, MX, QTYPE, RCODE, RR, TXT, A  # noqa: E402
from dnslib.server import BaseResolver, DNSLogger, DNSServer  # noqa: E402

import state  # noqa: E402

TTL = 300


def _rdata(rtype, value):
    if rtype == "CNAME":
        return CNAME(value.rstrip(".") + ".")
    if rtype == "MX":
        pref, _, host = value.partition(" ")
        return MX(host.rstrip(".") + ".", int(pref))
    if rtype == "TXT":
        raw = value.encode()
        return TXT([raw[i:i + 255] for i in range(0, len(raw), 255)] or [b""])
    if rtype == "A":
        return A(value)
    return None


class ZoneResolver(BaseResolver):
    def __init__(self, emulator):
        self.emulator = emulator

    # No emulator lock here: a request holding it may itself be asking this server (admin
    # DNS server pointed at --dns-port). Snapshots of the dicts are taken in one C call.
    def records(self, name):
        out = {}
        for region in list(self.emulator.regions):
            for rtype, values in list(state.emu(region).dns_zone.get(name, {}).items()):
                bucket = out.setdefault(rtype, [])
                bucket.extend(v for v in list(values) if v not in bucket)
        return out

    def exists_below(self, name):
        suffix = "." + name
        return any(n.endswith(suffix) for region in list(self.emulator.regions)
                   for n in list(state.emu(region).dns_zone))

    def resolve(self, request, handler):
        reply = request.reply()
        qname = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE.get(request.q.qtype)
        records = self.records(qname)
        answers = records.get(qtype, [])
        if not answers and "CNAME" in records and qtype != "CNAME":
            qtype, answers = "CNAME", records["CNAME"]      # as a resolver would: the alias
        for value in answers:
            rdata = _rdata(qtype, value)
            if rdata is not None:
                reply.add_answer(RR(request.q.qname, getattr(QTYPE, qtype), rdata=rdata, ttl=TTL))
        if not records and not self.exists_below(qname):
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


def start(emulator, port):
    """Starts the UDP server on 127.0.0.1:port (0 = free); returns (server, port)."""
    server = DNSServer(ZoneResolver(emulator), port=port, address="127.0.0.1",
                       logger=DNSLogger(logf=lambda s: None))
    server.start_thread()
    return server, server.server.server_address[1]
