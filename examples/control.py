#!/usr/bin/env python3
"""control.py: talk to the control socket of `ipsec-emu serve --control PATH` (JSON lines).

    control.py CONTROL_SOCKET REQUEST...      each REQUEST is one JSON object, e.g. '{"op":"stats"}'
    control.py CONTROL_SOCKET --ping SRC DST  sends one IPv4 UDP packet SRC:5000 -> DST:7 outbound

Prints each answer line as it comes. Standard library only.
"""

import argparse
import json
import socket
import struct
import sys


def ipv4_udp(src, dst, sport, dport, data):
    """An IPv4 header (RFC 791: no options, TTL 64, header checksum) and a UDP datagram (RFC 768,
    checksum 0: none)."""
    total = 20 + 8 + len(data)
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0, 64, 17, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
    s = sum(struct.unpack("!10H", header))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    header = header[:10] + struct.pack("!H", ~s & 0xFFFF) + header[12:]
    return header + struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("socket", help="the control socket of `ipsec-emu serve --control PATH`")
    ap.add_argument("--ping", nargs=2, metavar=("SRC", "DST"),
                    help="send one IPv4 UDP packet from SRC to DST outbound")
    ap.add_argument("requests", nargs="*", help="JSON requests, one per argument")
    args = ap.parse_args(argv)

    requests = list(args.requests)
    if args.ping:
        packet = ipv4_udp(args.ping[0], args.ping[1], 5000, 7, b"hello, IPsec")
        requests.append(json.dumps({"op": "packet", "direction": "out", "hex": packet.hex()}))
    if not requests:
        ap.error("nothing to send: give REQUEST arguments or --ping")

    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(args.socket)
    f = s.makefile("rw", encoding="utf-8", newline="\n")
    for r in requests:
        f.write(r.strip() + "\n")
        f.flush()
        answer = f.readline()
        if not answer:
            print("control: the server closed the connection", file=sys.stderr)
            return 1
        print(answer.rstrip("\n"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
