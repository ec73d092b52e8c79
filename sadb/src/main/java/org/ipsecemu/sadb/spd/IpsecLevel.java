package org.ipsecemu.sadb.spd;

/**
 * How strongly a policy's request wants its SA, numbered as {@code ipsec.h}'s {@code
 * IPSEC_LEVEL_*}.
 *
 * <ul>
 *   <li>{@link #DEFAULT} and {@link #REQUIRE}: the SA must exist; without it outbound packets wait
 *       for an SADB_ACQUIRE and inbound packets without it are refused (Linux treats {@code
 *       default} like {@code require}: {@code af_key.c} makes only {@code use} optional).
 *   <li>{@link #USE}: use the SA if there is one, else send in the clear (an SADB_ACQUIRE still
 *       goes out so one appears); inbound accepts packets with or without it.
 *   <li>{@link #UNIQUE}: as {@code require}, and the SA serves one flow only: the paper's "by
 *       socket" allocation. With a reqid ({@code unique:N}) the SAs of that reqid are shared by the
 *       policy's flows as in Linux, where the reqid is the binding.
 * </ul>
 */
public enum IpsecLevel {
  DEFAULT(0),
  USE(1),
  REQUIRE(2),
  UNIQUE(3);

  private final int value;

  IpsecLevel(int value) {
    this.value = value;
  }

  /** The {@code sadb_x_ipsecrequest_level} value. */
  public int value() {
    return value;
  }

  /** The level with this value, or null. */
  public static IpsecLevel of(int value) {
    for (IpsecLevel l : values()) {
      if (l.value == value) {
        return l;
      }
    }
    return null;
  }

  /** Whether traffic may go without this request's SA ({@code use}). */
  public boolean optional() {
    return this == USE;
  }
}
