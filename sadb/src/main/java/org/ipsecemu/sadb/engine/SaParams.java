package org.ipsecemu.sadb.engine;

import java.util.Arrays;
import java.util.List;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.KmPrivateExtension;
import org.ipsecemu.sadb.wire.NatTPortExtension;
import org.ipsecemu.sadb.wire.NatTTypeExtension;
import org.ipsecemu.sadb.wire.SaFlag;
import org.ipsecemu.sadb.wire.SadbExtension;

/**
 * What an SA is beyond its identity: algorithms, keys, replay window, flags, mode and reqid, and
 * the extensions key management gave with it (proxy address, identities, sensitivity, KMPRIVATE,
 * NAT-T) that GET and DUMP return. Set once: at SADB_ADD, or at the SADB_UPDATE that matures a
 * LARVAL SA; the SA publishes it in one volatile write, so a reader never sees half of it.
 *
 * <p>Holds the engine's only copies of the keys, zeroed by {@link #zeroKeys()} when the SA goes.
 */
final class SaParams {
  static final SaParams LARVAL =
      new SaParams(0, 0, 0, 0, null, 0, null, 0, IpsecMode.ANY, 0, null, List.of());

  final int replay;
  final long flags;
  final int auth;
  final int encrypt;
  final byte[] authKey;
  final int authBits;
  final byte[] encryptKey;
  final int encryptBits;
  final IpsecMode mode;
  final long reqid;
  final AddressExtension proxy;

  /** The proxy address bytes and prefix, read once so the inbound check does not allocate. */
  final byte[] proxyBytes;

  final int proxyPrefix;

  /** Extensions kept verbatim for GET/DUMP, in the order they arrived. */
  final List<SadbExtension> kept;

  /** UDP encapsulation read once from the NAT-T extensions, or null. */
  final UdpEncapsulation udpEncapsulation;

  /** Whether {@code flags} has SADB_X_SAFLAGS_ESN. */
  final boolean esn;

  SaParams(
      int replay,
      long flags,
      int auth,
      int encrypt,
      byte[] authKey,
      int authBits,
      byte[] encryptKey,
      int encryptBits,
      IpsecMode mode,
      long reqid,
      AddressExtension proxy,
      List<SadbExtension> kept) {
    this.replay = replay;
    this.flags = flags;
    this.auth = auth;
    this.encrypt = encrypt;
    this.authKey = authKey;
    this.authBits = authBits;
    this.encryptKey = encryptKey;
    this.encryptBits = encryptBits;
    this.mode = mode;
    this.reqid = reqid;
    this.proxy = proxy;
    this.proxyBytes = proxy == null ? null : proxy.address().address();
    this.proxyPrefix =
        proxy == null ? 0 : proxy.prefixlen() == 0 ? proxyBytes.length * 8 : proxy.prefixlen();
    this.kept = List.copyOf(kept);
    this.udpEncapsulation = udpEncapsulation(this.kept);
    this.esn = (flags & SaFlag.SADB_X_SAFLAGS_ESN.value()) != 0;
  }

  /**
   * The encapsulation the NAT-T extensions declare: a NAT_T_TYPE with a non-zero type, its ports (0
   * when absent) and original address; null without one, as Linux's {@code af_key} reads them.
   */
  static UdpEncapsulation udpEncapsulation(List<SadbExtension> extensions) {
    int type = 0;
    int sport = 0;
    int dport = 0;
    AddressExtension oa = null;
    for (SadbExtension e : extensions) {
      if (e instanceof NatTTypeExtension t) {
        type = t.type();
      } else if (e instanceof NatTPortExtension p) {
        if (p.kind() == ExtensionType.SADB_X_EXT_NAT_T_SPORT) {
          sport = p.port();
        } else {
          dport = p.port();
        }
      } else if (e instanceof AddressExtension a && a.kind() == ExtensionType.SADB_X_EXT_NAT_T_OA) {
        oa = a;
      }
    }
    if (type == 0) {
      return null;
    }
    return new UdpEncapsulation(type, sport, dport, oa == null ? null : oa.address().inetAddress());
  }

  KmPrivateExtension kmPrivate() {
    for (SadbExtension e : kept) {
      if (e instanceof KmPrivateExtension k) {
        return k;
      }
    }
    return null;
  }

  void zeroKeys() {
    if (authKey != null) {
      Arrays.fill(authKey, (byte) 0);
    }
    if (encryptKey != null) {
      Arrays.fill(encryptKey, (byte) 0);
    }
  }
}
