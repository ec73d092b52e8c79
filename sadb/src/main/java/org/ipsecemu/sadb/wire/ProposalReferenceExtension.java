package org.ipsecemu.sadb.wire;

/**
 * The Arkko draft's Proposal Reference extension, SADB_X_EXT_PREFERENCE ({@code struct
 * sadb_x_pref}, 8 bytes; draft-arkko-pfkey-reference-00 §7.1). It may stand wherever a Proposal
 * may, naming a policy agreed outside PF_KEY instead of listing combinations.
 *
 * @param what the opaque policy reference, unsigned 32-bit, host byte order on the wire
 */
public record ProposalReferenceExtension(long what) implements SadbExtension {
  /** Checks the width. */
  public ProposalReferenceExtension {
    Checks.u32("what", what);
  }

  @Override
  public int exttype() {
    return ExtensionType.SADB_X_EXT_PREFERENCE.value();
  }

  @Override
  public int len() {
    return 1;
  }
}
