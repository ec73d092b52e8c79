package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.Packets.concat;
import static org.ipsecemu.datapath.pipeline.Packets.counting;
import static org.ipsecemu.datapath.pipeline.Packets.hex;
import static org.ipsecemu.datapath.pipeline.Packets.ipv4;
import static org.ipsecemu.datapath.pipeline.Packets.udp;

import org.ipsecemu.datapath.packet.Checksum;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.alg.Algorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every inbound verdict, each from the packet defect that causes it, and the order of the checks of
 * RFC 4303 §3.4: replay check before the ICV, window update only after it.
 */
class InboundVerdictTest {
  static final String A = "192.0.2.1";
  static final String B = "192.0.2.2";
  static final String AES_KEY = "0x00112233445566778899aabbccddeeff";
  static final String SHA1_KEY = "0x0102030405060708090a0b0c0d0e0f1011121314";
  static final String TDES_KEY = "0x0123456789abcdeffedcba98765432100123456789abcdef";
  static final String MD5_KEY = "0x0102030405060708090a0b0c0d0e0f10";

  private Lab lab;

  @BeforeEach
  void setUp() {
    lab = new Lab();
    // The engine gives outbound flows the newest SA (Linux), so 0x1001 is added last.
    lab.run(
        String.join(
            "\n",
            "add " + A + " " + B + " esp 0x1002 -m transport -r 32 -E 3des-cbc " + TDES_KEY + ";",
            "add " + A + " " + B + " esp 0x1003 -m transport -E aes-cbc " + AES_KEY,
            "    -A hmac-sha1 " + SHA1_KEY + ";",
            "add " + A + " " + B + " esp 0x1001 -m transport -r 32 -E aes-cbc " + AES_KEY,
            "    -A hmac-sha1 " + SHA1_KEY + ";",
            "add " + A + " " + B + " ah 0x2001 -m transport -r 32 -A hmac-md5 " + MD5_KEY + ";",
            "spdadd " + A + " " + B + " udp -P out ipsec esp/transport//require;"));
  }

  @AfterEach
  void tearDown() {
    lab.close();
  }

  static byte[] plain(int size) {
    return ipv4(A, B, 17, udp(5000, 53, counting(size)));
  }

  /** An ESP packet of SA {@code spi}, sequence {@code seq}, made by hand (AES-CBC, HMAC-SHA1). */
  static byte[] esp(int spi, int seq, byte[] trailerEndedPlaintext) {
    byte[] esp =
        Craft.esp(
            Algorithm.AES_CBC,
            hex(AES_KEY.substring(2)),
            Algorithm.HMAC_SHA1_96,
            hex(SHA1_KEY.substring(2)),
            spi,
            seq,
            counting(16),
            trailerEndedPlaintext);
    return ipv4(A, B, 50, esp);
  }

  /** UDP data, default padding to 16, pad length and next header 17. */
  static byte[] trailerEnded(byte[] data, int nextHeader) {
    int pad = (16 - (data.length + 2) % 16) % 16;
    byte[] t = new byte[pad + 2];
    for (int i = 0; i < pad; i++) {
      t[i] = (byte) (i + 1);
    }
    t[pad] = (byte) pad;
    t[pad + 1] = (byte) nextHeader;
    return concat(data, t);
  }

  @Test
  void acceptsAHandMadePacketAndDeliversItsPayload() {
    byte[] data = udp(5000, 53, counting(21));
    byte[] out = lab.open(esp(0x1001, 1, trailerEnded(data, 17)));
    assertThat(out).isEqualTo(ipv4(A, B, 17, data));
  }

  @Test
  void unknownSpiIsNoSa() {
    assertThat(lab.in(esp(0x9999, 1, trailerEnded(counting(10), 17)))).isEqualTo(Verdict.NO_SA);
    assertThat(lab.dp.count(Verdict.NO_SA)).isEqualTo(1);
    assertThat(lab.ctx.hasOutput()).isFalse();
  }

