package org.ipsecemu.datapath.fragment;

import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.Checksum;
import org.ipsecemu.datapath.packet.Ipv4Header;
import org.ipsecemu.datapath.packet.Ipv6ExtensionWalker;
import org.ipsecemu.datapath.packet.Ipv6Header;

/**
 * IP fragmentation after IPsec: a protected packet larger than the link's MTU leaves in fragments
 * (RFC 4303 §3.3.5: "fragmentation is performed after ESP processing"; RFC 4302 §3.3.4 for AH), so
 * that the receiver reassembles before IPsec ({@link Reassembler}).
 *
 * <ul>
 *   <li>IPv4 (RFC 791 §3.2): every fragment carries a multiple of 8 data bytes but the last; the
 *       first keeps all options, the others only those with the copied flag (padded to 4 bytes);
 *       identification, TOS, TTL and protocol stay; MF is set on all but the last (a fragment being
 *       fragmented again keeps its own offset and MF). A packet with DF set is not fragmented: it
 *       is refused ({@link Outcome#DONT_FRAGMENT}), as a host doing path MTU discovery refuses it.
 *   <li>IPv6 (RFC 8200 §4.5): the sender fragments; the unfragmentable part (the fixed header and
 *       the extension headers up to the Routing header, else the Hop-by-Hop header) is repeated in
 *       every fragment, followed by a Fragment header whose identification comes from this
 *       fragmenter's counter (started from a seed, so that runs are reproducible; RFC 7739 would
 *       have it unpredictable) and a multiple of 8 data bytes but in the last. A packet that
 *       already has a Fragment header is not fragmented again ({@link Outcome#MALFORMED}).
 * </ul>
 *
 * <p>Not thread-safe: one per thread. Allocation-free: fragments are built one at a time in one
 * scratch array.
 */
public final class Fragmenter {
  /** What {@link #fragment} did. */
  public enum Outcome {
    /** The packet fits the MTU: send it as it is. */
    NOT_NEEDED,
    /** The packet went to the sink in fragments. */
    FRAGMENTED,
    /** IPv4 with DF set and larger than the MTU: not sent. */
    DONT_FRAGMENT,
    /**
     * Not a packet that can be fragmented: a bad IP header, an MTU too small for its headers, an
     * IPv6 packet that is a fragment already.
     */
    MALFORMED
  }

  /** The smallest MTU of IPv4 (RFC 791: every module must forward 68 bytes without fragmenting). */
  public static final int IPV4_MIN_MTU = 68;

  /** The smallest MTU of IPv6 (RFC 8200 §5). */
  public static final int IPV6_MIN_MTU = 1280;

  private final int mtu;
  private final byte[] scratch = new byte[Ipv6Header.LENGTH + 0xffff];
  private final Ipv4Header v4 = new Ipv4Header();
  private final Ipv6Header v6 = new Ipv6Header();
  private int nextIdentification;
  private long packets;
  private long fragments;
  private long refused;

  /**
   * A fragmenter for a link of {@code mtu} bytes (at least 68; IPv6 packets need 1280, and a
   * smaller MTU makes every large IPv6 packet {@link Outcome#MALFORMED}).
   *
   * @param ipv6IdentificationSeed the identification of the first IPv6 packet fragmented
   */
  public Fragmenter(int mtu, int ipv6IdentificationSeed) {
    if (mtu < IPV4_MIN_MTU || mtu > 0xffff) {
      throw new IllegalArgumentException("mtu=" + mtu + " (expected: 68..65535)");
    }
    this.mtu = mtu;
    this.nextIdentification = ipv6IdentificationSeed;
  }

  /** The MTU. */
  public int mtu() {
    return mtu;
  }

