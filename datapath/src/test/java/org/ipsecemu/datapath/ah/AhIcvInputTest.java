package org.ipsecemu.datapath.ah;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.packet.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The AH ICV input, cross-checked against scapy's AH ({@code scapy.layers.ipsec}, which zeroes
 * mutable fields before computing the ICV): packets from ah_vectors.py (test resources, this
 * package), verified here with the JDK's HMAC over what {@link AhIcvInput} feeds.
 */
class AhIcvInputTest {
  static final byte[] SHA1_KEY = hex("7a60e128a82e66bb3a1f445a565214ef0646ecc2");
  static final byte[] SHA256_KEY =
      hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  // 'v4_plain': IPv4 (TOS 0xb9, TTL 61, DF) / AH HMAC-SHA1-96 seq 7 / UDP
  static final String V4_PLAIN =
      "45b90039123440003d33a686c000020ac0000214"
          + "110400000000410200000007f05382092ced042fa2ae064f"
          + "13880035000d242668656c6c6f";
  // 'v4_options': IPv4 with NOP, Record Route, Router Alert, Security, Timestamp, EOL / AH / ICMP
  static final String V4_OPTIONS =
      "4e100061432100001133ac23c000020ac0000214"
          + "01070708c633640194040000820b0123456789abcdef01440c0900000030390000000000"
          + "0104000000004102000000011df46c3ec3ff00bb7b8b856e"
          + "080029530001000270696e672d64617461";
  // 'v4_lsrr_done': IPv4 TTL 3 with Loose Source Route used up (pointer 12 > length 11), NOP,
  // Timestamp / AH / ICMP, as it arrives at 192.0.2.20
  static final String V4_LSRR_DONE =
      "4a000051000700000333deebc000020ac0000214"
          + "830b0cc6336407c6336408014408050000000000"
          + "0104000000004102000000026ddd2020ae92921af0cdf90c"
          + "080029530001000270696e672d64617461";
  // 'v6_ext': IPv6 (TC 0xb8, flow 0x12345) / HBH (Router Alert, 0x3e may-change) / DestOpts
  // (0x1e immutable, 0x3e may-change) / Routing type 0, 2 segments left / AH / UDP, as sent
  static final String V6_EXT =
      "6b8123450072004020010db800000000000000000000000120010db8000100000000000000000001"
          + "3c01050200003e04aabbccdd01020000"
          + "2b011e0211223e033344550103000000"
          + "330400020000000020010db800010000000000000000000220010db8000200000000000000000002"
          + "110400000000410200000003efc8d1059082ae68255799ed"
          + "04d210e10012c8ac7636207061796c6f6164";
  // 'v6_sha256': IPv6 / AH HMAC-SHA-256-128, 16-byte ICV + 4 bytes of padding / TCP
  static final String V6_SHA256 =
      "601000070034330320010db800000000000000000000000120010db8000000000000000000000002"
          + "06060000000041030000000982cc7f92f71cd8db279434a9b96a3ba900000000"
          + "00010002000000000000000050022000346b0000";
  // 'v6_tunnel_v4': IPv6 outer / AH / IPv4 inner packet (tunnel mode)
  static final String V6_TUNNEL_V4 =
      "600000630039330920010db800000000000000000000000a20010db800000000000000000000000b"
          + "04040000000041040000000b838b61b1605c313329465cec"
          + "45000021000100000511a1c90a0000010a00000200090009000da1eb696e6e6572";
  // 'v4_esn_hi1': IPv4 / AH with ESN, high bits 1 appended to the ICV input / UDP
  static final String V4_ESN_HI1 =
      "45000037000100004033f674c000020ac0000214"
          + "110400000000410500000005cccf21ad3c25305bd1596816"
          + "00010002000ba84265736e";

  private final AhIcvInput input = new AhIcvInput();

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  /** Offset of the AH header as the pipeline would find it. */
  static int ahOffset(byte[] p) {
    IpPacket packet = new IpPacket();
    assertThat(packet.parse(p, 0, p.length)).isEqualTo(ParseResult.OK);
    assertThat(packet.protocol()).isEqualTo(51);
    return packet.protocolOffset();
  }

