package org.ipsecemu.sadb.keyfile;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Map;
import org.ipsecemu.sadb.setkey.SourceLocation;
import org.ipsecemu.sadb.wire.AddressFamily;
import org.ipsecemu.sadb.wire.AuthAlgorithm;
import org.ipsecemu.sadb.wire.EncryptAlgorithm;
import org.ipsecemu.sadb.wire.SockAddr;

/** Small readers shared by the key-file formats: addresses, numbers, algorithm names, hex. */
final class KeyFileText {
  private KeyFileText() {}

  /** The encryption algorithm names {@code setkey -D} prints (libipsec {@code str_alg_enc}). */
  private static final Map<String, Integer> SETKEY_ENCRYPT =
      Map.ofEntries(
          Map.entry("none", EncryptAlgorithm.SADB_EALG_NONE.value()),
          Map.entry("des-cbc", EncryptAlgorithm.SADB_EALG_DESCBC.value()),
          Map.entry("3des-cbc", EncryptAlgorithm.SADB_EALG_3DESCBC.value()),
          Map.entry("null", EncryptAlgorithm.SADB_EALG_NULL.value()),
          Map.entry("rc5-cbc", 4),
          Map.entry("cast128-cbc", EncryptAlgorithm.SADB_X_EALG_CASTCBC.value()),
          Map.entry("blowfish-cbc", EncryptAlgorithm.SADB_X_EALG_BLOWFISHCBC.value()),
          Map.entry("rijndael-cbc", EncryptAlgorithm.SADB_X_EALG_AESCBC.value()),
          Map.entry("aes-cbc", EncryptAlgorithm.SADB_X_EALG_AESCBC.value()),
          Map.entry("twofish-cbc", EncryptAlgorithm.SADB_X_EALG_TWOFISHCBC.value()),
          Map.entry("aes-ctr", EncryptAlgorithm.SADB_X_EALG_AESCTR.value()),
          Map.entry("aes-gcm-16", EncryptAlgorithm.SADB_X_EALG_AES_GCM_ICV16.value()),
          Map.entry("camellia-cbc", EncryptAlgorithm.SADB_X_EALG_CAMELLIACBC.value()));

  /**
   * The authentication algorithm names {@code setkey -D} prints (libipsec {@code str_alg_auth}).
   */
  private static final Map<String, Integer> SETKEY_AUTH =
      Map.ofEntries(
          Map.entry("none", AuthAlgorithm.SADB_AALG_NONE.value()),
          Map.entry("hmac-md5", AuthAlgorithm.SADB_AALG_MD5HMAC.value()),
          Map.entry("hmac-sha1", AuthAlgorithm.SADB_AALG_SHA1HMAC.value()),
          Map.entry("md5", 249),
          Map.entry("sha", 250),
          Map.entry("null", AuthAlgorithm.SADB_X_AALG_NULL.value()),
          Map.entry("tcp-md5", 252),
          Map.entry("hmac-sha256", AuthAlgorithm.SADB_X_AALG_SHA2_256HMAC.value()),
          Map.entry("hmac-sha2-256", AuthAlgorithm.SADB_X_AALG_SHA2_256HMAC.value()),
          Map.entry("hmac-sha384", AuthAlgorithm.SADB_X_AALG_SHA2_384HMAC.value()),
          Map.entry("hmac-sha2-384", AuthAlgorithm.SADB_X_AALG_SHA2_384HMAC.value()),
          Map.entry("hmac-sha512", AuthAlgorithm.SADB_X_AALG_SHA2_512HMAC.value()),
          Map.entry("hmac-sha2-512", AuthAlgorithm.SADB_X_AALG_SHA2_512HMAC.value()),
          Map.entry("hmac-ripemd160", AuthAlgorithm.SADB_X_AALG_RIPEMD160HMAC.value()),
          Map.entry("aes-xcbc-mac", AuthAlgorithm.SADB_X_AALG_AES_XCBC_MAC.value()));

  /** The number of a {@code setkey -D} encryption name (or a bare number, as it prints those). */
  static int setkeyEncrypt(String name, SourceLocation at) {
    Integer v = SETKEY_ENCRYPT.get(name);
    return v != null ? v : number(name, at, "encryption algorithm");
  }

  /** The number of a {@code setkey -D} authentication name (or a bare number). */
  static int setkeyAuth(String name, SourceLocation at) {
    Integer v = SETKEY_AUTH.get(name);
    return v != null ? v : number(name, at, "authentication algorithm");
  }

  /** A decimal number 0..255 standing for an algorithm setkey had no name for. */
  static int number(String text, SourceLocation at, String what) {
    if (text.matches("\\d{1,3}") && Integer.parseInt(text) <= 255) {
      return Integer.parseInt(text);
    }
    throw new KeyFileException(at, "unknown " + what + " \"" + text + "\"");
  }

  /**
   * A numeric address literal; never resolves names.
   *
   * @throws IllegalArgumentException when it is not one
   */
  static SockAddr address(String literal, int port) {
    InetAddress a = SockAddr.parseAddress(literal);
    byte[] b = a.getAddress();
    if (literal.indexOf(':') >= 0 && b.length == 4) {
      // ::ffff:a.b.c.d stays an IPv6 address.
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xFF;
      mapped[11] = (byte) 0xFF;
      System.arraycopy(b, 0, mapped, 12, 4);
      return new SockAddr(AddressFamily.AF_INET6, mapped, port, 0);
    }
    return new SockAddr(
        a instanceof Inet6Address ? AddressFamily.AF_INET6 : AddressFamily.AF_INET, b, port, 0);
  }

  /** Whether an address is all zeros (0.0.0.0 or ::), which {@code ip xfrm} prints for "none". */
  static boolean isZero(SockAddr a) {
    for (byte x : a.address()) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A key written as {@code 0x}-hex (an odd digit count gets a leading zero nibble) or, without
   * {@code 0x}, as the bytes of the text. {@code 0x} alone or an empty text is no key (null).
   */
  static byte[] key(String text, SourceLocation at, String what) {
    if (text.isEmpty() || text.equalsIgnoreCase("0x")) {
      return null;
    }
    if (text.startsWith("0x") || text.startsWith("0X")) {
      String d = text.substring(2);
      if (!d.matches("[0-9A-Fa-f]+")) {
        throw new KeyFileException(at, "bad hex in " + what);
      }
      return HexFormat.of().parseHex(d.length() % 2 == 1 ? "0" + d : d);
    }
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** An unsigned number, decimal or {@code 0x}-hex, up to {@code max}. */
  static long unsigned(String text, long max, SourceLocation at, String what) {
    try {
      long v =
          text.startsWith("0x") || text.startsWith("0X")
              ? Long.parseUnsignedLong(text.substring(2), 16)
              : Long.parseLong(text);
      if (v < 0 || v > max) {
        throw new KeyFileException(at, what + " out of range 0.." + max + " value=" + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new KeyFileException(at, "bad " + what + " \"" + text + "\"");
    }
  }
}
