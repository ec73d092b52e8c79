package org.ipsecemu.sadb.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.spd.IpsecLevel;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.spd.IpsecProtocol;
import org.ipsecemu.sadb.spd.IpsecRequest;
import org.ipsecemu.sadb.spd.Policy;
import org.ipsecemu.sadb.spd.PolicyAction;
import org.ipsecemu.sadb.spd.PolicyDirection;
import org.ipsecemu.sadb.spd.SecurityPolicyDatabase;
import org.ipsecemu.sadb.spd.Selector;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PromiscPayload;
import org.ipsecemu.sadb.wire.ProposalReferenceExtension;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.ipsecemu.sadb.wire.SpiRangeExtension;

/**
 * What the Key Engine does with each PF_KEY message (RFC 2367 §3.1, Appendices A–C, the Linux/KAME
 * SPD messages and the Arkko draft's X_QUERY). Called with the engine's lock held; an error is
 * thrown as a {@link PfKeyException} and becomes the reply's {@code sadb_msg_errno}.
 */
final class MessageProcessor {
  private final KeyEngine e;

  MessageProcessor(KeyEngine engine) {
    this.e = engine;
  }

  void process(PfKeySocket from, SadbMessage m) {
    switch (m.type()) {
      case SADB_GETSPI -> getspi(from, m);
      case SADB_UPDATE -> update(from, m);
      case SADB_ADD -> add(from, m);
      case SADB_DELETE -> delete(m);
      case SADB_GET -> get(from, m);
      case SADB_ACQUIRE -> acquire(m);
      case SADB_REGISTER -> register(from, m);
      case SADB_EXPIRE -> expire(m);
      case SADB_FLUSH -> flush(m);
      case SADB_DUMP -> dump(from, m);
      case SADB_X_PROMISC -> promisc(from, m);
      case SADB_X_PCHANGE -> pchange(m);
      case SADB_X_SPDADD -> spdadd(m, false);
      case SADB_X_SPDUPDATE -> spdadd(m, true);
      case SADB_X_SPDDELETE -> spddelete(m);
      case SADB_X_SPDDELETE2 -> spddelete2(m);
      case SADB_X_SPDGET -> spdget(from, m);
      case SADB_X_SPDDUMP -> spddump(from, m);
      case SADB_X_SPDFLUSH -> spdflush(m);
      case SADB_X_QUERY -> query(m);
      default ->
          throw new PfKeyException(
              Errno.EOPNOTSUPP, "message type not supported type=" + m.type().symbol());
    }
  }

  // ====================================================================== SA messages

  private static int satype(SadbMessage m) {
    if (m.satype() == 0) {
      throw Validation.einval("sadb_msg_satype=SADB_SATYPE_UNSPEC for " + m.type().symbol());
    }
    return m.satype();
  }

  private static byte[] bytes(AddressExtension a) {
    return a.address().address();
  }

  /**
   * The SA named by (type, SPI, source, destination) (§3.1.2, §3.1.4, §3.1.5). Indexed by type,
   * destination and SPI; the source must then match too, unless the message gives the unspecified
   * address.
   */
  private SecurityAssociation lookup(SadbMessage m) {
    int satype = satype(m);
    SaExtension sa = Validation.requireSa(m);
    AddressExtension dst = Validation.requireDst(m);
    AddressExtension src = Validation.requireSrc(m);
    SecurityAssociation found = e.sadb.find(satype, bytes(dst), (int) sa.spi());
    if (found == null) {
      throw noSuchSa(m, sa, dst);
    }
    byte[] s = bytes(src);
    if (!isUnspecified(s) && !found.sourceEquals(s, 0, s.length)) {
      throw noSuchSa(m, sa, dst);
    }
    return found;
  }

  private static PfKeyException noSuchSa(SadbMessage m, SaExtension sa, AddressExtension dst) {
    return new PfKeyException(
        Errno.ESRCH,
        "no such SA satype="
            + m.saType().map(Object::toString).orElse(Integer.toString(m.satype()))
            + " spi=0x"
            + Long.toHexString(sa.spi())
            + " dst="
            + dst.address().addressString());
  }

