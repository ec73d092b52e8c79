package org.ipsecemu.sadb.alg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The IPsec algorithms the emulator supports, with everything the Key Engine and the datapath need
 * to know about each: PF_KEY id and symbol, names in ipsec-tools {@code setkey}, Linux {@code ip
 * xfrm} and Wireshark, allowed key lengths, IV, block, ICV and salt sizes, and the defining RFC.
 *
 * <p>Pure data: no cryptography here. The datapath's {@code org.ipsecemu.datapath.crypto} package
 * builds the transforms. Where the real stacks disagree the choice is written on the constant;
 * print a constant and you get its PF_KEY symbol ({@code SADB_X_EALG_AESCBC}).
 */
public enum Algorithm {
  /** HMAC-MD5-96 (RFC 2403): 128-bit key, MD5 output truncated to 96 bits. */
  HMAC_MD5_96(
      AlgorithmKind.INTEGRITY,
      2,
      "SADB_AALG_MD5HMAC",
      2403,
      names("hmac-md5"),
      names("hmac(md5)", "md5"),
      "HMAC-MD5-96 [RFC2403]",
      bits(128),
      0,
      1,
      12,
      16,
      0),

  /** HMAC-SHA-1-96 (RFC 2404): 160-bit key, SHA-1 output truncated to 96 bits. */
  HMAC_SHA1_96(
      AlgorithmKind.INTEGRITY,
      3,
      "SADB_AALG_SHA1HMAC",
      2404,
      names("hmac-sha1"),
      names("hmac(sha1)", "sha1"),
      "HMAC-SHA-1-96 [RFC2404]",
      bits(160),
      0,
      1,
      12,
      20,
      0),

  /**
   * HMAC-SHA-256-128 (RFC 4868): 256-bit key, SHA-256 output truncated to 128 bits.
   *
   * <p>Linux quirk: an SA added through PF_KEY with this id gets a 96-bit ICV on Linux ({@code
   * xfrm_algo.c} keeps {@code icv_truncbits = 96} for {@code hmac(sha256)}, from a pre-RFC 4868
   * draft); {@code ip xfrm ... auth-trunc 'hmac(sha256)' KEY 128} gives the RFC's 128. This table
   * follows RFC 4868 (as FreeBSD, scapy and Wireshark's "HMAC-SHA-256-128" do); the datapath lets
   * an SA override the ICV length to replay Linux PF_KEY captures (Wireshark calls that variant
   * "HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]").
   */
  HMAC_SHA2_256_128(
      AlgorithmKind.INTEGRITY,
      5,
      "SADB_X_AALG_SHA2_256HMAC",
      4868,
      names("hmac-sha256", "hmac-sha2-256"),
      names("hmac(sha256)", "sha256"),
      "HMAC-SHA-256-128 [RFC4868]",
      bits(256),
      0,
      1,
      16,
      32,
      0),

  /**
   * DES-CBC with explicit IV (RFC 2405): 64-bit key of which 56 bits count (the low bit of each
   * byte is odd parity, FIPS 46-3), 8-byte block and IV.
   */
  DES_CBC(
      AlgorithmKind.ENCRYPTION,
      2,
      "SADB_EALG_DESCBC",
      2405,
      names("des-cbc"),
      names("cbc(des)", "des"),
      "DES-CBC [RFC2405]",
      bits(64),
      8,
      8,
      0,
      0,
      0),

  /** Triple DES EDE in CBC mode (RFC 2451): three 64-bit DES keys K1|K2|K3, 8-byte block/IV. */
  TRIPLE_DES_CBC(
      AlgorithmKind.ENCRYPTION,
      3,
      "SADB_EALG_3DESCBC",
      2451,
      names("3des-cbc"),
      names("cbc(des3_ede)", "des3_ede"),
      "TripleDES-CBC [RFC2451]",
      bits(192),
      8,
      8,
      0,
      0,
      0),

  /**
   * NULL encryption (RFC 2410): no key, no IV, block size 1 (ESP still pads to 4 bytes, RFC 4303
   * §2.4).
   *
   * <p>Its only "key length" is 0, meaning no SADB_EXT_KEY_ENCRYPT (RFC 2367 §2.3.4: {@code
   * sadb_key_bits} 0 is an error). Its {@link #sadbAlg()} reports minbits = maxbits = 0 as Linux
   * does, although RFC 2367 §2.3.7 calls zero invalid there.
   */
  NULL(
      AlgorithmKind.ENCRYPTION,
      11,
      "SADB_EALG_NULL",
      2410,
      names("null"),
      names("ecb(cipher_null)", "cipher_null"),
      "NULL",
      bits(0),
      0,
      1,
      0,
      0,
      0),

