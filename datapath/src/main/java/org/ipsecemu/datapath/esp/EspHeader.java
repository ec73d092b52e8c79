package org.ipsecemu.datapath.esp;

import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.ParseResult;

/**
 * Flyweight view of an ESP packet (RFC 4303 §2), from its SPI to the end of its ICV, over a {@code
 * byte[]}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Security Parameters Index (SPI)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Sequence Number                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          IV (per algorithm), then Payload Data (variable)     |
 * ~                                                               ~
 * |               |     Padding (0-255 bytes)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Pad Length   | Next Header   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Integrity Check Value-ICV   (variable)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>IV and ICV lengths belong to the SA's algorithms, so positions past the sequence number take
 * them as arguments. The trailer is read after decryption with {@link EspTrailer}. The sequence
 * number field carries the low 32 bits; with ESN the high 32 bits are never sent (RFC 4303 §2.2.1).
 */
public final class EspHeader {
  public static final int SPI_OFFSET = 0;
  public static final int SEQUENCE_OFFSET = SPI_OFFSET + 4;

  /** Length of the SPI and sequence number fields. */
  public static final int LENGTH = SEQUENCE_OFFSET + 4;

  private byte[] buffer;
  private int offset;
  private int length;

  /** Views {@code length} bytes from {@code offset}: the ESP header through the ICV's last byte. */
  public EspHeader wrap(byte[] buffer, int offset, int length) {
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    return this;
  }

  /**
   * Checks that header, IV, the two trailer bytes and ICV fit ({@link ParseResult#ESP_TRUNCATED}
   * otherwise) and that the ciphertext after the IV is a whole number of {@code blockSize} blocks
   * ({@link ParseResult#ESP_BAD_ALIGNMENT}; pass 1 for stream and combined-mode ciphers, as Linux
   * checks the cipher's block size and not the 4-byte alignment of RFC 4303 §2.4).
   */
  public ParseResult validate(int ivLength, int icvLength, int blockSize) {
    if (buffer == null || offset < 0 || length < 0 || offset > buffer.length - length) {
      return ParseResult.ESP_TRUNCATED;
    }
    int ciphertext = length - LENGTH - ivLength - icvLength;
    if (length < LENGTH || ciphertext < EspTrailer.LENGTH) {
      return ParseResult.ESP_TRUNCATED;
    }
    if (blockSize > 1 && ciphertext % blockSize != 0) {
      return ParseResult.ESP_BAD_ALIGNMENT;
    }
    return ParseResult.OK;
  }

  public byte[] buffer() {
    return buffer;
  }

  /** Absolute index of the SPI. */
  public int offset() {
    return offset;
  }

  /** Bytes from the SPI through the ICV. */
  public int length() {
    return length;
  }

  /** Absolute index one past the ICV. */
  public int end() {
    return offset + length;
  }

  /** The SPI, in network order as an {@code int} (SPI 0x4101 reads as 0x00004101). */
  public int spi() {
    return BigEndian.getInt(buffer, offset + SPI_OFFSET);
  }

  /** The 32-bit sequence number field as sent (the low half of a 64-bit ESN). */
  public int sequence() {
    return BigEndian.getInt(buffer, offset + SEQUENCE_OFFSET);
  }

  /** {@link #sequence()} as an unsigned value. */
  public long sequenceUnsigned() {
    return BigEndian.getU32(buffer, offset + SEQUENCE_OFFSET);
  }

  public EspHeader spi(int spi) {
    BigEndian.putInt(buffer, offset + SPI_OFFSET, spi);
    return this;
  }

  /** Writes the low 32 bits of the sequence number. */
  public EspHeader sequence(int sequence) {
    BigEndian.putInt(buffer, offset + SEQUENCE_OFFSET, sequence);
    return this;
  }

  /** Absolute index of the IV (right after the sequence number). */
  public int ivOffset() {
    return offset + LENGTH;
  }

  /** Absolute index of the encrypted payload, after an IV of {@code ivLength} bytes. */
  public int payloadOffset(int ivLength) {
    return offset + LENGTH + ivLength;
  }

  /** Absolute index of the ICV: the last {@code icvLength} bytes. */
  public int icvOffset(int icvLength) {
    return offset + length - icvLength;
  }

  /** Bytes between the IV and the ICV: encrypted payload, padding and the two trailer bytes. */
  public int ciphertextLength(int ivLength, int icvLength) {
    return length - LENGTH - ivLength - icvLength;
  }
}
