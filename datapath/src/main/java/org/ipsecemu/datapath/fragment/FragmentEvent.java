package org.ipsecemu.datapath.fragment;

/**
 * What happened to a fragment or a datagram in reassembly, each counted under its {@link #label()}
 * in {@link ReassemblyStats}: nothing that enters the reassembler leaves it uncounted.
 */
public enum FragmentEvent {
  /** A fragment was offered (every fragment counts here once, whatever became of it). */
  FRAGMENT("fragments"),
  /** A datagram was completed and handed back. */
  REASSEMBLED("reassembled"),
  /** A datagram's fragments did not all arrive within the timeout: dropped whole. */
  TIMEOUT("timeout"),
  /**
   * A datagram was dropped whole to keep within the memory or datagram-count bound (the oldest goes
   * first).
   */
  EVICTED("evicted"),
  /**
   * Two fragments of a datagram overlapped: the whole datagram is dropped (RFC 5722 for IPv6, and
   * Linux does the same for IPv4), and its later fragments with it.
   */
  OVERLAP("overlap"),
  /**
   * A datagram would exceed 65535 bytes (IPv4 total length, IPv6 payload length): dropped whole, as
   * the "ping of death" deserves.
   */
  TOO_BIG("too_big"),
  /** A datagram came in more fragments than allowed: dropped whole. */
  TOO_MANY_FRAGMENTS("too_many_fragments"),
  /**
   * Fragments disagree on where the datagram ends (two last fragments with different ends, or data
   * past a known end): dropped whole.
   */
  INCONSISTENT("inconsistent"),
  /** An exact duplicate of a fragment already held: that fragment alone is dropped. */
  DUPLICATE("duplicate"),
  /**
   * A fragment of a datagram already dropped (for overlap, size, count or inconsistency) arrived
   * before that datagram's timeout ran out: dropped too.
   */
  LATE("late"),
  /**
   * A fragment that cannot be taken: a bad IP header, no data, or a fragment other than the last
   * whose data is not a multiple of 8 bytes (RFC 791, RFC 8200 §4.5). Dropped alone.
   */
  MALFORMED("malformed");

  private final String label;

  FragmentEvent(String label) {
    this.label = label;
  }

  /** The stable snake-case name used in statistics. */
  public String label() {
    return label;
  }
}
