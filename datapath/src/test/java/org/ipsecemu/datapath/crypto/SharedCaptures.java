package org.ipsecemu.datapath.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only readers for the third-party samples in {@code /work/shared} (system property {@code
 * ipsecemu.shared}): IPv4 packets out of pcap and pcapng files, and SAs out of ipsec-tools {@code
 * setkey} files ({@code add ...;} lines and {@code setkey -D} dumps). Just enough for crypto
 * interop checks; the datapath's own pcap and SA-file code lives elsewhere.
 */
final class SharedCaptures {
  private SharedCaptures() {}

  /** An SA as a setkey file gives it: protocol, SPI and the algorithm names and keys. */
  record Sa(
      String proto, long spi, String encName, byte[] encKey, String authName, byte[] authKey) {}

  /** The shared directory, or null when this checkout has none. */
  static Path sharedDir() {
    String dir = System.getProperty("ipsecemu.shared");
    if (dir == null) {
      return null;
    }
    Path p = Path.of(dir);
    return Files.isDirectory(p) ? p : null;
  }

  // ---- pcap / pcapng ----

  /** The IPv4 packets (from the IP header on) of a capture, in order; null for non-IPv4 frames. */
  static List<byte[]> ipv4Packets(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
    int magic = b.getInt(0);
    List<byte[]> out = new ArrayList<>();
    if (magic == 0x0A0D0D0A) {
      readPcapng(b, out);
    } else {
      readPcap(b, out);
    }
    return out;
  }

  private static void readPcap(ByteBuffer b, List<byte[]> out) {
    int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
    if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
      b.order(ByteOrder.LITTLE_ENDIAN);
    }
    int linkType = b.getInt(20);
    int pos = 24;
    while (pos + 16 <= b.limit()) {
      int capLen = b.getInt(pos + 8);
      out.add(ipv4(b, pos + 16, capLen, linkType));
      pos += 16 + capLen;
    }
  }

  private static void readPcapng(ByteBuffer b, List<byte[]> out) {
    b.order(
        b.order(ByteOrder.LITTLE_ENDIAN).getInt(8) == 0x1A2B3C4D
            ? ByteOrder.LITTLE_ENDIAN
            : ByteOrder.BIG_ENDIAN);
    List<Integer> linkTypes = new ArrayList<>();
    int pos = 0;
    while (pos + 12 <= b.limit()) {
      int type = b.getInt(pos);
      int length = b.getInt(pos + 4);
      if (type == 1) { // Interface Description Block
        linkTypes.add(b.getShort(pos + 8) & 0xffff);
      } else if (type == 6) { // Enhanced Packet Block
        int iface = b.getInt(pos + 8);
        int capLen = b.getInt(pos + 20);
        out.add(ipv4(b, pos + 28, capLen, linkTypes.get(iface)));
      }
      pos += length;
    }
  }

  private static byte[] ipv4(ByteBuffer b, int frame, int capLen, int linkType) {
    int ip;
    int etherType;
    if (linkType == 1) { // Ethernet
      etherType = u16(b, frame + 12);
      ip = frame + 14;
    } else if (linkType == 113) { // Linux cooked capture
      etherType = u16(b, frame + 14);
      ip = frame + 16;
    } else if (linkType == 101 || linkType == 12) { // raw IP
      etherType = 0x0800;
      ip = frame;
    } else {
      return null;
    }
    if (etherType != 0x0800) {
      return null;
    }
    byte[] packet = new byte[capLen - (ip - frame)];
    b.get(ip, packet);
    return (packet[0] >> 4) == 4 ? packet : null;
  }

  private static int u16(ByteBuffer b, int at) {
    return ((b.get(at) & 0xff) << 8) | (b.get(at + 1) & 0xff);
  }

  // ---- setkey ----

  private static final Pattern ADD =
      Pattern.compile("add\\s+\\S+\\s+\\S+\\s+(esp|ah)\\s+(0x[0-9a-fA-F]+|\\d+)([^;]*);");
  private static final Pattern E = Pattern.compile("-E\\s+(\\S+)(?:\\s+0x([0-9a-fA-F]+))?");
  private static final Pattern A = Pattern.compile("-A\\s+(\\S+)\\s+0x([0-9a-fA-F]+)");

  /** SAs from {@code add} lines ({@code setkey -f} syntax), by SPI. */
  static Map<Long, Sa> setkeyAdds(Path file) throws IOException {
    Map<Long, Sa> sas = new LinkedHashMap<>();
    Matcher m = ADD.matcher(Files.readString(file));
    while (m.find()) {
      long spi = Long.decode(m.group(2));
      String rest = m.group(3);
      Matcher e = E.matcher(rest);
      Matcher a = A.matcher(rest);
      boolean hasE = e.find();
      boolean hasA = a.find();
      sas.put(
          spi,
          new Sa(
              m.group(1),
              spi,
              hasE ? e.group(1) : null,
              hasE && e.group(2) != null ? HexFormat.of().parseHex(e.group(2)) : new byte[0],
              hasA ? a.group(1) : null,
              hasA ? HexFormat.of().parseHex(a.group(2)) : null));
    }
    return sas;
  }

  private static final Pattern DUMP_SA = Pattern.compile("(esp|ah) mode=\\S+ spi=(\\d+)");
  private static final Pattern DUMP_KEY =
      Pattern.compile("^\\s*([EA]): (\\S+)((?:\\s+[0-9a-f]{8})*)\\s*$");

  /** SAs from a {@code setkey -D} dump, by SPI. */
  static Map<Long, Sa> setkeyDump(Path file) throws IOException {
    Map<Long, Sa> sas = new LinkedHashMap<>();
    String proto = null;
    long spi = -1;
    String enc = null;
    byte[] encKey = new byte[0];
    String auth = null;
    byte[] authKey = null;
    for (String line : Files.readAllLines(file)) {
      Matcher s = DUMP_SA.matcher(line);
      Matcher k = DUMP_KEY.matcher(line);
      if (s.find()) {
        if (proto != null) {
          sas.put(spi, new Sa(proto, spi, enc, encKey, auth, authKey));
        }
        proto = s.group(1);
        spi = Long.parseLong(s.group(2));
        enc = null;
        encKey = new byte[0];
        auth = null;
        authKey = null;
      } else if (k.matches()) {
        byte[] key = HexFormat.of().parseHex(k.group(3).replaceAll("\\s", ""));
        if (k.group(1).equals("E")) {
          enc = k.group(2);
          encKey = key;
        } else {
          auth = k.group(2);
          authKey = key;
        }
      }
    }
    if (proto != null) {
      sas.put(spi, new Sa(proto, spi, enc, encKey, auth, authKey));
    }
    return sas;
  }
}
