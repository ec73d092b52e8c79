package org.ipsecemu.datapath.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ipsecemu.datapath.pcap.CaptureException;
import org.ipsecemu.datapath.pcap.Frame;
import org.ipsecemu.datapath.pcap.LinkType;
import org.ipsecemu.datapath.pcap.PcapReader;
import org.ipsecemu.datapath.pcap.PcapWriter;

/**
 * Test-only: the IP packets of a capture (through the project's pcap package), and a raw-IP pcap
 * written from packets, for the oracles to read.
 */
final class IpCaptures {
  private IpCaptures() {}

  /** The shared samples directory ({@code /work/shared}), or null when this checkout has none. */
  static Path shared() {
    String dir = System.getProperty("ipsecemu.shared");
    if (dir == null) {
      return null;
    }
    Path p = Path.of(dir);
    return Files.isDirectory(p) ? p : null;
  }

  /** Every frame's IP packet, in order, as copies; frames without one are skipped. */
  static List<byte[]> read(Path file) throws CaptureException {
    List<byte[]> packets = new ArrayList<>();
    try (PcapReader in = PcapReader.open(file)) {
      for (Frame f = in.next(); f != null; f = in.next()) {
        if (f.hasIp()) {
          byte[] p = new byte[f.ipLength()];
          System.arraycopy(f.data(), f.ipOffset(), p, 0, p.length);
          packets.add(p);
        }
      }
    }
    return packets;
  }

  /** Writes the packets as a raw-IP capture, one second apart. */
  static void write(Path file, List<byte[]> packets) throws CaptureException {
    try (PcapWriter out = PcapWriter.create(file, LinkType.LINKTYPE_RAW, false)) {
      long second = 1_700_000_000L;
      for (byte[] p : packets) {
        out.writeRaw(p, p.length, p.length, second++, 0);
      }
    }
  }
}
