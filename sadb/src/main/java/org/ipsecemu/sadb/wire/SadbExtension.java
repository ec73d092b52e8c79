package org.ipsecemu.sadb.wire;

/**
 * One extension of a PF_KEY message (RFC 2367 §2.3): the records of this package, one per extension
 * structure, plus {@link UnknownExtension} for types the codec does not decode.
 *
 * <p>Records sharing a structure (the three lifetimes, the address extensions, the two keys, …)
 * carry their {@link ExtensionType} as a {@code kind} component; look them up by type with {@link
 * SadbMessage#find(ExtensionType, Class)}.
 */
public sealed interface SadbExtension
    permits SaExtension,
        LifetimeExtension,
        AddressExtension,
        KeyExtension,
        IdentityExtension,
        SensitivityExtension,
        ProposalExtension,
        SupportedExtension,
        SpiRangeExtension,
        KmPrivateExtension,
        PolicyExtension,
        Sa2Extension,
        NatTTypeExtension,
        NatTPortExtension,
        ProposalReferenceExtension,
        UnknownExtension,
        PromiscPayload {

  /** The {@code sadb_ext_type} number on the wire. */
  int exttype();

  /**
   * The encoded length in 64-bit words including the extension header ({@code sadb_ext_len}), as
   * the encoder writes it.
   */
  int len();

  /** The RFC's name of {@link #exttype()}, or {@code UNKNOWN(n)}. */
  default String exttypeSymbol() {
    return ExtensionType.symbolOf(exttype());
  }
}
