package org.ipsecemu.datapath.sa;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One SA's packet counters by verdict, inbound and outbound: exact under concurrency, lock-free and
 * allocation-free to increment. A packet processed by a bundle of SAs counts on each SA it went
 * through, under the packet's verdict; a packet dropped by one SA of a bundle counts on that SA
 * only.
 */
public final class SaCounters {
  private static final Verdict[] IN = Verdict.values();
  private static final OutboundVerdict[] OUT = OutboundVerdict.values();

  private final AtomicLongArray inbound = new AtomicLongArray(IN.length);
  private final AtomicLongArray outbound = new AtomicLongArray(OUT.length);

  /** Counts one inbound packet. */
  public void count(Verdict v) {
    inbound.incrementAndGet(v.ordinal());
  }

  /** Counts one outbound packet. */
  public void count(OutboundVerdict v) {
    outbound.incrementAndGet(v.ordinal());
  }

  /** Inbound packets with this verdict so far. */
  public long inbound(Verdict v) {
    return inbound.get(v.ordinal());
  }

  /** Outbound packets with this verdict so far. */
  public long outbound(OutboundVerdict v) {
    return outbound.get(v.ordinal());
  }

  /** Inbound counts by label, every verdict listed (allocates; for statistics). */
  public Map<String, Long> inboundByLabel() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Verdict v : IN) {
      m.put(v.label(), inbound(v));
    }
    return m;
  }

  /** Outbound counts by label, every verdict listed (allocates; for statistics). */
  public Map<String, Long> outboundByLabel() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (OutboundVerdict v : OUT) {
      m.put(v.label(), outbound(v));
    }
    return m;
  }

  @Override
  public String toString() {
    return "inbound=" + inboundByLabel() + " outbound=" + outboundByLabel();
  }
}
