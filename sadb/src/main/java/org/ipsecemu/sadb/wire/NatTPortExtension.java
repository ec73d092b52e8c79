package org.ipsecemu.sadb.wire;

/**
 * A Linux NAT traversal port extension ({@code struct sadb_x_nat_t_port}, 8 bytes; the port is in
 * network byte order on the wire): SADB_X_EXT_NAT_T_SPORT or SADB_X_EXT_NAT_T_DPORT.
 *
 * @param kind SADB_X_EXT_NAT_T_SPORT or SADB_X_EXT_NAT_T_DPORT
 * @param port the UDP port
 */
public record NatTPortExtension(ExtensionType kind, int port) implements SadbExtension {
  /** Checks the kind and width. */
  public NatTPortExtension {
    Checks.kind(
        "NatTPortExtension",
        kind,
        ExtensionType.SADB_X_EXT_NAT_T_SPORT,
        ExtensionType.SADB_X_EXT_NAT_T_DPORT);
    Checks.u16("port", port);
  }

  @Override
  public int exttype() {
    return kind.value();
  }

  @Override
  public int len() {
    return 1;
  }
}
