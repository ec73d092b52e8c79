package org.ipsecemu.datapath.ah;

import org.ipsecemu.datapath.crypto.IntegrityTransform;
import org.ipsecemu.datapath.packet.Ecn;
import org.ipsecemu.datapath.packet.InsertionPoint;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.packet.Ipv6Header;
import org.ipsecemu.datapath.packet.TransportMode;
import org.ipsecemu.datapath.replay.ReplayWindow;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.Verdict;

/**
 * AH processing for one packet and one SA (RFC 4302 §3.3 outbound, §3.4 inbound; compatible with
 * RFC 2402), in place in the packet's buffer.
 *
 * <p>The ICV covers the whole datagram with the fields that change in transit zeroed (IPv4 TOS,
 * flags, fragment offset, TTL, checksum and mutable options; IPv6 traffic class, flow label, hop
 * limit and options whose "may change" bit is set), the routing information as at the final
 * destination, and the ICV field zeroed: {@link AhIcvInput} feeds the SA's MAC exactly that,
 * without copying the payload.
 *
 * <p>Inbound (§3.4): the header length must be exactly what the SA's ICV needs (Linux's rule), the
 * anti-replay window is consulted, the ICV verified in constant time, and only then is the sequence
 * number marked (§3.4.3). Transport mode slides the IP header (and the extension headers before AH)
 * over the AH header and rewrites protocol / Next Header, length and IPv4 checksum; tunnel mode
 * yields the inner packet (unless the payload is IPComp: then, as for ESP, the IPComp SA ends the
 * tunnel). The mutable fields of the received header stay as they came.
 *
 * <p>Outbound (§3.3): transport mode inserts AH where {@link InsertionPoint} says and rewrites the
 * header before the ICV is computed (the ICV covers the new length and protocol); tunnel mode puts
 * AH and a new outer header in front. The ICV field is padded to 4 bytes over IPv4 and 8 over IPv6
 * (§2.6), the padding zero.
 *
 * <p>Extended sequence numbers work as in ESP: the high 32 bits are inferred inbound (RFC 4303
 * Appendix A3, which RFC 4302 §3.4.3 borrows), never sent, and fed to the MAC after the packet (RFC
 * 4302 §3.3.3.2.2).
 *
 * <p>Lifetimes are charged as in ESP ({@link org.ipsecemu.datapath.esp.EspProcessor}): the payload
 * after the AH header, as Linux counts it.
 *
 * <p>One instance per thread: it holds reusable views, the ICV input's scratch buffer and the
 * result of the last call.
 */
public final class AhProcessor {
  /** The IP protocol number of AH. */
  public static final int PROTOCOL = 51;

  private static final int IPV4 = 4;
  private static final int IPV6 = 41;
  private static final int IPCOMP = 108;

  private final AhHeader header = new AhHeader();
  private final AhIcvInput icvInput = new AhIcvInput();
  private final IpPacket inner = new IpPacket();
  private final InsertionPoint insertion = new InsertionPoint();

  private int offset;
  private int length;
  private boolean tunnel;
  private int protectedBytes;

  /**
   * Processes the inbound AH packet {@code p} has parsed (its first header past the IP layer is AH)
   * under the SA {@code c}. On {@link Verdict#OK} the packet without AH is at {@link #offset()} for
   * {@link #length()} bytes of the same buffer.
   */
  public Verdict inbound(SaContext c, IpPacket p) {
    byte[] buf = p.buffer();
    int ip = p.offset();
    int ah = p.protocolOffset();
    int end = p.end();
    boolean ipv6 = p.version() == 6;
    int icvLength = c.icvLength();
    int nextHeader;
    int headerLength;
    tunnel = false;
    SaContext.Side s = c.inbound();
    s.lock();
    try {
      if (!s.ready()) {
        return c.goneInbound();
      }
      if (!header.wrap(buf, ah, end - ah).validate(icvLength, ipv6).isOk()) {
        return Verdict.MALFORMED;
      }
      ReplayWindow window = s.replay();
      long sequence =
          c.isEsn() ? window.inferSequence(header.sequence()) : header.sequenceUnsigned();
      if (!window.check(sequence).isAccepted()) {
        return Verdict.REPLAY;
      }
      IntegrityTransform mac = s.mac();
      if (!icvInput.feed(buf, ip, end - ip, ah, icvLength, s.macSink()).isOk()) {
        mac.reset();
        return Verdict.MALFORMED;
      }
      if (c.isEsn()) {
        // RFC 4302 §3.3.3.2.2: the implicit high-order 32 bits follow the packet in the ICV input.
        mac.updateInt((int) (sequence >>> 32));
      }
      if (!mac.verify(buf, header.icvOffset())) {
        return Verdict.AUTH_FAILED;
      }
      if (!window.update(sequence).isAccepted()) {
        return Verdict.REPLAY;
      }
      nextHeader = header.nextHeader();
      headerLength = header.headerLength();
    } finally {
      s.unlock();
    }
    int payload = ah + headerLength;
    int dataLength = end - payload;
    protectedBytes = dataLength;
    if (c.isTunnel() && nextHeader != IPCOMP) {
      if (nextHeader != IPV4 && nextHeader != IPV6) {
        return Verdict.MALFORMED;
      }
      if (!inner.parse(buf, payload, dataLength).isOk()
          || inner.version() != (nextHeader == IPV4 ? 4 : 6)) {
        return Verdict.MALFORMED;
      }
      int outerEcn = ipv6 ? p.ipv6().trafficClass() & 3 : p.ipv4().ecn();
      Ecn.propagateCongestion(outerEcn, buf, payload);
      tunnel = true;
      offset = payload;
      length = inner.length();
    } else {
      int before = ah - ip;
      int field = p.protocolFieldOffset();
      int newIp = TransportMode.closeGap(buf, ip, before, headerLength);
      int total = before + dataLength;
      boolean rewritten =
          ipv6
              ? TransportMode.rewriteIpv6(buf, newIp, field + headerLength, nextHeader, total)
              : TransportMode.rewriteIpv4(buf, newIp, nextHeader, total);
      if (!rewritten) {
        return Verdict.MALFORMED;
      }
      offset = newIp;
      length = total;
    }
    return c.sa().charge(protectedBytes) ? Verdict.OK : Verdict.EXPIRED;
  }

