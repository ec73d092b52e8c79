package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.Packets.concat;
import static org.ipsecemu.datapath.pipeline.Packets.ipv4;
import static org.ipsecemu.datapath.pipeline.Packets.range;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.junit.jupiter.api.Test;

/**
 * IPComp (RFC 3173) with DEFLATE (RFC 2394) through the pipeline: compression when it saves bytes
 * (§2.2), IP in IP otherwise in tunnel mode, decompression inbound with a hard cap (no
 * decompression bombs), and the ESP+IPComp bundle the Openswan capture carries.
 */
class IpcompTest {
  private static final String A = "192.1.2.23";
  private static final String B = "192.1.2.45";
  private static final String TUNNEL =
      "add "
          + A
          + " "
          + B
          + " ipcomp 0x5678 -m tunnel -C deflate;\n"
          + "spdadd 192.0.2.0/24 192.0.1.0/24 any -P out ipsec ipcomp/tunnel/"
          + A
          + "-"
          + B
          + "/require;\n";

  /** A ping of {@code n} bytes of ICMP data, compressible (repeating) or not (random). */
  private static byte[] ping(int n, boolean compressible) {
    byte[] data = new byte[n];
    if (compressible) {
      for (int i = 0; i < n; i++) {
        data[i] = (byte) (i % 16);
      }
    } else {
      new Random(7).nextBytes(data);
    }
    return ipv4("192.0.2.1", "192.0.1.1", 1, concat(new byte[] {8, 0, 0, 0, 0, 7, 0, 1}, data));
  }

  private static byte[] out(Datapath dp, byte[] plain, PacketContext ctx) {
    assertThat(dp.outbound(plain, 0, plain.length, ctx)).isEqualTo(OutboundVerdict.OK);
    return ctx.output();
  }

