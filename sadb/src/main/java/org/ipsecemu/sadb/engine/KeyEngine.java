package org.ipsecemu.sadb.engine;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.spd.IpsecLevel;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.spd.IpsecProtocol;
import org.ipsecemu.sadb.spd.IpsecRequest;
import org.ipsecemu.sadb.spd.Policy;
import org.ipsecemu.sadb.spd.PolicyAction;
import org.ipsecemu.sadb.spd.PolicyDirection;
import org.ipsecemu.sadb.spd.SecurityPolicyDatabase;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.PromiscPayload;
import org.ipsecemu.sadb.wire.ProposalReferenceExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.WireFormat;

/**
 * The Key Engine of RFC 2367 and of the McDonald–Phan–Atkinson paper, in memory: the SA database,
 * the SPD, PF_KEY sockets, lifetimes and timers, and the two kernel-internal calls the datapath
 * makes, {@link #getassocbyspi} for inbound packets and {@link #getassocbysocket} for outbound
 * flows.
 *
 * <p>Key managers drive it only with PF_KEY messages on sockets from {@link #open(Credentials)},
 * exactly as a kernel's Key Engine is driven. The datapath uses the lock-free lookups, {@link
 * SecurityAssociation#charge(long)} per packet and {@link #addListener(SaListener)} to learn about
 * SAs. Time comes from an {@link EngineClock}; timers (lifetimes, LARVAL timeouts, forgotten
 * ACQUIREs) run when {@link #tick()} is called, by a {@link #startTicker(Duration) background
 * ticker} with the real clock, or through {@link #advanceTo(long)} with a {@link ManualClock}.
 *
 * <p>Control-plane work (messages, timers, expiries) is serialised by one lock; the datapath's
 * lookups and charges do not take it except at the rare moments a limit is reached or a flow is
 * seen for the first time.
 */
public final class KeyEngine implements AutoCloseable {
  private final EngineClock clock;
  private final EngineProfile profile;
  private final PfKeyCodec codec;
  final ReentrantLock lock = new ReentrantLock();
  final Sadb sadb = new Sadb();
  final SecurityPolicyDatabase spd;
  private final FlowCache flowCache;
  private volatile long generation = 1;
  private final Map<Integer, PfKeySocket> sockets = new LinkedHashMap<>();
  private volatile PfKeySocket[] socketArray = new PfKeySocket[0];
  private int nextSocketId = 1;
  private final List<SaListener> listeners = new CopyOnWriteArrayList<>();
  final Map<PendingAcquire.Key, PendingAcquire> pendingByKey = new HashMap<>();
  final Map<Long, PendingAcquire> pendingBySeq = new HashMap<>();
  private long nextAcquireSeq = 1;
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
  private long timerOrder;
  private int staleTimers;
  private long nextSerial = 1;
  final SplittableRandom random;
  private final MessageProcessor processor;
  private final SaOwner owner = new SaOwner();
  private volatile Thread ticker;
  private volatile boolean closed;

  private final AtomicLong messagesIn = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong softExpires = new AtomicLong();
  private final AtomicLong hardExpires = new AtomicLong();
  private final AtomicLong acquires = new AtomicLong();
  private final AtomicLong acquireTableFull = new AtomicLong();
  private final AtomicLong larvalTimeouts = new AtomicLong();
  private final AtomicLong listenerErrors = new AtomicLong();

  private record Timer(long due, long order, Object target) {}

  private KeyEngine(Builder b) {
    this.clock = b.clock;
    this.profile = b.profile;
    this.codec = new PfKeyCodec(b.wireFormat);
    this.spd = new SecurityPolicyDatabase(b.profile.maxPolicies());
    this.flowCache = new FlowCache(b.profile.flowCacheSize());
    this.random = new SplittableRandom(b.seed);
    this.processor = new MessageProcessor(this);
  }

  /** An engine with the real clock, the Linux profile and the Linux wire format. */
  public static KeyEngine create() {
    return builder().build();
  }

  /** A builder for an engine. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link KeyEngine}. */
  public static final class Builder {
    private EngineClock clock = EngineClock.system();
    private EngineProfile profile = EngineProfile.linux();
    private WireFormat wireFormat = WireFormat.DEFAULT;
    private long seed = System.nanoTime();

    private Builder() {}

    /** The clock (default: the system clock). */
    public Builder clock(EngineClock c) {
      this.clock = c;
      return this;
    }

    /** The behaviour profile (default: {@link EngineProfile#linux()}). */
    public Builder profile(EngineProfile p) {
      this.profile = p;
      return this;
    }

    /** Byte order and sockaddr layout of byte-level sockets (default: Linux). */
    public Builder wireFormat(WireFormat f) {
      this.wireFormat = f;
      return this;
    }

    /** Seed of the SPI generator, for reproducible SPIs in tests and replays. */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    public KeyEngine build() {
      return new KeyEngine(this);
    }
  }

  public EngineClock clock() {
    return clock;
  }

  public EngineProfile profile() {
    return profile;
  }

  /** The codec byte-level sockets use. */
  public PfKeyCodec codec() {
    return codec;
  }

  // ====================================================================== sockets

