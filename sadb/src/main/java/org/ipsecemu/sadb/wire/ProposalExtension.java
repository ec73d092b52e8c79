package org.ipsecemu.sadb.wire;

import java.util.List;

/**
 * The Proposal extension, SADB_EXT_PROPOSAL (RFC 2367 §2.3.7, {@code struct sadb_prop}, 8 bytes
 * followed by 72-byte {@code struct sadb_comb} entries in order of preference).
 *
 * @param replay the proposed replay window size
 * @param combs the proposed combinations, most preferred first
 */
public record ProposalExtension(int replay, List<Comb> combs) implements SadbExtension {
  /** Checks the width of {@code replay}; copies the combinations. */
  public ProposalExtension {
    Checks.u8("replay", replay);
    combs = List.copyOf(combs);
  }

  @Override
  public int exttype() {
    return ExtensionType.SADB_EXT_PROPOSAL.value();
  }

  @Override
  public int len() {
    return 1 + combs.size() * 9;
  }

  /**
   * One proposed combination, {@code struct sadb_comb} (72 bytes). The values have the meaning of
   * the SA, key and lifetime fields they would move into (§2.3.7). 64-bit fields are unsigned.
   *
   * @param auth an {@link AuthAlgorithm} value
   * @param encrypt an {@link EncryptAlgorithm} value
   * @param flags {@link SaFlag} bits (16-bit here)
   * @param authMinbits minimum authentication key bits
   * @param authMaxbits maximum authentication key bits
   * @param encryptMinbits minimum encryption key bits
   * @param encryptMaxbits maximum encryption key bits
   * @param softAllocations proposed SOFT allocations
   * @param hardAllocations proposed HARD allocations
   * @param softBytes proposed SOFT bytes
   * @param hardBytes proposed HARD bytes
   * @param softAddtime proposed SOFT addtime
   * @param hardAddtime proposed HARD addtime
   * @param softUsetime proposed SOFT usetime
   * @param hardUsetime proposed HARD usetime
   */
  public record Comb(
      int auth,
      int encrypt,
      int flags,
      int authMinbits,
      int authMaxbits,
      int encryptMinbits,
      int encryptMaxbits,
      long softAllocations,
      long hardAllocations,
      long softBytes,
      long hardBytes,
      long softAddtime,
      long hardAddtime,
      long softUsetime,
      long hardUsetime) {
    /** Checks that each field fits its wire width. */
    public Comb {
      Checks.u8("auth", auth);
      Checks.u8("encrypt", encrypt);
      Checks.u16("flags", flags);
      Checks.u16("auth_minbits", authMinbits);
      Checks.u16("auth_maxbits", authMaxbits);
      Checks.u16("encrypt_minbits", encryptMinbits);
      Checks.u16("encrypt_maxbits", encryptMaxbits);
      Checks.u32("soft_allocations", softAllocations);
      Checks.u32("hard_allocations", hardAllocations);
    }
  }
}
