package org.ipsecemu.datapath.sa;

/**
 * How an inbound packet ended: every packet gets exactly one, counted per SA and in total under its
 * {@link #label()}. The datapath never throws on a packet; it answers with one of these.
 */
public enum Verdict {
  /** Accepted: decapsulated (or arrived in clear where policy allows it) and delivered. */
  OK("ok"),
  /**
   * No usable (MATURE or DYING) SA for (destination, SPI, protocol): {@code getassocbyspi} null.
   */
  NO_SA("no_sa"),
  /** The ICV did not verify (ESP, AH, or the AES-GCM tag), compared in constant time. */
  AUTH_FAILED("auth_failed"),
  /** Refused by the anti-replay window: duplicate, left of the window, or sequence number 0. */
  REPLAY("replay"),
  /**
   * Not a packet the SA can process: truncated or inconsistent IP, ESP or AH headers, ciphertext
   * not a whole number of blocks, an unreassembled fragment, a bad inner packet in tunnel mode.
   */
  MALFORMED("malformed"),
  /** ESP padding wrong after decryption: pad length too large or contents not 1, 2, 3, ... */
  PAD_ERROR("pad_error"),
  /** The SA reached its HARD lifetime (or was expired while the packet was on its way). */
  EXPIRED("expired"),
  /**
   * Inbound policy refused it: a policy required protection the packet lacked, a policy discards
   * it, or it came under an SA whose selectors do not match the packet.
   */
  POLICY("policy");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The stable snake-case name used in statistics: {@code ok}, {@code auth_failed}, ... */
  public String label() {
    return label;
  }

  /** True for {@link #OK}. */
  public boolean isOk() {
    return this == OK;
  }
}
