package org.ipsecemu.datapath.packet;

import java.net.InetAddress;

/**
 * Writes the outer IPv4 or IPv6 header of a tunnel-mode packet (RFC 4301 §5.1.2), taking from the
 * inner packet what Linux's xfrm takes ({@code xfrm4_tunnel_encap_add}, {@code
 * xfrm6_tunnel_encap_add}):
 *
 * <ul>
 *   <li>DSCP: copied from the inner header, unless {@link #copyDscp(boolean) copyDscp(false)}
 *       (Linux {@code XFRM_SA_XFLAG_DONT_ENCAP_DSCP}) writes 0;
 *   <li>ECN: the inner value, CE turned into ECT(0) (RFC 6040 §4.1; {@link Ecn#encapsulate}), or 0
 *       with {@link #ecn(boolean) ecn(false)} (Linux {@code XFRM_STATE_NOECN});
 *   <li>DF (IPv4 outer): copied from an IPv4 inner header, always set for an IPv6 inner packet
 *       (which routers may not fragment), never set with {@link #pathMtuDiscovery(boolean)
 *       pathMtuDiscovery(false)} (Linux {@code XFRM_STATE_NOPMTUDISC});
 *   <li>flow label (IPv6 outer): copied from an IPv6 inner header, 0 for an IPv4 inner one;
 *   <li>TTL / hop limit: a new value, {@link #DEFAULT_HOP_LIMIT} 64 as Linux's default route hop
 *       limit, not the inner one (RFC 4301 §5.1.2.1 "constructed"); {@link #hopLimit(int)
 *       hopLimit(COPY_INNER_HOP_LIMIT)} copies the inner TTL / hop limit instead.
 * </ul>
 *
 * <p>Configured once per SA, then {@link #write} per packet without allocating. The IPv4
 * identification is the caller's (Linux draws it per destination).
 */
public final class OuterHeaderWriter {
  /** Linux's default {@code net.ipv4.ip_default_ttl} and IPv6 {@code hop_limit}. */
  public static final int DEFAULT_HOP_LIMIT = 64;

  /** Pass to {@link #hopLimit(int)} to copy the inner packet's TTL or hop limit. */
  public static final int COPY_INNER_HOP_LIMIT = -1;

  private final int version;
  private final byte[] source = new byte[16];
  private final byte[] destination = new byte[16];
  private int hopLimit = DEFAULT_HOP_LIMIT;
  private boolean copyDscp = true;
  private boolean ecn = true;
  private boolean pathMtuDiscovery = true;

  private OuterHeaderWriter(int version) {
    this.version = version;
  }

  /** An IPv4 outer header between two big-endian {@code int} addresses. */
  public static OuterHeaderWriter ipv4(int source, int destination) {
    OuterHeaderWriter w = new OuterHeaderWriter(4);
    BigEndian.putInt(w.source, 0, source);
    BigEndian.putInt(w.destination, 0, destination);
    return w;
  }

  /** An IPv6 outer header; copies 16 bytes of each address. */
  public static OuterHeaderWriter ipv6(
      byte[] source, int sourceOffset, byte[] dest, int destOffset) {
    OuterHeaderWriter w = new OuterHeaderWriter(6);
    System.arraycopy(source, sourceOffset, w.source, 0, 16);
    System.arraycopy(dest, destOffset, w.destination, 0, 16);
    return w;
  }

  /** An outer header between two addresses of the same family. */
  public static OuterHeaderWriter of(InetAddress source, InetAddress destination) {
    byte[] s = source.getAddress();
    byte[] d = destination.getAddress();
    if (s.length != d.length) {
      throw new IllegalArgumentException(
          "tunnel endpoints of different families: source="
              + source
              + " destination="
              + destination);
    }
    return s.length == 4 ? ipv4(BigEndian.getInt(s, 0), BigEndian.getInt(d, 0)) : ipv6(s, 0, d, 0);
  }

  /** TTL / hop limit of the outer header (0..255), or {@link #COPY_INNER_HOP_LIMIT}. */
  public OuterHeaderWriter hopLimit(int hopLimit) {
    if (hopLimit != COPY_INNER_HOP_LIMIT && (hopLimit < 0 || hopLimit > 255)) {
      throw new IllegalArgumentException("hop limit out of range: hopLimit=" + hopLimit);
    }
    this.hopLimit = hopLimit;
    return this;
  }

  /** Whether the inner DSCP is copied out (default true). */
  public OuterHeaderWriter copyDscp(boolean copyDscp) {
    this.copyDscp = copyDscp;
    return this;
  }

  /** Whether ECN is carried out (default true). */
  public OuterHeaderWriter ecn(boolean ecn) {
    this.ecn = ecn;
    return this;
  }

