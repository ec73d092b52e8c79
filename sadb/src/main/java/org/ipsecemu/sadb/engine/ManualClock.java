package org.ipsecemu.sadb.engine;

import java.time.Duration;

/**
 * A clock that moves only when told to: tests step it, pcap replay sets it from capture timestamps.
 * Time never goes backwards; setting an earlier time is ignored, as a replayed capture with
 * reordered timestamps must not un-expire an SA. Thread-safe.
 */
public final class ManualClock implements EngineClock {
  private volatile long now;

  /** A clock starting at {@code epochMillis}. */
  public ManualClock(long epochMillis) {
    this.now = epochMillis;
  }

  /** A clock starting at an arbitrary fixed date (2000-01-01T00:00:00Z), for tests. */
  public ManualClock() {
    this(946_684_800_000L);
  }

  @Override
  public long currentTimeMillis() {
    return now;
  }

  /** Moves the clock to {@code epochMillis} if that is later than now; returns the new time. */
  public synchronized long advanceTo(long epochMillis) {
    if (epochMillis > now) {
      now = epochMillis;
    }
    return now;
  }

  /** Moves the clock forward by {@code d} (negative durations are ignored). */
  public long advance(Duration d) {
    return advanceTo(now + Math.max(0, d.toMillis()));
  }

  /** Moves the clock forward by whole seconds. */
  public long advanceSeconds(long seconds) {
    return advance(Duration.ofSeconds(seconds));
  }

  @Override
  public String toString() {
    return "ManualClock[" + java.time.Instant.ofEpochMilli(now) + "]";
  }
}
