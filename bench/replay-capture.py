#!/usr/bin/env python3
"""Writes the inputs of the whole-process replay figure (bench/README.md): a cleartext capture and
the setkey file that protects it.

Usage: python3 bench/replay-capture.py DIR [PACKETS] [SAS] [PAYLOAD]

DIR/clear.pcap: PACKETS Ethernet/IPv4/UDP packets (default 1,000,000) with PAYLOAD bytes of UDP
data (default 1400), from 192.0.2.1 to SAS hosts 198.51.100.1.. (default 8) in turn, one flow per
host, timestamps 10 us apart. DIR/keys.conf: for each host an outbound policy requiring ESP in
transport mode and its SA (AES-128-CBC, HMAC-SHA1-96, no replay window so that the capture can
be replayed any number of times, SPI 0x1001..). Replaying clear.pcap with --direction out gives
the ESP capture; replaying that one (auto: ESP inbound) is the measured run.
"""
import os
import struct
import sys


def checksum(header):
    s = sum(struct.unpack("!10H", header))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def main():
    out = sys.argv[1]
    packets = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    sas = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    payload = int(sys.argv[4]) if len(sys.argv) > 4 else 1400
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "keys.conf"), "w") as k:
        for i in range(sas):
            host = "198.51.100.%d" % (i + 1)
            k.write("add 192.0.2.1 %s esp 0x%x -m transport -r 0\n" % (host, 0x1001 + i))
            k.write("    -E aes-cbc 0x%032x\n" % (0x0123456789ABCDEF0011223344556677 + i))
            k.write("    -A hmac-sha1 0x%040x;\n" % (0x00112233445566778899AABBCCDDEEFF01234567 + i))
            k.write("spdadd 192.0.2.1 %s any -P out ipsec esp/transport//require;\n" % host)
    data = bytes((i * 7 + 1) & 0xFF for i in range(payload))
    ether = bytes.fromhex("020000000002" "020000000001" "0800")
    frames = []
    for i in range(sas):
        total = 20 + 8 + payload
        ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 64, 17, 0,
                                   bytes([192, 0, 2, 1]), bytes([198, 51, 100, i + 1])))
        struct.pack_into("!H", ip, 10, checksum(bytes(ip)))
        udp = struct.pack("!HHHH", 5000 + i, 9, 8 + payload, 0)
        frames.append(ether + bytes(ip) + udp + data)
    with open(os.path.join(out, "clear.pcap"), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        t = 1_700_000_000 * 1_000_000
        for n in range(packets):
            frame = frames[n % sas]
            f.write(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(frame), len(frame)))
            f.write(frame)
            t += 10


if __name__ == "__main__":
    main()
