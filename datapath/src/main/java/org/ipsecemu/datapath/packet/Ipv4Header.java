package org.ipsecemu.datapath.packet;

/**
 * Flyweight view of an IPv4 header with its options (RFC 791 §3.1), over a {@code byte[]}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} then {@link #validate()} once; after an {@link ParseResult#OK} the getters read
 * within bounds. Getters before a successful validation may throw; that is a caller bug, never a
 * packet's doing. Setters write in place and do not touch the checksum: call {@link
 * #updateChecksum()} (or use {@link Checksum#update16}) afterwards.
 */
public final class Ipv4Header {
  public static final int VERSION_IHL_OFFSET = 0;
  public static final int TOS_OFFSET = VERSION_IHL_OFFSET + 1;
  public static final int TOTAL_LENGTH_OFFSET = TOS_OFFSET + 1;
  public static final int IDENTIFICATION_OFFSET = TOTAL_LENGTH_OFFSET + 2;
  public static final int FLAGS_FRAGMENT_OFFSET = IDENTIFICATION_OFFSET + 2;
  public static final int TTL_OFFSET = FLAGS_FRAGMENT_OFFSET + 2;
  public static final int PROTOCOL_OFFSET = TTL_OFFSET + 1;
  public static final int CHECKSUM_OFFSET = PROTOCOL_OFFSET + 1;
  public static final int SOURCE_OFFSET = CHECKSUM_OFFSET + 2;
  public static final int DESTINATION_OFFSET = SOURCE_OFFSET + 4;
  public static final int OPTIONS_OFFSET = DESTINATION_OFFSET + 4;

  /** Header length without options. */
  public static final int MIN_LENGTH = OPTIONS_OFFSET;

  /** Header length with the most options IHL can announce (15 words). */
  public static final int MAX_LENGTH = 60;

  /** Flags: Don't Fragment, in the 16-bit flags/fragment-offset word. */
  public static final int FLAG_DF = 0x4000;

  /** Flags: More Fragments. */
  public static final int FLAG_MF = 0x2000;

  /** The fragment offset bits (in 8-octet units) of the flags/fragment-offset word. */
  public static final int FRAGMENT_OFFSET_MASK = 0x1fff;

  /** Option type End of Option List (RFC 791). */
  public static final int OPTION_EOOL = 0;

  /** Option type No Operation (RFC 791). */
  public static final int OPTION_NOP = 1;

  private byte[] buffer;
  private int offset;
  private int length;

  /** Views {@code length} bytes of {@code buffer} from {@code offset} as an IPv4 packet. */
  public Ipv4Header wrap(byte[] buffer, int offset, int length) {
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    return this;
  }

  /**
   * Checks what every reader relies on: at least 20 bytes, version 4, IHL at least 5 and within the
   * buffer, total length between the header length and the buffer length, and option TLVs that stay
   * inside the header. A total length smaller than the buffer is fine (link-layer padding); the
   * datagram then ends at {@link #totalLength()}.
   */
  public ParseResult validate() {
    if (buffer == null || offset < 0 || length < 0 || offset > buffer.length - length) {
      return ParseResult.TRUNCATED;
    }
    if (length < MIN_LENGTH) {
      return ParseResult.TRUNCATED;
    }
    if (version() != 4) {
      return ParseResult.BAD_VERSION;
    }
    int ihl = ihl();
    if (ihl < 5) {
      return ParseResult.IPV4_BAD_IHL;
    }
    int headerLength = ihl * 4;
    if (headerLength > length) {
      return ParseResult.IPV4_OPTIONS_BEYOND_BUFFER;
    }
    int total = totalLength();
    if (total < headerLength) {
      return ParseResult.IPV4_BAD_TOTAL_LENGTH;
    }
    if (total > length) {
      return ParseResult.LENGTH_BEYOND_BUFFER;
    }
    return validateOptions(buffer, offset + OPTIONS_OFFSET, offset + headerLength);
  }

  /**
   * Walks the option TLVs in {@code buf[from, to)} (RFC 791 §3.1): End of Option List ends the walk
   * (what follows is padding), No Operation is one byte, every other option has a length byte of at
   * least 2 and must end within the header.
   */
  public static ParseResult validateOptions(byte[] buf, int from, int to) {
    int i = from;
    while (i < to) {
      int type = buf[i] & 0xff;
      if (type == OPTION_EOOL) {
        return ParseResult.OK;
      }
      if (type == OPTION_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= to) {
        return ParseResult.IPV4_BAD_OPTION;
      }
      int optionLength = buf[i + 1] & 0xff;
      if (optionLength < 2 || optionLength > to - i) {
        return ParseResult.IPV4_BAD_OPTION;
      }
      i += optionLength;
    }
    return ParseResult.OK;
  }

  public byte[] buffer() {
    return buffer;
  }

  /** Absolute index of the first header byte in {@link #buffer()}. */
  public int offset() {
    return offset;
  }

  public int version() {
    return (buffer[offset] >> 4) & 0xf;
  }

  /** Internet Header Length in 32-bit words. */
  public int ihl() {
    return buffer[offset] & 0xf;
  }

