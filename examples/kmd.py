#!/usr/bin/env python3
"""kmd.py: a small key management daemon speaking PF_KEY v2 (RFC 2367) to `ipsec-emu serve`.

It plays the key manager of the McDonald-Phan-Atkinson paper's Figure 3 and of RFC 2367 §5.1:

    KMD->Kernel:        SADB_REGISTER for ESP
    Kernel->Registered: SADB_REGISTER for ESP, Supported Algorithms
    Kernel->Registered: SADB_ACQUIRE for ESP, addr, proposals      (traffic needs an SA)
    KMD->Kernel:        SADB_GETSPI for ESP, addr, SPI range        (seq = the ACQUIRE's)
    Kernel->All:        SADB_GETSPI for ESP, assoc, addr
    KMD->Kernel:        SADB_UPDATE for ESP, assoc, addr, keys      (seq = the ACQUIRE's)
    Kernel->All:        SADB_UPDATE for ESP, assoc, addr
    KMD->Kernel:        SADB_ADD for ESP, assoc, addr, keys         (the other direction)
    Kernel->All:        SADB_ADD for ESP, assoc, addr

There is no peer to negotiate with: the keys are fixed (AES-128-CBC with HMAC-SHA-256, the
bytes below), so both directions of every SA get the same, well-known keys. Never use them for
anything real. The inbound SA's SPI, which a real peer would choose, is the outbound one plus one.

Standard library only (socket, struct). The wire format is the host's byte order (or the one given
with --byte-order, which must match the server's) and Linux sockaddrs (AF_INET 2, AF_INET6 10).

    usage: kmd.py [--acquires N] [--lifetime SECONDS] [--byte-order native|little|big] PFKEY_SOCKET

It prints the conversation, one line per message (SADB_EXPIREs included), and never a key. With
--lifetime the SAs it makes expire (SOFT at 80%, then HARD); a real daemon would negotiate new
ones on the SOFT EXPIRE. With --acquires N it exits after answering N ACQUIREs; otherwise it runs
until the server closes the connection.
"""

import argparse
import os
import socket
import struct
import sys

PF_KEY_V2 = 2

# Message types (RFC 2367 §2.1, Linux pfkeyv2.h for the X_ ones).
MESSAGE_TYPES = {
    1: "SADB_GETSPI", 2: "SADB_UPDATE", 3: "SADB_ADD", 4: "SADB_DELETE", 5: "SADB_GET",
    6: "SADB_ACQUIRE", 7: "SADB_REGISTER", 8: "SADB_EXPIRE", 9: "SADB_FLUSH", 10: "SADB_DUMP",
    11: "SADB_X_PROMISC", 12: "SADB_X_PCHANGE", 13: "SADB_X_SPDUPDATE", 14: "SADB_X_SPDADD",
    15: "SADB_X_SPDDELETE", 16: "SADB_X_SPDGET", 18: "SADB_X_SPDDUMP", 19: "SADB_X_SPDFLUSH",
}
SADB_GETSPI, SADB_UPDATE, SADB_ADD, SADB_ACQUIRE, SADB_REGISTER, SADB_EXPIRE = 1, 2, 3, 6, 7, 8

SATYPES = {0: "UNSPEC", 2: "AH", 3: "ESP", 5: "RSVP", 6: "OSPFV2", 7: "RIPV2", 8: "MIP", 9: "IPCOMP"}
SADB_SATYPE_ESP = 3

# Extension types (RFC 2367 §2.3).
EXT_SA, EXT_LIFETIME_CURRENT, EXT_LIFETIME_HARD, EXT_LIFETIME_SOFT = 1, 2, 3, 4
EXT_ADDRESS_SRC, EXT_ADDRESS_DST, EXT_ADDRESS_PROXY = 5, 6, 7
EXT_KEY_AUTH, EXT_KEY_ENCRYPT = 8, 9
EXT_PROPOSAL, EXT_SUPPORTED_AUTH, EXT_SUPPORTED_ENCRYPT, EXT_SPIRANGE = 13, 14, 15, 16

