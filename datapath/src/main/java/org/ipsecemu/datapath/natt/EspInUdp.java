package org.ipsecemu.datapath.natt;

import java.net.InetAddress;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.Checksum;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.packet.Ipv6Header;
import org.ipsecemu.datapath.packet.TransportMode;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.engine.UdpEncapsulation;

/**
 * UDP encapsulation of ESP for NAT traversal (RFC 3948), in place in the packet's buffer: telling
 * ESP from IKE and keepalives on the NAT-T port, taking the UDP header off inbound (as Linux's
 * {@code xfrm4_udp_encap_rcv} does, so that ESP processing sees a plain ESP packet), fixing the
 * upper-layer checksum of a transport-mode packet afterwards (§3.1.2), and putting a UDP header in
 * front of an outbound ESP packet (§2.1, §3.1.1).
 *
 * <h2>Which UDP datagrams are ESP (§2.2)</h2>
 *
 * A datagram to or from port 4500 (the IKE NAT-T port, RFC 3947), or whose ports are those an SA of
 * the packet's SPI declares (SADB_X_EXT_NAT_T_SPORT/DPORT): one byte 0xFF is a NAT-keepalive, a
 * zero first word is IKE's non-ESP marker, anything of 8 bytes or less cannot be ESP and goes to
 * IKE too (Linux's rule), the rest is ESP. A type-1 SA's packets start with 8 zero bytes before
 * ESP.
 *
 * <h2>Transport-mode checksums (§3.1.2)</h2>
 *
 * After transport-mode ESP in UDP, a TCP or UDP checksum was computed by the peer over addresses a
 * NAT has since changed. With the peer's original address (NAT-OA) the checksum is updated
 * incrementally (RFC 1624) from that address to the packet's source; without it, and only for an
 * integrity-protected SA (as §3.1.2 asks), it is recomputed over the packet as received. An IPv4
 * UDP checksum of zero (none) stays zero. Tunnel mode is never touched (§3.1.2: MUST NOT).
 *
 * <p>Stateless: every method is static and allocation-free.
 */
public final class EspInUdp {
  /** The IKE NAT traversal port (RFC 3947 §4). */
  public static final int PORT = UdpEncapsulation.DEFAULT_PORT;

  /** The UDP protocol number. */
  public static final int UDP = 17;

  /** Length of a UDP header. */
  public static final int UDP_HEADER_LENGTH = 8;

  /** Length of the old non-IKE marker (NAT-T type 1). */
  public static final int NON_IKE_MARKER_LENGTH = 8;

  private static final int ESP = 50;
  private static final int TCP = 6;
  private static final int ESP_HEADER_LENGTH = 8;

  private EspInUdp() {}

  /**
   * What the UDP datagram {@code p} parsed (protocol 17, not a fragment) carries. SAs are looked up
   * in {@code engine} only to recognise ports an SA declares and the type-1 marker.
   */
  public static UdpPayload classify(IpPacket p, KeyEngine engine) {
    byte[] buf = p.buffer();
    int udp = p.protocolOffset();
    int payload = udp + UDP_HEADER_LENGTH;
    int length = p.end() - payload;
    if (length < 0) {
      return UdpPayload.NOT_NATT;
    }
    int sport = BigEndian.getU16(buf, udp);
    int dport = BigEndian.getU16(buf, udp + 2);
    boolean natPort = sport == PORT || dport == PORT;
    if (length == 1 && (buf[payload] & 0xff) == 0xff) {
      return natPort ? UdpPayload.KEEPALIVE : UdpPayload.NOT_NATT;
    }
    if (length >= 4 && BigEndian.getInt(buf, payload) == 0) {
      if (length > NON_IKE_MARKER_LENGTH + ESP_HEADER_LENGTH
          && BigEndian.getInt(buf, payload + 4) == 0) {
        SecurityAssociation sa = lookup(p, engine, payload + NON_IKE_MARKER_LENGTH);
        UdpEncapsulation e = sa == null ? null : sa.udpEncapsulation();
        if (e != null && !e.isEspInUdp() && portsMatch(e, sport, dport)) {
          return UdpPayload.NON_IKE_ESP;
        }
      }
      return natPort ? UdpPayload.IKE : UdpPayload.NOT_NATT;
    }
    if (length <= ESP_HEADER_LENGTH) {
      return natPort ? UdpPayload.IKE : UdpPayload.NOT_NATT;
    }
    if (natPort) {
      return UdpPayload.ESP;
    }
    SecurityAssociation sa = lookup(p, engine, payload);
    UdpEncapsulation e = sa == null ? null : sa.udpEncapsulation();
    return e != null && e.isEspInUdp() && portsMatch(e, sport, dport)
        ? UdpPayload.ESP
        : UdpPayload.NOT_NATT;
  }

  private static SecurityAssociation lookup(IpPacket p, KeyEngine engine, int spiAt) {
    int spi = BigEndian.getInt(p.buffer(), spiAt);
    return engine.getassocbyspi(p.buffer(), p.destinationOffset(), p.addressLength(), spi, ESP);
  }

  private static boolean portsMatch(UdpEncapsulation e, int sport, int dport) {
    return e.effectiveSourcePort() == sport && e.effectiveDestinationPort() == dport;
  }

