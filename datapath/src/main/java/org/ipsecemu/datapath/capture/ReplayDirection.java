package org.ipsecemu.datapath.capture;

import java.util.Locale;

/**
 * Which way a replay sends the packets of a capture through the datapath: {@link #AUTO} by their
 * contents, or all of them one way.
 */
public enum ReplayDirection {
  /**
   * ESP and AH packets inbound (to be verified and decapsulated), every other IP packet outbound
   * through the policy (protected, passed in the clear, discarded or held for an SA).
   */
  AUTO,
  /** Every IP packet inbound, as received by the host the SAs were made for. */
  IN,
  /** Every IP packet outbound, as sent by that host. */
  OUT;

  /** The name on the command line: {@code auto}, {@code in}, {@code out}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