SADB_SASTATE_MATURE = 1
SADB_X_AALG_SHA2_256HMAC = 5
SADB_X_EALG_AESCBC = 12

AF_INET, AF_INET6 = 2, 10  # Linux numbering, whatever this machine's Python says

# The fixed keys: 128-bit AES, 256-bit HMAC-SHA-256 (public, for emulation only).
ENC_KEY = bytes(range(0x10, 0x20))
AUTH_KEY = bytes(range(0x40, 0x60))


class PfKey:
    """One PF_KEY socket: a connection to `ipsec-emu serve --pfkey PATH`."""

    def __init__(self, path, order="="):
        self.order = order
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.pid = os.getpid()
        self.seq = 0

    def next_seq(self):
        self.seq += 1
        return self.seq

    def send(self, msg_type, satype, seq, extensions=b""):
        """Writes one message: the base header (§2.1) and the extensions, already padded."""
        length = 16 + len(extensions)
        header = struct.pack(self.order + "BBBBHHII", PF_KEY_V2, msg_type, 0, satype,
                             length // 8, 0, seq, self.pid)
        message = header + extensions
        print("-> " + describe(parse(message, self.order)), flush=True)
        self.sock.sendall(message)

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def receive(self):
        """The next message as a dict (see parse), or None when the server closed the stream."""
        try:
            header = self._read(16)
            if header is None:
                return None
            length = struct.unpack_from(self.order + "H", header, 4)[0] * 8
            body = self._read(length - 16) if length > 16 else b""
        except ConnectionResetError:
            return None
        if body is None:
            return None
        msg = parse(header + body, self.order)
        print("<- " + describe(msg), flush=True)
        return msg

    def reply_to(self, msg_type, seq, handle):
        """Reads until the kernel's answer to our message (same type, seq and pid); every other
        message read meanwhile goes to handle()."""
        while True:
            m = self.receive()
            if m is None:
                raise SystemExit("kmd: the server closed the connection")
            if m["type"] == msg_type and m["seq"] == seq and m["pid"] == self.pid:
                return m
            handle(m)


# ---------------------------------------------------------------- building extensions (§2.3)

def pad8(b):
    return b + b"\0" * (-len(b) % 8)


def sockaddr(order, address):
    """A Linux sockaddr_in or sockaddr_in6 for an address in text form, port 0."""
    if ":" in address:
        return struct.pack(order + "H", AF_INET6) + struct.pack("!HI", 0, 0) + \
            socket.inet_pton(socket.AF_INET6, address) + struct.pack(order + "I", 0)
    return struct.pack(order + "H", AF_INET) + struct.pack("!H", 0) + \
        socket.inet_pton(socket.AF_INET, address) + b"\0" * 8


def address_ext(order, ext_type, address):
    """sadb_address (§2.3.3): proto 0 (any), a full-length prefix, then the sockaddr."""
    prefix = 128 if ":" in address else 32
    sa = pad8(sockaddr(order, address))
    return struct.pack(order + "HHBBH", (8 + len(sa)) // 8, ext_type, 0, prefix, 0) + sa


def sa_ext(order, spi):
    """sadb_sa (§2.3.1); sadb_sa_spi is in network byte order, the rest in host order."""
    return struct.pack(order + "HH", 2, EXT_SA) + struct.pack("!I", spi) + \
        struct.pack(order + "BBBBI", 32, SADB_SASTATE_MATURE, SADB_X_AALG_SHA2_256HMAC,
                    SADB_X_EALG_AESCBC, 0)


def key_ext(order, ext_type, key):
    """sadb_key (§2.3.4): the key length in bits, then the key, padded to 64 bits."""
    data = pad8(key)
    return struct.pack(order + "HHHH", (8 + len(data)) // 8, ext_type, len(key) * 8, 0) + data


def lifetime_ext(order, ext_type, addtime):
    """sadb_lifetime (§2.3.2): only an addtime, in seconds after the SA was added."""
    return struct.pack(order + "HHIQQQ", 4, ext_type, 0, 0, addtime, 0)


def spirange_ext(order, low, high):
    """sadb_spirange (§2.3.9)."""
    return struct.pack(order + "HHIII", 2, EXT_SPIRANGE, low, high, 0)


# ---------------------------------------------------------------- reading messages

def parse_sockaddr(order, data):
    family = struct.unpack_from(order + "H", data, 0)[0]
    if family == AF_INET:
        return socket.inet_ntop(socket.AF_INET, data[4:8])
    if family == AF_INET6:
        return socket.inet_ntop(socket.AF_INET6, data[8:24])
    return "family %d" % family


def parse(message, order):
    """A message as a dict: the header fields and the extensions this example looks at."""
    version, mtype, errno, satype, length, _, seq, pid = \
        struct.unpack_from(order + "BBBBHHII", message, 0)
    m = {"type": mtype, "errno": errno, "satype": satype, "seq": seq, "pid": pid, "ext": {}}
    off = 16
    while off + 4 <= len(message):
        elen, etype = struct.unpack_from(order + "HH", message, off)
        if elen == 0:
            break
        body = message[off:off + elen * 8]
        if etype == EXT_SA:
            m["ext"]["spi"] = struct.unpack_from("!I", body, 4)[0]
            m["ext"]["state"] = body[9]
        elif etype in (EXT_ADDRESS_SRC, EXT_ADDRESS_DST, EXT_ADDRESS_PROXY):
            m["ext"][etype] = parse_sockaddr(order, body[8:])
        elif etype in (EXT_LIFETIME_HARD, EXT_LIFETIME_SOFT):
            _, _, allocations, nbytes, addtime, usetime = \
                struct.unpack_from(order + "HHIQQQ", body, 0)
            m["ext"][etype] = (allocations, nbytes, addtime, usetime)
        elif etype in (EXT_KEY_AUTH, EXT_KEY_ENCRYPT):
            m["ext"][etype] = struct.unpack_from(order + "H", body, 4)[0]  # bits only
        elif etype in (EXT_SUPPORTED_AUTH, EXT_SUPPORTED_ENCRYPT):
            algs = []
            for a in range(8, len(body), 8):
                alg_id, ivlen, minbits, maxbits, _ = struct.unpack_from(order + "BBHHH", body, a)
                algs.append((alg_id, minbits, maxbits))
            m["ext"][etype] = algs
        off += elen * 8
    return m


def describe(m):
    """One line for a message: type, satype, seq, pid, errno, and what matters of its extensions.
    Keys appear only as their size."""
    parts = [MESSAGE_TYPES.get(m["type"], "type %d" % m["type"]),
             "satype=" + SATYPES.get(m["satype"], str(m["satype"])),
             "seq=%d" % m["seq"], "pid=%d" % m["pid"]]
    if m["errno"]:
        parts.append("errno=%d (%s)" % (m["errno"], os.strerror(m["errno"])))
    e = m["ext"]
    if "spi" in e:
        parts.append("spi=0x%08x" % e["spi"])
    if EXT_ADDRESS_SRC in e or EXT_ADDRESS_DST in e:
        parts.append("%s -> %s" % (e.get(EXT_ADDRESS_SRC, "?"), e.get(EXT_ADDRESS_DST, "?")))
    if EXT_LIFETIME_SOFT in e and m["type"] == SADB_EXPIRE:
        parts.append("SOFT lifetime reached")
    if EXT_LIFETIME_HARD in e and m["type"] == SADB_EXPIRE:
        parts.append("HARD lifetime reached")
    bits = [str(e[k]) for k in (EXT_KEY_ENCRYPT, EXT_KEY_AUTH) if k in e]
    if bits:
        parts.append("keys of %s bits (not shown)" % "+".join(bits))
    if EXT_SUPPORTED_ENCRYPT in e:
        parts.append("%d encryption and %d authentication algorithms"
                     % (len(e[EXT_SUPPORTED_ENCRYPT]), len(e.get(EXT_SUPPORTED_AUTH, []))))
    return " ".join(parts)


# ---------------------------------------------------------------- the daemon

def answer_acquire(pf, acquire, handle, lifetime):
    """§5.1: GETSPI and UPDATE with the ACQUIRE's seq for the SA it asks for, then ADD for the
    other direction. With a lifetime, both SAs get a HARD addtime of that many seconds and a SOFT
    one at 80% of it, so the kernel sends SADB_EXPIRE (§3.1.8) as the clock passes them."""
    o = pf.order
    src = acquire["ext"].get(EXT_ADDRESS_SRC)
    dst = acquire["ext"].get(EXT_ADDRESS_DST)
    seq = acquire["seq"]
    addresses = address_ext(o, EXT_ADDRESS_SRC, src) + address_ext(o, EXT_ADDRESS_DST, dst)

    pf.send(SADB_GETSPI, SADB_SATYPE_ESP, seq, addresses + spirange_ext(o, 0x100, 0x0fffffff))
    got = pf.reply_to(SADB_GETSPI, seq, handle)
    if got["errno"]:
        return False
    spi = got["ext"]["spi"]

    material = key_ext(o, EXT_KEY_AUTH, AUTH_KEY) + key_ext(o, EXT_KEY_ENCRYPT, ENC_KEY)
    if lifetime:
        material = lifetime_ext(o, EXT_LIFETIME_HARD, lifetime) + \
            lifetime_ext(o, EXT_LIFETIME_SOFT, lifetime * 4 // 5) + material
    pf.send(SADB_UPDATE, SADB_SATYPE_ESP, seq, sa_ext(o, spi) + addresses + material)
    if pf.reply_to(SADB_UPDATE, seq, handle)["errno"]:
        return False

    back = address_ext(o, EXT_ADDRESS_SRC, dst) + address_ext(o, EXT_ADDRESS_DST, src)
    add_seq = pf.next_seq()
    pf.send(SADB_ADD, SADB_SATYPE_ESP, add_seq, sa_ext(o, (spi + 1) & 0xffffffff) + back + material)
    return pf.reply_to(SADB_ADD, add_seq, handle)["errno"] == 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("socket", help="the PF_KEY socket of `ipsec-emu serve --pfkey PATH`")
    ap.add_argument("--acquires", type=int, default=0,
                    help="exit after answering this many ACQUIREs (default: run until closed)")
    ap.add_argument("--lifetime", type=int, default=0, metavar="SECONDS",
                    help="give the SAs a HARD lifetime of SECONDS and a SOFT one at 80%% of it")
    ap.add_argument("--byte-order", choices=("native", "little", "big"), default="native",
                    help="the server's byte order (default: this machine's)")
    args = ap.parse_args(argv)
    order = {"native": "=", "little": "<", "big": ">"}[args.byte_order]

    pf = PfKey(args.socket, order)
    pending = []  # ACQUIREs read while waiting for another answer

    def handle(m):
        if m["type"] == SADB_ACQUIRE and m["pid"] == 0 and m["errno"] == 0:
            pending.append(m)

    seq = pf.next_seq()
    pf.send(SADB_REGISTER, SADB_SATYPE_ESP, seq)
    reply = pf.reply_to(SADB_REGISTER, seq, handle)
    if reply["errno"]:
        print("kmd: REGISTER refused: %s" % os.strerror(reply["errno"]), flush=True)
        return 1
    print("kmd: registered for ESP; waiting for ACQUIREs", flush=True)

    answered = 0
    while args.acquires == 0 or answered < args.acquires:
        if not pending:
            m = pf.receive()
            if m is None:
                print("kmd: the server closed the connection", flush=True)
                return 0
            handle(m)
            continue
        acquire = pending.pop(0)
        ok = answer_acquire(pf, acquire, handle, args.lifetime)
        answered += 1
        print("kmd: ACQUIRE seq=%d %s" % (acquire["seq"], "answered" if ok else "failed"),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
