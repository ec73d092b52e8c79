package org.ipsecemu.datapath.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Key Engine's clock follows the capture: SAs are added at the first packet's time and their
 * lifetimes expire when the capture's timestamps say, not when the machine's clock does. The
 * packets are the tunnel sample's five ESP packets from 192.0.2.1 (SA 0x1001), restamped.
 */
class CaptureTimeTest {
  private static List<byte[]> esp;
  private static List<byte[]> plain;
  private static String saLine;

  @TempDir Path dir;

  @BeforeAll
  static void sample() throws Exception {
    Path pcaps = TestCaptures.pcaps();
    esp = new ArrayList<>();
    plain = new ArrayList<>();
    List<byte[]> allEsp = TestCaptures.ipPackets(pcaps.resolve("esp-3des-sha1-tunnel-v4.pcap"));
    List<byte[]> allPlain =
        TestCaptures.ipPackets(pcaps.resolve("esp-3des-sha1-tunnel-v4.plain.pcap"));
    for (int i = 0; i < allEsp.size(); i++) {
      if ((allEsp.get(i)[19] & 0xff) == 2) { // to 192.0.2.2: SA 0x1001
        esp.add(allEsp.get(i));
        plain.add(allPlain.get(i));
      }
    }
    assertThat(esp).hasSize(5);
    saLine =
        Files.readAllLines(pcaps.resolve("esp-3des-sha1-tunnel-v4.conf")).stream()
            .filter(l -> l.contains("esp 0x1001 "))
            .findFirst()
            .orElseThrow();
  }

  private ReplayReport replay(String lifetimes, long... millis) throws Exception {
    Path conf = dir.resolve("sa.conf");
    Files.writeString(conf, saLine.replace("esp 0x1001 ", "esp 0x1001 " + lifetimes + " ") + "\n");
    List<byte[]> frames = new ArrayList<>();
    List<TestCaptures.Time> times = new ArrayList<>();
    for (int i = 0; i < millis.length; i++) {
      frames.add(TestCaptures.ethernet(esp.get(i)));
      times.add(TestCaptures.Time.ofMillis(millis[i]));
    }
    Path in = dir.resolve("in.pcap");
    TestCaptures.writePcap(in, 1, frames, times);
    return CaptureReplay.builder(KeyFileSet.read(List.of(conf))).build().run(in);
  }

  @Test
  void lifetimesInSecondsExpireByTheCapturesTimestamps() throws Exception {
    long t0 = 1_700_000_000_000L;
    ReplayReport r = replay("-ls 5 -lh 10", t0, t0 + 4_000, t0 + 6_000, t0 + 9_000, t0 + 11_000);
    assertThat(r.inbound().get("ok")).isEqualTo(4);
    assertThat(r.inbound().get("expired")).isEqualTo(1);
    assertThat(r.pfkey().get("expire_soft")).isEqualTo(1);
    assertThat(r.pfkey().get("expire_hard")).isEqualTo(1);
    assertThat(r.sas().get(0).state()).isEqualTo("dead");
  }

  @Test
  void theSasAreAddedAtTheFirstPacketsTimeWhateverTheCapturesDate() throws Exception {
    // A capture from 2001: had the SAs been added at the machine's time, the packets would come
    // before their SAs were born and no lifetime would run out during the capture.
    long t0 = 978_307_200_000L;
    ReplayReport r = replay("-lh 10", t0, t0 + 9_999, t0 + 10_000);
    assertThat(r.inbound().get("ok")).isEqualTo(2);
    assertThat(r.inbound().get("expired")).isEqualTo(1);
    ReplayReport quiet = replay("-lh 10", t0, t0 + 1_000, t0 + 2_000, t0 + 3_000, t0 + 4_000);
    assertThat(quiet.inbound().get("ok")).isEqualTo(5);
    assertThat(quiet.pfkey().get("expire_hard")).isZero();
  }

  @Test
  void anEarlierTimestampDoesNotBringAnExpiredSaBack() throws Exception {
    long t0 = 1_700_000_000_000L;
    ReplayReport r = replay("-lh 10", t0, t0 + 11_000, t0 + 1_000);
    assertThat(r.inbound().get("ok")).isEqualTo(1);
    assertThat(r.inbound().get("expired")).isEqualTo(2);
  }

  @Test
  void byteLifetimesCountThePayloadEachPacketProtects() throws Exception {
    long t0 = 1_700_000_000_000L;
    // The first packet stays under the limit, the second reaches it (and is still accepted, RFC
    // 2367 §2.3.2: the limit is what expires the SA), the rest find the SA gone.
    int limit = plain.get(0).length + 1;
    ReplayReport r = replay("-bh " + limit, t0, t0 + 1, t0 + 2, t0 + 3, t0 + 4);
    assertThat(r.inbound().get("ok")).isEqualTo(2);
    assertThat(r.inbound().get("expired")).isEqualTo(3);
    assertThat(r.sas().get(0).bytes()).isEqualTo(plain.get(0).length + plain.get(1).length);
  }
}
