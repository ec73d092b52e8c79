package org.ipsecemu.datapath.packet;

import org.ipsecemu.sadb.spd.Flow;

/**
 * Reads a packet's flow selectors (RFC 4301 §4.4.1.1: addresses, next layer protocol, ports) into a
 * caller-owned {@link Flow}, for outbound policy lookup, without allocating.
 *
 * <p>Addresses are copied into the flow's 16-byte arrays ({@link Flow#set4}/{@link Flow#set6}): the
 * SPD compares them bytewise with {@code Arrays.equals}/prefix masks, and a byte array keeps one
 * code path for both families (an IPv4 address uses the first 4 bytes, the rest is zero).
 *
 * <p>The protocol is the first header past the IP layer, IPv6 extension headers skipped. "Ports"
 * follow Linux's xfrm selectors ({@code xfrm_flowi_sport/dport}), which is what {@code ip xfrm
 * policy} and {@code setkey spdadd} users match against:
 *
 * <ul>
 *   <li>TCP, UDP, UDP-Lite, SCTP, DCCP: source and destination ports;
 *   <li>ICMP and ICMPv6: type as the source port, code as the destination port;
 *   <li>Mobility Header (RFC 6275): MH type as the source port;
 *   <li>GRE with a key (RFC 2890): key high 16 bits as source, low 16 bits as destination;
 *   <li>anything else, and non-initial fragments (RFC 4301 §4.4.1 "OPAQUE"): 0 and 0.
 * </ul>
 *
 * <p>A first fragment still carries its ports and gets them (RFC 4301 §7.1). When the upper-layer
 * header is too short for its ports the flow is still filled, with zero ports as Linux does, and
 * {@link ParseResult#TRANSPORT_TRUNCATED} tells the caller.
 */
public final class FlowExtractor {
  private static final int ICMP = 1;
  private static final int TCP = 6;
  private static final int UDP = 17;
  private static final int DCCP = 33;
  private static final int GRE = 47;
  private static final int IPV6_ICMP = 58;
  private static final int SCTP = 132;
  private static final int MOBILITY_HEADER = 135;
  private static final int UDPLITE = 136;

  private static final int GRE_CHECKSUM_PRESENT = 0x8000;
  private static final int GRE_KEY_PRESENT = 0x2000;

  private final IpPacket packet = new IpPacket();

  /** Parses the packet in {@code buf[offset, offset + length)} and fills {@code into}. */
  public ParseResult extract(byte[] buf, int offset, int length, Flow into) {
    ParseResult r = packet.parse(buf, offset, length);
    if (!r.isOk()) {
      return r;
    }
    return extract(packet, into);
  }

  /** Fills {@code into} from an already parsed packet. */
  public static ParseResult extract(IpPacket p, Flow into) {
    int protocol = p.protocol();
    int sourcePort = 0;
    int destinationPort = 0;
    ParseResult result = ParseResult.OK;
    if (!p.isNonInitialFragment()) {
      byte[] b = p.buffer();
      int t = p.protocolOffset();
      int available = p.end() - t;
      switch (protocol) {
        case TCP:
        case UDP:
        case DCCP:
        case SCTP:
        case UDPLITE:
          if (available >= 4) {
            sourcePort = BigEndian.getU16(b, t);
            destinationPort = BigEndian.getU16(b, t + 2);
          } else {
            result = ParseResult.TRANSPORT_TRUNCATED;
          }
          break;
        case ICMP:
        case IPV6_ICMP:
          if (available >= 2) {
            sourcePort = BigEndian.getU8(b, t);
            destinationPort = BigEndian.getU8(b, t + 1);
          } else {
            result = ParseResult.TRANSPORT_TRUNCATED;
          }
          break;
        case MOBILITY_HEADER:
          if (available >= 3) {
            sourcePort = BigEndian.getU8(b, t + 2);
          } else {
            result = ParseResult.TRANSPORT_TRUNCATED;
          }
          break;
        case GRE:
          if (available < 4) {
            result = ParseResult.TRANSPORT_TRUNCATED;
            break;
          }
          int flags = BigEndian.getU16(b, t);
          if ((flags & GRE_KEY_PRESENT) != 0) {
            int keyOffset = 4 + ((flags & GRE_CHECKSUM_PRESENT) != 0 ? 4 : 0);
            if (available >= keyOffset + 4) {
              sourcePort = BigEndian.getU16(b, t + keyOffset);
              destinationPort = BigEndian.getU16(b, t + keyOffset + 2);
            } else {
              result = ParseResult.TRANSPORT_TRUNCATED;
            }
          }
          break;
        default:
          break;
      }
    }
    if (p.version() == 4) {
      into.set4(
          p.buffer(),
          p.sourceOffset(),
          p.destinationOffset(),
          protocol,
          sourcePort,
          destinationPort);
    } else {
      into.set6(
          p.buffer(),
          p.sourceOffset(),
          p.destinationOffset(),
          protocol,
          sourcePort,
          destinationPort);
    }
    return result;
  }
}
