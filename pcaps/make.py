#!/usr/bin/python3
"""Makes the sample captures in pcaps/ with scapy's own ESP/AH (scapy.layers.ipsec),
independently of ipsec-emu. Run with Debian's python3-scapy:  /usr/bin/python3 pcaps/make.py

Each NAME.pcap comes with NAME.conf (keys and policies in ipsec-tools setkey syntax) and,
for inbound samples, NAME.plain.pcap (what a correct decryption yields). Keys are fixed,
so the files are reproducible; IVs come from a seeded generator.
"""
import os, random

from scapy.all import (AH, DNS, DNSQR, DNSRR, ESP, ICMP, IP, IPOption_RR, IPv6, IPv6ExtHdrDestOpt,
                       ICMPv6EchoReply, ICMPv6EchoRequest, PadN, Raw, TCP, UDP, Ether, wrpcap)
from scapy.layers.ipsec import SecurityAssociation
import scapy.layers.ipsec as ipsec

HERE = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(2367)
# scapy draws IVs from os.urandom; make them reproducible.
ipsec.os.urandom = lambda n: bytes(rnd.getrandbits(8) for _ in range(n))

A_MAC, B_MAC = '02:00:00:00:00:0a', '02:00:00:00:00:0b'
T0 = 1_700_000_000.0


def eth(p, rev=False):
    return Ether(src=B_MAC if rev else A_MAC, dst=A_MAC if rev else B_MAC) / p


def conversation(a, b, v6=False):
    """A ping, a DNS lookup and a short HTTP exchange between a and b (a -> b, b -> a)."""
    L = (lambda s, d, **kw: IPv6(src=s, dst=d, hlim=64, **kw)) if v6 else \
        (lambda s, d, **kw: IP(src=s, dst=d, ttl=64, id=rnd.getrandbits(16), **kw))
    req = ICMPv6EchoRequest(id=0x1234, seq=1) if v6 else ICMP(type=8, id=0x1234, seq=1)
    rep = ICMPv6EchoReply(id=0x1234, seq=1) if v6 else ICMP(type=0, id=0x1234, seq=1)
    ping = b'ipsec-emu sample ' * 3
    out = [
        (False, L(a, b) / req / Raw(ping)),
        (True, L(b, a) / rep / Raw(ping)),
        (False, L(a, b) / UDP(sport=53001, dport=53) / DNS(id=7, rd=1, qd=DNSQR(qname='www.example.com'))),
        (True, L(b, a) / UDP(sport=53, dport=53001) / DNS(id=7, qr=1, aa=1, qd=DNSQR(qname='www.example.com'),
                                                         an=DNSRR(rrname='www.example.com', rdata='192.0.2.80'))),
        (False, L(a, b) / TCP(sport=41000, dport=80, flags='S', seq=1000)),
        (True, L(b, a) / TCP(sport=80, dport=41000, flags='SA', seq=5000, ack=1001)),
        (False, L(a, b) / TCP(sport=41000, dport=80, flags='A', seq=1001, ack=5001)),
        (False, L(a, b) / TCP(sport=41000, dport=80, flags='PA', seq=1001, ack=5001) /
         Raw(b'GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n')),
        (True, L(b, a) / TCP(sport=80, dport=41000, flags='PA', seq=5001, ack=1041) /
         Raw(b'HTTP/1.1 200 OK\r\nContent-Length: 600\r\n\r\n' + b'x' * 600)),
    ]
    return [(rev, (IPv6 if v6 else IP)(bytes(p))) for rev, p in out]


def write(name, frames, conf, plain=None):
    """frames: list of (time, ether frame)."""
    def dump(path, fr):
        pk = []
        for t, f in fr:
            f.time = t
            pk.append(f)
        wrpcap(path, pk)
    dump(os.path.join(HERE, name + '.pcap'), frames)
    if plain is not None:
        dump(os.path.join(HERE, name + '.plain.pcap'), plain)
    with open(os.path.join(HERE, name + '.conf'), 'w') as f:
        f.write(conf)


