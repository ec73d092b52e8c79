package org.ipsecemu.datapath.packet;

/**
 * A raw IP packet of either version, parsed once: the version's header view, the datagram's true
 * end, and the first header past the IP layer (ESP, AH or the upper layer) with the byte that names
 * it. This is what the pipeline needs to pick the SA ({@code getassocbyspi(dst, spi, proto)}) and,
 * in transport mode, to rebuild the IP header.
 *
 * <p>For IPv4 the IP layer ends after the options and the naming byte is the Protocol field; for
 * IPv6 the extension headers are walked ({@link Ipv6ExtensionWalker}) and the naming byte is the
 * last Next Header field on the way.
 *
 * <p>Reusable: {@link #parse} again for the next packet. All offsets are absolute indexes into the
 * buffer. Not thread-safe.
 */
public final class IpPacket {
  private final Ipv4Header ipv4 = new Ipv4Header();
  private final Ipv6Header ipv6 = new Ipv6Header();
  private final Ipv6ExtensionWalker walker = new Ipv6ExtensionWalker();

  private byte[] buffer;
  private int offset;
  private int version;
  private int end;
  private int protocol;
  private int protocolOffset;
  private int protocolFieldOffset;
  private boolean fragment;
  private boolean nonInitialFragment;

  /**
   * Parses the packet in {@code buf[offset, offset + length)}: the fixed header, IPv4 options or
   * IPv6 extension headers. Returns {@link ParseResult#OK} or the first defect; after a defect the
   * getters are meaningless.
   */
  public ParseResult parse(byte[] buf, int offset, int length) {
    this.buffer = buf;
    this.offset = offset;
    this.version = 0;
    if (buf == null || offset < 0 || length < 1 || offset > buf.length - length) {
      return ParseResult.TRUNCATED;
    }
    int v = (buf[offset] >> 4) & 0xf;
    if (v == 4) {
      ParseResult r = ipv4.wrap(buf, offset, length).validate();
      if (!r.isOk()) {
        return r;
      }
      version = 4;
      end = ipv4.end();
      protocol = ipv4.protocol();
      protocolOffset = ipv4.payloadOffset();
      protocolFieldOffset = offset + Ipv4Header.PROTOCOL_OFFSET;
      fragment = ipv4.isFragment();
      nonInitialFragment = ipv4.fragmentOffset() != 0;
      return ParseResult.OK;
    }
    if (v == 6) {
      ParseResult r = ipv6.wrap(buf, offset, length).validate();
      if (!r.isOk()) {
        return r;
      }
      end = ipv6.end();
      r = walker.walk(buf, offset, end);
      if (!r.isOk()) {
        return r;
      }
      version = 6;
      protocol = walker.protocol();
      protocolOffset = walker.protocolOffset();
      protocolFieldOffset = walker.nextHeaderFieldOffset();
      fragment = walker.isFragment();
      nonInitialFragment = walker.isNonInitialFragment();
      return ParseResult.OK;
    }
    return length < Ipv4Header.MIN_LENGTH ? ParseResult.TRUNCATED : ParseResult.BAD_VERSION;
  }

  public byte[] buffer() {
    return buffer;
  }

  /** Absolute index of the first byte of the IP header. */
  public int offset() {
    return offset;
  }

  /** 4 or 6 after a successful parse, 0 otherwise. */
  public int version() {
    return version;
  }

  /** The IPv4 view (valid when {@link #version()} is 4). */
  public Ipv4Header ipv4() {
    return ipv4;
  }

  /** The IPv6 view (valid when {@link #version()} is 6). */
  public Ipv6Header ipv6() {
    return ipv6;
  }

  /** The extension header walk (valid when {@link #version()} is 6). */
  public Ipv6ExtensionWalker extensions() {
    return walker;
  }

  /** Absolute index one past the datagram's last byte (link-layer padding excluded). */
  public int end() {
    return end;
  }

  /** Datagram length in bytes: IPv4 total length, or 40 + IPv6 payload length. */
  public int length() {
    return end - offset;
  }

  /** Bytes of IP layer before {@link #protocolOffset()}: options and extension headers included. */
  public int headerLength() {
    return protocolOffset - offset;
  }

  /** Protocol of the first header past the IP layer (50 ESP, 51 AH, 6 TCP, ...). */
  public int protocol() {
    return protocol;
  }

  /** Absolute index of that header (may equal {@link #end()} when it is empty). */
  public int protocolOffset() {
    return protocolOffset;
  }

  /** Absolute index of the byte naming {@link #protocol()} (IPv4 Protocol or a Next Header). */
  public int protocolFieldOffset() {
    return protocolFieldOffset;
  }

  /** Address length: 4 or 16. */
  public int addressLength() {
    return version == 4 ? 4 : 16;
  }

  /** Absolute index of the source address. */
  public int sourceOffset() {
    return version == 4 ? ipv4.sourceOffset() : ipv6.sourceOffset();
  }

  /** Absolute index of the destination address. */
  public int destinationOffset() {
    return version == 4 ? ipv4.destinationOffset() : ipv6.destinationOffset();
  }

  /** True for any fragment (IPv4 MF or offset; IPv6 Fragment header other than atomic). */
  public boolean isFragment() {
    return fragment;
  }

  /** True for a fragment other than the first, whose upper-layer header is elsewhere. */
  public boolean isNonInitialFragment() {
    return nonInitialFragment;
  }
}