  /**
   * Sends {@code buf[off, off+len)} to {@code sink} in fragments when it is larger than the MTU;
   * otherwise does nothing (the caller sends the packet itself). Never throws on packet contents.
   */
  public Outcome fragment(byte[] buf, int off, int len, FragmentSink sink) {
    if (buf == null || off < 0 || len < 1 || off > buf.length - len) {
      return Outcome.MALFORMED;
    }
    int version = (buf[off] >> 4) & 0xf;
    if (version == 4) {
      if (!v4.wrap(buf, off, len).validate().isOk()) {
        return Outcome.MALFORMED;
      }
      if (v4.totalLength() <= mtu) {
        return Outcome.NOT_NEEDED;
      }
      if (v4.dontFragment()) {
        refused++;
        return Outcome.DONT_FRAGMENT;
      }
      return fragment4(buf, off, sink);
    }
    if (version == 6) {
      if (!v6.wrap(buf, off, len).validate().isOk()) {
        return Outcome.MALFORMED;
      }
      if (v6.end() - off <= mtu) {
        return Outcome.NOT_NEEDED;
      }
      return fragment6(buf, off, v6.end(), sink);
    }
    return Outcome.MALFORMED;
  }

  private Outcome fragment4(byte[] buf, int off, FragmentSink sink) {
    int headerLength = v4.headerLength();
    int total = v4.totalLength();
    int baseOffset = v4.fragmentOffset() * 8;
    boolean originalMore = v4.moreFragments();
    int flags = v4.flagsAndFragmentOffset() & 0xc000;
    // The header of the fragments after the first: the fixed part and the copied options.
    System.arraycopy(buf, off, scratch, 0, Ipv4Header.MIN_LENGTH);
    int laterHeaderLength = copiedOptions(buf, off + Ipv4Header.MIN_LENGTH, off + headerLength);
    int firstChunk = (mtu - headerLength) & ~7;
    int laterChunk = (mtu - laterHeaderLength) & ~7;
    if (firstChunk < 8 || laterChunk < 8) {
      return Outcome.MALFORMED;
    }
    byte[] laterHeader = java.util.Arrays.copyOf(scratch, laterHeaderLength);
    int dataStart = off + headerLength;
    int dataLength = total - headerLength;
    int position = 0;
    int count = 0;
    while (position < dataLength) {
      boolean first = position == 0;
      int h = first ? headerLength : laterHeaderLength;
      int chunk = Math.min(first ? firstChunk : laterChunk, dataLength - position);
      boolean last = position + chunk == dataLength;
      if (first) {
        System.arraycopy(buf, off, scratch, 0, headerLength);
      } else {
        System.arraycopy(laterHeader, 0, scratch, 0, laterHeaderLength);
        scratch[0] = (byte) (0x40 | laterHeaderLength / 4);
      }
      System.arraycopy(buf, dataStart + position, scratch, h, chunk);
      BigEndian.putU16(scratch, Ipv4Header.TOTAL_LENGTH_OFFSET, h + chunk);
      int more = !last || originalMore ? Ipv4Header.FLAG_MF : 0;
      BigEndian.putU16(
          scratch, Ipv4Header.FLAGS_FRAGMENT_OFFSET, flags | more | ((baseOffset + position) / 8));
      BigEndian.putU16(scratch, Ipv4Header.CHECKSUM_OFFSET, 0);
      BigEndian.putU16(scratch, Ipv4Header.CHECKSUM_OFFSET, Checksum.checksum(scratch, 0, h));
      sink.accept(scratch, 0, h + chunk);
      position += chunk;
      count++;
    }
    packets++;
    fragments += count;
    return Outcome.FRAGMENTED;
  }

  /**
   * Copies the options of {@code buf[from, to)} whose copied flag (the type's top bit, RFC 791) is
   * set into {@code scratch} after the fixed header, pads with End of Option List to 4 bytes, and
   * returns the resulting header length.
   */
  private int copiedOptions(byte[] buf, int from, int to) {
    int at = Ipv4Header.MIN_LENGTH;
    int i = from;
    while (i < to) {
      int type = buf[i] & 0xff;
      if (type == Ipv4Header.OPTION_EOOL) {
        break;
      }
      if (type == Ipv4Header.OPTION_NOP) {
        i++;
        continue;
      }
      int length = buf[i + 1] & 0xff; // validated by Ipv4Header.validate
      if ((type & 0x80) != 0) {
        System.arraycopy(buf, i, scratch, at, length);
        at += length;
      }
      i += length;
    }
    while (at % 4 != 0) {
      scratch[at++] = 0;
    }
    return at;
  }

