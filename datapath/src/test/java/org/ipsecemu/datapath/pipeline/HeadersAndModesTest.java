package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.InboundVerdictTest.fixChecksum;
import static org.ipsecemu.datapath.pipeline.Packets.atomicFragment;
import static org.ipsecemu.datapath.pipeline.Packets.concat;
import static org.ipsecemu.datapath.pipeline.Packets.counting;
import static org.ipsecemu.datapath.pipeline.Packets.hex;
import static org.ipsecemu.datapath.pipeline.Packets.ipv4;
import static org.ipsecemu.datapath.pipeline.Packets.ipv6;
import static org.ipsecemu.datapath.pipeline.Packets.optionsHeader;
import static org.ipsecemu.datapath.pipeline.Packets.range;
import static org.ipsecemu.datapath.pipeline.Packets.routingType2;
import static org.ipsecemu.datapath.pipeline.Packets.udp;

import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Packets with IPv4 options and IPv6 extension headers, both modes, IPv4 and IPv6 inside each
 * other, AH's mutable fields, bundles and nested tunnels: each protected by the outbound path and
 * taken back by the inbound path, with the headers checked on the wire in between.
 */
class HeadersAndModesTest {
  static final String A = "192.0.2.1";
  static final String B = "192.0.2.2";
  static final String A6 = "2001:db8::1";
  static final String B6 = "2001:db8::2";
  static final String KEYS =
      "-E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha1"
          + " 0x0102030405060708090a0b0c0d0e0f1011121314";
  static final String AH_KEY = "-A hmac-sha1 0x0102030405060708090a0b0c0d0e0f1011121314";

  /** Router Alert (immutable, RFC 4302 App. A.1), Record Route with room for one (mutable), EOL. */
  static final byte[] OPTIONS = hex("94040000 070704c0000201 00");

  private static String keys(String proto) {
    return proto.equals("esp") ? KEYS : AH_KEY;
  }

  private static int number(String proto) {
    return proto.equals("esp") ? 50 : 51;
  }

  @ParameterizedTest
  @ValueSource(strings = {"esp", "ah"})
  void ipv4OptionsStayInFrontOfTheIpsecHeaderAndComeBackUnchanged(String proto) {
    try (Lab lab = new Lab()) {
      lab.run(
          "add "
              + A
              + " "
              + B
              + " "
              + proto
              + " 0x3001 -m transport "
              + keys(proto)
              + ";"
              + "spdadd "
              + A
              + " "
              + B
              + " any -P out ipsec "
              + proto
              + "/transport//require;");
      byte[] plain = ipv4(A, B, 17, 0x4242, OPTIONS, udp(7, 9, counting(33)));
      byte[] out = lab.protect(plain);
      assertThat(out[0]).as("IHL kept").isEqualTo((byte) 0x48);
      assertThat(out[9]).isEqualTo((byte) number(proto));
      assertThat(range(out, 20, 32)).as("options in clear").isEqualTo(OPTIONS);
      assertThat(((out[2] & 0xff) << 8) | (out[3] & 0xff)).isEqualTo(out.length);
      assertThat(lab.open(out)).isEqualTo(plain);
    }
  }

  /** HBH, Destination Options (before routing), Routing type 2, Destination Options, UDP. */
  static byte[] ipv6WithExtensionHeaders() {
    byte[] udp = udp(7, 9, counting(29));
    byte[] dest2 = optionsHeader(17, hex("1e02abcd"));
    byte[] routing = routingType2(60, "2001:db8::99", 0);
    byte[] dest1 = optionsHeader(43, hex("1e02aaaa"));
    byte[] hbh = optionsHeader(60, hex("3e021111 1e022222"));
    return ipv6(A6, B6, 0, 0, 0, concat(hbh, dest1, routing, dest2, udp));
  }

  @ParameterizedTest
  @ValueSource(strings = {"esp", "ah"})
  void ipv6HeadersForTheRouteStayInFrontAndTheRestGoesInside(String proto) {
    try (Lab lab = new Lab()) {
      lab.run(
          "add "
              + A6
              + " "
              + B6
              + " "
              + proto
              + " 0x3002 -m transport "
              + keys(proto)
              + ";"
              + "spdadd "
              + A6
              + " "
              + B6
              + " any -P out ipsec "
              + proto
              + "/transport//require;");
      byte[] plain = ipv6WithExtensionHeaders();
      int front = 40 + 16 + 8 + 24; // HBH, Destination Options, Routing
      byte[] out = lab.protect(plain);
      assertThat(range(out, 40, front - 24)).isEqualTo(range(plain, 40, front - 24));
      assertThat(out[front - 24])
          .as("routing header names the IPsec header")
          .isEqualTo((byte) number(proto));
      assertThat(range(out, front - 23, front)).isEqualTo(range(plain, front - 23, front));
      if (proto.equals("ah")) {
        assertThat(out[front])
            .as("AH's next header: the second Destination Options")
            .isEqualTo((byte) 60);
      }
      assertThat(((out[4] & 0xff) << 8) | (out[5] & 0xff)).isEqualTo(out.length - 40);
      assertThat(lab.open(out)).isEqualTo(plain);
    }
  }

