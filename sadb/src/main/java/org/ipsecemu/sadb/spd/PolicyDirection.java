package org.ipsecemu.sadb.spd;

/**
 * The direction a security policy applies to, numbered as Linux/KAME {@code ipsec.h} does ({@code
 * IPSEC_DIR_INBOUND} 1, {@code IPSEC_DIR_OUTBOUND} 2, {@code IPSEC_DIR_FWD} 3).
 */
public enum PolicyDirection {
  IN(1),
  OUT(2),
  FWD(3);

  private final int value;

  PolicyDirection(int value) {
    this.value = value;
  }

  /** The {@code sadb_x_policy_dir} value. */
  public int value() {
    return value;
  }

  /** The direction with this {@code sadb_x_policy_dir} value, or null. */
  public static PolicyDirection of(int value) {
    for (PolicyDirection d : values()) {
      if (d.value == value) {
        return d;
      }
    }
    return null;
  }
}
