package org.ipsecemu.datapath.replay;

/**
 * What the anti-replay window says about a received sequence number (RFC 4303 §3.4.3). Every
 * outcome but {@link #ACCEPT} is counted as the verdict {@code replay}; the finer {@link #label()}
 * is for traces.
 */
public enum ReplayCheck {
  /** New to the right of the window, or inside it and not yet received. */
  ACCEPT("ok"),
  /** Inside the window and already received. */
  DUPLICATE("duplicate"),
  /** Left of the window: too old to tell, so rejected. */
  TOO_OLD("too_old"),
  /** Sequence number 0, which no sender ever uses (the first packet carries 1, §3.3.3). */
  ZERO("zero");

  private final String label;

  ReplayCheck(String label) {
    this.label = label;
  }

  /** True for {@link #ACCEPT}. */
  public boolean isAccepted() {
    return this == ACCEPT;
  }

  /** Stable snake-case name for traces. */
  public String label() {
    return label;
  }
}