  @Test
  void espPacketToAnotherDestinationIsNoSa() {
    byte[] p = lab.protect(plain(10));
    p[19] ^= 1; // destination 192.0.2.3
    fixChecksum(p);
    assertThat(lab.in(p)).isEqualTo(Verdict.NO_SA);
  }

  @Test
  void flippedCiphertextBitIsAuthFailedAndLeavesTheWindowAlone() {
    byte[] genuine = lab.protect(plain(40));
    byte[] forged = genuine.clone();
    forged[40] ^= 0x10;
    assertThat(lab.in(forged)).isEqualTo(Verdict.AUTH_FAILED);
    assertThat(lab.in(genuine)).as("same sequence number, genuine").isEqualTo(Verdict.OK);
    assertThat(lab.dp.counters(lab.sa(0x1001)).inbound(Verdict.AUTH_FAILED)).isEqualTo(1);
  }

  @Test
  void forgedPacketFarAheadDoesNotSlideTheWindow() {
    byte[] first = lab.protect(plain(1));
    byte[] second = lab.protect(plain(2));
    byte[] forged = esp(0x1001, 1000, trailerEnded(counting(3), 17));
    forged[forged.length - 1] ^= 1;
    assertThat(lab.in(second)).isEqualTo(Verdict.OK);
    assertThat(lab.in(forged)).isEqualTo(Verdict.AUTH_FAILED);
    // Had the forgery moved the right edge to 1000, sequence 1 would now be too old.
    assertThat(lab.in(first)).isEqualTo(Verdict.OK);
  }

  @Test
  void duplicateIsReplayAndIsRefusedBeforeItsIcvIsChecked() {
    byte[] p = lab.protect(plain(5));
    assertThat(lab.in(p)).isEqualTo(Verdict.OK);
    assertThat(lab.in(p)).isEqualTo(Verdict.REPLAY);
    byte[] garbled = p.clone();
    garbled[garbled.length - 1] ^= 1; // bad ICV too, but the window speaks first (§3.4.3)
    assertThat(lab.in(garbled)).isEqualTo(Verdict.REPLAY);
  }

  @Test
  void sequenceNumberLeftOfTheWindowIsReplay() {
    byte[][] packets = new byte[40][];
    for (int i = 0; i < packets.length; i++) {
      packets[i] = lab.protect(plain(i));
    }
    assertThat(lab.in(packets[39])).isEqualTo(Verdict.OK); // right edge 40, window 32
    assertThat(lab.in(packets[8])).as("seq 9 is inside 9..40").isEqualTo(Verdict.OK);
    assertThat(lab.in(packets[7])).as("seq 8 is left of it").isEqualTo(Verdict.REPLAY);
  }

  @Test
  void sequenceNumberZeroIsReplay() {
    // 3DES without integrity: the sequence field can be rewritten without the receiver noticing.
    byte[] p = esp3des(0);
    assertThat(lab.in(p)).isEqualTo(Verdict.REPLAY);
    assertThat(lab.in(esp3des(1))).isEqualTo(Verdict.OK);
  }

  private byte[] esp3des(int seq) {
    byte[] plaintext = {1, 2, 3, 4, 5, 6, 6, 17};
    return ipv4(
        A,
        B,
        50,
        Craft.esp(
            Algorithm.TRIPLE_DES_CBC,
            hex(TDES_KEY.substring(2)),
            null,
            null,
            0x1002,
            seq,
            counting(8),
            plaintext));
  }

  @Test
  void windowZeroTakesDuplicates() {
    byte[] p = esp(0x1003, 7, trailerEnded(udp(1, 2, counting(4)), 17));
    assertThat(lab.in(p)).isEqualTo(Verdict.OK);
    assertThat(lab.in(p)).isEqualTo(Verdict.OK);
  }