def two_way(name, proto, mode, enc, ekeys, auth, akeys, gws, hosts, v6, spis, setkey_enc, setkey_auth, header):
    L = IPv6 if v6 else IP
    sas = []
    for i, (s, d) in enumerate([gws, gws[::-1]]):
        tunnel = L(src=s, dst=d) if mode == 'tunnel' else None
        if proto == 'esp':
            sas.append(SecurityAssociation(ESP, spi=spis[i], crypt_algo=enc, crypt_key=ekeys[i],
                                           auth_algo=auth, auth_key=akeys[i], tunnel_header=tunnel))
        else:
            sas.append(SecurityAssociation(AH, spi=spis[i], auth_algo=auth, auth_key=akeys[i], tunnel_header=tunnel))
    frames, plain = [], []
    t = T0
    for rev, p in conversation(*(hosts if mode == 'tunnel' else gws), v6=v6):
        t += 0.013
        sa = sas[1 if rev else 0]
        frames.append((t, eth(L(bytes(sa.encrypt(p))), rev)))
        plain.append((t, eth(p, rev)))
    conf = header
    for i, (s, d) in enumerate([gws, gws[::-1]]):
        line = f"add {s} {d} {proto} 0x{spis[i]:x} -m {mode} -r 32"
        if proto == 'esp':
            line += f" -E {setkey_enc}" + (f" 0x{ekeys[i].hex()}" if ekeys[i] else '')
        if setkey_auth:
            line += f" -A {setkey_auth} 0x{akeys[i].hex()}"
        conf += line + ";\n"
    write(name, frames, conf, plain)


