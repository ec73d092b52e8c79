# Generates AH packets with scapy's own AH implementation (scapy.layers.ipsec), whose ICVs are
# computed with mutable fields zeroed (zero_mutable_fields, sending=True).
from scapy.all import *
from scapy.layers.ipsec import SecurityAssociation, AH
from scapy.layers.inet6 import *

k1 = bytes.fromhex('7a60e128a82e66bb3a1f445a565214ef0646ecc2')
k256 = bytes.fromhex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f')
sha1 = SecurityAssociation(AH, spi=0x4102, auth_algo='HMAC-SHA1-96', auth_key=k1)
sha256 = SecurityAssociation(AH, spi=0x4103, auth_algo='SHA2-256-128', auth_key=k256)

def out(name, p):
    print(name, raw(p).hex())

# 1. IPv4, no options, UDP
p = IP(src='192.0.2.10', dst='192.0.2.20', tos=0xb9, ttl=61, id=0x1234, flags='DF')/UDP(sport=5000, dport=53)/b'hello'
out('v4_plain', sha1.encrypt(p, seq_num=7))
# 2. IPv4 with options: NOP, Record Route (mutable), Router Alert (immutable), Security (immutable),
#    Timestamp (mutable), exhausted Loose Source Route (mutable, dst already final), EOL padding
# Options as raw bytes: NOP; Record Route, 1 slot, full (mutable); Router Alert (immutable);
# Security 130 in RFC 791 form (immutable); Timestamp, 1 of 2 stored (mutable); EOL.
opt = bytes.fromhex('01' '070708c6336401' '94040000' '820b0123456789abcdef01'
                    '440c090000003039' '00000000' '00')
def with_options(opt, **kw):
    base = raw(IP(proto=1, **kw)/ICMP(type=8, id=1, seq=2)/b'ping-data')
    hdr = bytearray(base[:20]); hdr[0] = 0x40 | ((20 + len(opt)) // 4)
    p = IP(bytes(hdr) + opt + base[20:]); del p.len; del p.chksum
    p = IP(raw(p))
    assert raw(p)[20:20 + len(opt)] == opt
    for o in p.options: print('#', repr(o))
    return p
p = with_options(opt, src='192.0.2.10', dst='192.0.2.20', tos=0x10, ttl=17, id=0x4321)
out('v4_options', sha1.encrypt(p, seq_num=1))
# Loose Source Route used up (pointer 12 > length 11: destination already final), NOP, Timestamp
opt = bytes.fromhex('830b0cc6336407c6336408' '01' '4408050000000000')
p = with_options(opt, src='192.0.2.10', dst='192.0.2.20', ttl=3, id=7)
out('v4_lsrr_done', sha1.encrypt(p, seq_num=2))
# 3. IPv6 with HBH (Router Alert + may-change option 0x3e), Dest Opts (0x1e immutable, 0x3e mutable),
#    Type 0 routing header with 2 segments left, then AH, then UDP
hbh = IPv6ExtHdrHopByHop(options=[RouterAlert(value=0), HBHOptUnknown(otype=0x3e, optdata=b'\xaa\xbb\xcc\xdd')])
dst = IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x1e, optdata=b'\x11\x22'), HBHOptUnknown(otype=0x3e, optdata=b'\x33\x44\x55')])
rt = IPv6ExtHdrRouting(type=0, segleft=2, addresses=['2001:db8:1::2', '2001:db8:2::2'])
p = IPv6(src='2001:db8::1', dst='2001:db8:1::1', tc=0xb8, fl=0x12345, hlim=64)/hbh/dst/rt/UDP(sport=1234, dport=4321)/b'v6 payload'
out('v6_ext', sha1.encrypt(p, seq_num=3))
# 4. IPv6 with SHA-256-128 (AH padded to 32 bytes for 64-bit alignment), no extension headers
p = IPv6(src='2001:db8::1', dst='2001:db8::2', tc=1, fl=7, hlim=3)/TCP(sport=1, dport=2, flags='S')
out('v6_sha256', sha256.encrypt(p, seq_num=9))
# 5. IPv6 tunnel mode carrying IPv4
tun = SecurityAssociation(AH, spi=0x4104, auth_algo='HMAC-SHA1-96', auth_key=k1,
                          tunnel_header=IPv6(src='2001:db8::a', dst='2001:db8::b', hlim=9, fl=99))
p = IP(src='10.0.0.1', dst='10.0.0.2', ttl=5)/UDP(sport=9, dport=9)/b'inner'
out('v6_tunnel_v4', tun.encrypt(p, seq_num=11))
# 6. IPv4 with ESN: high 32 bits 0x00000001 appended for the ICV
esn = SecurityAssociation(AH, spi=0x4105, auth_algo='HMAC-SHA1-96', auth_key=k1, esn_en=True, esn=1)
p = IP(src='192.0.2.10', dst='192.0.2.20')/UDP(sport=1, dport=2)/b'esn'
out('v4_esn_hi1', esn.encrypt(p, seq_num=5, esn_en=True, esn=1))
# Transport-mode decapsulation as scapy does it, for the TransportMode tests (verify=False for
# IPv6: scapy's receive side does not rearrange routing headers when it verifies).
out('v4_options_decap', sha1.decrypt(IP(raw(sha1.encrypt(with_options(bytes.fromhex('01' '070708c6336401' '94040000' '820b0123456789abcdef01' '440c090000003039' '00000000' '00'), src='192.0.2.10', dst='192.0.2.20', tos=0x10, ttl=17, id=0x4321), seq_num=1)))))
p6 = IPv6(src='2001:db8::1', dst='2001:db8:1::1', tc=0xb8, fl=0x12345, hlim=64)/hbh/dst/rt/UDP(sport=1234, dport=4321)/b'v6 payload'
out('v6_ext_decap', sha1.decrypt(IPv6(raw(sha1.encrypt(p6, seq_num=3))), verify=False))
