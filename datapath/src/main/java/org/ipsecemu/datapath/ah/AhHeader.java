package org.ipsecemu.datapath.ah;

import java.util.Arrays;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.ParseResult;

/**
 * Flyweight view of an Authentication Header (RFC 4302 §2), over a {@code byte[]}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Header   |  Payload Len  |          RESERVED             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Security Parameters Index (SPI)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Sequence Number Field                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Integrity Check Value-ICV (variable)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Payload Len is the header's length in 32-bit words minus 2 (RFC 4302 §2.2), so a 12-byte
 * HMAC-SHA1-96 ICV gives 24 bytes and the value 4. The ICV field is padded so that the header is a
 * multiple of 4 bytes over IPv4 and 8 bytes over IPv6 (§2.6): a 16-byte ICV makes 28 bytes over
 * IPv4 but 32 over IPv6.
 */
public final class AhHeader {
  public static final int NEXT_HEADER_OFFSET = 0;
  public static final int PAYLOAD_LENGTH_OFFSET = NEXT_HEADER_OFFSET + 1;
  public static final int RESERVED_OFFSET = PAYLOAD_LENGTH_OFFSET + 1;
  public static final int SPI_OFFSET = RESERVED_OFFSET + 2;
  public static final int SEQUENCE_OFFSET = SPI_OFFSET + 4;
  public static final int ICV_OFFSET = SEQUENCE_OFFSET + 4;

  /** Length of the fields before the ICV. */
  public static final int FIXED_LENGTH = ICV_OFFSET;

  private byte[] buffer;
  private int offset;
  private int length;

  /** Views {@code length} bytes from {@code offset}: the AH header and whatever follows it. */
  public AhHeader wrap(byte[] buffer, int offset, int length) {
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    return this;
  }

  /**
   * Checks that the header fits ({@link ParseResult#AH_TRUNCATED}) and that its length is exactly
   * what an ICV of {@code icvLength} bytes needs with the alignment of {@code ipv6} ({@link
   * ParseResult#AH_BAD_LENGTH}), as Linux's {@code ah_input}/{@code ah6_input} require.
   */
  public ParseResult validate(int icvLength, boolean ipv6) {
    if (buffer == null || offset < 0 || length < 0 || offset > buffer.length - length) {
      return ParseResult.AH_TRUNCATED;
    }
    if (length < FIXED_LENGTH || headerLength() > length) {
      return ParseResult.AH_TRUNCATED;
    }
    if (headerLength() != headerLengthFor(icvLength, ipv6)) {
      return ParseResult.AH_BAD_LENGTH;
    }
    return ParseResult.OK;
  }

  /** Header length for an ICV of {@code icvLength} bytes, padded to 4 (IPv4) or 8 (IPv6) bytes. */
  public static int headerLengthFor(int icvLength, boolean ipv6) {
    int align = ipv6 ? 8 : 4;
    return (FIXED_LENGTH + icvLength + align - 1) / align * align;
  }

  /** The Payload Len value for an ICV of {@code icvLength} bytes. */
  public static int payloadLengthFor(int icvLength, boolean ipv6) {
    return headerLengthFor(icvLength, ipv6) / 4 - 2;
  }

  public byte[] buffer() {
    return buffer;
  }

  /** Absolute index of the Next Header byte. */
  public int offset() {
    return offset;
  }

  public int nextHeader() {
    return buffer[offset + NEXT_HEADER_OFFSET] & 0xff;
  }

  /** The raw Payload Len field: 32-bit words minus 2. */
  public int payloadLength() {
    return buffer[offset + PAYLOAD_LENGTH_OFFSET] & 0xff;
  }

  /** Header length in bytes, ICV and its padding included: {@code (payloadLength() + 2) * 4}. */
  public int headerLength() {
    return (payloadLength() + 2) * 4;
  }

  public int reserved() {
    return BigEndian.getU16(buffer, offset + RESERVED_OFFSET);
  }

  /** The SPI, in network order as an {@code int}. */
  public int spi() {
    return BigEndian.getInt(buffer, offset + SPI_OFFSET);
  }

  /** The 32-bit sequence number field (the low half of a 64-bit ESN). */
  public int sequence() {
    return BigEndian.getInt(buffer, offset + SEQUENCE_OFFSET);
  }

  public long sequenceUnsigned() {
    return BigEndian.getU32(buffer, offset + SEQUENCE_OFFSET);
  }

  /** Absolute index of the ICV. */
  public int icvOffset() {
    return offset + ICV_OFFSET;
  }

  /** Bytes of the ICV field, padding included. */
  public int icvFieldLength() {
    return headerLength() - FIXED_LENGTH;
  }

  /** Absolute index one past the header: the protected payload. */
  public int end() {
    return offset + headerLength();
  }

  public AhHeader nextHeader(int nextHeader) {
    buffer[offset + NEXT_HEADER_OFFSET] = (byte) nextHeader;
    return this;
  }

  public AhHeader payloadLength(int payloadLength) {
    buffer[offset + PAYLOAD_LENGTH_OFFSET] = (byte) payloadLength;
    return this;
  }

  public AhHeader reserved(int reserved) {
    BigEndian.putU16(buffer, offset + RESERVED_OFFSET, reserved);
    return this;
  }

  public AhHeader spi(int spi) {
    BigEndian.putInt(buffer, offset + SPI_OFFSET, spi);
    return this;
  }

  public AhHeader sequence(int sequence) {
    BigEndian.putInt(buffer, offset + SEQUENCE_OFFSET, sequence);
    return this;
  }

  /**
   * Writes a whole outbound header ready for ICV computation: next header, payload length for the
   * ICV and alignment, reserved 0 (RFC 4302 §2.3), SPI, sequence, and a zeroed ICV field with its
   * padding. Returns the header length.
   */
  public int write(int nextHeader, int icvLength, boolean ipv6, int spi, int sequence) {
    int headerLength = headerLengthFor(icvLength, ipv6);
    nextHeader(nextHeader).payloadLength(headerLength / 4 - 2).reserved(0).spi(spi);
    sequence(sequence);
    Arrays.fill(buffer, offset + FIXED_LENGTH, offset + headerLength, (byte) 0);
    return headerLength;
  }
}