  /**
   * Takes the UDP header (and marker) off the packet {@code p} parsed, in place: the IP header
   * slides forward over it and becomes an ESP packet's (protocol 50, length and IPv4 checksum
   * rewritten). Returns the new offset of the IP header; the packet is {@code kind
   * .encapsulationLength()} bytes shorter. Returns -1, changing nothing, when the length does not
   * fit.
   */
  public static int decapsulate(IpPacket p, UdpPayload kind) {
    byte[] buf = p.buffer();
    int ip = p.offset();
    int headerLength = p.protocolOffset() - ip;
    int gap = kind.encapsulationLength();
    int total = p.length() - gap;
    int field = p.protocolFieldOffset();
    if (gap == 0 || total < headerLength) {
      return -1;
    }
    int newIp = TransportMode.closeGap(buf, ip, headerLength, gap);
    boolean ok =
        p.version() == 4
            ? TransportMode.rewriteIpv4(buf, newIp, ESP, total)
            : TransportMode.rewriteIpv6(buf, newIp, field + gap, ESP, total);
    return ok ? newIp : -1;
  }

  /**
   * Puts a UDP header (and, for a type-1 SA, the zero non-IKE marker) between the IP layer and the
   * ESP header of the packet {@code p} parsed, in place, growing to the left (the buffer needs that
   * much room before the packet): ports from the SA ({@link UdpEncapsulation#effectiveSourcePort},
   * 4500 when not given), UDP checksum zero over IPv4 (§2.1 "SHOULD be transmitted as zero") and
   * computed over IPv6 (RFC 8200 §8.1 has no zero checksum). Returns the new IP offset, or -1 when
   * the packet would pass the IP length limit or the room in front.
   */
  public static int encapsulate(IpPacket p, UdpEncapsulation e, int floor) {
    byte[] buf = p.buffer();
    int ip = p.offset();
    int esp = p.protocolOffset();
    int headerLength = esp - ip;
    int gap = UDP_HEADER_LENGTH + (e.isEspInUdp() ? 0 : NON_IKE_MARKER_LENGTH);
    int total = p.length() + gap;
    int limit = p.version() == 6 ? Ipv6Header.LENGTH + 0xffff : 0xffff;
    if (ip - gap < floor || total > limit) {
      return -1;
    }
    int field = p.protocolFieldOffset();
    int newIp = TransportMode.openGap(buf, ip, headerLength, gap);
    int udp = newIp + headerLength;
    int udpLength = total - headerLength;
    BigEndian.putU16(buf, udp, e.effectiveSourcePort());
    BigEndian.putU16(buf, udp + 2, e.effectiveDestinationPort());
    BigEndian.putU16(buf, udp + 4, udpLength);
    BigEndian.putU16(buf, udp + 6, 0);
    for (int i = udp + UDP_HEADER_LENGTH; i < udp + gap; i++) {
      buf[i] = 0;
    }
    if (p.version() == 4) {
      TransportMode.rewriteIpv4(buf, newIp, UDP, total);
    } else {
      TransportMode.rewriteIpv6(buf, newIp, field - gap, UDP, total);
      int sum =
          Checksum.pseudoHeaderSum6(
              buf,
              newIp + Ipv6Header.SOURCE_OFFSET,
              newIp + Ipv6Header.DESTINATION_OFFSET,
              UDP,
              udpLength);
      int c = ~Checksum.sum(buf, udp, udpLength, sum) & 0xffff;
      BigEndian.putU16(buf, udp + 6, c == 0 ? 0xffff : c);
    }
    return newIp;
  }

  /**
   * RFC 3948 §3.1.2 for the transport-mode packet {@code p} parsed after ESP came off a UDP
   * encapsulated packet: fixes a TCP or UDP checksum (see the class documentation). {@code
   * originalAddress} is the SA's NAT-OA bytes or null; {@code integrity} whether the SA
   * authenticates its packets. Returns whether the checksum was changed.
   */
  public static boolean fixTransportChecksum(
      IpPacket p, byte[] originalAddress, boolean integrity) {
    int proto = p.protocol();
    if ((proto != TCP && proto != UDP) || p.isFragment()) {
      return false;
    }
    byte[] buf = p.buffer();
    int l4 = p.protocolOffset();
    int length = p.end() - l4;
    int field = l4 + (proto == TCP ? 16 : 6);
    if (length < (proto == TCP ? 20 : UDP_HEADER_LENGTH)) {
      return false;
    }
    int old = BigEndian.getU16(buf, field);
    if (proto == UDP && old == 0 && p.version() == 4) {
      return false; // no checksum to fix
    }
    int src = p.sourceOffset();
    int n = p.addressLength();
    if (originalAddress != null && originalAddress.length == n) {
      int c = old;
      for (int i = 0; i < n; i += 4) {
        c =
            Checksum.update32(
                c, BigEndian.getInt(originalAddress, i), BigEndian.getInt(buf, src + i));
      }
      if (proto == UDP && c == 0) {
        c = 0xffff;
      }
      BigEndian.putU16(buf, field, c);
      return c != old;
    }
    if (!integrity) {
      return false;
    }
    BigEndian.putU16(buf, field, 0);
    int sum =
        p.version() == 4
            ? Checksum.pseudoHeaderSum4(buf, src, p.destinationOffset(), proto, length)
            : Checksum.pseudoHeaderSum6(buf, src, p.destinationOffset(), proto, length);
    int c = ~Checksum.sum(buf, l4, length, sum) & 0xffff;
    if (proto == UDP && c == 0) {
      c = 0xffff;
    }
    BigEndian.putU16(buf, field, c);
    return c != old;
  }

  /** The NAT-OA bytes of an SA's encapsulation, or null (allocates; read once per SA). */
  public static byte[] originalAddressBytes(UdpEncapsulation e) {
    InetAddress oa = e == null ? null : e.originalAddress();
    return oa == null ? null : oa.getAddress();
  }
}
