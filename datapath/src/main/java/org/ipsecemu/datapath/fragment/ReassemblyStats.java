package org.ipsecemu.datapath.fragment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reassembler's counters at one moment, by {@link FragmentEvent#label()} in declaration order,
 * with what it holds: datagrams in progress and the bytes they take.
 *
 * @param counts every event's count, zeros included
 * @param pendingDatagrams datagrams waiting for more fragments
 * @param pendingBytes bytes held for them (fragment data and first headers)
 */
public record ReassemblyStats(Map<String, Long> counts, int pendingDatagrams, long pendingBytes) {
  /** Copies the map, keeping its order. */
  public ReassemblyStats {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }

  /** The count of one event. */
  public long count(FragmentEvent e) {
    return counts.getOrDefault(e.label(), 0L);
  }
}
