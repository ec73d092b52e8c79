package org.ipsecemu.sadb.spd;

/**
 * What a security policy does with the packets it selects, numbered as {@code ipsec.h}'s {@code
 * sadb_x_policy_type}: drop them ({@code discard}, 0), let them pass in the clear ({@code none}, 1,
 * setkey's bypass), or protect them with IPsec as its requests say ({@code ipsec}, 2).
 */
public enum PolicyAction {
  DISCARD(0),
  NONE(1),
  IPSEC(2);

  private final int value;

  PolicyAction(int value) {
    this.value = value;
  }

  /** The {@code sadb_x_policy_type} value. */
  public int value() {
    return value;
  }

  /** The action with this {@code sadb_x_policy_type} value, or null (entrust/bypass: unused). */
  public static PolicyAction of(int value) {
    for (PolicyAction a : values()) {
      if (a.value == value) {
        return a;
      }
    }
    return null;
  }
}
