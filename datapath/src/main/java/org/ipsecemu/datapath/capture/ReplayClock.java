package org.ipsecemu.datapath.capture;

import org.ipsecemu.sadb.engine.EngineClock;

/**
 * The Key Engine's clock during a replay: the capture's time. The replay sets it from each frame's
 * timestamp (never backwards, as {@link org.ipsecemu.sadb.engine.ManualClock}); a thread that
 * processes a packet sees that packet's own time while it does, so that with several workers every
 * packet reads the clock a one-thread replay would have shown it (its first-use time, the deadline
 * of a packet queued for an SA, the time of an SADB_ACQUIRE it triggers), whatever the other
 * workers are doing.
 */
final class ReplayClock implements EngineClock {
  private static final long NONE = Long.MIN_VALUE;

  private volatile long now;
  private final ThreadLocal<long[]> packetTime = ThreadLocal.withInitial(() -> new long[] {NONE});

  ReplayClock(long epochMillis) {
    this.now = epochMillis;
  }

  @Override
  public long currentTimeMillis() {
    long t = packetTime.get()[0];
    return t != NONE ? t : now;
  }

  /** The shared time, which timers run by. */
  long shared() {
    return now;
  }

  /** Moves the shared time (only the replay's reading thread does, with no packet in flight). */
  void set(long epochMillis) {
    now = epochMillis;
  }

  /** This thread reads {@code epochMillis} until {@link #leave()}. */
  void enter(long epochMillis) {
    packetTime.get()[0] = epochMillis;
  }

  /** This thread reads the shared time again. */
  void leave() {
    packetTime.get()[0] = NONE;
  }
}
