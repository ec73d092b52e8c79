package org.ipsecemu.datapath.serve;

import java.nio.ByteBuffer;
import org.ipsecemu.sadb.wire.SockAddr;

/** IPv4 packets for the control-socket tests, built field by field (RFC 791, RFC 768). */
final class Ip4 {
  private Ip4() {}

  /** An IPv4 header (no options, TTL 64, a correct header checksum) followed by a UDP datagram. */
  static byte[] udp(String src, String dst, int sport, int dport, byte[] data) {
    int total = 20 + 8 + data.length;
    ByteBuffer b = ByteBuffer.allocate(total);
    b.put((byte) 0x45).put((byte) 0).putShort((short) total);
    b.putShort((short) 1).putShort((short) 0);
    b.put((byte) 64).put((byte) 17).putShort((short) 0);
    b.put(SockAddr.parseAddress(src).getAddress()).put(SockAddr.parseAddress(dst).getAddress());
    b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + data.length));
    b.putShort((short) 0); // UDP checksum 0: none (RFC 768)
    b.put(data);
    byte[] p = b.array();
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
    }
    sum = (sum & 0xFFFF) + (sum >>> 16);
    sum = (sum & 0xFFFF) + (sum >>> 16);
    int checksum = ~sum & 0xFFFF;
    p[10] = (byte) (checksum >>> 8);
    p[11] = (byte) checksum;
    return p;
  }
}
