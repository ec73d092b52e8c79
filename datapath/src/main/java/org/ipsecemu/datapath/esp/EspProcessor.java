package org.ipsecemu.datapath.esp;

import org.ipsecemu.datapath.crypto.IntegrityTransform;
import org.ipsecemu.datapath.packet.BigEndian;
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
 * ESP processing for one packet and one SA (RFC 4303 §3.3 outbound, §3.4 inbound; compatible with
 * RFC 2406, whose packets are the same), in place in the packet's buffer.
 *
 * <p>Inbound, in the order of §3.4: the ESP header and lengths are checked, the anti-replay window
 * is consulted (§3.4.3, an early drop that changes nothing), the ICV is verified in constant time
 * (§3.4.4; with AES-GCM the tag, in the same pass as decryption), the payload is decrypted, the
 * padding checked (its length, and the default contents 1, 2, 3, ... of §2.4), and only then is the
 * sequence number marked in the window, so that neither a forged nor a mangled packet moves it (as
 * Linux, which advances the window once {@code esp_input} has succeeded). Then transport mode
 * slides the IP header over the ESP header and rewrites its protocol (or Next Header), length and
 * IPv4 checksum; tunnel mode yields the inner packet, IPv4 or IPv6 in either, with the outer
 * header's congestion mark carried in (RFC 6040, {@link Ecn}). A tunnel-mode SA whose payload is
 * IPComp (Next Header 108) is the ESP half of an IPComp tunnel, as FreeS/WAN and Openswan KLIPS
 * send it (outer IP, ESP, IPComp, compressed inner packet): its IP header is rebuilt as in
 * transport mode, and the IPComp SA then ends the tunnel.
 *
 * <p>Outbound: transport mode opens a gap after the IP header (IPv6: after the extension headers
 * routers read, {@link InsertionPoint}); tunnel mode writes an outer header between the SA's
 * addresses in front. Then the next sequence number (refusing to wrap), the default padding to the
 * cipher block and to 4 bytes (§2.4), a fresh IV from the SA's generator, encryption in place and
 * the ICV over SPI through Next Header (§3.3.4).
 *
 * <p>Extended sequence numbers (RFC 4303 §2.2.1), for an SA with {@link SaContext#isEsn()}: the
 * counter is 64 bits and the packet carries its low half; the receiver infers the high half from
 * its window (Appendix A3, {@link ReplayWindow#inferSequence(int)}) and runs the window over the
 * 64-bit number. The high half is never sent but is authenticated: appended to the ICV input after
 * the Next Header byte (§2.2.1), or in the AES-GCM AAD as SPI || high || low (RFC 4106 §5).
 *
 * <p>Lifetimes: each packet charges its SA, through {@link
 * org.ipsecemu.sadb.engine.SecurityAssociation#charge}, with the bytes of the payload it protects,
 * as Linux's xfrm counts {@code skb->len}: the inner IP packet in tunnel mode, the bytes after the
 * IP header (and its front extension headers) in transport mode; never the ESP header, IV, padding,
 * trailer or ICV. Outbound the charge comes before the packet is built (an SA past its HARD
 * lifetime sends nothing and uses no sequence number); inbound it comes after the packet verified.
 *
 * <p>One instance per thread: it holds reusable views and the result of the last call ({@link
 * #offset()}, {@link #length()}). The SA's state is guarded by its {@link SaContext.Side} lock.
 */
public final class EspProcessor {
  /** Next Header of an IPv4 packet in tunnel mode. */
  public static final int IPV4 = 4;

  /** Next Header of an IPv6 packet in tunnel mode. */
  public static final int IPV6 = 41;

  /** Next Header of a dummy packet (RFC 4303 §2.6), to be discarded by the receiver. */
  public static final int NO_NEXT_HEADER = 59;

  /** The IP protocol number of ESP. */
  public static final int PROTOCOL = 50;

  /** Next Header of IPComp (RFC 3173), which a tunnel SA's payload may be (see the class doc). */
  private static final int IPCOMP = 108;

  private static final int ESN_AAD_LENGTH = 12;

  private final EspHeader header = new EspHeader();
  private final EspTrailer trailer = new EspTrailer();
  private final IpPacket inner = new IpPacket();
  private final InsertionPoint insertion = new InsertionPoint();
  private final byte[] aadScratch = new byte[ESN_AAD_LENGTH];

  private int offset;
  private int length;
  private boolean tunnel;
  private boolean dummy;
  private int protectedBytes;

  /**
   * Processes the inbound ESP packet {@code p} has parsed (its first header past the IP layer is
   * ESP) under the SA {@code c}. On {@link Verdict#OK} the cleartext packet is at {@link #offset()}
   * for {@link #length()} bytes of the same buffer (transport: the rebuilt IP packet; tunnel: the
   * inner packet), unless it was a dummy packet ({@link #isDummy()}). On any other verdict the
   * buffer's contents past the IP header are unspecified.
   */
  public Verdict inbound(SaContext c, IpPacket p) {
    byte[] buf = p.buffer();
    int ip = p.offset();
    int esp = p.protocolOffset();
    int end = p.end();
    int ivLength = c.ivLength();
    int icvLength = c.icvLength();
    int dataOffset;
    int dataLength;
    int nextHeader;
    dummy = false;
    tunnel = false;
    SaContext.Side s = c.inbound();
    s.lock();
    try {
      if (!s.ready()) {
        return c.goneInbound();
      }
      // Lengths only: the block alignment of the ciphertext is checked when decrypting, after the
      // ICV (§3.4.4: integrity first), so that a forged packet of any length is auth_failed, as
      // on Linux, whose authenc verifies the hash before the cipher looks at the length.
      if (!header.wrap(buf, esp, end - esp).validate(ivLength, icvLength, 1).isOk()) {
        return Verdict.MALFORMED;
      }
      ReplayWindow window = s.replay();
      // With ESN the high 32 bits are inferred from the window (RFC 4303 Appendix A3); a wrong
      // guess makes the ICV fail, which is the Appendix's answer too.
      long sequence =
          c.isEsn() ? window.inferSequence(header.sequence()) : header.sequenceUnsigned();
      if (!window.check(sequence).isAccepted()) {
        return Verdict.REPLAY;
      }
      int ivOffset = header.ivOffset();
      int ciphertext = header.payloadOffset(ivLength);
      int ciphertextLength = header.ciphertextLength(ivLength, icvLength);
      int icvOffset = header.icvOffset(icvLength);
      if (c.isCombined()) {
        // RFC 4106 §5: the AAD is SPI || sequence number, as sent (with ESN: SPI || high || low).
        byte[] aad = buf;
        int aadOffset = esp;
        int aadLength = EspHeader.LENGTH;
        if (c.isEsn()) {
          aad = esnAad(buf, esp, sequence);
          aadOffset = 0;
          aadLength = ESN_AAD_LENGTH;
        }
        if (!s.aead()
            .open(
                aad,
                aadOffset,
                aadLength,
                buf,
                ivOffset,
                buf,
                ciphertext,
                ciphertextLength,
                buf,
                icvOffset)) {
          return Verdict.AUTH_FAILED;
        }
      } else {
        IntegrityTransform mac = s.mac();
        if (mac != null) {
          // §3.3.4 / §2.2.1: the ICV covers SPI through Next Header, then the ESN high bits.
          mac.update(buf, esp, icvOffset - esp);
          if (c.isEsn()) {
            mac.updateInt((int) (sequence >>> 32));
          }
          if (!mac.verify(buf, icvOffset)) {
            return Verdict.AUTH_FAILED;
          }
        }
        if (!s.cipher().decrypt(buf, ivOffset, buf, ciphertext, ciphertextLength)) {
          return Verdict.MALFORMED;
        }
      }
      if (!trailer.wrap(buf, ciphertext, icvOffset).check(true).isOk()) {
        return Verdict.PAD_ERROR;
      }
      if (!window.update(sequence).isAccepted()) {
        return Verdict.REPLAY;
      }
      nextHeader = trailer.nextHeader();
      dataOffset = ciphertext;
      dataLength = trailer.dataLength();
    } finally {
      s.unlock();
    }
    protectedBytes = dataLength;
    if (nextHeader == NO_NEXT_HEADER) {
      dummy = true;
      offset = dataOffset;
      length = 0;
    } else if (c.isTunnel() && nextHeader != IPCOMP) {
      Verdict v = decapsulateTunnel(p, nextHeader, dataOffset, dataLength);
      if (!v.isOk()) {
        return v;
      }
    } else {
      int headerLength = esp - ip;
      int gap = EspHeader.LENGTH + ivLength;
      int field = p.protocolFieldOffset();
      int newIp = TransportMode.closeGap(buf, ip, headerLength, gap);
      int total = headerLength + dataLength;
      boolean rewritten =
          p.version() == 4
              ? TransportMode.rewriteIpv4(buf, newIp, nextHeader, total)
              : TransportMode.rewriteIpv6(buf, newIp, field + gap, nextHeader, total);
      if (!rewritten) {
        return Verdict.MALFORMED;
      }
      offset = newIp;
      length = total;
    }
    return c.sa().charge(protectedBytes) ? Verdict.OK : Verdict.EXPIRED;
  }

  private Verdict decapsulateTunnel(IpPacket outer, int nextHeader, int at, int available) {
    byte[] buf = outer.buffer();
    if (nextHeader != IPV4 && nextHeader != IPV6) {
      return Verdict.MALFORMED;
    }
    if (!inner.parse(buf, at, available).isOk()
        || inner.version() != (nextHeader == IPV4 ? 4 : 6)) {
      return Verdict.MALFORMED;
    }
    int outerEcn = outer.version() == 4 ? outer.ipv4().ecn() : outer.ipv6().trafficClass() & 3;
    Ecn.propagateCongestion(outerEcn, buf, at);
    tunnel = true;
    offset = at;
    // The inner header's own length: anything after it is TFC padding (RFC 4303 §2.7).
    length = inner.length();
    return Verdict.OK;
  }

  /**
   * Protects the outbound packet {@code p} has parsed with the SA {@code c}, in place: the result
   * grows to the left (IP and ESP headers, IV) and to the right (padding, trailer, ICV) within
   * {@code buf[floor, ceiling)} of the packet's buffer. Tunnel mode ({@link SaContext#isTunnel})
   * encapsulates the whole packet. On {@link OutboundVerdict#OK} the protected packet is at {@link
   * #offset()} for {@link #length()} bytes.
   */
  public OutboundVerdict outbound(SaContext c, IpPacket p, int floor, int ceiling) {
    byte[] buf = p.buffer();
    int ip = p.offset();
    int ivLength = c.ivLength();
    int icvLength = c.icvLength();
    int prefix = EspHeader.LENGTH + ivLength;
    int headerLength;
    int dataOffset;
    int dataLength;
    int nextHeader;
    int field = -1;
    boolean outer6;
    dummy = false;
    boolean tunnelMode = c.isTunnel();
    tunnel = tunnelMode;
    if (tunnelMode) {
      outer6 = c.sa().family() == 6;
      headerLength = outer6 ? Ipv6Header.LENGTH : 20;
      dataOffset = ip;
      dataLength = p.length();
      nextHeader = p.version() == 4 ? IPV4 : IPV6;
    } else {
      if (p.isFragment() || !insertion.find(p).isOk()) {
        return OutboundVerdict.MALFORMED;
      }
      outer6 = p.version() == 6;
      dataOffset = insertion.offset();
      headerLength = dataOffset - ip;
      dataLength = p.end() - dataOffset;
      nextHeader = insertion.nextHeader();
      field = insertion.nextHeaderFieldOffset();
    }
    int padLength = EspTrailer.padLength(dataLength, c.blockSize());
    int espLength = prefix + dataLength + padLength + EspTrailer.LENGTH + icvLength;
    int total = headerLength + espLength;
    int start = dataOffset - prefix - headerLength;
    int limit = outer6 ? Ipv6Header.LENGTH + 0xffff : 0xffff;
    if (total > limit || start < floor || start + total > ceiling) {
      return OutboundVerdict.TOO_BIG;
    }
    int esp = dataOffset - prefix;
    int ciphertextLength = dataLength + padLength + EspTrailer.LENGTH;
    int icvOffset = dataOffset + ciphertextLength;
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
        // Before encryption: the outer header copies DSCP, ECN, DF and flow label from the inner.
        s.outer().write(buf, start, PROTOCOL, espLength, s.nextIdentification(), buf, dataOffset);
      } else {
        TransportMode.openGap(buf, ip, headerLength, prefix);
      }
      EspTrailer.write(buf, dataOffset + dataLength, padLength, nextHeader);
      header.wrap(buf, esp, espLength).spi(c.sa().spi()).sequence((int) sequence);
      int ivOffset = header.ivOffset();
      if (c.isCombined()) {
        s.aead().nextIv(buf, ivOffset);
        byte[] aad = buf;
        int aadOffset = esp;
        int aadLength = EspHeader.LENGTH;
        if (c.isEsn()) {
          aad = esnAad(buf, esp, sequence);
          aadOffset = 0;
          aadLength = ESN_AAD_LENGTH;
        }
        s.aead()
            .seal(
                aad,
                aadOffset,
                aadLength,
                buf,
                ivOffset,
                buf,
                dataOffset,
                ciphertextLength,
                buf,
                icvOffset);
      } else {
        if (ivLength > 0) {
          s.cipher().nextIv(buf, ivOffset);
        }
        s.cipher().encrypt(buf, ivOffset, buf, dataOffset, ciphertextLength);
        IntegrityTransform mac = s.mac();
        if (mac != null) {
          mac.update(buf, esp, icvOffset - esp);
          if (c.isEsn()) {
            mac.updateInt((int) (sequence >>> 32));
          }
          mac.finish(buf, icvOffset);
        }
      }
    } finally {
      s.unlock();
    }
    if (!tunnelMode) {
      int newIp = ip - prefix;
      if (p.version() == 4) {
        TransportMode.rewriteIpv4(buf, newIp, PROTOCOL, total);
      } else {
        TransportMode.rewriteIpv6(buf, newIp, field - prefix, PROTOCOL, total);
      }
    }
    protectedBytes = dataLength;
    offset = start;
    length = total;
    return OutboundVerdict.OK;
  }

  /**
   * RFC 4106 §5 with extended sequence numbers: the AAD is SPI || high 32 bits || low 32 bits, 12
   * bytes that never appear together in the packet, built in a scratch array.
   */
  private byte[] esnAad(byte[] buf, int esp, long sequence) {
    System.arraycopy(buf, esp, aadScratch, 0, 4);
    BigEndian.putInt(aadScratch, 4, (int) (sequence >>> 32));
    BigEndian.putInt(aadScratch, 8, (int) sequence);
    return aadScratch;
  }

  /** Absolute index of the result of the last successful call. */
  public int offset() {
    return offset;
  }

  /** Length of that result (0 for a dummy packet). */
  public int length() {
    return length;
  }

  /** Whether the last inbound packet was tunnel mode (its result is the inner packet). */
  public boolean isTunnel() {
    return tunnel;
  }

  /**
   * Whether the last inbound packet was a dummy packet (Next Header 59), which delivers nothing.
   */
  public boolean isDummy() {
    return dummy;
  }

  /** The bytes the last packet charged to its SA's lifetime. */
  public int protectedBytes() {
    return protectedBytes;
  }
}
