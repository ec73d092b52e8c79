package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture of 1,000,000 ESP packets with random SPIs nobody has replays in constant memory: the
 * capture (76 MB) is larger than the whole heap the replay runs in (48 MB), so neither the reader
 * nor the datapath may keep anything per packet or per unknown SPI. The capture is generated here,
 * in a temporary directory; the replay runs in a child JVM started with {@code -Xmx48m}.
 */
class ConstantMemoryReplayTest {
  private static final int PACKETS = 1_000_000;
  private static final String HEAP = "-Xmx48m";

  @Test
  void millionPacketsWithRandomUnknownSpisReplayInASmallHeap(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path capture = dir.resolve("unknown-spis.pcap");
    UnknownSpiFlood.write(capture, PACKETS, 42);
    assertThat(Files.size(capture)).isGreaterThan(48L << 20);

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    HEAP,
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    UnknownSpiFlood.class.getName(),
                    capture.toString()))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    assertThat(exit).as(output).isZero();

    Map<String, Long> counts = new HashMap<>();
    String last = output.strip().lines().reduce((a, b) -> b).orElse("");
    for (String kv : last.split(" ")) {
      String[] pair = kv.split("=");
      counts.put(pair[0], Long.parseLong(pair[1]));
    }
    assertThat(counts).containsEntry("frames", (long) PACKETS);
    assertThat(counts).containsEntry("no_sa", (long) PACKETS);
    assertThat(counts).containsEntry("ok", 0L);
    // What stays after a full collection: the code, the engine and its five SAs; not the packets.
    assertThat(counts.get("heapUsed")).isLessThan(16L << 20);
  }
}
