package org.ipsecemu.datapath.pipeline;

import java.util.Arrays;
import org.ipsecemu.sadb.engine.SecurityAssociation;

/**
 * The last SAs removed because they reached their HARD lifetime, so that a packet arriving for one
 * of them afterwards is counted {@code expired} rather than {@code no_sa}: the Key Engine removes
 * an SA the moment it expires (RFC 2367 §3.1.8 says it is then DEAD), but a user reading the
 * counters wants to know that the packets were refused because of the lifetime.
 *
 * <p>A bounded ring (the oldest entry makes room); an entry goes when an SA with the same
 * (protocol, SPI, destination) is added again. Only the miss path of inbound lookup reads it.
 */
final class ExpiredSas {
  private final int[] protocol;
  private final int[] spi;
  private final byte[][] destination;
  private int next;

  ExpiredSas(int capacity) {
    protocol = new int[capacity];
    spi = new int[capacity];
    destination = new byte[capacity][];
  }

  synchronized void add(SecurityAssociation sa) {
    int proto = sa.ipProtocol();
    if (proto == 0 || protocol.length == 0) {
      return;
    }
    int i = find(proto, sa.spi(), sa.destinationBytes(), 0, sa.addressLength());
    if (i < 0) {
      i = next;
      next = (next + 1) % protocol.length;
    }
    protocol[i] = proto;
    spi[i] = sa.spi();
    destination[i] = sa.destinationBytes();
  }

  synchronized void remove(SecurityAssociation sa) {
    byte[] d = sa.destinationBytes();
    int i = find(sa.ipProtocol(), sa.spi(), d, 0, d.length);
    if (i >= 0) {
      protocol[i] = 0;
      destination[i] = null;
    }
  }

  /** Whether (proto, spi, destination at {@code buf[off, off+len)}) expired recently. */
  synchronized boolean contains(int proto, int spiValue, byte[] buf, int off, int len) {
    return find(proto, spiValue, buf, off, len) >= 0;
  }

  private int find(int proto, int spiValue, byte[] buf, int off, int len) {
    for (int i = 0; i < protocol.length; i++) {
      byte[] d = destination[i];
      if (protocol[i] == proto
          && spi[i] == spiValue
          && d != null
          && d.length == len
          && Arrays.equals(d, 0, len, buf, off, off + len)) {
        return i;
      }
    }
    return -1;
  }
}
