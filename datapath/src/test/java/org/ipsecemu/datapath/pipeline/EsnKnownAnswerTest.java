package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.Packets.HEX;
import static org.ipsecemu.datapath.pipeline.Packets.hex;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.ipsecemu.datapath.crypto.IvGenerator;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.junit.jupiter.api.Test;

/**
 * Extended sequence numbers (RFC 4303 §2.2.1, Appendix A3; RFC 4302 §3.3.3.2.2) against packets
 * made by independent code: {@code datapath/src/test/interop/esn_vectors.py} (scapy 2.5.0's ESP and
 * AH, and for the ESP HMAC Python's hashlib, because that scapy leaves the high bits out of an ESP
 * HMAC), keys and IVs fixed there. The high 32 bits are never on the wire: the receiver infers them
 * from its window, and the ICV (or the AES-GCM AAD) covers them.
 */
class EsnKnownAnswerTest {
  private static final String PLAIN =
      "4500002c000100004011f6bcc0000201c000020203e807d00018d98d45534e20686967682062697473203638";

  /** AES-128-CBC + HMAC-SHA2-256-128, SPI 0x100: (high, low) = (68, 5), (68, 2^32-1), (69, 2). */
  private static final String CBC_68_5 =
      "4500005c000100004032f66bc0000201c00002020000010000000005000102030405060708090a0b0c0d0e0f"
          + "6a5c973528310054043fa7d8aa26ae7dc89133ce765d86bbb1093d13afc2b65905b868f604dc978c77c8"
          + "6a16b0512f37";

  private static final String CBC_68_MAX =
      "4500005c000100004032f66bc0000201c000020200000100ffffffff101112131415161718191a1b1c1d1e1f"
          + "dd335baf3f220565134cf1e48c07cf6e19d25a524e05d791eeff64999ed179f2c9a83f63e5f2730ff14b"
          + "fe41d30052e1";

  private static final String CBC_69_2 =
      "4500005c000100004032f66bc0000201c00002020000010000000002202122232425262728292a2b2c2d2e2f"
          + "07606a5190acd1951bc15797cf5bd720dc9fdd4bb74febb344e9831c801e08780932a3275cddd02d700e"
          + "fed42513bee3";

  /** AES-GCM-16 (128-bit key, salt cafebabe), SPI 0x200, (68, 5): AAD SPI || 68 || 5. */
  private static final String GCM_68_5 =
      "45000050000100004032f677c0000201c000020200000200000000050001020304050607c4a24b9459706e83"
          + "62f2ccc65f272141076e9ecc0118239d8e34a1dc04d8289b24c5784137ddf3071d020e4c";

  /** AH HMAC-SHA1-96, SPI 0x300, (68, 5). */
  private static final String AH_68_5 =
      "45000044000100004033f682c0000201c00002021104000000000300000000051d2039ab33deabe84f9b57a8"
          + "03e807d00018d98d45534e20686967682062697473203638";

  private static final String SAS =
      "add 192.0.2.1 192.0.2.2 esp 0x100 -m transport -r 32 -esn"
          + " -E aes-cbc 0x000102030405060708090a0b0c0d0e0f"
          + " -A hmac-sha256 0x101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f;\n"
          + "add 192.0.2.1 192.0.2.2 esp 0x200 -m transport -r 32 -esn"
          + " -E aes-gcm-16 0x000102030405060708090a0b0c0d0e0fcafebabe;\n"
          + "add 192.0.2.1 192.0.2.2 ah 0x300 -m transport -r 32 -esn"
          + " -A hmac-sha1 0x2122232425262728292a2b2c2d2e2f3031323334;\n";

  private final KeyEngine engine = KeyEngine.create();
  private final Datapath dp = Datapath.create(engine);
  private final PacketContext ctx = dp.newContext();

  private SaContext sa(int spi, int proto) {
    SecurityAssociation sa = engine.getassocbyspi(Packets.addr("192.0.2.2"), 0, 4, spi, proto);
    assertThat(sa).isNotNull();
    return dp.context(sa);
  }