  /**
   * AES-CBC with explicit IV (RFC 3602): 128-, 192- or 256-bit key, 16-byte block and IV.
   *
   * <p>{@link #sadbAlg()} reports ivlen 16, the real IV size (FreeBSD does too); Linux reports 8.
   */
  AES_CBC(
      AlgorithmKind.ENCRYPTION,
      12,
      "SADB_X_EALG_AESCBC",
      3602,
      names("aes-cbc", "rijndael-cbc"),
      names("cbc(aes)", "aes"),
      "AES-CBC [RFC3602]",
      bits(128, 192, 256),
      16,
      16,
      0,
      0,
      0),

  /**
   * AES-GCM with a 16-byte ICV in ESP (RFC 4106): key material is the AES key followed by a 4-byte
   * salt (160, 224 or 288 bits), 8-byte explicit IV, nonce = salt || IV, 16-byte ICV.
   *
   * <p>Block size is 1 (GCM is a counter mode; ESP still pads to 4 bytes, RFC 4106 §3.2). Its
   * {@link #sadbAlg()} reports the key lengths as {@code sadb_key_bits} carries them, salt included
   * (160..288, as FreeBSD does); Linux reports the bare AES key (128..256) yet takes the salted key
   * from {@code setkey}.
   */
  AES_GCM_16(
      AlgorithmKind.COMBINED,
      20,
      "SADB_X_EALG_AES_GCM_ICV16",
      4106,
      names("aes-gcm-16"),
      names("rfc4106(gcm(aes))"),
      "AES-GCM with 16 octet ICV [RFC4106]",
      bits(160, 224, 288),
      8,
      1,
      16,
      0,
      4);

  /**
   * The PF_KEY value that means "no algorithm" in {@code sadb_sa_auth} and {@code sadb_sa_encrypt}.
   */
  public static final int NONE = 0;

  private final AlgorithmKind kind;
  private final int id;
  private final String symbol;
  private final int rfc;
  private final List<String> setkeyNames;
  private final List<String> xfrmNames;
  private final String wiresharkName;
  private final int[] keyBits;
  private final int ivLength;
  private final int blockSize;
  private final int icvLength;
  private final int digestLength;
  private final int saltLength;

  Algorithm(
      AlgorithmKind kind,
      int id,
      String symbol,
      int rfc,
      List<String> setkeyNames,
      List<String> xfrmNames,
      String wiresharkName,
      int[] keyBits,
      int ivLength,
      int blockSize,
      int icvLength,
      int digestLength,
      int saltLength) {
    this.kind = kind;
    this.id = id;
    this.symbol = symbol;
    this.rfc = rfc;
    this.setkeyNames = setkeyNames;
    this.xfrmNames = xfrmNames;
    this.wiresharkName = wiresharkName;
    this.keyBits = keyBits;
    this.ivLength = ivLength;
    this.blockSize = blockSize;
    this.icvLength = icvLength;
    this.digestLength = digestLength;
    this.saltLength = saltLength;
  }

  private static List<String> names(String... names) {
    return List.of(names);
  }

  private static int[] bits(int... bits) {
    return bits;
  }

  /** Integrity, encryption or combined mode. */
  public AlgorithmKind kind() {
    return kind;
  }

  /** The PF_KEY number: RFC 2367 §3.5, Linux {@code pfkeyv2.h} for the SADB_X_ ones. */
  public int id() {
    return id;
  }

  /** The PF_KEY symbolic name, e.g. {@code SADB_AALG_SHA1HMAC}. */
  public String symbol() {
    return symbol;
  }

  /** The number of the RFC that defines the algorithm's use in IPsec. */
  public int rfc() {
    return rfc;
  }

  /** The ipsec-tools {@code setkey} name ({@code -A}/{@code -E} argument), e.g. {@code aes-cbc}. */
  public String setkeyName() {
    return setkeyNames.get(0);
  }

  /**
   * Every name {@code setkey} accepts for it, the canonical one first ({@code rijndael-cbc}...).
   */
  public List<String> setkeyNames() {
    return setkeyNames;
  }

  /**
   * The Linux crypto API name {@code ip xfrm state} shows and takes, e.g. {@code cbc(aes)}. The
   * kernel also accepts an older short name ({@link #xfrmNames()}).
   */
  public String xfrmName() {
    return xfrmNames.get(0);
  }

  /** Every name Linux {@code ip xfrm} accepts, the canonical one first. */
  public List<String> xfrmNames() {
    return xfrmNames;
  }

  /** The name in Wireshark's ESP SA table ({@code esp_sa}), e.g. {@code AES-CBC [RFC3602]}. */
  public String wiresharkName() {
    return wiresharkName;
  }

  /**
   * Allowed key lengths in bits, ascending, as {@code sadb_key_bits} carries them (with the salt
   * for AES-GCM; {@code [0]} for NULL, meaning no key).
   */
  public int[] keyBits() {
    return keyBits.clone();
  }

  /** The smallest allowed key, in bits. */
  public int minKeyBits() {
    return keyBits[0];
  }

  /** The largest allowed key, in bits. */
  public int maxKeyBits() {
    return keyBits[keyBits.length - 1];
  }

  /** True when a key of this many bits is acceptable. */
  public boolean allowsKeyBits(int bits) {
    for (int b : keyBits) {
      if (b == bits) {
        return true;
      }
    }
    return false;
  }

