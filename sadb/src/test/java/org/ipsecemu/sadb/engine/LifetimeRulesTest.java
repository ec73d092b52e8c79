package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LifetimeRulesTest {
  private static final long T0 = 1_000_000_000_000L;

  @Test
  void noLimitsNeverExpire() {
    assertThat(
            LifetimeRules.evaluate(
                Lifetime.NONE, Lifetime.NONE, 1 << 30, Long.MAX_VALUE, T0, T0, Long.MAX_VALUE))
        .isEqualTo(Expiry.NONE);
  }

  @Test
  void softAddtimeIsReachedExactlyAtItsSecond() {
    Lifetime soft = new Lifetime(0, 0, 10, 0);
    assertThat(evaluateAt(soft, Lifetime.NONE, T0 + 9_999)).isEqualTo(Expiry.NONE);
    assertThat(evaluateAt(soft, Lifetime.NONE, T0 + 10_000)).isEqualTo(Expiry.SOFT);
  }

  @Test
  void usetimeCountsOnlyAfterFirstUse() {
    Lifetime hard = new Lifetime(0, 0, 0, 5);
    assertThat(
            LifetimeRules.evaluate(
                Lifetime.NONE, hard, 0, 0, T0, LifetimeRules.NEVER_USED, T0 + 1_000_000))
        .isEqualTo(Expiry.NONE);
    assertThat(LifetimeRules.evaluate(Lifetime.NONE, hard, 0, 1, T0, T0 + 1000, T0 + 6000))
        .isEqualTo(Expiry.HARD);
    assertThat(LifetimeRules.nextDeadline(hard, T0, T0 + 1000)).isEqualTo(T0 + 6000);
    assertThat(LifetimeRules.nextDeadline(hard, T0, LifetimeRules.NEVER_USED))
        .isEqualTo(LifetimeRules.NO_DEADLINE);
  }

  @Test
  void hardWinsWhenBothAreReachedTogether() {
    Lifetime same = new Lifetime(0, 100, 0, 0);
    assertThat(LifetimeRules.evaluate(same, same, 0, 100, T0, T0, T0)).isEqualTo(Expiry.HARD);
  }

  @Test
  void softAboveHardNeverFires() {
    // RFC 2367 §3.1.8: a HARD lifetime shorter than the SOFT one means the SOFT never expires.
    Lifetime soft = new Lifetime(0, 0, 100, 0);
    Lifetime hard = new Lifetime(0, 0, 50, 0);
    for (long s = 0; s <= 200; s++) {
      assertThat(
              LifetimeRules.evaluate(soft, hard, 0, 0, T0, LifetimeRules.NEVER_USED, T0 + s * 1000))
          .isNotEqualTo(Expiry.SOFT);
    }
  }

  @Test
  void byteLimitsCompareUnsigned() {
    // sadb_lifetime_bytes is a uint64: 2^64-1 is a very large limit, not -1.
    Lifetime hard = new Lifetime(0, -1L, 0, 0);
    assertThat(LifetimeRules.evaluate(Lifetime.NONE, hard, 0, Long.MAX_VALUE, T0, T0, T0))
        .isEqualTo(Expiry.NONE);
  }

  @Test
  void hugeAddtimeSaturatesInsteadOfOverflowing() {
    Lifetime soft = new Lifetime(0, 0, Long.MAX_VALUE, 0);
    assertThat(LifetimeRules.nextDeadline(soft, T0, LifetimeRules.NEVER_USED))
        .isEqualTo(LifetimeRules.NO_DEADLINE);
    assertThat(evaluateAt(soft, Lifetime.NONE, Long.MAX_VALUE - 1)).isEqualTo(Expiry.NONE);
  }

  private static Expiry evaluateAt(Lifetime soft, Lifetime hard, long now) {
    return LifetimeRules.evaluate(soft, hard, 0, 0, T0, LifetimeRules.NEVER_USED, now);
  }

  /** First limit wins: the expiry at any time is the one whose limit was reached first. */
  @Property
  void firstLimitToBeReachedWinsAndHardWinsTies(
      @ForAll("limits") Lifetime soft,
      @ForAll("limits") Lifetime hard,
      @ForAll @LongRange(min = 0, max = 200) long seconds,
      @ForAll @LongRange(min = 0, max = 5000) long bytes,
      @ForAll @LongRange(min = 0, max = 20) long allocations) {
    long now = T0 + seconds * 1000;
    long firstUse = T0 + 1000;
    Expiry e = LifetimeRules.evaluate(soft, hard, allocations, bytes, T0, firstUse, now);
    boolean hardReached = LifetimeRules.reached(hard, allocations, bytes, T0, firstUse, now);
    boolean softReached = LifetimeRules.reached(soft, allocations, bytes, T0, firstUse, now);
    if (hardReached) {
      assertThat(e).isEqualTo(Expiry.HARD);
    } else if (softReached) {
      assertThat(e).isEqualTo(Expiry.SOFT);
    } else {
      assertThat(e).isEqualTo(Expiry.NONE);
    }
    // Monotonic: once reached, a limit stays reached as time and usage grow.
    Expiry later =
        LifetimeRules.evaluate(soft, hard, allocations + 1, bytes + 1, T0, firstUse, now + 1000);
    assertThat(later.ordinal()).isGreaterThanOrEqualTo(e.ordinal());
    // Nothing changes before the next deadline without more usage.
    long next =
        Math.min(
            LifetimeRules.nextDeadline(soft, T0, firstUse),
            LifetimeRules.nextDeadline(hard, T0, firstUse));
    if (next > now && next != LifetimeRules.NO_DEADLINE) {
      assertThat(LifetimeRules.evaluate(soft, hard, allocations, bytes, T0, firstUse, next - 1))
          .isEqualTo(e);
    }
  }

  /** A limit given in one quantity is reached exactly when that quantity gets to it. */
  @Property
  void eachQuantityExpiresAtItsOwnLimit(
      @ForAll @LongRange(min = 1, max = 1000) long limit,
      @ForAll @LongRange(min = 0, max = 2000) long used) {
    Lifetime bytesHard = new Lifetime(0, limit, 0, 0);
    Lifetime allocHard = new Lifetime(limit, 0, 0, 0);
    Expiry expected = used >= limit ? Expiry.HARD : Expiry.NONE;
    assertThat(LifetimeRules.evaluate(Lifetime.NONE, bytesHard, 0, used, T0, T0, T0))
        .isEqualTo(expected);
    assertThat(LifetimeRules.evaluate(Lifetime.NONE, allocHard, used, 0, T0, T0, T0))
        .isEqualTo(expected);
  }

  @Provide
  Arbitrary<Lifetime> limits() {
    Arbitrary<Long> small = Arbitraries.longs().between(0, 100);
    Arbitrary<Long> sizes = Arbitraries.longs().between(0, 4000);
    return Combinators.combine(Arbitraries.longs().between(0, 15), sizes, small, small)
        .as(Lifetime::new);
  }
}
