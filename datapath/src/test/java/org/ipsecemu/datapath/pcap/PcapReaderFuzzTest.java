package org.ipsecemu.datapath.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ipsecemu.datapath.packet.IpPacket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the capture reader (pcap4j over libpcap, then the link-layer classifier) with arbitrary
 * files: the committed corpus under {@code PcapReaderFuzzTestInputs/} runs as regression tests,
 * {@code JAZZER_FUZZ=1} fuzzes from it (see SECURITY.md).
 *
 * <p>Invariants: opening either succeeds or throws {@link CaptureException}; reading returns
 * frames, then {@code null} or a {@link CaptureException}, and nothing else; no more frames than
 * the file could hold (16-byte record headers); each frame's IP packet lies inside its captured
 * bytes, and parsing it never throws.
 */
class PcapReaderFuzzTest {
  private static Path dir;
  private static Path file;

  @BeforeAll
  static void makeFile() throws IOException {
    dir = Files.createTempDirectory("pcap-fuzz");
    file = dir.resolve("input.pcap");
  }

  @AfterAll
  static void removeFile() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  @FuzzTest(maxDuration = "5m")
  void readsFramesOrReportsACaptureException(byte[] capture) throws IOException {
    Files.write(file, capture);
    PcapReader reader;
    try {
      reader = PcapReader.open(file);
    } catch (CaptureException e) {
      assertThat(e.kind()).isNotNull();
      assertThat(e.getMessage()).contains(file.toString());
      return;
    }
    IpPacket packet = new IpPacket();
    long frames = 0;
    try (reader) {
      for (Frame f = reader.next(); f != null; f = reader.next()) {
        frames++;
        assertThat(frames).isLessThanOrEqualTo(capture.length / 16);
        assertThat(f.number()).isEqualTo(frames);
        assertThat(f.length()).isBetween(0, f.data().length);
        assertThat(f.nanos()).isBetween(0, 999_999_999);
        if (f.hasIp()) {
          assertThat(f.nonIpReason()).isNull();
          assertThat(f.ipOffset()).isBetween(0, f.length());
          assertThat(f.ipOffset() + f.ipLength()).isLessThanOrEqualTo(f.length());
          packet.parse(f.data(), f.ipOffset(), f.ipLength());
        } else {
          assertThat(f.nonIpReason()).isNotNull();
        }
        assertThat(f.copy().length()).isEqualTo(f.length());
        assertThat(f.toString()).isNotEmpty();
      }
      assertThat(reader.next()).isNull();
    } catch (CaptureException e) {
      assertThat(e.kind()).isIn(CaptureException.Kind.TRUNCATED, CaptureException.Kind.BAD_CAPTURE);
    }
    assertThat(reader.framesRead()).isEqualTo(frames);
  }
}
