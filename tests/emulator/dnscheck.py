"""DNS-driven verification: a pending domain becomes SUCCESS once its DKIM records are
published, in a zone given to the emulator (admin call) or on a DNS server the emulator is
pointed at (host:port on loopback). A MAIL FROM domain becomes SUCCESS once its MX points
at feedback-smtp.{region}.amazonses.com.

The DNS client is a few lines of stdlib (one UDP question, no recursion into other servers).
"""

import random
import socket
import struct
import time

from state import backend, emu

TYPES = {"A": 1, "CNAME": 5, "MX": 15, "TXT": 16}


def _qname(name):
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode("idna") if any(ord(c) > 127 for c in label) else label.encode()
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def _read_name(msg, off):
    labels, jumped, end = [], False, None
    while True:
        n = msg[off]
        if n & 0xC0 == 0xC0:
            ptr = struct.unpack("!H", msg[off:off + 2])[0] & 0x3FFF
            if not jumped:
                end = off + 2
            off, jumped = ptr, True
            continue
        off += 1
        if n == 0:
            break
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n
    return ".".join(labels).lower(), (end if jumped else off)


def query(server, name, rtype, timeout=1.0):
    """Returns the answer strings for name/type from server (host, port); [] on any failure."""
    qid = random.randrange(65536)
    packet = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + _qname(name) + struct.pack("!HH", TYPES[rtype], 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(packet, server)
            msg, _ = s.recvfrom(4096)
        except OSError:
            return []
    if len(msg) < 12 or struct.unpack("!H", msg[:2])[0] != qid:
        return []
    _, flags, qd, an, _, _ = struct.unpack("!HHHHHH", msg[:12])
    off = 12
    for _ in range(qd):
        _, off = _read_name(msg, off)
        off += 4
    answers = []
    for _ in range(an):
        _, off = _read_name(msg, off)
        t, _, _, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
        off += 10
        rdata = msg[off:off + rdlen]
        if t == TYPES[rtype]:
            if t == 5:
                answers.append(_read_name(msg, off)[0])
            elif t == 15:
                answers.append(str(struct.unpack("!H", rdata[:2])[0]) + " " + _read_name(msg, off + 2)[0])
            elif t == 16:
                parts, i = [], 0
                while i < len(rdata):
                    ln = rdata[i]
                    parts.append(rdata[i + 1:i + 1 + ln].decode("utf-8", "replace"))
                    i += 1 + ln
                answers.append("".join(parts))
            elif t == 1:
                answers.append(socket.inet_ntoa(rdata))
        off += rdlen
    return answers


def lookup(region, name, rtype):
    st = emu(region)
    name = name.lower().rstrip(".")
    values = [v.lower().rstrip(".") if rtype != "TXT" else v
              for v in st.dns_zone.get(name, {}).get(rtype, [])]
    if st.dns_server:
        values += [v.rstrip(".") for v in query(st.dns_server, name, rtype)]
    return values


def check_identity(region, name):
    """Promotes a PENDING domain (and its MAIL FROM) when the records are published."""
    st = emu(region)
    if not st.dns_zone and not st.dns_server:
        return
    b = backend(region)
    ident = b.email_identities.get(name)
    if ident is None or ident.identity_type != "DOMAIN":
        return
    dk = ident.dkim_attributes
    now = time.time()
    if ident.verification_status in ("PENDING", "TEMPORARY_FAILURE") and dk.get("Tokens"):
        if dk.get("SigningAttributesOrigin") == "EXTERNAL":
            ok = all(any("p=" in v for v in lookup(region, f"{sel}._domainkey.{name}", "TXT"))
                     for sel in dk["Tokens"])
        else:
            ok = all(f"{t}.dkim.amazonses.com" in lookup(region, f"{t}._domainkey.{name}", "CNAME")
                     for t in dk["Tokens"])
        ident.sesemu_checked = now
        if ok:
            ident.verification_status = "SUCCESS"
            dk["Status"] = "SUCCESS"
    mf = b.identity_mail_from_domains.get(name)
    if mf and mf.get("status", "PENDING") == "PENDING":
        mx = lookup(region, mf["mail_from_domain"], "MX")
        if any(v.split()[-1].rstrip(".") == f"feedback-smtp.{region}.amazonses.com" for v in mx):
            mf["status"] = "SUCCESS"


def check_all(region):
    for name in list(backend(region).email_identities):
        check_identity(region, name)
