package org.ipsecemu.sadb.engine;

import java.util.ArrayList;
import java.util.List;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.alg.AlgorithmKind;
import org.ipsecemu.sadb.alg.SadbAlg;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.spd.IpsecProtocol;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.AddressFamily;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.ProposalExtension;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.ipsecemu.sadb.wire.SupportedExtension;

/** Builds the messages the engine originates or answers with, in the RFC's extension order. */
final class Messages {
  private Messages() {}

  /** Which lifetimes an SA message carries. */
  enum Lifetimes {
    NONE,
    ALL,
    SOFT_EXPIRED,
    HARD_EXPIRED
  }

  /**
   * The full description of an SA: {@code <base, SA, lifetime(HSC), address(SD), (P), key(AE),
   * (identity), (sensitivity), KMPRIVATE, SA2>}, as GET and DUMP return it (§3.1.5, §3.1.10) and,
   * with fewer parts, EXPIRE (§3.1.8). Keys only when {@code keys} is true and the SA still has
   * them.
   */
  static SadbMessage sa(
      MessageType type,
      SecurityAssociation sa,
      long seq,
      long pid,
      boolean keys,
      Lifetimes lifetimes,
      SaState stateShown) {
    SaParams p = sa.params();
    List<SadbExtension> ext = new ArrayList<>();
    ext.add(
        new SaExtension(
            // A window above 255 shows as 255 here and in full in the SADB_X_EXT_SA_REPLAY kept
            // with the SA, as FreeBSD reports it.
            sa.spiUnsigned(),
            Math.min(p.replay, 255),
            stateShown.value(),
            p.auth,
            p.encrypt,
            p.flags));
    switch (lifetimes) {
      case ALL -> {
        ext.add(lifetime(ExtensionType.SADB_EXT_LIFETIME_CURRENT, sa.currentLifetime()));
        ext.add(lifetime(ExtensionType.SADB_EXT_LIFETIME_HARD, sa.hardLifetime()));
        ext.add(lifetime(ExtensionType.SADB_EXT_LIFETIME_SOFT, sa.softLifetime()));
      }
      case SOFT_EXPIRED -> {
        ext.add(lifetime(ExtensionType.SADB_EXT_LIFETIME_CURRENT, sa.currentLifetime()));
        ext.add(lifetime(ExtensionType.SADB_EXT_LIFETIME_SOFT, sa.softLifetime()));
      }
      case HARD_EXPIRED -> {
        ext.add(lifetime(ExtensionType.SADB_EXT_LIFETIME_CURRENT, sa.currentLifetime()));
        ext.add(lifetime(ExtensionType.SADB_EXT_LIFETIME_HARD, sa.hardLifetime()));
      }
      case NONE -> {}
    }
    ext.add(address(ExtensionType.SADB_EXT_ADDRESS_SRC, sa, true));
    ext.add(address(ExtensionType.SADB_EXT_ADDRESS_DST, sa, false));
    if (p.proxy != null) {
      ext.add(p.proxy);
    }
    if (keys && sa.state() != SaState.SADB_SASTATE_DEAD) {
      if (p.authKey != null) {
        ext.add(new KeyExtension(ExtensionType.SADB_EXT_KEY_AUTH, p.authBits, p.authKey));
      }
      if (p.encryptKey != null) {
        ext.add(new KeyExtension(ExtensionType.SADB_EXT_KEY_ENCRYPT, p.encryptBits, p.encryptKey));
      }
    }
    for (SadbExtension e : p.kept) {
      if (e.exttype() != ExtensionType.SADB_EXT_ADDRESS_PROXY.value()) {
        ext.add(e);
      }
    }
    if (lifetimes != Lifetimes.SOFT_EXPIRED && lifetimes != Lifetimes.HARD_EXPIRED) {
      ext.add(new Sa2Extension(p.mode.value(), 0, p.reqid));
    }
    return new SadbMessage(SadbMessage.PF_KEY_V2, type, 0, sa.satype(), 0, seq, pid, ext);
  }

  static LifetimeExtension lifetime(ExtensionType kind, Lifetime l) {
    return new LifetimeExtension(kind, l.allocations(), l.bytes(), l.addtime(), l.usetime());
  }

  static AddressExtension address(ExtensionType kind, SecurityAssociation sa, boolean source) {
    byte[] a = source ? sa.sourceBytes() : sa.destinationBytes();
    return new AddressExtension(
        kind,
        sa.upperProtocol(),
        source ? sa.sourcePrefix() : sa.destinationPrefix(),
        new SockAddr(family(a), a, source ? sa.sourcePort() : sa.destinationPort(), 0));
  }

