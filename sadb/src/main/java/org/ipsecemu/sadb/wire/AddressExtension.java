package org.ipsecemu.sadb.wire;

import java.util.Objects;

/**
 * An Address extension (RFC 2367 §2.3.3, {@code struct sadb_address}, 8 bytes followed by a
 * sockaddr padded to 64 bits): SRC, DST, PROXY, or Linux's NAT-T original address.
 *
 * @param kind SADB_EXT_ADDRESS_SRC, _DST, _PROXY or SADB_X_EXT_NAT_T_OA
 * @param proto upper-layer protocol number (0 or 255 for any; 6 TCP, 17 UDP)
 * @param prefixlen prefix length in bits, 0 for a host address without prefix
 * @param address the sockaddr
 */
public record AddressExtension(ExtensionType kind, int proto, int prefixlen, SockAddr address)
    implements SadbExtension {
  /**
   * Checks the kind and field widths. The prefix length is checked against the family on decode.
   */
  public AddressExtension {
    Checks.kind(
        "AddressExtension",
        kind,
        ExtensionType.SADB_EXT_ADDRESS_SRC,
        ExtensionType.SADB_EXT_ADDRESS_DST,
        ExtensionType.SADB_EXT_ADDRESS_PROXY,
        ExtensionType.SADB_X_EXT_NAT_T_OA);
    Checks.u8("proto", proto);
    Checks.u8("prefixlen", prefixlen);
    Objects.requireNonNull(address, "address");
  }

  /** A host address: proto 0, full prefix length (32 or 128), as {@code setkey} sends for an SA. */
  public static AddressExtension host(ExtensionType kind, SockAddr address) {
    return new AddressExtension(kind, 0, address.family().addressLength() * 8, address);
  }

  @Override
  public int exttype() {
    return kind.value();
  }

  @Override
  public int len() {
    return 1 + (address.sockaddrLength() + 7) / 8;
  }
}
