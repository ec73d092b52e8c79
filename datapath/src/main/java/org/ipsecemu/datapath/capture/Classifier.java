package org.ipsecemu.datapath.capture;

import org.ipsecemu.datapath.natt.EspInUdp;
import org.ipsecemu.datapath.natt.UdpPayload;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.pcap.Frame;
import org.ipsecemu.sadb.engine.KeyEngine;

/**
 * Decides where a frame goes: nowhere (no IP packet, or a cleartext packet cut short), inbound or
 * outbound, by the replay's {@link ReplayDirection}. In {@code auto}, a packet whose first header
 * past IP (IPv6: past the extension headers) is ESP, AH or IPComp goes inbound, and so does UDP to
 * or from port 4500 (RFC 3948: ESP in UDP, IKE or a NAT-keepalive; the datapath tells them apart,
 * decapsulates the ESP and lets the other two through untouched), whether or not the key file
 * declared the SA as UDP-encapsulated, and UDP on the ports an SA of its SPI declares ({@link
 * EspInUdp#classify}, the datapath's own test); anything else goes outbound. IP fragments were
 * reassembled before this (see {@link CaptureReplay}). Used by the reading thread only.
 */
final class Classifier {
  private static final int ESP = 50;
  private static final int AH = 51;
  private static final int UDP = 17;
  private static final int IPCOMP = 108;

  private final ReplayDirection direction;
  private final KeyEngine engine;
  private final IpPacket ip = new IpPacket();
  private boolean parsed;

  /** {@code engine} holds the SAs whose NAT-T ports make a UDP datagram ESP. */
  Classifier(ReplayDirection direction, KeyEngine engine) {
    this.direction = direction;
    this.engine = engine;
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

  /** Whether the UDP datagram {@link #firstProtocol} just parsed is NAT traversal (RFC 3948). */
  private boolean natTraversal() {
    return parsed && !ip.isFragment() && EspInUdp.classify(ip, engine) != UdpPayload.NOT_NATT;
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
