package org.ipsecemu.datapath.pipeline;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.pcap.Frame;
import org.ipsecemu.datapath.pcap.PcapReader;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;

/**
 * The constant-memory replay of {@link ConstantMemoryReplayTest}: writes a capture of ESP packets
 * with random SPIs nobody has, and (as {@code main}, in a JVM with a small heap) replays it through
 * the pcap reader and the inbound datapath with the {@link Peer}'s SAs installed, printing the
 * verdict counts and the heap in use after a full collection. Until the {@code replay} command
 * exists this is the replay loop; then the test runs the command instead.
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

  /** Replays the capture given as the only argument; prints {@code label=count} and the heap. */
  public static void main(String[] args) throws Exception {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).seed(1).build();
    Peer.install(engine);
    Datapath datapath =
        Datapath.builder(engine).transforms(TransformFactory.deterministic(1)).build();
    PacketContext ctx = datapath.newContext();
    long frames = 0;
    try (PcapReader in = PcapReader.open(Path.of(args[0]))) {
      Frame f = new Frame();
      while (in.next(f)) {
        frames++;
        datapath.inbound(f.data(), f.ipOffset(), f.ipLength(), ctx);
      }
    }
    StringBuilder out = new StringBuilder("frames=" + frames);
    for (Verdict v : Verdict.values()) {
      out.append(' ').append(v.label()).append('=').append(datapath.count(v));
    }
    System.gc();
    Runtime rt = Runtime.getRuntime();
    out.append(" heapUsed=").append(rt.totalMemory() - rt.freeMemory());
    System.out.println(out);
  }
}