  /** True for algorithms that take no key at all (NULL encryption). */
  public boolean isKeyless() {
    return maxKeyBits() == 0;
  }

  /** Explicit IV carried in each ESP packet, in bytes (0 for none). */
  public int ivLength() {
    return ivLength;
  }

  /** Cipher block size in bytes that ESP padding must reach; 1 for stream modes, NULL and MACs. */
  public int blockSize() {
    return blockSize;
  }

  /**
   * ICV length in bytes that goes on the wire: the truncated MAC (12 for HMAC-MD5-96 and
   * HMAC-SHA-1-96, 16 for HMAC-SHA-256-128) or the AEAD tag (16 for AES-GCM-16); 0 for ciphers.
   */
  public int icvLength() {
    return icvLength;
  }

  /** Full output length of the MAC before truncation, in bytes (0 for non-MACs). */
  public int digestLength() {
    return digestLength;
  }

  /** Salt bytes at the end of the key material (RFC 4106 §8.1: 4 for AES-GCM), else 0. */
  public int saltLength() {
    return saltLength;
  }

  /** The {@code struct sadb_alg} a REGISTER reply lists for this algorithm. */
  public SadbAlg sadbAlg() {
    return new SadbAlg(id, ivLength, minKeyBits(), maxKeyBits());
  }

  @Override
  public String toString() {
    return symbol;
  }

  // ---- lookups ----

  private static final Map<String, Algorithm> BY_NAME = new HashMap<>();
  private static final Map<String, Algorithm> AUTH_BY_NAME = new HashMap<>();
  private static final Map<String, Algorithm> ENCRYPT_BY_NAME = new HashMap<>();

  static {
    for (Algorithm a : values()) {
      List<String> all = new ArrayList<>(a.setkeyNames);
      all.addAll(a.xfrmNames);
      all.add(a.wiresharkName);
      all.add(a.symbol);
      all.add(a.name());
      Map<String, Algorithm> byKind = a.kind.usesEncryptField() ? ENCRYPT_BY_NAME : AUTH_BY_NAME;
      for (String n : all) {
        String key = n.toLowerCase(Locale.ROOT);
        BY_NAME.putIfAbsent(key, a);
        byKind.putIfAbsent(key, a);
      }
    }
  }

  /**
   * The algorithm of the given kind with this PF_KEY id. Encryption and combined-mode algorithms
   * share one number space ({@code sadb_sa_encrypt}); use {@link #encrypt(int)} when the kind is
   * not known yet.
   */
  public static Optional<Algorithm> of(AlgorithmKind kind, int id) {
    for (Algorithm a : values()) {
      if (a.kind == kind && a.id == id) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The integrity algorithm a {@code sadb_sa_auth} value names; empty for 0 and unknown ids. */
  public static Optional<Algorithm> auth(int sadbSaAuth) {
    return of(AlgorithmKind.INTEGRITY, sadbSaAuth);
  }

  /**
   * The encryption or combined-mode algorithm a {@code sadb_sa_encrypt} value names; empty for 0
   * and unknown ids.
   */
  public static Optional<Algorithm> encrypt(int sadbSaEncrypt) {
    for (Algorithm a : values()) {
      if (a.kind.usesEncryptField() && a.id == sadbSaEncrypt) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Looks an algorithm up by any of its names, case-insensitively: {@code setkey} ({@code
   * rijndael-cbc}), {@code ip xfrm} ({@code cbc(aes)}), Wireshark ({@code AES-CBC [RFC3602]}), the
   * PF_KEY symbol or the enum name. {@code null} means NULL encryption; use {@link
   * #authByName(String)} / {@link #encryptByName(String)} for a {@code setkey -A} / {@code -E}
   * argument.
   */
  public static Optional<Algorithm> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The integrity algorithm with this name (a {@code setkey -A} argument). */
  public static Optional<Algorithm> authByName(String name) {
    return Optional.ofNullable(AUTH_BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The encryption or combined-mode algorithm with this name (a {@code setkey -E} argument). */
  public static Optional<Algorithm> encryptByName(String name) {
    return Optional.ofNullable(ENCRYPT_BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The {@code sadb_alg} entries of a REGISTER reply, ascending by id: for SADB_EXT_SUPPORTED_AUTH
   * with {@code encrypt == false}, for SADB_EXT_SUPPORTED_ENCRYPT (encryption and combined-mode
   * algorithms) with {@code encrypt == true}.
   */
  public static List<SadbAlg> supported(boolean encrypt) {
    List<SadbAlg> out = new ArrayList<>();
    Algorithm[] sorted = values().clone();
    Arrays.sort(sorted, (x, y) -> Integer.compare(x.id, y.id));
    for (Algorithm a : sorted) {
      if (a.kind.usesEncryptField() == encrypt) {
        out.add(a.sadbAlg());
      }
    }
    return Collections.unmodifiableList(out);
  }
}
