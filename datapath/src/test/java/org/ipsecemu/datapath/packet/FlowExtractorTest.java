package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import org.ipsecemu.sadb.spd.Flow;
import org.junit.jupiter.api.Test;

/** Packets made with scapy by packet_vectors.py (test resources, this package), named as there. */
class FlowExtractorTest {
  // IP(src='192.0.2.1', dst='192.0.2.2')/TCP(sport=40000, dport=443, flags='S')
  static final String V4_TCP =
      "45000028000100004006f6cbc0000201c00002029c4001bb0000000000000000500220006de30000";
  // IPv6(src='2001:db8::1', dst='2001:db8::2')/ICMPv6EchoRequest(id=1, seq=1): type 128 code 0
  static final String V6_ICMP =
      "6000000000083a4020010db800000000000000000000000120010db80000000000000000000000028000244600010001";
  // IP/GRE(key_present=1, chksum_present=1, key=0x12345678)/IP(...)
  static final String V4_GRE_KEY =
      "4500003400010000402ff696c0000201c0000202a0000800ef520000123456784500001400010000400066e70a0000010a000002";
  // IPv6/IPv6ExtHdrDestOpt()/MIP6MH_BU(seq=1): Mobility Header type 5 behind Destination Options
  static final String V6_MH =
      "6000000000183c4020010db800000000000000000000000120010db8000000000000000000000002"
          + "87000104000000003b01050092eb0001d000000301020000";
  // IPv6/IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=5)/UDP(sport=1111, dport=2222)/b'abcd'
  static final String V6_FIRST_FRAGMENT =
      "6000000000142c4020010db800000000000000000000000120010db8000000000000000000000002"
          + "1100000100000005045708ae000cd29561626364";

  private final FlowExtractor extractor = new FlowExtractor();
  private final Flow flow = new Flow();

  private ParseResult extract(String hex) {
    byte[] p = Hex.bytes(hex);
    return extractor.extract(p, 0, p.length, flow);
  }

  @Test
  void readsTcpPortsOverIpv4() throws Exception {
    assertThat(extract(V4_TCP)).isEqualTo(ParseResult.OK);
    assertThat(flow)
        .isEqualTo(
            Flow.of(
                InetAddress.getByName("192.0.2.1"),
                InetAddress.getByName("192.0.2.2"),
                6,
                40000,
                443));
  }

  @Test
  void readsIcmpv6TypeAndCodeAsPorts() throws Exception {
    assertThat(extract(V6_ICMP)).isEqualTo(ParseResult.OK);
    assertThat(flow)
        .isEqualTo(
            Flow.of(
                InetAddress.getByName("2001:db8::1"),
                InetAddress.getByName("2001:db8::2"),
                58,
                128,
                0));
  }

  @Test
  void readsTheGreKeyAsPortsPastTheChecksumField() {
    assertThat(extract(V4_GRE_KEY)).isEqualTo(ParseResult.OK);
    assertThat(flow.protocol()).isEqualTo(47);
    assertThat(flow.sourcePort()).isEqualTo(0x1234);
    assertThat(flow.destinationPort()).isEqualTo(0x5678);
  }

  @Test
  void readsTheMobilityHeaderTypeBehindDestinationOptions() {
    assertThat(extract(V6_MH)).isEqualTo(ParseResult.OK);
    assertThat(flow.protocol()).isEqualTo(135);
    assertThat(flow.sourcePort()).isEqualTo(5);
    assertThat(flow.destinationPort()).isZero();
  }

  @Test
  void readsPortsOfAFirstFragment() {
    assertThat(extract(V6_FIRST_FRAGMENT)).isEqualTo(ParseResult.OK);
    assertThat(flow.protocol()).isEqualTo(17);
    assertThat(flow.sourcePort()).isEqualTo(1111);
    assertThat(flow.destinationPort()).isEqualTo(2222);
  }

  @Test
  void givesNoPortsForANonInitialFragment() {
    assertThat(extract(Ipv6ExtensionWalkerTest.FRAGMENT_TAIL)).isEqualTo(ParseResult.OK);
    assertThat(flow.protocol()).isEqualTo(17);
    assertThat(flow.sourcePort()).isZero();
    assertThat(flow.destinationPort()).isZero();
  }

  @Test
  void givesNoPortsForANonInitialIpv4Fragment() {
    byte[] p = Hex.bytes(V4_TCP);
    Ipv4Header h = new Ipv4Header().wrap(p, 0, p.length);
    h.flagsAndFragmentOffset(2).updateChecksum();
    assertThat(extractor.extract(p, 0, p.length, flow)).isEqualTo(ParseResult.OK);
    assertThat(flow.protocol()).isEqualTo(6);
    assertThat(flow.sourcePort()).isZero();
  }

  @Test
  void reportsTruncatedTransportHeaderButStillFillsAddresses() throws Exception {
    byte[] p = Arrays.copyOf(Hex.bytes(V4_TCP), 23);
    BigEndian.putU16(p, 2, 23);
    assertThat(extractor.extract(p, 0, p.length, flow)).isEqualTo(ParseResult.TRANSPORT_TRUNCATED);
    assertThat(flow.source()).isEqualTo(InetAddress.getByName("192.0.2.1"));
    assertThat(flow.sourcePort()).isZero();
  }

  @Test
  void reportsAMalformedPacketWithoutTouchingTheFlow() throws Exception {
    extract(V4_TCP);
    Flow before = flow.copy();
    byte[] p = Hex.bytes(V4_TCP);
    p[0] = 0x43;
    assertThat(extractor.extract(p, 0, p.length, flow)).isEqualTo(ParseResult.IPV4_BAD_IHL);
    assertThat(flow).isEqualTo(before);
  }

  @Test
  void reusedFlowTakesTheNewPacketWhole() throws Exception {
    extract(V6_ICMP);
    extract(V4_TCP);
    assertThat(flow.family()).isEqualTo(4);
    assertThat(flow)
        .isEqualTo(
            Flow.of(
                InetAddress.getByName("192.0.2.1"),
                InetAddress.getByName("192.0.2.2"),
                6,
                40000,
                443));
  }
}
