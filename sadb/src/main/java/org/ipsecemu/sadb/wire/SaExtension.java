package org.ipsecemu.sadb.wire;

/**
 * The Association extension, SADB_EXT_SA (RFC 2367 §2.3.1, {@code struct sadb_sa}, 16 bytes).
 *
 * <p>Algorithm and state fields keep the raw number so unknown values survive; {@link
 * AuthAlgorithm#symbolOf}, {@link EncryptAlgorithm#symbolOf} and {@link SaState#symbolOf} name
 * them.
 *
 * @param spi the SPI (network byte order on the wire), 0..2^32-1
 * @param replay the replay window size, 0 for none
 * @param state an {@link SaState} value
 * @param auth an {@link AuthAlgorithm} value
 * @param encrypt an {@link EncryptAlgorithm} value, or a {@link CompressionAlgorithm} for IPcomp
 * @param flags {@link SaFlag} bits
 */
public record SaExtension(long spi, int replay, int state, int auth, int encrypt, long flags)
    implements SadbExtension {
  /** Checks that each field fits its wire width. */
  public SaExtension {
    Checks.u32("spi", spi);
    Checks.u8("replay", replay);
    Checks.u8("state", state);
    Checks.u8("auth", auth);
    Checks.u8("encrypt", encrypt);
    Checks.u32("flags", flags);
  }

  /** The same association with another state (e.g. for replies about a LARVAL SA). */
  public SaExtension withState(SaState newState) {
    return new SaExtension(spi, replay, newState.value(), auth, encrypt, flags);
  }

  @Override
  public int exttype() {
    return ExtensionType.SADB_EXT_SA.value();
  }

  @Override
  public int len() {
    return 2;
  }
}
