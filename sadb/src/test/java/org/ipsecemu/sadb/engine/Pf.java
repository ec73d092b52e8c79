package org.ipsecemu.sadb.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.ipsecemu.sadb.wire.AddressExtension;
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

/**
 * Builds the PF_KEY messages a key manager sends, the way {@code setkey} and racoon build them, so
 * tests read like the exchanges of RFC 2367 §5.1.
 */
final class Pf {
  static final int ESP = SaType.SADB_SATYPE_ESP.value();
  static final int AH = SaType.SADB_SATYPE_AH.value();

  /** SADB_AALG_* and SADB_EALG_* ids (RFC 2367 §3.5; Linux pfkeyv2.h for the X_ ones). */
  static final int MD5 = 2;

  static final int SHA1 = 3;
  static final int SHA256 = 5;
  static final int DES = 2;
  static final int TDES = 3;
  static final int NULL_ENC = 11;
  static final int AES = 12;
  static final int GCM16 = 20;

  static final String A = "192.0.2.1";
  static final String B = "192.0.2.2";

  private Pf() {}

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  static byte[] hex(String h) {
    return HexFormat.of().parseHex(h.replace(" ", ""));
  }

  /** A key of {@code bytes} bytes with odd DES parity in every byte, derived from a seed. */
  static byte[] key(int bytes, int seed) {
    byte[] k = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      int v = (seed * 31 + i * 17 + 0x35) & 0xFE;
      k[i] = (byte) (Integer.bitCount(v) % 2 == 0 ? v | 1 : v);
    }
    return k;
  }

  static AddressExtension src(String a) {
    return AddressExtension.host(ExtensionType.SADB_EXT_ADDRESS_SRC, SockAddr.of(ip(a), 0));
  }

  static AddressExtension dst(String a) {
    return AddressExtension.host(ExtensionType.SADB_EXT_ADDRESS_DST, SockAddr.of(ip(a), 0));
  }

  /** The destination address extension of these address bytes (no text parsing). */
  static AddressExtension dst(byte[] a) {
    return AddressExtension.host(
        ExtensionType.SADB_EXT_ADDRESS_DST,
        new SockAddr(
            a.length == 4
                ? org.ipsecemu.sadb.wire.AddressFamily.AF_INET
                : org.ipsecemu.sadb.wire.AddressFamily.AF_INET6,
            a,
            0,
            0));
  }

  static KeyExtension authKey(byte[] k) {
    return KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, k);
  }

  static KeyExtension encKey(byte[] k) {
    return KeyExtension.of(ExtensionType.SADB_EXT_KEY_ENCRYPT, k);
  }

  static LifetimeExtension soft(long alloc, long bytes, long add, long use) {
    return new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_SOFT, alloc, bytes, add, use);
  }

  static LifetimeExtension hard(long alloc, long bytes, long add, long use) {
    return new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, alloc, bytes, add, use);
  }

  static SaExtension sa(long spi, int auth, int enc) {
    return new SaExtension(spi, 32, SaState.SADB_SASTATE_MATURE.value(), auth, enc, 0);
  }

  /** A message of this type with these extensions. */
  static SadbMessage msg(MessageType t, int satype, long seq, long pid, SadbExtension... ext) {
    return new SadbMessage(SadbMessage.PF_KEY_V2, t, 0, satype, 0, seq, pid, List.of(ext));
  }

  /** SADB_ADD for ESP 3DES-CBC / HMAC-SHA1 from A to B, as setkey sends it. */
  static SadbMessage addEsp(long spi, long seq, long pid, SadbExtension... more) {
    List<SadbExtension> ext = new ArrayList<>();
    ext.add(sa(spi, SHA1, TDES));
    ext.addAll(List.of(more));
    ext.add(src(A));
    ext.add(dst(B));
    ext.add(authKey(key(20, (int) spi)));
    ext.add(encKey(key(24, (int) spi + 1)));
    return new SadbMessage(SadbMessage.PF_KEY_V2, MessageType.SADB_ADD, 0, ESP, 0, seq, pid, ext);
  }

  /** SADB_ADD with explicit algorithms and keys (null: no key extension). */
  static SadbMessage add(
      int satype, long spi, int auth, byte[] ak, int enc, byte[] ek, SadbExtension... more) {
    List<SadbExtension> ext = new ArrayList<>();
    ext.add(sa(spi, auth, enc));
    ext.addAll(List.of(more));
    ext.add(src(A));
    ext.add(dst(B));
    if (ak != null) {
      ext.add(authKey(ak));
    }
    if (ek != null) {
      ext.add(encKey(ek));
    }
    return new SadbMessage(SadbMessage.PF_KEY_V2, MessageType.SADB_ADD, 0, satype, 0, 1, 100, ext);
  }

  static SadbMessage getspi(int satype, long seq, long pid, long min, long max) {
    return msg(
        MessageType.SADB_GETSPI, satype, seq, pid, src(A), dst(B), new SpiRangeExtension(min, max));
  }

  /** DELETE / GET of the SA (type, spi, A→B). */
  static SadbMessage byId(MessageType t, int satype, long spi, long seq, long pid) {
    return msg(t, satype, seq, pid, new SaExtension(spi, 0, 0, 0, 0, 0), src(A), dst(B));
  }

  /** An address extension with prefix, protocol and port, as setkey sends for spdadd. */
  static AddressExtension addr(ExtensionType kind, String a, int prefix, int proto, int port) {
    return new AddressExtension(kind, proto, prefix, SockAddr.parse(a, port));
  }

  /** A transport request as setkey sends it: {@code esp/transport//require}. */
  static PolicyExtension.IpsecRequest transport(int ipProto, IpsecLevel level, long reqid) {
    return PolicyExtension.IpsecRequest.of(ipProto, IpsecMode.IPSEC_MODE_TRANSPORT, level, reqid);
  }

  /** A tunnel request: {@code esp/tunnel/S-D/require}. */
  static PolicyExtension.IpsecRequest tunnel(int ipProto, String s, String d, IpsecLevel level) {
    return new PolicyExtension.IpsecRequest(
        ipProto,
        IpsecMode.IPSEC_MODE_TUNNEL.value(),
        level.value(),
        0,
        SockAddr.parse(s, 0),
        SockAddr.parse(d, 0));
  }

  /**
   * SADB_X_SPDADD {@code src/sp[sport] dst/dp[dport] proto -P dir type requests}, as setkey sends
   * it (proto 255 for any).
   */
  static SadbMessage spdadd(
      String src,
      int sp,
      int sport,
      String dst,
      int dp,
      int dport,
      int proto,
      PolicyDirection dir,
      PolicyType type,
      PolicyExtension.IpsecRequest... requests) {
    return msg(
        MessageType.SADB_X_SPDADD,
        0,
        1,
        100,
        addr(ExtensionType.SADB_EXT_ADDRESS_SRC, src, sp, proto, sport),
        addr(ExtensionType.SADB_EXT_ADDRESS_DST, dst, dp, proto, dport),
        new PolicyExtension(type.value(), dir.value(), 0, 0x8000_0000L, List.of(requests)));
  }

  static SadbMessage base(MessageType t, int satype, long seq, long pid) {
    return msg(t, satype, seq, pid);
  }
}
