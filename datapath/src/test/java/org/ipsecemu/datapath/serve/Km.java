package org.ipsecemu.datapath.serve;

import java.util.ArrayList;
import java.util.List;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.AuthAlgorithm;
import org.ipsecemu.sadb.wire.EncryptAlgorithm;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.ipsecemu.sadb.wire.SpiRangeExtension;

/** The PF_KEY messages a key manager sends (RFC 2367 §3.1), for the served-socket tests. */
final class Km {
  static final int ESP = SaType.SADB_SATYPE_ESP.value();
  static final int AES_CBC = EncryptAlgorithm.SADB_X_EALG_AESCBC.value();
  static final int HMAC_SHA256 = AuthAlgorithm.SADB_X_AALG_SHA2_256HMAC.value();

  static final String LOCAL = "192.0.2.1";
  static final String PEER = "192.0.2.2";

  /** 16-byte AES key and 32-byte HMAC-SHA-256 key, fixed so runs are reproducible. */
  static final byte[] ENC_KEY = bytes(16, 0x10);

  static final byte[] AUTH_KEY = bytes(32, 0x40);

  private Km() {}

  static byte[] bytes(int n, int first) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (first + i);
    }
    return b;
  }

  static SadbMessage msg(MessageType t, int satype, long seq, long pid, List<SadbExtension> ext) {
    return new SadbMessage(SadbMessage.PF_KEY_V2, t, 0, satype, 0, seq, pid, ext);
  }

  static AddressExtension src(String a) {
    return AddressExtension.host(ExtensionType.SADB_EXT_ADDRESS_SRC, SockAddr.parse(a, 0));
  }

  static AddressExtension dst(String a) {
    return AddressExtension.host(ExtensionType.SADB_EXT_ADDRESS_DST, SockAddr.parse(a, 0));
  }

  static SadbMessage register(long seq, long pid) {
    return msg(MessageType.SADB_REGISTER, ESP, seq, pid, List.of());
  }

  static SadbMessage getspi(String s, String d, long min, long max, long seq, long pid) {
    return msg(
        MessageType.SADB_GETSPI,
        ESP,
        seq,
        pid,
        List.of(src(s), dst(d), new SpiRangeExtension(min, max)));
  }

  /** UPDATE or ADD of an AES-CBC / HMAC-SHA-256 ESP SA, with optional lifetimes. */
  static SadbMessage sa(
      MessageType t, long spi, String s, String d, long seq, long pid, SadbExtension... more) {
    List<SadbExtension> ext = new ArrayList<>();
    ext.add(new SaExtension(spi, 32, SaState.SADB_SASTATE_MATURE.value(), HMAC_SHA256, AES_CBC, 0));
    ext.addAll(List.of(more));
    ext.add(src(s));
    ext.add(dst(d));
    ext.add(KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, AUTH_KEY));
    ext.add(KeyExtension.of(ExtensionType.SADB_EXT_KEY_ENCRYPT, ENC_KEY));
    return msg(t, ESP, seq, pid, ext);
  }

  static SadbMessage get(long spi, String s, String d, long seq, long pid) {
    return msg(
        MessageType.SADB_GET,
        ESP,
        seq,
        pid,
        List.of(new SaExtension(spi, 0, 0, 0, 0, 0), src(s), dst(d)));
  }

  static SadbMessage dump(long seq, long pid) {
    return msg(MessageType.SADB_DUMP, ESP, seq, pid, List.of());
  }

  static SadbMessage flush(long seq, long pid) {
    return msg(MessageType.SADB_FLUSH, 0, seq, pid, List.of());
  }

  /**
   * SADB_X_SPDADD of {@code spdadd S/32[any] D/32[any] any -P out ipsec esp/transport//require;} as
   * setkey sends it (upper-layer protocol 255: any).
   */
  static SadbMessage spdaddOut(String s, String d, long seq, long pid) {
    return msg(
        MessageType.SADB_X_SPDADD,
        0,
        seq,
        pid,
        List.of(
            new AddressExtension(ExtensionType.SADB_EXT_ADDRESS_SRC, 255, 32, SockAddr.parse(s, 0)),
            new AddressExtension(ExtensionType.SADB_EXT_ADDRESS_DST, 255, 32, SockAddr.parse(d, 0)),
            new PolicyExtension(
                PolicyType.IPSEC_POLICY_IPSEC.value(),
                PolicyDirection.IPSEC_DIR_OUTBOUND.value(),
                0,
                0,
                List.of(
                    PolicyExtension.IpsecRequest.of(
                        50, IpsecMode.IPSEC_MODE_TRANSPORT, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0)))));
  }

  static LifetimeExtension soft(long addtime) {
    return new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_SOFT, 0, 0, addtime, 0);
  }

  static LifetimeExtension hard(long addtime) {
    return new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, 0, 0, addtime, 0);
  }
}
