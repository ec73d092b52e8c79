package org.ipsecemu.sadb.setkey;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ipsecemu.sadb.wire.AuthAlgorithm;
import org.ipsecemu.sadb.wire.CompressionAlgorithm;
import org.ipsecemu.sadb.wire.EncryptAlgorithm;

/**
 * The names {@code setkey -D} prints for algorithm numbers (libipsec {@code pfkey_dump.c}: {@code
 * str_alg_enc}, {@code str_alg_auth}, {@code str_alg_comp}) and reads back. A number without a name
 * prints as the number, as {@code setkey} does.
 *
 * <p>Where versions differ the current ipsec-tools name is printed ({@code aes-cbc}, not the older
 * {@code rijndael-cbc}; {@code hmac-sha256}); both are read. AES-GCM, which ipsec-tools on Linux
 * prints as {@code 20}, is printed {@code aes-gcm-16}, the name {@code setkey} takes for it.
 */
public final class SetkeyNames {
  private static final Map<String, Integer> ENCRYPT = new LinkedHashMap<>();
  private static final Map<String, Integer> AUTH = new LinkedHashMap<>();
  private static final Map<String, Integer> COMP = new LinkedHashMap<>();

  static {
    // The first name of a number is the one printed.
    ENCRYPT.put("none", EncryptAlgorithm.SADB_EALG_NONE.value());
    ENCRYPT.put("des-cbc", EncryptAlgorithm.SADB_EALG_DESCBC.value());
    ENCRYPT.put("3des-cbc", EncryptAlgorithm.SADB_EALG_3DESCBC.value());
    ENCRYPT.put("null", EncryptAlgorithm.SADB_EALG_NULL.value());
    ENCRYPT.put("rc5-cbc", 4);
    ENCRYPT.put("cast128-cbc", EncryptAlgorithm.SADB_X_EALG_CASTCBC.value());
    ENCRYPT.put("blowfish-cbc", EncryptAlgorithm.SADB_X_EALG_BLOWFISHCBC.value());
    ENCRYPT.put("aes-cbc", EncryptAlgorithm.SADB_X_EALG_AESCBC.value());
    ENCRYPT.put("rijndael-cbc", EncryptAlgorithm.SADB_X_EALG_AESCBC.value());
    ENCRYPT.put("twofish-cbc", EncryptAlgorithm.SADB_X_EALG_TWOFISHCBC.value());
    ENCRYPT.put("aes-ctr", EncryptAlgorithm.SADB_X_EALG_AESCTR.value());
    ENCRYPT.put("aes-gcm-16", EncryptAlgorithm.SADB_X_EALG_AES_GCM_ICV16.value());
    ENCRYPT.put("camellia-cbc", EncryptAlgorithm.SADB_X_EALG_CAMELLIACBC.value());

    AUTH.put("none", AuthAlgorithm.SADB_AALG_NONE.value());
    AUTH.put("hmac-md5", AuthAlgorithm.SADB_AALG_MD5HMAC.value());
    AUTH.put("hmac-sha1", AuthAlgorithm.SADB_AALG_SHA1HMAC.value());
    AUTH.put("md5", 249);
    AUTH.put("sha", 250);
    AUTH.put("null", AuthAlgorithm.SADB_X_AALG_NULL.value());
    AUTH.put("tcp-md5", 252);
    AUTH.put("hmac-sha256", AuthAlgorithm.SADB_X_AALG_SHA2_256HMAC.value());
    AUTH.put("hmac-sha2-256", AuthAlgorithm.SADB_X_AALG_SHA2_256HMAC.value());
    AUTH.put("hmac-sha384", AuthAlgorithm.SADB_X_AALG_SHA2_384HMAC.value());
    AUTH.put("hmac-sha2-384", AuthAlgorithm.SADB_X_AALG_SHA2_384HMAC.value());
    AUTH.put("hmac-sha512", AuthAlgorithm.SADB_X_AALG_SHA2_512HMAC.value());
    AUTH.put("hmac-sha2-512", AuthAlgorithm.SADB_X_AALG_SHA2_512HMAC.value());
    AUTH.put("hmac-ripemd160", AuthAlgorithm.SADB_X_AALG_RIPEMD160HMAC.value());
    AUTH.put("aes-xcbc-mac", AuthAlgorithm.SADB_X_AALG_AES_XCBC_MAC.value());

    COMP.put("none", CompressionAlgorithm.SADB_X_CALG_NONE.value());
    COMP.put("oui", CompressionAlgorithm.SADB_X_CALG_OUI.value());
    COMP.put("deflate", CompressionAlgorithm.SADB_X_CALG_DEFLATE.value());
    COMP.put("lzs", CompressionAlgorithm.SADB_X_CALG_LZS.value());
  }

  private SetkeyNames() {}

  /** The printed name of an encryption algorithm number, or the number. */
  public static String encrypt(int id) {
    return name(ENCRYPT, id);
  }

  /** The printed name of an authentication algorithm number, or the number. */
  public static String auth(int id) {
    return name(AUTH, id);
  }

  /** The printed name of a compression algorithm number, or the number. */
  public static String compression(int id) {
    return name(COMP, id);
  }

  /** The number of a printed encryption name or of a bare number 0..255. */
  public static Optional<Integer> encrypt(String name) {
    return lookup(ENCRYPT, name);
  }

  /** The number of a printed authentication name or of a bare number 0..255. */
  public static Optional<Integer> auth(String name) {
    return lookup(AUTH, name);
  }

  /** The number of a printed compression name or of a bare number 0..255. */
  public static Optional<Integer> compression(String name) {
    return lookup(COMP, name);
  }

  private static String name(Map<String, Integer> table, int id) {
    for (Map.Entry<String, Integer> e : table.entrySet()) {
      if (e.getValue() == id) {
        return e.getKey();
      }
    }
    return Integer.toString(id);
  }

  private static Optional<Integer> lookup(Map<String, Integer> table, String name) {
    Integer v = table.get(name);
    if (v != null) {
      return Optional.of(v);
    }
    if (name.matches("\\d{1,3}") && Integer.parseInt(name) <= 255) {
      return Optional.of(Integer.parseInt(name));
    }
    return Optional.empty();
  }
}
