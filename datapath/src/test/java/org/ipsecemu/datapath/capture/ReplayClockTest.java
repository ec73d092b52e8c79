package org.ipsecemu.datapath.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The replay's clock: the shared capture time, and each processing thread's packet time. */
class ReplayClockTest {
  @Test
  void aThreadProcessingAPacketReadsThatPacketsTimeAndOthersTheSharedTime() throws Exception {
    ReplayClock clock = new ReplayClock(1_000);
    clock.set(5_000);
    clock.enter(7_000);
    assertThat(clock.currentTimeMillis()).isEqualTo(7_000);
    assertThat(clock.currentTimeSeconds()).isEqualTo(7);
    AtomicLong seenElsewhere = new AtomicLong();
    Thread other = new Thread(() -> seenElsewhere.set(clock.currentTimeMillis()));
    other.start();
    other.join();
    assertThat(seenElsewhere.get()).isEqualTo(5_000);
    clock.leave();
    assertThat(clock.currentTimeMillis()).isEqualTo(5_000);
    assertThat(clock.shared()).isEqualTo(5_000);
  }
}
