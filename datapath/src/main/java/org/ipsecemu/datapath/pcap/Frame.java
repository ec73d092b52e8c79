package org.ipsecemu.datapath.pcap;

import java.time.Instant;
import java.util.Arrays;

/**
 * One captured frame and where its IP packet lies: the holder {@link PcapReader} fills, and the
 * unit {@link PcapWriter} writes.
 *
 * <p>A reusable view, in the manner of a flyweight: {@link #wrap} points it at a frame's bytes and
 * classifies the link layer at once, without allocating; the reader wraps the same holder for every
 * frame. Whoever keeps a frame past the next read keeps a {@link #copy()}. The bytes are not
 * copied: a frame read by {@link PcapReader} owns a fresh array from libpcap, which the caller may
 * change in place (decrypting, say) before writing the frame out.
 *
 * <p>The IP packet is {@code data()[ipOffset() .. ipOffset() + ipLength())}. Its length comes from
 * the IP header's own length field (IPv4 total length, IPv6 payload length + 40), so Ethernet
 * padding and trailers are left out; when that field is zero (jumbograms, TSO captures) or
 * unreadable, the packet runs to the end of the captured bytes. When the field asks for more bytes
 * than were captured, {@link #ipTruncated()} is set and the length is what was captured.
 */
public final class Frame {
  static final int ETHERTYPE_IPV4 = 0x0800;
  static final int ETHERTYPE_IPV6 = 0x86DD;

  private LinkType linkType;
  private byte[] data;
  private int length;
  private int originalLength;
  private long epochSecond;
  private int nanos;
  private long number;

  private int ipOffset;
  private int ipLength;
  private int ipVersion;
  private boolean ipTruncated;
  private NonIpReason nonIpReason;
  private int linkProtocol;

  /** Where the field naming the IP version lies (EtherType, SLL protocol, NULL family), or -1. */
  int protocolFieldOffset;

  /** NULL / LOOP only: the family field is little-endian. */
  boolean familyLittleEndian;

  /**
   * NULL / LOOP only: the AF_INET6 value this capture uses, learned from the last IPv6 frame
   * wrapped by this holder (0 before any); kept across {@link #wrap} on purpose.
   */
  int inet6Family;

  /**
   * Points this holder at a frame of {@code length} bytes at the start of {@code data} and finds
   * its IP packet. Resets the original length to {@code length}, the timestamp to the epoch and the
   * number to 0; set them after.
   *
   * @throws IllegalArgumentException if {@code length} is outside {@code data}
   */
  public Frame wrap(LinkType linkType, byte[] data, int length) {
    if (linkType == null || data == null) {
      throw new IllegalArgumentException("linkType and data are required");
    }
    if (length < 0 || length > data.length) {
      throw new IllegalArgumentException(
          "frame length=" + length + " outside data length=" + data.length);
    }
    this.linkType = linkType;
    this.data = data;
    this.length = length;
    this.originalLength = length;
    this.epochSecond = 0;
    this.nanos = 0;
    this.number = 0;
    LinkLayer.classify(this);
    return this;
  }

  /** Sets the frame's length on the wire (at least its captured length in a sane capture). */
  public Frame originalLength(int originalLength) {
    if (originalLength < 0) {
      throw new IllegalArgumentException("original length=" + originalLength);
    }
    this.originalLength = originalLength;
    return this;
  }

  /** Sets the capture timestamp: seconds since the epoch and nanoseconds within the second. */
  public Frame timestamp(long epochSecond, int nanos) {
    if (nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException("nanos=" + nanos);
    }
    this.epochSecond = epochSecond;
    this.nanos = nanos;
    return this;
  }

  /** Sets the frame's number in its capture, counted from 1 as Wireshark counts. */
  public Frame number(long number) {
    this.number = number;
    return this;
  }

  // Set by LinkLayer.classify.
  void ip(int offset, int ipLength, int version, boolean truncated, int protocol) {
    this.ipOffset = offset;
    this.ipLength = ipLength;
    this.ipVersion = version;
    this.ipTruncated = truncated;
    this.nonIpReason = null;
    this.linkProtocol = protocol;
  }

