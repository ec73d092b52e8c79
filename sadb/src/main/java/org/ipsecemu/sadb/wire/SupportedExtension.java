package org.ipsecemu.sadb.wire;

import java.util.List;

/**
 * A Supported Algorithms extension (RFC 2367 §2.3.8, {@code struct sadb_supported}, 8 bytes
 * followed by 8-byte {@code struct sadb_alg} entries): AUTH or ENCRYPT, sent in SADB_REGISTER
 * replies.
 *
 * @param kind SADB_EXT_SUPPORTED_AUTH or SADB_EXT_SUPPORTED_ENCRYPT
 * @param algs the supported algorithms
 */
public record SupportedExtension(ExtensionType kind, List<Alg> algs) implements SadbExtension {
  /** Checks the kind; copies the list. */
  public SupportedExtension {
    Checks.kind(
        "SupportedExtension",
        kind,
        ExtensionType.SADB_EXT_SUPPORTED_AUTH,
        ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT);
    algs = List.copyOf(algs);
  }

  @Override
  public int exttype() {
    return kind.value();
  }

  @Override
  public int len() {
    return 1 + algs.size();
  }

  /**
   * One algorithm description, {@code struct sadb_alg} (8 bytes).
   *
   * @param id the algorithm id, as it would go into {@code sadb_sa_auth} or {@code sadb_sa_encrypt}
   * @param ivlen the IV length (0 if none)
   * @param minbits minimum key bits
   * @param maxbits maximum key bits
   */
  public record Alg(int id, int ivlen, int minbits, int maxbits) {
    /** Checks that each field fits its wire width. */
    public Alg {
      Checks.u8("id", id);
      Checks.u8("ivlen", ivlen);
      Checks.u16("minbits", minbits);
      Checks.u16("maxbits", maxbits);
    }
  }
}
