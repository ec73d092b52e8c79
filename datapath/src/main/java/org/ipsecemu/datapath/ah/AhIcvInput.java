package org.ipsecemu.datapath.ah;

import java.util.Arrays;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.ByteSink;
import org.ipsecemu.datapath.packet.Ipv4Header;
import org.ipsecemu.datapath.packet.Ipv6ExtensionWalker;
import org.ipsecemu.datapath.packet.Ipv6Header;
import org.ipsecemu.datapath.packet.ParseResult;

/**
 * Feeds a MAC the AH ICV input of a packet (RFC 4302 §3.3.3): the whole IP datagram with the fields
 * that may change in transit zeroed or set to their value at the final destination, and the ICV
 * field zeroed, without modifying the caller's packet.
 *
 * <p>The IP header and any extension headers before AH are copied into a scratch buffer owned by
 * this object and adjusted there; the AH header, the zeroed ICV and the payload are then fed
 * straight from the packet. One instance per SA and direction (or per thread): the scratch buffer
 * grows to the longest header chain seen and is then reused, so steady state allocates nothing. Not
 * thread-safe.
 *
 * <p>IPv4 (§3.3.3.1.1): TOS (DSCP and ECN), flags and fragment offset, TTL and header checksum are
 * zeroed. Options are classified by {@link #isImmutableIpv4Option} per Appendix A.1; a mutable
 * option is zeroed in full, type and length included (§3.3.3.1.1.2). With Loose or Strict Source
 * Route the destination address is "mutable but predictable": the ICV uses the final destination,
 * which is the last address of the route data while the route is not used up (pointer not past the
 * length, RFC 791), and the destination field itself once it is. (Linux always takes the last route
 * address, which is right at the sender but not at the final receiver.) Bytes after an End of
 * Option List are padding and are included as they are (Appendix A.1 asks senders to make them
 * EOLs).
 *
 * <p>IPv6 (§3.3.3.1.2): traffic class, flow label and hop limit are zeroed. In Hop-by-Hop and
 * Destination Options headers the data of every option whose type has the "may change" bit 0x20 set
 * is zeroed, its type and length kept (§3.3.3.1.2.2). A Routing header of type 0 (RFC 2460) or 2
 * (RFC 6275) with segments left is rearranged as it will arrive (Appendix A.2: "mutable but
 * predictable"): segments left 0, the final address in the destination field and the current
 * destination in the address list. A routing header of another type with segments left is {@link
 * ParseResult#IPV6_ROUTING_UNPREDICTABLE}. An atomic Fragment header (offset 0, M clear) left by
 * reassembly is skipped as Appendix A.2 requires, the previous Next Header naming what followed it
 * and the payload length reduced by its 8 bytes; a real fragment is {@link
 * ParseResult#FRAGMENT_NOT_REASSEMBLED}.
 *
 * <p>The ICV field is zeroed for the {@code icvLength} bytes of the ICV itself; padding after it in
 * the field is covered as sent (§2.6: padding bytes "are included in the ICV computation"), as
 * Linux does. With extended sequence numbers call {@link #feedSequenceHigh} after {@link #feed}:
 * the high 32 bits are covered (§2.5.1) and, as in Linux and scapy, appended after the packet.
 */
public final class AhIcvInput {
  private static final int AH = 51;
  private static final int IPV4_OPTION_LSR = 131;
  private static final int IPV4_OPTION_SSR = 137;
  private static final int IPV6_OPTION_PAD1 = 0;
  private static final int IPV6_OPTION_MAY_CHANGE = 0x20;

  private static final byte[] ZEROS = new byte[64];

  private final Ipv4Header ipv4 = new Ipv4Header();
  private final Ipv6Header ipv6 = new Ipv6Header();
  private final byte[] finalDestination = new byte[16];
  private final byte[] sequenceHigh = new byte[4];
  private byte[] scratch = new byte[256];
  private int scratchLength;

