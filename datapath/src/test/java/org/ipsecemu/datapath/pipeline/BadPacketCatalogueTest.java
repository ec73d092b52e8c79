package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The catalogue of bad packets: one rule per test, each naming the defect and the verdict the
 * datapath gives it. Every packet starts as one an honest {@link Peer} protected (so the defect is
 * the only thing wrong), and every test checks that the verdict was counted exactly once.
 */
class BadPacketCatalogueTest {
  private final KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).seed(1).build();
  private final Datapath datapath;
  private final PacketContext ctx;

  BadPacketCatalogueTest() {
    Peer.install(engine);
    datapath = Datapath.builder(engine).transforms(TransformFactory.deterministic(1)).build();
    ctx = datapath.newContext();
  }

  @AfterEach
  void close() {
    datapath.close();
    engine.close();
  }

  private static final byte[] IV = Peer.HEX.parseHex("000102030405060708090a0b0c0d0e0f");

  /** An inner IPv4 packet for the tunnel SAs. */
  private static byte[] inner() {
    return Peer.ipv4(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 1, 1}, 17, Peer.udp(12));
  }

  /** A good ESP transport packet under the CBC + HMAC-SHA1 SA. */
  private static byte[] goodEsp(int seq) throws GeneralSecurityException {
    return Peer.ipv4(50, Peer.esp(Peer.SPI_CBC_SHA1, seq, IV, Peer.padded(Peer.udp(20), 17, 16)));
  }

  /** A tunnel packet under {@code spi} whose plaintext is {@code plain} (trailer included). */
  private static byte[] tunnel(int spi, byte[] plain) throws GeneralSecurityException {
    return Peer.ipv4(50, Peer.esp(spi, 1, IV, plain));
  }

  private Verdict inbound(byte[] packet) {
    long[] before = new long[Verdict.values().length];
    for (Verdict v : Verdict.values()) {
      before[v.ordinal()] = datapath.count(v);
    }
    Verdict v = datapath.inbound(packet.clone(), 0, packet.length, ctx);
    for (Verdict w : Verdict.values()) {
      assertThat(datapath.count(w)).isEqualTo(before[w.ordinal()] + (w == v ? 1 : 0));
    }
    return v;
  }

  // ------------------------------------------------------------------ the good ones

  @Test
  void goodPacketsOfEverySaAreAccepted() throws GeneralSecurityException {
    assertThat(inbound(goodEsp(1))).isEqualTo(Verdict.OK);
    assertThat(inbound(tunnel(Peer.SPI_CBC_ONLY, Peer.padded(inner(), 4, 16))))
        .isEqualTo(Verdict.OK);
    assertThat(inbound(tunnel(Peer.SPI_GCM, Peer.padded(inner(), 4, 4)))).isEqualTo(Verdict.OK);
    assertThat(inbound(Peer.ah(Peer.SPI_AH, 1, 17, Peer.udp(9)))).isEqualTo(Verdict.OK);
  }

  // ------------------------------------------------------------------ short packets

  @ParameterizedTest(name = "ESP packet cut to {0} bytes, IP length unchanged: malformed")
  @MethodSource("everyCut")
  void packetCutShortOfItsIpLengthIsMalformed(int n) throws GeneralSecurityException {
    assertThat(inbound(Arrays.copyOf(goodEsp(1), n))).isEqualTo(Verdict.MALFORMED);
  }

  @ParameterizedTest(
      name = "ESP packet cut to {0} bytes, IP length fixed: malformed or auth_failed")
  @MethodSource("everyCut")
  void packetCutWithItsIpLengthFixedIsNeverAccepted(int n) throws GeneralSecurityException {
    byte[] cut = Arrays.copyOf(goodEsp(1), n);
    if (n >= 20) {
      Peer.fixLength(cut);
    }
    // Header, IV, two trailer bytes and ICV: 8 + 16 + 2 + 12 bytes after the 20-byte IP header.
    Verdict expected = n < 20 + 8 + 16 + 2 + 12 ? Verdict.MALFORMED : Verdict.AUTH_FAILED;
    assertThat(inbound(cut)).isEqualTo(expected);
  }

  static IntStream everyCut() throws GeneralSecurityException {
    return IntStream.range(0, goodEsp(1).length);
  }

  @ParameterizedTest(name = "AH packet cut to {0} bytes, IP length fixed: malformed or auth_failed")
  @MethodSource("everyAhCut")
  void ahPacketCutIsNeverAccepted(int n) throws GeneralSecurityException {
    byte[] cut = Arrays.copyOf(Peer.ah(Peer.SPI_AH, 1, 17, Peer.udp(9)), n);
    if (n >= 20) {
      Peer.fixLength(cut);
    }
    // The AH header with its 12-byte ICV is 24 bytes: anything shorter is cut inside it.
    Verdict expected = n < 20 + 24 ? Verdict.MALFORMED : Verdict.AUTH_FAILED;
    assertThat(inbound(cut)).isEqualTo(expected);
  }

  static IntStream everyAhCut() throws GeneralSecurityException {
    return IntStream.range(0, Peer.ah(Peer.SPI_AH, 1, 17, Peer.udp(9)).length);
  }

  // ------------------------------------------------------------------ padding that lies

  @ParameterizedTest(name = "pad length {0} in a 48-byte plaintext: pad_error")
  @ValueSource(ints = {47, 100, 255})
  void padLengthBeyondThePayloadIsAPadError(int padLength) throws GeneralSecurityException {
    byte[] plain = Peer.padded(inner(), 4, 16);
    plain[plain.length - 2] = (byte) padLength;
    assertThat(inbound(tunnel(Peer.SPI_CBC_ONLY, plain))).isEqualTo(Verdict.PAD_ERROR);
  }

  @Test
  void paddingNotOneTwoThreeIsAPadError() throws GeneralSecurityException {
    byte[] plain = Peer.padded(inner(), 4, 16);
    int pad = plain[plain.length - 2];
    assertThat(pad).isPositive();
    plain[plain.length - 3] ^= 0x40; // the last padding byte
    assertThat(inbound(tunnel(Peer.SPI_CBC_ONLY, plain))).isEqualTo(Verdict.PAD_ERROR);
  }

  @Test
  void lyingPaddingUnderAnAuthenticatedSaIsAPadErrorOnlyAfterTheIcvVerified()
      throws GeneralSecurityException {
    byte[] plain = Peer.padded(Peer.udp(20), 17, 16);
    plain[plain.length - 2] = (byte) 200;
    byte[] p = Peer.ipv4(50, Peer.esp(Peer.SPI_CBC_SHA1, 1, IV, plain));
    assertThat(inbound(p)).isEqualTo(Verdict.PAD_ERROR);
    // The same lie from a forger (ICV not verifying) says nothing about the padding.
    p[p.length - 1] ^= 1;
    assertThat(inbound(p)).isEqualTo(Verdict.AUTH_FAILED);
  }

  // ------------------------------------------------------------------ ICV cut or wrong

  @ParameterizedTest(name = "ESP ICV cut by {0} byte(s): auth_failed")
  @ValueSource(ints = {1, 4, 8, 11, 12})
  void espIcvCutShortIsAuthFailed(int cut) throws GeneralSecurityException {
    byte[] p = goodEsp(1);
    assertThat(inbound(Peer.fixLength(Arrays.copyOf(p, p.length - cut))))
        .isEqualTo(Verdict.AUTH_FAILED);
  }

  @ParameterizedTest(name = "GCM tag cut by {0} byte(s): auth_failed")
  @ValueSource(ints = {1, 8, 15, 16})
  void gcmTagCutShortIsAuthFailed(int cut) throws GeneralSecurityException {
    byte[] p = tunnel(Peer.SPI_GCM, Peer.padded(inner(), 4, 4));
    assertThat(inbound(Peer.fixLength(Arrays.copyOf(p, p.length - cut))))
        .isEqualTo(Verdict.AUTH_FAILED);
  }

  @Test
  void ahHeaderClaimingAShorterIcvIsMalformed() throws GeneralSecurityException {
    byte[] p = Peer.ah(Peer.SPI_AH, 1, 17, Peer.udp(9));
    p[21] = 3; // payload length for an 8-byte ICV; the SA's is 12 (RFC 4302 §2.2)
    assertThat(inbound(p)).isEqualTo(Verdict.MALFORMED);
  }

  @ParameterizedTest(name = "bit flipped at byte {0} of an ESP packet: never ok")
  @MethodSource("everyByteAfterTheIpHeader")
  void anyBitFlippedAfterTheIpHeaderIsNeverAccepted(int at) throws GeneralSecurityException {
    byte[] p = goodEsp(1);
    p[at] ^= 0x01;
    Verdict v = inbound(p);
    assertThat(v).isNotEqualTo(Verdict.OK);
    if (at >= 28) {
      // IV, ciphertext or ICV: integrity fails, with the one reason whatever part was hit.
      assertThat(v).isEqualTo(Verdict.AUTH_FAILED);
    }
    // A changed SPI finds no SA (or, 0x101, the CBC-only SA, under which it makes no sense); a
    // changed sequence number fails the ICV, or is 0 and refused by the window first.
  }

  static IntStream everyByteAfterTheIpHeader() throws GeneralSecurityException {
    return IntStream.range(20, goodEsp(1).length);
  }

  @Test
  void ahCoversImmutableFieldsButNotTheTtl() throws GeneralSecurityException {
    byte[] p = Peer.ah(Peer.SPI_AH, 1, 17, Peer.udp(9));
    byte[] ttl = p.clone();
    ttl[8] = 3;
    Peer.checksum(ttl);
    assertThat(inbound(ttl)).isEqualTo(Verdict.OK);
    byte[] id = Peer.ah(Peer.SPI_AH, 2, 17, Peer.udp(9));
    id[4] = 0x55; // Identification is immutable (RFC 4302 §3.3.3.1.1.1)
    Peer.checksum(id);
    assertThat(inbound(id)).isEqualTo(Verdict.AUTH_FAILED);
  }

  // ------------------------------------------------------------------ inner packet malformed

  @Test
  void tunnelInnerPacketCutShortIsMalformed() throws GeneralSecurityException {
    byte[] cut = Arrays.copyOf(inner(), 30); // total length still says 40
    assertThat(inbound(tunnel(Peer.SPI_GCM, Peer.padded(cut, 4, 4)))).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void tunnelInnerPacketShorterThanAnIpHeaderIsMalformed() throws GeneralSecurityException {
    byte[] stub = Arrays.copyOf(inner(), 12);
    assertThat(inbound(tunnel(Peer.SPI_CBC_ONLY, Peer.padded(stub, 4, 16))))
        .isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void tunnelInnerPacketOfTheWrongVersionIsMalformed() throws GeneralSecurityException {
    // Next Header says IPv6 (41) but an IPv4 packet follows.
    assertThat(inbound(tunnel(Peer.SPI_GCM, Peer.padded(inner(), 41, 4))))
        .isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void tunnelInnerPacketWithABadIhlIsMalformed() throws GeneralSecurityException {
    byte[] bad = inner();
    bad[0] = 0x43; // IHL 3: shorter than the fixed header (RFC 791)
    assertThat(inbound(tunnel(Peer.SPI_CBC_ONLY, Peer.padded(bad, 4, 16))))
        .isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void tunnelPayloadThatIsNoIpPacketIsMalformed() throws GeneralSecurityException {
    // Next Header UDP (17) where a tunnel SA expects IPv4 or IPv6.
    assertThat(inbound(tunnel(Peer.SPI_GCM, Peer.padded(Peer.udp(10), 17, 4))))
        .isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void dummyPacketIsAcceptedWithNothingToDeliver() throws GeneralSecurityException {
    // RFC 4303 §2.6: Next Header 59 marks a dummy packet, discarded after its ICV verified.
    assertThat(inbound(tunnel(Peer.SPI_GCM, Peer.padded(new byte[0], 59, 4))))
        .isEqualTo(Verdict.OK);
    assertThat(ctx.hasOutput()).isFalse();
  }

  // ------------------------------------------------------------------ SPI of another protocol

  @Test
  void espPacketWithTheSpiOfTheAhSaFindsNoSa() throws GeneralSecurityException {
    byte[] p = goodEsp(1);
    Peer.putInt(p, 20, Peer.SPI_AH);
    assertThat(inbound(p)).isEqualTo(Verdict.NO_SA);
  }

  @Test
  void ahPacketWithTheSpiOfAnEspSaFindsNoSa() throws GeneralSecurityException {
    byte[] p = Peer.ah(Peer.SPI_AH, 1, 17, Peer.udp(9));
    Peer.putInt(p, 24, Peer.SPI_CBC_SHA1);
    assertThat(inbound(p)).isEqualTo(Verdict.NO_SA);
  }

  @Test
  void espPacketForTheRightSpiButAnotherDestinationFindsNoSa() throws GeneralSecurityException {
    byte[] p = goodEsp(1);
    p[19] = 9; // 192.0.2.9
    Peer.checksum(p);
    assertThat(inbound(p)).isEqualTo(Verdict.NO_SA);
  }

  // ------------------------------------------------------------------ the outer header

  @Test
  void outerHeaderChecksumIsNotChecked() throws GeneralSecurityException {
    // The datapath's choice (Datapath.inbound): captures of a host's own packets carry whatever
    // checksum offload left there, so a wrong outer checksum is no reason to drop; the ICV
    // covers what matters.
    byte[] p = goodEsp(1);
    p[10] ^= 0x10;
    assertThat(inbound(p)).isEqualTo(Verdict.OK);
  }

  @Test
  void fragmentOfAnEspPacketIsMalformed() throws GeneralSecurityException {
    byte[] p = goodEsp(1);
    p[6] = 0x20; // More Fragments
    Peer.checksum(p);
    assertThat(inbound(p)).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void replayedPacketIsRefusedAndSequenceZeroToo() throws GeneralSecurityException {
    assertThat(inbound(goodEsp(5))).isEqualTo(Verdict.OK);
    assertThat(inbound(goodEsp(5))).isEqualTo(Verdict.REPLAY);
    assertThat(inbound(goodEsp(0))).isEqualTo(Verdict.REPLAY);
  }
}