  @Test
  void tunnelCompressesALargePingAndInflatesItBack() {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(engine, TUNNEL);
      PacketContext ctx = dp.newContext();
      byte[] plain = ping(1000, true);
      byte[] sent = out(dp, plain, ctx);
      assertThat(sent[9]).as("protocol IPComp").isEqualTo((byte) 108);
      assertThat(sent[20]).as("next header IPv4").isEqualTo((byte) 4);
      assertThat(sent[21]).as("flags").isZero();
      assertThat(BigEndian.getU16(sent, 22)).as("CPI").isEqualTo(0x5678);
      assertThat(sent.length).isLessThan(200);
      // The payload is raw deflate (RFC 2394): the JDK's inflater, in its own way, agrees.
      assertThat(rawInflate(range(sent, 24, sent.length))).isEqualTo(plain);
      assertThat(dp.inbound(sent, 0, sent.length, ctx)).isEqualTo(Verdict.OK);
      assertThat(ctx.output()).isEqualTo(plain);
      SecurityAssociation sa = engine.associations().get(0);
      assertThat(sa.bytes()).as("charged uncompressed, both ways").isEqualTo(2L * plain.length);
    }
  }

  private static byte[] rawInflate(byte[] deflated) {
    Inflater i = new Inflater(true);
    i.setInput(Arrays.copyOf(deflated, deflated.length + 1));
    byte[] buf = new byte[70000];
    try {
      int n = i.inflate(buf);
      return Arrays.copyOf(buf, n);
    } catch (java.util.zip.DataFormatException e) {
      throw new AssertionError(e);
    } finally {
      i.end();
    }
  }

  @Test
  void smallOrIncompressiblePacketsGoAsIpInIpAndComeBack() {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(engine, TUNNEL);
      PacketContext ctx = dp.newContext();
      for (byte[] plain : new byte[][] {ping(40, true), ping(1000, false)}) {
        byte[] sent = out(dp, plain, ctx);
        assertThat(sent[9]).as("IP in IP (RFC 3173 §2.2)").isEqualTo((byte) 4);
        assertThat(sent.length).isEqualTo(20 + plain.length);
        assertThat(range(sent, 20, sent.length)).isEqualTo(plain);
        assertThat(dp.inbound(sent, 0, sent.length, ctx)).isEqualTo(Verdict.OK);
        assertThat(ctx.output()).isEqualTo(plain);
        assertThat(ctx.saCount()).as("counted on the IPComp SA").isEqualTo(1);
      }
    }
  }

  @Test
  void transportModeCompressesThePayloadBehindTheHeader() {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(
          engine,
          "add 192.0.2.1 192.0.1.1 ipcomp 0x100 -m transport -C deflate;\n"
              + "spdadd 192.0.2.1 192.0.1.1 any -P out ipsec ipcomp/transport//require;");
      PacketContext ctx = dp.newContext();
      byte[] plain = ping(1000, true);
      byte[] sent = out(dp, plain, ctx);
      assertThat(range(sent, 12, 20)).isEqualTo(range(plain, 12, 20));
      assertThat(sent[9]).isEqualTo((byte) 108);
      assertThat(sent[20]).as("next header ICMP").isEqualTo((byte) 1);
      assertThat(BigEndian.getU16(sent, 2)).isEqualTo(sent.length);
      assertThat(dp.inbound(sent, 0, sent.length, ctx)).isEqualTo(Verdict.OK);
      assertThat(ctx.output()).isEqualTo(plain);
    }
  }

  /** An IPComp packet (tunnel SA 0x5678 from A to B) whose payload is {@code deflated}. */
  private static byte[] ipcompPacket(byte[] deflated) {
    return ipv4(A, B, 108, concat(new byte[] {4, 0, 0x56, 0x78}, deflated));
  }

  private static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    d.setInput(data);
    d.finish();
    byte[] buf = new byte[data.length + 64];
    int n = d.deflate(buf);
    d.end();
    return Arrays.copyOf(buf, n);
  }

  @Test
  void aDecompressionBombIsDroppedAtTheCap() {
    // A megabyte of zeros deflates to about a kilobyte: far past any IP datagram.
    byte[] bomb = ipcompPacket(deflate(new byte[1 << 20]));
    assertThat(bomb.length).isLessThan(1200);
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(engine, TUNNEL);
      PacketContext ctx = dp.newContext();
      assertThat(dp.inbound(bomb, 0, bomb.length, ctx)).isEqualTo(Verdict.MALFORMED);
      assertThat(ctx.hasOutput()).isFalse();
      SecurityAssociation sa = engine.associations().get(0);
      assertThat(dp.counters(sa).inbound(Verdict.MALFORMED)).isEqualTo(1);
      assertThat(sa.bytes()).isZero();
    }
  }

  @Test
  void theCapIsConfigurableAndExact() {
    byte[] inner = ping(1000 - 28, true);
    assertThat(inner.length).isEqualTo(1000);
    byte[] packet = ipcompPacket(deflate(inner));
    for (int cap : new int[] {999, 1000}) {
      try (KeyEngine engine = KeyEngine.create();
          Datapath dp = Datapath.builder(engine).ipcompMaxDecompressed(cap).build()) {
        KeyFiles.setkey(engine, TUNNEL);
        byte[] copy = packet.clone();
        assertThat(dp.inbound(copy, 0, copy.length, dp.newContext()))
            .as("cap %d", cap)
            .isEqualTo(cap == 1000 ? Verdict.OK : Verdict.MALFORMED);
      }
    }
  }

  @Test
  void corruptOrTruncatedDeflateIsMalformed() {
    byte[] good = deflate(ping(1000, true));
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    byte[] corrupt = good.clone();
    corrupt[0] = (byte) 0xff; // reserved block type 3
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(engine, TUNNEL);
      PacketContext ctx = dp.newContext();
      for (byte[] payload : new byte[][] {truncated, corrupt, new byte[0]}) {
        byte[] p = ipcompPacket(payload);
        assertThat(dp.inbound(p, 0, p.length, ctx)).isEqualTo(Verdict.MALFORMED);
      }
      byte[] p = ipcompPacket(good);
      assertThat(dp.inbound(p, 0, p.length, ctx)).isEqualTo(Verdict.OK);
    }
  }

  @Test
  void anInflatedPayloadThatIsNotThePacketItNamesIsMalformed() {
    byte[] notIp = deflate(new byte[200]);
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(engine, TUNNEL);
      byte[] p = ipcompPacket(notIp);
      assertThat(dp.inbound(p, 0, p.length, dp.newContext())).isEqualTo(Verdict.MALFORMED);
    }
  }

  @Test
  void unsupportedCompressionAlgorithmIsNoSa() {
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(engine, "add " + A + " " + B + " ipcomp 0x5678 -m tunnel -C lzs;");
      byte[] p = ipcompPacket(deflate(ping(1000, true)));
      assertThat(dp.inbound(p, 0, p.length, dp.newContext())).isEqualTo(Verdict.NO_SA);
    }
  }

  @Test
  void espOverIpcompBundleAsOpenswanSendsIt() {
    String keys =
        " -E 3des-cbc 0x4043434545464649494a4a4c4c4f4f515152525454575758"
            + " -A hmac-md5 0x87658765876587658765876587658765;\n";
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(
          engine,
          "add "
              + A
              + " "
              + B
              + " esp 0x12345678 -m transport"
              + keys
              + "add "
              + A
              + " "
              + B
              + " ipcomp 0x5678 -m tunnel -C deflate;\n"
              + "spdadd 192.0.2.0/24 192.0.1.0/24 any -P out ipsec ipcomp/tunnel/"
              + A
              + "-"
              + B
              + "/require esp/transport//require;\n");
      PacketContext ctx = dp.newContext();
      byte[] plain = ping(1000, true);
      byte[] sent = out(dp, plain, ctx);
      assertThat(sent[9]).as("ESP outside").isEqualTo((byte) 50);
      assertThat(ctx.saCount()).isEqualTo(2);
      assertThat(dp.inbound(sent, 0, sent.length, ctx)).isEqualTo(Verdict.OK);
      assertThat(ctx.output()).isEqualTo(plain);
      assertThat(ctx.saCount()).isEqualTo(2);
    }
  }
}
