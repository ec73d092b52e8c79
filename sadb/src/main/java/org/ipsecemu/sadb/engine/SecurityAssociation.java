package org.ipsecemu.sadb.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.spd.IpsecProtocol;
import org.ipsecemu.sadb.wire.KmPrivateExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SaType;

/**
 * One security association as the datapath sees it: a read-only view of what key management set,
 * its state and lifetimes, per-packet accounting ({@link #charge(long)}), and a slot for the
 * datapath's own per-SA state ({@link #attach(Object)}).
 *
 * <p>Identity (type, SPI, addresses) never changes. Algorithms, keys, mode and the rest are set
 * once, when the SA becomes MATURE, and published atomically. State and lifetimes change only under
 * the engine's lock; byte and allocation counters are lock-free and exact.
 *
 * <p>Keys: {@link #authKey()} and {@link #encryptKey()} return fresh copies for building
 * transforms; the caller should zero them after use. {@link #toString()} never shows them.
 */
public final class SecurityAssociation {
  private static final VarHandle BYTES;
  private static final VarHandle ALLOCATIONS;
  private static final VarHandle FIRST_USE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      BYTES = l.findVarHandle(SecurityAssociation.class, "bytes", long.class);
      ALLOCATIONS = l.findVarHandle(SecurityAssociation.class, "allocations", long.class);
      FIRST_USE = l.findVarHandle(SecurityAssociation.class, "firstUse", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What the engine does when a counter reaches a limit, and where time comes from. */
  interface Owner {
    void limitReached(SecurityAssociation sa);

    void firstUse(SecurityAssociation sa);

    long now();

    boolean countPacketsAsAllocations();
  }

  private final Owner owner;
  private final long serial;
  private final int satype;
  private final int spi;
  private final byte[] source;
  private final byte[] destination;
  private final int upperProtocol;
  private final int sourcePrefix;
  private final int destinationPrefix;
  private final int sourcePort;
  private final int destinationPort;
  private final long addedAt;
  private final int creatorSocket;

  private volatile SaParams params;
  private volatile SaState state;
  private volatile Lifetime soft = Lifetime.NONE;
  private volatile Lifetime hard = Lifetime.NONE;
  private volatile long bytes;
  private volatile long allocations;
  private volatile long firstUse = LifetimeRules.NEVER_USED;
  private volatile long seq;
  private volatile Object attachment;

  // Guarded by the engine's lock.
  Flow boundFlow;
  boolean announced;
  long scheduledDeadline = LifetimeRules.NO_DEADLINE;

  SecurityAssociation(
      Owner owner,
      long serial,
      int satype,
      int spi,
      byte[] source,
      byte[] destination,
      int upperProtocol,
      int sourcePrefix,
      int destinationPrefix,
      int sourcePort,
      int destinationPort,
      long addedAt,
      int creatorSocket,
      long seq,
      SaState state,
      SaParams params) {
    if (source.length != destination.length) {
      throw new IllegalArgumentException("source and destination of different families");
    }
    this.owner = owner;
    this.serial = serial;
    this.satype = satype;
    this.spi = spi;
    this.source = source.clone();
    this.destination = destination.clone();
    this.upperProtocol = upperProtocol;
    this.sourcePrefix = sourcePrefix;
    this.destinationPrefix = destinationPrefix;
    this.sourcePort = sourcePort;
    this.destinationPort = destinationPort;
    this.addedAt = addedAt;
    this.creatorSocket = creatorSocket;
    this.seq = seq;
    this.state = state;
    this.params = params;
  }

  // ------------------------------------------------------------------ identity

  /** The PF_KEY SA type ({@code sadb_msg_satype}): 2 AH, 3 ESP, 9 IPcomp, or another. */
  public int satype() {
    return satype;
  }

  /** The SA type as an enum, if it has a name. */
  public Optional<SaType> saType() {
    return SaType.valueOf(satype);
  }

  /** The IPsec protocol (AH, ESP, IPCOMP), or null for SA types outside IPsec (OSPF, RIP...). */
  public IpsecProtocol protocol() {
    return IpsecProtocol.ofSatype(satype);
  }

  /** The IP protocol number of its packets: 50 ESP, 51 AH, 108 IPcomp; 0 for other SA types. */
  public int ipProtocol() {
    IpsecProtocol p = protocol();
    return p == null ? 0 : p.ipProtocol();
  }

  /** The SPI as an unsigned 32-bit number in an int (as it sits in the packet). */
  public int spi() {
    return spi;
  }

  /** The SPI as a non-negative long. */
  public long spiUnsigned() {
    return Integer.toUnsignedLong(spi);
  }

  /** Address family: 4 or 6. */
  public int family() {
    return source.length == 4 ? 4 : 6;
  }

  /** Address length in bytes: 4 or 16. */
  public int addressLength() {
    return source.length;
  }

  /** A copy of the source address bytes. */
  public byte[] sourceBytes() {
    return source.clone();
  }

  /** A copy of the destination address bytes. */
  public byte[] destinationBytes() {
    return destination.clone();
  }

  /** Whether the destination equals {@code buf[off, off+len)}. Allocation-free. */
  public boolean destinationEquals(byte[] buf, int off, int len) {
    return len == destination.length && Arrays.equals(destination, 0, len, buf, off, off + len);
  }

  /** Whether the source equals {@code buf[off, off+len)}. Allocation-free. */
  public boolean sourceEquals(byte[] buf, int off, int len) {
    return len == source.length && Arrays.equals(source, 0, len, buf, off, off + len);
  }

  /** The source address array itself (engine only; never modify). */
  byte[] src() {
    return source;
  }

  /** The destination address array itself (engine only; never modify). */
  byte[] dst() {
    return destination;
  }

  public InetAddress source() {
    return address(source);
  }

  public InetAddress destination() {
    return address(destination);
  }

  /** Upper-layer protocol from the address extensions ({@code sadb_address_proto}); 0 for any. */
  public int upperProtocol() {
    return upperProtocol;
  }

  public int sourcePrefix() {
    return sourcePrefix;
  }

  public int destinationPrefix() {
    return destinationPrefix;
  }

  /** Source port from the SRC address extension; 0 for any. */
  public int sourcePort() {
    return sourcePort;
  }

  /** Destination port from the DST address extension; 0 for any. */
  public int destinationPort() {
    return destinationPort;
  }

  // ------------------------------------------------------------------ parameters

  /**
   * The replay window in packets, 0 for none: FreeBSD's SADB_X_EXT_SA_REPLAY when the SA was given
   * one (windows of 256 packets and more), else {@code sadb_sa_replay}.
   */
  public int replayWindow() {
    return params.replay;
  }

  /** {@code sadb_sa_flags}. */
  public long flags() {
    return params.flags;
  }

  /**
   * Whether the SA uses 64-bit extended sequence numbers (RFC 4303 §2.2.1, RFC 4302 §2.5.1): {@code
   * sadb_sa_flags} has SADB_X_SAFLAGS_ESN (the BSD bit, 0x400).
   */
  public boolean esn() {
    return params.esn;
  }

  /**
   * The UDP encapsulation (NAT traversal, RFC 3948) the SA's NAT-T extensions declare, or null when
   * its packets are plain ESP.
   */
  public UdpEncapsulation udpEncapsulation() {
    return params.udpEncapsulation;
  }

  /** {@code sadb_sa_auth}: the integrity algorithm id, 0 for none. */
  public int authAlgorithm() {
    return params.auth;
  }

  /** {@code sadb_sa_encrypt}: the encryption (or combined-mode, or compression) algorithm id. */
  public int encryptAlgorithm() {
    return params.encrypt;
  }

  /** Bits of the authentication key ({@code sadb_key_bits}), 0 without one. */
  public int authKeyBits() {
    return params.authBits;
  }

  /** Bits of the encryption key ({@code sadb_key_bits}), 0 without one. */
  public int encryptKeyBits() {
    return params.encryptBits;
  }

  /**
   * A copy of the authentication key (empty without one), for building a transform. Zero the copy
   * when done with it. All zeros once the SA has been removed.
   */
  public byte[] authKey() {
    byte[] k = params.authKey;
    return k == null ? new byte[0] : k.clone();
  }

  /** A copy of the encryption key (empty without one); see {@link #authKey()}. */
  public byte[] encryptKey() {
    byte[] k = params.encryptKey;
    return k == null ? new byte[0] : k.clone();
  }

  /** Mode from SADB_X_EXT_SA2 as Linux reads it; {@link IpsecMode#ANY} without that extension. */
  public IpsecMode mode() {
    return params.mode;
  }

  /** The reqid from SADB_X_EXT_SA2 (0: none). */
  public long reqid() {
    return params.reqid;
  }

  /** The KMPRIVATE data key management attached (Appendix C), if any. */
  public Optional<KmPrivateExtension> kmPrivate() {
    return Optional.ofNullable(params.kmPrivate());
  }

  /** The PROXY address (the inner source of a tunnel, §2.3.3), if given. */
  public Optional<InetAddress> proxy() {
    return params.proxy == null
        ? Optional.empty()
        : Optional.of(params.proxy.address().inetAddress());
  }

  SaParams params() {
    return params;
  }

  void params(SaParams p) {
    this.params = p;
  }

  // ------------------------------------------------------------------ state and lifetimes

  /** Current state (§3.3). */
  public SaState state() {
    return state;
  }

  void state(SaState s) {
    this.state = s;
  }

  /** Whether packets may use it: MATURE or DYING. */
  public boolean isUsable() {
    SaState s = state;
    return s == SaState.SADB_SASTATE_MATURE || s == SaState.SADB_SASTATE_DYING;
  }

  public Lifetime softLifetime() {
    return soft;
  }

  public Lifetime hardLifetime() {
    return hard;
  }

  void lifetimes(Lifetime soft, Lifetime hard) {
    this.soft = soft;
    this.hard = hard;
  }

  /** CURRENT bytes. */
  public long bytes() {
    return bytes;
  }

  /** CURRENT allocations. */
  public long allocations() {
    return allocations;
  }

  /** When it was added, epoch milliseconds (CURRENT addtime). */
  public long addedAtMillis() {
    return addedAt;
  }

  /** When it first processed a packet, epoch milliseconds, or {@link LifetimeRules#NEVER_USED}. */
  public long firstUseMillis() {
    return firstUse;
  }

  /** The CURRENT lifetime as PF_KEY reports it (times in epoch seconds, usetime 0 if unused). */
  public Lifetime currentLifetime() {
    long fu = firstUse;
    return new Lifetime(
        Math.min(allocations, 0xFFFF_FFFFL),
        bytes,
        Math.floorDiv(addedAt, 1000),
        fu == LifetimeRules.NEVER_USED ? 0 : Math.floorDiv(fu, 1000));
  }

  /** Which lifetime is reached now. */
  Expiry evaluate(long now) {
    return LifetimeRules.evaluate(soft, hard, allocations, bytes, addedAt, firstUse, now);
  }

  /** The next time-based deadline, given the state (SOFT only while MATURE). */
  long nextDeadline() {
    long d = LifetimeRules.nextDeadline(hard, addedAt, firstUse);
    if (state == SaState.SADB_SASTATE_MATURE) {
      d = Math.min(d, LifetimeRules.nextDeadline(soft, addedAt, firstUse));
    }
    return d;
  }

  /**
   * Charges one packet of {@code n} bytes to this SA's CURRENT lifetime; returns whether the packet
   * may use the SA. Thread-safe, lock-free, exact under concurrency.
   *
   * <p>The engine counts exactly the {@code n} it is given; the datapath decides which bytes these
   * are (it passes what Linux xfrm counts, see its documentation). The first charge sets CURRENT
   * usetime. A packet is refused (false) when the SA is not MATURE or DYING or when a HARD byte
   * (or, with {@link EngineProfile#countPacketsAsAllocations()}, packet) limit was already reached
   * before it; refused packets are not counted. The packet that reaches a limit is admitted and
   * counted, and the engine then expires the SA (SOFT: DYING and one SADB_EXPIRE; HARD: DEAD, one
   * SADB_EXPIRE, removal), as "the first of these values to be reached will cause a lifetime
   * expiration" (§2.3.2).
   */
  public boolean charge(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("bytes=" + n + " (expected: >= 0)");
    }
    SaState s = state;
    if (s != SaState.SADB_SASTATE_MATURE && s != SaState.SADB_SASTATE_DYING) {
      return false;
    }
    Lifetime h = hard;
    Lifetime so = soft;
    boolean packets = owner.countPacketsAsAllocations();
    if (packets && h.allocations() != 0 && allocations >= h.allocations()) {
      owner.limitReached(this);
      return false;
    }
    long hb = h.bytes();
    long before;
    do {
      before = (long) BYTES.getVolatile(this);
      if (hb != 0 && Long.compareUnsigned(before, hb) >= 0) {
        owner.limitReached(this);
        return false;
      }
    } while (!BYTES.compareAndSet(this, before, before + n));
    long after = before + n;
    boolean crossed =
        (hb != 0 && Long.compareUnsigned(after, hb) >= 0) || crosses(before, after, so.bytes());
    if (packets) {
      long a = (long) ALLOCATIONS.getAndAdd(this, 1L) + 1;
      crossed |= crosses(a - 1, a, h.allocations()) || crosses(a - 1, a, so.allocations());
    }
    if (firstUse == LifetimeRules.NEVER_USED
        && FIRST_USE.compareAndSet(this, LifetimeRules.NEVER_USED, owner.now())) {
      owner.firstUse(this);
    }
    if (crossed) {
      owner.limitReached(this);
    }
    return true;
  }

