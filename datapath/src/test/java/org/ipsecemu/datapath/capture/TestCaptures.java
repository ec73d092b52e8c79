package org.ipsecemu.datapath.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ipsecemu.datapath.pcap.CaptureException;
import org.ipsecemu.datapath.pcap.Frame;
import org.ipsecemu.datapath.pcap.PcapReader;

/**
 * Captures for the replay tests: the project's samples in {@code pcaps/}, reading a capture's IP
 * packets, and writing captures of any link type by hand (pcap and pcapng, byte by byte, so that
 * the files under test do not come from the code under test).
 */
final class TestCaptures {
  /** A timestamp: seconds and nanoseconds. */
  record Time(long seconds, int nanos) {
    static Time ofMillis(long ms) {
      return new Time(Math.floorDiv(ms, 1000), (int) Math.floorMod(ms, 1000) * 1_000_000);
    }
  }

  static final byte[] MAC_A = {2, 0, 0, 0, 0, 0x0a};
  static final byte[] MAC_B = {2, 0, 0, 0, 0, 0x0b};

  private TestCaptures() {}

  /** The repository's {@code pcaps/} folder. */
  static Path pcaps() {
    Path root = Path.of(System.getProperty("ipsecemu.root", ".."));
    Path p = root.resolve("pcaps");
    return Files.isDirectory(p) ? p : Path.of("../pcaps");
  }

  /** /work/shared (or what surefire names), or null when absent. */
  static Path shared() {
    String s = System.getProperty("ipsecemu.shared");
    if (s == null) {
      return null;
    }
    Path p = Path.of(s);
    return Files.isDirectory(p) ? p : null;
  }

  /** Copies of every frame of a capture. */
  static List<Frame> frames(Path file) throws CaptureException {
    List<Frame> out = new ArrayList<>();
    try (PcapReader in = PcapReader.open(file)) {
      for (Frame f = in.next(); f != null; f = in.next()) {
        out.add(f.copy());
      }
    }
    return out;
  }

  /** The IP packet of every frame that has one (without link-layer padding). */
  static List<byte[]> ipPackets(Path file) throws CaptureException {
    List<byte[]> out = new ArrayList<>();
    for (Frame f : frames(file)) {
      if (f.hasIp()) {
        out.add(Arrays.copyOfRange(f.data(), f.ipOffset(), f.ipOffset() + f.ipLength()));
      }
    }
    return out;
  }

  /** The capture times of every frame, in milliseconds. */
  static List<Long> millis(Path file) throws CaptureException {
    List<Long> out = new ArrayList<>();
    for (Frame f : frames(file)) {
      out.add(f.epochSecond() * 1000 + f.nanos() / 1_000_000);
    }
    return out;
  }

  /** An Ethernet frame around an IP packet, A to B. */
  static byte[] ethernet(byte[] ip) {
    return frame(1, ip);
  }

  /**
   * A frame of the link type around an IP packet: Ethernet (1; also "8021q" as -1), Linux cooked v1
   * (113) and v2 (276), BSD NULL (0, little-endian family) and LOOP (108), raw IP (12, 101).
   */
  static byte[] frame(int linkType, byte[] ip) {
    boolean v6 = ip.length > 0 && (ip[0] & 0xf0) == 0x60;
    int etherType = v6 ? 0x86dd : 0x0800;
    ByteBuffer b = ByteBuffer.allocate(ip.length + 24).order(ByteOrder.BIG_ENDIAN);
    switch (linkType) {
      case 1 -> b.put(MAC_B).put(MAC_A).putShort((short) etherType);
      case -1 ->
          b.put(MAC_B)
              .put(MAC_A)
              .putShort((short) 0x8100)
              .putShort((short) 42)
              .putShort((short) etherType);
      case 113 ->
          b.putShort((short) 0) // to us
              .putShort((short) 1) // ARPHRD_ETHER
              .putShort((short) 6)
              .put(MAC_A)
              .put(new byte[2])
              .putShort((short) etherType);
      case 276 ->
          b.putShort((short) etherType)
              .putShort((short) 0)
              .putInt(3) // interface index
              .putShort((short) 1)
              .put((byte) 0)
              .put((byte) 6)
              .put(MAC_A)
              .put(new byte[2]);
      case 0 -> b.order(ByteOrder.LITTLE_ENDIAN).putInt(v6 ? 24 : 2).order(ByteOrder.BIG_ENDIAN);
      case 108 -> b.putInt(v6 ? 24 : 2);
      case 12, 101 -> {}
      default -> throw new IllegalArgumentException("link type " + linkType);
    }
    b.put(ip);
    return Arrays.copyOf(b.array(), b.position());
  }

  /** Writes a microsecond pcap file (little-endian, as x86 libpcap writes) byte by byte. */
  static void writePcap(Path file, int linkType, List<byte[]> frames, List<Time> times)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    h.putInt(262144).putInt(linkType);
    out.write(h.array());
    for (int i = 0; i < frames.size(); i++) {
      byte[] f = frames.get(i);
      Time t = times.get(i);
      ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      r.putInt((int) t.seconds()).putInt(t.nanos() / 1000).putInt(f.length).putInt(f.length);
      out.write(r.array());
      out.write(f);
    }
    Files.write(file, out.toByteArray());
  }

  /**
   * Writes a pcapng file byte by byte: a Section Header Block, one Interface Description Block
   * (nanosecond timestamps, if_tsresol 9) and one Enhanced Packet Block per frame.
   */
  static void writePcapng(Path file, int linkType, List<byte[]> frames, List<Time> times)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(block(0x0A0D0D0A, le(0x1A2B3C4D, 1, 0, -1, -1)));
    // IDB: link type (2), reserved (2), snaplen (4), option if_tsresol=9, opt_endofopt.
    ByteBuffer idb = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    idb.putShort((short) linkType).putShort((short) 0).putInt(262144);
    idb.putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]);
    idb.putShort((short) 0).putShort((short) 0);
    out.write(block(1, idb.array()));
    for (int i = 0; i < frames.size(); i++) {
      byte[] f = frames.get(i);
      Time t = times.get(i);
      long ts = t.seconds() * 1_000_000_000L + t.nanos();
      int padded = (f.length + 3) & ~3;
      ByteBuffer epb = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
      epb.putInt(0).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(f.length).putInt(f.length);
      epb.put(f);
      out.write(block(6, epb.array()));
    }
    Files.write(file, out.toByteArray());
  }

  private static byte[] le(int magic, int major, int minor, int lenLow, int lenHigh) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(magic).putShort((short) major).putShort((short) minor).putInt(lenLow).putInt(lenHigh);
    return b.array();
  }

  private static byte[] block(int type, byte[] body) {
    int total = 12 + body.length;
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(type).putInt(total).put(body).putInt(total);
    return b.array();
  }

  /** Times spaced {@code stepMillis} apart from {@code startMillis}. */
  static List<Time> times(int n, long startMillis, long stepMillis) {
    List<Time> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Time.ofMillis(startMillis + i * stepMillis));
    }
    return out;
  }
}
