package org.ipsecemu.datapath.packet;

/**
 * Where an outbound transport-mode ESP or AH header goes in a datagram, and which byte then names
 * it (RFC 4303 §3.1.1, RFC 4302 §3.1.1).
 *
 * <p>IPv4: right after the header and its options; the Protocol field names the IPsec header.
 *
 * <p>IPv6: after the extension headers that routers look at on the way, which must stay in clear:
 * Hop-by-Hop Options and Routing headers, and a Destination Options header that comes before a
 * Routing header (it is processed by every address in the route). A Destination Options header
 * after the last Routing header (or without one) belongs to the final destination alone and goes
 * inside the IPsec payload, as Linux's {@code ip6_find_1stfragopt} places it. A Fragment header
 * means the packet is a fragment, which transport mode cannot protect ({@link
 * ParseResult#FRAGMENT_NOT_REASSEMBLED}): IPsec is applied before fragmentation (RFC 4301 §7).
 *
 * <p>Reusable and allocation-free; results are valid until the next {@link #find}. Not thread-safe.
 */
public final class InsertionPoint {
  private int offset;
  private int nextHeaderFieldOffset;
  private int nextHeader;

  /**
   * Finds the insertion point of the datagram {@code p} has parsed. Returns {@link ParseResult#OK}
   * or the defect; after a defect the getters are meaningless.
   */
  public ParseResult find(IpPacket p) {
    byte[] b = p.buffer();
    int ip = p.offset();
    if (p.version() == 4) {
      offset = p.protocolOffset();
      nextHeaderFieldOffset = ip + Ipv4Header.PROTOCOL_OFFSET;
      nextHeader = p.protocol();
      return ParseResult.OK;
    }
    if (p.version() != 6) {
      return ParseResult.BAD_VERSION;
    }
    int end = p.end();
    int position = ip + Ipv6Header.LENGTH;
    int header = b[ip + Ipv6Header.NEXT_HEADER_OFFSET] & 0xff;
    int field = ip + Ipv6Header.NEXT_HEADER_OFFSET;
    offset = position;
    nextHeaderFieldOffset = field;
    nextHeader = header;
    boolean first = true;
    while (true) {
      switch (header) {
        case Ipv6ExtensionWalker.HOP_BY_HOP,
        Ipv6ExtensionWalker.ROUTING,
        Ipv6ExtensionWalker.DESTINATION_OPTIONS:
          if (header == Ipv6ExtensionWalker.HOP_BY_HOP && !first) {
            return ParseResult.IPV6_HOP_BY_HOP_NOT_FIRST;
          }
          if (end - position < 2) {
            return ParseResult.EXTENSION_TRUNCATED;
          }
          int length = ((b[position + 1] & 0xff) + 1) * 8;
          if (end - position < length) {
            return ParseResult.EXTENSION_TRUNCATED;
          }
          int next = b[position] & 0xff;
          field = position;
          position += length;
          if (header != Ipv6ExtensionWalker.DESTINATION_OPTIONS) {
            // Everything up to here stays in front; Destination Options skipped on the way
            // (before this Routing header) stay in front with it.
            offset = position;
            nextHeaderFieldOffset = field;
            nextHeader = next;
          }
          header = next;
          first = false;
          break;
        case Ipv6ExtensionWalker.FRAGMENT:
          return ParseResult.FRAGMENT_NOT_REASSEMBLED;
        default:
          return ParseResult.OK;
      }
    }
  }

  /** Absolute index where the IPsec header goes: the first byte it displaces. */
  public int offset() {
    return offset;
  }

  /** Absolute index of the byte that will name the IPsec header (Protocol or a Next Header). */
  public int nextHeaderFieldOffset() {
    return nextHeaderFieldOffset;
  }

  /** What that byte names now: the IPsec header's own Next Header. */
  public int nextHeader() {
    return nextHeader;
  }
}
