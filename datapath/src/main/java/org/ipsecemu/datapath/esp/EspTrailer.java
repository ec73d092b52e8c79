package org.ipsecemu.datapath.esp;

import org.ipsecemu.datapath.packet.ParseResult;

/**
 * View of the ESP trailer at the end of the decrypted payload (RFC 4303 §2.4–2.6): Padding, Pad
 * Length and Next Header, and the writer of the default padding.
 *
 * <pre>
 * | Payload Data ...  | Padding 1, 2, 3, ... | Pad Length | Next Header |  (then the ICV)
 * </pre>
 *
 * <p>{@link #wrap} takes the plaintext region, from the first payload byte (after the IV) to the
 * Next Header byte inclusive. Pad contents are checked without an early exit, so that the time
 * taken does not tell where a mismatch lies.
 */
public final class EspTrailer {
  /** Pad Length and Next Header. */
  public static final int LENGTH = 2;

  /** Largest pad length the 8-bit field can carry. */
  public static final int MAX_PAD_LENGTH = 255;

  private byte[] buffer;
  private int payloadOffset;
  private int end;

  /**
   * Views the plaintext {@code buffer[payloadOffset, end)}, whose last two bytes are the trailer.
   */
  public EspTrailer wrap(byte[] buffer, int payloadOffset, int end) {
    this.buffer = buffer;
    this.payloadOffset = payloadOffset;
    this.end = end;
    return this;
  }

  /**
   * Checks the pad length (it must leave room for itself within the plaintext, RFC 4303 §2.4;
   * {@link ParseResult#ESP_BAD_PAD_LENGTH}) and, when {@code checkContents}, the default padding
   * contents 1, 2, 3, ... ({@link ParseResult#ESP_BAD_PADDING}): the receiver SHOULD inspect them
   * when the algorithm does not define its own padding (§2.4). A payload of no bytes (a §2.6 dummy
   * packet) is accepted.
   */
  public ParseResult check(boolean checkContents) {
    if (buffer == null
        || payloadOffset < 0
        || end > buffer.length
        || end - payloadOffset < LENGTH) {
      return ParseResult.ESP_BAD_PAD_LENGTH;
    }
    int padLength = padLength();
    if (padLength > end - LENGTH - payloadOffset) {
      return ParseResult.ESP_BAD_PAD_LENGTH;
    }
    if (checkContents) {
      int padOffset = end - LENGTH - padLength;
      int diff = 0;
      for (int i = 0; i < padLength; i++) {
        diff |= (buffer[padOffset + i] & 0xff) ^ (i + 1);
      }
      if (diff != 0) {
        return ParseResult.ESP_BAD_PADDING;
      }
    }
    return ParseResult.OK;
  }

  /** The Pad Length byte. */
  public int padLength() {
    return buffer[end - 2] & 0xff;
  }

  /** The Next Header byte: the protocol of the payload (4 IPv4 or 41 IPv6 in tunnel mode). */
  public int nextHeader() {
    return buffer[end - 1] & 0xff;
  }

  /** Absolute index of the first padding byte, i.e. one past the payload data. */
  public int padOffset() {
    return end - LENGTH - padLength();
  }

  /** Bytes of payload data before the padding (valid after a successful {@link #check}). */
  public int dataLength() {
    return padOffset() - payloadOffset;
  }

  /**
   * Pad length for {@code dataLength} bytes of payload so that payload, padding and the two trailer
   * bytes fill whole cipher blocks, and at least 4-byte words (RFC 4303 §2.4). {@code blockSize} is
   * 1 for stream and combined-mode ciphers.
   */
  public static int padLength(int dataLength, int blockSize) {
    int align = Math.max(blockSize, 4);
    int unpadded = dataLength + LENGTH;
    return (align - unpadded % align) % align;
  }

  /**
   * Writes the default padding 1, 2, ..., {@code padLength} at {@code buffer[dataEnd]}, then Pad
   * Length and Next Header. Returns the absolute index one past the trailer.
   */
  public static int write(byte[] buffer, int dataEnd, int padLength, int nextHeader) {
    for (int i = 0; i < padLength; i++) {
      buffer[dataEnd + i] = (byte) (i + 1);
    }
    buffer[dataEnd + padLength] = (byte) padLength;
    buffer[dataEnd + padLength + 1] = (byte) nextHeader;
    return dataEnd + padLength + LENGTH;
  }
}