  /** Whether DF follows the inner packet (default true) or is always clear. */
  public OuterHeaderWriter pathMtuDiscovery(boolean pathMtuDiscovery) {
    this.pathMtuDiscovery = pathMtuDiscovery;
    return this;
  }

  /** 4 or 6. */
  public int version() {
    return version;
  }

  /** Bytes {@link #write} writes: 20 or 40. */
  public int headerLength() {
    return version == 4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH;
  }

  /**
   * Writes the outer header at {@code buf[offset]}, followed (not written here) by {@code
   * payloadLength} bytes that start with a header of type {@code nextHeader} (ESP 50 or AH 51). The
   * inner packet, read for its DSCP, ECN, DF, flow label and hop limit, starts at {@code
   * inner[innerOffset]} and may lie in the same buffer. Returns the header length, or -1 when the
   * packet would exceed the 16-bit length field (nothing is written then).
   */
  public int write(
      byte[] buf,
      int offset,
      int nextHeader,
      int payloadLength,
      int identification,
      byte[] inner,
      int innerOffset) {
    int innerVersion = (inner[innerOffset] >> 4) & 0xf;
    int innerClass = 0;
    int innerFlowLabel = 0;
    int innerHopLimit = DEFAULT_HOP_LIMIT;
    boolean innerDontFragment = false;
    if (innerVersion == 4) {
      innerClass = inner[innerOffset + Ipv4Header.TOS_OFFSET] & 0xff;
      innerHopLimit = inner[innerOffset + Ipv4Header.TTL_OFFSET] & 0xff;
      innerDontFragment =
          (BigEndian.getU16(inner, innerOffset + Ipv4Header.FLAGS_FRAGMENT_OFFSET)
                  & Ipv4Header.FLAG_DF)
              != 0;
    } else if (innerVersion == 6) {
      int word = BigEndian.getInt(inner, innerOffset);
      innerClass = (word >>> 20) & 0xff;
      innerFlowLabel = word & 0xfffff;
      innerHopLimit = inner[innerOffset + Ipv6Header.HOP_LIMIT_OFFSET] & 0xff;
      innerDontFragment = true; // IPv6 packets are never fragmented en route (RFC 8200 §5)
    }
    int dsfield = (copyDscp ? innerClass & 0xfc : 0) | (ecn ? Ecn.encapsulate(innerClass & 3) : 0);
    int ttl = hopLimit == COPY_INNER_HOP_LIMIT ? innerHopLimit : hopLimit;
    if (version == 4) {
      int total = Ipv4Header.MIN_LENGTH + payloadLength;
      if (payloadLength < 0 || total > 0xffff) {
        return -1;
      }
      buf[offset] = 0x45;
      buf[offset + Ipv4Header.TOS_OFFSET] = (byte) dsfield;
      BigEndian.putU16(buf, offset + Ipv4Header.TOTAL_LENGTH_OFFSET, total);
      BigEndian.putU16(buf, offset + Ipv4Header.IDENTIFICATION_OFFSET, identification);
      BigEndian.putU16(
          buf,
          offset + Ipv4Header.FLAGS_FRAGMENT_OFFSET,
          pathMtuDiscovery && innerDontFragment ? Ipv4Header.FLAG_DF : 0);
      buf[offset + Ipv4Header.TTL_OFFSET] = (byte) ttl;
      buf[offset + Ipv4Header.PROTOCOL_OFFSET] = (byte) nextHeader;
      BigEndian.putU16(buf, offset + Ipv4Header.CHECKSUM_OFFSET, 0);
      System.arraycopy(source, 0, buf, offset + Ipv4Header.SOURCE_OFFSET, 4);
      System.arraycopy(destination, 0, buf, offset + Ipv4Header.DESTINATION_OFFSET, 4);
      BigEndian.putU16(
          buf,
          offset + Ipv4Header.CHECKSUM_OFFSET,
          Checksum.checksum(buf, offset, Ipv4Header.MIN_LENGTH));
      return Ipv4Header.MIN_LENGTH;
    }
    if (payloadLength < 0 || payloadLength > 0xffff) {
      return -1;
    }
    BigEndian.putInt(buf, offset, (6 << 28) | (dsfield << 20) | innerFlowLabel);
    BigEndian.putU16(buf, offset + Ipv6Header.PAYLOAD_LENGTH_OFFSET, payloadLength);
    buf[offset + Ipv6Header.NEXT_HEADER_OFFSET] = (byte) nextHeader;
    buf[offset + Ipv6Header.HOP_LIMIT_OFFSET] = (byte) ttl;
    System.arraycopy(source, 0, buf, offset + Ipv6Header.SOURCE_OFFSET, 16);
    System.arraycopy(destination, 0, buf, offset + Ipv6Header.DESTINATION_OFFSET, 16);
    return Ipv6Header.LENGTH;
  }
}
