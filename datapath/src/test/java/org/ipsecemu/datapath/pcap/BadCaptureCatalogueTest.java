package org.ipsecemu.datapath.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Captures that lie, each named for its defect, and what the reader does: the frames before the
 * defect are returned, then one {@link CaptureException} naming the file and the frame; nothing
 * else escapes. (Missing, unreadable, empty and cut-short files are in {@code PcapReaderTest}.)
 */
class BadCaptureCatalogueTest {
  @TempDir Path dir;

  /**
   * A raw-IP pcap (LINKTYPE_RAW) of {@code frames} 20-byte IPv4 headers, the last with a lying
   * orig_len.
   */
  private Path capture(int frames, int lastOriginalLength) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(24 + frames * (16 + 20)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    b.putInt(65535).putInt(101);
    for (int i = 0; i < frames; i++) {
      b.putInt(1_700_000_000).putInt(i).putInt(20);
      b.putInt(i == frames - 1 ? lastOriginalLength : 20);
      b.put(new byte[] {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2});
    }
    Path file = dir.resolve("lying.pcap");
    Files.write(file, b.array());
    return file;
  }

  @ParameterizedTest(name = "orig_len=0x{0}: frames before it, then BAD_CAPTURE")
  @ValueSource(strings = {"80000000", "fbff0000", "ffffffff"})
  void originalLengthBeyondTwoGibibytesIsABadCaptureAfterTheFramesBeforeIt(String hex)
      throws IOException {
    // Found by PcapReaderFuzzTest: Frame.originalLength threw IllegalArgumentException.
    Path file = capture(3, Integer.parseUnsignedInt(hex, 16));
    try (PcapReader in = PcapReader.open(file)) {
      assertThat(in.next()).isNotNull();
      assertThat(in.next()).isNotNull();
      assertThatThrownBy(in::next)
          .isInstanceOfSatisfying(
              CaptureException.class,
              e -> assertThat(e.kind()).isEqualTo(CaptureException.Kind.BAD_CAPTURE))
          .hasMessage(
              file
                  + ": bad capture data in frame 3 (original length "
                  + Long.parseLong(hex, 16)
                  + " exceeds 2147483647)");
      assertThat(in.next()).isNull();
      assertThat(in.framesRead()).isEqualTo(2);
    }
  }

  @Test
  void originalLengthShorterThanTheCapturedBytesIsKeptAsWritten() throws IOException {
    // A sane capture never has it, but libpcap and Wireshark read it: so does the reader.
    Path file = capture(1, 4);
    try (PcapReader in = PcapReader.open(file)) {
      Frame f = in.next();
      assertThat(f.length()).isEqualTo(20);
      assertThat(f.originalLength()).isEqualTo(4);
    }
  }
}