  private Outcome fragment6(byte[] buf, int off, int end, FragmentSink sink) {
    int nhField = off + Ipv6Header.NEXT_HEADER_OFFSET;
    int header = buf[nhField] & 0xff;
    int position = off + Ipv6Header.LENGTH;
    int unfragmentableEnd = position;
    int unfragmentableField = nhField;
    boolean routing = false;
    while (header == Ipv6ExtensionWalker.HOP_BY_HOP
        || header == Ipv6ExtensionWalker.ROUTING
        || header == Ipv6ExtensionWalker.DESTINATION_OPTIONS) {
      if (end - position < 2) {
        return Outcome.MALFORMED;
      }
      int length = ((buf[position + 1] & 0xff) + 1) * 8;
      if (end - position < length) {
        return Outcome.MALFORMED;
      }
      boolean unfragmentable =
          header == Ipv6ExtensionWalker.HOP_BY_HOP || header == Ipv6ExtensionWalker.ROUTING;
      if (header == Ipv6ExtensionWalker.ROUTING) {
        routing = true;
      }
      nhField = position;
      header = buf[position] & 0xff;
      position += length;
      if (unfragmentable || (!routing && isRoutingAhead(buf, header, position, end))) {
        unfragmentableEnd = position;
        unfragmentableField = nhField;
      }
    }
    if (header == Ipv6ExtensionWalker.FRAGMENT) {
      return Outcome.MALFORMED;
    }
    int unfragmentableLength = unfragmentableEnd - off;
    int fieldIndex = unfragmentableField - off;
    int firstFragmentable = buf[unfragmentableField] & 0xff;
    int chunkMax = (mtu - unfragmentableLength - Ipv6ExtensionWalker.FRAGMENT_HEADER_LENGTH) & ~7;
    if (mtu < IPV6_MIN_MTU || chunkMax < 8) {
      return Outcome.MALFORMED;
    }
    int id = nextIdentification++;
    int dataLength = end - unfragmentableEnd;
    int done = 0;
    int count = 0;
    int h = unfragmentableLength + Ipv6ExtensionWalker.FRAGMENT_HEADER_LENGTH;
    while (done < dataLength) {
      int chunk = Math.min(chunkMax, dataLength - done);
      boolean last = done + chunk == dataLength;
      System.arraycopy(buf, off, scratch, 0, unfragmentableLength);
      scratch[fieldIndex] = (byte) Ipv6ExtensionWalker.FRAGMENT;
      scratch[unfragmentableLength] = (byte) firstFragmentable;
      scratch[unfragmentableLength + 1] = 0;
      BigEndian.putU16(scratch, unfragmentableLength + 2, done | (last ? 0 : 1));
      BigEndian.putInt(scratch, unfragmentableLength + 4, id);
      System.arraycopy(buf, unfragmentableEnd + done, scratch, h, chunk);
      BigEndian.putU16(scratch, Ipv6Header.PAYLOAD_LENGTH_OFFSET, h + chunk - Ipv6Header.LENGTH);
      sink.accept(scratch, 0, h + chunk);
      done += chunk;
      count++;
    }
    packets++;
    fragments += count;
    return Outcome.FRAGMENTED;
  }

  /**
   * Whether a Routing header comes later in the chain starting with {@code header} at {@code
   * position}: Destination Options before a Routing header are for the nodes the route visits, so
   * they belong to the unfragmentable part (RFC 8200 §4.5).
   */
  private static boolean isRoutingAhead(byte[] buf, int header, int position, int end) {
    while (header == Ipv6ExtensionWalker.DESTINATION_OPTIONS
        || header == Ipv6ExtensionWalker.ROUTING) {
      if (header == Ipv6ExtensionWalker.ROUTING) {
        return true;
      }
      if (end - position < 2) {
        return false;
      }
      int length = ((buf[position + 1] & 0xff) + 1) * 8;
      header = buf[position] & 0xff;
      position += length;
    }
    return false;
  }

  /** Packets sent in fragments so far. */
  public long packetsFragmented() {
    return packets;
  }

  /** Fragments made so far. */
  public long fragmentsMade() {
    return fragments;
  }

  /** IPv4 packets refused for their DF bit so far. */
  public long dontFragmentRefused() {
    return refused;
  }

  @Override
  public String toString() {
    return "Fragmenter[mtu=" + mtu + "]";
  }
}
