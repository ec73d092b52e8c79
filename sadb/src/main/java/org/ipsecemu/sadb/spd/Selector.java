package org.ipsecemu.sadb.spd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The traffic a policy selects (RFC 4301 §4.4.1.1): source and destination prefixes of one family,
 * an upper-layer protocol ({@link #ANY_PROTOCOL} for any, as {@code IPSEC_ULPROTO_ANY}) and source
 * and destination ports (0 for any). Immutable; {@link #matches(Flow)} is allocation-free.
 *
 * <p>Address bits beyond the prefix length are cleared on construction, so {@code 10.1.2.3/8} and
 * {@code 10.0.0.0/8} are the same selector, as setkey and Linux treat them.
 */
public final class Selector {
  /** The upper-layer protocol value meaning "any" ({@code IPSEC_ULPROTO_ANY}). */
  public static final int ANY_PROTOCOL = 255;

  private final int family;
  private final byte[] source;
  private final int sourcePrefix;
  private final byte[] destination;
  private final int destinationPrefix;
  private final int protocol;
  private final int sourcePort;
  private final int destinationPort;

  /**
   * A selector; both addresses must be of one family, prefixes within the address size, ports
   * 0..65535, protocol 0..255.
   */
  public Selector(
      InetAddress source,
      int sourcePrefix,
      InetAddress destination,
      int destinationPrefix,
      int protocol,
      int sourcePort,
      int destinationPort) {
    byte[] s = source.getAddress();
    byte[] d = destination.getAddress();
    if (s.length != d.length) {
      throw new IllegalArgumentException(
          "selector families differ src=" + source + " dst=" + destination);
    }
    int bits = s.length * 8;
    if (sourcePrefix < 0
        || sourcePrefix > bits
        || destinationPrefix < 0
        || destinationPrefix > bits) {
      throw new IllegalArgumentException(
          "prefix length src=" + sourcePrefix + " dst=" + destinationPrefix + " max=" + bits);
    }
    if (protocol < 0 || protocol > 255) {
      throw new IllegalArgumentException("protocol=" + protocol);
    }
    if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
      throw new IllegalArgumentException("port src=" + sourcePort + " dst=" + destinationPort);
    }
    this.family = s.length == 4 ? 4 : 6;
    this.source = mask(s, sourcePrefix);
    this.sourcePrefix = sourcePrefix;
    this.destination = mask(d, destinationPrefix);
    this.destinationPrefix = destinationPrefix;
    this.protocol = protocol;
    this.sourcePort = sourcePort;
    this.destinationPort = destinationPort;
  }

  /** The selector of exactly this flow (full-length prefixes, its protocol and ports). */
  public static Selector of(Flow f) {
    int bits = f.addressLength() * 8;
    return new Selector(
        f.source(), bits, f.destination(), bits, f.protocol(), f.sourcePort(), f.destinationPort());
  }

  private static byte[] mask(byte[] a, int prefix) {
    byte[] m = a.clone();
    for (int i = 0; i < m.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      m[i] &= (byte) (0xFF00 >>> keep);
    }
    return m;
  }

  /** Whether the flow falls under this selector. Allocation-free. */
  public boolean matches(Flow f) {
    if (f.family() != family) {
      return false;
    }
    if (protocol != ANY_PROTOCOL && protocol != f.protocol()) {
      return false;
    }
    if (sourcePort != 0 && sourcePort != f.sourcePort()) {
      return false;
    }
    if (destinationPort != 0 && destinationPort != f.destinationPort()) {
      return false;
    }
    return prefixMatches(source, sourcePrefix, f.sourceBytes())
        && prefixMatches(destination, destinationPrefix, f.destinationBytes());
  }

  /** Whether {@code addr} (at least as long as {@code net}) lies in {@code net/prefix}. */
  static boolean prefixMatches(byte[] net, int prefix, byte[] addr) {
    int full = prefix >>> 3;
    for (int i = 0; i < full; i++) {
      if (net[i] != addr[i]) {
        return false;
      }
    }
    int rest = prefix & 7;
    if (rest == 0) {
      return true;
    }
    int m = 0xFF00 >>> rest;
    return ((net[full] ^ addr[full]) & m) == 0;
  }

  public int family() {
    return family;
  }

  public InetAddress source() {
    return address(source);
  }

  public int sourcePrefix() {
    return sourcePrefix;
  }

  public InetAddress destination() {
    return address(destination);
  }

  public int destinationPrefix() {
    return destinationPrefix;
  }

  /** Upper-layer protocol, {@link #ANY_PROTOCOL} for any. */
  public int protocol() {
    return protocol;
  }

  /** Source port, 0 for any. */
  public int sourcePort() {
    return sourcePort;
  }

  /** Destination port, 0 for any. */
  public int destinationPort() {
    return destinationPort;
  }

  private static InetAddress address(byte[] a) {
    try {
      return InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Selector s
        && family == s.family
        && sourcePrefix == s.sourcePrefix
        && destinationPrefix == s.destinationPrefix
        && protocol == s.protocol
        && sourcePort == s.sourcePort
        && destinationPort == s.destinationPort
        && Arrays.equals(source, s.source)
        && Arrays.equals(destination, s.destination);
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(source) * 31 + Arrays.hashCode(destination);
    h = h * 31 + (sourcePrefix << 8 | destinationPrefix);
    return (h * 31 + protocol) * 31 + (sourcePort << 16 ^ destinationPort);
  }

  /** setkey's notation: {@code 10.0.0.0/8[any] 192.0.2.1/32[80] tcp}. */
  @Override
  public String toString() {
    return side(source(), sourcePrefix, sourcePort)
        + " "
        + side(destination(), destinationPrefix, destinationPort)
        + " "
        + (protocol == ANY_PROTOCOL ? "any" : Integer.toString(protocol));
  }

  private static String side(InetAddress a, int prefix, int port) {
    return a.getHostAddress() + "/" + prefix + "[" + (port == 0 ? "any" : port) + "]";
  }
}
