package org.ipsecemu.sadb.wire;

/**
 * The Linux NAT traversal type extension, SADB_X_EXT_NAT_T_TYPE ({@code struct sadb_x_nat_t_type},
 * 8 bytes).
 *
 * @param type a {@link NatTraversalType} value (2 for RFC 3948 ESP-in-UDP)
 */
public record NatTTypeExtension(int type) implements SadbExtension {
  /** Checks the width. */
  public NatTTypeExtension {
    Checks.u8("type", type);
  }

  @Override
  public int exttype() {
    return ExtensionType.SADB_X_EXT_NAT_T_TYPE.value();
  }

  @Override
  public int len() {
    return 1;
  }
}
