package org.ipsecemu.sadb.engine;

/**
 * The behaviour choices RFC 2367 leaves to the implementation, in one place: the seam where another
 * kernel's behaviour (FreeBSD's, say) can be described without touching the engine. {@link
 * #linux()} is the default and each field says what Linux {@code net/key/af_key.c} (or the xfrm
 * code behind it) does and where the engine departs from it.
 *
 * @param name a short name for printing ({@code linux})
 * @param updateRequiresCreator UPDATE of an SA from a socket other than the one that created it
 *     (with GETSPI or ADD) fails with EACCES: the optional rule of §3.1.2. On by default; Linux
 *     does not implement it.
 * @param addAcceptsLarval ADD accepts {@code sadb_sa_state} LARVAL as well as MATURE (§3.1.3 says
 *     MATURE only) because ipsec-tools {@code setkey} sends LARVAL; Linux ignores the field
 *     entirely. DYING and DEAD are refused with EINVAL either way.
 * @param checkDesParity refuse DES and 3DES keys whose bytes lack odd parity (§3.1.2 names the
 *     check). On by default; Linux ignores parity and real captured key files have keys with wrong
 *     parity, so replay switches it off.
 * @param headerErrorsFailSend a message whose base header is bad (version, type, length) makes
 *     {@code send} throw, as Linux fails the {@code sendmsg} (§1.6 allows it for EINVAL, ENOMEM,
 *     ENOBUFS, EMSGSIZE); when false the sender gets a reply with {@code sadb_msg_errno}.
 * @param errorsToSenderOnly error replies go to the sending socket only, as Linux does ({@code
 *     pfkey_error} with BROADCAST_ONE); when false to every socket (§1.6 mentions auditing).
 * @param larvalTimeoutMillis a LARVAL SA not updated within this time is removed (§3.1.1 "SHOULD be
 *     automatically deleted"; 30 s as the issue asks; Linux keeps its acquire states as long as
 *     {@code xfrm_acq_expires}, also 30 s)
 * @param spiMin lowest SPI GETSPI hands out without an SPI range (RFC 4303 reserves 1..255)
 * @param spiMax highest SPI GETSPI hands out without an SPI range (0x0fffffff by default, as the
 *     issue asks: the range KAME's {@code key_spi_minval/maxval} defaults give)
 * @param receiveQueueCapacity messages a socket's receive queue holds before it drops (§1.4)
 * @param maxLarvalSas larval SAs the engine keeps at once; GETSPI beyond fails with ENOBUFS
 * @param maxPendingAcquires ACQUIREs awaiting an SA at once; triggers beyond wait without one
 * @param acquireTimeoutMillis an unanswered ACQUIRE is forgotten after this time, and the next
 *     packet of its flow sends a new one (Linux {@code net.core.xfrm_acq_expires}, 30 s)
 * @param preferNewestSa when several SAs fit an outbound request, use the newest MATURE one (Linux
 *     {@code xfrm_state_find}); false uses the oldest (KAME/FreeBSD {@code key_preferred_oldsa})
 * @param countPacketsAsAllocations charge each packet as one allocation as Linux does ({@code
 *     sadb_lifetime_allocations} is its packet count); off by default: allocations count the flows
 *     an SA is allocated to, the RFC's meaning (§2.3.2)
 * @param combSoftAddtime SOFT addtime proposed in engine-made ACQUIREs (Linux: 20 h)
 * @param combHardAddtime HARD addtime proposed (Linux: 24 h)
 * @param combSoftUsetime SOFT usetime proposed (Linux: 7 h)
 * @param combHardUsetime HARD usetime proposed (Linux: 8 h)
 * @param proposalReplay {@code sadb_prop_replay} of engine-made ACQUIREs (Linux: 32)
 * @param flowCacheSize slots of the outbound flow cache (a power of two)
 * @param maxPolicies policies the SPD holds; SPDADD beyond fails with ENOBUFS
 * @param maxSockets PF_KEY sockets open at once; opening more fails with ENOBUFS
 */
