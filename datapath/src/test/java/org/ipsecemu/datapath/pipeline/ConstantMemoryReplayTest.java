package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture of 1,000,000 ESP packets with random SPIs nobody has replays in constant memory: the
 * capture (76 MB) is larger than the whole heap {@code ipsec-emu replay} runs in (48 MB), so
 * neither the reader, the datapath nor the replay may keep anything per packet or per unknown SPI.
 * The capture is generated here, in a temporary directory; the command runs in a child JVM started
 * with {@code -Xmx48m}, with the {@link Peer}'s SAs loaded from a setkey file, as a user would.
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
    Path keys = Files.writeString(dir.resolve("peer.conf"), Peer.SETKEY);
    Path stats = dir.resolve("stats.json");

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    HEAP,
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "org.ipsecemu.cli.Main",
                    "replay",
                    "--no-progress",
                    "--sa",
                    keys.toString(),
                    "-o",
                    dir.resolve("out.pcap").toString(),
                    "--stats",
                    stats.toString(),
                    capture.toString()))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    assertThat(exit).as(output).isZero();

    JsonNode s = new ObjectMapper().readTree(stats.toFile());
    assertThat(s.at("/packets/read").asLong()).isEqualTo(PACKETS);
    assertThat(s.at("/packets/written").asLong()).isZero();
    assertThat(s.at("/inbound/no_sa").asLong()).isEqualTo(PACKETS);
    assertThat(s.at("/inbound/ok").asLong()).isZero();
  }
}
