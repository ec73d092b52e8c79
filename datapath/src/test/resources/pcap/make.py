#!/usr/bin/python3
"""Remakes the small capture files that PcapReaderTest and PcapWriterTest read.

Run from anywhere with Debian's scapy and editcap (package tshark):

    /usr/bin/python3 datapath/src/test/resources/pcap/make.py

Every file is deterministic: fixed timestamps, fixed addresses, fixed payloads.
The tests state the expected values themselves (frame counts, IP offsets,
timestamps below), so a change here must be matched there.

Timestamps: frame i (0-based) of every file is stamped BASE_SEC + i seconds and
BASE_USEC + i microseconds (BASE_NSEC + i nanoseconds in the nanosecond files).
"""
import os
import struct
import subprocess

from scapy.layers.inet import IP, UDP, ICMP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import ARP, Dot1AD, Dot1Q, Ether
from scapy.packet import Raw
from scapy.utils import RawPcapWriter

HERE = os.path.dirname(os.path.abspath(__file__))
BASE_SEC = 1700000000
BASE_USEC = 123456
BASE_NSEC = 123456789

MAC_A = "02:00:00:00:00:0a"
MAC_B = "02:00:00:00:00:0b"

V4 = IP(src="192.0.2.1", dst="198.51.100.2", id=1) / UDP(sport=4500, dport=4500) / Raw(b"v4-payload")
V6 = IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=500, dport=500) / Raw(b"v6-payload")
# 28 bytes of IPv4: an Ethernet frame carrying it is padded to 60 bytes on the wire.
V4_SMALL = IP(src="192.0.2.1", dst="198.51.100.2", id=2) / ICMP()
ARP_REQ = ARP(psrc="192.0.2.1", pdst="192.0.2.2", hwsrc=MAC_A)


def write(name, linktype, frames, nano=False, endianness=""):
    """frames: list of bytes, or (bytes, wirelen) for a frame cut by the snaplen."""
    w = RawPcapWriter(os.path.join(HERE, name), linktype=linktype, nano=nano,
                      endianness=endianness, snaplen=65535)
    w.write_header(None)
    for i, f in enumerate(frames):
        data, wirelen = (f if isinstance(f, tuple) else (f, None))
        frac = (BASE_NSEC if nano else BASE_USEC) + i
        w._write_packet(bytes(data), sec=BASE_SEC + i, usec=frac, wirelen=wirelen)
    w.close()


def eth(payload, ethertype):
    return bytes(Ether(src=MAC_A, dst=MAC_B, type=ethertype)) + bytes(payload)


def sll(payload, protocol):
    # Linux cooked v1 (LINKTYPE_LINUX_SLL 113): packet type, ARPHRD type,
    # address length, 8 address bytes, protocol (all big-endian).
    return struct.pack(">HHH8sH", 0, 1, 6, bytes.fromhex("02000000000a") + b"\0\0", protocol) + bytes(payload)


def sll2(payload, protocol):
    # Linux cooked v2 (LINKTYPE_LINUX_SLL2 276): protocol, reserved, ifindex,
    # ARPHRD type, packet type, address length, 8 address bytes.
    return struct.pack(">HHIHBB8s", protocol, 0, 3, 1, 4, 6, bytes.fromhex("02000000000a") + b"\0\0") + bytes(payload)


def null(payload, family, order):
    return struct.pack(order + "I", family) + bytes(payload)


def main():
    # Ethernet: IPv4, IPv6, ARP, LLDP (another EtherType), padded small IPv4,
    # an IPv4 frame cut by the snaplen (96 of 1514 bytes captured).
    big = IP(src="192.0.2.1", dst="198.51.100.2", id=3) / UDP(sport=4500, dport=4500) / Raw(b"x" * 1472)
    cut = eth(big, 0x0800)[:96]
    small = eth(V4_SMALL, 0x0800)
    small += b"\0" * (60 - len(small))
    write("ethernet.pcap", 1, [
        eth(V4, 0x0800),
        eth(V6, 0x86DD),
        Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") / ARP_REQ,
        eth(b"\x02\x07\x04" + b"\0" * 20, 0x88CC),
        small,
        (cut, 1514),
    ])
    # The same frames written big-endian (a capture from a big-endian host).
    write("ethernet-be.pcap", 1, [eth(V4, 0x0800), eth(V6, 0x86DD)], endianness=">")
    write("ethernet-vlan.pcap", 1, [
        Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=100) / V4,
        Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=200) / V6,
        Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=100) / ARP_REQ,
    ])
    # QinQ: 802.1ad service tag (0x88a8) over 802.1Q, and 802.1Q over 802.1Q.
    write("ethernet-qinq.pcap", 1, [
        Ether(src=MAC_A, dst=MAC_B, type=0x88A8) / Dot1AD(vlan=10) / Dot1Q(vlan=100) / V4,
        Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=10) / Dot1Q(vlan=200) / V6,
    ])
    write("raw12.pcap", 12, [V4, V6])
    write("raw14.pcap", 14, [V4, V6])
    write("raw101.pcap", 101, [V4, V6, b"\x50" + b"\0" * 19])
    write("ipv4-228.pcap", 228, [V4])
    write("ipv6-229.pcap", 229, [V6])
    write("sll.pcap", 113, [sll(V4, 0x0800), sll(V6, 0x86DD), sll(ARP_REQ, 0x0806)])
    write("sll2.pcap", 276, [sll2(V4, 0x0800), sll2(V6, 0x86DD), sll2(ARP_REQ, 0x0806)])
    # DLT_NULL: the family in the byte order of the capturing host.
    write("null-le.pcap", 0, [null(V4, 2, "<"), null(V6, 30, "<")])
    write("null-be.pcap", 0, [null(V4, 2, ">"), null(V6, 24, ">")])
    # DLT_LOOP (OpenBSD): the family in network byte order.
    write("loop.pcap", 108, [null(V4, 2, ">"), null(V6, 28, ">")])
    write("nanos.pcap", 1, [eth(V4, 0x0800), eth(V6, 0x86DD)], nano=True)
    # 802.11 without radiotap: a link type replay does not read.
    write("ieee802_11.pcap", 105, [bytes.fromhex("08020000") + b"\0" * 20])

    # pcapng, converted by editcap from the microsecond and nanosecond files.
    subprocess.run(["editcap", "-F", "pcapng", os.path.join(HERE, "ethernet-vlan.pcap"),
                    os.path.join(HERE, "ethernet-vlan.pcapng")], check=True)
    subprocess.run(["editcap", "-F", "pcapng", os.path.join(HERE, "nanos.pcap"),
                    os.path.join(HERE, "nanos.pcapng")], check=True)

    # A capture cut in the middle of its third frame's data.
    with open(os.path.join(HERE, "ethernet-vlan.pcap"), "rb") as f:
        whole = f.read()
    third = 24 + (16 + 14 + 4 + len(V4)) + (16 + 14 + 4 + len(V6))
    with open(os.path.join(HERE, "truncated.pcap"), "wb") as f:
        f.write(whole[:third + 16 + 10])
    # A capture cut inside its file header.
    with open(os.path.join(HERE, "truncated-header.pcap"), "wb") as f:
        f.write(whole[:10])
    with open(os.path.join(HERE, "not-a-capture.txt"), "w") as f:
        f.write("This is a text file, not a packet capture.\n")
    open(os.path.join(HERE, "empty.pcap"), "wb").close()


if __name__ == "__main__":
    main()
