package org.ipsecemu.bench;

import java.util.ArrayList;
import java.util.List;
import org.ipsecemu.datapath.packet.Checksum;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;

/**
 * What the benchmarks set up before they measure: SAs and policies added through PF_KEY, as {@code
 * setkey} would add them, fixed keys, and cleartext IPv4 packets. Nothing here runs while JMH
 * measures.
 */
final class Lab {
  private Lab() {}

  /**
   * The suite a benchmark parameter names: {@code "aes-cbc/hmac-sha1"} (ESP, encryption and
   * integrity), {@code "null/hmac-sha1"}, {@code "aes-gcm-16"} (ESP, combined mode) or {@code
   * "ah/hmac-sha1"} (AH).
   *
   * @param esp ESP or AH
   * @param encryption the ESP cipher (null for AH)
   * @param integrity the MAC (null for a combined mode)
   */
  record Suite(boolean esp, Algorithm encryption, Algorithm integrity) {
    static Suite parse(String name) {
      String[] s = name.split("/", -1);
      if (s[0].equals("ah")) {
        return new Suite(false, null, Algorithm.authByName(s[1]).orElseThrow());
      }
      Algorithm enc = Algorithm.encryptByName(s[0]).orElseThrow();
      Algorithm auth = s.length > 1 ? Algorithm.authByName(s[1]).orElseThrow() : null;
      return new Suite(true, enc, auth);
    }

    /** The ICV on the wire: the MAC's truncation or the AEAD tag. */
    int icvLength() {
      if (encryption != null && encryption.icvLength() > 0) {
        return encryption.icvLength();
      }
      return integrity == null ? 0 : integrity.icvLength();
    }

    /** The ESP IV length (0 for AH and NULL). */
    int ivLength() {
      return encryption == null ? 0 : encryption.ivLength();
    }

    /**
     * The bytes ESP encrypts for {@code payload} bytes of payload data: padded, with the 2-byte
     * trailer, to the cipher block and to 4 bytes (RFC 4303 §2.4).
     */
    int ciphertextLength(int payload) {
      int align = Math.max(4, encryption == null ? 1 : encryption.blockSize());
      return (payload + 2 + align - 1) / align * align;
    }

    int satype() {
      return (esp ? SaType.SADB_SATYPE_ESP : SaType.SADB_SATYPE_AH).value();
    }

    /** The key sizes of the benchmarks: AES-128 (the common choice), the others' only size. */
    byte[] encryptionKey() {
      if (encryption == null || encryption.isKeyless()) {
        return null;
      }
      return key(encryption.minKeyBits() / 8, 0x35);
    }

    byte[] integrityKey() {
      return integrity == null ? null : key(integrity.maxKeyBits() / 8, 0x53);
    }
  }