  /** Header length in bytes, options included: {@code ihl() * 4}. */
  public int headerLength() {
    return ihl() * 4;
  }

  /** Length of the options area in bytes (0 to 40). */
  public int optionsLength() {
    return headerLength() - MIN_LENGTH;
  }

  /** The whole Type of Service byte (DSCP and ECN, RFC 2474 / RFC 3168). */
  public int tos() {
    return buffer[offset + TOS_OFFSET] & 0xff;
  }

  public int dscp() {
    return tos() >>> 2;
  }

  public int ecn() {
    return tos() & 3;
  }

  public int totalLength() {
    return BigEndian.getU16(buffer, offset + TOTAL_LENGTH_OFFSET);
  }

  public int identification() {
    return BigEndian.getU16(buffer, offset + IDENTIFICATION_OFFSET);
  }

  /** The 16-bit word holding the flags (top 3 bits) and the fragment offset. */
  public int flagsAndFragmentOffset() {
    return BigEndian.getU16(buffer, offset + FLAGS_FRAGMENT_OFFSET);
  }

  public boolean dontFragment() {
    return (flagsAndFragmentOffset() & FLAG_DF) != 0;
  }

  public boolean moreFragments() {
    return (flagsAndFragmentOffset() & FLAG_MF) != 0;
  }

  /** Fragment offset in 8-octet units. */
  public int fragmentOffset() {
    return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
  }

  /** True for any fragment, first or not: MF set or a non-zero offset. */
  public boolean isFragment() {
    return (flagsAndFragmentOffset() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
  }

  public int ttl() {
    return buffer[offset + TTL_OFFSET] & 0xff;
  }

  public int protocol() {
    return buffer[offset + PROTOCOL_OFFSET] & 0xff;
  }

  public int checksum() {
    return BigEndian.getU16(buffer, offset + CHECKSUM_OFFSET);
  }

  /** The source address as a big-endian {@code int} (192.0.2.1 is {@code 0xc0000201}). */
  public int source() {
    return BigEndian.getInt(buffer, offset + SOURCE_OFFSET);
  }

  /** The destination address as a big-endian {@code int}. */
  public int destination() {
    return BigEndian.getInt(buffer, offset + DESTINATION_OFFSET);
  }

  /** Absolute index of the source address. */
  public int sourceOffset() {
    return offset + SOURCE_OFFSET;
  }

  /** Absolute index of the destination address. */
  public int destinationOffset() {
    return offset + DESTINATION_OFFSET;
  }

  /** Absolute index of the first byte after the header: the payload (ESP, AH, TCP, ...). */
  public int payloadOffset() {
    return offset + headerLength();
  }

  /** Absolute index one past the datagram's last byte, per the total length. */
  public int end() {
    return offset + totalLength();
  }

  /** Writes version 4 and the given IHL (in 32-bit words). */
  public Ipv4Header versionAndIhl(int ihl) {
    buffer[offset] = (byte) (0x40 | (ihl & 0xf));
    return this;
  }

  public Ipv4Header tos(int tos) {
    buffer[offset + TOS_OFFSET] = (byte) tos;
    return this;
  }

  public Ipv4Header totalLength(int totalLength) {
    BigEndian.putU16(buffer, offset + TOTAL_LENGTH_OFFSET, totalLength);
    return this;
  }

  public Ipv4Header identification(int identification) {
    BigEndian.putU16(buffer, offset + IDENTIFICATION_OFFSET, identification);
    return this;
  }

  public Ipv4Header flagsAndFragmentOffset(int value) {
    BigEndian.putU16(buffer, offset + FLAGS_FRAGMENT_OFFSET, value);
    return this;
  }

  public Ipv4Header ttl(int ttl) {
    buffer[offset + TTL_OFFSET] = (byte) ttl;
    return this;
  }

  public Ipv4Header protocol(int protocol) {
    buffer[offset + PROTOCOL_OFFSET] = (byte) protocol;
    return this;
  }

  public Ipv4Header checksum(int checksum) {
    BigEndian.putU16(buffer, offset + CHECKSUM_OFFSET, checksum);
    return this;
  }

  public Ipv4Header source(int address) {
    BigEndian.putInt(buffer, offset + SOURCE_OFFSET, address);
    return this;
  }

  public Ipv4Header destination(int address) {
    BigEndian.putInt(buffer, offset + DESTINATION_OFFSET, address);
    return this;
  }

  /** The header checksum the header should carry, computed as if its checksum field were zero. */
  public int computeChecksum() {
    int s = Checksum.sum(buffer, offset, CHECKSUM_OFFSET, 0);
    s = Checksum.sum(buffer, offset + SOURCE_OFFSET, headerLength() - SOURCE_OFFSET, s);
    return ~s & 0xffff;
  }

  /** Recomputes the header checksum over the whole header and writes it. */
  public Ipv4Header updateChecksum() {
    return checksum(computeChecksum());
  }

  /** True when the header, checksum included, sums to 0xffff (RFC 1071 §1 step (3)). */
  public boolean isChecksumValid() {
    return Checksum.sum(buffer, offset, headerLength(), 0) == 0xffff;
  }
}
