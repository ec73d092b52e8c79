package org.ipsecemu.datapath.packet;

/**
 * Walks an IPv6 extension header chain (RFC 8200 §4) to the first header it does not step over,
 * typically ESP or AH, and remembers where that header starts and where the "next header" byte that
 * names it lives (transport-mode decapsulation rewrites that byte).
 *
 * <p>Stepped over: Hop-by-Hop Options (only right after the fixed header, RFC 8200 §4.3), Routing,
 * Fragment and Destination Options. Everything else stops the walk: ESP, AH, No Next Header,
 * upper-layer protocols, and unknown values alike (an unknown header's length cannot be trusted,
 * RFC 8200 §4). A Fragment header with a non-zero offset also stops it, since what follows is the
 * middle of the original payload, not a header ({@link #isNonInitialFragment()}).
 *
 * <p>Reusable and allocation-free; results are valid until the next walk. Not thread-safe.
 */
public final class Ipv6ExtensionWalker {
  /** Hop-by-Hop Options header (RFC 8200 §4.3). */
  public static final int HOP_BY_HOP = 0;

  /** Routing header (RFC 8200 §4.4). */
  public static final int ROUTING = 43;

  /** Fragment header (RFC 8200 §4.5). */
  public static final int FRAGMENT = 44;

  /** Destination Options header (RFC 8200 §4.6). */
  public static final int DESTINATION_OPTIONS = 60;

  /** Length of a Fragment header, which has no length field. */
  public static final int FRAGMENT_HEADER_LENGTH = 8;

  private int protocol;
  private int protocolOffset;
  private int nextHeaderFieldOffset;
  private int fragmentHeaderOffset;
  private int fragmentWord;
  private int routingHeaderOffset;
  private int extensionCount;

  /**
   * Walks the chain of the IPv6 packet at {@code ipOffset}, whose fixed header has already been
   * validated, up to {@code end} (absolute, usually {@link Ipv6Header#end()}).
   */
  public ParseResult walk(byte[] buf, int ipOffset, int end) {
    return walk(
        buf,
        ipOffset + Ipv6Header.LENGTH,
        buf[ipOffset + Ipv6Header.NEXT_HEADER_OFFSET] & 0xff,
        ipOffset + Ipv6Header.NEXT_HEADER_OFFSET,
        end,
        true);
  }

  /**
   * Walks on from {@code start}, where a header of type {@code nextHeader} begins, as named by the
   * byte at {@code nextHeaderFieldOffset}: for instance after an AH header, to find ESP in an
   * AH+ESP bundle. A Hop-by-Hop header found here is an error.
   */
  public ParseResult walkFrom(
      byte[] buf, int start, int nextHeader, int nextHeaderFieldOffset, int end) {
    return walk(buf, start, nextHeader, nextHeaderFieldOffset, end, false);
  }

  private ParseResult walk(
      byte[] buf, int start, int nextHeader, int nhField, int end, boolean hopByHopAllowed) {
    fragmentHeaderOffset = -1;
    fragmentWord = 0;
    routingHeaderOffset = -1;
    extensionCount = 0;
    int position = start;
    int header = nextHeader;
    while (true) {
      protocol = header;
      protocolOffset = position;
      nextHeaderFieldOffset = nhField;
      int headerLength;
      switch (header) {
        case HOP_BY_HOP, ROUTING, DESTINATION_OPTIONS:
          if (header == HOP_BY_HOP && (!hopByHopAllowed || extensionCount != 0)) {
            return ParseResult.IPV6_HOP_BY_HOP_NOT_FIRST;
          }
          if (end - position < 2) {
            return ParseResult.EXTENSION_TRUNCATED;
          }
          headerLength = ((buf[position + 1] & 0xff) + 1) * 8;
          if (header == ROUTING) {
            if (end - position < 4) {
              return ParseResult.EXTENSION_TRUNCATED;
            }
            routingHeaderOffset = position;
          }
          break;
        case FRAGMENT:
          headerLength = FRAGMENT_HEADER_LENGTH;
          if (end - position < headerLength) {
            return ParseResult.EXTENSION_TRUNCATED;
          }
          fragmentHeaderOffset = position;
          fragmentWord = BigEndian.getU16(buf, position + 2);
          break;
        default:
          return ParseResult.OK;
      }
      if (end - position < headerLength) {
        return ParseResult.EXTENSION_TRUNCATED;
      }
      extensionCount++;
      nhField = position;
      header = buf[position] & 0xff;
      position += headerLength;
      if (nhField == fragmentHeaderOffset && isNonInitialFragment()) {
        // Past a non-first fragment's header comes payload data, not another header.
        protocol = header;
        protocolOffset = position;
        nextHeaderFieldOffset = nhField;
        return ParseResult.OK;
      }
    }
  }

  /** The first header not stepped over: ESP (50), AH (51), TCP (6), No Next Header (59), ... */
  public int protocol() {
    return protocol;
  }

  /** Absolute index where {@link #protocol()}'s header starts (may equal the packet end). */
  public int protocolOffset() {
    return protocolOffset;
  }

  /**
   * Absolute index of the byte that holds {@link #protocol()}: the fixed header's Next Header, or
   * the first byte of the last extension header stepped over.
   */
  public int nextHeaderFieldOffset() {
    return nextHeaderFieldOffset;
  }

  /** Number of extension headers stepped over. */
  public int extensionCount() {
    return extensionCount;
  }

  /** Absolute index of the Fragment header, or -1 when there is none. */
  public int fragmentHeaderOffset() {
    return fragmentHeaderOffset;
  }

  /** Absolute index of the (last) Routing header, or -1 when there is none. */
  public int routingHeaderOffset() {
    return routingHeaderOffset;
  }

  /**
   * True when a Fragment header makes this packet a real fragment (offset non-zero or M set); false
   * for no Fragment header and for an atomic fragment (offset 0, M clear, RFC 6946).
   */
  public boolean isFragment() {
    return fragmentHeaderOffset >= 0 && (fragmentWord & 0xfff9) != 0;
  }

  /** True for a fragment other than the first: its headers past the Fragment header are absent. */
  public boolean isNonInitialFragment() {
    return fragmentHeaderOffset >= 0 && (fragmentWord & 0xfff8) != 0;
  }
}
