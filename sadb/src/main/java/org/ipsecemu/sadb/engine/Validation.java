package org.ipsecemu.sadb.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.alg.AlgorithmKind;
import org.ipsecemu.sadb.alg.KeyChecks;
import org.ipsecemu.sadb.alg.KeyProblem;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.spd.IpsecProtocol;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.CompressionAlgorithm;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IdentityExtension;
import org.ipsecemu.sadb.wire.IdentityType;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.NatTraversalType;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaFlag;
import org.ipsecemu.sadb.wire.SaReplayExtension;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;

/**
 * The sanity checks of §3.1.2 and §3.1.3 ("The kernel MUST sanity check all significant values ...
 * and MUST return EINVAL if any of the values are invalid"): algorithm ids the engine supports, key
 * lengths per algorithm, DES parity (when the profile asks), DES weak and semi-weak keys, 3DES with
 * two equal keys, AH without integrity, ESP without encryption or with neither confidentiality nor
 * integrity. Each failure is an EINVAL whose message says which rule, in {@code key=value} form,
 * and never shows key bytes.
 */
final class Validation {
  private Validation() {}

  static PfKeyException einval(String message) {
    return new PfKeyException(Errno.EINVAL, message);
  }

  /** The SA extension, source and destination (§2.3.3: both MUST be present with an SA). */
  static SaExtension requireSa(SadbMessage m) {
    return m.sa().orElseThrow(() -> einval("missing extension SADB_EXT_SA"));
  }

  static AddressExtension requireSrc(SadbMessage m) {
    return m.addressSrc().orElseThrow(() -> einval("missing extension SADB_EXT_ADDRESS_SRC"));
  }

  static AddressExtension requireDst(SadbMessage m) {
    AddressExtension dst =
        m.addressDst().orElseThrow(() -> einval("missing extension SADB_EXT_ADDRESS_DST"));
    AddressExtension src =
        m.addressSrc().orElseThrow(() -> einval("missing extension SADB_EXT_ADDRESS_SRC"));
    if (src.address().family() != dst.address().family()) {
      throw einval(
          "source and destination of different families src="
              + src.address().family()
              + " dst="
              + dst.address().family());
    }
    return dst;
  }

  /** SOFT and HARD lifetimes of the message; a SOFT above its HARD is accepted (§3.1.8). */
  static Lifetime lifetime(Optional<LifetimeExtension> l) {
    return l.map(x -> new Lifetime(x.allocations(), x.bytes(), x.addtime(), x.usetime()))
        .orElse(Lifetime.NONE);
  }

