package org.ipsecemu.sadb.wire;

import java.util.Arrays;

/**
 * A Key extension (RFC 2367 §2.3.4, {@code struct sadb_key}, 8 bytes followed by the key padded to
 * 64 bits): AUTH or ENCRYPT.
 *
 * <p>Holds the valid key bits and the key bytes ({@code ceil(bits/8)} of them when decoded). {@code
 * equals} and {@code hashCode} compare the content; {@link #toString()} never shows the key bytes,
 * so keys stay out of logs (only the explicit printers of {@code org.ipsecemu.sadb.print} show
 * them). The model does not check bits against the bytes: the decoder does (§2.3.4: zero bits MUST
 * be an error), so tests can still build a bad message on purpose.
 *
 * @param kind SADB_EXT_KEY_AUTH or SADB_EXT_KEY_ENCRYPT
 * @param bits {@code sadb_key_bits}, the number of valid key bits
 * @param key the key bytes, most significant first (a defensive copy is kept and returned)
 */
public record KeyExtension(ExtensionType kind, int bits, byte[] key) implements SadbExtension {
  /** Checks the kind and width of {@code bits}, and copies the key. */
  public KeyExtension {
    Checks.kind(
        "KeyExtension", kind, ExtensionType.SADB_EXT_KEY_AUTH, ExtensionType.SADB_EXT_KEY_ENCRYPT);
    Checks.u16("bits", bits);
    key = key.clone();
  }

  /** A key of whole bytes: {@code bits = 8 * key.length}. */
  public static KeyExtension of(ExtensionType kind, byte[] key) {
    return new KeyExtension(kind, key.length * 8, key);
  }

  /** A copy of the key bytes. */
  @Override
  public byte[] key() {
    return key.clone();
  }

  /** The number of key bytes, without copying them. */
  public int keyLength() {
    return key.length;
  }

  @Override
  public int exttype() {
    return kind.value();
  }

  @Override
  public int len() {
    return 1 + (key.length + 7) / 8;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyExtension k
        && kind == k.kind
        && bits == k.bits
        && Arrays.equals(key, k.key);
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + bits) * 31 + Arrays.hashCode(key);
  }

  /** Shows the kind and sizes only; the key bytes are never printed here. */
  @Override
  public String toString() {
    return "KeyExtension[kind="
        + kind
        + ", bits="
        + bits
        + ", key=<"
        + key.length
        + " bytes redacted>]";
  }
}