  private static boolean isUnspecified(byte[] a) {
    for (byte b : a) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** §3.1.1: allocate an SPI in the range and create a LARVAL SA bound to the message's seq. */
  private void getspi(PfKeySocket from, SadbMessage m) {
    int satype = satype(m);
    AddressExtension dst = Validation.requireDst(m);
    AddressExtension src = Validation.requireSrc(m);
    EngineProfile p = e.profile();
    long min = p.spiMin();
    long max = p.spiMax();
    Optional<SpiRangeExtension> range = m.spiRange();
    if (range.isPresent()) {
      min = range.get().min();
      max = range.get().max();
      if (min > max) {
        throw Validation.einval("SPI range min=" + min + " > max=" + max);
      }
      if (max < 0x100) {
        throw Validation.einval(
            "SPI range min=" + min + " max=" + max + " lies in the reserved 0..255 (RFC 4303)");
      }
      min = Math.max(min, 0x100);
    }
    if (e.sadb.larvalCount() >= p.maxLarvalSas()) {
      throw new PfKeyException(Errno.ENOBUFS, "too many larval SAs larval=" + e.sadb.larvalCount());
    }
    byte[] d = bytes(dst);
    int spi = pickSpi(satype, d, min, max);
    SecurityAssociation sa =
        e.newSa(
            satype,
            spi,
            bytes(src),
            d,
            dst.proto(),
            src.prefixlen(),
            dst.prefixlen(),
            src.address().port(),
            dst.address().port(),
            from.id(),
            m.seq(),
            SaState.SADB_SASTATE_LARVAL,
            SaParams.LARVAL);
    if (!e.insert(sa, Lifetime.NONE, Lifetime.NONE)) {
      throw new PfKeyException(Errno.EEXIST, "SPI taken spi=0x" + Integer.toHexString(spi));
    }
    List<SadbExtension> ext = new ArrayList<>();
    ext.add(
        new SaExtension(
            Integer.toUnsignedLong(spi), 0, SaState.SADB_SASTATE_LARVAL.value(), 0, 0, 0));
    ext.add(src);
    ext.add(dst);
    e.broadcast(m.withExtensions(ext));
  }

  private int pickSpi(int satype, byte[] dst, long min, long max) {
    if (min == max) {
      if (e.sadb.find(satype, dst, (int) min) != null) {
        throw new PfKeyException(Errno.EEXIST, "SPI in use spi=0x" + Long.toHexString(min));
      }
      return (int) min;
    }
    for (int i = 0; i < 64; i++) {
      int spi = e.nextSpiCandidate(min, max);
      if (e.sadb.find(satype, dst, spi) == null) {
        return spi;
      }
    }
    // A nearly full range: walk it from a random point (bounded, so a huge full range fails fast).
    long span = max - min + 1;
    long start = e.nextSpiCandidate(min, max) & 0xFFFF_FFFFL;
    for (long k = 0; k < Math.min(span, 1L << 20); k++) {
      long spi = min + Math.floorMod(start - min + k, span);
      if (e.sadb.find(satype, dst, (int) spi) == null) {
        return (int) spi;
      }
    }
    throw new PfKeyException(
        Errno.EEXIST,
        "no free SPI in range min=0x" + Long.toHexString(min) + " max=0x" + Long.toHexString(max));
  }

  /** The submitted {@code sadb_sa_state} of ADD and UPDATE: MATURE, or LARVAL as setkey sends. */
  private void checkSubmittedState(SaExtension sa, MessageType type) {
    int st = sa.state();
    if (st == SaState.SADB_SASTATE_MATURE.value()) {
      return;
    }
    if (st == SaState.SADB_SASTATE_LARVAL.value() && e.profile().addAcceptsLarval()) {
      return;
    }
    throw Validation.einval(
        type.symbol() + " with sadb_sa_state=" + SaState.symbolOf(st) + " (expected: MATURE)");
  }

  /** §3.1.3: add a complete SA. */
  private void add(PfKeySocket from, SadbMessage m) {
    int satype = satype(m);
    SaExtension x = Validation.requireSa(m);
    AddressExtension dst = Validation.requireDst(m);
    AddressExtension src = Validation.requireSrc(m);
    checkSubmittedState(x, MessageType.SADB_ADD);
    if (x.spi() == 0) {
      throw Validation.einval("SPI 0 is reserved (RFC 4303 §2.1) spi=0");
    }
    byte[] d = bytes(dst);
    if (e.sadb.find(satype, d, (int) x.spi()) != null) {
      throw new PfKeyException(
          Errno.EEXIST,
          "SA exists spi=0x" + Long.toHexString(x.spi()) + " dst=" + dst.address().addressString());
    }
    SaParams params = Validation.params(m, satype, e.profile());
    SecurityAssociation sa =
        e.newSa(
            satype,
            (int) x.spi(),
            bytes(src),
            d,
            dst.proto(),
            src.prefixlen(),
            dst.prefixlen(),
            src.address().port(),
            dst.address().port(),
            from.id(),
            m.seq(),
            SaState.SADB_SASTATE_MATURE,
            params);
    e.insert(sa, Validation.lifetime(m.lifetimeSoft()), Validation.lifetime(m.lifetimeHard()));
    e.broadcast(reply(m, sa));
  }

  /** The reply to ADD and UPDATE: the message without its keys, with the SA's real state. */
  private static SadbMessage reply(SadbMessage m, SecurityAssociation sa) {
    SadbMessage r = m.withoutKeys();
    Optional<SaExtension> x = r.sa();
    if (x.isPresent()) {
      r = r.with(x.get().withState(sa.state()));
    }
    return r;
  }

  /** §3.1.2: complete a LARVAL SA, or change the state and lifetimes of a MATURE or DYING one. */
  private void update(PfKeySocket from, SadbMessage m) {
    satype(m);
    SaExtension x = Validation.requireSa(m);
    SecurityAssociation sa = lookup(m);
    checkSubmittedState(x, MessageType.SADB_UPDATE);
    if (sa.state() == SaState.SADB_SASTATE_DEAD) {
      throw Validation.einval("UPDATE of a DEAD SA spi=0x" + Long.toHexString(x.spi()));
    }
    if (e.profile().updateRequiresCreator() && sa.creatorSocket() != from.id()) {
      throw new PfKeyException(
          Errno.EACCES,
          "UPDATE from a socket that did not create the SA socket="
              + from.id()
              + " creator="
              + sa.creatorSocket());
    }
    if (sa.state() == SaState.SADB_SASTATE_LARVAL) {
      SaParams params = Validation.params(m, sa.satype(), e.profile());
      e.mature(
          sa,
          params,
          Validation.lifetime(m.lifetimeSoft()),
          Validation.lifetime(m.lifetimeHard()),
          m.seq());
    } else {
      checkOnlyLifetimesChange(m, x, sa);
      e.relife(
          sa,
          m.lifetimeSoft().isPresent() ? Validation.lifetime(m.lifetimeSoft()) : sa.softLifetime(),
          m.lifetimeHard().isPresent() ? Validation.lifetime(m.lifetimeHard()) : sa.hardLifetime(),
          true);
    }
    e.broadcast(reply(m, sa));
  }

  /**
   * §3.1.2: "if the original SA is an SADB_SASTATE_MATURE or DYING SA, only the sadb_sa_state field
   * in the SA header and lifetimes (hard, soft, and current) may be changed and any attempt to
   * change other values MUST result in an error return of EINVAL." A CURRENT lifetime is accepted
   * and ignored (the engine keeps the counters, as Linux does).
   */
  private static void checkOnlyLifetimesChange(
      SadbMessage m, SaExtension x, SecurityAssociation sa) {
    SaParams p = sa.params();
    // The window as given (SADB_X_EXT_SA_REPLAY or sadb_sa_replay), or the 255 a GET shows for
    // a larger one, leaves it unchanged.
    int replay = Validation.replayWindow(m, x);
    boolean echoed = !m.has(ExtensionType.SADB_X_EXT_SA_REPLAY) && x.replay() == 255;
    if (replay != p.replay && !(echoed && p.replay > 255)) {
      throw changed("replay", p.replay, replay);
    }
    if (x.auth() != p.auth) {
      throw changed("auth", p.auth, x.auth());
    }
    if (x.encrypt() != p.encrypt) {
      throw changed("encrypt", p.encrypt, x.encrypt());
    }
    if (x.flags() != p.flags) {
      throw changed("flags", p.flags, x.flags());
    }
    checkSameKey(m.keyAuth(), p.authKey, p.authBits, "SADB_EXT_KEY_AUTH");
    checkSameKey(m.keyEncrypt(), p.encryptKey, p.encryptBits, "SADB_EXT_KEY_ENCRYPT");
    Optional<Sa2Extension> sa2 = m.sa2();
    if (sa2.isPresent() && (sa2.get().mode() != p.mode.value() || sa2.get().reqid() != p.reqid)) {
      throw Validation.einval("UPDATE of a mature SA may not change SADB_X_EXT_SA2");
    }
    for (ExtensionType t :
        new ExtensionType[] {
          ExtensionType.SADB_EXT_ADDRESS_PROXY,
          ExtensionType.SADB_EXT_IDENTITY_SRC,
          ExtensionType.SADB_EXT_IDENTITY_DST,
          ExtensionType.SADB_EXT_SENSITIVITY,
          ExtensionType.SADB_X_EXT_KMPRIVATE
        }) {
      Optional<SadbExtension> given = m.find(t);
      if (given.isPresent()) {
        SadbExtension kept = null;
        for (SadbExtension k : p.kept) {
          if (k.exttype() == t.value()) {
            kept = k;
          }
        }
        if (!given.get().equals(kept)) {
          throw Validation.einval("UPDATE of a mature SA may not change " + t.symbol());
        }
      }
    }
  }

  private static PfKeyException changed(String field, long was, long now) {
    return Validation.einval(
        "UPDATE of a mature SA may only change state and lifetimes field=sadb_sa_"
            + field
            + " was="
            + was
            + " given="
            + now);
  }

  private static void checkSameKey(Optional<KeyExtension> k, byte[] key, int bits, String ext) {
    if (k.isEmpty()) {
      return;
    }
    byte[] given = k.get().key();
    boolean same =
        key != null && k.get().bits() == bits && java.security.MessageDigest.isEqual(given, key);
    java.util.Arrays.fill(given, (byte) 0);
    if (!same) {
      throw Validation.einval("UPDATE of a mature SA may not change " + ext);
    }
  }

  /** §3.1.4. */
  private void delete(SadbMessage m) {
    SecurityAssociation sa = lookup(m);
    e.remove(sa, RemovalReason.DELETED);
    e.broadcast(m.withoutKeys());
  }

  /** §3.1.5: the whole SA to the requester; keys only if it may read them. */
  private void get(PfKeySocket from, SadbMessage m) {
    SecurityAssociation sa = lookup(m);
    e.toOne(
        from,
        Messages.sa(
            MessageType.SADB_GET,
            sa,
            m.seq(),
            m.pid(),
            from.credentials().has(Privilege.READ_KEYS),
            Messages.Lifetimes.ALL,
            sa.state()));
  }

  /**
   * §3.1.6 as sent by a process: the key-management failure form ({@code <base>} with errno, the
   * seq of the kernel's ACQUIRE), relayed to every socket (§5.1 "Kernel->All ... (same error)") and
   * remembered so packets of that flow are dropped until the ACQUIRE expires; or the form of an
   * application-layer consumer, relayed to registered sockets (EPROTONOSUPPORT when none).
   */
  private void acquire(SadbMessage m) {
    if (m.extensions().isEmpty()) {
      if (m.errno() == 0) {
        throw Validation.einval("SADB_ACQUIRE with neither extensions nor errno");
      }
      PendingAcquire p = e.pendingBySeq.get(m.seq());
      if (p != null) {
        p.fail(m.errno());
        e.bump();
      }
      e.broadcast(m);
      return;
    }
    Validation.requireDst(m);
    if (m.proposal().isEmpty() && m.find(ProposalReferenceExtension.class).isEmpty()) {
      throw Validation.einval("SADB_ACQUIRE without SADB_EXT_PROPOSAL");
    }
    if (!e.anyRegistered(m.satype())) {
      throw new PfKeyException(
          Errno.EPROTONOSUPPORT,
          "no key management registered for satype="
              + m.saType().map(Object::toString).orElse(Integer.toString(m.satype())));
    }
    e.toRegistered(m.satype(), m.withErrno(0));
  }

  /**
   * §3.1.7. As in Linux: SADB_SATYPE_UNSPEC answers with the supported algorithms without
   * registering, and registering twice for a type fails with EEXIST. The reply goes to every socket
   * registered for the type (§5.1 "including the requester").
   */
  private void register(PfKeySocket from, SadbMessage m) {
    int satype = m.satype();
    SadbMessage reply = m.withExtensions(Messages.supported(satype));
    if (satype == 0) {
      e.toOne(from, reply);
      return;
    }
    if (from.isRegistered(satype)) {
      throw new PfKeyException(Errno.EEXIST, "already registered satype=" + satype);
    }
    from.register(satype);
    e.bump();
    e.toRegistered(satype, reply);
  }

  /**
   * §3.1.8: the kernel sends EXPIRE for the protocols it implements (AH, ESP, IPcomp); a user-level
   * protocol (OSPF, RIP...) SHOULD send its own, which the engine relays to all.
   */
  private void expire(SadbMessage m) {
    int satype = satype(m);
    if (IpsecProtocol.ofSatype(satype) != null) {
      throw Validation.einval(
          "SADB_EXPIRE for satype=" + satype + " is the kernel's to send (§3.1.8)");
    }
    Validation.requireSa(m);
    Validation.requireDst(m);
    if (m.lifetimeCurrent().isEmpty() || m.lifetimeHard().isEmpty() && m.lifetimeSoft().isEmpty()) {
      throw Validation.einval("SADB_EXPIRE needs lifetime(C and one of HS)");
    }
    e.broadcast(m.withoutKeys());
  }

  /** §3.1.9: every SA of the type (or all), then the reply to all. */
  private void flush(SadbMessage m) {
    int satype = m.satype();
    for (SecurityAssociation sa : e.sadb.snapshot(satype)) {
      e.remove(sa, RemovalReason.FLUSHED);
    }
    for (PendingAcquire p : new ArrayList<>(e.pendingByKey.values())) {
      if (satype == 0 || p.key.satype() == satype) {
        e.forget(p);
      }
    }
    e.broadcast(m.headerOnly());
  }

  /**
   * §3.1.10: one SADB_DUMP per SA to the requester, {@code sadb_msg_seq} counting down to 0 on the
   * last. The set is the SAs present when the DUMP is processed; messages are built as the reader
   * drains its queue (as Linux does), so an SA removed meanwhile appears as DEAD without keys.
   * Linux answers ENOENT when there is nothing to dump and EBUSY while a dump is in progress.
   */
  private void dump(PfKeySocket from, SadbMessage m) {
    if (from.dump != null) {
      throw new PfKeyException(Errno.EBUSY, "a dump is in progress on socket=" + from.id());
    }
    List<SecurityAssociation> sas = e.sadb.snapshot(m.satype());
    if (sas.isEmpty()) {
      throw new PfKeyException(Errno.ENOENT, "no SAs to dump satype=" + m.satype());
    }
    boolean keys = from.credentials().has(Privilege.READ_KEYS);
    long pid = m.pid();
    from.dump =
        DumpCursor.over(
            sas,
            (sa, seq) ->
                Messages.sa(
                    MessageType.SADB_DUMP, sa, seq, pid, keys, Messages.Lifetimes.ALL, sa.state()));
    e.refillDump(from);
  }

  /**
   * Appendix A. Control form ({@code <base>}): satype 1 turns promiscuous receive on, 0 off; the
   * message returns to all. Data form ({@code <base, base(, others)>}): the inner message goes,
   * unprocessed, to the sockets of process {@code sadb_msg_seq}, or to all when it is 0 (ESRCH when
   * no socket has that pid). Needs {@link Privilege#PROMISCUOUS} (EPERM).
   */
  private void promisc(PfKeySocket from, SadbMessage m) {
    if (!from.credentials().has(Privilege.PROMISCUOUS)) {
      throw new PfKeyException(
          Errno.EPERM, "SADB_X_PROMISC needs the promiscuous privilege pid=" + from.pid());
    }
    Optional<PromiscPayload> payload = m.find(PromiscPayload.class);
    if (payload.isEmpty()) {
      if (m.satype() > 1) {
        throw Validation.einval("SADB_X_PROMISC control form with satype=" + m.satype());
      }
      from.promiscuous = m.satype() == 1;
      e.broadcast(m.withErrno(0));
      return;
    }
    byte[] inner = payload.get().message();
    List<PfKeySocket> targets = new ArrayList<>();
    for (PfKeySocket s : e.sockets()) {
      if (m.seq() == 0 || s.pid() == m.seq()) {
        targets.add(s);
      }
    }
    if (targets.isEmpty()) {
      throw new PfKeyException(Errno.ESRCH, "no PF_KEY socket of pid=" + m.seq());
    }
    for (PfKeySocket s : targets) {
      e.putRaw(s, inner);
    }
  }

  /**
   * Appendix B, the user-level form: relayed to registered sockets. Purely informational: no state,
   * no reply to the sender unless it is registered.
   */
  private void pchange(SadbMessage m) {
    Validation.requireDst(m);
    e.toRegistered(m.satype(), m.withErrno(0));
  }

  // ====================================================================== SPD messages

  /** The selector of an SPD message: the address extensions' addresses, prefixes, ports, proto. */
  private static Selector selector(SadbMessage m) {
    AddressExtension dst = Validation.requireDst(m);
    AddressExtension src = Validation.requireSrc(m);
    int proto = src.proto() == 0 ? Selector.ANY_PROTOCOL : src.proto();
    int bits = src.address().family().addressLength() * 8;
    if (src.prefixlen() > bits || dst.prefixlen() > bits) {
      throw Validation.einval(
          "prefix length src=" + src.prefixlen() + " dst=" + dst.prefixlen() + " max=" + bits);
    }
    return new Selector(
        src.address().inetAddress(),
        src.prefixlen(),
        dst.address().inetAddress(),
        dst.prefixlen(),
        proto,
        src.address().port(),
        dst.address().port());
  }

  private static PolicyExtension requirePolicy(SadbMessage m) {
    return m.policy().orElseThrow(() -> Validation.einval("missing extension SADB_X_EXT_POLICY"));
  }

  private static PolicyDirection direction(PolicyExtension px) {
    PolicyDirection d = PolicyDirection.of(px.dir());
    if (d == null) {
      throw Validation.einval("sadb_x_policy_dir=" + px.dir() + " (expected: in, out or fwd)");
    }
    return d;
  }

  /** A policy from SADB_X_SPDADD / SPDUPDATE: {@code <base, address(SD), policy, (pref)>}. */
  private static Policy policy(SadbMessage m) {
    PolicyExtension px = requirePolicy(m);
    Selector sel = selector(m);
    PolicyDirection dir = direction(px);
    PolicyAction action = PolicyAction.of(px.type());
    if (action == null) {
      throw Validation.einval(
          "sadb_x_policy_type=" + px.type() + " (expected: discard, none or ipsec)");
    }
    List<IpsecRequest> requests = new ArrayList<>();
    for (PolicyExtension.IpsecRequest r : px.requests()) {
      IpsecProtocol proto = IpsecProtocol.ofIpProtocol(r.proto());
      if (proto == null) {
        throw Validation.einval("sadb_x_ipsecrequest_proto=" + r.proto());
      }
      IpsecMode mode = IpsecMode.of(r.mode());
      if (mode == null) {
        throw Validation.einval("unsupported sadb_x_ipsecrequest_mode=" + r.mode());
      }
      if (mode == IpsecMode.ANY) {
        mode = IpsecMode.TRANSPORT;
      }
      IpsecLevel level = IpsecLevel.of(r.level());
      if (level == null) {
        throw Validation.einval("sadb_x_ipsecrequest_level=" + r.level());
      }
      if (mode == IpsecMode.TUNNEL && !r.hasEndpoints()) {
        throw Validation.einval("tunnel request without endpoints proto=" + r.proto());
      }
      try {
        requests.add(
            new IpsecRequest(
                proto,
                mode,
                r.hasEndpoints() ? r.tunnelSource().inetAddress() : null,
                r.hasEndpoints() ? r.tunnelDestination().inetAddress() : null,
                level,
                r.reqid()));
      } catch (IllegalArgumentException ex) {
        throw Validation.einval(ex.getMessage());
      }
    }
    long ref =
        m.find(ProposalReferenceExtension.class)
            .map(ProposalReferenceExtension::what)
            .orElse(Policy.NO_REFERENCE);
    try {
      return new Policy(0, sel, dir, action, requests, px.priority(), ref);
    } catch (IllegalArgumentException ex) {
      throw Validation.einval(ex.getMessage());
    }
  }

  /** The message describing a stored policy. */
  static SadbMessage policyMessage(MessageType type, Policy p, long seq, long pid) {
    Selector s = p.selector();
    int proto = s.protocol();
    List<PolicyExtension.IpsecRequest> rs = new ArrayList<>();
    for (IpsecRequest r : p.requests()) {
      rs.add(
          new PolicyExtension.IpsecRequest(
              r.protocol().ipProtocol(),
              r.mode().value(),
              r.level().value(),
              r.reqid(),
              r.tunnelSource() == null ? null : SockAddr.of(r.tunnelSource(), 0),
              r.tunnelDestination() == null ? null : SockAddr.of(r.tunnelDestination(), 0)));
    }
    List<SadbExtension> ext = new ArrayList<>();
    ext.add(
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_SRC,
            proto,
            s.sourcePrefix(),
            SockAddr.of(s.source(), s.sourcePort())));
    ext.add(
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_DST,
            proto,
            s.destinationPrefix(),
            SockAddr.of(s.destination(), s.destinationPort())));
    ext.add(
        new PolicyExtension(p.action().value(), p.direction().value(), p.id(), p.priority(), rs));
    if (p.hasProposalReference()) {
      ext.add(new ProposalReferenceExtension(p.proposalReference()));
    }
    return new SadbMessage(SadbMessage.PF_KEY_V2, type, 0, 0, 0, seq, pid, ext);
  }

  private void spdadd(SadbMessage m, boolean update) {
    Policy p = policy(m);
    SecurityPolicyDatabase.Change c = update ? e.spd.update(p) : e.spd.add(p);
    switch (c.outcome()) {
      case EXISTS ->
          throw new PfKeyException(
              Errno.EEXIST,
              "policy exists "
                  + p.selector()
                  + " dir="
                  + p.direction().name().toLowerCase(java.util.Locale.ROOT));
      case FULL ->
          throw new PfKeyException(
              Errno.ENOBUFS, "too many policies max=" + e.profile().maxPolicies());
      default -> {}
    }
    e.bump();
    e.broadcast(policyMessage(m.type(), c.policy(), m.seq(), m.pid()));
  }

  private void spddelete(SadbMessage m) {
    Selector sel = selector(m);
    PolicyDirection dir = direction(requirePolicy(m));
    Policy p =
        e.spd
            .delete(sel, dir)
            .orElseThrow(
                () -> new PfKeyException(Errno.ENOENT, "no such policy " + sel + " dir=" + dir));
    e.bump();
    e.broadcast(policyMessage(m.type(), p, m.seq(), m.pid()));
  }

  private void spddelete2(SadbMessage m) {
    long id = requirePolicy(m).id();
    Policy p =
        e.spd
            .delete(id)
            .orElseThrow(() -> new PfKeyException(Errno.ENOENT, "no such policy id=" + id));
    e.bump();
    e.broadcast(policyMessage(m.type(), p, m.seq(), m.pid()));
  }

  private void spdget(PfKeySocket from, SadbMessage m) {
    long id = requirePolicy(m).id();
    Policy p =
        e.spd
            .get(id)
            .orElseThrow(() -> new PfKeyException(Errno.ENOENT, "no such policy id=" + id));
    e.toOne(from, policyMessage(m.type(), p, m.seq(), m.pid()));
  }

  private void spddump(PfKeySocket from, SadbMessage m) {
    if (from.dump != null) {
      throw new PfKeyException(Errno.EBUSY, "a dump is in progress on socket=" + from.id());
    }
    List<Policy> all = e.spd.snapshot();
    if (all.isEmpty()) {
      throw new PfKeyException(Errno.ENOENT, "no policies to dump");
    }
    long pid = m.pid();
    from.dump =
        DumpCursor.over(
            all, (policy, seq) -> policyMessage(MessageType.SADB_X_SPDDUMP, policy, seq, pid));
    e.refillDump(from);
  }

  private void spdflush(SadbMessage m) {
    e.spd.flush();
    e.bump();
    e.broadcast(m.headerOnly());
  }

  /**
   * The Arkko draft's SADB_X_QUERY (§6.2): key management asks which proposal the kernel's policy
   * wants for the traffic {@code address(SD)} describes (protocol and ports from the address
   * extensions); the answer, to all sockets, is the query with a proposal, or with a proposal
   * reference (satype UNSPEC) when the policy has one. No state is created. The policy searched is
   * the one of the SADB_X_EXT_POLICY direction if the query has one, else out, then in, then fwd;
   * ENOENT when no {@code ipsec} policy selects the traffic.
   */
  private void query(SadbMessage m) {
    AddressExtension dst = Validation.requireDst(m);
    AddressExtension src = Validation.requireSrc(m);
    InetAddress s = src.address().inetAddress();
    InetAddress d = dst.address().inetAddress();
    int proto = src.proto() != 0 ? src.proto() : dst.proto();
    Flow f = Flow.of(s, d, proto, src.address().port(), dst.address().port());
    List<PolicyDirection> dirs =
        m.policy().isPresent()
            ? List.of(direction(m.policy().get()))
            : List.of(PolicyDirection.OUT, PolicyDirection.IN, PolicyDirection.FWD);
    Policy found = null;
    for (PolicyDirection dir : dirs) {
      Policy p = e.spd.lookup(dir, f);
      if (p != null && p.action() == PolicyAction.IPSEC) {
        found = p;
        break;
      }
    }
    if (found == null) {
      throw new PfKeyException(Errno.ENOENT, "no ipsec policy for " + f);
    }
    List<SadbExtension> ext = new ArrayList<>();
    for (SadbExtension x : m.extensions()) {
      if (x.exttype() != ExtensionType.SADB_X_EXT_POLICY.value()
          && x.exttype() != ExtensionType.SADB_EXT_PROPOSAL.value()
          && x.exttype() != ExtensionType.SADB_X_EXT_PREFERENCE.value()) {
        ext.add(x);
      }
    }
    ext.add(
        new PolicyExtension(
            found.action().value(),
            found.direction().value(),
            found.id(),
            found.priority(),
            List.of()));
    int satype;
    if (found.hasProposalReference()) {
      ext.add(new ProposalReferenceExtension(found.proposalReference()));
      satype = 0;
    } else {
      satype = found.requests().get(0).protocol().satype();
      if (m.satype() != 0) {
        for (IpsecRequest r : found.requests()) {
          if (r.protocol().satype() == m.satype()) {
            satype = m.satype();
          }
        }
      }
      ext.add(Messages.proposal(satype, e.profile()));
    }
    e.broadcast(m.withErrno(0).withSatype(satype).withExtensions(ext));
  }
}
