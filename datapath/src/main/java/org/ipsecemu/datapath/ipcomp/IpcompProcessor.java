package org.ipsecemu.datapath.ipcomp;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.InsertionPoint;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.packet.Ipv6Header;
import org.ipsecemu.datapath.packet.TransportMode;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.Verdict;

/**
 * IP payload compression (IPComp, RFC 3173) with DEFLATE (RFC 2394) for one packet and one SA: raw
 * deflate through the JDK's {@link Inflater} and {@link Deflater} ({@code nowrap}: no zlib header
 * or checksum, as RFC 2394 §2 sends it).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |     Flags     |  Compression Parameter Index  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Inbound (§3.3): the SA is found by its CPI (the SPI of an SADB_X_SATYPE_IPCOMP SA, protocol
 * 108), the payload inflated into a buffer the caller gives, never beyond a hard cap: a payload
 * that would inflate past it, does not end its deflate stream, or is not deflate at all is {@code
 * malformed} (§3.3: "the packet MUST be dropped"), so a small packet cannot make the emulator write
 * more than the cap (no decompression bomb). Transport mode puts the IP header back in front with
 * the Next Header and length; tunnel mode yields the inner packet. The Flags field is ignored, as
 * §2.2 asks of receivers.
 *
 * <p>Outbound (§2.2): the payload (transport: what follows the headers routers read; tunnel: the
 * whole packet) is compressed only when it is at least {@link #DEFAULT_THRESHOLD} bytes (RFC 2394
 * §2's advice, Linux's threshold) and only sent compressed when that saves bytes: otherwise the
 * packet goes without an IPComp header, in tunnel mode as plain IP in IP between the SA's addresses
 * (as Linux's IPComp tunnel does), in transport mode unchanged. The JDK's deflater uses a 32 KB
 * window; Linux inflates with 2 KB, which makes no difference for datagrams of an Ethernet MTU.
 *
 * <p>Lifetimes are charged with the uncompressed payload, as Linux counts {@code skb->len} after
 * decompression. One instance per thread: it holds its own inflater, deflater and scratch array.
 */
public final class IpcompProcessor {
  /** The IP protocol number of IPComp. */
  public static final int PROTOCOL = 108;

  /** Length of the IPComp header. */
  public static final int HEADER_LENGTH = 4;

  /** Datagrams with a payload smaller than this are not compressed (RFC 2394 §2; Linux's 90). */
  public static final int DEFAULT_THRESHOLD = 90;

  private static final int IPV4 = 4;
  private static final int IPV6 = 41;
  private static final byte[] DUMMY = {0};

  private final Inflater inflater = new Inflater(true);
  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final IpPacket inner = new IpPacket();
  private final InsertionPoint insertion = new InsertionPoint();
  private final byte[] scratch = new byte[Ipv6Header.LENGTH + 0xffff];

  private int offset;
  private int length;
  private boolean tunnel;
  private boolean compressed;
  private int protectedBytes;

  /**
   * Decompresses the inbound IPComp packet {@code p} has parsed (its first header past the IP layer
   * is IPComp) under the SA {@code c}, into {@code out} from {@code base}: the result is at {@link
   * #offset()} for {@link #length()} bytes of {@code out}. At most {@code cap} bytes are inflated;
   * {@code out} must have room for the IP headers before the payload, {@code cap}, and one byte
   * more (to tell a payload of exactly {@code cap} from a bigger one).
   */
  public Verdict inbound(SaContext c, IpPacket p, byte[] out, int base, int cap) {
    byte[] buf = p.buffer();
    int ip = p.offset();
    int comp = p.protocolOffset();
    int end = p.end();
    tunnel = false;
    compressed = true;
    SaContext.Side s = c.inbound();
    s.lock();
    try {
      if (!s.ready()) {
        return c.goneInbound();
      }
    } finally {
      s.unlock();
    }
    if (end - comp <= HEADER_LENGTH) {
      return Verdict.MALFORMED;
    }
    int nextHeader = buf[comp] & 0xff;
    int headerLength = comp - ip;
    int field = p.protocolFieldOffset();
    boolean tunnelMode = c.isTunnel();
    int dst = tunnelMode ? base : base + headerLength;
    int room = Math.min(cap, out.length - dst - 1);
    int n = inflate(buf, comp + HEADER_LENGTH, end - comp - HEADER_LENGTH, out, dst, room);
    if (n < 0) {
      return Verdict.MALFORMED;
    }
    if (tunnelMode) {
      if ((nextHeader != IPV4 && nextHeader != IPV6)
          || !inner.parse(out, dst, n).isOk()
          || inner.version() != (nextHeader == IPV4 ? 4 : 6)) {
        return Verdict.MALFORMED;
      }
      tunnel = true;
      offset = dst;
      length = inner.length();
      protectedBytes = length;
    } else {
      System.arraycopy(buf, ip, out, base, headerLength);
      int total = headerLength + n;
      boolean rewritten =
          p.version() == 4
              ? TransportMode.rewriteIpv4(out, base, nextHeader, total)
              : TransportMode.rewriteIpv6(out, base, field - ip + base, nextHeader, total);
      if (!rewritten) {
        return Verdict.MALFORMED;
      }
      offset = base;
      length = total;
      protectedBytes = n;
    }
    return c.sa().charge(protectedBytes) ? Verdict.OK : Verdict.EXPIRED;
  }

