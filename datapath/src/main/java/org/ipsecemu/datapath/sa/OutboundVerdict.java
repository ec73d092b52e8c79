package org.ipsecemu.datapath.sa;

/**
 * How an outbound packet ended, counted per SA and in total under its {@link #label()}. Every
 * packet ends in exactly one final verdict; {@link #QUEUED} is counted as well when a packet first
 * waits for its SA, so the queued packets show up twice: once when they wait, once when they leave
 * or are dropped.
 *
 * <p>A packet whose policy requires IPsec never leaves in the clear: every verdict but {@link #OK}
 * and {@link #BYPASS} means nothing was sent.
 */
public enum OutboundVerdict {
  /** Protected by its SA bundle and sent. */
  OK("ok"),
  /** No outbound policy, or a {@code none} policy: sent in the clear, unchanged. */
  BYPASS("bypass"),
  /** A {@code discard} policy selects it: dropped. */
  POLICY("policy"),
  /**
   * An SA is missing and cannot be had: no key manager registered for its type, or key management
   * answered the ACQUIRE with an error (RFC 2367 §3.1.6).
   */
  NO_SA("no_sa"),
  /** An SA is pending (SADB_ACQUIRE sent): the packet waits in its flow's queue (not final). */
  QUEUED("queued"),
  /** An SA is pending but the flow's queue (or the number of waiting flows) is at its bound. */
  QUEUE_FULL("queue_full"),
  /** It waited in the queue for its SA longer than the timeout and was dropped. */
  QUEUE_TIMEOUT("queue_timeout"),
  /**
   * The SA reached its HARD lifetime, or its 32-bit sequence number would wrap past 2^32-1 (RFC
   * 4303 §3.3.3: a new SA is needed, the sender must not cycle).
   */
  EXPIRED("expired"),
  /** Not an IP packet the datapath can protect (bad header, or a fragment in transport mode). */
  MALFORMED("malformed"),
  /** The protected packet would exceed the 65535-byte IP length, or the output buffer. */
  TOO_BIG("too_big");

  private final String label;

  OutboundVerdict(String label) {
    this.label = label;
  }

  /** The stable snake-case name used in statistics. */
  public String label() {
    return label;
  }

  /** True when the packet leaves ({@link #OK} or {@link #BYPASS}). */
  public boolean isSent() {
    return this == OK || this == BYPASS;
  }
}
