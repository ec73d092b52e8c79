package org.ipsecemu.datapath.packet;

/**
 * Flyweight view of the fixed IPv6 header (RFC 8200 §3), over a {@code byte[]}.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Address (128 bits)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Destination Address (128 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Addresses are read as two {@code long}s (high and low 64 bits) or located by offset for a
 * copy; extension headers are walked by {@link Ipv6ExtensionWalker}. Jumbograms (RFC 2675, payload
 * length 0 with a Jumbo Payload option) are not supported: their payload length reads as 0.
 */
public final class Ipv6Header {
  public static final int VERSION_CLASS_FLOW_OFFSET = 0;
  public static final int PAYLOAD_LENGTH_OFFSET = VERSION_CLASS_FLOW_OFFSET + 4;
  public static final int NEXT_HEADER_OFFSET = PAYLOAD_LENGTH_OFFSET + 2;
  public static final int HOP_LIMIT_OFFSET = NEXT_HEADER_OFFSET + 1;
  public static final int SOURCE_OFFSET = HOP_LIMIT_OFFSET + 1;
  public static final int DESTINATION_OFFSET = SOURCE_OFFSET + 16;

  /** Length of the fixed header. */
  public static final int LENGTH = DESTINATION_OFFSET + 16;

  private byte[] buffer;
  private int offset;
  private int length;

  /** Views {@code length} bytes of {@code buffer} from {@code offset} as an IPv6 packet. */
  public Ipv6Header wrap(byte[] buffer, int offset, int length) {
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    return this;
  }

  /**
   * Checks at least 40 bytes, version 6, and {@code 40 + payload length} within the buffer. A
   * shorter payload length than the buffer is fine (link-layer padding); the packet then ends at
   * {@link #end()}.
   */
  public ParseResult validate() {
    if (buffer == null || offset < 0 || length < 0 || offset > buffer.length - length) {
      return ParseResult.TRUNCATED;
    }
    if (length < LENGTH) {
      return ParseResult.TRUNCATED;
    }
    if (version() != 6) {
      return ParseResult.BAD_VERSION;
    }
    if (LENGTH + payloadLength() > length) {
      return ParseResult.LENGTH_BEYOND_BUFFER;
    }
    return ParseResult.OK;
  }

  public byte[] buffer() {
    return buffer;
  }

  /** Absolute index of the first header byte. */
  public int offset() {
    return offset;
  }

  public int version() {
    return (buffer[offset] >> 4) & 0xf;
  }

  /** Traffic Class: DSCP in the high 6 bits, ECN in the low 2 (RFC 8200 §7). */
  public int trafficClass() {
    return (BigEndian.getU16(buffer, offset) >>> 4) & 0xff;
  }

  public int flowLabel() {
    return BigEndian.getInt(buffer, offset) & 0xfffff;
  }

  public int payloadLength() {
    return BigEndian.getU16(buffer, offset + PAYLOAD_LENGTH_OFFSET);
  }

  public int nextHeader() {
    return buffer[offset + NEXT_HEADER_OFFSET] & 0xff;
  }

  public int hopLimit() {
    return buffer[offset + HOP_LIMIT_OFFSET] & 0xff;
  }

  /** High 64 bits of the source address. */
  public long sourceHigh() {
    return BigEndian.getLong(buffer, offset + SOURCE_OFFSET);
  }

  /** Low 64 bits of the source address. */
  public long sourceLow() {
    return BigEndian.getLong(buffer, offset + SOURCE_OFFSET + 8);
  }

  public long destinationHigh() {
    return BigEndian.getLong(buffer, offset + DESTINATION_OFFSET);
  }

  public long destinationLow() {
    return BigEndian.getLong(buffer, offset + DESTINATION_OFFSET + 8);
  }

  /** Absolute index of the source address. */
  public int sourceOffset() {
    return offset + SOURCE_OFFSET;
  }

  /** Absolute index of the destination address. */
  public int destinationOffset() {
    return offset + DESTINATION_OFFSET;
  }

  /** Absolute index of the Next Header byte of the fixed header. */
  public int nextHeaderOffset() {
    return offset + NEXT_HEADER_OFFSET;
  }

  /** Absolute index one past the packet's last byte, per the payload length. */
  public int end() {
    return offset + LENGTH + payloadLength();
  }

  /** Writes version 6, traffic class and flow label together. */
  public Ipv6Header versionClassFlow(int trafficClass, int flowLabel) {
    BigEndian.putInt(
        buffer, offset, (6 << 28) | ((trafficClass & 0xff) << 20) | (flowLabel & 0xfffff));
    return this;
  }

  public Ipv6Header trafficClass(int trafficClass) {
    return versionClassFlow(trafficClass, flowLabel());
  }

  public Ipv6Header payloadLength(int payloadLength) {
    BigEndian.putU16(buffer, offset + PAYLOAD_LENGTH_OFFSET, payloadLength);
    return this;
  }

  public Ipv6Header nextHeader(int nextHeader) {
    buffer[offset + NEXT_HEADER_OFFSET] = (byte) nextHeader;
    return this;
  }

  public Ipv6Header hopLimit(int hopLimit) {
    buffer[offset + HOP_LIMIT_OFFSET] = (byte) hopLimit;
    return this;
  }

  /** Copies a 16-byte source address from {@code src[srcOffset]}. */
  public Ipv6Header source(byte[] src, int srcOffset) {
    System.arraycopy(src, srcOffset, buffer, offset + SOURCE_OFFSET, 16);
    return this;
  }

  /** Copies a 16-byte destination address from {@code src[srcOffset]}. */
  public Ipv6Header destination(byte[] src, int srcOffset) {
    System.arraycopy(src, srcOffset, buffer, offset + DESTINATION_OFFSET, 16);
    return this;
  }
}