  /** Builds and checks everything an ADD, or an UPDATE of a LARVAL SA, sets. */
  static SaParams params(SadbMessage m, int satype, EngineProfile profile) {
    SaExtension sa = requireSa(m);
    Optional<KeyExtension> ka = m.keyAuth();
    Optional<KeyExtension> ke = m.keyEncrypt();
    int auth = sa.auth();
    int enc = sa.encrypt();
    IpsecProtocol proto = IpsecProtocol.ofSatype(satype);
    if (proto == IpsecProtocol.AH) {
      if (auth == 0) {
        throw einval("AH without an authentication algorithm satype=SADB_SATYPE_AH auth=0");
      }
      if (enc != 0) {
        throw einval("AH with an encryption algorithm encrypt=" + enc);
      }
      if (ke.isPresent()) {
        throw einval("AH with SADB_EXT_KEY_ENCRYPT");
      }
      checkKey(authAlgorithm(auth), ka, "SADB_EXT_KEY_AUTH", profile);
    } else if (proto == IpsecProtocol.ESP) {
      if (enc == 0) {
        throw einval("ESP without an encryption algorithm encrypt=0 (use SADB_EALG_NULL for none)");
      }
      Algorithm e =
          Algorithm.encrypt(enc)
              .orElseThrow(() -> einval("unsupported encryption algorithm encrypt=" + enc));
      if (e == Algorithm.NULL && auth == 0) {
        throw einval("ESP with neither confidentiality nor integrity encrypt=NULL auth=0");
      }
      if (e.kind() == AlgorithmKind.COMBINED && auth != 0) {
        throw einval("combined-mode " + e.setkeyName() + " with an auth algorithm auth=" + auth);
      }
      if (auth != 0) {
        checkKey(authAlgorithm(auth), ka, "SADB_EXT_KEY_AUTH", profile);
      } else if (ka.isPresent()) {
        throw einval("SADB_EXT_KEY_AUTH without an authentication algorithm auth=0");
      }
      checkKey(e, ke, "SADB_EXT_KEY_ENCRYPT", profile);
    } else if (proto == IpsecProtocol.IPCOMP) {
      if (CompressionAlgorithm.valueOf(enc).isEmpty() || enc == 0) {
        throw einval("unsupported compression algorithm encrypt=" + enc);
      }
      if (auth != 0 || ka.isPresent() || ke.isPresent()) {
        throw einval("IPcomp SA with authentication or keys auth=" + auth);
      }
    }
    checkEncapsulation(m, proto, sa.flags());
    checkPrefixIdentity(m.identitySrc(), requireSrc(m));
    checkPrefixIdentity(m.identityDst(), requireDst(m));
    // Other SA types (RSVP, OSPFv2, RIPv2, MIP, unknown) belong to user-level consumers (§5.3): the
    // engine only stores them, keys included, and checks nothing it cannot interpret.
    IpsecMode mode = IpsecMode.ANY;
    long reqid = 0;
    Optional<Sa2Extension> sa2 = m.sa2();
    if (sa2.isPresent()) {
      mode = IpsecMode.of(sa2.get().mode());
      if (mode == null) {
        throw einval("unsupported mode sadb_x_sa2_mode=" + sa2.get().mode());
      }
      reqid = sa2.get().reqid();
    }
    List<SadbExtension> kept = new ArrayList<>();
    for (SadbExtension x : m.extensions()) {
      int t = x.exttype();
      if (t == ExtensionType.SADB_EXT_ADDRESS_PROXY.value()
          || t == ExtensionType.SADB_EXT_IDENTITY_SRC.value()
          || t == ExtensionType.SADB_EXT_IDENTITY_DST.value()
          || t == ExtensionType.SADB_EXT_SENSITIVITY.value()
          || t == ExtensionType.SADB_X_EXT_KMPRIVATE.value()
          || t == ExtensionType.SADB_X_EXT_NAT_T_TYPE.value()
          || t == ExtensionType.SADB_X_EXT_NAT_T_SPORT.value()
          || t == ExtensionType.SADB_X_EXT_NAT_T_DPORT.value()
          || t == ExtensionType.SADB_X_EXT_NAT_T_OA.value()
          || t == ExtensionType.SADB_X_EXT_SA_REPLAY.value()) {
        kept.add(x);
      }
    }
    return new SaParams(
        replayWindow(m, sa),
        sa.flags(),
        auth,
        enc,
        ka.map(KeyExtension::key).orElse(null),
        ka.map(KeyExtension::bits).orElse(0),
        ke.map(KeyExtension::key).orElse(null),
        ke.map(KeyExtension::bits).orElse(0),
        mode,
        reqid,
        m.addressProxy().orElse(null),
        kept);
  }

  /**
   * The Linux NAT-T extensions and the ESN flag, checked as Linux's {@code xfrm} initialises the
   * state: UDP encapsulation is for ESP only ({@code ah_init_state} and {@code ipcomp_init_state}
   * refuse an {@code x->encap}) and of type 1 or 2 ({@code esp_init_state}); extended sequence
   * numbers are for ESP and AH, IPComp having no sequence number (RFC 3173 §2). Each is EINVAL.
   */
  static void checkEncapsulation(SadbMessage m, IpsecProtocol proto, long flags) {
    UdpEncapsulation encap = SaParams.udpEncapsulation(m.extensions());
    if (encap != null) {
      if (proto != IpsecProtocol.ESP) {
        throw einval(
            "UDP encapsulation (SADB_X_EXT_NAT_T_TYPE) is for ESP only satype="
                + (proto == null ? "other" : proto.name()));
      }
      if (NatTraversalType.valueOf(encap.type()).isEmpty()) {
        throw einval("unsupported NAT-T encapsulation sadb_x_nat_t_type_type=" + encap.type());
      }
    }
    boolean esn = (flags & SaFlag.SADB_X_SAFLAGS_ESN.value()) != 0;
    if (esn && proto == IpsecProtocol.IPCOMP) {
      throw einval("SADB_X_SAFLAGS_ESN on an IPcomp SA (IPComp has no sequence number)");
    }
  }

