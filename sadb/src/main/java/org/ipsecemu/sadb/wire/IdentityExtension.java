package org.ipsecemu.sadb.wire;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An Identity extension (RFC 2367 §2.3.5, {@code struct sadb_ident}, 16 bytes optionally followed
 * by a NUL-terminated string padded to 64 bits): SRC or DST.
 *
 * <p>The string is held as ISO-8859-1 so every byte survives a round trip unchanged; identities are
 * ASCII in practice (§3.7: prefixes, FQDNs, user@FQDN). An empty string means no string follows.
 *
 * @param kind SADB_EXT_IDENTITY_SRC or SADB_EXT_IDENTITY_DST
 * @param type an {@link IdentityType} value
 * @param id {@code sadb_ident_id}, e.g. a POSIX uid for USERFQDN (unsigned 64-bit)
 * @param string the identity string without its NUL, or empty
 */
public record IdentityExtension(ExtensionType kind, int type, long id, String string)
    implements SadbExtension {
  /** Checks the kind, the type width and that the string holds no NUL and only 8-bit chars. */
  public IdentityExtension {
    Checks.kind(
        "IdentityExtension",
        kind,
        ExtensionType.SADB_EXT_IDENTITY_SRC,
        ExtensionType.SADB_EXT_IDENTITY_DST);
    Checks.u16("type", type);
    Objects.requireNonNull(string, "string");
    for (int i = 0; i < string.length(); i++) {
      char c = string.charAt(i);
      if (c == 0 || c > 0xFF) {
        throw new IllegalArgumentException("identity string has a NUL or non-8-bit char at " + i);
      }
    }
  }

  /** The string's bytes as they go on the wire (without the NUL). */
  public byte[] stringBytes() {
    return string.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Override
  public int exttype() {
    return kind.value();
  }

  @Override
  public int len() {
    return string.isEmpty() ? 2 : 2 + (string.length() + 1 + 7) / 8;
  }
}