  /**
   * Feeds {@code mac} the ICV input of the IP datagram in {@code buf[ipOffset, ipOffset +
   * ipLength)} whose AH header starts at {@code ahOffset} (absolute) and carries an ICV of {@code
   * icvLength} bytes. Everything is checked before the first byte is fed: on a defect nothing
   * reaches {@code mac} and the defect is returned. Usable for verification (inbound) and
   * computation (outbound, with a zeroed ICV field) alike.
   */
  public ParseResult feed(
      byte[] buf, int ipOffset, int ipLength, int ahOffset, int icvLength, ByteSink mac) {
    if (buf == null
        || ipOffset < 0
        || ipLength < 1
        || ipOffset > buf.length - ipLength
        || icvLength < 0) {
      return ParseResult.TRUNCATED;
    }
    int version = (buf[ipOffset] >> 4) & 0xf;
    int end;
    ParseResult r;
    if (version == 4) {
      r = ipv4.wrap(buf, ipOffset, ipLength).validate();
      if (!r.isOk()) {
        return r;
      }
      end = ipv4.end();
      if (ipv4.protocol() != AH || ahOffset != ipv4.payloadOffset()) {
        return ParseResult.AH_NOT_IN_CHAIN;
      }
      r = checkAh(buf, ahOffset, end, icvLength);
      if (!r.isOk()) {
        return r;
      }
      r = copyIpv4(buf, ipOffset, ipv4.headerLength());
    } else if (version == 6) {
      r = ipv6.wrap(buf, ipOffset, ipLength).validate();
      if (!r.isOk()) {
        return r;
      }
      end = ipv6.end();
      if (ahOffset < ipOffset + Ipv6Header.LENGTH || ahOffset > end) {
        return ParseResult.AH_NOT_IN_CHAIN;
      }
      r = checkAh(buf, ahOffset, end, icvLength);
      if (!r.isOk()) {
        return r;
      }
      r = copyIpv6(buf, ipOffset, ahOffset);
    } else {
      return ipLength < Ipv4Header.MIN_LENGTH ? ParseResult.TRUNCATED : ParseResult.BAD_VERSION;
    }
    if (!r.isOk()) {
      return r;
    }
    mac.update(scratch, 0, scratchLength);
    mac.update(buf, ahOffset, AhHeader.FIXED_LENGTH);
    for (int left = icvLength; left > 0; left -= ZEROS.length) {
      mac.update(ZEROS, 0, Math.min(left, ZEROS.length));
    }
    int rest = ahOffset + AhHeader.FIXED_LENGTH + icvLength;
    mac.update(buf, rest, end - rest);
    return ParseResult.OK;
  }

  /** Feeds the high 32 bits of an extended sequence number, big-endian, after the packet. */
  public void feedSequenceHigh(int high, ByteSink mac) {
    BigEndian.putInt(sequenceHigh, 0, high);
    mac.update(sequenceHigh, 0, 4);
  }

  /**
   * Whether an IPv4 option type (the whole type byte: copied flag, class, number) is immutable and
   * so covered as sent, per RFC 4302 Appendix A.1:
   *
   * <pre>
   * IMMUTABLE -- included in ICV calculation
   *   type   copy class #   name
   *      0    0    0    0   End of Options List          [RFC791]
   *      1    0    0    1   No Operation                 [RFC791]
   *    130    1    0    2   Security                     [RFC1108]
   *    133    1    0    5   Extended Security            [RFC1108]
   *    134    1    0    6   Commercial Security
   *    148    1    0   20   Router Alert                 [RFC2113]
   *    149    1    0   21   Sender Directed Multi-Destination Delivery [RFC1770]
   * MUTABLE -- zeroed
   *    131    1    0    3   Loose Source Route           [RFC791]
   *     68    0    2    4   Time Stamp                   [RFC791]
   *      7    0    0    7   Record Route                 [RFC791]
   *    137    1    0    9   Strict Source Route          [RFC791]
   *     82    0    2   18   Traceroute                   [RFC1393]
   * EXPERIMENTAL, SUPERSEDED -- zeroed
   *    136 Stream ID, 11 MTU Probe, 12 MTU Reply, 145 Extended Internet Protocol,
   *     10 Experimental Measurement, 205 Experimental Flow Control,
   *    142 Experimental Access Control, 15 (???), 144 IMI Traffic Descriptor,
   *    147 Address Extension
   * </pre>
   *
   * Types the appendix does not list (Quick-Start 25, Dynamic Packet State 151, Upstream Multicast
   * Packet 152, the RFC 3692 experiment values, unassigned values) are treated as mutable and
   * zeroed: the appendix offers no rule for them, and zeroing is what Linux's {@code
   * ip_clear_mutable_options} does with anything it does not know.
   */
  public static boolean isImmutableIpv4Option(int type) {
    switch (type) {
      case 0:
      case 1:
      case 130:
      case 133:
      case 134:
      case 148:
      case 149:
        return true;
      default:
        return false;
    }
  }

