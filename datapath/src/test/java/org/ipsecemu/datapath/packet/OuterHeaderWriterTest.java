package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OuterHeaderWriterTest {
  // The inner packet of ah/ah_vectors.py 'v6_tunnel_v4': IP(src='10.0.0.1', dst='10.0.0.2', ttl=5)
  // /UDP(sport=9, dport=9)/b'inner', with TOS and DF set as each test needs.
  private static byte[] innerIpv4(int tos, boolean dontFragment) {
    byte[] p =
        Hex.bytes("450000210001400005110000" + "0a0000010a000002" + "00090009000d0000696e6e6572");
    Ipv4Header h = new Ipv4Header().wrap(p, 0, p.length).tos(tos);
    h.flagsAndFragmentOffset(dontFragment ? Ipv4Header.FLAG_DF : 0).updateChecksum();
    return p;
  }

  // IPv6(src='2001:db8::1', dst='2001:db8::2', tc=tc, fl=0xabcde, hlim=7)/ICMPv6 echo
  private static byte[] innerIpv6(int trafficClass) {
    byte[] p =
        Hex.bytes(
            "6000000000083a0720010db800000000000000000000000120010db80000000000000000000000028000244600010001");
    new Ipv6Header().wrap(p, 0, p.length).versionClassFlow(trafficClass, 0xabcde);
    return p;
  }

  private static byte[] randomBuffer(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b); // anything the writer forgets shows up as noise
    return b;
  }

  @Test
  void writesAnIpv4OuterHeaderLikeLinux() throws Exception {
    byte[] inner = innerIpv4(0xbb, true);
    OuterHeaderWriter w =
        OuterHeaderWriter.of(
            InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2"));
    byte[] buf = randomBuffer(20);
    assertThat(w.write(buf, 0, 50, 100, 0x1234, inner, 0)).isEqualTo(20);
    Ipv4Header h = new Ipv4Header().wrap(buf, 0, 20);
    assertThat(h.version()).isEqualTo(4);
    assertThat(h.ihl()).isEqualTo(5);
    assertThat(h.dscp()).as("DSCP copied").isEqualTo(0xbb >>> 2);
    assertThat(h.ecn()).as("CE becomes ECT(0)").isEqualTo(Ecn.ECT_0);
    assertThat(h.totalLength()).isEqualTo(120);
    assertThat(h.identification()).isEqualTo(0x1234);
    assertThat(h.flagsAndFragmentOffset()).as("DF copied").isEqualTo(Ipv4Header.FLAG_DF);
    assertThat(h.ttl()).as("route default, not the inner 5").isEqualTo(64);
    assertThat(h.protocol()).isEqualTo(50);
    assertThat(h.source()).isEqualTo(0xc0000201);
    assertThat(h.destination()).isEqualTo(0xc0000202);
    assertThat(h.isChecksumValid()).isTrue();
  }

  @Test
  void setsDfOverIpv6InnerAndCopiesItsTrafficClass() {
    byte[] inner = innerIpv6(0x2d); // DSCP 11, ECN ECT(1)
    byte[] buf = randomBuffer(20);
    OuterHeaderWriter.ipv4(0xc0000201, 0xc0000202).write(buf, 0, 51, 64, 0, inner, 0);
    Ipv4Header h = new Ipv4Header().wrap(buf, 0, 20);
    assertThat(h.dontFragment()).isTrue();
    assertThat(h.tos()).isEqualTo(0x2d);
    assertThat(h.isChecksumValid()).isTrue();
  }

  @Test
  void clearsDfWithoutPathMtuDiscoveryAndDscpOnRequest() {
    byte[] inner = innerIpv4(0xbb, true);
    byte[] buf = randomBuffer(20);
    OuterHeaderWriter.ipv4(1, 2)
        .pathMtuDiscovery(false)
        .copyDscp(false)
        .write(buf, 0, 50, 10, 0, inner, 0);
    Ipv4Header h = new Ipv4Header().wrap(buf, 0, 20);
    assertThat(h.dontFragment()).isFalse();
    assertThat(h.dscp()).isZero();
    assertThat(h.ecn()).as("ECN still carried").isEqualTo(Ecn.ECT_0);
    assertThat(h.isChecksumValid()).isTrue();
  }

  @Test
  void dropsEcnWhenToldAndCopiesTheInnerTtlWhenAsked() {
    byte[] inner = innerIpv4(0xbb, false);
    byte[] buf = randomBuffer(20);
    OuterHeaderWriter.ipv4(1, 2)
        .ecn(false)
        .hopLimit(OuterHeaderWriter.COPY_INNER_HOP_LIMIT)
        .write(buf, 0, 50, 10, 0, inner, 0);
    Ipv4Header h = new Ipv4Header().wrap(buf, 0, 20);
    assertThat(h.ecn()).isZero();
    assertThat(h.ttl()).isEqualTo(5);
    assertThat(h.dontFragment()).isFalse();
  }

  @Test
  void writesAnIpv6OuterHeaderCopyingTheFlowLabel() throws Exception {
    byte[] inner = innerIpv6(0xb9); // DSCP 46, ECN ECT(1)
    byte[] buf = randomBuffer(40);
    OuterHeaderWriter w =
        OuterHeaderWriter.of(
            InetAddress.getByName("2001:db8::a"), InetAddress.getByName("2001:db8::b"));
    assertThat(w.headerLength()).isEqualTo(40);
    assertThat(w.write(buf, 0, 50, 300, 0, inner, 0)).isEqualTo(40);
    Ipv6Header h = new Ipv6Header().wrap(buf, 0, 40);
    assertThat(h.version()).isEqualTo(6);
    assertThat(h.trafficClass()).isEqualTo(0xb9);
    assertThat(h.flowLabel()).isEqualTo(0xabcde);
    assertThat(h.payloadLength()).isEqualTo(300);
    assertThat(h.nextHeader()).isEqualTo(50);
    assertThat(h.hopLimit()).isEqualTo(64);
    assertThat(h.sourceLow()).isEqualTo(0xa);
    assertThat(h.destinationLow()).isEqualTo(0xb);
  }

  @Test
  void givesAnIpv4InnerPacketFlowLabelZeroOverIpv6() throws Exception {
    byte[] inner = innerIpv4(0x03, false); // ECN CE only
    byte[] buf = randomBuffer(40);
    OuterHeaderWriter.of(InetAddress.getByName("::1"), InetAddress.getByName("::2"))
        .write(buf, 0, 51, 33, 0, inner, 0);
    Ipv6Header h = new Ipv6Header().wrap(buf, 0, 40);
    assertThat(h.flowLabel()).isZero();
    assertThat(h.trafficClass()).isEqualTo(Ecn.ECT_0);
  }

  @Test
  void writesBeforeAnInnerPacketInTheSameBuffer() {
    byte[] inner = innerIpv4(0, true);
    byte[] buf = new byte[28 + inner.length];
    System.arraycopy(inner, 0, buf, 28, inner.length);
    OuterHeaderWriter.ipv4(1, 2).write(buf, 0, 50, 8 + inner.length, 9, buf, 28);
    assertThat(new Ipv4Header().wrap(buf, 0, buf.length).validate()).isEqualTo(ParseResult.OK);
    assertThat(Hex.of(buf, 28, inner.length)).isEqualTo(Hex.of(inner));
  }

  @Test
  void refusesAPacketTooLongForTheLengthField() {
    byte[] inner = innerIpv4(0, false);
    byte[] buf = new byte[40];
    assertThat(OuterHeaderWriter.ipv4(1, 2).write(buf, 0, 50, 65516, 0, inner, 0)).isEqualTo(-1);
    assertThat(OuterHeaderWriter.ipv4(1, 2).write(buf, 0, 50, 65515, 0, inner, 0)).isEqualTo(20);
    byte[] v6 = new byte[16];
    assertThat(OuterHeaderWriter.ipv6(v6, 0, v6, 0).write(buf, 0, 50, 65536, 0, inner, 0))
        .isEqualTo(-1);
  }

  @Test
  void rejectsMixedFamiliesAndBadHopLimits() {
    assertThatThrownBy(
            () ->
                OuterHeaderWriter.of(
                    InetAddress.getByName("192.0.2.1"), InetAddress.getByName("::1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OuterHeaderWriter.ipv4(1, 2).hopLimit(256))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