  /**
   * Adds a MATURE SA with SADB_ADD ({@code replay} 0 turns the anti-replay window off, see the
   * module README) and fails unless the engine accepted it.
   */
  static void addSa(
      PfKeySocket socket,
      Suite suite,
      int spi,
      String src,
      String dst,
      boolean tunnel,
      int replay) {
    List<SadbExtension> ext = new ArrayList<>(6);
    ext.add(
        new SaExtension(
            spi & 0xFFFF_FFFFL,
            replay,
            1,
            suite.integrity() == null ? 0 : suite.integrity().id(),
            suite.encryption() == null ? 0 : suite.encryption().id(),
            0));
    ext.add(new Sa2Extension(mode(tunnel), 0, 0));
    ext.add(address(ExtensionType.SADB_EXT_ADDRESS_SRC, src, 32));
    ext.add(address(ExtensionType.SADB_EXT_ADDRESS_DST, dst, 32));
    byte[] ak = suite.integrityKey();
    if (ak != null) {
      ext.add(KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, ak));
    }
    byte[] ek = suite.encryptionKey();
    if (ek != null) {
      ext.add(KeyExtension.of(ExtensionType.SADB_EXT_KEY_ENCRYPT, ek));
    }
    check(socket.call(message(MessageType.SADB_ADD, suite.satype(), ext)));
  }

  /**
   * Adds an outbound {@code ipsec} policy from {@code src} to {@code dst} (prefixes given)
   * requiring one SA of the suite's protocol; in tunnel mode between the endpoints.
   */
  static void addOutboundPolicy(
      PfKeySocket socket,
      Suite suite,
      String src,
      int srcPrefix,
      String dst,
      int dstPrefix,
      boolean tunnel,
      String tunnelSrc,
      String tunnelDst) {
    PolicyExtension.IpsecRequest request =
        new PolicyExtension.IpsecRequest(
            suite.esp() ? 50 : 51,
            mode(tunnel),
            IpsecLevel.IPSEC_LEVEL_REQUIRE.value(),
            0,
            tunnel ? SockAddr.parse(tunnelSrc, 0) : null,
            tunnel ? SockAddr.parse(tunnelDst, 0) : null);
    check(
        socket.call(
            message(
                MessageType.SADB_X_SPDADD,
                0,
                List.of(
                    address(ExtensionType.SADB_EXT_ADDRESS_SRC, src, srcPrefix),
                    address(ExtensionType.SADB_EXT_ADDRESS_DST, dst, dstPrefix),
                    new PolicyExtension(
                        PolicyType.IPSEC_POLICY_IPSEC.value(),
                        PolicyDirection.IPSEC_DIR_OUTBOUND.value(),
                        0,
                        0x8000_0000L,
                        List.of(request))))));
  }

  private static int mode(boolean tunnel) {
    return (tunnel ? IpsecMode.IPSEC_MODE_TUNNEL : IpsecMode.IPSEC_MODE_TRANSPORT).value();
  }

  /** A fixed key; every byte has odd parity, so DES and 3DES keys pass the parity check. */
  static byte[] key(int bytes, int seed) {
    byte[] k = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      int v = (i * 37 + seed) & 0xfe;
      k[i] = (byte) (Integer.bitCount(v) % 2 == 0 ? v | 1 : v);
    }
    return k;
  }

  static AddressExtension address(ExtensionType kind, String a, int prefix) {
    return new AddressExtension(kind, 255, prefix, SockAddr.parse(a, 0));
  }

  static SadbMessage message(MessageType type, int satype, List<SadbExtension> ext) {
    return new SadbMessage(SadbMessage.PF_KEY_V2, type, 0, satype, 0, 1, 1, ext);
  }

  static void check(SadbMessage reply) {
    if (reply == null || reply.errno() != 0) {
      throw new IllegalStateException(
          reply == null ? "no reply" : reply.type() + " errno=" + reply.errno());
    }
  }

  /**
   * An IPv4 packet from {@code src} to {@code dst} carrying {@code payload} bytes after its 20-byte
   * header: a UDP header (ports 5000 to 53) and {@code payload - 8} bytes of data. {@code payload}
   * is what ESP encrypts in transport mode, the "payload bytes" of the benchmarks.
   */
  static byte[] ipv4Udp(String src, String dst, int payload, int sourcePort) {
    if (payload < 8) {
      throw new IllegalArgumentException("payload=" + payload + " (expected: 8+, a UDP header)");
    }
    byte[] p = new byte[20 + payload];
    p[0] = 0x45;
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    p[8] = 64;
    p[9] = 17;
    System.arraycopy(SockAddr.parse(src, 0).address(), 0, p, 12, 4);
    System.arraycopy(SockAddr.parse(dst, 0).address(), 0, p, 16, 4);
    int sum = Checksum.checksum(p, 0, 20);
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
    p[20] = (byte) (sourcePort >> 8);
    p[21] = (byte) sourcePort;
    p[22] = 0;
    p[23] = 53;
    p[24] = (byte) (payload >> 8);
    p[25] = (byte) payload;
    for (int i = 28; i < p.length; i++) {
      p[i] = (byte) (i * 7 + 1);
    }
    return p;
  }
}