  /**
   * Opens a PF_KEY socket (§1.3).
   *
   * @throws PfKeyException EPERM without {@link Privilege#KEY_MANAGEMENT}; ENOBUFS when the
   *     profile's socket limit is reached; EINVAL when the engine is closed
   */
  public PfKeySocket open(Credentials credentials) {
    if (!credentials.has(Privilege.KEY_MANAGEMENT)) {
      throw new PfKeyException(
          Errno.EPERM,
          "opening a PF_KEY socket needs the key management privilege pid="
              + credentials.pid()
              + " uid="
              + credentials.uid());
    }
    lock.lock();
    try {
      if (closed) {
        throw new PfKeyException(Errno.EINVAL, "engine closed");
      }
      if (sockets.size() >= profile.maxSockets()) {
        throw new PfKeyException(Errno.ENOBUFS, "too many PF_KEY sockets open=" + sockets.size());
      }
      PfKeySocket s =
          new PfKeySocket(this, nextSocketId++, credentials, profile.receiveQueueCapacity());
      sockets.put(s.id(), s);
      socketArray = sockets.values().toArray(new PfKeySocket[0]);
      return s;
    } finally {
      lock.unlock();
    }
  }

  void closed(PfKeySocket s) {
    lock.lock();
    try {
      if (sockets.remove(s.id()) != null) {
        socketArray = sockets.values().toArray(new PfKeySocket[0]);
        s.dump = null;
        if (s.isRegisteredForAny()) {
          bump(); // NO_KEY_MANAGER answers may change
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether some open socket registered for this SA type (0: for any type). */
  boolean anyRegistered(int satype) {
    for (PfKeySocket s : socketArray) {
      if (satype == 0 ? s.isRegisteredForAny() : s.isRegistered(satype)) {
        return true;
      }
    }
    return false;
  }

  PfKeySocket[] sockets() {
    return socketArray;
  }

  void countDrop() {
    dropped.incrementAndGet();
  }

  // ====================================================================== message entry points

  void process(PfKeySocket from, SadbMessage m, byte[] raw) {
    messagesIn.incrementAndGet();
    lock.lock();
    try {
      promiscCopy(from, m, raw);
      String headerProblem = headerProblem(m, raw);
      if (headerProblem != null) {
        Errno e = headerProblem.startsWith("sadb_msg_len") ? Errno.EMSGSIZE : Errno.EINVAL;
        errors.incrementAndGet();
        if (profile.headerErrorsFailSend()) {
          throw new PfKeyException(e, headerProblem);
        }
        replyError(from, m, e);
        return;
      }
      try {
        processor.process(from, m);
      } catch (PfKeyException e) {
        errors.incrementAndGet();
        replyError(from, m, e.errno());
      } catch (IllegalArgumentException | ArithmeticException e) {
        // A value the model cannot hold (a field out of its wire width in a reply built from the
        // request): bad input, so EINVAL, never an exception out of send().
        errors.incrementAndGet();
        replyError(from, m, Errno.EINVAL);
      }
    } finally {
      lock.unlock();
    }
  }

  private static String headerProblem(SadbMessage m, byte[] raw) {
    if (m.version() != SadbMessage.PF_KEY_V2) {
      return "sadb_msg_version=" + m.version() + " (expected: " + SadbMessage.PF_KEY_V2 + ")";
    }
    if (m.type() == MessageType.SADB_RESERVED) {
      return "sadb_msg_type=SADB_RESERVED";
    }
    if (m.reserved() != 0) {
      return "sadb_msg_reserved=" + m.reserved() + " (must be zero)";
    }
    if (raw == null && m.len() != m.computedLen()) {
      return "sadb_msg_len=" + m.len() + " does not match the message length=" + m.computedLen();
    }
    return null;
  }

  void processBytes(PfKeySocket from, byte[] bytes) {
    SadbMessage m;
    try {
      m = codec.decode(bytes);
    } catch (PfKeyException e) {
      SadbMessage header = baseHeader(bytes);
      if (header == null || profile.headerErrorsFailSend() && isHeaderLevel(bytes, header)) {
        messagesIn.incrementAndGet();
        errors.incrementAndGet();
        throw e;
      }
      messagesIn.incrementAndGet();
      lock.lock();
      try {
        errors.incrementAndGet();
        replyError(from, header, e.errno());
      } finally {
        lock.unlock();
      }
      return;
    }
    process(from, m, bytes);
  }

  /**
   * The base header of a message that did not decode (its {@code sadb_msg_len} as written), or null
   * when even that is unreadable: shorter than a header, or of a type the codec cannot name.
   */
  private SadbMessage baseHeader(byte[] b) {
    if (b.length < SadbMessage.HEADER_LENGTH) {
      return null;
    }
    ByteBuffer bb = ByteBuffer.wrap(b).order(codec.format().byteOrder());
    return MessageType.valueOf(b[1] & 0xFF)
        .filter(t -> t != MessageType.SADB_RESERVED)
        .map(
            t ->
                new SadbMessage(
                    b[0] & 0xFF,
                    t,
                    0,
                    b[3] & 0xFF,
                    Short.toUnsignedInt(bb.getShort(4)),
                    Short.toUnsignedInt(bb.getShort(6)),
                    Integer.toUnsignedLong(bb.getInt(8)),
                    Integer.toUnsignedLong(bb.getInt(12)),
                    List.of()))
        .orElse(null);
  }

  /**
   * Whether the decoding error lies in the base header (version, reserved, length), which Linux
   * reports by failing the send; errors in the extensions come back as a reply.
   */
  private static boolean isHeaderLevel(byte[] b, SadbMessage h) {
    return h.version() != SadbMessage.PF_KEY_V2
        || h.reserved() != 0
        || (long) h.len() * 8 != b.length;
  }

  private void replyError(PfKeySocket from, SadbMessage m, Errno e) {
    SadbMessage reply = m.headerOnly().withErrno(e);
    if (profile.errorsToSenderOnly()) {
      toOne(from, reply);
    } else {
      broadcast(reply);
    }
  }

  // ====================================================================== delivery (lock held)

  /** To every open socket (§1.4 "returned to all open PF_KEY sockets"). */
  void broadcast(SadbMessage m) {
    for (PfKeySocket s : socketArray) {
      put(s, m);
    }
    promiscCopy(null, m, null);
  }

  /** To sockets registered for the SA type; for SADB_SATYPE_UNSPEC, registered for any type. */
  int toRegistered(int satype, SadbMessage m) {
    int n = 0;
    for (PfKeySocket s : socketArray) {
      if (satype == 0 ? s.isRegisteredForAny() : s.isRegistered(satype)) {
        put(s, m);
        n++;
      }
    }
    promiscCopy(null, m, null);
    return n;
  }

  /** To one socket (GET, DUMP, errors). */
  void toOne(PfKeySocket s, SadbMessage m) {
    put(s, m);
    promiscCopy(null, m, null);
  }

  /** Raw bytes, unprocessed (data-form SADB_X_PROMISC). */
  void putRaw(PfKeySocket s, byte[] message) {
    put(s, message);
  }

  private void put(PfKeySocket s, Object m) {
    if (s.deliver(m)) {
      delivered.incrementAndGet();
    }
  }

  /**
   * Appendix A promiscuous receive: an encapsulated copy ({@code <base, base(, others)>}) of every
   * message sent by an application ({@code from} not null: before any processing, to every
   * promiscuous socket but the sender) or by the kernel. Key extensions are removed from the copy
   * unless the promiscuous socket may read keys.
   */
  private void promiscCopy(PfKeySocket from, SadbMessage m, byte[] raw) {
    PfKeySocket[] all = socketArray;
    boolean any = false;
    for (PfKeySocket s : all) {
      any |= s.promiscuous && s != from;
    }
    if (!any) {
      return;
    }
    boolean hasKeys =
        m.has(ExtensionType.SADB_EXT_KEY_AUTH) || m.has(ExtensionType.SADB_EXT_KEY_ENCRYPT);
    byte[] full;
    byte[] stripped;
    try {
      full = raw != null ? raw : codec.encode(m);
      stripped = hasKeys ? codec.encode(m.withoutKeys()) : full;
    } catch (PfKeyException e) {
      return; // a message the codec cannot encode has nothing to show
    }
    for (PfKeySocket s : all) {
      if (s.promiscuous && s != from) {
        byte[] payload = s.credentials().has(Privilege.READ_KEYS) ? full : stripped;
        put(
            s,
            SadbMessage.builder(MessageType.SADB_X_PROMISC)
                .satype(m.satype())
                .seq(m.seq())
                .pid(m.pid())
                .add(new PromiscPayload(payload))
                .build());
      }
    }
  }

  /** Continues a DUMP in progress on the socket while its queue has room. */
  void refillDump(PfKeySocket s) {
    lock.lock();
    try {
      DumpCursor c = s.dump;
      // Like Linux (pfkey_do_dump runs while the queue is at most a third full), a dump fills
      // only half the queue, leaving room for the replies and broadcasts that come meanwhile.
      while (c != null && c.remaining() > 0 && s.room() > s.capacity() / 2) {
        put(s, c.next(c.remaining() - 1));
      }
      if (c != null && c.remaining() == 0) {
        s.dump = null;
      }
    } finally {
      lock.unlock();
    }
  }

  // ====================================================================== SA life cycle (lock
  // held)

  long now() {
    return clock.currentTimeMillis();
  }

  /** Invalidates every cached outbound answer. */
  void bump() {
    generation++;
  }

  SecurityAssociation newSa(
      int satype,
      int spi,
      byte[] src,
      byte[] dst,
      int proto,
      int srcPrefix,
      int dstPrefix,
      int srcPort,
      int dstPort,
      int creator,
      long seq,
      SaState state,
      SaParams params) {
    return new SecurityAssociation(
        owner,
        nextSerial++,
        satype,
        spi,
        src,
        dst,
        proto,
        srcPrefix,
        dstPrefix,
        srcPort,
        dstPort,
        now(),
        creator,
        seq,
        state,
        params);
  }

  /** Inserts a new SA (LARVAL or MATURE); false when its (type, dst, SPI) is taken. */
  boolean insert(SecurityAssociation sa, Lifetime soft, Lifetime hard) {
    sa.lifetimes(soft, hard);
    if (!sadb.insert(sa)) {
      return false;
    }
    if (sa.state() != SaState.SADB_SASTATE_LARVAL) {
      becameUsable(sa);
    }
    reschedule(sa);
    return true;
  }

  /** An UPDATE gave a LARVAL SA its parameters: it is MATURE now. */
  void mature(SecurityAssociation sa, SaParams p, Lifetime soft, Lifetime hard, long seq) {
    sa.params(p);
    sa.lifetimes(soft, hard);
    if (seq != 0) {
      sa.sequence(seq);
    }
    sa.state(SaState.SADB_SASTATE_MATURE);
    sadb.matured(sa);
    becameUsable(sa);
    reschedule(sa);
    expireIfDue(sa);
  }

  private void becameUsable(SecurityAssociation sa) {
    sa.announced = true;
    answered(sa);
    bump();
    for (SaListener l : listeners) {
      try {
        l.added(sa);
      } catch (RuntimeException e) {
        listenerErrors.incrementAndGet();
      }
    }
  }

  /**
   * Forgets the ACQUIREs this SA answers: the one whose seq it carries (§3.1.6: the seq binds the
   * SA to the request), and any shared one for the same type and endpoints. An SA answering a
   * {@code unique} ACQUIRE is bound to that ACQUIRE's flow at once, so that another flow between
   * the same hosts cannot take it: the race the RFC's seq rule is there to avoid.
   */
  private void answered(SecurityAssociation sa) {
    PendingAcquire bySeq = sa.sequence() == 0 ? null : pendingBySeq.get(sa.sequence());
    if (bySeq != null) {
      if (bySeq.key.uniqueFlow() != null
          && bySeq.key.satype() == sa.satype()
          && sa.boundFlow == null) {
        sa.boundFlow = bySeq.key.uniqueFlow();
      }
      forget(bySeq);
    }
    for (Iterator<PendingAcquire> it = pendingByKey.values().iterator(); it.hasNext(); ) {
      PendingAcquire p = it.next();
      if (p.key.uniqueFlow() == null
          && p.key.satype() == sa.satype()
          && java.util.Arrays.equals(p.key.src(), sa.src())
          && java.util.Arrays.equals(p.key.dst(), sa.dst())) {
        it.remove();
        pendingBySeq.remove(p.seq);
      }
    }
  }

  void forget(PendingAcquire p) {
    pendingByKey.remove(p.key);
    pendingBySeq.remove(p.seq);
    bump();
  }

  /** New lifetimes for a MATURE or DYING SA (UPDATE); the state may come back to MATURE. */
  void relife(SecurityAssociation sa, Lifetime soft, Lifetime hard, boolean wantMature) {
    sa.lifetimes(soft, hard);
    long now = now();
    if (wantMature && sa.state() == SaState.SADB_SASTATE_DYING && sa.evaluate(now) == Expiry.NONE) {
      changeState(sa, SaState.SADB_SASTATE_MATURE);
    }
    reschedule(sa);
    expireIfDue(sa);
  }

  private void changeState(SecurityAssociation sa, SaState to) {
    SaState from = sa.state();
    sa.state(to);
    bump();
    if (sa.announced) {
      for (SaListener l : listeners) {
        try {
          l.stateChanged(sa, from, to);
        } catch (RuntimeException e) {
          listenerErrors.incrementAndGet();
        }
      }
    }
  }

  /**
   * Removes an SA: out of the database, state DEAD, listeners told, keys zeroed. Returns false when
   * it was already gone.
   */
  boolean remove(SecurityAssociation sa, RemovalReason reason) {
    boolean wasLarval = sa.state() == SaState.SADB_SASTATE_LARVAL;
    if (!sadb.remove(sa, wasLarval)) {
      return false;
    }
    sa.state(SaState.SADB_SASTATE_DEAD);
    sa.boundFlow = null;
    if (sa.scheduledDeadline != LifetimeRules.NO_DEADLINE) {
      sa.scheduledDeadline = LifetimeRules.NO_DEADLINE;
      staleTimers++;
    }
    bump();
    if (sa.announced) {
      for (SaListener l : listeners) {
        try {
          l.removed(sa, reason);
        } catch (RuntimeException e) {
          listenerErrors.incrementAndGet();
        }
      }
    }
    sa.params().zeroKeys();
    return true;
  }

  /** Fires whatever expiry is due for the SA now (at most one SADB_EXPIRE per limit). */
  void expireIfDue(SecurityAssociation sa) {
    if (sadb.find(sa.satype(), sa.dst(), sa.spi()) != sa) {
      return; // already removed
    }
    long now = now();
    if (sa.state() == SaState.SADB_SASTATE_LARVAL) {
      if (now >= sa.addedAtMillis() + profile.larvalTimeoutMillis()) {
        larvalTimeouts.incrementAndGet();
        // Linux sends a hard EXPIRE when a larval (acquire) state times out; so does the engine.
        SadbMessage expire =
            Messages.sa(
                MessageType.SADB_EXPIRE,
                sa,
                0,
                0,
                false,
                Messages.Lifetimes.NONE,
                SaState.SADB_SASTATE_DEAD);
        remove(sa, RemovalReason.LARVAL_TIMEOUT);
        broadcast(expire);
      }
      return;
    }
    Expiry e = sa.evaluate(now);
    if (e == Expiry.HARD) {
      hardExpires.incrementAndGet();
      remove(sa, RemovalReason.EXPIRED);
      broadcast(
          Messages.sa(
              MessageType.SADB_EXPIRE,
              sa,
              0,
              0,
              false,
              Messages.Lifetimes.HARD_EXPIRED,
              SaState.SADB_SASTATE_DEAD));
    } else if (e == Expiry.SOFT && sa.state() == SaState.SADB_SASTATE_MATURE) {
      softExpires.incrementAndGet();
      changeState(sa, SaState.SADB_SASTATE_DYING);
      broadcast(
          Messages.sa(
              MessageType.SADB_EXPIRE,
              sa,
              0,
              0,
              false,
              Messages.Lifetimes.SOFT_EXPIRED,
              SaState.SADB_SASTATE_DYING));
      reschedule(sa);
    }
  }

  /** Puts the SA's next time-based deadline in the timer queue. */
  void reschedule(SecurityAssociation sa) {
    long d =
        sa.state() == SaState.SADB_SASTATE_LARVAL
            ? sa.addedAtMillis() + profile.larvalTimeoutMillis()
            : sa.nextDeadline();
    if (d == sa.scheduledDeadline) {
      return;
    }
    if (sa.scheduledDeadline != LifetimeRules.NO_DEADLINE) {
      staleTimers++;
    }
    sa.scheduledDeadline = d;
    if (d != LifetimeRules.NO_DEADLINE) {
      timers.add(new Timer(d, timerOrder++, sa));
    }
    purgeStaleTimers();
  }

  private void schedule(PendingAcquire p) {
    timers.add(new Timer(p.deadline, timerOrder++, p));
  }

  private void purgeStaleTimers() {
    if (staleTimers > 1024 && staleTimers > timers.size() / 2) {
      List<Timer> live = new ArrayList<>(timers.size() - staleTimers);
      for (Timer t : timers) {
        if (isLive(t)) {
          live.add(t);
        }
      }
      timers.clear();
      timers.addAll(live);
      staleTimers = 0;
    }
  }

  private boolean isLive(Timer t) {
    if (t.target instanceof SecurityAssociation sa) {
      return sa.scheduledDeadline == t.due;
    }
    PendingAcquire p = (PendingAcquire) t.target;
    return pendingBySeq.get(p.seq) == p;
  }

  // ====================================================================== timers

  /**
   * Runs every timer due at the clock's current time: lifetimes (SOFT and HARD addtime/usetime),
   * LARVAL timeouts, forgotten ACQUIREs. Returns how many timers fired.
   */
  public int tick() {
    lock.lock();
    try {
      long now = now();
      int fired = 0;
      while (!timers.isEmpty() && timers.peek().due <= now) {
        Timer t = timers.poll();
        if (!isLive(t)) {
          staleTimers = Math.max(0, staleTimers - 1);
          continue;
        }
        fired++;
        if (t.target instanceof SecurityAssociation sa) {
          sa.scheduledDeadline = LifetimeRules.NO_DEADLINE;
          expireIfDue(sa);
          if (sadb.find(sa.satype(), sa.dst(), sa.spi()) == sa) {
            reschedule(sa);
          }
        } else {
          forget((PendingAcquire) t.target);
        }
      }
      return fired;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves a {@link ManualClock} to {@code epochMillis} and runs the timers due by then, in time
   * order (each fires at its own time, so an SOFT expiry before a HARD one is seen).
   *
   * @throws IllegalStateException when the engine's clock is not a ManualClock
   */
  public int advanceTo(long epochMillis) {
    if (!(clock instanceof ManualClock mc)) {
      throw new IllegalStateException("advanceTo needs a ManualClock, clock=" + clock);
    }
    int fired = 0;
    while (true) {
      long next;
      lock.lock();
      try {
        next = timers.isEmpty() ? Long.MAX_VALUE : timers.peek().due;
      } finally {
        lock.unlock();
      }
      if (next > epochMillis) {
        break;
      }
      mc.advanceTo(next);
      fired += tick();
    }
    mc.advanceTo(epochMillis);
    return fired + tick();
  }

  /**
   * When the earliest timer is due, in epoch milliseconds, or {@link Long#MAX_VALUE} when none is
   * scheduled. May be earlier than any live timer (a cancelled one not yet purged), never later: a
   * caller that runs {@link #tick()} at that time makes progress either way. pcap replay with
   * several threads reads it to know when the packets in flight must finish before time moves.
   */
  public long nextTimerMillis() {
    lock.lock();
    try {
      return timers.isEmpty() ? Long.MAX_VALUE : timers.peek().due;
    } finally {
      lock.unlock();
    }
  }

  /** Advances a {@link ManualClock} by a duration; see {@link #advanceTo(long)}. */
  public int advance(Duration d) {
    return advanceTo(clock.currentTimeMillis() + d.toMillis());
  }

  /**
   * Starts a daemon thread that calls {@link #tick()} every {@code period} (for the real clock).
   * Closing the returned handle, or the engine, stops it.
   */
  public AutoCloseable startTicker(Duration period) {
    Thread t =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted() && !closed) {
                try {
                  Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                tick();
              }
            },
            "ipsec-emu-key-engine-ticker");
    t.setDaemon(true);
    ticker = t;
    t.start();
    return t::interrupt;
  }

  // ====================================================================== datapath: inbound

  /**
   * {@code getassocbyspi} for an inbound packet: the SA of the given IP protocol (50 ESP, 51 AH,
   * 108 IPcomp) with this SPI whose destination is the {@code addrLen} bytes (4 or 16) at {@code
   * buf[off]}, if it is usable (MATURE or DYING); otherwise null and the packet is to be dropped
   * (§1.2, the paper's "Kernel interface"). Lock-free, constant time, allocation-free on hits and
   * misses.
   */
  public SecurityAssociation getassocbyspi(byte[] buf, int off, int addrLen, int spi, int proto) {
    int satype = IpsecProtocol.satypeOf(proto);
    if (satype < 0) {
      return null;
    }
    return sadb.usableBySpi(satype, buf, off, addrLen, spi);
  }

  /** {@code getassocbyspi} with an address object (control plane, tests; allocates). */
  public SecurityAssociation getassocbyspi(InetAddress dst, int spi, int proto) {
    byte[] a = dst.getAddress();
    return getassocbyspi(a, 0, a.length, spi, proto);
  }

  /**
   * The inbound policy check the datapath makes after removing IPsec (or for a packet that came in
   * the clear): given the inner flow and the SAs that protected it ({@code count} of them, any
   * order), whether policy allows it. False (the {@code policy} verdict) when an SA's selectors do
   * not match the flow, when an {@code in} policy discards the flow, or when its {@code ipsec}
   * policy has a required request that no given SA satisfies (same protocol, a mode that serves it,
   * the tunnel endpoints, the reqid). Requests at level {@code use} may be missing. No policy means
   * allowed. Lock-free, allocation-free.
   */
  public boolean inboundAllowed(Flow inner, SecurityAssociation[] sas, int count) {
    for (int i = 0; i < count; i++) {
      if (!sas[i].selectorMatches(inner)) {
        return false;
      }
    }
    Policy p = spd.lookup(PolicyDirection.IN, inner);
    if (p == null || p.action() == PolicyAction.NONE) {
      return true;
    }
    if (p.action() == PolicyAction.DISCARD) {
      return false;
    }
    List<IpsecRequest> requests = p.requests();
    for (int r = 0; r < requests.size(); r++) {
      IpsecRequest req = requests.get(r);
      if (req.level().optional()) {
        continue;
      }
      boolean found = false;
      for (int i = 0; i < count && !found; i++) {
        found = satisfies(sas[i], req);
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static boolean satisfies(SecurityAssociation sa, IpsecRequest r) {
    if (sa.satype() != r.protocol().satype() || !sa.mode().serves(r.mode())) {
      return false;
    }
    if (r.reqid() != 0 && sa.reqid() != r.reqid()) {
      return false;
    }
    if (r.isTunnel()) {
      byte[] s = sa.src();
      byte[] d = sa.dst();
      return r.tunnelSourceEquals(s, s.length) && r.tunnelDestinationEquals(d, d.length);
    }
    return true;
  }

  // ====================================================================== datapath: outbound

  /**
   * {@code getassocbysocket} for an outbound flow (the paper's "Kernel interface"; §1.2): the
   * outbound policy decides; for {@code ipsec} the answer is the SA bundle in processing order
   * ({@link OutboundResult}), or PENDING while an SADB_ACQUIRE is out (the first trigger sends it
   * to registered sockets, with the flow's addresses and ports and a proposal, §3.1.6; repeated
   * triggers send nothing new), or NO_KEY_MANAGER when nobody registered for the SA type.
   *
   * <p>An SA is allocated to a flow the first time the flow gets it: that counts in its CURRENT
   * allocations (§2.3.2), and at level {@code unique} (without reqid) binds it to that flow alone
   * (the paper's "by socket"). Allocation-free when the flow's answer is cached (established SAs).
   */
  public OutboundResult getassocbysocket(Flow flow) {
    int h = FlowCache.hash(flow);
    OutboundResult r = flowCache.get(flow, h, generation);
    if (r != null) {
      return r;
    }
    lock.lock();
    try {
      return resolve(flow, h);
    } finally {
      lock.unlock();
    }
  }

  private OutboundResult resolve(Flow flow, int h) {
    long gen = generation;
    OutboundResult cached = flowCache.get(flow, h, gen);
    if (cached != null) {
      return cached;
    }
    Policy p = spd.lookup(PolicyDirection.OUT, flow);
    OutboundResult result;
    if (p == null) {
      result = OutboundResult.NO_POLICY;
    } else if (p.action() == PolicyAction.NONE) {
      result = new OutboundResult(OutboundResult.Kind.BYPASS, p, new SecurityAssociation[0], 0, 0);
    } else if (p.action() == PolicyAction.DISCARD) {
      result = new OutboundResult(OutboundResult.Kind.DISCARD, p, new SecurityAssociation[0], 0, 0);
    } else {
      result = resolveIpsec(flow, h, p);
    }
    // Allocations may have expired an SA (bumping the generation): then the entry is born stale.
    flowCache.put(new FlowCache.Entry(flow.copy(), h, gen, result));
    return result;
  }

  private OutboundResult resolveIpsec(Flow flow, int h, Policy p) {
    List<SecurityAssociation> bundle = new ArrayList<>(p.requests().size());
    for (IpsecRequest r : p.requests()) {
      SecurityAssociation sa = findOutbound(r, flow);
      if (sa != null) {
        bundle.add(sa);
        continue;
      }
      OutboundResult missing = acquire(r, flow, p);
      if (!r.level().optional()) {
        return missing;
      }
    }
    if (bundle.isEmpty()) {
      return new OutboundResult(OutboundResult.Kind.BYPASS, p, new SecurityAssociation[0], 0, 0);
    }
    FlowCache.Entry prev = flowCache.previous(flow, h);
    for (int i = 0; i < bundle.size(); i++) {
      SecurityAssociation sa = bundle.get(i);
      IpsecRequest r = p.requests().get(i);
      if (r.level() == IpsecLevel.UNIQUE && r.reqid() == 0 && sa.boundFlow == null) {
        sa.boundFlow = flow.copy();
      }
      if (!contains(prev, sa)) {
        sa.allocate();
        Lifetime hard = sa.hardLifetime();
        Lifetime soft = sa.softLifetime();
        if (hard.allocations() != 0 && sa.allocations() >= hard.allocations()
            || soft.allocations() != 0 && sa.allocations() >= soft.allocations()) {
          expireIfDue(sa);
        }
      }
    }
    return new OutboundResult(
        OutboundResult.Kind.PROTECT, p, bundle.toArray(new SecurityAssociation[0]), 0, 0);
  }

  private static boolean contains(FlowCache.Entry prev, SecurityAssociation sa) {
    if (prev == null) {
      return false;
    }
    for (int i = 0; i < prev.result.size(); i++) {
      if (prev.result.sa(i) == sa) {
        return true;
      }
    }
    return false;
  }

  /** The best usable SA for the request and flow, or null (Linux: MATURE first, then newest). */
  private SecurityAssociation findOutbound(IpsecRequest r, Flow flow) {
    byte[] src;
    byte[] dst;
    if (r.isTunnel()) {
      src = r.tunnelSource().getAddress();
      dst = r.tunnelDestination().getAddress();
    } else {
      src = java.util.Arrays.copyOf(flow.sourceBytes(), flow.addressLength());
      dst = java.util.Arrays.copyOf(flow.destinationBytes(), flow.addressLength());
    }
    SecurityAssociation best = null;
    for (SecurityAssociation sa : sadb.between(r.protocol().satype(), src, dst)) {
      if (!sa.isUsable() || !sa.mode().serves(r.mode())) {
        continue;
      }
      if (r.reqid() != 0 && sa.reqid() != r.reqid()) {
        continue;
      }
      if (r.level() == IpsecLevel.UNIQUE
          && r.reqid() == 0
          && sa.boundFlow != null
          && !sa.boundFlow.equals(flow)) {
        continue;
      }
      if (!r.isTunnel() && !sa.selectorMatches(flow)) {
        continue;
      }
      if (best == null || better(sa, best)) {
        best = sa;
      }
    }
    return best;
  }

  private boolean better(SecurityAssociation a, SecurityAssociation b) {
    boolean aMature = a.state() == SaState.SADB_SASTATE_MATURE;
    boolean bMature = b.state() == SaState.SADB_SASTATE_MATURE;
    if (aMature != bMature) {
      return aMature;
    }
    return profile.preferNewestSa() ? a.serial() > b.serial() : a.serial() < b.serial();
  }

  /**
   * The answer for a missing SA: the pending ACQUIRE for it, or a new one sent to registered
   * sockets, or NO_KEY_MANAGER.
   */
  private OutboundResult acquire(IpsecRequest r, Flow flow, Policy p) {
    boolean byReference = p.hasProposalReference();
    int satype = r.protocol().satype();
    if (!anyRegistered(byReference ? 0 : satype)) {
      return new OutboundResult(
          OutboundResult.Kind.NO_KEY_MANAGER, p, new SecurityAssociation[0], 0, 0);
    }
    byte[] src;
    byte[] dst;
    if (r.isTunnel()) {
      src = r.tunnelSource().getAddress();
      dst = r.tunnelDestination().getAddress();
    } else {
      src = java.util.Arrays.copyOf(flow.sourceBytes(), flow.addressLength());
      dst = java.util.Arrays.copyOf(flow.destinationBytes(), flow.addressLength());
    }
    boolean unique = r.level() == IpsecLevel.UNIQUE && r.reqid() == 0;
    PendingAcquire.Key key =
        new PendingAcquire.Key(
            satype,
            r.mode() == IpsecMode.TUNNEL ? IpsecMode.TUNNEL.value() : IpsecMode.TRANSPORT.value(),
            src,
            dst,
            r.reqid(),
            unique ? flow.copy() : null);
    PendingAcquire pending = pendingByKey.get(key);
    if (pending != null) {
      return pending.result;
    }
    if (pendingByKey.size() >= profile.maxPendingAcquires()) {
      acquireTableFull.incrementAndGet();
      return OutboundResult.ACQUIRE_TABLE_FULL;
    }
    long seq = nextAcquireSeq++;
    if (nextAcquireSeq > 0xFFFF_FFFFL) {
      nextAcquireSeq = 1;
    }
    pending = new PendingAcquire(seq, key, flow.copy(), p, now() + profile.acquireTimeoutMillis());
    pendingByKey.put(key, pending);
    pendingBySeq.put(seq, pending);
    schedule(pending);
    acquires.incrementAndGet();
    toRegistered(byReference ? 0 : satype, acquireMessage(r, flow, p, seq, byReference));
    return pending.result;
  }

  /**
   * The engine's SADB_ACQUIRE (§3.1.6): {@code <base, address(SD), (address(P)), policy,
   * proposal-or-propref>}, pid 0. Transport mode: the flow's addresses with its protocol and ports.
   * Tunnel mode: the tunnel endpoints, and the inner source as PROXY (§2.3.3). As Linux does, an
   * SADB_X_EXT_POLICY names the policy (its id and direction) so key management can find the whole
   * bundle. With an Arkko proposal reference the satype is UNSPEC and a SADB_X_EXT_PREFERENCE
   * replaces the proposal (draft §6.1, §7.1).
   */
  private SadbMessage acquireMessage(
      IpsecRequest r, Flow flow, Policy p, long seq, boolean byReference) {
    List<SadbExtension> ext = new ArrayList<>();
    if (r.isTunnel()) {
      byte[] s = r.tunnelSource().getAddress();
      byte[] d = r.tunnelDestination().getAddress();
      ext.add(
          Messages.address(ExtensionType.SADB_EXT_ADDRESS_SRC, s, s.length, 0, s.length * 8, 0));
      ext.add(
          Messages.address(ExtensionType.SADB_EXT_ADDRESS_DST, d, d.length, 0, d.length * 8, 0));
      ext.add(Messages.flowAddress(ExtensionType.SADB_EXT_ADDRESS_PROXY, flow, true));
    } else {
      ext.add(Messages.flowAddress(ExtensionType.SADB_EXT_ADDRESS_SRC, flow, true));
      ext.add(Messages.flowAddress(ExtensionType.SADB_EXT_ADDRESS_DST, flow, false));
    }
    ext.add(
        new PolicyExtension(
            PolicyType.IPSEC_POLICY_IPSEC.value(),
            PolicyDirection.OUT.value(),
            p.id(),
            p.priority(),
            List.of()));
    int satype = r.protocol().satype();
    if (byReference) {
      ext.add(new ProposalReferenceExtension(p.proposalReference()));
      satype = 0;
    } else {
      ext.add(Messages.proposal(satype, profile));
    }
    return new SadbMessage(
        SadbMessage.PF_KEY_V2, MessageType.SADB_ACQUIRE, 0, satype, 0, seq, 0, ext);
  }

  // ====================================================================== passive change

  /**
   * Sends the kernel-originated SADB_X_PCHANGE of Appendix B for a passive-side flow whose
   * requested security changed: {@code <base, address(SD), (proposal)>} to registered sockets, with
   * the flow's ports, and a proposal built from the inbound {@code ipsec} policy that now selects
   * the flow; without a proposal (to every registered socket) when no such policy selects it any
   * more, meaning "the exception to systemwide default behavior has disappeared". Returns the
   * number of sockets it went to.
   */
  public int passiveChange(Flow flow) {
    lock.lock();
    try {
      Policy p = spd.lookup(PolicyDirection.IN, flow);
      List<SadbExtension> ext = new ArrayList<>();
      ext.add(Messages.flowAddress(ExtensionType.SADB_EXT_ADDRESS_SRC, flow, true));
      ext.add(Messages.flowAddress(ExtensionType.SADB_EXT_ADDRESS_DST, flow, false));
      int satype = 0;
      if (p != null && p.action() == PolicyAction.IPSEC) {
        if (p.hasProposalReference()) {
          ext.add(new ProposalReferenceExtension(p.proposalReference()));
        } else {
          satype = p.requests().get(0).protocol().satype();
          ext.add(Messages.proposal(satype, profile));
        }
      }
      return toRegistered(
          satype,
          new SadbMessage(
              SadbMessage.PF_KEY_V2, MessageType.SADB_X_PCHANGE, 0, satype, 0, 0, 0, ext));
    } finally {
      lock.unlock();
    }
  }

  // ====================================================================== listeners, state, stats

  /** Adds a listener for SA events (see {@link SaListener} for the threading rules). */
  public void addListener(SaListener l) {
    listeners.add(l);
  }

  public void removeListener(SaListener l) {
    listeners.remove(l);
  }

  /** The policy database (read it; change it with SADB_X_SPD* messages). */
  public SecurityPolicyDatabase spd() {
    return spd;
  }

  /** Every SA now, LARVAL ones included, oldest first (a snapshot; for tools and tests). */
  public List<SecurityAssociation> associations() {
    lock.lock();
    try {
      return sadb.snapshot(0);
    } finally {
      lock.unlock();
    }
  }

  /** The engine's counters now. */
  public EngineStats stats() {
    lock.lock();
    try {
      return new EngineStats(
          messagesIn.get(),
          errors.get(),
          delivered.get(),
          dropped.get(),
          softExpires.get(),
          hardExpires.get(),
          acquires.get(),
          acquireTableFull.get(),
          larvalTimeouts.get(),
          listenerErrors.get(),
          sadb.size(),
          sadb.larvalCount(),
          spd.size(),
          pendingByKey.size(),
          sockets.size());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the engine: the ticker stops, sockets close, and every SA is removed (listeners told,
   * keys zeroed).
   */
  @Override
  public void close() {
    Thread t = ticker;
    if (t != null) {
      t.interrupt();
    }
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (SecurityAssociation sa : sadb.snapshot(0)) {
        remove(sa, RemovalReason.ENGINE_CLOSED);
      }
      for (PfKeySocket s : new ArrayList<>(sockets.values())) {
        s.close();
      }
    } finally {
      lock.unlock();
    }
  }

  int nextSpiCandidate(long min, long max) {
    return (int) (min + random.nextLong(max - min + 1));
  }

  MessageProcessor processor() {
    return processor;
  }

  /** Engine-side hooks of the SAs: expiry on a reached limit, first use, time. */
  private final class SaOwner implements SecurityAssociation.Owner {
    @Override
    public void limitReached(SecurityAssociation sa) {
      lock.lock();
      try {
        expireIfDue(sa);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void firstUse(SecurityAssociation sa) {
      lock.lock();
      try {
        if (sadb.find(sa.satype(), sa.dst(), sa.spi()) == sa) {
          reschedule(sa);
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public long now() {
      return clock.currentTimeMillis();
    }

    @Override
    public boolean countPacketsAsAllocations() {
      return profile.countPacketsAsAllocations();
    }
  }
}
