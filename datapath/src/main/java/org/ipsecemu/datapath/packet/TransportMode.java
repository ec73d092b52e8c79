package org.ipsecemu.datapath.packet;

/**
 * Rebuilding the IP header around a transport-mode ESP/AH header (RFC 4303 §3.1.1, RFC 4302
 * §3.1.1): sliding the IP headers to open or close the gap for the IPsec header, and rewriting the
 * protocol / next header, the length and (IPv4) the header checksum.
 *
 * <p>Inbound, after ESP: {@code ip = closeGap(buf, ip, headerLength, espHeaderAndIv)} then {@code
 * rewriteIpv4(buf, ip, nextHeader, newLength)} (or {@code rewriteIpv6} with the Next Header byte's
 * offset shifted by the same gap). Headers move as a unit, so every offset inside them moves by the
 * gap.
 */
public final class TransportMode {
  private TransportMode() {}

  /**
   * Moves the IP headers {@code buf[ipOffset, ipOffset + headerLength)} forward by {@code gap}
   * bytes, over the IPsec header being removed, so that they end where the payload begins. Returns
   * the new IP offset.
   */
  public static int closeGap(byte[] buf, int ipOffset, int headerLength, int gap) {
    System.arraycopy(buf, ipOffset, buf, ipOffset + gap, headerLength);
    return ipOffset + gap;
  }

  /**
   * Moves the IP headers back by {@code gap} bytes (the buffer needs that much headroom before
   * {@code ipOffset}), leaving {@code gap} bytes after them for the IPsec header. Returns the new
   * IP offset.
   */
  public static int openGap(byte[] buf, int ipOffset, int headerLength, int gap) {
    System.arraycopy(buf, ipOffset, buf, ipOffset - gap, headerLength);
    return ipOffset - gap;
  }

  /**
   * Writes Protocol and Total Length of the IPv4 header at {@code ipOffset} and recomputes its
   * checksum. Returns false, writing nothing, when {@code totalLength} does not fit 16 bits.
   */
  public static boolean rewriteIpv4(byte[] buf, int ipOffset, int protocol, int totalLength) {
    if (totalLength < Ipv4Header.MIN_LENGTH || totalLength > 0xffff) {
      return false;
    }
    buf[ipOffset + Ipv4Header.PROTOCOL_OFFSET] = (byte) protocol;
    BigEndian.putU16(buf, ipOffset + Ipv4Header.TOTAL_LENGTH_OFFSET, totalLength);
    int headerLength = (buf[ipOffset] & 0xf) * 4;
    BigEndian.putU16(buf, ipOffset + Ipv4Header.CHECKSUM_OFFSET, 0);
    BigEndian.putU16(
        buf, ipOffset + Ipv4Header.CHECKSUM_OFFSET, Checksum.checksum(buf, ipOffset, headerLength));
    return true;
  }

  /**
   * Writes {@code nextHeader} at {@code nextHeaderFieldOffset} (the fixed header's or the last
   * extension header's Next Header byte) and the Payload Length for a datagram of {@code
   * datagramLength} bytes, fixed header included. Returns false, writing nothing, when the payload
   * length does not fit 16 bits.
   */
  public static boolean rewriteIpv6(
      byte[] buf, int ipOffset, int nextHeaderFieldOffset, int nextHeader, int datagramLength) {
    int payloadLength = datagramLength - Ipv6Header.LENGTH;
    if (payloadLength < 0 || payloadLength > 0xffff) {
      return false;
    }
    buf[nextHeaderFieldOffset] = (byte) nextHeader;
    BigEndian.putU16(buf, ipOffset + Ipv6Header.PAYLOAD_LENGTH_OFFSET, payloadLength);
    return true;
  }
}
