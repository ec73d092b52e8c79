package org.ipsecemu.sadb.engine;

import java.util.Arrays;
import java.util.List;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.KmPrivateExtension;
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
