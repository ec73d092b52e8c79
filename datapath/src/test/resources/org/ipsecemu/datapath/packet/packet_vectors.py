# Packets for the header views and the extension header walker, built with scapy.
from scapy.all import *
from scapy.layers.inet6 import *
esp = bytes.fromhex('00001001' '00000001') + bytes(range(16))   # SPI 0x1001, seq 1, 16 bytes
def out(name, p): print(name, raw(p).hex())
# IPv4 with options (NOP, NOP, Router Alert, EOL, EOL) carrying ESP
out('v4_opts_esp', IP(src='198.51.100.1', dst='203.0.113.9', ttl=64, id=1, flags='DF',
                      options=[IPOption_NOP(), IPOption_NOP(), IPOption_Router_Alert(), IPOption_EOL(), IPOption_EOL()], proto=50)/esp)
# IPv6: Hop-by-Hop (PadN), Destination Options, Routing type 2 (0 left), atomic Fragment, ESP
out('v6_chain_esp', IPv6(src='2001:db8::1', dst='2001:db8::2', fl=0xabcde)
    / IPv6ExtHdrHopByHop(options=[PadN(optdata=b'\x00\x00\x00\x00')])
    / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x1e, optdata=b'xy')])
    / IPv6ExtHdrRouting(type=2, segleft=0, addresses=['2001:db8::99'])
    / IPv6ExtHdrFragment(nh=50, offset=0, m=0, id=0x1234)
    / Raw(esp))
# IPv6 non-initial fragment of a UDP datagram (offset 8 x 8 bytes)
out('v6_frag_tail', IPv6(src='2001:db8::1', dst='2001:db8::2')/IPv6ExtHdrFragment(nh=17, offset=8, m=1, id=5)/Raw(b'\x01\x02\x03\x04\x05\x06\x07\x08'))
# IPv6 first fragment of a UDP datagram
out('v6_frag_first', IPv6(src='2001:db8::1', dst='2001:db8::2')/IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=5)/UDP(sport=1111, dport=2222)/b'abcd')
# TCP over IPv4 and IPv6 for flows
out('v4_tcp', IP(src='192.0.2.1', dst='192.0.2.2')/TCP(sport=40000, dport=443, flags='S'))
out('v6_icmp', IPv6(src='2001:db8::1', dst='2001:db8::2')/ICMPv6EchoRequest(id=1, seq=1))
out('v4_gre_key', IP(src='192.0.2.1', dst='192.0.2.2')/GRE(key_present=1, chksum_present=1, key=0x12345678, proto=0x0800)/IP(src='10.0.0.1', dst='10.0.0.2'))
out('v6_mh', IPv6(src='2001:db8::1', dst='2001:db8::2')/IPv6ExtHdrDestOpt()/MIP6MH_BU(seq=1))
