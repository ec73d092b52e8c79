package org.ipsecemu.datapath.capture;

import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.pcap.Frame;

/**
 * Decides where a frame goes: nowhere (no IP packet, or a cleartext packet cut short), inbound or
 * outbound, by the replay's {@link ReplayDirection}. In {@code auto}, a packet whose first header
 * past IP (IPv6: past the extension headers) is ESP or AH goes inbound, anything else outbound.
 *
 * <p>The seam for what replay does not do yet: ESP in UDP (RFC 3948) would be recognised here (UDP
 * port 4500 without the non-ESP marker goes inbound) and unwrapped before the datapath; IP
 * fragments would be reassembled before this, a datagram taking the slot of its last fragment. Used
 * by the reading thread only.
 */
final class Classifier {
  private static final int ESP = 50;
  private static final int AH = 51;

  private final ReplayDirection direction;
  private final IpPacket ip = new IpPacket();

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
      if (proto == ESP || proto == AH) {
        return Slot.Kind.INBOUND;
      }
    }
    // A cleartext packet cut short by the snapshot length has no whole payload to protect.
    return f.ipTruncated() ? Slot.Kind.TRUNCATED : Slot.Kind.OUTBOUND;
  }

  /** The protocol after the IP layer (IPv6: after the extension headers), or -1. */
  private int firstProtocol(Frame f) {
    byte[] d = f.data();
    int off = f.ipOffset();
    int len = f.ipLength();
    if (ip.parse(d, off, len).isOk()) {
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
