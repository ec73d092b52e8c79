package org.ipsecemu.datapath.packet;

/**
 * Explicit Congestion Notification across a tunnel (RFC 6040), done as Linux's xfrm tunnel mode
 * does it: on encapsulation the outer ECN field copies the inner one except that CE becomes ECT(0)
 * (RFC 6040 §4.1, normal mode; Linux {@code INET_ECN_encapsulate}); on decapsulation a CE mark on
 * the outer header is copied to an ECN-capable inner header (Linux {@code IP_ECN_set_ce}).
 *
 * <p>Linux xfrm, and so this class, does not drop a packet whose outer header says CE over a
 * Not-ECT inner header, although RFC 6040 §4.2 says to; nor does it carry ECT(1) from outer to
 * inner. Replays then match what a Linux receiver delivers.
 */
public final class Ecn {
  /** Not ECN-Capable Transport. */
  public static final int NOT_ECT = 0;

  /** ECN-Capable Transport (1). */
  public static final int ECT_1 = 1;

  /** ECN-Capable Transport (0). */
  public static final int ECT_0 = 2;

  /** Congestion Experienced. */
  public static final int CE = 3;

  private Ecn() {}

  /** The outer header's ECN field for a packet whose inner ECN field is {@code innerEcn}. */
  public static int encapsulate(int innerEcn) {
    return innerEcn == CE ? ECT_0 : innerEcn & 3;
  }

  /** The inner header's ECN field after decapsulating from an outer field {@code outerEcn}. */
  public static int decapsulate(int outerEcn, int innerEcn) {
    return outerEcn == CE && innerEcn != NOT_ECT ? CE : innerEcn;
  }

  /**
   * Applies {@link #decapsulate} in place to the inner IP header at {@code innerOffset} (IPv4: TOS
   * byte and its header checksum, updated incrementally; IPv6: traffic class). Returns true when
   * the inner header changed. An inner header of another version is left alone.
   */
  public static boolean propagateCongestion(int outerEcn, byte[] buf, int innerOffset) {
    int version = (buf[innerOffset] >> 4) & 0xf;
    if (version == 4) {
      int oldWord = BigEndian.getU16(buf, innerOffset);
      int tos = oldWord & 0xff;
      int ecn = decapsulate(outerEcn, tos & 3);
      if (ecn == (tos & 3)) {
        return false;
      }
      int newWord = (oldWord & 0xff00) | (tos & 0xfc) | ecn;
      BigEndian.putU16(buf, innerOffset, newWord);
      int checksumOffset = innerOffset + Ipv4Header.CHECKSUM_OFFSET;
      BigEndian.putU16(
          buf,
          checksumOffset,
          Checksum.update16(BigEndian.getU16(buf, checksumOffset), oldWord, newWord));
      return true;
    }
    if (version == 6) {
      int word = BigEndian.getU16(buf, innerOffset);
      int trafficClass = (word >>> 4) & 0xff;
      int ecn = decapsulate(outerEcn, trafficClass & 3);
      if (ecn == (trafficClass & 3)) {
        return false;
      }
      int newClass = (trafficClass & 0xfc) | ecn;
      BigEndian.putU16(buf, innerOffset, (word & 0xf00f) | (newClass << 4));
      return true;
    }
    return false;
  }
}