  void nonIp(NonIpReason reason, int protocol) {
    this.ipOffset = -1;
    this.ipLength = 0;
    this.ipVersion = 0;
    this.ipTruncated = false;
    this.nonIpReason = reason;
    this.linkProtocol = protocol;
  }

  /** The link type of the capture this frame comes from. */
  public LinkType linkType() {
    return linkType;
  }

  /** The array holding the frame from index 0; may be longer than the frame. */
  public byte[] data() {
    return data;
  }

  /** The captured length in bytes (pcap's caplen). */
  public int length() {
    return length;
  }

  /** The length on the wire (pcap's len); more than {@link #length()} when the snaplen cut it. */
  public int originalLength() {
    return originalLength;
  }

  /** Capture time: whole seconds since 1970-01-01T00:00:00Z. */
  public long epochSecond() {
    return epochSecond;
  }

  /** Capture time: nanoseconds within the second, 0 to 999,999,999. */
  public int nanos() {
    return nanos;
  }

  /** The capture time as an {@link Instant} (allocates). */
  public Instant timestamp() {
    return Instant.ofEpochSecond(epochSecond, nanos);
  }

  /** The frame's number in its capture, from 1; 0 for a frame not read from a file. */
  public long number() {
    return number;
  }

  /** Whether the frame carries an IPv4 or IPv6 packet. */
  public boolean hasIp() {
    return linkType != null && nonIpReason == null;
  }

  /** Offset of the IP header in {@link #data()}, which is the link header's length; -1 if none. */
  public int ipOffset() {
    return ipOffset;
  }

  /** Length of the IP packet in bytes (see the class comment); 0 if none. */
  public int ipLength() {
    return ipLength;
  }

  /** 4 or 6, as the link header says (the version nibble for raw IP); 0 if no IP packet. */
  public int ipVersion() {
    return ipVersion;
  }

  /** Whether the IP header's length field asks for more bytes than were captured. */
  public boolean ipTruncated() {
    return ipTruncated;
  }

  /** Why there is no IP packet, or {@code null} when there is one. */
  public NonIpReason nonIpReason() {
    return nonIpReason;
  }

  /**
   * The protocol value the link header carries: the innermost EtherType (Ethernet, SLL), the
   * address family (NULL, LOOP), the version nibble (raw IP); -1 when the header is too short.
   */
  public int linkProtocol() {
    return linkProtocol;
  }

  /** A deep copy (bytes included, trimmed to the captured length) that later reads leave alone. */
  public Frame copy() {
    Frame c = new Frame();
    c.linkType = linkType;
    c.data = data == null ? null : Arrays.copyOf(data, length);
    c.length = length;
    c.originalLength = originalLength;
    c.epochSecond = epochSecond;
    c.nanos = nanos;
    c.number = number;
    c.ipOffset = ipOffset;
    c.ipLength = ipLength;
    c.ipVersion = ipVersion;
    c.ipTruncated = ipTruncated;
    c.nonIpReason = nonIpReason;
    c.linkProtocol = linkProtocol;
    c.protocolFieldOffset = protocolFieldOffset;
    c.familyLittleEndian = familyLittleEndian;
    c.inet6Family = inet6Family;
    return c;
  }

  /** {@code frame=3 time=1700000002.123458000 caplen=42 len=42 link=EN10MB ip=none ...}. */
  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder()
            .append("frame=")
            .append(number)
            .append(" time=")
            .append(epochSecond)
            .append('.')
            .append(String.format("%09d", nanos))
            .append(" caplen=")
            .append(length)
            .append(" len=")
            .append(originalLength)
            .append(" link=")
            .append(linkType == null ? "none" : linkType.pcapName());
    if (linkType == null) {
      return b.toString();
    }
    if (hasIp()) {
      b.append(" ip=v")
          .append(ipVersion)
          .append(" ip_offset=")
          .append(ipOffset)
          .append(" ip_length=")
          .append(ipLength);
      if (ipTruncated) {
        b.append(" ip_truncated=true");
      }
    } else {
      b.append(" ip=none reason=").append(nonIpReason.label());
    }
    b.append(" protocol=");
    return (linkProtocol < 0
            ? b.append("none")
            : b.append("0x").append(Integer.toHexString(linkProtocol)))
        .toString();
  }
}
