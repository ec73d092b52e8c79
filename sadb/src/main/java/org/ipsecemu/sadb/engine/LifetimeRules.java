package org.ipsecemu.sadb.engine;

/**
 * The arithmetic of RFC 2367 §2.3.2 and §3.1.8 in pure functions, so it can be checked on its own:
 * limits are "inclusive-OR, first-to-expire"; a limit is reached when the usage equals or passes
 * it; HARD takes precedence when HARD and SOFT are reached at once; a SOFT limit above its HARD
 * counterpart therefore never fires (the SA is dead first), which the engine accepts without
 * complaint as §3.1.8 says.
 *
 * <p>Times are in epoch milliseconds here, limits in seconds as on the wire; {@code firstUse} is
 * {@link #NEVER_USED} until the first packet.
 */
public final class LifetimeRules {
  /** The value of {@code firstUse} for an SA that has not processed a packet yet. */
  public static final long NEVER_USED = Long.MIN_VALUE;

  /** The value returned by {@link #nextDeadline} when no time limit applies. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private LifetimeRules() {}

  /**
   * Which lifetime is reached at {@code now}, given the usage so far.
   *
   * @param soft SOFT limits
   * @param hard HARD limits
   * @param allocations allocations so far (CURRENT)
   * @param bytes bytes so far (CURRENT)
   * @param addedAt when the SA was created, epoch ms
   * @param firstUse when the SA was first used, epoch ms, or {@link #NEVER_USED}
   * @param now the time of the check, epoch ms
   */
  public static Expiry evaluate(
      Lifetime soft,
      Lifetime hard,
      long allocations,
      long bytes,
      long addedAt,
      long firstUse,
      long now) {
    if (reached(hard, allocations, bytes, addedAt, firstUse, now)) {
      return Expiry.HARD;
    }
    if (reached(soft, allocations, bytes, addedAt, firstUse, now)) {
      return Expiry.SOFT;
    }
    return Expiry.NONE;
  }

  /** Whether any limit of {@code limits} is reached. */
  public static boolean reached(
      Lifetime limits, long allocations, long bytes, long addedAt, long firstUse, long now) {
    if (limits.allocations() != 0 && allocations >= limits.allocations()) {
      return true;
    }
    if (limits.bytes() != 0 && Long.compareUnsigned(bytes, limits.bytes()) >= 0) {
      return true;
    }
    if (limits.addtime() != 0 && now >= deadline(addedAt, limits.addtime())) {
      return true;
    }
    return limits.usetime() != 0
        && firstUse != NEVER_USED
        && now >= deadline(firstUse, limits.usetime());
  }

  /**
   * The earliest time after which {@link #evaluate} may give a different answer without any further
   * usage: the next addtime or usetime deadline of {@code limits} (usetime only once the SA is
   * used), or {@link #NO_DEADLINE}.
   */
  public static long nextDeadline(Lifetime limits, long addedAt, long firstUse) {
    long d = NO_DEADLINE;
    if (limits.addtime() != 0) {
      d = Math.min(d, deadline(addedAt, limits.addtime()));
    }
    if (limits.usetime() != 0 && firstUse != NEVER_USED) {
      d = Math.min(d, deadline(firstUse, limits.usetime()));
    }
    return d;
  }

  /** {@code start + seconds}, saturating instead of overflowing (addtime is a uint64). */
  static long deadline(long startMillis, long seconds) {
    if (seconds < 0 || seconds > (Long.MAX_VALUE - Math.max(0, startMillis)) / 1000) {
      return NO_DEADLINE;
    }
    return startMillis + seconds * 1000;
  }
}