  /**
   * §3.7: "If the source or destination identity is a PREFIX identity, the source or destination
   * address for the SA (respectively) MUST be within that prefix", and the bits beyond the prefix
   * MUST be zero. The string is parsed as a numeric address, never resolved.
   */
  static void checkPrefixIdentity(Optional<IdentityExtension> ident, AddressExtension addr) {
    if (ident.isEmpty() || ident.get().type() != IdentityType.SADB_IDENTTYPE_PREFIX.value()) {
      return;
    }
    String text = ident.get().string();
    String kind = ident.get().kind().symbol();
    int slash = text.indexOf('/');
    byte[] net;
    int prefix;
    try {
      net = SockAddr.parseAddress(slash < 0 ? text : text.substring(0, slash)).getAddress();
      prefix = slash < 0 ? net.length * 8 : Integer.parseInt(text.substring(slash + 1).trim());
    } catch (IllegalArgumentException e) {
      throw einval(kind + " PREFIX identity is not address/length: \"" + text + "\"");
    }
    byte[] a = addr.address().address();
    if (prefix < 0 || prefix > net.length * 8 || net.length != a.length) {
      throw einval(kind + " PREFIX identity does not fit the address family: \"" + text + "\"");
    }
    for (int bit = prefix; bit < net.length * 8; bit++) {
      if ((net[bit >>> 3] & (0x80 >>> (bit & 7))) != 0) {
        throw einval(kind + " PREFIX identity has bits set beyond its prefix: \"" + text + "\"");
      }
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit & 7);
      if ((net[bit >>> 3] & mask) != (a[bit >>> 3] & mask)) {
        throw einval(
            kind
                + " PREFIX identity \""
                + text
                + "\" does not contain the SA address "
                + addr.address().addressString());
      }
    }
  }

  /**
   * The replay window in packets: FreeBSD's SADB_X_EXT_SA_REPLAY when given (32 bits, for the
   * windows of 256 packets and more that the 8-bit {@code sadb_sa_replay} cannot hold), else {@code
   * sadb_sa_replay}.
   */
  static int replayWindow(SadbMessage m, SaExtension sa) {
    return m.find(ExtensionType.SADB_X_EXT_SA_REPLAY, SaReplayExtension.class)
        .map(r -> (int) Math.min(r.replay(), Integer.MAX_VALUE))
        .orElse(sa.replay());
  }

  private static Algorithm authAlgorithm(int auth) {
    return Algorithm.auth(auth)
        .orElseThrow(() -> einval("unsupported authentication algorithm auth=" + auth));
  }

  private static void checkKey(
      Algorithm alg, Optional<KeyExtension> key, String ext, EngineProfile profile) {
    if (alg.isKeyless()) {
      if (key.isPresent() && key.get().bits() != 0) {
        throw einval(ext + " given for keyless algorithm alg=" + alg.setkeyName());
      }
      return;
    }
    KeyExtension k =
        key.orElseThrow(() -> einval("missing extension " + ext + " alg=" + alg.setkeyName()));
    if (k.bits() == 0) {
      throw einval(ext + " with sadb_key_bits=0 (§2.3.4)");
    }
    if (k.bits() > k.keyLength() * 8) {
      throw einval(ext + " bits=" + k.bits() + " longer than its " + k.keyLength() + " bytes");
    }
    Optional<KeyProblem> length = KeyChecks.checkLength(alg, k.bits());
    if (length.isPresent()) {
      throw einval(length.get().message());
    }
    byte[] bytes = k.key();
    try {
      byte[] exact = java.util.Arrays.copyOf(bytes, k.bits() / 8);
      Optional<KeyProblem> weak = KeyChecks.checkWeak(alg, exact);
      if (weak.isEmpty() && profile.checkDesParity()) {
        weak = KeyChecks.checkParity(alg, exact);
      }
      java.util.Arrays.fill(exact, (byte) 0);
      if (weak.isPresent()) {
        throw einval(weak.get().message());
      }
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }
}
