package org.ipsecemu.datapath.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames of every kind of damage through a replay: random bytes, IP headers with random lengths and
 * options, ESP and AH for known SPIs with random contents, cut at random places, among genuine
 * packets. Nothing may throw; every packet is counted once (inbound verdicts add up to the inbound
 * packets; outbound ok, bypass, discard and dropped to the outbound ones); and several threads give
 * one thread's output.
 */
class RobustReplayTest {
  @TempDir Path dir;

  @Test
  void damagedFramesAreCountedNeverThrownAndThreadsAgree() throws Exception {
    Path pcaps = TestCaptures.pcaps();
    List<byte[]> good = TestCaptures.ipPackets(pcaps.resolve("esp-3des-sha1-tunnel-v4.pcap"));
    List<byte[]> clear = TestCaptures.ipPackets(pcaps.resolve("outbound-policies.pcap"));
    SplittableRandom rnd = new SplittableRandom(2406);
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      byte[] base =
          rnd.nextBoolean()
              ? good.get(rnd.nextInt(good.size())).clone()
              : clear.get(rnd.nextInt(clear.size())).clone();
      switch (rnd.nextInt(6)) {
        case 0 -> base = randomBytes(rnd, rnd.nextInt(80));
        case 1 -> base = java.util.Arrays.copyOf(base, rnd.nextInt(base.length + 1));
        case 2 -> base[rnd.nextInt(base.length)] = (byte) rnd.nextInt(256);
        case 3 -> { // random IP header fields: lengths, IHL, protocol
          base[0] = (byte) (0x40 | rnd.nextInt(16));
          base[2] = (byte) rnd.nextInt(256);
          base[9] = (byte) (rnd.nextBoolean() ? 50 : 51);
        }
        case 4 -> { // a known SPI, random ESP contents
          for (int j = 24; j < base.length; j++) {
            base[j] = (byte) rnd.nextInt(256);
          }
        }
        default -> {}
      }
      frames.add(TestCaptures.ethernet(base));
    }
    Path in = dir.resolve("damaged.pcap");
    TestCaptures.writePcap(in, 1, frames, TestCaptures.times(frames.size(), 1_700_000_000_000L, 5));
    KeyFileSet keys =
        KeyFileSet.read(
            List.of(
                pcaps.resolve("esp-3des-sha1-tunnel-v4.conf"),
                pcaps.resolve("outbound-policies.conf")));
    ReplayReport one = null;
    byte[] oneBytes = null;
    for (int threads : new int[] {1, 3}) {
      Path out = dir.resolve("out-" + threads + ".pcap");
      ReplayReport r =
          CaptureReplay.builder(keys).output(out).threads(threads).seed(3L).ring(7).build().run(in);
      long inbound = r.inbound().values().stream().mapToLong(Long::longValue).sum();
      assertThat(inbound).isEqualTo(r.packets().get("inbound"));
      Long outbound =
          r.outbound().get("ok")
              + r.outbound().get("bypass")
              + r.outbound().get("discard")
              + r.outbound().get("dropped");
      assertThat(outbound).isEqualTo(r.packets().get("outbound"));
      assertThat(
              r.packets().get("inbound")
                  + r.packets().get("outbound")
                  + r.packets().get("non_ip")
                  + r.packets().get("truncated"))
          .isEqualTo(frames.size());
      assertThat(r.inbound().get("malformed")).isPositive();
      assertThat(r.inbound().get("auth_failed")).isPositive();
      byte[] bytes = Files.readAllBytes(out);
      if (one == null) {
        one = r;
        oneBytes = bytes;
      } else {
        assertThat(bytes).isEqualTo(oneBytes);
        assertThat(r.inbound()).isEqualTo(one.inbound());
        assertThat(r.outbound()).isEqualTo(one.outbound());
      }
    }
  }

  private static byte[] randomBytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }
}
