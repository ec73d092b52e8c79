package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.Packets.HEX;
import static org.ipsecemu.datapath.pipeline.Packets.concat;
import static org.ipsecemu.datapath.pipeline.Packets.hex;
import static org.ipsecemu.datapath.pipeline.Packets.ipv4;
import static org.ipsecemu.datapath.pipeline.Packets.range;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.ipsecemu.datapath.crypto.IvGenerator;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Complete ESP packets from the standards through the whole pipeline, both ways: the SA is added
 * with PF_KEY, the packet goes through {@code getassocbyspi}, the replay window, decryption,
 * padding and decapsulation, and the outbound path rebuilds the published packet byte for byte when
 * its IV and sequence number are fixed.
 *
 * <p>The IP header around each ESP packet is the test's own (the vectors are the ESP packets, from
 * the SPI on); only the ESP bytes and the plaintext are compared with the published values.
 */
class KnownAnswerPacketTest {
  private static final String OUTER_SRC = "192.168.123.100";
  private static final String OUTER_DST = "192.168.123.3";

  /**
   * RFC 3602 §4, cases 5–8: AES-128-CBC ESP packets without integrity (SPI, sequence number, IV,
   * ciphertext), the ESP payload before padding, and whether it is tunnel mode (cases 7 and 8 carry
   * an IP packet, Next Header 4; cases 5 and 6 an ICMP message, Next Header 1).
   */
  static Stream<Arguments> rfc3602() {
    return Stream.of(
        Arguments.of(
            "case 5",
            "90d382b410eeba7ad938c46cec1a82bf",
            "0000432100000001e96e8c08ab465763fd098d45dd3ff893f663c25d325c18c6a9453e194e120849a4870b66cc6b9965330013b4898dc856a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874aa269add047ad2d5913ac19b7cfbad4a6",
            "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
            false),
        Arguments.of(
            "case 6",
            "90d382b410eeba7ad938c46cec1a82bf",
            "000043210000000869d08df7d203329db093fc4924e5bd80f51995881ec4e0c4488987ce742e8109689bb379d2d750c0d915dca346a89f75",
            "0800b5e8a80a0500a69c083d0b660e00777777777777777777777777",
            false),
        Arguments.of(
            "case 7",
            "0123456789abcdef0123456789abcdef",
            "0000876500000002f4e765244f6407adf13dc1380f673f37773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf70f8e4ecaec78ac53aad7a0f022b859243c647752e94a859352b8a4d4d2decd136e5c177f132ad3fbfb2201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22f0d",
            "45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d02a2040008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
            true),
        Arguments.of(
            "case 8",
            "0123456789abcdef0123456789abcdef",
            "000087650000000585d47224b5f3dd5d2101d4ea8dffab2215b92683819596a8047232cc00f7048fe45318e11f8a0f62ede3c3fc61203bb50f980a08c9843fd3a1b06d5c07ff9639b7eb7dfb3512e5de435e7207ed971ef3d2726d9b5ef6affc6d17a0decbb13892",
            "45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083da3de0300ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            true));
  }

  /**
   * draft-mcgrew-gcm-test-01 §4 (the RFC 4106 test cases), the ones with a 32-bit sequence number
   * (8-byte AAD = SPI || sequence): AES key, nonce (the 4-byte salt, which ends the ESP key
   * material, then the 8-byte IV), the ESP header, the plaintext with its ESP trailer, and
   * ciphertext || ICV. The draft's Next Header is 1 in every case, so they run as transport mode.
   * Left out: the cases with extended sequence numbers (ESN through the pipeline is {@code
   * EsnKnownAnswerTest}'s, the ESN AAD the crypto package's {@code GcmKnownAnswerTest}) and the
   * all-zero case, whose SPI 0 is reserved (RFC 4303 §2.1) and refused by the Key Engine.
   */
  static Stream<Arguments> gcmDraft() {
    return Stream.of(
        Arguments.of(
            "128-bit key, SPI a5f8",
            "feffe9928665731c6d6a8f9467308308",
            "cafebabefacedbaddecaf888",
            "0000a5f80000000a",
            "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b00000100010001",
            "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd1"
                + "83b70d3aa8bc6ee4c309e9d85a41ad4a"),
        Arguments.of(
            "256-bit key, TCP SYN",
            "abbccddef00112233445566778899aababbccddef00112233445566778899aab",
            "112233440102030405060708",
            "4a2cbfe300000002",
            "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee0000000007002400020bf0000020405b40101040201020201",
            "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14e99def842d8e"
                + "b335f4eecfdbf831824b4c4915956c96"),
        Arguments.of(
            "192-bit key, TCP",
            "feffe9928665731c6d6a8f9467308308feffe9928665731c",
            "cafebabefacedbaddecaf888",
            "0000a5f80000000a",
            "45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e501016d075680001",
            "a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfbdbd0315b27452144cc77"
                + "95457b9652037f5318027b5b4cd7a636"),
        Arguments.of(
            "trailer only, sequence 2^32-1",
            "7d773d00c144c525ac619d18c84a3f47",
            "d966426743457e9182443bc6",
            "335467aeffffffff",
            "01020201",
            "437f866b" + "cb3f699fe9b0822bac961c4504bef270"));
  }

  /** An IV generator that hands out the given IVs in order. */
  private static IvGenerator scripted(List<byte[]> ivs) {
    Deque<byte[]> left = new ArrayDeque<>(ivs);
    return (dst, offset, length) -> {
      byte[] iv = left.removeFirst();
      assertThat(iv).hasSize(length);
      System.arraycopy(iv, 0, dst, offset, length);
    };
  }

  private static long spiOf(byte[] esp) {
    return ((esp[0] & 0xffL) << 24)
        | ((esp[1] & 0xff) << 16)
        | ((esp[2] & 0xff) << 8)
        | (esp[3] & 0xff);
  }

  private static long seqOf(byte[] esp) {
    return ((esp[4] & 0xffL) << 24)
        | ((esp[5] & 0xff) << 16)
        | ((esp[6] & 0xff) << 8)
        | (esp[7] & 0xff);
  }

  @ParameterizedTest(name = "RFC 3602 {0}")
  @MethodSource("rfc3602")
  void rfc3602PacketDecryptsThroughTheInboundPath(
      String name, String key, String espHex, String payloadHex, boolean tunnel) {
    byte[] esp = hex(espHex);
    byte[] payload = hex(payloadHex);
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      new Setkey(engine)
          .run(
              String.format(
                  "add %s %s esp 0x%x -m %s -r 32 -E aes-cbc 0x%s;",
                  OUTER_SRC, OUTER_DST, spiOf(esp), tunnel ? "tunnel" : "transport", key));
      byte[] packet = ipv4(OUTER_SRC, OUTER_DST, 50, esp);
      PacketContext ctx = dp.newContext();
      assertThat(dp.inbound(packet, 0, packet.length, ctx)).isEqualTo(Verdict.OK);
      byte[] out = ctx.output();
      if (tunnel) {
        assertThat(HEX.formatHex(out)).isEqualTo(payloadHex);
      } else {
        // The IP header rebuilt: ICMP, the payload's length, a valid checksum.
        assertThat(HEX.formatHex(out))
            .isEqualTo(
                HEX.formatHex(
                    concat(range(ipv4(OUTER_SRC, OUTER_DST, 1, payload), 0, 20), payload)));
      }
      SecurityAssociation sa = engine.associations().get(0);
      assertThat(sa.bytes()).as("lifetime bytes: the payload").isEqualTo(payload.length);
      // The same packet again is a replay.
      byte[] again = ipv4(OUTER_SRC, OUTER_DST, 50, esp);
      assertThat(dp.inbound(again, 0, again.length, ctx)).isEqualTo(Verdict.REPLAY);
    }
  }

  @ParameterizedTest(name = "RFC 3602 {0}")
  @MethodSource("rfc3602")
  void rfc3602PacketIsRebuiltByTheOutboundPathWithItsIv(
      String name, String key, String espHex, String payloadHex, boolean tunnel) {
    byte[] esp = hex(espHex);
    byte[] payload = hex(payloadHex);
    byte[] iv = range(esp, 8, 24);
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.builder(engine).outboundIvs(sa -> scripted(List.of(iv))).build()) {
      String policy =
          tunnel
              ? "spdadd 192.168.123.3 192.168.123.200 any -P out ipsec esp/tunnel/"
                  + OUTER_SRC
                  + "-"
                  + OUTER_DST
                  + "/require;"
              : "spdadd "
                  + OUTER_SRC
                  + " "
                  + OUTER_DST
                  + " any -P out ipsec esp/transport//require;";
      new Setkey(engine)
          .run(
              String.format(
                  "add %s %s esp 0x%x -m %s -E aes-cbc 0x%s; %s",
                  OUTER_SRC, OUTER_DST, spiOf(esp), tunnel ? "tunnel" : "transport", key, policy));
      SaContext c = dp.context(engine.associations().get(0));
      setLastSequence(c, seqOf(esp) - 1);
      byte[] plain = tunnel ? payload : ipv4(OUTER_SRC, OUTER_DST, 1, payload);
      PacketContext ctx = dp.newContext();
      assertThat(dp.outbound(plain, 0, plain.length, ctx)).isEqualTo(OutboundVerdict.OK);
      byte[] out = ctx.output();
      assertThat(out.length).isEqualTo(20 + esp.length);
      assertThat(HEX.formatHex(range(out, 20, out.length))).isEqualTo(espHex);
      assertThat(out[9]).as("protocol ESP").isEqualTo((byte) 50);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gcmDraft")
  void gcmDraftPacketDecryptsThroughTheInboundPath(
      String name, String key, String nonce, String header, String plainHex, String sealedHex) {
    byte[] esp = concat(hex(header), hex(nonce.substring(8)), hex(sealedHex));
    byte[] plain = hex(plainHex);
    int padLength = plain[plain.length - 2];
    int nextHeader = plain[plain.length - 1];
    byte[] data = range(plain, 0, plain.length - 2 - padLength);
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      new Setkey(engine)
          .run(
              String.format(
                  "add %s %s esp 0x%x -m transport -r 32 -E aes-gcm-16 0x%s%s;",
                  OUTER_SRC, OUTER_DST, spiOf(esp), key, nonce.substring(0, 8)));
      PacketContext ctx = dp.newContext();
      // First with one bit of the tag flipped: refused, and the window does not move...
      byte[] forged = ipv4(OUTER_SRC, OUTER_DST, 50, esp);
      forged[forged.length - 1] ^= 1;
      assertThat(dp.inbound(forged, 0, forged.length, ctx)).isEqualTo(Verdict.AUTH_FAILED);
      // ... so the genuine packet with the same sequence number is accepted.
      byte[] packet = ipv4(OUTER_SRC, OUTER_DST, 50, esp);
      assertThat(dp.inbound(packet, 0, packet.length, ctx)).isEqualTo(Verdict.OK);
      byte[] out = ctx.output();
      assertThat(out[9]).isEqualTo((byte) nextHeader);
      assertThat(HEX.formatHex(range(out, 20, out.length))).isEqualTo(HEX.formatHex(data));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gcmDraft")
  void gcmDraftPacketIsRebuiltByTheOutboundPathWithItsIv(
      String name, String key, String nonce, String header, String plainHex, String sealedHex) {
    byte[] esp = concat(hex(header), hex(nonce.substring(8)), hex(sealedHex));
    byte[] plain = hex(plainHex);
    int padLength = plain[plain.length - 2];
    int nextHeader = plain[plain.length - 1];
    byte[] data = range(plain, 0, plain.length - 2 - padLength);
    byte[] iv = hex(nonce.substring(8));
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.builder(engine).outboundIvs(sa -> scripted(List.of(iv))).build()) {
      new Setkey(engine)
          .run(
              String.format(
                  "add %s %s esp 0x%x -m transport -E aes-gcm-16 0x%s%s;"
                      + "spdadd %s %s any -P out ipsec esp/transport//require;",
                  OUTER_SRC,
                  OUTER_DST,
                  spiOf(esp),
                  key,
                  nonce.substring(0, 8),
                  OUTER_SRC,
                  OUTER_DST));
      setLastSequence(dp.context(engine.associations().get(0)), seqOf(esp) - 1);
      byte[] packet = ipv4(OUTER_SRC, OUTER_DST, nextHeader, data);
      PacketContext ctx = dp.newContext();
      assertThat(dp.outbound(packet, 0, packet.length, ctx)).isEqualTo(OutboundVerdict.OK);
      assertThat(HEX.formatHex(range(ctx.output(), 20, ctx.length())))
          .isEqualTo(HEX.formatHex(esp));
    }
  }

  private static void setLastSequence(SaContext c, long last) {
    SaContext.Side s = c.outbound();
    s.lock();
    try {
      s.sequence(last);
    } finally {
      s.unlock();
    }
  }
}
