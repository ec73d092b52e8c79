package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;

/**
 * The datapath never throws on a packet, whatever its bytes (STYLE: "The datapath never throws on a
 * bad packet"): arbitrary bytes and ranges, and genuine ESP/AH packets of both modes and families
 * with bytes flipped, cut or added, get a verdict; only {@code ok} delivers anything, and a flipped
 * byte in a protected part never gets through.
 */
class RobustnessTest {
  private static final String KEYS = HeadersAndModesTest.KEYS;
  private static final String AH = HeadersAndModesTest.AH_KEY;
  private static Lab lab;
  private static List<byte[]> genuine;

  @BeforeContainer
  static void setUp() {
    lab = new Lab();
    lab.run(
        String.join(
            "\n",
            "add 192.0.2.1 192.0.2.2 esp 0x1 -m transport -r 16 " + KEYS + ";",
            "add 192.0.2.1 192.0.2.3 ah 0x2 -m transport -r 16 " + AH + ";",
            "add 192.0.2.1 192.0.2.4 esp 0x3 -m tunnel -E 3des-cbc"
                + " 0x0123456789abcdeffedcba98765432100123456789abcdef;",
            "add 2001:db8::1 2001:db8::2 esp 0x4 -m tunnel -r 16 -E aes-gcm-16"
                + " 0x00112233445566778899aabbccddeeff01020304;",
            "add 2001:db8::1 2001:db8::3 ah 0x5 -m transport " + AH + ";",
            "spdadd 192.0.2.1 192.0.2.2 any -P out ipsec esp/transport//require;",
            "spdadd 192.0.2.1 192.0.2.3 any -P out ipsec ah/transport//require;",
            "spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.4/require;",
            "spdadd 2001:db8:1::/48 ::/0 any -P out ipsec esp/tunnel/2001:db8::1-2001:db8::2/require;",
            "spdadd 2001:db8::1 2001:db8::3 any -P out ipsec ah/transport//require;"));
    genuine = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] udp = Packets.udp(1, 2, Packets.counting(17 * i));
      genuine.add(lab.protect(Packets.ipv4("192.0.2.1", "192.0.2.2", 17, udp)));
      genuine.add(lab.protect(Packets.ipv4("192.0.2.1", "192.0.2.3", 17, udp)));
      genuine.add(lab.protect(Packets.ipv4("10.1.1.1", "10.2.2.2", 17, udp)));
      genuine.add(lab.protect(Packets.ipv6("2001:db8:1::5", "2001:db8:9::5", 17, udp)));
      genuine.add(
          lab.protect(
              Packets.ipv6(
                  "2001:db8::1",
                  "2001:db8::3",
                  0,
                  Packets.concat(Packets.optionsHeader(17, new byte[] {0x3e, 2, 1, 2}), udp))));
    }
  }

  @AfterContainer
  static void tearDown() {
    lab.close();
  }

  @Property(tries = 3000)
  void arbitraryBytesGetAVerdictInbound(@ForAll @Size(max = 120) byte[] bytes) {
    Verdict v = lab.dp.inbound(bytes, 0, bytes.length, lab.ctx);
    assertThat(v).isNotNull();
    assertThat(lab.ctx.hasOutput()).isEqualTo(v.isOk() && lab.ctx.hasOutput());
  }

  @Property(tries = 3000)
  void arbitraryBytesGetAVerdictOutbound(@ForAll @Size(max = 120) byte[] bytes) {
    OutboundVerdict v = lab.dp.outbound(bytes, 0, bytes.length, lab.ctx);
    assertThat(v).isNotNull();
    if (lab.ctx.hasOutput()) {
      assertThat(v.isSent()).isTrue();
    }
  }

  @Property(tries = 500)
  void rangesOutsideTheArrayAreMalformed(
      @ForAll @Size(max = 40) byte[] bytes,
      @ForAll @IntRange(min = -5, max = 60) int offset,
      @ForAll @IntRange(min = -5, max = 80) int length) {
    boolean inside = offset >= 0 && length >= 0 && offset + length <= bytes.length;
    Verdict in = lab.dp.inbound(bytes.clone(), offset, length, lab.ctx);
    OutboundVerdict out = lab.dp.outbound(bytes.clone(), offset, length, lab.ctx);
    if (!inside) {
      assertThat(in).isEqualTo(Verdict.MALFORMED);
      assertThat(out).isEqualTo(OutboundVerdict.MALFORMED);
    }
  }

  /** A packet whose IP header says what it is, with random bytes after it. */
  @Provide
  Arbitrary<byte[]> ipWithRandomPayload() {
    Arbitrary<Integer> proto = Arbitraries.of(0, 4, 6, 17, 41, 43, 44, 50, 51, 58, 59, 60, 135);
    Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(90);
    Arbitrary<String> dst = Arbitraries.of("192.0.2.2", "192.0.2.3", "192.0.2.4", "10.2.2.2");
    return Combinators.combine(proto, payload, dst, Arbitraries.of(true, false))
        .as(
            (p, bytes, d, six) ->
                six
                    ? Packets.ipv6("2001:db8:1::5", "2001:db8::" + (p % 4), p, bytes)
                    : Packets.ipv4(p == 4 ? "10.1.1.1" : "192.0.2.1", d, p, bytes));
  }

  @Property(tries = 2000)
  void headersWithRandomPayloadsGetAVerdictBothWays(@ForAll("ipWithRandomPayload") byte[] packet) {
    assertThat(lab.dp.inbound(packet.clone(), 0, packet.length, lab.ctx)).isNotNull();
    assertThat(lab.dp.outbound(packet.clone(), 0, packet.length, lab.ctx)).isNotNull();
  }

  @Property(tries = 3000)
  void genuinePacketsWithAFlippedCoveredByteAreRefused(
      @ForAll @IntRange(min = 0, max = 14) int which,
      @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int xor) {
    byte[] p = genuine.get(which).clone();
    int at = where % p.length;
    p[at] ^= (byte) xor;
    Verdict v = lab.dp.inbound(p, 0, p.length, lab.ctx);
    assertThat(v).isNotNull();
    boolean covered =
        switch (which % 5) {
          case 0 -> at >= 20; // ESP with HMAC-SHA1: SPI to ICV
          case 3 -> at >= 40; // ESP with AES-GCM
          case 1 ->
              at >= 20 || at == 0 || (at >= 2 && at <= 5) || at >= 12; // AH (not the protocol)
          default -> false; // 3DES without integrity; AH over IPv6 with a mutable option
        };
    if (covered) {
      assertThat(v).as("byte %d of packet %d flipped", at, which).isNotEqualTo(Verdict.OK);
      assertThat(lab.ctx.hasOutput()).isFalse();
    }
  }

  @Property(tries = 2000)
  void genuinePacketsCutOrExtendedGetAVerdict(
      @ForAll @IntRange(min = 0, max = 14) int which,
      @ForAll @IntRange(min = -60, max = 40) int change) {
    byte[] original = genuine.get(which);
    int length = Math.max(0, original.length + change);
    byte[] p = Arrays.copyOf(original, length);
    Verdict v = lab.dp.inbound(p, 0, p.length, lab.ctx);
    assertThat(v).isNotNull();
    if (change < 0) {
      // Shorter than its IP header says.
      assertThat(v).isEqualTo(Verdict.MALFORMED);
    }
  }
}
