package org.ipsecemu.sadb.wire;

import java.util.List;

/**
 * The Sensitivity extension, SADB_EXT_SENSITIVITY (RFC 2367 §2.3.6, {@code struct sadb_sens}, 16
 * bytes followed by the sensitivity bitmap and the integrity bitmap, arrays of uint64_t in host
 * order). The bitmap lengths ({@code sens_len}, {@code integ_len}) are the list sizes.
 *
 * @param dpd the data protection domain (§3.8), unsigned 32-bit
 * @param sensLevel the sensitivity level
 * @param integLevel the integrity level
 * @param sensBitmap the sensitivity bitmap, at most 255 words
 * @param integBitmap the integrity bitmap, at most 255 words
 */
public record SensitivityExtension(
    long dpd, int sensLevel, int integLevel, List<Long> sensBitmap, List<Long> integBitmap)
    implements SadbExtension {
  /** Checks the widths; copies the bitmaps. */
  public SensitivityExtension {
    Checks.u32("dpd", dpd);
    Checks.u8("sens_level", sensLevel);
    Checks.u8("integ_level", integLevel);
    sensBitmap = List.copyOf(sensBitmap);
    integBitmap = List.copyOf(integBitmap);
    Checks.u8("sens_len", sensBitmap.size());
    Checks.u8("integ_len", integBitmap.size());
  }

  @Override
  public int exttype() {
    return ExtensionType.SADB_EXT_SENSITIVITY.value();
  }

  @Override
  public int len() {
    return 2 + sensBitmap.size() + integBitmap.size();
  }
}