  /** The window as a receiver that has accepted up to {@code highest} (a resumed SA). */
  private static void received(SaContext c, long highest) {
    SaContext.Side s = c.inbound();
    s.lock();
    try {
      assertThat(s.ready()).isTrue();
      assertThat(s.replay().update(highest).isAccepted()).isTrue();
    } finally {
      s.unlock();
    }
  }

  private Verdict in(String packetHex) {
    byte[] p = hex(packetHex);
    return dp.inbound(p, 0, p.length, ctx);
  }

  @Test
  void espCbcHmacSha256PacketsWithHighBits68DecryptWhenTheWindowIsThere() {
    KeyFiles.setkey(engine, SAS);
    received(sa(0x100, 50), (68L << 32) | 4);
    assertThat(in(CBC_68_5)).isEqualTo(Verdict.OK);
    assertThat(HEX.formatHex(ctx.output())).isEqualTo(PLAIN);
    // Now 2^32-1 would be a late packet of subspace 67 (Appendix A3 case B): let the packets up to
    // the end of subspace 68 pass first.
    received(sa(0x100, 50), (68L << 32) | 0xFFFF_FFF0L);
    assertThat(in(CBC_68_MAX)).isEqualTo(Verdict.OK);
    // Low bits 2 after 2^32-1: Appendix A3 case A puts it in the next subspace, high bits 69.
    assertThat(in(CBC_69_2)).isEqualTo(Verdict.OK);
    assertThat(HEX.formatHex(ctx.output())).isEqualTo(PLAIN);
    SaContext c = sa(0x100, 50);
    assertThat(c.inbound().replay().highest()).isEqualTo((69L << 32) | 2);
    assertThat(in(CBC_69_2)).as("the same packet again").isEqualTo(Verdict.REPLAY);
    // (68, 5) again: its low bits lie ahead in subspace 69 as far as the receiver can tell, so it
    // is checked as (69, 5) and its ICV, made with 68, fails: an old packet cannot come back.
    assertThat(in(CBC_68_5)).isEqualTo(Verdict.AUTH_FAILED);
  }

  @Test
  void theHighBitsAreInTheIcvSoAWindowInAnotherSubspaceFailsIntegrity() {
    KeyFiles.setkey(engine, SAS);
    // A fresh window infers high bits 0 for low bits 5: the ICV, computed with 68, fails.
    assertThat(in(CBC_68_5)).isEqualTo(Verdict.AUTH_FAILED);
    assertThat(sa(0x100, 50).inbound().replay().highest()).isZero();
    received(sa(0x100, 50), (67L << 32) | 0x10);
    assertThat(in(CBC_68_5)).as("inferred 67").isEqualTo(Verdict.AUTH_FAILED);
  }

  @Test
  void theSamePacketUnderAn32BitSaFailsIntegrity() {
    KeyFiles.setkey(
        engine,
        SAS.replace("0x100 -m transport -r 32 -esn", "0x100 -m transport -r 32")
            .replace("0x300 -m transport -r 32 -esn", "0x300 -m transport -r 32"));
    assertThat(in(CBC_68_5)).isEqualTo(Verdict.AUTH_FAILED);
    assertThat(in(AH_68_5)).isEqualTo(Verdict.AUTH_FAILED);
  }

  @Test
  void espAesGcmWithTheTwelveByteAad() {
    KeyFiles.setkey(engine, SAS);
    received(sa(0x200, 50), (68L << 32) | 4);
    assertThat(in(GCM_68_5)).isEqualTo(Verdict.OK);
    assertThat(HEX.formatHex(ctx.output())).isEqualTo(PLAIN);
  }

  @Test
  void ahWithTheHighBitsAfterThePacket() {
    KeyFiles.setkey(engine, SAS);
    received(sa(0x300, 51), (68L << 32) | 4);
    assertThat(in(AH_68_5)).isEqualTo(Verdict.OK);
    assertThat(HEX.formatHex(ctx.output())).isEqualTo(PLAIN);
  }