  @Test
  void transportModeDoesNotProtectAFragment() {
    try (Lab lab = new Lab()) {
      lab.run(
          "add "
              + A6
              + " "
              + B6
              + " esp 0x3003 -m transport "
              + KEYS
              + ";"
              + "spdadd "
              + A6
              + " "
              + B6
              + " any -P out ipsec esp/transport//require;"
              + "add "
              + A
              + " "
              + B
              + " esp 0x3004 -m transport "
              + KEYS
              + ";"
              + "spdadd "
              + A
              + " "
              + B
              + " any -P out ipsec esp/transport//require;");
      byte[] fragment6 = ipv6(A6, B6, 44, concat(atomicFragment(17, 5), udp(1, 2, counting(8))));
      fragment6[40 + 3] = 1; // M flag: a real fragment
      assertThat(lab.out(fragment6)).isEqualTo(OutboundVerdict.MALFORMED);
      byte[] fragment4 = ipv4(A, B, 17, udp(1, 2, counting(8)));
      fragment4[6] = 0x20;
      fixChecksum(fragment4);
      assertThat(lab.out(fragment4)).isEqualTo(OutboundVerdict.MALFORMED);
      assertThat(lab.ctx.hasOutput()).isFalse();
    }
  }

  @Test
  void ahIcvIgnoresIpv4MutableFieldsAndOptionsButNotTheOthers() {
    try (Lab lab = new Lab()) {
      lab.run(
          "add "
              + A
              + " "
              + B
              + " ah 0x3005 -m transport "
              + AH_KEY
              + ";"
              + "spdadd "
              + A
              + " "
              + B
              + " any -P out ipsec ah/transport//require;");
      byte[] out = lab.protect(ipv4(A, B, 17, 0x4242, OPTIONS, udp(7, 9, counting(33))));
      byte[] enRoute = out.clone();
      enRoute[1] = (byte) 0xb8; // DSCP EF
      enRoute[6] = 0x40; // DF
      enRoute[8] = 12; // TTL
      enRoute[26] = 8; // Record Route pointer moved on
      enRoute[27] = (byte) 198; // and an address recorded
      fixChecksum(enRoute);
      byte[] delivered = lab.open(enRoute);
      assertThat(delivered[8]).as("delivered as received").isEqualTo((byte) 12);

      byte[] identification = out.clone();
      identification[5] ^= 1;
      fixChecksum(identification);
      assertThat(lab.in(identification)).isEqualTo(Verdict.AUTH_FAILED);

      byte[] routerAlert = out.clone();
      routerAlert[23] = 1; // Router Alert value: immutable
      fixChecksum(routerAlert);
      assertThat(lab.in(routerAlert)).isEqualTo(Verdict.AUTH_FAILED);
    }
  }

  @Test
  void ahIcvIgnoresIpv6MutableFieldsAndChangeableOptionsButNotTheOthers() {
    try (Lab lab = new Lab()) {
      lab.run(
          "add "
              + A6
              + " "
              + B6
              + " ah 0x3006 -m transport "
              + AH_KEY
              + ";"
              + "spdadd "
              + A6
              + " "
              + B6
              + " any -P out ipsec ah/transport//require;");
      byte[] out = lab.protect(ipv6WithExtensionHeaders());
      byte[] enRoute = out.clone();
      enRoute[0] = 0x6b; // traffic class
      enRoute[2] = 0x12; // flow label
      enRoute[7] = 3; // hop limit
      enRoute[44] = 0x77; // data of option 0x3e, whose "may change" bit is set
      assertThat(lab.in(enRoute)).isEqualTo(Verdict.OK);

      byte[] immutable = out.clone();
      immutable[48] ^= 1; // data of option 0x1e in the hop-by-hop header
      assertThat(lab.in(immutable)).isEqualTo(Verdict.AUTH_FAILED);
      byte[] source = out.clone();
      source[8] ^= 1;
      assertThat(lab.in(source)).as("source address").isEqualTo(Verdict.AUTH_FAILED);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"esp 4in6", "esp 6in4", "ah 4in6", "ah 6in4", "esp 6in6", "ah 4in4"})
  void tunnelCarriesEitherFamilyInsideEither(String spec) {
    String proto = spec.substring(0, spec.indexOf(' '));
    boolean outer6 = spec.endsWith("in6");
    boolean inner6 = spec.contains(" 6in");
    String gwA = outer6 ? A6 : A;
    String gwB = outer6 ? B6 : B;
    String hA = inner6 ? "2001:db8:1::1" : "10.1.0.1";
    String hB = inner6 ? "2001:db8:2::1" : "10.2.0.1";
    try (Lab lab = new Lab()) {
      lab.run(
          "add "
              + gwA
              + " "
              + gwB
              + " "
              + proto
              + " 0x3007 -m tunnel "
              + keys(proto)
              + ";"
              + "spdadd "
              + hA
              + " "
              + hB
              + " any -P out ipsec "
              + proto
              + "/tunnel/"
              + gwA
              + "-"
              + gwB
              + "/require;");
      byte[] inner =
          inner6
              ? ipv6(hA, hB, 17, 0, 0x12345, udp(1, 2, counting(50)))
              : ipv4(hA, hB, 17, udp(1, 2, counting(50)));
      byte[] out = lab.protect(inner);
      assertThat((out[0] >> 4) & 0xf).isEqualTo(outer6 ? 6 : 4);
      int next = outer6 ? out[6] : out[9];
      assertThat(next).isEqualTo(number(proto));
      if (proto.equals("ah")) {
        int ah = outer6 ? 40 : 20;
        assertThat(out[ah]).as("AH next header").isEqualTo((byte) (inner6 ? 41 : 4));
      }
      assertThat(lab.open(out)).isEqualTo(inner);
      assertThat(lab.sa(0x3007).bytes())
          .as("both ways charge the inner packet")
          .isEqualTo(2L * inner.length);
    }
  }

