package org.ipsecemu.datapath.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.ipsecemu.datapath.pcap.CaptureException;
import org.ipsecemu.datapath.pcap.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same ESP traffic (the IPv4 tunnel sample) in every link type replay reads, in pcap and pcapng
 * files written byte by byte here: each must decrypt to the sample's plaintext, in a capture of the
 * same link type with the same link headers and timestamps.
 */
class LinkTypeReplayTest {
  private static final HexFormat HEX = HexFormat.of();
  private static List<byte[]> esp;
  private static List<byte[]> plain;
  private static KeyFileSet keys;

  @TempDir Path dir;

  @BeforeAll
  static void sample() throws Exception {
    Path pcaps = TestCaptures.pcaps();
    esp = TestCaptures.ipPackets(pcaps.resolve("esp-3des-sha1-tunnel-v4.pcap"));
    plain = TestCaptures.ipPackets(pcaps.resolve("esp-3des-sha1-tunnel-v4.plain.pcap"));
    keys = KeyFileSet.read(List.of(pcaps.resolve("esp-3des-sha1-tunnel-v4.conf")));
  }

  @ParameterizedTest(name = "{0} {1} as {2}")
  @CsvSource({
    "1, pcap, EN10MB",
    "-1, pcap, EN10MB", // 802.1Q tagged
    "12, pcap, RAW",
    "101, pcap, RAW",
    "113, pcap, LINUX_SLL",
    "276, pcap, LINUX_SLL2",
    "0, pcap, NULL",
    "108, pcap, LOOP",
    "1, pcapng, EN10MB",
    "113, pcapng, LINUX_SLL"
  })
  void decryptsInEveryLinkType(int linkType, String format, String name) throws Exception {
    List<byte[]> frames = new ArrayList<>();
    for (byte[] p : esp) {
      frames.add(TestCaptures.frame(linkType, p));
    }
    int dlt = linkType < 0 ? 1 : linkType;
    Path in = dir.resolve("in." + format);
    List<TestCaptures.Time> times = TestCaptures.times(frames.size(), 1_700_000_000_123L, 7);
    if (format.equals("pcap")) {
      TestCaptures.writePcap(in, dlt, frames, times);
    } else {
      TestCaptures.writePcapng(in, dlt, frames, times);
    }
    Path out = dir.resolve("out.pcap");
    ReplayReport r = CaptureReplay.builder(keys).output(out).build().run(in);
    assertThat(r.inbound().get("ok")).isEqualTo(esp.size());
    assertThat(r.linkType()).isEqualTo(name);
    List<Frame> got = TestCaptures.frames(out);
    assertThat(got).hasSize(esp.size());
    for (int i = 0; i < got.size(); i++) {
      Frame f = got.get(i);
      assertThat(f.linkType().pcapName()).isEqualTo(name);
      byte[] ip = Arrays.copyOfRange(f.data(), f.ipOffset(), f.ipOffset() + f.ipLength());
      assertThat(HEX.formatHex(ip)).as("frame %d", i).isEqualTo(HEX.formatHex(plain.get(i)));
      // The link header is the input's (802.1Q tag, SLL address, NULL family included).
      byte[] header = Arrays.copyOf(frames.get(i), f.ipOffset());
      assertThat(Arrays.copyOf(f.data(), f.ipOffset())).isEqualTo(header);
      assertThat(f.epochSecond() * 1000 + f.nanos() / 1_000_000)
          .isEqualTo(times.get(i).seconds() * 1000 + times.get(i).nanos() / 1_000_000);
    }
  }

  @Test
  void refusesAnotherLinkTypeNamingIt() throws Exception {
    Path in = dir.resolve("wifi.pcap");
    TestCaptures.writePcap(
        in, 105, List.of(new byte[] {1, 2, 3, 4}), TestCaptures.times(1, 1_700_000_000_000L, 0));
    assertThatThrownBy(() -> CaptureReplay.builder(keys).build().run(in))
        .isInstanceOf(CaptureException.class)
        .hasMessageContaining("unsupported link type IEEE802_11 (105)");
  }
}
