package org.ipsecemu.datapath.pipeline;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The capture of {@link ConstantMemoryReplayTest}: ESP packets with random SPIs nobody has, written
 * straight to a file so that making it takes no memory either.
 */
final class UnknownSpiFlood {
  private UnknownSpiFlood() {}

  /** Writes {@code count} raw-IP (LINKTYPE_RAW) IPv4 ESP packets with random unknown SPIs. */
  static void write(Path file, int count, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] packet = Peer.ipv4(50, new byte[8 + 32]);
    ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      // pcap file header: magic, version 2.4, zone, sigfigs, snaplen, LINKTYPE_RAW
      header.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4);
      header.putInt(0).putInt(0).putInt(65535).putInt(101);
      out.write(header.array());
      for (int i = 0; i < count; i++) {
        int spi;
        do {
          spi = random.nextInt();
        } while (spi >= 0 && spi < 0x1000); // never one of the Peer's SPIs
        Peer.putInt(packet, 20, spi);
        Peer.putInt(packet, 24, i + 1);
        record.clear();
        record.putInt(i / 1000).putInt((i % 1000) * 1000).putInt(packet.length);
        record.putInt(packet.length);
        out.write(record.array());
        out.write(packet);
      }
    }
  }
}
