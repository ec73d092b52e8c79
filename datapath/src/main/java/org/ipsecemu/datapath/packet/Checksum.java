package org.ipsecemu.datapath.packet;

/**
 * The Internet checksum: the 16-bit ones' complement of the ones' complement sum of 16-bit
 * big-endian words (RFC 1071), with the incremental update of RFC 1624.
 *
 * <p>{@link #sum} returns a folded partial sum (0..0xffff) so that sums of several pieces can be
 * chained through its {@code initial} argument, as for a pseudo-header followed by a payload. Each
 * piece except the last must have an even length, since an odd piece would shift the word alignment
 * of the next one (RFC 1071 §2(B)).
 */
public final class Checksum {
  private Checksum() {}

  /**
   * Adds the bytes {@code buf[offset, offset + length)} as 16-bit big-endian words to {@code
   * initial} (an earlier folded sum, or 0); an odd last byte is padded with a zero byte on the
   * right (RFC 1071 §4.1). Returns the folded 16-bit sum, not yet complemented.
   */
  public static int sum(byte[] buf, int offset, int length, int initial) {
    // 32-bit words add two 16-bit words at once: 2^16 = 1 mod (2^16 - 1), so folding the wider
    // sum at the end gives the same ones' complement sum (RFC 1071 §2(C), "parallel summation").
    long acc = initial & 0xffff_ffffL;
    int i = offset;
    int end = offset + length;
    while (end - i >= 4) {
      acc += BigEndian.getU32(buf, i);
      i += 4;
    }
    if (end - i >= 2) {
      acc += BigEndian.getU16(buf, i);
      i += 2;
    }
    if (i < end) {
      acc += (buf[i] & 0xff) << 8;
    }
    return fold(acc);
  }

  /** Folds the carries of a wide sum into 16 bits (end-around carry, RFC 1071 §2(A)). */
  public static int fold(long acc) {
    while ((acc >>> 16) != 0) {
      acc = (acc & 0xffff) + (acc >>> 16);
    }
    return (int) acc;
  }

  /** The checksum of {@code buf[offset, offset + length)}: the complement of {@link #sum}. */
  public static int checksum(byte[] buf, int offset, int length) {
    return ~sum(buf, offset, length, 0) & 0xffff;
  }

  /**
   * The checksum after one 16-bit word of the covered data changed from {@code oldWord} to {@code
   * newWord}: RFC 1624 eqn. 3, {@code HC' = ~(~HC + ~m + m')}, which unlike RFC 1141 never yields
   * 0xffff for a checksum that should be 0 (RFC 1624 §4).
   */
  public static int update16(int checksum, int oldWord, int newWord) {
    long acc = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
    return ~fold(acc) & 0xffff;
  }

  /** As {@link #update16} for a 32-bit field (an IPv4 address, say), one word at a time. */
  public static int update32(int checksum, int oldValue, int newValue) {
    long acc =
        (~checksum & 0xffff)
            + (~(oldValue >>> 16) & 0xffff)
            + (~oldValue & 0xffff)
            + (newValue >>> 16)
            + (newValue & 0xffff);
    return ~fold(acc) & 0xffff;
  }

  /**
   * The folded sum of the IPv4 pseudo-header (RFC 793 §3.1, RFC 768): source and destination
   * addresses read from {@code buf}, zero, protocol, and the upper-layer length.
   */
  public static int pseudoHeaderSum4(
      byte[] buf, int sourceOffset, int destinationOffset, int protocol, int upperLength) {
    int s = sum(buf, sourceOffset, 4, 0);
    s = sum(buf, destinationOffset, 4, s);
    return fold((long) s + protocol + upperLength);
  }

  /**
   * The folded sum of the IPv6 pseudo-header (RFC 8200 §8.1): source, destination, 32-bit
   * upper-layer packet length, three zero bytes and the next header value of the upper layer.
   */
  public static int pseudoHeaderSum6(
      byte[] buf, int sourceOffset, int destinationOffset, int nextHeader, long upperLength) {
    int s = sum(buf, sourceOffset, 16, 0);
    s = sum(buf, destinationOffset, 16, s);
    return fold((long) s + (upperLength >>> 16) + (upperLength & 0xffff) + nextHeader);
  }
}