  private static ParseResult checkAh(byte[] buf, int ahOffset, int end, int icvLength) {
    if (end - ahOffset < AhHeader.FIXED_LENGTH) {
      return ParseResult.AH_TRUNCATED;
    }
    int headerLength = ((buf[ahOffset + AhHeader.PAYLOAD_LENGTH_OFFSET] & 0xff) + 2) * 4;
    if (headerLength > end - ahOffset) {
      return ParseResult.AH_TRUNCATED;
    }
    if (icvLength > headerLength - AhHeader.FIXED_LENGTH) {
      return ParseResult.AH_BAD_LENGTH;
    }
    return ParseResult.OK;
  }

  private ParseResult copyIpv4(byte[] buf, int ipOffset, int headerLength) {
    byte[] s = scratch;
    System.arraycopy(buf, ipOffset, s, 0, headerLength);
    scratchLength = headerLength;
    s[Ipv4Header.TOS_OFFSET] = 0;
    s[Ipv4Header.FLAGS_FRAGMENT_OFFSET] = 0;
    s[Ipv4Header.FLAGS_FRAGMENT_OFFSET + 1] = 0;
    s[Ipv4Header.TTL_OFFSET] = 0;
    s[Ipv4Header.CHECKSUM_OFFSET] = 0;
    s[Ipv4Header.CHECKSUM_OFFSET + 1] = 0;
    int i = Ipv4Header.OPTIONS_OFFSET;
    while (i < headerLength) {
      int type = s[i] & 0xff;
      if (type == Ipv4Header.OPTION_EOOL) {
        break;
      }
      if (type == Ipv4Header.OPTION_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= headerLength) {
        return ParseResult.IPV4_BAD_OPTION;
      }
      int length = s[i + 1] & 0xff;
      if (length < 2 || length > headerLength - i) {
        return ParseResult.IPV4_BAD_OPTION;
      }
      if (!isImmutableIpv4Option(type)) {
        if (type == IPV4_OPTION_LSR || type == IPV4_OPTION_SSR) {
          if (length < 3) {
            return ParseResult.IPV4_BAD_OPTION;
          }
          int pointer = s[i + 2] & 0xff;
          if (pointer <= length) {
            // Route not used up: the final destination is the route's last address.
            if (length < 7) {
              return ParseResult.IPV4_BAD_OPTION;
            }
            System.arraycopy(s, i + length - 4, s, Ipv4Header.DESTINATION_OFFSET, 4);
          }
        }
        Arrays.fill(s, i, i + length, (byte) 0);
      }
      i += length;
    }
    return ParseResult.OK;
  }

  private ParseResult copyIpv6(byte[] buf, int ipOffset, int ahOffset) {
    ensureScratch(ahOffset - ipOffset);
    byte[] s = scratch;
    System.arraycopy(buf, ipOffset, s, 0, Ipv6Header.LENGTH);
    int written = Ipv6Header.LENGTH;
    int nextHeader = buf[ipOffset + Ipv6Header.NEXT_HEADER_OFFSET] & 0xff;
    int nextHeaderField = Ipv6Header.NEXT_HEADER_OFFSET;
    int position = ipOffset + Ipv6Header.LENGTH;
    int removed = 0;
    int headers = 0;
    boolean rerouted = false;
    while (position < ahOffset) {
      int available = ahOffset - position;
      int length;
      switch (nextHeader) {
        case Ipv6ExtensionWalker.HOP_BY_HOP, Ipv6ExtensionWalker.DESTINATION_OPTIONS:
          if (nextHeader == Ipv6ExtensionWalker.HOP_BY_HOP && headers != 0) {
            return ParseResult.IPV6_HOP_BY_HOP_NOT_FIRST;
          }
          if (available < 2) {
            return ParseResult.EXTENSION_TRUNCATED;
          }
          length = ((buf[position + 1] & 0xff) + 1) * 8;
          if (length > available) {
            return ParseResult.EXTENSION_TRUNCATED;
          }
          System.arraycopy(buf, position, s, written, length);
          ParseResult options = zeroMutableOptions(s, written, written + length);
          if (!options.isOk()) {
            return options;
          }
          break;
        case Ipv6ExtensionWalker.ROUTING:
          if (available < 4) {
            return ParseResult.EXTENSION_TRUNCATED;
          }
          length = ((buf[position + 1] & 0xff) + 1) * 8;
          if (length > available) {
            return ParseResult.EXTENSION_TRUNCATED;
          }
          System.arraycopy(buf, position, s, written, length);
          if ((s[written + 3] & 0xff) != 0) {
            if (rerouted) {
              return ParseResult.IPV6_ROUTING_UNPREDICTABLE;
            }
            ParseResult routing = rearrangeRouting(s, written);
            if (!routing.isOk()) {
              return routing;
            }
            rerouted = true;
          }
          break;
        case Ipv6ExtensionWalker.FRAGMENT:
          if (available < Ipv6ExtensionWalker.FRAGMENT_HEADER_LENGTH) {
            return ParseResult.EXTENSION_TRUNCATED;
          }
          if ((BigEndian.getU16(buf, position + 2) & 0xfff9) != 0) {
            return ParseResult.FRAGMENT_NOT_REASSEMBLED;
          }
          // RFC 4302 Appendix A.2: skip over the header and let the previous Next Header name
          // what follows it, as if reassembly had removed it.
          nextHeader = buf[position] & 0xff;
          s[nextHeaderField] = (byte) nextHeader;
          position += Ipv6ExtensionWalker.FRAGMENT_HEADER_LENGTH;
          removed += Ipv6ExtensionWalker.FRAGMENT_HEADER_LENGTH;
          headers++;
          continue;
        default:
          return ParseResult.AH_NOT_IN_CHAIN;
      }
      nextHeaderField = written;
      nextHeader = buf[position] & 0xff;
      written += length;
      position += length;
      headers++;
    }
    if (position != ahOffset || nextHeader != AH) {
      return ParseResult.AH_NOT_IN_CHAIN;
    }
    if (removed != 0) {
      int payloadLength = BigEndian.getU16(s, Ipv6Header.PAYLOAD_LENGTH_OFFSET) - removed;
      BigEndian.putU16(s, Ipv6Header.PAYLOAD_LENGTH_OFFSET, payloadLength);
    }
    s[0] &= (byte) 0xf0; // traffic class high nibble lives in the version byte
    s[1] = 0;
    s[2] = 0;
    s[3] = 0;
    s[Ipv6Header.HOP_LIMIT_OFFSET] = 0;
    scratchLength = written;
    return ParseResult.OK;
  }

