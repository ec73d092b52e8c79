package org.ipsecemu.sadb.wire;

/**
 * The Linux/KAME second association extension, SADB_X_EXT_SA2 ({@code struct sadb_x_sa2}, 16
 * bytes): the SA's mode, its sequence and the reqid binding it to a policy.
 *
 * @param mode an {@link IpsecMode} value
 * @param sequence {@code sadb_x_sa2_sequence}, unsigned 32-bit
 * @param reqid {@code sadb_x_sa2_reqid}, unsigned 32-bit
 */
public record Sa2Extension(int mode, long sequence, long reqid) implements SadbExtension {
  /** Checks the widths. */
  public Sa2Extension {
    Checks.u8("mode", mode);
    Checks.u32("sequence", sequence);
    Checks.u32("reqid", reqid);
  }

  @Override
  public int exttype() {
    return ExtensionType.SADB_X_EXT_SA2.value();
  }

  @Override
  public int len() {
    return 2;
  }
}