  @Test
  void congestionMarkOnTheOuterHeaderReachesTheInnerPacket() {
    try (Lab lab = new Lab()) {
      lab.run(
          "add "
              + A
              + " "
              + B
              + " esp 0x3008 -m tunnel "
              + KEYS
              + ";"
              + "spdadd 10.1.0.1 10.2.0.1 any -P out ipsec esp/tunnel/"
              + A
              + "-"
              + B
              + "/require;");
      byte[] inner = ipv4("10.1.0.1", "10.2.0.1", 17, udp(1, 2, counting(10)));
      inner[1] = 0x02; // ECT(0)
      fixChecksum(inner);
      byte[] out = lab.protect(inner);
      assertThat(out[1] & 3).as("ECN copied out").isEqualTo(2);
      out[1] |= 3; // a router marked CE
      fixChecksum(out);
      byte[] delivered = lab.open(out);
      assertThat(delivered[1] & 3).as("CE carried in").isEqualTo(3);
      byte[] expected = inner.clone();
      expected[1] = 0x03;
      fixChecksum(expected);
      assertThat(delivered).isEqualTo(expected);
    }
  }

  @Test
  void saWithoutModeIsTransportModeAsOnLinux() {
    try (Lab lab = new Lab();
        Lab tunnelPeer = new Lab()) {
      lab.run(
          "add "
              + A
              + " "
              + B
              + " esp 0x3009 "
              + KEYS
              + ";"
              + "spdadd "
              + A
              + " "
              + B
              + " any -P out ipsec esp/transport//require;"
              + "spdadd 10.1.0.1 10.2.0.1 any -P out ipsec esp/tunnel/"
              + A
              + "-"
              + B
              + "/require;");
      byte[] local = ipv4(A, B, 17, udp(1, 2, counting(10)));
      byte[] transported = lab.protect(local);
      assertThat(transported[9]).isEqualTo((byte) 50);
      assertThat(range(transported, 0, 8)).isNotEqualTo(range(local, 0, 8)); // length and protocol
      assertThat(lab.open(transported)).isEqualTo(local);
      // It does not serve a tunnel request: no SA, and no key manager to ask for one.
      byte[] inner = ipv4("10.1.0.1", "10.2.0.1", 17, udp(1, 2, counting(10)));
      assertThat(lab.out(inner)).isEqualTo(OutboundVerdict.NO_SA);
      // A tunnel-mode packet under it comes out as IP-in-IP.
      tunnelPeer.run(
          "add "
              + A
              + " "
              + B
              + " esp 0x3009 -m tunnel "
              + KEYS
              + ";"
              + "spdadd 10.1.0.1 10.2.0.1 any -P out ipsec esp/tunnel/"
              + A
              + "-"
              + B
              + "/require;");
      byte[] ipInIp = lab.open(tunnelPeer.protect(inner));
      assertThat(ipInIp[9]).isEqualTo((byte) 4);
      assertThat(range(ipInIp, 20, ipInIp.length)).isEqualTo(inner);
    }
  }

