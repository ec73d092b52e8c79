package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.Packets.concat;
import static org.ipsecemu.datapath.pipeline.Packets.counting;
import static org.ipsecemu.datapath.pipeline.Packets.ipv4;
import static org.ipsecemu.datapath.pipeline.Packets.ipv6;
import static org.ipsecemu.datapath.pipeline.Packets.range;
import static org.ipsecemu.datapath.pipeline.Packets.udp;

import org.ipsecemu.datapath.natt.UdpPayload;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.Checksum;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.setkey.SaSpec;
import org.ipsecemu.sadb.setkey.SourceLocation;
import org.ipsecemu.sadb.wire.SockAddr;
import org.junit.jupiter.api.Test;

/**
 * ESP in UDP for NAT traversal (RFC 3948) through the pipeline: SAs declare it (setkey {@code
 * esp-udp}, Linux's NAT-T extensions), outbound packets leave in UDP, inbound ones lose their UDP
 * header; IKE and NAT-keepalives pass untouched; transport-mode checksums are fixed as §3.1.2 says.
 */
class UdpEncapsulationTest {
  private static final String A = "192.0.2.1";
  private static final String B = "192.0.2.2";
  private static final String KEYS =
      " -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha1"
          + " 0x0102030405060708090a0b0c0d0e0f1011121314;";

  private static int u16(byte[] b, int i) {
    return BigEndian.getU16(b, i);
  }

  private static byte[] ping(String src, String dst) {
    return ipv4(src, dst, 1, concat(new byte[] {8, 0, 0, 0, 0, 1, 0, 1}, counting(56)));
  }