  /**
   * Zeroes the data of options with the "may change" bit in the options header {@code s[from, to)}.
   */
  private static ParseResult zeroMutableOptions(byte[] s, int from, int to) {
    int i = from + 2;
    while (i < to) {
      int type = s[i] & 0xff;
      if (type == IPV6_OPTION_PAD1) {
        i++;
        continue;
      }
      if (to - i < 2) {
        return ParseResult.IPV6_BAD_OPTION;
      }
      int dataLength = s[i + 1] & 0xff;
      if (dataLength > to - i - 2) {
        return ParseResult.IPV6_BAD_OPTION;
      }
      if ((type & IPV6_OPTION_MAY_CHANGE) != 0) {
        Arrays.fill(s, i + 2, i + 2 + dataLength, (byte) 0);
      }
      i += 2 + dataLength;
    }
    return ParseResult.OK;
  }

  /**
   * Rewrites a type 0 or 2 routing header at {@code s[at]} and the destination address of the fixed
   * header in {@code s} as they will be at the final destination (RFC 2460 §4.4: each hop swaps the
   * destination with the next address and decrements segments left).
   */
  private ParseResult rearrangeRouting(byte[] s, int at) {
    int type = s[at + 2] & 0xff;
    if (type != 0 && type != 2) {
      return ParseResult.IPV6_ROUTING_UNPREDICTABLE;
    }
    int headerExtensionLength = s[at + 1] & 0xff;
    int segmentsLeft = s[at + 3] & 0xff;
    if (headerExtensionLength % 2 != 0 || segmentsLeft > headerExtensionLength / 2) {
      return ParseResult.IPV6_BAD_ROUTING_HEADER;
    }
    int addresses = headerExtensionLength / 2;
    int first = at + 8;
    int next = first + 16 * (addresses - segmentsLeft); // the next hop's slot
    System.arraycopy(s, first + 16 * (addresses - 1), finalDestination, 0, 16);
    // Each remaining hop swaps the destination with the next address: the pending addresses
    // but the last shift one slot right, and the current destination lands in the first of them.
    System.arraycopy(s, next, s, next + 16, 16 * (segmentsLeft - 1));
    System.arraycopy(s, Ipv6Header.DESTINATION_OFFSET, s, next, 16);
    System.arraycopy(finalDestination, 0, s, Ipv6Header.DESTINATION_OFFSET, 16);
    s[at + 3] = 0;
    return ParseResult.OK;
  }

  private void ensureScratch(int needed) {
    if (scratch.length < needed) {
      scratch = Arrays.copyOf(scratch, Math.max(needed, 2 * scratch.length));
    }
  }
}