public record EngineProfile(
    String name,
    boolean updateRequiresCreator,
    boolean addAcceptsLarval,
    boolean checkDesParity,
    boolean headerErrorsFailSend,
    boolean errorsToSenderOnly,
    long larvalTimeoutMillis,
    long spiMin,
    long spiMax,
    int receiveQueueCapacity,
    int maxLarvalSas,
    int maxPendingAcquires,
    long acquireTimeoutMillis,
    boolean preferNewestSa,
    boolean countPacketsAsAllocations,
    long combSoftAddtime,
    long combHardAddtime,
    long combSoftUsetime,
    long combHardUsetime,
    int proposalReplay,
    int flowCacheSize,
    int maxPolicies,
    int maxSockets) {

  public EngineProfile {
    if (spiMin < 0x100 || spiMax > 0xFFFF_FFFFL || spiMin > spiMax) {
      throw new IllegalArgumentException("spi range min=" + spiMin + " max=" + spiMax);
    }
    if (Integer.bitCount(flowCacheSize) != 1) {
      throw new IllegalArgumentException("flowCacheSize=" + flowCacheSize + " (power of two)");
    }
    if (receiveQueueCapacity < 1 || maxLarvalSas < 0 || maxPendingAcquires < 0) {
      throw new IllegalArgumentException("queue sizes must be positive");
    }
  }

  /** The Linux-like profile, the default. */
  public static EngineProfile linux() {
    return new EngineProfile(
        "linux",
        true,
        true,
        true,
        true,
        true,
        30_000,
        0x100,
        0x0fff_ffffL,
        1024,
        4096,
        1024,
        30_000,
        true,
        false,
        20 * 3600,
        24 * 3600,
        7 * 3600,
        8 * 3600,
        32,
        4096,
        65_536,
        1024);
  }

  /** This profile with the DES parity check on or off (replay of real captures turns it off). */
  public EngineProfile withDesParityCheck(boolean on) {
    return new Builder(this).checkDesParity(on).build();
  }

  /** A builder starting from this profile. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some fields of a profile. */
  public static final class Builder {
    private String name;
    private boolean updateRequiresCreator;
    private boolean addAcceptsLarval;
    private boolean checkDesParity;
    private boolean headerErrorsFailSend;
    private boolean errorsToSenderOnly;
    private long larvalTimeoutMillis;
    private long spiMin;
    private long spiMax;
    private int receiveQueueCapacity;
    private int maxLarvalSas;
    private int maxPendingAcquires;
    private long acquireTimeoutMillis;
    private boolean preferNewestSa;
    private boolean countPacketsAsAllocations;
    private long combSoftAddtime;
    private long combHardAddtime;
    private long combSoftUsetime;
    private long combHardUsetime;
    private int proposalReplay;
    private int flowCacheSize;
    private int maxPolicies;
    private int maxSockets;

    Builder(EngineProfile p) {
      name = p.name;
      updateRequiresCreator = p.updateRequiresCreator;
      addAcceptsLarval = p.addAcceptsLarval;
      checkDesParity = p.checkDesParity;
      headerErrorsFailSend = p.headerErrorsFailSend;
      errorsToSenderOnly = p.errorsToSenderOnly;
      larvalTimeoutMillis = p.larvalTimeoutMillis;
      spiMin = p.spiMin;
      spiMax = p.spiMax;
      receiveQueueCapacity = p.receiveQueueCapacity;
      maxLarvalSas = p.maxLarvalSas;
      maxPendingAcquires = p.maxPendingAcquires;
      acquireTimeoutMillis = p.acquireTimeoutMillis;
      preferNewestSa = p.preferNewestSa;
      countPacketsAsAllocations = p.countPacketsAsAllocations;
      combSoftAddtime = p.combSoftAddtime;
      combHardAddtime = p.combHardAddtime;
      combSoftUsetime = p.combSoftUsetime;
      combHardUsetime = p.combHardUsetime;
      proposalReplay = p.proposalReplay;
      flowCacheSize = p.flowCacheSize;
      maxPolicies = p.maxPolicies;
      maxSockets = p.maxSockets;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder updateRequiresCreator(boolean v) {
      updateRequiresCreator = v;
      return this;
    }

    public Builder addAcceptsLarval(boolean v) {
      addAcceptsLarval = v;
      return this;
    }

    public Builder checkDesParity(boolean v) {
      checkDesParity = v;
      return this;
    }

    public Builder headerErrorsFailSend(boolean v) {
      headerErrorsFailSend = v;
      return this;
    }

    public Builder errorsToSenderOnly(boolean v) {
      errorsToSenderOnly = v;
      return this;
    }

    public Builder larvalTimeoutMillis(long v) {
      larvalTimeoutMillis = v;
      return this;
    }

    public Builder spiRange(long min, long max) {
      spiMin = min;
      spiMax = max;
      return this;
    }

    public Builder receiveQueueCapacity(int v) {
      receiveQueueCapacity = v;
      return this;
    }

    public Builder maxLarvalSas(int v) {
      maxLarvalSas = v;
      return this;
    }

    public Builder maxPendingAcquires(int v) {
      maxPendingAcquires = v;
      return this;
    }

    public Builder acquireTimeoutMillis(long v) {
      acquireTimeoutMillis = v;
      return this;
    }

    public Builder preferNewestSa(boolean v) {
      preferNewestSa = v;
      return this;
    }

    public Builder countPacketsAsAllocations(boolean v) {
      countPacketsAsAllocations = v;
      return this;
    }

    public Builder combLifetimes(long softAdd, long hardAdd, long softUse, long hardUse) {
      combSoftAddtime = softAdd;
      combHardAddtime = hardAdd;
      combSoftUsetime = softUse;
      combHardUsetime = hardUse;
      return this;
    }

    public Builder proposalReplay(int v) {
      proposalReplay = v;
      return this;
    }

    public Builder flowCacheSize(int v) {
      flowCacheSize = v;
      return this;
    }

    public Builder maxPolicies(int v) {
      maxPolicies = v;
      return this;
    }

    public Builder maxSockets(int v) {
      maxSockets = v;
      return this;
    }

    public EngineProfile build() {
      return new EngineProfile(
          name,
          updateRequiresCreator,
          addAcceptsLarval,
          checkDesParity,
          headerErrorsFailSend,
          errorsToSenderOnly,
          larvalTimeoutMillis,
          spiMin,
          spiMax,
          receiveQueueCapacity,
          maxLarvalSas,
          maxPendingAcquires,
          acquireTimeoutMillis,
          preferNewestSa,
          countPacketsAsAllocations,
          combSoftAddtime,
          combHardAddtime,
          combSoftUsetime,
          combHardUsetime,
          proposalReplay,
          flowCacheSize,
          maxPolicies,
          maxSockets);
    }
  }
}