  @Test
  void espUdpSaSendsItsPacketsInUdp4500WithAZeroChecksumAndTakesThemBack() {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(
          engine,
          "add "
              + A
              + " "
              + B
              + " esp-udp 0x1000 -m tunnel"
              + KEYS
              + "spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec esp/tunnel/"
              + A
              + "-"
              + B
              + "/require;");
      PacketContext ctx = dp.newContext();
      byte[] plain = ping("10.0.1.1", "10.0.2.2");
      assertThat(dp.outbound(plain, 0, plain.length, ctx)).isEqualTo(OutboundVerdict.OK);
      byte[] sent = ctx.output();
      assertThat(sent[9]).as("protocol UDP").isEqualTo((byte) 17);
      assertThat(u16(sent, 20)).as("source port").isEqualTo(4500);
      assertThat(u16(sent, 22)).as("destination port").isEqualTo(4500);
      assertThat(u16(sent, 24)).as("UDP length").isEqualTo(sent.length - 20);
      assertThat(u16(sent, 26)).as("UDP checksum (RFC 3948 §2.1)").isZero();
      assertThat(BigEndian.getInt(sent, 28)).as("SPI").isEqualTo(0x1000);
      assertThat(u16(sent, 2)).isEqualTo(sent.length);
      assertThat(Checksum.checksum(sent, 0, 20)).isZero();
      assertThat(dp.inbound(sent, 0, sent.length, ctx)).isEqualTo(Verdict.OK);
      assertThat(ctx.output()).isEqualTo(plain);
    }
  }

  /** An ESP SA from A to B declaring its encapsulation with the given NAT-T type and ports. */
  private static void addEncapsulated(KeyEngine engine, int type, int sport, int dport) {
    PfKeySocket km = engine.open(Credentials.root(1));
    SaSpec sa =
        SaSpec.builder(new SourceLocation("t", 1))
            .satype(3)
            .source(SockAddr.parse(A, 0))
            .destination(SockAddr.parse(B, 0))
            .spi(0x1000)
            .mode(1)
            .encrypt(12, Packets.hex("00112233445566778899aabbccddeeff"))
            .auth(3, Packets.hex("0102030405060708090a0b0c0d0e0f1011121314"))
            .natTraversal(new SaSpec.NatTraversal(type, sport, dport, null))
            .build();
    assertThat(km.call(sa.toAddMessage(1)).errno()).isZero();
    KeyFiles.setkey(engine, "spdadd " + A + " " + B + " any -P out ipsec esp/transport//require;");
  }

  @Test
  void portsAnSaDeclaresAreUsedBothWays() {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      addEncapsulated(engine, 2, 4501, 4502);
      PacketContext ctx = dp.newContext();
      byte[] plain = ping(A, B);
      assertThat(dp.outbound(plain, 0, plain.length, ctx)).isEqualTo(OutboundVerdict.OK);
      byte[] sent = ctx.output();
      assertThat(u16(sent, 20)).isEqualTo(4501);
      assertThat(u16(sent, 22)).isEqualTo(4502);
      byte[] copy = sent.clone();
      assertThat(dp.inbound(copy, 0, copy.length, ctx)).isEqualTo(Verdict.OK);
      assertThat(ctx.output()).isEqualTo(plain);
      // Other ports, neither of them 4500: just a UDP datagram.
      BigEndian.putU16(sent, 22, 4503);
      assertThat(dp.inbound(sent, 0, sent.length, ctx)).isEqualTo(Verdict.OK);
      assertThat(ctx.saCount()).isZero();
    }
  }

  @Test
  void ipv6EspInUdpCarriesAValidUdpChecksum() {
    String a6 = "2001:db8::1";
    String b6 = "2001:db8::2";
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(
          engine,
          "add "
              + a6
              + " "
              + b6
              + " esp-udp 0x1000 -m transport"
              + KEYS
              + "spdadd "
              + a6
              + " "
              + b6
              + " any -P out ipsec esp/transport//require;");
      PacketContext ctx = dp.newContext();
      byte[] plain = ipv6(a6, b6, 17, udp(1000, 2000, counting(100)));
      int pseudo0 = Checksum.pseudoHeaderSum6(plain, 8, 24, 17, 108);
      BigEndian.putU16(plain, 46, ~Checksum.sum(plain, 40, 108, pseudo0) & 0xffff);
      assertThat(dp.outbound(plain, 0, plain.length, ctx)).isEqualTo(OutboundVerdict.OK);
      byte[] sent = ctx.output();
      assertThat(sent[6]).isEqualTo((byte) 17);
      int udpLength = sent.length - 40;
      assertThat(u16(sent, 44)).isEqualTo(udpLength);
      int pseudo = Checksum.pseudoHeaderSum6(sent, 8, 24, 17, udpLength);
      assertThat(~Checksum.sum(sent, 40, udpLength, pseudo) & 0xffff)
          .as("checksum verifies")
          .isZero();
      assertThat(dp.inbound(sent, 0, sent.length, ctx)).isEqualTo(Verdict.OK);
      assertThat(ctx.output()).isEqualTo(plain);
    }
  }

  /** One engine that sends ESP in UDP and one with the plain SA, for the strict check. */
  private static byte[] espInUdpFromA() {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(
          engine,
          "add "
              + A
              + " "
              + B
              + " esp-udp 0x1000 -m transport"
              + KEYS
              + "spdadd "
              + A
              + " "
              + B
              + " any -P out ipsec esp/transport//require;");
      PacketContext ctx = dp.newContext();
      byte[] plain = ping(A, B);
      dp.outbound(plain, 0, plain.length, ctx);
      return ctx.output();
    }
  }

  private static byte[] plainEspFromA() {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(
          engine,
          "add "
              + A
              + " "
              + B
              + " esp 0x1000 -m transport"
              + KEYS
              + "spdadd "
              + A
              + " "
              + B
              + " any -P out ipsec esp/transport//require;");
      PacketContext ctx = dp.newContext();
      byte[] plain = ping(A, B);
      dp.outbound(plain, 0, plain.length, ctx);
      return ctx.output();
    }
  }

  private static Verdict receive(String protocol, boolean strict, byte[] packet) {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.builder(engine).strictUdpEncapsulation(strict).build()) {
      KeyFiles.setkey(
          engine, "add " + A + " " + B + " " + protocol + " 0x1000 -m transport" + KEYS);
      byte[] p = packet.clone();
      return dp.inbound(p, 0, p.length, dp.newContext());
    }
  }

  @Test
  void espThatComesAnotherWayThanItsSaSaysIsNoSaUnlessLenient() {
    byte[] inUdp = espInUdpFromA();
    byte[] plain = plainEspFromA();
    assertThat(receive("esp-udp", true, inUdp)).isEqualTo(Verdict.OK);
    assertThat(receive("esp", true, plain)).isEqualTo(Verdict.OK);
    assertThat(receive("esp", true, inUdp)).isEqualTo(Verdict.NO_SA);
    assertThat(receive("esp-udp", true, plain)).isEqualTo(Verdict.NO_SA);
    assertThat(receive("esp", false, inUdp)).isEqualTo(Verdict.OK);
    assertThat(receive("esp-udp", false, plain)).isEqualTo(Verdict.OK);
  }

  @Test
  void keepalivesAndIkeOnPort4500PassUntouched() {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      // Even a policy requiring ESP for everything lets them through, as an IKE daemon's socket.
      KeyFiles.setkey(engine, "spdadd " + A + " " + B + " any -P in ipsec esp/transport//require;");
      PacketContext ctx = dp.newContext();
      byte[] keepalive = ipv4(A, B, 17, udp(4500, 4500, new byte[] {(byte) 0xff}));
      byte[] copy = keepalive.clone();
      assertThat(dp.inbound(copy, 0, copy.length, ctx)).isEqualTo(Verdict.OK);
      assertThat(ctx.natTraversal()).isEqualTo(UdpPayload.KEEPALIVE);
      assertThat(ctx.output()).isEqualTo(keepalive);
      byte[] ike = ipv4(A, B, 17, udp(4500, 4500, concat(new byte[4], counting(40))));
      copy = ike.clone();
      assertThat(dp.inbound(copy, 0, copy.length, ctx)).isEqualTo(Verdict.OK);
      assertThat(ctx.natTraversal()).isEqualTo(UdpPayload.IKE);
      assertThat(ctx.output()).isEqualTo(ike);
      // An ordinary UDP datagram is held to the policy.
      byte[] other = ipv4(A, B, 17, udp(5000, 5000, new byte[] {(byte) 0xff}));
      assertThat(dp.inbound(other, 0, other.length, ctx)).isEqualTo(Verdict.POLICY);
      assertThat(ctx.natTraversal()).isEqualTo(UdpPayload.NOT_NATT);
      // ESP in UDP for no SA is no_sa, like plain ESP.
      byte[] unknown =
          ipv4(A, B, 17, udp(4500, 4500, concat(new byte[] {0, 0, 0x77, 0x77}, counting(40))));
      assertThat(dp.inbound(unknown, 0, unknown.length, ctx)).isEqualTo(Verdict.NO_SA);
    }
  }

  @Test
  void nonIkeMarkerSaOfType1RoundTrips() {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      addEncapsulated(engine, 1, 4500, 4500);
      PacketContext ctx = dp.newContext();
      byte[] plain = ping(A, B);
      assertThat(dp.outbound(plain, 0, plain.length, ctx)).isEqualTo(OutboundVerdict.OK);
      byte[] sent = ctx.output();
      assertThat(range(sent, 28, 36)).as("non-IKE marker").isEqualTo(new byte[8]);
      assertThat(BigEndian.getInt(sent, 36)).isEqualTo(0x1000);
      assertThat(dp.inbound(sent, 0, sent.length, ctx)).isEqualTo(Verdict.OK);
      assertThat(ctx.output()).isEqualTo(plain);
    }
  }

  /**
   * A peer behind a NAT: its TCP segment's checksum was computed with its own address, 10.0.0.5,
   * and the NAT rewrote only the outer source to A. Returns what B receives.
   */
  private static byte[] natedTransportSegment(String keys) {
    String inside = "10.0.0.5";
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(
          engine,
          "add "
              + inside
              + " "
              + B
              + " esp-udp 0x2000 -m transport"
              + keys
              + "spdadd "
              + inside
              + " "
              + B
              + " any -P out ipsec esp/transport//require;");
      byte[] tcp = new byte[20 + 11];
      BigEndian.putU16(tcp, 0, 40000);
      BigEndian.putU16(tcp, 2, 80);
      tcp[12] = 0x50;
      System.arraycopy("hello world".getBytes(), 0, tcp, 20, 11);
      byte[] segment = ipv4(inside, B, 6, tcp);
      int sum = Checksum.pseudoHeaderSum4(segment, 12, 16, 6, tcp.length);
      BigEndian.putU16(segment, 36, ~Checksum.sum(segment, 20, tcp.length, sum) & 0xffff);
      PacketContext ctx = dp.newContext();
      assertThat(dp.outbound(segment, 0, segment.length, ctx)).isEqualTo(OutboundVerdict.OK);
      byte[] sent = ctx.output();
      System.arraycopy(Packets.addr(A), 0, sent, 12, 4); // the NAT
      BigEndian.putU16(sent, 10, 0);
      BigEndian.putU16(sent, 10, Checksum.checksum(sent, 0, 20));
      return sent;
    }
  }

  private static boolean tcpChecksumVerifies(byte[] p) {
    int sum = Checksum.pseudoHeaderSum4(p, 12, 16, 6, p.length - 20);
    return (~Checksum.sum(p, 20, p.length - 20, sum) & 0xffff) == 0;
  }

  private static byte[] receiveNated(String protocolAndOa, String keys) {
    byte[] packet = natedTransportSegment(keys);
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(
          engine, "add " + A + " " + B + " " + protocolAndOa + " 0x2000 -m transport" + keys);
      PacketContext ctx = dp.newContext();
      assertThat(dp.inbound(packet, 0, packet.length, ctx)).isEqualTo(Verdict.OK);
      return ctx.output();
    }
  }

  @Test
  void transportModeChecksumIsFixedFromTheNatOriginalAddress() {
    byte[] out = receiveNated("esp-udp 10.0.0.5", KEYS);
    assertThat(range(out, 12, 16)).isEqualTo(Packets.addr(A));
    assertThat(tcpChecksumVerifies(out)).isTrue();
  }

  @Test
  void transportModeChecksumIsRecomputedWithoutOaForAnIntegrityProtectedSa() {
    assertThat(tcpChecksumVerifies(receiveNated("esp-udp", KEYS))).isTrue();
  }

  @Test
  void transportModeChecksumIsLeftAloneWithoutIntegrity() {
    String noAuth = " -E aes-cbc 0x00112233445566778899aabbccddeeff;";
    assertThat(tcpChecksumVerifies(receiveNated("esp-udp", noAuth))).isFalse();
  }
}
