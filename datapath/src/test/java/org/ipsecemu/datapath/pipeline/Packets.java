package org.ipsecemu.datapath.pipeline;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import org.ipsecemu.datapath.packet.Checksum;

/**
 * Test-only builders of raw IP packets: IPv4 (with options), IPv6 (with extension headers), and UDP
 * payloads, byte by byte as RFC 791 / RFC 8200 lay them out.
 */
final class Packets {
  static final HexFormat HEX = HexFormat.of();

  private Packets() {}

  static byte[] addr(String a) {
    try {
      return InetAddress.getByName(a).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(a, e);
    }
  }

  static byte[] hex(String h) {
    return HEX.parseHex(h.replace(" ", ""));
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** An IPv4 packet: TOS 0, DF clear, TTL 64, the given identification and options. */
  static byte[] ipv4(String src, String dst, int proto, int id, byte[] options, byte[] payload) {
    int header = 20 + options.length;
    if (header % 4 != 0) {
      throw new IllegalArgumentException("options not padded to 4 bytes");
    }
    byte[] p = new byte[header + payload.length];
    p[0] = (byte) (0x40 | header / 4);
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    p[4] = (byte) (id >> 8);
    p[5] = (byte) id;
    p[8] = 64;
    p[9] = (byte) proto;
    System.arraycopy(addr(src), 0, p, 12, 4);
    System.arraycopy(addr(dst), 0, p, 16, 4);
    System.arraycopy(options, 0, p, 20, options.length);
    int sum = Checksum.checksum(p, 0, header);
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
    System.arraycopy(payload, 0, p, header, payload.length);
    return p;
  }

  static byte[] ipv4(String src, String dst, int proto, byte[] payload) {
    return ipv4(src, dst, proto, 0x1234, new byte[0], payload);
  }

  /**
   * An IPv6 packet whose first header is {@code nextHeader}, followed by {@code headers} (already
   * chained by the caller) and the payload; hop limit 64, traffic class and flow label given.
   */
  static byte[] ipv6(
      String src, String dst, int nextHeader, int trafficClass, int flowLabel, byte[] rest) {
    byte[] p = new byte[40 + rest.length];
    int word = (6 << 28) | (trafficClass << 20) | flowLabel;
    p[0] = (byte) (word >>> 24);
    p[1] = (byte) (word >>> 16);
    p[2] = (byte) (word >>> 8);
    p[3] = (byte) word;
    p[4] = (byte) (rest.length >> 8);
    p[5] = (byte) rest.length;
    p[6] = (byte) nextHeader;
    p[7] = 64;
    System.arraycopy(addr(src), 0, p, 8, 16);
    System.arraycopy(addr(dst), 0, p, 24, 16);
    System.arraycopy(rest, 0, p, 40, rest.length);
    return p;
  }

  static byte[] ipv6(String src, String dst, int nextHeader, byte[] rest) {
    return ipv6(src, dst, nextHeader, 0, 0, rest);
  }

  /**
   * An IPv6 options header (hop-by-hop or destination options): next header, length, then the
   * options, padded with PadN to a multiple of 8 bytes.
   */
  static byte[] optionsHeader(int nextHeader, byte[] options) {
    int length = (2 + options.length + 7) / 8 * 8;
    byte[] h = new byte[length];
    h[0] = (byte) nextHeader;
    h[1] = (byte) (length / 8 - 1);
    System.arraycopy(options, 0, h, 2, options.length);
    int pad = length - 2 - options.length;
    if (pad == 1) {
      h[length - 1] = 0; // Pad1
    } else if (pad > 1) {
      h[2 + options.length] = 1; // PadN
      h[3 + options.length] = (byte) (pad - 2);
    }
    return h;
  }

  /** A type 2 routing header (RFC 6275) with one address and segments left given. */
  static byte[] routingType2(int nextHeader, String address, int segmentsLeft) {
    byte[] h = new byte[24];
    h[0] = (byte) nextHeader;
    h[1] = 2;
    h[2] = 2;
    h[3] = (byte) segmentsLeft;
    System.arraycopy(addr(address), 0, h, 8, 16);
    return h;
  }

  /** An atomic fragment header (offset 0, M clear), RFC 6946. */
  static byte[] atomicFragment(int nextHeader, int id) {
    byte[] h = new byte[8];
    h[0] = (byte) nextHeader;
    h[4] = (byte) (id >>> 24);
    h[5] = (byte) (id >>> 16);
    h[6] = (byte) (id >>> 8);
    h[7] = (byte) id;
    return h;
  }

  /** A UDP header and payload (checksum left 0, which IPv4 allows). */
  static byte[] udp(int sport, int dport, byte[] data) {
    byte[] u = new byte[8 + data.length];
    u[0] = (byte) (sport >> 8);
    u[1] = (byte) sport;
    u[2] = (byte) (dport >> 8);
    u[3] = (byte) dport;
    u[4] = (byte) (u.length >> 8);
    u[5] = (byte) u.length;
    System.arraycopy(data, 0, u, 8, data.length);
    return u;
  }

  /** {@code n} bytes 0, 1, 2, ... */
  static byte[] counting(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  static byte[] range(byte[] b, int from, int to) {
    return Arrays.copyOfRange(b, from, to);
  }
}
