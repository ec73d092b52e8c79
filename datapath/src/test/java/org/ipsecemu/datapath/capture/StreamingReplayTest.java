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
 * A long capture streams through: 200,000 ESP packets with random SPIs nobody knows (the worst case
 * for memory if anything were kept per packet or per SPI) around the tunnel sample's packets. The
 * replay reads, processes and writes frame by frame through a bounded reorder buffer; here it must
 * simply count every packet right, with one thread and with two. (No memory figure is asserted: the
 * bound is by construction, see the package documentation.)
 */
class StreamingReplayTest {
  private static final int UNKNOWN = 200_000;

  @TempDir Path dir;

  @Test
  void twoHundredThousandPacketsWithUnknownSpisStreamThrough() throws Exception {
    Path pcaps = TestCaptures.pcaps();
    List<byte[]> good = TestCaptures.ipPackets(pcaps.resolve("esp-3des-sha1-tunnel-v4.pcap"));
    byte[] template = good.get(0);
    SplittableRandom rnd = new SplittableRandom(1);
    List<byte[]> frames = new ArrayList<>(UNKNOWN + good.size());
    for (int i = 0; i < UNKNOWN; i++) {
      if (i % 40_000 == 0 && i / 40_000 < good.size()) {
        frames.add(TestCaptures.ethernet(good.get(i / 40_000)));
      }
      byte[] p = template.clone();
      int spi = 0x10000 + rnd.nextInt(Integer.MAX_VALUE - 0x10000);
      p[20] = (byte) (spi >>> 24);
      p[21] = (byte) (spi >>> 16);
      p[22] = (byte) (spi >>> 8);
      p[23] = (byte) spi;
      frames.add(TestCaptures.ethernet(p));
    }
    Path in = dir.resolve("big.pcap");
    TestCaptures.writePcap(in, 1, frames, TestCaptures.times(frames.size(), 1_700_000_000_000L, 1));
    frames = null;
    KeyFileSet keys = KeyFileSet.read(List.of(pcaps.resolve("esp-3des-sha1-tunnel-v4.conf")));
    for (int threads : new int[] {1, 2}) {
      Path out = dir.resolve("out-" + threads + ".pcap");
      ReplayReport r = CaptureReplay.builder(keys).output(out).threads(threads).build().run(in);
      assertThat(r.packets().get("read")).isEqualTo(UNKNOWN + 5);
      assertThat(r.inbound().get("no_sa")).isEqualTo(UNKNOWN);
      assertThat(r.inbound().get("ok")).isEqualTo(5);
      assertThat(r.packets().get("written")).isEqualTo(5);
      assertThat(TestCaptures.ipPackets(out)).hasSize(5);
      Files.delete(out);
    }
  }
}
