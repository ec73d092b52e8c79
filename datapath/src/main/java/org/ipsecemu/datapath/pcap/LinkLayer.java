package org.ipsecemu.datapath.pcap;

import java.util.Arrays;

/**
 * The link-layer headers replay reads: finding the IP packet in a frame, and rebuilding a frame
 * around a replaced IP packet.
 *
 * <p>Layouts (all fields big-endian unless said):
 *
 * <pre>
 * EN10MB      dst(6) src(6) type(2), where type 0x8100 / 0x88a8 / 0x9100 is a tag:
 *             TCI(2) type(2) follows, any number of times (802.1Q, 802.1ad QinQ)
 * LINUX_SLL   packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)      16 bytes
 * LINUX_SLL2  protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1)
 *             address length(1) address(8)                                          20 bytes
 * NULL        family(4) in the capturing host's byte order                           4 bytes
 * LOOP        family(4) in network byte order                                        4 bytes
 * RAW, IPV4, IPV6: no header; RAW tells the version by the first nibble.
 * </pre>
 *
 * An SLL protocol field is an EtherType; a VLAN tag after it is followed as on Ethernet.
 */
public final class LinkLayer {
  private static final int ETHERTYPE_ARP = 0x0806;
  private static final int ETHERTYPE_RARP = 0x8035;
  private static final int ETHERTYPE_8021Q = 0x8100;
  private static final int ETHERTYPE_8021AD = 0x88A8;

  /** Pre-standard QinQ outer tag, still seen on some switches. */
  private static final int ETHERTYPE_QINQ_OLD = 0x9100;

  private static final int ETHERNET_TYPE_OFFSET = 12;
  private static final int ETHERNET_HEADER_LENGTH = 14;
  private static final int VLAN_TAG_LENGTH = 4;
  private static final int SLL_PROTOCOL_OFFSET = 14;
  private static final int SLL2_PROTOCOL_OFFSET = 0;
  private static final int SLL_HEADER_LENGTH = 16;
  private static final int SLL2_HEADER_LENGTH = 20;
  private static final int NULL_HEADER_LENGTH = 4;

  /** AF_INET: 2 on every BSD. */
  static final int AF_INET = 2;

  /** AF_INET6 on NetBSD, OpenBSD and BSD/OS; AF_INET6 differs among BSDs. */
  static final int AF_INET6_BSD = 24;

  /** AF_INET6 on FreeBSD and DragonFly. */
  static final int AF_INET6_FREEBSD = 28;

  /** AF_INET6 on macOS and iOS. */
  static final int AF_INET6_DARWIN = 30;

  private static final int IPV4_MIN_HEADER = 20;
  private static final int IPV6_HEADER = 40;

  private LinkLayer() {}

  /** Finds the IP packet of a frame just wrapped, and records it in the frame. */
  static void classify(Frame f) {
    byte[] d = f.data();
    int len = f.length();
    f.protocolFieldOffset = -1;
    switch (f.linkType()) {
      case EN10MB -> etherTypeChain(f, d, len, ETHERNET_TYPE_OFFSET, ETHERNET_HEADER_LENGTH);
      case LINUX_SLL -> etherTypeChain(f, d, len, SLL_PROTOCOL_OFFSET, SLL_HEADER_LENGTH);
      case LINUX_SLL2 -> etherTypeChain(f, d, len, SLL2_PROTOCOL_OFFSET, SLL2_HEADER_LENGTH);
      case NULL, LOOP -> nullFamily(f, d, len);
      case RAW, RAW_OPENBSD, LINKTYPE_RAW -> {
        int version = len == 0 ? -1 : (d[0] >> 4) & 0xF;
        if (version == 4 || version == 6) {
          ipAt(f, d, len, 0, version, version);
        } else {
          f.nonIp(NonIpReason.UNKNOWN_IP_VERSION, version);
        }
      }
      case IPV4 -> ipAt(f, d, len, 0, 4, len == 0 ? -1 : (d[0] >> 4) & 0xF);
      case IPV6 -> ipAt(f, d, len, 0, 6, len == 0 ? -1 : (d[0] >> 4) & 0xF);
      default -> throw new IllegalStateException("link type " + f.linkType());
    }
  }

  private static boolean isTag(int type) {
    return type == ETHERTYPE_8021Q || type == ETHERTYPE_8021AD || type == ETHERTYPE_QINQ_OLD;
  }

  /**
   * Reads the EtherType at {@code typeOffset}, whose header ends at {@code headerEnd}, and follows
   * VLAN tags: a tag's TCI sits at the header end and the next EtherType after it.
   */
  private static void etherTypeChain(Frame f, byte[] d, int len, int typeOffset, int headerEnd) {
    int typeAt = typeOffset;
    int end = headerEnd;
    while (true) {
      if (len < end) {
        f.nonIp(NonIpReason.SHORT_LINK_HEADER, -1);
        return;
      }
      int type = u16(d, typeAt);
      if (!isTag(type)) {
        f.protocolFieldOffset = typeAt;
        byEtherType(f, d, len, type, end);
        return;
      }
      typeAt = end + 2;
      end += VLAN_TAG_LENGTH;
    }
  }

  private static void byEtherType(Frame f, byte[] d, int len, int type, int ipOffset) {
    switch (type) {
      case Frame.ETHERTYPE_IPV4 -> ipAt(f, d, len, ipOffset, 4, type);
      case Frame.ETHERTYPE_IPV6 -> ipAt(f, d, len, ipOffset, 6, type);
      case ETHERTYPE_ARP, ETHERTYPE_RARP -> f.nonIp(NonIpReason.ARP, type);
      default -> f.nonIp(NonIpReason.OTHER_ETHERTYPE, type);
    }
  }

