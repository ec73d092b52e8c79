package org.ipsecemu.sadb.spd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The selectors of one packet's flow (RFC 4301 §4.4.1.1: addresses, upper-layer protocol, ports),
 * as the datapath hands them to policy lookup and {@code getassocbysocket}.
 *
 * <p>Mutable on purpose: the outbound hot path fills one instance per thread from each packet
 * ({@link #set4}, {@link #set6}) and looks it up without allocating; whoever keeps a flow (a
 * pending ACQUIRE, an SA bound to a socket) keeps a {@link #copy()}. Addresses are held as 16
 * bytes; an IPv4 address uses the first 4.
 */
public final class Flow {
  /** Address family as in the IP version field: 4 or 6. */
  private int family;

  private final byte[] src = new byte[16];
  private final byte[] dst = new byte[16];
  private int protocol;
  private int sourcePort;
  private int destinationPort;

  /** Fills this flow with IPv4 selectors read from {@code buf} at the given offsets. */
  public Flow set4(
      byte[] buf, int srcOffset, int dstOffset, int protocol, int sourcePort, int destinationPort) {
    this.family = 4;
    System.arraycopy(buf, srcOffset, src, 0, 4);
    System.arraycopy(buf, dstOffset, dst, 0, 4);
    Arrays.fill(src, 4, 16, (byte) 0);
    Arrays.fill(dst, 4, 16, (byte) 0);
    return ports(protocol, sourcePort, destinationPort);
  }

  /** Fills this flow with IPv6 selectors read from {@code buf} at the given offsets. */
  public Flow set6(
      byte[] buf, int srcOffset, int dstOffset, int protocol, int sourcePort, int destinationPort) {
    this.family = 6;
    System.arraycopy(buf, srcOffset, src, 0, 16);
    System.arraycopy(buf, dstOffset, dst, 0, 16);
    return ports(protocol, sourcePort, destinationPort);
  }

  /** Fills this flow from address objects (control plane and tests; allocates). */
  public static Flow of(
      InetAddress source, InetAddress destination, int protocol, int sourcePort, int dport) {
    byte[] s = source.getAddress();
    byte[] d = destination.getAddress();
    if (s.length != d.length) {
      throw new IllegalArgumentException("source and destination of different families");
    }
    Flow f = new Flow();
    return s.length == 4
        ? f.set4(s, 0, 0, protocol, sourcePort, dport).dst(d)
        : f.set6(s, 0, 0, protocol, sourcePort, dport).dst(d);
  }

  private Flow dst(byte[] d) {
    System.arraycopy(d, 0, dst, 0, d.length);
    return this;
  }

  private Flow ports(int protocol, int sourcePort, int destinationPort) {
    this.protocol = protocol;
    this.sourcePort = sourcePort;
    this.destinationPort = destinationPort;
    return this;
  }

  public int family() {
    return family;
  }

  /** Address length in bytes: 4 or 16. */
  public int addressLength() {
    return family == 4 ? 4 : 16;
  }

  /** The source address bytes; only the first {@link #addressLength()} are meaningful. */
  public byte[] sourceBytes() {
    return src;
  }

  /** The destination address bytes; only the first {@link #addressLength()} are meaningful. */
  public byte[] destinationBytes() {
    return dst;
  }

  /** IP protocol number of the upper layer (6 TCP, 17 UDP, 1 ICMP, ...). */
  public int protocol() {
    return protocol;
  }

  /** Source port, or 0 when the protocol has none (ICMP type/code go here as Linux does). */
  public int sourcePort() {
    return sourcePort;
  }

  public int destinationPort() {
    return destinationPort;
  }

  public InetAddress source() {
    return address(src);
  }

  public InetAddress destination() {
    return address(dst);
  }

  private InetAddress address(byte[] a) {
    try {
      return InetAddress.getByAddress(Arrays.copyOf(a, addressLength()));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("flow without a family", e);
    }
  }

  /** An independent copy, for keeping beyond the current packet. */
  public Flow copy() {
    Flow f = new Flow();
    f.family = family;
    System.arraycopy(src, 0, f.src, 0, 16);
    System.arraycopy(dst, 0, f.dst, 0, 16);
    return f.ports(protocol, sourcePort, destinationPort);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Flow f
        && family == f.family
        && protocol == f.protocol
        && sourcePort == f.sourcePort
        && destinationPort == f.destinationPort
        && Arrays.equals(src, f.src)
        && Arrays.equals(dst, f.dst);
  }

  @Override
  public int hashCode() {
    int h = family;
    h = 31 * h + Arrays.hashCode(src);
    h = 31 * h + Arrays.hashCode(dst);
    h = 31 * h + protocol;
    h = 31 * h + sourcePort;
    return 31 * h + destinationPort;
  }

  @Override
  public String toString() {
    String s = source().getHostAddress();
    String d = destination().getHostAddress();
    return (family == 6 ? "[" + s + "]" : s)
        + "["
        + sourcePort
        + "] "
        + (family == 6 ? "[" + d + "]" : d)
        + "["
        + destinationPort
        + "] proto="
        + protocol;
  }
}