  static AddressExtension address(
      ExtensionType kind, byte[] a, int len, int proto, int prefix, int port) {
    byte[] b = java.util.Arrays.copyOf(a, len);
    return new AddressExtension(kind, proto, prefix, new SockAddr(family(b), b, port, 0));
  }

  static AddressFamily family(byte[] a) {
    return a.length == 4 ? AddressFamily.AF_INET : AddressFamily.AF_INET6;
  }

  /** The SUPPORTED extensions of a REGISTER reply for this SA type (§2.3.8, §3.1.7). */
  static List<SadbExtension> supported(int satype) {
    List<SadbExtension> out = new ArrayList<>();
    boolean esp = satype == IpsecProtocol.ESP.satype() || satype == 0;
    boolean ipcomp = satype == IpsecProtocol.IPCOMP.satype();
    if (!ipcomp) {
      out.add(supported(ExtensionType.SADB_EXT_SUPPORTED_AUTH, Algorithm.supported(false)));
    }
    if (esp) {
      out.add(supported(ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT, Algorithm.supported(true)));
    }
    return out;
  }

  private static SupportedExtension supported(ExtensionType kind, List<SadbAlg> algs) {
    List<SupportedExtension.Alg> l = new ArrayList<>();
    for (SadbAlg a : algs) {
      l.add(new SupportedExtension.Alg(a.id(), a.ivLength(), a.minBits(), a.maxBits()));
    }
    return new SupportedExtension(kind, l);
  }

  /** Encryption algorithms in the order proposals prefer them (strongest first). */
  private static final Algorithm[] ENCRYPT_PREFERENCE = {
    Algorithm.AES_GCM_16,
    Algorithm.AES_CBC,
    Algorithm.TRIPLE_DES_CBC,
    Algorithm.DES_CBC,
    Algorithm.NULL
  };

  /** Integrity algorithms in the order proposals prefer them. */
  private static final Algorithm[] AUTH_PREFERENCE = {
    Algorithm.HMAC_SHA2_256_128, Algorithm.HMAC_SHA1_96, Algorithm.HMAC_MD5_96
  };

  /**
   * The proposal of an engine-made ACQUIRE (§2.3.7, §3.1.6): every combination the datapath
   * supports for the SA type, most preferred first. Like Linux ({@code dump_ah_combs}, {@code
   * dump_esp_combs}), each comb carries the profile's proposed add and use lifetimes; unlike Linux,
   * ESP also offers the combined-mode cipher (AES-GCM) without an integrity algorithm.
   */
  static ProposalExtension proposal(int satype, EngineProfile profile) {
    List<ProposalExtension.Comb> combs = new ArrayList<>();
    if (satype == IpsecProtocol.AH.satype()) {
      for (Algorithm a : AUTH_PREFERENCE) {
        combs.add(comb(a, null, profile));
      }
    } else if (satype == IpsecProtocol.ESP.satype()) {
      for (Algorithm e : ENCRYPT_PREFERENCE) {
        if (e.kind() == AlgorithmKind.COMBINED) {
          combs.add(comb(null, e, profile));
          continue;
        }
        for (Algorithm a : AUTH_PREFERENCE) {
          combs.add(comb(a, e, profile));
        }
      }
    }
    return new ProposalExtension(profile.proposalReplay(), combs);
  }

  private static ProposalExtension.Comb comb(Algorithm auth, Algorithm enc, EngineProfile p) {
    return new ProposalExtension.Comb(
        auth == null ? 0 : auth.id(),
        enc == null ? 0 : enc.id(),
        0,
        auth == null ? 0 : auth.minKeyBits(),
        auth == null ? 0 : auth.maxKeyBits(),
        enc == null ? 0 : enc.minKeyBits(),
        enc == null ? 0 : enc.maxKeyBits(),
        0,
        0,
        0,
        0,
        p.combSoftAddtime(),
        p.combHardAddtime(),
        p.combSoftUsetime(),
        p.combHardUsetime());
  }

  /** The address extensions of a flow, with its protocol and ports (§3.1.6 NOTE). */
  static AddressExtension flowAddress(ExtensionType kind, Flow f, boolean source) {
    int len = f.addressLength();
    return address(
        kind,
        source ? f.sourceBytes() : f.destinationBytes(),
        len,
        f.protocol(),
        len * 8,
        source ? f.sourcePort() : f.destinationPort());
  }
}