  /**
   * Protects the outbound packet {@code p} has parsed with the SA {@code c}, in place, growing to
   * the left within {@code buf[floor, ceiling)}. On {@link OutboundVerdict#OK} the protected packet
   * is at {@link #offset()} for {@link #length()} bytes.
   */
  public OutboundVerdict outbound(SaContext c, IpPacket p, int floor, int ceiling) {
    byte[] buf = p.buffer();
    int ip = p.offset();
    int icvLength = c.icvLength();
    boolean outer6;
    int before;
    int dataLength;
    int nextHeader;
    int field = -1;
    boolean tunnelMode = c.isTunnel();
    tunnel = tunnelMode;
    if (tunnelMode) {
      outer6 = c.sa().family() == 6;
      before = outer6 ? Ipv6Header.LENGTH : 20;
      dataLength = p.length();
      nextHeader = p.version() == 4 ? IPV4 : IPV6;
    } else {
      if (p.isFragment() || !insertion.find(p).isOk()) {
        return OutboundVerdict.MALFORMED;
      }
      outer6 = p.version() == 6;
      before = insertion.offset() - ip;
      dataLength = p.end() - insertion.offset();
      nextHeader = insertion.nextHeader();
      field = insertion.nextHeaderFieldOffset();
    }
    int ahLength = AhHeader.headerLengthFor(icvLength, outer6);
    int total = before + ahLength + dataLength;
    int start = tunnelMode ? ip - ahLength - before : ip - ahLength;
    int limit = outer6 ? Ipv6Header.LENGTH + 0xffff : 0xffff;
    if (total > limit || start < floor || start + total > ceiling) {
      return OutboundVerdict.TOO_BIG;
    }
    int ah = start + before;
    SaContext.Side s = c.outbound();
    s.lock();
    try {
      if (!s.ready()) {
        return c.goneOutbound();
      }
      // The sequence number must not wrap (RFC 4303 §3.3.3); the lifetime must admit the packet
      // (the one that reaches a HARD limit still goes, and the engine expires the SA meanwhile:
      // this side's transforms stay until the lock is released).
      if (s.exhausted() || !c.sa().charge(dataLength)) {
        return OutboundVerdict.EXPIRED;
      }
      long sequence = s.nextSequence();
      if (tunnelMode) {
        s.outer()
            .write(buf, start, PROTOCOL, ahLength + dataLength, s.nextIdentification(), buf, ip);
      } else {
        TransportMode.openGap(buf, ip, before, ahLength);
        if (outer6) {
          TransportMode.rewriteIpv6(buf, start, field - ahLength, PROTOCOL, total);
        } else {
          TransportMode.rewriteIpv4(buf, start, PROTOCOL, total);
        }
      }
      header
          .wrap(buf, ah, ahLength + dataLength)
          .write(nextHeader, icvLength, outer6, c.sa().spi(), (int) sequence);
      IntegrityTransform mac = s.mac();
      if (!icvInput.feed(buf, start, total, ah, icvLength, s.macSink()).isOk()) {
        // A routing header whose final destination cannot be known: the ICV cannot be computed.
        mac.reset();
        return OutboundVerdict.MALFORMED;
      }
      if (c.isEsn()) {
        mac.updateInt((int) (sequence >>> 32));
      }
      mac.finish(buf, header.icvOffset());
    } finally {
      s.unlock();
    }
    protectedBytes = dataLength;
    offset = start;
    length = total;
    return OutboundVerdict.OK;
  }

  /** Absolute index of the result of the last successful call. */
  public int offset() {
    return offset;
  }

  /** Length of that result. */
  public int length() {
    return length;
  }

  /** Whether the last inbound packet was tunnel mode (its result is the inner packet). */
  public boolean isTunnel() {
    return tunnel;
  }

  /** The bytes the last packet charged to its SA's lifetime. */
  public int protectedBytes() {
    return protectedBytes;
  }
}