  @Test
  void espInsideAhBundleIsIpAhEspAndComesBackThroughBoth() {
    try (Lab lab = new Lab()) {
      lab.run(
          "add "
              + A
              + " "
              + B
              + " esp 0x4001 -m transport -r 32 "
              + KEYS
              + ";"
              + "add "
              + A
              + " "
              + B
              + " ah 0x4002 -m transport -r 32 "
              + AH_KEY
              + ";"
              + "spdadd "
              + A
              + " "
              + B
              + " any -P out ipsec esp/transport//require ah/transport//require;"
              + "spdadd "
              + A
              + " "
              + B
              + " any -P in ipsec esp/transport//require ah/transport//require;");
      byte[] plain = ipv4(A, B, 17, udp(1, 2, counting(40)));
      byte[] out = lab.protect(plain);
      assertThat(out[9]).as("IP names AH").isEqualTo((byte) 51);
      assertThat(out[20]).as("AH names ESP").isEqualTo((byte) 50);
      assertThat(lab.open(out)).isEqualTo(plain);
      assertThat(lab.ctx.saCount()).isEqualTo(2);
      assertThat(lab.ctx.sa(0).spiUnsigned()).as("outer first").isEqualTo(0x4002);
      for (long spi : new long[] {0x4001, 0x4002}) {
        assertThat(lab.dp.counters(lab.sa(spi)).inbound(Verdict.OK)).isEqualTo(1);
        assertThat(lab.dp.counters(lab.sa(spi)).outbound(OutboundVerdict.OK)).isEqualTo(1);
      }
      // AH alone (the ESP layer missing) does not satisfy the inbound policy.
      try (Lab ahOnly = new Lab()) {
        ahOnly.run(
            "add "
                + A
                + " "
                + B
                + " ah 0x4002 -m transport "
                + AH_KEY
                + ";"
                + "spdadd "
                + A
                + " "
                + B
                + " any -P out ipsec ah/transport//require;");
        ahOnly.protect(plain); // sequence 1, which the lab has seen already
        assertThat(lab.in(ahOnly.protect(plain))).isEqualTo(Verdict.POLICY);
      }
    }
  }

  @Test
  void nestedTunnelsAreBothTakenOff() {
    try (Lab lab = new Lab()) {
      lab.run(
          "add 198.51.100.1 198.51.100.2 esp 0x5001 -m tunnel "
              + KEYS
              + ";"
              + "add "
              + A
              + " "
              + B
              + " esp 0x5002 -m tunnel "
              + KEYS
              + ";"
              + "spdadd 10.1.0.1 10.2.0.1 any -P out ipsec"
              + " esp/tunnel/198.51.100.1-198.51.100.2/require esp/tunnel/"
              + A
              + "-"
              + B
              + "/require;");
      byte[] inner = ipv4("10.1.0.1", "10.2.0.1", 17, udp(1, 2, counting(20)));
      byte[] out = lab.protect(inner);
      assertThat(range(out, 16, 20)).as("outermost tunnel").isEqualTo(Packets.addr(B));
      assertThat(lab.open(out)).isEqualTo(inner);
      assertThat(lab.ctx.saCount()).isEqualTo(2);
    }
  }

  @Test
  void innerEspPacketForAnotherHostIsDeliveredAsItIs() {
    try (Lab gateway = new Lab();
        Lab host = new Lab()) {
      gateway.run(
          "add "
              + A
              + " "
              + B
              + " esp 0x5003 -m tunnel "
              + KEYS
              + ";"
              + "spdadd 10.1.0.1 10.2.0.1 any -P out ipsec esp/tunnel/"
              + A
              + "-"
              + B
              + "/require;");
      host.run(
          "add 10.1.0.1 10.2.0.1 esp 0x5004 -m transport "
              + KEYS
              + ";"
              + "spdadd 10.1.0.1 10.2.0.1 any -P out ipsec esp/transport//require;");
      byte[] hostToHost = host.protect(ipv4("10.1.0.1", "10.2.0.1", 17, udp(1, 2, counting(5))));
      byte[] tunnelled = gateway.protect(hostToHost);
      assertThat(gateway.open(tunnelled)).isEqualTo(hostToHost);
    }
  }

  @Test
  void fragmentOfAnEspPacketComesOutOfATunnelAsItIs() {
    try (Lab gateway = new Lab()) {
      gateway.run(
          "add "
              + A
              + " "
              + B
              + " esp 0x5005 -m tunnel "
              + KEYS
              + ";"
              + "spdadd 10.1.0.1 10.2.0.1 any -P out ipsec esp/tunnel/"
              + A
              + "-"
              + B
              + "/require;");
      byte[] fragment = ipv4("10.1.0.1", "10.2.0.1", 50, hex("00005006 00000001 0102030405060708"));
      fragment[6] = 0x20; // More Fragments: the first piece of an ESP packet for 10.2.0.1
      fixChecksum(fragment);
      assertThat(gateway.open(gateway.protect(fragment))).isEqualTo(fragment);
    }
  }
}
