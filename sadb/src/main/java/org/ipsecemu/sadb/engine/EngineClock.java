package org.ipsecemu.sadb.engine;

/**
 * The Key Engine's source of time, in milliseconds since the epoch: real time by default, a {@link
 * ManualClock} for tests, pcap replay (driven by capture timestamps) and {@code serve --clock
 * manual}.
 *
 * <p>The engine never waits on a clock; it reads it when a message arrives, when a packet is
 * charged and when {@link KeyEngine#tick()} runs the timers that are due.
 */
@FunctionalInterface
public interface EngineClock {
  /** Milliseconds since 1970-01-01T00:00:00Z. */
  long currentTimeMillis();

  /** Seconds since the epoch, as PF_KEY's {@code sadb_lifetime_addtime/usetime} carry them. */
  default long currentTimeSeconds() {
    return Math.floorDiv(currentTimeMillis(), 1000L);
  }

  /** The system's wall clock. */
  static EngineClock system() {
    return System::currentTimeMillis;
  }
}
