package org.ipsecemu.datapath.ah;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test access to {@code ../shared} (interop samples and third-party captures): its location comes
 * from the system property {@code ipsecemu.shared} that surefire sets; tests using it skip
 * themselves when it is absent. Reads classic pcap files with Ethernet framing into IP packets; the
 * pcap package's reader is another engineer's, and these tests need only this much.
 */
final class SharedCaptures {
  private SharedCaptures() {}

  /** The shared folder, or the test is skipped. */
  static Path shared() {
    String location = System.getProperty("ipsecemu.shared");
    assumeTrue(location != null, "ipsecemu.shared not set");
    Path dir = Path.of(location);
    assumeTrue(Files.isDirectory(dir), "shared folder absent: " + dir);
    return dir;
  }

  /** A file under the shared folder, or the test is skipped. */
  static Path file(String relative) {
    Path f = shared().resolve(relative);
    assumeTrue(Files.isRegularFile(f), "shared file absent: " + f);
    return f;
  }

  /** The IP packets of a pcap file with Ethernet link type (VLAN tags skipped). */
  static List<byte[]> ipPackets(Path pcap) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap));
    int magic = b.getInt(0);
    if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
      b.order(ByteOrder.LITTLE_ENDIAN);
    } else if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
      throw new IOException("not a pcap file: " + pcap);
    }
    if (b.getInt(20) != 1) {
      throw new IOException("link type " + b.getInt(20) + " is not Ethernet: " + pcap);
    }
    List<byte[]> packets = new ArrayList<>();
    int at = 24;
    while (at + 16 <= b.limit()) {
      int captured = b.getInt(at + 8);
      int frame = at + 16;
      at = frame + captured;
      int type = ((b.get(frame + 12) & 0xff) << 8) | (b.get(frame + 13) & 0xff);
      int ip = frame + 14;
      while (type == 0x8100) {
        type = ((b.get(ip + 2) & 0xff) << 8) | (b.get(ip + 3) & 0xff);
        ip += 4;
      }
      if (type == 0x0800 || type == 0x86dd) {
        byte[] p = new byte[at - ip];
        b.get(ip, p);
        packets.add(p);
      } else {
        packets.add(null); // keeps indexes aligned with the capture's packet numbers
      }
    }
    return packets;
  }

  /** An AH SA from a setkey line: {@code add SRC DST ah 0xSPI ... -A ALGO 0xKEY;}. */
  record AhSa(int spi, String algorithm, byte[] key) {}

  private static final Pattern AH_LINE =
      Pattern.compile(
          "add\\s+\\S+\\s+\\S+\\s+ah\\s+(0x[0-9a-fA-F]+|\\d+)\\s.*-A\\s+(\\S+)\\s+0x([0-9a-fA-F]+)");

  /** The AH SAs of a setkey configuration file. */
  static List<AhSa> ahSas(Path conf) throws IOException {
    List<AhSa> sas = new ArrayList<>();
    for (String line : Files.readAllLines(conf)) {
      Matcher m = AH_LINE.matcher(line);
      if (m.find()) {
        String spi = m.group(1);
        int value =
            spi.startsWith("0x")
                ? (int) Long.parseLong(spi.substring(2), 16)
                : Integer.parseInt(spi);
        sas.add(new AhSa(value, m.group(2), HexFormat.of().parseHex(m.group(3))));
      }
    }
    return sas;
  }
}