  private static boolean crosses(long before, long after, long limit) {
    return limit != 0
        && Long.compareUnsigned(before, limit) < 0
        && Long.compareUnsigned(after, limit) >= 0;
  }

  /** Counts one more allocation (a flow the SA is allocated to); engine lock held. */
  long allocate() {
    return (long) ALLOCATIONS.getAndAdd(this, 1L) + 1;
  }

  // ------------------------------------------------------------------ bookkeeping

  /** The {@code sadb_msg_seq} the SA was created with (that of an ACQUIRE it answers). */
  public long sequence() {
    return seq;
  }

  void sequence(long s) {
    this.seq = s;
  }

  /** Id of the socket that created it (GETSPI or ADD), -1 when none. */
  int creatorSocket() {
    return creatorSocket;
  }

  long serial() {
    return serial;
  }

  /** The datapath's per-SA state (transforms, replay window, sequence counter), or null. */
  public Object attachment() {
    return attachment;
  }

  /** Sets the datapath's per-SA state; visible to every thread that reads {@link #attachment()}. */
  public void attach(Object o) {
    this.attachment = o;
  }

  /**
   * Whether a packet flow may have come under this SA: the inner source lies in the PROXY prefix
   * when there is one, and, in transport mode, the flow's addresses are the SA's (a tunnel-mode SA
   * takes an inner packet of either family); the protocol and ports of the address extensions must
   * match when set (§2.3.3, §5.2), but for a UDP-encapsulated SA, whose address ports are its NAT-T
   * ports.
   */
  public boolean selectorMatches(Flow f) {
    // A tunnel carries either family inside either (RFC 4301 §5.1.2: IPv4 in IPv6 and back).
    if (f.family() != family() && params.proxy == null && params.mode != IpsecMode.TUNNEL) {
      return false;
    }
    if (upperProtocol != 0 && upperProtocol != 255 && upperProtocol != f.protocol()) {
      return false;
    }
    SaParams p = params;
    // The address ports of a UDP-encapsulated SA are its NAT-T ports (ipsec-tools' esp-udp sends
    // them there and in SADB_X_EXT_NAT_T_SPORT/DPORT), which Linux does not take as selectors.
    boolean natt = p.udpEncapsulation != null;
    if (!natt && sourcePort != 0 && sourcePort != f.sourcePort()) {
      return false;
    }
    if (!natt && destinationPort != 0 && destinationPort != f.destinationPort()) {
      return false;
    }
    if (p.proxyBytes != null) {
      return p.proxyBytes.length == f.addressLength()
          && prefixMatches(p.proxyBytes, p.proxyPrefix, f.sourceBytes());
    }
    if (p.mode == IpsecMode.TUNNEL) {
      return true;
    }
    return (isUnspecified(source) || sourceEquals(f.sourceBytes(), 0, source.length))
        && destinationEquals(f.destinationBytes(), 0, destination.length);
  }

  private static boolean prefixMatches(byte[] net, int prefix, byte[] addr) {
    int full = prefix >>> 3;
    for (int i = 0; i < full; i++) {
      if (net[i] != addr[i]) {
        return false;
      }
    }
    int rest = prefix & 7;
    return rest == 0 || ((net[full] ^ addr[full]) & (0xFF00 >>> rest)) == 0;
  }

  private static boolean isUnspecified(byte[] a) {
    for (byte b : a) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress address(byte[] a) {
    try {
      return InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Identity, state and algorithms; never keys. */
  @Override
  public String toString() {
    SaParams p = params;
    return SaType.symbolOf(satype)
        + " spi=0x"
        + Integer.toHexString(spi)
        + " src="
        + source().getHostAddress()
        + " dst="
        + destination().getHostAddress()
        + " state="
        + state
        + " mode="
        + p.mode.name().toLowerCase(java.util.Locale.ROOT)
        + " auth="
        + p.auth
        + " encrypt="
        + p.encrypt
        + " replay="
        + p.replay
        + " reqid="
        + p.reqid
        + (p.esn ? " esn" : "")
        + (p.udpEncapsulation == null ? "" : " " + p.udpEncapsulation);
  }
}