def main():
    two_way('esp-3des-sha1-tunnel-v4', 'esp', 'tunnel', '3DES',
            [bytes.fromhex('4043434545464649494a4a4c4c4f4f515152525454575758'),
             bytes.fromhex('5e5e5e5d5d5d5b5b5b5858585757575454545252525151d0')],
            'HMAC-SHA1-96', [bytes.fromhex('8765876587658765876587658765876587658765'),
                             bytes.fromhex('1234567890abcdef1234567890abcdef12345678')],
            ('192.0.2.1', '192.0.2.2'), ('10.1.0.10', '10.2.0.20'), False, (0x1001, 0x2001),
            '3des-cbc', 'hmac-sha1',
            '# ESP tunnel mode between gateways 192.0.2.1 and 192.0.2.2 (hosts 10.1.0.10 <-> 10.2.0.20),\n'
            '# 3DES-CBC with HMAC-SHA1-96, one SA per direction. Made by pcaps/make.py with scapy.\n')
    two_way('esp-des-md5-transport-v4', 'esp', 'transport', 'DES',
            [bytes.fromhex('6b707007f8bae39b'), bytes.fromhex('c1d0e5a76e3b4f29')],
            'HMAC-MD5-96', [bytes.fromhex('3387ce7f93248bff2bcc45f356761fdc'),
                            bytes.fromhex('00112233445566778899aabbccddeeff')],
            ('192.0.2.1', '192.0.2.2'), None, False, (0x1002, 0x2002), 'des-cbc', 'hmac-md5',
            '# ESP transport mode, DES-CBC with HMAC-MD5-96 (RFC 2405, RFC 2403). Made by pcaps/make.py.\n')
    two_way('esp-aes-gcm-tunnel-v6', 'esp', 'tunnel', 'AES-GCM',
            [bytes.fromhex('feffe9928665731c6d6a8f9467308308cafebabe'),
             bytes.fromhex('abbccddef00112233445566778899aab01020304')],
            'NULL', [None, None],
            ('2001:db8::1', '2001:db8::2'), ('2001:db8:1::10', '2001:db8:2::20'), True, (0x1003, 0x2003),
            'aes-gcm-16', None,
            '# ESP tunnel mode over IPv6, AES-GCM with a 16-byte ICV (RFC 4106); each key is\n'
            '# the 128-bit AES key followed by the 4-byte salt. Made by pcaps/make.py.\n')
    two_way('ah-sha1-transport-v6', 'ah', 'transport', None, [None, None],
            'HMAC-SHA1-96', [bytes.fromhex('a9876587658765876587658765876587abcdef01'),
                             bytes.fromhex('0f0e0d0c0b0a09080706050403020100ffeeddcc')],
            ('2001:db8::1', '2001:db8::2'), None, True, (0x1004, 0x2004), None, 'hmac-sha1',
            '# AH transport mode over IPv6 with HMAC-SHA1-96 (RFC 4302, RFC 2404). Made by pcaps/make.py.\n')

    # Replayed and tampered packets under one ESP SA (3DES/HMAC-SHA1, transport, window 32).
    key_e, key_a = bytes.fromhex('d5430ec7c2a48c5efd0df1514ff23d0d40495dad3e577976'), \
        bytes.fromhex('e41f8cac02a356acb6c9cea49d55b0f889e128f4')
    sa = SecurityAssociation(ESP, spi=0x3001, crypt_algo='3DES', crypt_key=key_e,
                             auth_algo='HMAC-SHA1-96', auth_key=key_a)
    clears = [p for rev, p in conversation('192.0.2.1', '192.0.2.2') if not rev]
    good = [IP(bytes(sa.encrypt(p))) for p in clears]
    frames, plain, t = [], [], T0
    def add(p, clear=None):
        nonlocal t
        t += 0.01
        frames.append((t, eth(p)))
        if clear is not None:
            plain.append((t, eth(clear)))
    for i, p in enumerate(good[:3]):
        add(p, clears[i])
    add(good[1])                                   # replayed: sequence 2 again
    tampered = bytearray(bytes(good[3])); tampered[40] ^= 0x01
    add(IP(bytes(tampered)))                       # one bit of ciphertext flipped: ICV fails
    add(good[3], clears[3])                        # the genuine packet 4 still gets in
    bad_spi = bytearray(bytes(good[4])); bad_spi[20:24] = (0x3999).to_bytes(4, 'big')
    add(IP(bytes(bad_spi)))                        # an SPI nobody knows
    add(IP(bytes(good[4])[:30]))                   # truncated inside the ESP header
    add(good[4], clears[4])
    add(good[4])                                   # replayed again
    write('esp-replay-tamper', frames,
          '# One ESP SA (3DES-CBC/HMAC-SHA1-96, transport, replay window 32) and a capture with\n'
          '# replayed packets, a tampered packet, an unknown SPI and a truncated packet.\n'
          '# Expected: 5 ok, 2 replay, 1 auth_failed, 1 no_sa, 1 malformed. Made by pcaps/make.py.\n'
          f"add 192.0.2.1 192.0.2.2 esp 0x3001 -m transport -r 32 -E 3des-cbc 0x{key_e.hex()} -A hmac-sha1 0x{key_a.hex()};\n",
          plain)

    # Outbound: cleartext traffic and policies; the replay encrypts what policy protects.
    frames, t = [], T0
    for p in [q for rev, q in conversation('10.1.0.10', '10.2.0.20') if not rev] + \
             [IP(src='10.1.0.10', dst='198.51.100.7', ttl=64) / UDP(sport=123, dport=123) / Raw(b'\x23' + b'\0' * 47),
              IP(src='10.1.0.10', dst='10.9.0.1', ttl=64) / TCP(sport=41001, dport=23, flags='S'),
              IP(src='10.1.0.10', dst='10.3.0.30', ttl=64) / ICMP(type=8) / Raw(b'needs a key')]:
        t += 0.02
        frames.append((t, eth(IP(bytes(p)))))
    write('outbound-policies', frames,
          '# Outbound policies: 10.1/16 <-> 10.2/16 through an ESP tunnel with a keyed SA;\n'
          '# telnet to 10.9/16 discarded; 10.3/16 needs an SA nobody has keyed (ACQUIRE);\n'
          '# everything else bypasses. Made by pcaps/make.py.\n'
          'add 192.0.2.1 192.0.2.2 esp 0x4001 -m tunnel -r 32 -E aes-cbc 0x000102030405060708090a0b0c0d0e0f '
          '-A hmac-sha256 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f;\n'
          'spdadd 10.1.0.0/16 10.2.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;\n'
          'spdadd 10.1.0.0/16 10.9.0.0/16[23] tcp -P out discard;\n'
          'spdadd 10.1.0.0/16 10.3.0.0/16 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.3/require;\n')


if __name__ == '__main__':
    main()
