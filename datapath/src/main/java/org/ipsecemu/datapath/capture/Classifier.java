package org.ipsecemu.datapath.capture;

import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.pcap.Frame;

/**
 * Decides where a frame goes: nowhere (no IP packet, or a cleartext packet cut short), inbound or
 * outbound, by the replay's {@link ReplayDirection}. In {@code auto}, a packet whose first header
 * past IP (IPv6: past the extension headers) is ESP, AH or IPComp goes inbound, and so does UDP to
 * or from port 4500 (RFC 3948: ESP in UDP, IKE or a NAT-keepalive; the datapath tells them apart,
 * decapsulates the ESP and lets the other two through untouched), whether or not the key file
 * declared the SA as UDP-encapsulated; anything else goes outbound. IP fragments were reassembled
 * before this (see {@link CaptureReplay}). Used by the reading thread only.
 */
final class Classifier {
  private static final int ESP = 50;
  private static final int AH = 51;
  private static final int UDP = 17;
  private static final int IPCOMP = 108;
  private static final int NAT_T_PORT = 4500;

  private final ReplayDirection direction;
  private final IpPacket ip = new IpPacket();
  private boolean parsed;

  Classifier(ReplayDirection direction) {
    this.direction = direction;
  }

  Slot.Kind classify(Frame f) {
    if (!f.hasIp()) {
      return Slot.Kind.NON_IP;
    }
    if (direction == ReplayDirection.IN) {
      return Slot.Kind.INBOUND;
    }
    if (direction == ReplayDirection.AUTO) {
      int proto = firstProtocol(f);
      if (proto == ESP || proto == AH || proto == IPCOMP || proto == UDP && natTraversal()) {
        return Slot.Kind.INBOUND;
      }
    }
    // A cleartext packet cut short by the snapshot length has no whole payload to protect.
    return f.ipTruncated() ? Slot.Kind.TRUNCATED : Slot.Kind.OUTBOUND;
  }

  /** Whether the UDP datagram {@link #firstProtocol} just parsed is to or from port 4500. */
  private boolean natTraversal() {
    if (!parsed || ip.isFragment() || ip.end() - ip.protocolOffset() < 8) {
      return false;
    }
    byte[] d = ip.buffer();
    int udp = ip.protocolOffset();
    return BigEndian.getU16(d, udp) == NAT_T_PORT || BigEndian.getU16(d, udp + 2) == NAT_T_PORT;
  }

  /** The protocol after the IP layer (IPv6: after the extension headers), or -1. */
  private int firstProtocol(Frame f) {
    byte[] d = f.data();
    int off = f.ipOffset();
    int len = f.ipLength();
    parsed = ip.parse(d, off, len).isOk();
    if (parsed) {
      return ip.protocol();
    }
    // Cut short by the snapshot length (or broken): the first header's own protocol field.
    if (len >= 20 && (d[off] & 0xf0) == 0x40) {
      return d[off + 9] & 0xff;
    }
    if (len >= 40 && (d[off] & 0xf0) == 0x60) {
      return d[off + 6] & 0xff;
    }
    return -1;
  }
}
