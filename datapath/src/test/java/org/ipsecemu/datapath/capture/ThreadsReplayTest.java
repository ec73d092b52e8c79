package org.ipsecemu.datapath.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ipsecemu.datapath.pcap.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --threads N} gives byte for byte the output and the statistics of one thread, on traffic
 * made to find differences: several tunnel SAs, an AH SA and an ESP+AH transport bundle, a byte
 * lifetime and a time lifetime that run out mid-capture, a flow whose SA nobody keys (ACQUIRE, the
 * pending queue, its timeouts by capture time), a discard policy, unprotected traffic; then the
 * protected capture again, with replayed and tampered packets and the cleartext interleaved, so
 * that SAs are used both ways at once. Small reorder buffers make the ring wrap often.
 */
class ThreadsReplayTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir static Path dir;

  private static Path conf;
  private static Path clear;

  @BeforeAll
  static void traffic() throws Exception {
    SplittableRandom rnd = new SplittableRandom(4301);
    StringBuilder c = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      String gw = "192.0.2." + (10 + i);
      c.append("add 192.0.2.1 ")
          .append(gw)
          .append(" esp 0x")
          .append(Integer.toHexString(0x100 + i));
      c.append(" -m tunnel -r 64");
      if (i == 2) {
        c.append(" -bh 20000");
      }
      if (i == 3) {
        c.append(" -ls 10 -lh 20");
      }
      c.append(" -E aes-cbc 0x")
          .append(hex(rnd, 16))
          .append(" -A hmac-sha1 0x")
          .append(hex(rnd, 20));
      c.append(";\n");
      c.append("spdadd 10.1.").append(i).append(".0/24 10.2.").append(i).append(".0/24 any -P out");
      c.append(" ipsec esp/tunnel/192.0.2.1-").append(gw).append("/require;\n");
    }
    c.append("add 192.0.2.1 192.0.2.50 ah 0x200 -m transport -A hmac-sha256 0x")
        .append(hex(rnd, 32))
        .append(";\n");
    c.append("spdadd 192.0.2.1 192.0.2.50 any -P out ipsec ah/transport//require;\n");
    c.append("add 192.0.2.1 192.0.2.60 esp 0x300 -m transport -E 3des-cbc 0x")
        .append(hex(rnd, 24))
        .append(";\n");
    c.append("add 192.0.2.1 192.0.2.60 ah 0x301 -m transport -A hmac-md5 0x")
        .append(hex(rnd, 16))
        .append(";\n");
    c.append("spdadd 192.0.2.1 192.0.2.60 any -P out ipsec esp/transport//require")
        .append(" ah/transport//require;\n");
    c.append("spdadd 10.1.9.0/24 10.2.9.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.99")
        .append("/require;\n");
    c.append("spdadd 10.1.8.0/24 10.2.8.0/24 any -P out discard;\n");
    conf = dir.resolve("sa.conf");
    Files.writeString(conf, c.toString());

    List<byte[]> frames = new ArrayList<>();
    List<TestCaptures.Time> times = new ArrayList<>();
    long t = T0;
    for (int n = 0; n < 3000; n++) {
      t += rnd.nextInt(4);
      if (n == 1000) {
        t += 35_000; // past the ACQUIRE's 30 s and the soft lifetime
      }
      if (n == 2000) {
        t += 65_000; // past the queue timeout and the hard lifetime
      }
      int kind = rnd.nextInt(11);
      byte[] src;
      byte[] dst;
      int sport = 1000 + rnd.nextInt(4);
      if (kind < 6) {
        src = new byte[] {10, 1, (byte) kind, (byte) (1 + rnd.nextInt(3))};
        dst = new byte[] {10, 2, (byte) kind, (byte) (1 + rnd.nextInt(3))};
      } else if (kind == 6) {
        src = new byte[] {(byte) 192, 0, 2, 1};
        dst = new byte[] {(byte) 192, 0, 2, (byte) (rnd.nextBoolean() ? 50 : 60)};
      } else if (kind < 9) { // one flow whose SA nobody keys: enough to fill its queue
        src = new byte[] {10, 1, 9, 1};
        dst = new byte[] {10, 2, 9, 1};
        sport = 999;
      } else if (kind == 9) {
        src = new byte[] {10, 1, 8, 1};
        dst = new byte[] {10, 2, 8, 1};
      } else {
        src = new byte[] {10, 1, 7, 1};
        dst = new byte[] {8, 8, 8, 8};
      }
      byte[] payload = new byte[rnd.nextInt(300)];
      rnd.nextBytes(payload);
      frames.add(TestCaptures.ethernet(udp(src, dst, sport, 2000, payload, n)));
      times.add(TestCaptures.Time.ofMillis(t));
    }
    clear = dir.resolve("clear.pcap");
    TestCaptures.writePcap(clear, 1, frames, times);
  }

  private static String hex(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  /** An IPv4/UDP packet with its checksums. */
  static byte[] udp(byte[] src, byte[] dst, int sport, int dport, byte[] payload, int id) {
    int len = 28 + payload.length;
    ByteBuffer b = ByteBuffer.allocate(len);
    b.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) id).putShort((short) 0);
    b.put((byte) 64).put((byte) 17).putShort((short) 0).put(src).put(dst);
    b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length));
    b.putShort((short) 0).put(payload);
    byte[] p = b.array();
    int sum = checksum(p, 0, 20, 0);
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
    return p;
  }

  private static int checksum(byte[] p, int off, int len, int initial) {
    long s = initial;
    for (int i = 0; i < len; i += 2) {
      s += ((p[off + i] & 0xff) << 8) | (i + 1 < len ? p[off + i + 1] & 0xff : 0);
    }
    while ((s >> 16) != 0) {
      s = (s & 0xffff) + (s >> 16);
    }
    return (int) (~s & 0xffff);
  }

  private static ReplayReport replay(Path in, Path out, int threads, int ring) throws Exception {
    CaptureReplay.Builder b =
        CaptureReplay.builder(KeyFileSet.read(List.of(conf))).output(out).threads(threads).seed(9L);
    if (ring > 0) {
      b.ring(ring);
    }
    return b.build().run(in);
  }

  private static void assertSameReplay(ReplayReport one, ReplayReport many) {
    assertThat(many.packets()).isEqualTo(one.packets());
    assertThat(many.inbound()).isEqualTo(one.inbound());
    assertThat(many.outbound()).isEqualTo(one.outbound());
    assertThat(many.outboundDropped()).isEqualTo(one.outboundDropped());
    assertThat(many.sas()).isEqualTo(one.sas());
    assertThat(many.pfkey()).isEqualTo(one.pfkey());
  }

  @Test
  void outboundWithSeveralThreadsIsByteForByteOneThreads() throws Exception {
    Path one = dir.resolve("out-1.pcap");
    ReplayReport r1 = replay(clear, one, 1, 0);
    // The traffic exercises what it should.
    assertThat(r1.outbound().get("ok")).isGreaterThan(1000);
    assertThat(r1.outbound().get("bypass")).isPositive();
    assertThat(r1.outbound().get("discard")).isPositive();
    assertThat(r1.outboundDropped().get("queue_timeout")).isPositive();
    assertThat(r1.outboundDropped().get("queue_full")).isPositive();
    assertThat(r1.pfkey().get("acquire")).isGreaterThan(1);
    assertThat(r1.pfkey().get("expire_soft")).isPositive();
    assertThat(r1.pfkey().get("expire_hard")).isEqualTo(2); // by bytes, by time
    assertThat(r1.sas().stream().filter(s -> s.state().equals("dead")).count()).isEqualTo(2);
    for (int threads : new int[] {2, 4}) {
      for (int ring : new int[] {0, 5}) {
        Path many = dir.resolve("out-" + threads + "-" + ring + ".pcap");
        ReplayReport rn = replay(clear, many, threads, ring);
        assertThat(Files.mismatch(one, many)).as("threads=%d ring=%d", threads, ring).isEqualTo(-1);
        assertSameReplay(r1, rn);
        // Most packets went to the workers, or the comparison would prove little.
        assertThat(rn.barriers()).isLessThan(rn.packets().get("read") / 10);
      }
    }
  }

  @Test
  void bothWaysWithReplaysAndForgeriesSeveralThreadsGiveOneThreadsResult() throws Exception {
    Path enc = dir.resolve("enc.pcap");
    replay(clear, enc, 1, 0);
    List<Frame> protectedFrames = TestCaptures.frames(enc);
    List<Frame> clearFrames = TestCaptures.frames(clear);
    SplittableRandom rnd = new SplittableRandom(7);
    List<byte[]> frames = new ArrayList<>();
    List<TestCaptures.Time> times = new ArrayList<>();
    int c = 0;
    for (int i = 0; i < protectedFrames.size(); i++) {
      Frame f = protectedFrames.get(i);
      byte[] data = java.util.Arrays.copyOf(f.data(), f.length());
      TestCaptures.Time t = new TestCaptures.Time(f.epochSecond(), f.nanos());
      frames.add(data);
      times.add(t);
      int r = rnd.nextInt(20);
      if (r == 0 && i > 10) { // an old packet again
        Frame old = protectedFrames.get(i - 1 - rnd.nextInt(10));
        frames.add(java.util.Arrays.copyOf(old.data(), old.length()));
        times.add(t);
      } else if (r == 1) { // a forgery
        byte[] bad = data.clone();
        bad[bad.length - 1] ^= 1;
        frames.add(bad);
        times.add(t);
      } else if (r < 6 && c < clearFrames.size()) { // cleartext to protect
        Frame cf = clearFrames.get(c++);
        frames.add(java.util.Arrays.copyOf(cf.data(), cf.length()));
        times.add(t);
      }
    }
    Path mixed = dir.resolve("mixed.pcap");
    TestCaptures.writePcap(mixed, 1, frames, times);
    Path one = dir.resolve("mixed-1.pcap");
    ReplayReport r1 = replay(mixed, one, 1, 0);
    assertThat(r1.inbound().get("ok")).isGreaterThan(1000);
    assertThat(r1.inbound().get("replay")).isPositive();
    assertThat(r1.inbound().get("auth_failed")).isPositive();
    assertThat(r1.outbound().get("ok")).isPositive();
    assertThat(r1.sas().stream().filter(s -> s.direction().equals("both")).count()).isPositive();
    for (int threads : new int[] {3, 4}) {
      for (int ring : new int[] {0, 8}) {
        Path many = dir.resolve("mixed-" + threads + "-" + ring + ".pcap");
        ReplayReport rn = replay(mixed, many, threads, ring);
        assertThat(Files.mismatch(one, many)).as("threads=%d ring=%d", threads, ring).isEqualTo(-1);
        assertSameReplay(r1, rn);
        assertThat(rn.barriers()).isLessThan(rn.packets().get("read") / 10);
      }
    }
  }
}
