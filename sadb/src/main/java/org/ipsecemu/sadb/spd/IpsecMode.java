package org.ipsecemu.sadb.spd;

/**
 * IPsec mode of an SA or of a policy's request, numbered as {@code ipsec.h} ({@code IPSEC_MODE_ANY}
 * 0, {@code IPSEC_MODE_TRANSPORT} 1, {@code IPSEC_MODE_TUNNEL} 2).
 *
 * <p>An SA added without {@code SADB_X_EXT_SA2} has mode {@link #ANY} (setkey's default). As in
 * Linux ({@code af_key.c} maps {@code IPSEC_MODE_ANY} to transport), such an SA serves transport
 * requests only; a tunnel request needs an SA added with {@code -m tunnel}.
 */
public enum IpsecMode {
  ANY(0),
  TRANSPORT(1),
  TUNNEL(2);

  private final int value;

  IpsecMode(int value) {
    this.value = value;
  }

  /** The {@code sadb_x_sa2_mode} / {@code sadb_x_ipsecrequest_mode} value. */
  public int value() {
    return value;
  }

  /** The mode with this value, or null. */
  public static IpsecMode of(int value) {
    for (IpsecMode m : values()) {
      if (m.value == value) {
        return m;
      }
    }
    return null;
  }

  /** Whether an SA of this mode can serve a request of {@code requested} mode (Linux rules). */
  public boolean serves(IpsecMode requested) {
    IpsecMode mine = this == ANY ? TRANSPORT : this;
    IpsecMode wanted = requested == ANY ? TRANSPORT : requested;
    return mine == wanted;
  }
}
