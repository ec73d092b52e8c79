package org.ipsecemu.sadb.wire;

/**
 * The SPI Range extension, SADB_EXT_SPIRANGE (RFC 2367 §2.3.9, {@code struct sadb_spirange}, 16
 * bytes). Both bounds are inclusive, unsigned 32-bit, in host byte order on the wire.
 *
 * @param min the smallest acceptable SPI
 * @param max the largest acceptable SPI (the decoder rejects max &lt; min with EINVAL)
 */
public record SpiRangeExtension(long min, long max) implements SadbExtension {
  /** Checks the widths. */
  public SpiRangeExtension {
    Checks.u32("min", min);
    Checks.u32("max", max);
  }

  @Override
  public int exttype() {
    return ExtensionType.SADB_EXT_SPIRANGE.value();
  }

  @Override
  public int len() {
    return 2;
  }
}
