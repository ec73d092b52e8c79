package org.ipsecemu.datapath.fragment;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.ipsecemu.datapath.packet.Checksum;

/**
 * Test-only builders of IP datagrams and of their fragments, byte by byte as RFC 791 §3.1 and RFC
 * 8200 §4.5 lay them out, independent of the code under test.
 */
final class Frag {
  static final String A4 = "192.0.2.1";
  static final String B4 = "192.0.2.2";
  static final String A6 = "2001:db8::1";
  static final String B6 = "2001:db8::2";

  private Frag() {}

  static byte[] addr(String a) {
    try {
      return InetAddress.getByName(a).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(a, e);
    }
  }

  /** Bytes 0, 1, 2, ... offset by {@code seed}. */
  static byte[] data(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + seed);
    }
    return b;
  }

  /** An IPv4 header of {@code 20 + options} bytes, fields as given, checksum computed. */
  static byte[] ipv4Header(
      String src, String dst, int proto, int id, int flagsOffset, byte[] options, int dataLength) {
    int h = 20 + options.length;
    byte[] p = new byte[h];
    p[0] = (byte) (0x40 | h / 4);
    p[1] = 0x28;
    p[2] = (byte) ((h + dataLength) >> 8);
    p[3] = (byte) (h + dataLength);
    p[4] = (byte) (id >> 8);
    p[5] = (byte) id;
    p[6] = (byte) (flagsOffset >> 8);
    p[7] = (byte) flagsOffset;
    p[8] = 63;
    p[9] = (byte) proto;
    System.arraycopy(addr(src), 0, p, 12, 4);
    System.arraycopy(addr(dst), 0, p, 16, 4);
    System.arraycopy(options, 0, p, 20, options.length);
    int sum = Checksum.checksum(p, 0, h);
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
    return p;
  }

  /** A whole IPv4 datagram, ESP by default protocol 50, flags 0. */
  static byte[] ipv4(int id, byte[] options, byte[] data) {
    return concat(ipv4Header(A4, B4, 50, id, 0, options, data.length), data);
  }

  /** The fragment of an IPv4 datagram (20-byte header) carrying {@code data[from, to)}. */
  static byte[] fragment4(int id, byte[] data, int from, int to, boolean more) {
    return fragment4(A4, B4, 50, id, data, from, to, more);
  }

  static byte[] fragment4(
      String src, String dst, int proto, int id, byte[] data, int from, int to, boolean more) {
    byte[] part = Arrays.copyOfRange(data, from, to);
    int flagsOffset = (more ? 0x2000 : 0) | (from / 8);
    return concat(ipv4Header(src, dst, proto, id, flagsOffset, new byte[0], part.length), part);
  }

  /** An IPv6 packet: fixed header (next header {@code nh}), then {@code rest}. */
  static byte[] ipv6(int nh, byte[] rest) {
    byte[] p = new byte[40 + rest.length];
    p[0] = 0x60;
    p[4] = (byte) (rest.length >> 8);
    p[5] = (byte) rest.length;
    p[6] = (byte) nh;
    p[7] = 64;
    System.arraycopy(addr(A6), 0, p, 8, 16);
    System.arraycopy(addr(B6), 0, p, 24, 16);
    System.arraycopy(rest, 0, p, 40, rest.length);
    return p;
  }

  /** A Hop-by-Hop or Destination Options header of 8 bytes (PadN). */
  static byte[] options8(int nh) {
    return new byte[] {(byte) nh, 0, 1, 4, 0, 0, 0, 0};
  }

  /** A Fragment header (RFC 8200 §4.5). */
  static byte[] fragmentHeader(int nh, int offset, boolean more, int id) {
    int word = offset | (more ? 1 : 0);
    return new byte[] {
      (byte) nh,
      0,
      (byte) (word >> 8),
      (byte) word,
      (byte) (id >> 24),
      (byte) (id >> 16),
      (byte) (id >> 8),
      (byte) id
    };
  }

  /** An IPv6 fragment with a Hop-by-Hop header before the Fragment header, carrying ESP data. */
  static byte[] fragment6(int id, byte[] data, int from, int to, boolean more) {
    return ipv6(
        0,
        concat(
            options8(44), fragmentHeader(50, from, more, id), Arrays.copyOfRange(data, from, to)));
  }

  /** The datagram {@link #fragment6} fragments: Hop-by-Hop header, then ESP data. */
  static byte[] whole6(byte[] data) {
    return ipv6(0, concat(options8(50), data));
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
}