  private static IvGenerator scripted(List<byte[]> ivs) {
    Deque<byte[]> left = new ArrayDeque<>(ivs);
    return (dst, offset, length) -> {
      byte[] iv = left.removeFirst();
      assertThat(iv).hasSize(length);
      System.arraycopy(iv, 0, dst, offset, length);
    };
  }

  private static void lastSent(SaContext c, long last) {
    SaContext.Side s = c.outbound();
    s.lock();
    try {
      s.sequence(last);
    } finally {
      s.unlock();
    }
  }

  @Test
  void outboundRebuildsThePublishedPacketsAcrossTheWrapOfTheLowHalf() {
    byte[][] ivs = {Packets.range(hex(CBC_68_5), 28, 44), Packets.range(hex(CBC_68_MAX), 28, 44)};
    ivs = new byte[][] {ivs[0], ivs[1], Packets.range(hex(CBC_69_2), 28, 44)};
    List<byte[]> list = List.of(ivs);
    try (KeyEngine e = KeyEngine.create();
        Datapath out = Datapath.builder(e).outboundIvs(s -> scripted(list)).build()) {
      KeyFiles.setkey(
          e,
          SAS.substring(0, SAS.indexOf('\n') + 1)
              + "spdadd 192.0.2.1 192.0.2.2 any -P out ipsec esp/transport//require;");
      SaContext c = out.context(e.getassocbyspi(Packets.addr("192.0.2.2"), 0, 4, 0x100, 50));
      lastSent(c, (68L << 32) | 4);
      PacketContext octx = out.newContext();
      byte[] plain = hex(PLAIN);
      assertThat(out.outbound(plain, 0, plain.length, octx)).isEqualTo(OutboundVerdict.OK);
      assertThat(HEX.formatHex(octx.output())).isEqualTo(CBC_68_5);
      lastSent(c, (68L << 32) | 0xFFFF_FFFEL);
      assertThat(out.outbound(plain, 0, plain.length, octx)).isEqualTo(OutboundVerdict.OK);
      assertThat(HEX.formatHex(octx.output())).isEqualTo(CBC_68_MAX);
      lastSent(c, (69L << 32) | 1);
      assertThat(out.outbound(plain, 0, plain.length, octx)).isEqualTo(OutboundVerdict.OK);
      assertThat(HEX.formatHex(octx.output())).isEqualTo(CBC_69_2);
    }
  }

  @Test
  void the64BitCounterGoesPast2To32AndStopsOnlyAt2To64() {
    try (KeyEngine e = KeyEngine.create();
        Datapath out = Datapath.create(e)) {
      KeyFiles.setkey(
          e,
          SAS.substring(0, SAS.indexOf('\n') + 1)
              + "spdadd 192.0.2.1 192.0.2.2 any -P out ipsec esp/transport//require;");
      SaContext c = out.context(e.getassocbyspi(Packets.addr("192.0.2.2"), 0, 4, 0x100, 50));
      PacketContext octx = out.newContext();
      byte[] plain = hex(PLAIN);
      lastSent(c, 0xFFFF_FFFFL);
      assertThat(out.outbound(plain, 0, plain.length, octx)).isEqualTo(OutboundVerdict.OK);
      assertThat(c.outbound().sequence()).isEqualTo(1L << 32);
      byte[] sent = octx.output();
      assertThat(Packets.range(sent, 24, 28)).as("low half on the wire").isEqualTo(new byte[4]);
      lastSent(c, -2L); // 2^64 - 2
      assertThat(out.outbound(plain, 0, plain.length, octx)).isEqualTo(OutboundVerdict.OK);
      assertThat(out.outbound(plain, 0, plain.length, octx)).isEqualTo(OutboundVerdict.EXPIRED);
    }
  }
}