  /** The ICV our input gives with the JDK's HMAC, truncated as the transform does. */
  private byte[] icv(byte[] p, String algorithm, byte[] key, int icvLength) throws Exception {
    return icv(p, algorithm, key, icvLength, null);
  }

  private byte[] icv(byte[] p, String algorithm, byte[] key, int icvLength, Integer esnHigh)
      throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(key, algorithm));
    assertThat(input.feed(p, 0, p.length, ahOffset(p), icvLength, mac::update))
        .isEqualTo(ParseResult.OK);
    if (esnHigh != null) {
      input.feedSequenceHigh(esnHigh, mac::update);
    }
    return Arrays.copyOf(mac.doFinal(), icvLength);
  }

  private static byte[] icvInPacket(byte[] p, int icvLength) {
    int at = ahOffset(p) + AhHeader.ICV_OFFSET;
    return Arrays.copyOfRange(p, at, at + icvLength);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "v4_plain, " + V4_PLAIN + ", HmacSHA1, 12",
    "v4_options, " + V4_OPTIONS + ", HmacSHA1, 12",
    "v4_lsrr_done, " + V4_LSRR_DONE + ", HmacSHA1, 12",
    "v6_ext, " + V6_EXT + ", HmacSHA1, 12",
    "v6_sha256, " + V6_SHA256 + ", HmacSHA256, 16",
    "v6_tunnel_v4, " + V6_TUNNEL_V4 + ", HmacSHA1, 12"
  })
  void givesTheIcvScapyComputed(String name, String packet, String algorithm, int icvLength)
      throws Exception {
    byte[] p = hex(packet);
    byte[] key = algorithm.equals("HmacSHA1") ? SHA1_KEY : SHA256_KEY;
    assertThat(HexFormat.of().formatHex(icv(p, algorithm, key, icvLength)))
        .isEqualTo(HexFormat.of().formatHex(icvInPacket(p, icvLength)));
  }

  @Test
  void appendsTheEsnHighBitsAfterThePacket() throws Exception {
    byte[] p = hex(V4_ESN_HI1);
    assertThat(icv(p, "HmacSHA1", SHA1_KEY, 12, 1)).isEqualTo(icvInPacket(p, 12));
    assertThat(icv(p, "HmacSHA1", SHA1_KEY, 12)).isNotEqualTo(icvInPacket(p, 12));
    assertThat(icv(p, "HmacSHA1", SHA1_KEY, 12, 2)).isNotEqualTo(icvInPacket(p, 12));
  }

  @Test
  void feedsIpv4WithMutableFieldsAndOptionsZeroed() {
    // Expected bytes written out from RFC 4302 §3.3.3.1.1 and Appendix A.1, by hand.
    String expected =
        "4e00 0061 4321 0000 00 33 0000 c000020a c0000214" // TOS, flags, TTL, checksum zeroed
            + " 01" // NOP: immutable
            + " 00000000000000" // Record Route: mutable, zeroed whole
            + " 94040000" // Router Alert: immutable
            + " 820b0123456789abcdef01" // Security: immutable
            + " 000000000000000000000000" // Timestamp: mutable, zeroed whole
            + " 00" // EOL
            + " 0104 0000 00004102 00000001" // AH fixed part
            + " 000000000000000000000000" // ICV zeroed
            + " 080029530001000270696e672d64617461"; // ICMP payload as is
    assertThat(fed(hex(V4_OPTIONS), 12)).isEqualTo(HexFormat.of().formatHex(hex(expected)));
  }

  @Test
  void feedsIpv6AsAtTheFinalDestination() {
    // Expected bytes written out from RFC 4302 §3.3.3.1.2 and Appendix A.2, by hand.
    String expected =
        "60000000 0072 00 00" // traffic class, flow label, hop limit zeroed
            + " 20010db8000000000000000000000001"
            + " 20010db8000200000000000000000002" // final destination, from the routing header
            + " 3c01 0502 0000 3e04 00000000 0102 0000" // 0x3e may change: data zeroed
            + " 2b01 1e02 1122 3e03 000000 0103 000000" // 0x1e kept, 0x3e zeroed
            + " 3304 0000 00000000" // segments left 0
            + " 20010db8000100000000000000000001" // the original destination, first hop
            + " 20010db8000100000000000000000002"
            + " 1104 0000 00004102 00000003 000000000000000000000000"
            + " 04d210e10012c8ac7636207061796c6f6164";
    assertThat(fed(hex(V6_EXT), 12)).isEqualTo(HexFormat.of().formatHex(hex(expected)));
  }

  private String fed(byte[] p, int icvLength) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertThat(input.feed(p, 0, p.length, ahOffset(p), icvLength, sink::write))
        .isEqualTo(ParseResult.OK);
    return HexFormat.of().formatHex(sink.toByteArray());
  }

  @Test
  void leavesTheCallersPacketUnchanged() {
    for (String hex : new String[] {V4_OPTIONS, V4_LSRR_DONE, V6_EXT, V6_SHA256}) {
      byte[] p = hex(hex);
      byte[] before = p.clone();
      fed(p, 12);
      assertThat(p).isEqualTo(before);
    }
  }

  @Test
  void sameInputTwiceGivesTheSameBytes() {
    byte[] v6 = hex(V6_EXT);
    byte[] v4 = hex(V4_OPTIONS);
    String first = fed(v6, 12);
    fed(v4, 12);
    assertThat(fed(v6, 12)).isEqualTo(first);
  }

  @Test
  void verifiesALooseSourceRouteAtTheSenderAndHalfway() throws Exception {
    // The packet of 'v4_lsrr_done' as it left 192.0.2.10: destination the first hop
    // 198.51.100.7, route [198.51.100.8, 192.0.2.20] with pointer 4, TTL 64. Halfway: destination
    // 198.51.100.8, route [198.51.100.7 (recorded), 192.0.2.20], pointer 8, TTL 63.
    byte[] arrived = hex(V4_LSRR_DONE);
    byte[] sent = arrived.clone();
    System.arraycopy(hex("c6336407"), 0, sent, 16, 4);
    System.arraycopy(hex("04c6336408c0000214"), 0, sent, 22, 9);
    sent[8] = 64;
    byte[] halfway = arrived.clone();
    System.arraycopy(hex("c6336408"), 0, halfway, 16, 4);
    System.arraycopy(hex("08c6336407c0000214"), 0, halfway, 22, 9);
    halfway[8] = 63;
    byte[] expected = icvInPacket(arrived, 12);
    assertThat(fed(sent, 12)).isEqualTo(fed(arrived, 12)).isEqualTo(fed(halfway, 12));
    assertThat(icv(sent, "HmacSHA1", SHA1_KEY, 12)).isEqualTo(expected);
    assertThat(icv(halfway, "HmacSHA1", SHA1_KEY, 12)).isEqualTo(expected);
  }

  @Test
  void verifiesAType0RoutingHeaderHalfwayAndOnArrival() throws Exception {
    // 'v6_ext' after its first hop: destination 2001:db8:1::2, addresses [1::1, 2::2], one
    // segment left; and on arrival: destination 2001:db8:2::2, addresses [1::1, 1::2], none left.
    // The hop limit drops and the may-change option data is rewritten on the way.
    byte[] sent = hex(V6_EXT);
    byte[] halfway = sent.clone();
    System.arraycopy(hex("20010db8000100000000000000000002"), 0, halfway, 24, 16);
    System.arraycopy(hex("20010db8000100000000000000000001"), 0, halfway, 80, 16);
    halfway[75] = 1;
    halfway[7] = 63;
    byte[] arrived = sent.clone();
    System.arraycopy(hex("20010db8000200000000000000000002"), 0, arrived, 24, 16);
    System.arraycopy(hex("20010db8000100000000000000000001"), 0, arrived, 80, 16);
    System.arraycopy(hex("20010db8000100000000000000000002"), 0, arrived, 96, 16);
    arrived[75] = 0;
    arrived[7] = 62;
    arrived[48] = 0x55; // Hop-by-Hop option 0x3e data
    arrived[64] = 0x66; // Destination option 0x3e data
    byte[] expected = icvInPacket(sent, 12);
    assertThat(icv(halfway, "HmacSHA1", SHA1_KEY, 12)).isEqualTo(expected);
    assertThat(icv(arrived, "HmacSHA1", SHA1_KEY, 12)).isEqualTo(expected);
  }

  @Test
  void coversImmutableFieldsAndOptions() throws Exception {
    byte[] expected = icvInPacket(hex(V6_EXT), 12);
    byte[] immutableOption = hex(V6_EXT);
    immutableOption[58] ^= 1; // Destination option 0x1e data: immutable
    assertThat(icv(immutableOption, "HmacSHA1", SHA1_KEY, 12)).isNotEqualTo(expected);
    byte[] v4 = hex(V4_OPTIONS);
    byte[] v4Expected = icvInPacket(v4, 12);
    byte[] routerAlert = v4.clone();
    routerAlert[31] ^= 1; // Router Alert value: immutable
    assertThat(icv(routerAlert, "HmacSHA1", SHA1_KEY, 12)).isNotEqualTo(v4Expected);
    byte[] identification = v4.clone();
    identification[5] ^= 1;
    assertThat(icv(identification, "HmacSHA1", SHA1_KEY, 12)).isNotEqualTo(v4Expected);
    byte[] mutable = v4.clone();
    mutable[1] = 0x2a; // TOS
    mutable[8] = 1; // TTL
    mutable[6] = 0x40; // DF
    mutable[24] = 9; // Record Route data
    mutable[47] = 7; // Timestamp data
    assertThat(icv(mutable, "HmacSHA1", SHA1_KEY, 12)).isEqualTo(v4Expected);
  }

  @Test
  void skipsAnAtomicFragmentHeaderLeftByReassembly() throws Exception {
    // 'v6_sha256' with an atomic Fragment header (offset 0, M 0) inserted before AH, as a
    // reassembler may leave it: RFC 4302 Appendix A.2 has AH skip it.
    byte[] plain = hex(V6_SHA256);
    byte[] withFragment = new byte[plain.length + 8];
    System.arraycopy(plain, 0, withFragment, 0, 40);
    System.arraycopy(hex("3300000000000099"), 0, withFragment, 40, 8);
    System.arraycopy(plain, 40, withFragment, 48, plain.length - 40);
    withFragment[6] = 44;
    withFragment[5] += 8;
    assertThat(fed(withFragment, 16)).isEqualTo(fed(plain, 16));
    assertThat(icv(withFragment, "HmacSHA256", SHA256_KEY, 16)).isEqualTo(icvInPacket(plain, 16));
    withFragment[43] = 1; // M set: a real fragment
    assertThat(input.feed(withFragment, 0, withFragment.length, 48, 16, (b, o, l) -> {}))
        .isEqualTo(ParseResult.FRAGMENT_NOT_REASSEMBLED);
  }

  @Test
  void refusesRoutingHeadersItCannotPredict() {
    byte[] p = hex(V6_EXT);
    byte[] type3 = p.clone();
    type3[74] = 3;
    assertThat(input.feed(type3, 0, type3.length, 112, 12, (b, o, l) -> {}))
        .isEqualTo(ParseResult.IPV6_ROUTING_UNPREDICTABLE);
    type3[75] = 0; // nothing left to route: the header is as it will arrive
    assertThat(input.feed(type3, 0, type3.length, 112, 12, (b, o, l) -> {}))
        .isEqualTo(ParseResult.OK);
    byte[] tooManySegments = p.clone();
    tooManySegments[75] = 3;
    assertThat(input.feed(tooManySegments, 0, p.length, 112, 12, (b, o, l) -> {}))
        .isEqualTo(ParseResult.IPV6_BAD_ROUTING_HEADER);
  }

  @Test
  void reportsDefectsBeforeFeedingAnything() {
    byte[] v4 = hex(V4_OPTIONS);
    assertFeedFails(v4, 55, 12, ParseResult.AH_NOT_IN_CHAIN);
    assertFeedFails(v4, 56, 13, ParseResult.AH_BAD_LENGTH);
    byte[] badOption = v4.clone();
    badOption[22] = 1; // Record Route length 1
    assertFeedFails(badOption, 56, 12, ParseResult.IPV4_BAD_OPTION);
    byte[] notAh = v4.clone();
    notAh[9] = 50;
    assertFeedFails(notAh, 56, 12, ParseResult.AH_NOT_IN_CHAIN);
    byte[] v6 = hex(V6_EXT);
    assertFeedFails(v6, 72, 12, ParseResult.AH_NOT_IN_CHAIN);
    byte[] badV6Option = v6.clone();
    badV6Option[47] = 9; // 0x3e option length past the Hop-by-Hop header
    assertFeedFails(badV6Option, 112, 12, ParseResult.IPV6_BAD_OPTION);
    byte[] ahTooLong = v6.clone();
    ahTooLong[113] = 60;
    assertFeedFails(ahTooLong, 112, 12, ParseResult.AH_TRUNCATED);
  }

  private void assertFeedFails(byte[] p, int ahOffset, int icvLength, ParseResult expected) {
    int[] fed = {0};
    assertThat(input.feed(p, 0, p.length, ahOffset, icvLength, (b, o, l) -> fed[0] += l))
        .isEqualTo(expected);
    assertThat(fed[0]).as("bytes fed").isZero();
  }

  @Test
  void neverAcceptsATruncatedPacket() {
    for (String hex : new String[] {V4_OPTIONS, V4_LSRR_DONE, V6_EXT, V6_SHA256, V6_TUNNEL_V4}) {
      byte[] full = hex(hex);
      int ah = ahOffset(full);
      for (int n = 0; n < full.length; n++) {
        byte[] cut = Arrays.copyOf(full, n);
        int[] fed = {0};
        ParseResult r = input.feed(cut, 0, n, ah, 12, (b, o, l) -> fed[0] += l);
        assertThat(r).as("length %d", n).isNotEqualTo(ParseResult.OK);
        assertThat(fed[0]).isZero();
      }
    }
  }

  @Property
  void neverThrowsOnMutatedPackets(
      @ForAll @IntRange(min = 0, max = 145) int position,
      @ForAll byte value,
      @ForAll @IntRange(min = 0, max = 146) int length,
      @ForAll @IntRange(min = 0, max = 150) int ahOffset,
      @ForAll @IntRange(min = 0, max = 40) int icvLength) {
    byte[] p = hex(V6_EXT);
    p[position] = value;
    input.feed(p, 0, length, ahOffset, icvLength, (b, o, l) -> {});
    byte[] v4 = hex(V4_OPTIONS);
    v4[position % v4.length] = value;
    input.feed(v4, 0, Math.min(length, v4.length), ahOffset, icvLength, (b, o, l) -> {});
  }

  @Test
  void classifiesIpv4OptionsAsAppendixA1() {
    // RFC 4302 Appendix A.1, whole type byte (copy, class, number)
    for (int immutable : new int[] {0, 1, 130, 133, 134, 148, 149}) {
      assertThat(AhIcvInput.isImmutableIpv4Option(immutable)).as("type %d", immutable).isTrue();
    }
    for (int mutable :
        new int[] {131, 68, 7, 137, 82, 136, 11, 12, 145, 10, 205, 142, 15, 144, 147, 25, 2}) {
      assertThat(AhIcvInput.isImmutableIpv4Option(mutable)).as("type %d", mutable).isFalse();
    }
  }

  @Test
  void allocatesNothingPerPacket() {
    // Not a timing assertion: a count of bytes this thread allocated while feeding.
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    byte[] v6 = hex(V6_EXT);
    byte[] v4 = hex(V4_OPTIONS);
    long[] total = {0};
    org.ipsecemu.datapath.packet.ByteSink sink = (b, o, l) -> total[0] += l;
    for (int i = 0; i < 20_000; i++) {
      input.feed(v6, 0, v6.length, 112, 12, sink);
      input.feed(v4, 0, v4.length, 56, 12, sink);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      input.feed(v6, 0, v6.length, 112, 12, sink);
      input.feed(v4, 0, v4.length, 56, 12, sink);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated over 20000 packets").isLessThan(20_000);
    assertThat(total[0]).isPositive();
  }
}