  @Test
  void truncatedEspIsMalformed() {
    byte[] p = lab.protect(plain(30));
    byte[] cut = ipv4(A, B, 50, Packets.range(p, 20, 20 + 8 + 16 + 10));
    assertThat(lab.in(cut)).isEqualTo(Verdict.MALFORMED);
    byte[] spiOnly = ipv4(A, B, 50, hex("00001001"));
    assertThat(lab.in(spiOnly)).isEqualTo(Verdict.MALFORMED);
    byte[] lessThanSpi = ipv4(A, B, 50, hex("0000"));
    assertThat(lab.in(lessThanSpi)).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void ciphertextOfPartialBlocksWithoutIntegrityIsMalformed() {
    byte[] p = esp3des(3);
    byte[] odd = ipv4(A, B, 50, Packets.range(p, 20, p.length - 3));
    assertThat(lab.in(odd)).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void fragmentOfAnEspPacketIsMalformed() {
    byte[] p = lab.protect(plain(30));
    p[6] |= 0x20; // More Fragments
    fixChecksum(p);
    assertThat(lab.in(p)).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void outerHeaderChecksumIsNotChecked() {
    // Captures of a sending host show the checksum offload left unfilled.
    byte[] p = lab.protect(plain(30));
    p[10] ^= 1;
    assertThat(lab.in(p)).isEqualTo(Verdict.OK);
  }

  @Test
  void notAnIpPacketIsMalformed() {
    assertThat(lab.in(new byte[0])).isEqualTo(Verdict.MALFORMED);
    assertThat(lab.in(hex("60000000"))).isEqualTo(Verdict.MALFORMED);
    assertThat(lab.dp.inbound(null, 0, 0, lab.ctx)).isEqualTo(Verdict.MALFORMED);
    byte[] p = plain(3);
    assertThat(lab.dp.inbound(p, 5, p.length, lab.ctx))
        .as("range past the array")
        .isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void padLengthLongerThanThePayloadIsPadError() {
    byte[] plaintext = new byte[16];
    plaintext[14] = (byte) 15; // 15 bytes of padding cannot fit before the trailer's 14
    plaintext[15] = 17;
    assertThat(lab.in(esp(0x1001, 1, plaintext))).isEqualTo(Verdict.PAD_ERROR);
  }

  @Test
  void paddingOtherThanOneTwoThreeIsPadError() {
    byte[] plaintext = trailerEnded(counting(5), 17); // 9 bytes of padding 1..9
    plaintext[7] = 0; // the third padding byte should be 3
    assertThat(lab.in(esp(0x1001, 1, plaintext))).isEqualTo(Verdict.PAD_ERROR);
    assertThat(lab.dp.counters(lab.sa(0x1001)).inbound(Verdict.PAD_ERROR)).isEqualTo(1);
  }

  @Test
  void packetWithBadPaddingDoesNotMoveTheWindow() {
    byte[] bad = trailerEnded(counting(5), 17);
    bad[7] = 0;
    assertThat(lab.in(esp(0x1001, 5, bad))).isEqualTo(Verdict.PAD_ERROR);
    assertThat(lab.in(esp(0x1001, 5, trailerEnded(counting(5), 17)))).isEqualTo(Verdict.OK);
  }

  @Test
  void dummyPacketIsAcceptedAndDeliversNothing() {
    byte[] plaintext = trailerEnded(counting(0), 59); // RFC 4303 §2.6: Next Header 59
    assertThat(lab.in(esp(0x1001, 1, plaintext))).isEqualTo(Verdict.OK);
    assertThat(lab.ctx.hasOutput()).isFalse();
  }

  @Test
  void tunnelSaWithANonIpPayloadIsMalformed() {
    lab.run(
        "add "
            + A
            + " "
            + B
            + " esp 0x1004 -m tunnel -E aes-cbc "
            + AES_KEY
            + " -A hmac-sha1 "
            + SHA1_KEY
            + ";");
    assertThat(lab.in(esp(0x1004, 1, trailerEnded(udp(1, 2, counting(3)), 17))))
        .isEqualTo(Verdict.MALFORMED);
    // An inner packet claiming more bytes than it has.
    byte[] inner = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, counting(3)));
    inner[3] += 8;
    assertThat(lab.in(esp(0x1004, 2, trailerEnded(inner, 4)))).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void tamperedAhPacketIsAuthFailed() {
    lab.run("spdflush; spdadd " + A + " " + B + " udp -P out ipsec ah/transport//require;");
    byte[] p = lab.protect(plain(20));
    p[p.length - 1] ^= 1;
    assertThat(lab.in(p)).isEqualTo(Verdict.AUTH_FAILED);
    assertThat(lab.dp.counters(lab.sa(0x2001)).inbound(Verdict.AUTH_FAILED)).isEqualTo(1);
  }

  @Test
  void ahHeaderLengthThatDoesNotFitTheIcvIsMalformed() {
    lab.run("spdflush; spdadd " + A + " " + B + " udp -P out ipsec ah/transport//require;");
    byte[] p = lab.protect(plain(20));
    p[21] += 1; // Payload Len: one word more than HMAC-MD5-96 needs
    assertThat(lab.in(p)).isEqualTo(Verdict.MALFORMED);
    byte[] cut = ipv4(A, B, 51, Packets.range(p, 20, 30));
    assertThat(lab.in(cut)).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void clearPacketIsDeliveredWithoutPolicy() {
    byte[] p = plain(12);
    assertThat(lab.open(p)).isEqualTo(p);
  }

  @Test
  void clearPacketWhereInboundPolicyRequiresEspIsPolicy() {
    lab.run("spdadd " + A + " " + B + " udp -P in ipsec esp/transport//require;");
    assertThat(lab.in(plain(12))).isEqualTo(Verdict.POLICY);
    assertThat(lab.ctx.hasOutput()).isFalse();
    // The same packet under ESP passes the same policy.
    assertThat(lab.in(lab.protect(plain(12)))).isEqualTo(Verdict.OK);
  }

  @Test
  void espPacketWhereInboundPolicyRequiresAhIsPolicy() {
    lab.run("spdadd " + A + " " + B + " udp -P in ipsec ah/transport//require;");
    assertThat(lab.in(lab.protect(plain(12)))).isEqualTo(Verdict.POLICY);
    assertThat(lab.dp.counters(lab.sa(0x1001)).inbound(Verdict.POLICY)).isEqualTo(1);
  }

  @Test
  void packetFromAnotherSourceUnderTransportSaIsPolicy() {
    // A second host with the same keys and SPI sends from 192.0.2.9: ESP's ICV does not cover
    // the IP header, so it verifies, but the SA's selectors (source 192.0.2.1) do not match.
    try (Lab other = new Lab()) {
      other.run(
          "add 192.0.2.9 "
              + B
              + " esp 0x1001 -m transport -E aes-cbc "
              + AES_KEY
              + " -A hmac-sha1 "
              + SHA1_KEY
              + "; spdadd 192.0.2.9 "
              + B
              + " any -P out ipsec esp/transport//require;");
      byte[] p = other.protect(ipv4("192.0.2.9", B, 17, udp(1, 2, counting(9))));
      assertThat(lab.in(p)).isEqualTo(Verdict.POLICY);
    }
  }

  @Test
  void everyPacketCountsOnceInTheTotals() {
    lab.in(plain(3));
    lab.in(lab.protect(plain(4)));
    lab.in(esp(0x9999, 1, trailerEnded(counting(1), 17)));
    lab.in(new byte[3]);
    long total = 0;
    for (Verdict v : Verdict.values()) {
      total += lab.dp.count(v);
    }
    assertThat(total).isEqualTo(4);
    assertThat(lab.dp.count(Verdict.OK)).isEqualTo(2);
    assertThat(lab.dp.stats().inbound()).containsEntry("ok", 2L).containsEntry("no_sa", 1L);
  }

  static void fixChecksum(byte[] p) {
    p[10] = 0;
    p[11] = 0;
    int sum = Checksum.checksum(p, 0, (p[0] & 0xf) * 4);
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
  }
}