  /**
   * Inflates {@code in[from, from+len)} into {@code out} at {@code at}: the byte count, or -1 when
   * the data is not one whole raw deflate stream that fits {@code cap} bytes.
   */
  private int inflate(byte[] in, int from, int len, byte[] out, int at, int cap) {
    inflater.reset();
    inflater.setInput(in, from, len);
    int n = 0;
    boolean dummy = false;
    try {
      while (!inflater.finished() && n <= cap) {
        int r = inflater.inflate(out, at + n, cap + 1 - n);
        if (r == 0) {
          if (inflater.needsInput() && !dummy) {
            // zlib may want one byte past a raw stream (the Inflater documentation's "dummy"
            // byte; Linux's deflate.c feeds one too).
            dummy = true;
            inflater.setInput(DUMMY);
            continue;
          }
          break;
        }
        n += r;
      }
    } catch (DataFormatException e) {
      return -1;
    }
    return inflater.finished() && n <= cap ? n : -1;
  }

  /**
   * Compresses the outbound packet {@code p} has parsed with the SA {@code c}, in place within
   * {@code buf[floor, ceiling)} of the packet's buffer (tunnel mode grows to the left by the outer
   * header). On {@link OutboundVerdict#OK} the packet to send is at {@link #offset()} for {@link
   * #length()} bytes; {@link #isCompressed()} says whether it carries IPComp.
   */
  public OutboundVerdict outbound(SaContext c, IpPacket p, int floor, int ceiling) {
    byte[] buf = p.buffer();
    int ip = p.offset();
    boolean tunnelMode = c.isTunnel();
    tunnel = tunnelMode;
    int data;
    int nextHeader;
    int field = -1;
    int outerLength = 0;
    if (tunnelMode) {
      outerLength = c.sa().family() == 6 ? Ipv6Header.LENGTH : 20;
      data = ip;
      nextHeader = p.version() == 4 ? IPV4 : IPV6;
    } else {
      if (p.isFragment() || !insertion.find(p).isOk()) {
        return OutboundVerdict.MALFORMED;
      }
      data = insertion.offset();
      nextHeader = insertion.nextHeader();
      field = insertion.nextHeaderFieldOffset();
    }
    int dataLength = p.end() - data;
    int n = dataLength >= DEFAULT_THRESHOLD ? deflate(buf, data, dataLength) : -1;
    compressed = n >= 0;
    int start = tunnelMode ? ip - outerLength - (compressed ? HEADER_LENGTH : 0) : ip;
    if (start < floor || p.end() > ceiling) {
      return OutboundVerdict.TOO_BIG;
    }
    SaContext.Side s = c.outbound();
    s.lock();
    try {
      if (!s.ready()) {
        return c.goneOutbound();
      }
      if (!c.sa().charge(dataLength)) {
        return OutboundVerdict.EXPIRED;
      }
      int cpi = c.sa().spi() & 0xffff;
      if (tunnelMode) {
        int payload = compressed ? HEADER_LENGTH + n : dataLength;
        // The outer header first, while the inner packet (DSCP, ECN, DF, flow label) is intact;
        // the compressed data then overwrites it.
        int written =
            s.outer()
                .write(
                    buf,
                    start,
                    compressed ? PROTOCOL : nextHeader,
                    payload,
                    s.nextIdentification(),
                    buf,
                    data);
        if (written < 0) {
          return OutboundVerdict.TOO_BIG;
        }
        if (compressed) {
          writeCompressed(buf, start + outerLength, nextHeader, cpi, n);
        }
        offset = start;
        length = outerLength + payload;
      } else {
        int headerLength = data - ip;
        if (compressed) {
          writeCompressed(buf, data, nextHeader, cpi, n);
          int total = headerLength + HEADER_LENGTH + n;
          if (p.version() == 4) {
            TransportMode.rewriteIpv4(buf, ip, PROTOCOL, total);
          } else {
            TransportMode.rewriteIpv6(buf, ip, field, PROTOCOL, total);
          }
          length = total;
        } else {
          length = p.length();
        }
        offset = ip;
      }
    } finally {
      s.unlock();
    }
    protectedBytes = dataLength;
    return OutboundVerdict.OK;
  }

  /**
   * Deflates {@code in[from, from+len)} into the scratch array: the compressed length, or -1 when
   * compressing does not save bytes (RFC 3173 §2.2: the IPComp header must be paid for too).
   */
  private int deflate(byte[] in, int from, int len) {
    int limit = len - HEADER_LENGTH - 1;
    if (limit <= 0) {
      return -1;
    }
    deflater.reset();
    deflater.setInput(in, from, len);
    deflater.finish();
    int n = 0;
    while (!deflater.finished() && n < limit) {
      int r = deflater.deflate(scratch, n, limit - n);
      if (r == 0 && deflater.needsInput()) {
        break;
      }
      n += r;
    }
    return deflater.finished() && n <= limit ? n : -1;
  }

  private void writeCompressed(byte[] buf, int at, int nextHeader, int cpi, int n) {
    buf[at] = (byte) nextHeader;
    buf[at + 1] = 0;
    BigEndian.putU16(buf, at + 2, cpi);
    System.arraycopy(scratch, 0, buf, at + HEADER_LENGTH, n);
  }

  /** Absolute index of the result of the last successful call. */
  public int offset() {
    return offset;
  }

  /** Length of that result. */
  public int length() {
    return length;
  }

  /** Whether the last packet was tunnel mode (inbound: its result is the inner packet). */
  public boolean isTunnel() {
    return tunnel;
  }

  /** Outbound: whether the last packet went compressed (with an IPComp header). */
  public boolean isCompressed() {
    return compressed;
  }

  /** The bytes the last packet charged to its SA's lifetime: the uncompressed payload. */
  public int protectedBytes() {
    return protectedBytes;
  }
}