  private static void nullFamily(Frame f, byte[] d, int len) {
    if (len < NULL_HEADER_LENGTH) {
      f.nonIp(NonIpReason.SHORT_LINK_HEADER, -1);
      return;
    }
    // Families are small numbers: the byte order that leaves the upper half zero is the one
    // the capturing host wrote (Wireshark decides the same way).
    int family = s32be(d, 0);
    boolean little = (family & 0xFFFF0000) != 0;
    if (little) {
      family = Integer.reverseBytes(family);
    }
    f.protocolFieldOffset = 0;
    f.familyLittleEndian = little;
    switch (family) {
      case AF_INET -> ipAt(f, d, len, NULL_HEADER_LENGTH, 4, family);
      case AF_INET6_BSD, AF_INET6_FREEBSD, AF_INET6_DARWIN -> {
        f.inet6Family = family;
        ipAt(f, d, len, NULL_HEADER_LENGTH, 6, family);
      }
      default -> f.nonIp(NonIpReason.OTHER_FAMILY, family);
    }
  }

  /** Records an IP packet at {@code off}, its length taken from its own header. */
  private static void ipAt(Frame f, byte[] d, int len, int off, int version, int protocol) {
    int avail = len - off;
    int declared;
    if (version == 4) {
      declared = avail >= 4 ? u16(d, off + 2) : -1;
      if (declared >= 0 && declared < IPV4_MIN_HEADER) {
        declared = 0; // zero (TSO) or nonsense: the datapath judges the header itself
      }
    } else {
      declared = avail >= 6 ? IPV6_HEADER + u16(d, off + 4) : -1;
      if (declared == IPV6_HEADER && avail > IPV6_HEADER) {
        declared = 0; // payload length 0 with bytes after the header: a jumbogram
      }
    }
    if (declared < 0) {
      f.ip(off, avail, version, true, protocol);
    } else if (declared == 0) {
      f.ip(off, avail, version, false, protocol);
    } else if (declared > avail) {
      f.ip(off, avail, version, true, protocol);
    } else {
      f.ip(off, declared, version, false, protocol);
    }
  }

  /**
   * Builds a new frame around a replaced IP packet: the original's link header (with its VLAN tags)
   * followed by {@code ip[off .. off + len)}. The field naming the network protocol (EtherType, SLL
   * protocol, NULL / LOOP family) is set to the new packet's version, so that tunnel mode turning
   * IPv6-in-IPv4 into IPv6 gives a frame Wireshark reads as IPv6. The original's trailer (Ethernet
   * padding, FCS) is not carried over.
   *
   * @return a new array holding exactly the rebuilt frame
   * @throws CaptureException (LINK_TYPE_MISMATCH) when the link type holds one IP version only
   *     (IPV4, IPV6) and the new packet is of the other
   * @throws IllegalArgumentException when {@code original} carries no IP packet or {@code ip} is
   *     not an IPv4 or IPv6 packet
   */
  public static byte[] rebuild(Frame original, byte[] ip, int off, int len)
      throws CaptureException {
    if (!original.hasIp()) {
      throw new IllegalArgumentException("frame has no IP packet to replace: " + original);
    }
    if (off < 0 || len < 1 || off + len > ip.length) {
      throw new IllegalArgumentException(
          "replacement packet offset=" + off + " length=" + len + " array=" + ip.length);
    }
    int version = (ip[off] >> 4) & 0xF;
    if (version != 4 && version != 6) {
      throw new IllegalArgumentException("replacement is not an IP packet: version=" + version);
    }
    LinkType type = original.linkType();
    if ((type == LinkType.IPV4 && version != 4) || (type == LinkType.IPV6 && version != 6)) {
      throw new CaptureException(
          CaptureException.Kind.LINK_TYPE_MISMATCH,
          "frame "
              + original.number()
              + ": link type "
              + type
              + " cannot carry an IPv"
              + version
              + " packet");
    }
    int header = original.ipOffset();
    byte[] out = Arrays.copyOf(original.data(), header + len);
    System.arraycopy(ip, off, out, header, len);
    int field = original.protocolFieldOffset;
    if (version != original.ipVersion() && field >= 0) {
      switch (type) {
        case EN10MB, LINUX_SLL, LINUX_SLL2 ->
            putU16(out, field, version == 4 ? Frame.ETHERTYPE_IPV4 : Frame.ETHERTYPE_IPV6);
        case NULL, LOOP -> {
          int family = AF_INET;
          if (version == 6) {
            family = original.inet6Family != 0 ? original.inet6Family : AF_INET6_BSD;
          }
          putS32be(out, field, original.familyLittleEndian ? Integer.reverseBytes(family) : family);
        }
        default -> {
          // raw IP: no field to change
        }
      }
    }
    return out;
  }

  private static int u16(byte[] d, int i) {
    return ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
  }

  private static int s32be(byte[] d, int i) {
    return ((d[i] & 0xFF) << 24)
        | ((d[i + 1] & 0xFF) << 16)
        | ((d[i + 2] & 0xFF) << 8)
        | (d[i + 3] & 0xFF);
  }

  private static void putU16(byte[] d, int i, int v) {
    d[i] = (byte) (v >>> 8);
    d[i + 1] = (byte) v;
  }

  private static void putS32be(byte[] d, int i, int v) {
    d[i] = (byte) (v >>> 24);
    d[i + 1] = (byte) (v >>> 16);
    d[i + 2] = (byte) (v >>> 8);
    d[i + 3] = (byte) v;
  }
}
