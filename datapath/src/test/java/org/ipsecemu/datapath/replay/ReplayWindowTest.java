package org.ipsecemu.datapath.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplayWindowTest {
  private static final long TWO_32 = 1L << 32;

  @Test
  void acceptsInOrderPacketsOnceEach() {
    ReplayWindow w = new ReplayWindow(64);
    for (long s = 1; s <= 200; s++) {
      assertThat(w.check(s)).isEqualTo(ReplayCheck.ACCEPT);
      assertThat(w.update(s)).isEqualTo(ReplayCheck.ACCEPT);
      assertThat(w.check(s)).isEqualTo(ReplayCheck.DUPLICATE);
    }
    assertThat(w.highest()).isEqualTo(200);
  }

  @Test
  void acceptsOutOfOrderPacketsWithinTheWindow() {
    ReplayWindow w = new ReplayWindow(64);
    w.update(100);
    assertThat(w.update(37)).as("left edge: 100 - 63").isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.update(36)).as("one past the left edge").isEqualTo(ReplayCheck.TOO_OLD);
    assertThat(w.update(99)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.update(99)).isEqualTo(ReplayCheck.DUPLICATE);
    assertThat(w.update(37)).isEqualTo(ReplayCheck.DUPLICATE);
    assertThat(w.update(100)).isEqualTo(ReplayCheck.DUPLICATE);
    assertThat(w.highest()).isEqualTo(100);
  }

  @Test
  void checkChangesNothingSoForgedPacketsNeverMoveTheWindow() {
    ReplayWindow w = new ReplayWindow(32);
    w.update(10);
    // A forged packet far ahead passes the early check, fails its ICV, and is never updated.
    assertThat(w.check(1_000_000)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.highest()).isEqualTo(10);
    assertThat(w.check(9)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.update(9)).isEqualTo(ReplayCheck.ACCEPT);
  }

  @Test
  void updateRechecksAndIgnoresADuplicateThatPassedCheck() {
    ReplayWindow w = new ReplayWindow(32);
    assertThat(w.check(5)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.check(5)).isEqualTo(ReplayCheck.ACCEPT); // the same packet twice in a batch
    assertThat(w.update(5)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.update(5)).isEqualTo(ReplayCheck.DUPLICATE);
  }

  @Test
  void rejectsSequenceNumberZero() {
    ReplayWindow w = new ReplayWindow(64);
    assertThat(w.check(0)).isEqualTo(ReplayCheck.ZERO);
    assertThat(w.update(0)).isEqualTo(ReplayCheck.ZERO);
    assertThat(w.highest()).isZero();
  }

  @Test
  void sizeZeroDisablesTheCheckButTracksTheHighest() {
    ReplayWindow w = new ReplayWindow(0);
    assertThat(w.isEnabled()).isFalse();
    for (long s : new long[] {5, 5, 1, 0, 9, 3}) {
      assertThat(w.update(s)).isEqualTo(ReplayCheck.ACCEPT);
    }
    assertThat(w.highest()).isEqualTo(9);
    assertThat(w.snapshot().toString()).isEqualTo("replay window disabled right=9");
  }

  @Test
  void sizeOneAcceptsOnlyNewHighs() {
    ReplayWindow w = new ReplayWindow(1);
    assertThat(w.update(3)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.update(3)).isEqualTo(ReplayCheck.DUPLICATE);
    assertThat(w.update(2)).isEqualTo(ReplayCheck.TOO_OLD);
    assertThat(w.update(4)).isEqualTo(ReplayCheck.ACCEPT);
  }

  @ParameterizedTest(name = "window {0}")
  @ValueSource(ints = {1, 32, 63, 64, 65, 1024, 4096})
  void fillsTheWholeWindowInReverseOrder(int size) {
    ReplayWindow w = new ReplayWindow(size);
    long top = 10L * size + 7;
    for (long s = top; s > top - size; s--) {
      assertThat(w.update(s)).as("seq %d", s).isEqualTo(ReplayCheck.ACCEPT);
    }
    assertThat(w.check(top - size)).isEqualTo(ReplayCheck.TOO_OLD);
    for (long s = top; s > top - size; s--) {
      assertThat(w.check(s)).as("seq %d", s).isEqualTo(ReplayCheck.DUPLICATE);
    }
    assertThat(w.snapshot().received()).isEqualTo(size);
  }

  @ParameterizedTest(name = "window {0}")
  @ValueSource(ints = {1, 32, 64, 1024, 4096})
  void forgetsEverythingAfterAJumpFarAhead(int size) {
    ReplayWindow w = new ReplayWindow(size);
    for (long s = 1; s <= 3L * size; s++) {
      w.update(s);
    }
    long far = 1_000_000_007L;
    assertThat(w.update(far)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.check(3L * size)).isEqualTo(ReplayCheck.TOO_OLD);
    for (long s = far - size + 1; s < far; s++) {
      assertThat(w.check(s)).as("seq %d: no stale mark", s).isEqualTo(ReplayCheck.ACCEPT);
    }
  }

  @Test
  void leavesNoStaleMarkWhenTheRingComesRoundExactly() {
    // Window 64 uses a ring of 2 words (128 bits): 5 and 5 + 128 share a bit.
    ReplayWindow w = new ReplayWindow(64);
    w.update(5);
    w.update(5 + 128);
    for (long s = 5 + 128 - 63; s < 5 + 128; s++) {
      assertThat(w.check(s)).as("seq %d", s).isEqualTo(ReplayCheck.ACCEPT);
    }
    w.update(5 + 256 + 64);
    assertThat(w.check(5 + 256 + 1)).isEqualTo(ReplayCheck.ACCEPT);
  }

  @Test
  void slidesAcrossTheTwoToThe32Boundary() {
    ReplayWindow w = new ReplayWindow(1024);
    for (long s = TWO_32 - 600; s <= TWO_32 + 600; s += 3) {
      assertThat(w.update(s)).isEqualTo(ReplayCheck.ACCEPT);
    }
    assertThat(w.highest()).isEqualTo(TWO_32 + 600);
    // Received numbers are those = 1 mod 3 (2^32 = 1 mod 3).
    assertThat(w.check(TWO_32 + 600 - 1023)).as("left edge").isEqualTo(ReplayCheck.DUPLICATE);
    assertThat(w.check(TWO_32 + 600 - 1022)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.check(TWO_32 + 600 - 1024)).isEqualTo(ReplayCheck.TOO_OLD);
    assertThat(w.check(TWO_32 - 3)).isEqualTo(ReplayCheck.DUPLICATE);
    assertThat(w.check(TWO_32 - 1)).isEqualTo(ReplayCheck.ACCEPT);
  }

  @Test
  void treatsSequenceNumbersAsUnsigned64Bit() {
    ReplayWindow w = new ReplayWindow(64);
    long nearTop = 0xffff_ffff_ffff_fff0L; // negative as a Java long
    assertThat(w.update(nearTop)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.update(-1L)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.check(5)).isEqualTo(ReplayCheck.TOO_OLD);
    assertThat(w.check(nearTop + 1)).isEqualTo(ReplayCheck.ACCEPT);
    assertThat(w.snapshot().toString())
        .isEqualTo(
            "replay window size=64 left=18446744073709551552 right=18446744073709551615"
                + " received=2 recent=1000000000000001000000000000000000000000000000000000000000000000");
  }

  @Test
  void snapshotShowsTheNewestMarksRightEdgeFirst() {
    ReplayWindow w = new ReplayWindow(8);
    assertThat(w.snapshot().toString())
        .isEqualTo("replay window size=8 left=0 right=0 received=0 recent=-");
    for (long s : new long[] {1, 2, 4, 7}) {
      w.update(s);
    }
    assertThat(w.snapshot()).isEqualTo(new ReplayWindow.Snapshot(8, 1, 7, 4, "1001011"));
    w.update(12);
    assertThat(w.toString())
        .isEqualTo("replay window size=8 left=5 right=12 received=2 recent=10000100");
  }

  @Test
  void rejectsSizesOutOfRange() {
    assertThat(ReplayWindow.isValidSize(-1)).isFalse();
    assertThat(ReplayWindow.isValidSize(ReplayWindow.MAX_SIZE + 1)).isFalse();
    assertThatThrownBy(() -> new ReplayWindow(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size=-1");
    assertThat(new ReplayWindow(ReplayWindow.MAX_SIZE).size()).isEqualTo(ReplayWindow.MAX_SIZE);
  }

  // ---- ESN: RFC 4303 Appendix A3 ----

  @ParameterizedTest(name = "T={0}:{1} W={2} Seql={3} -> Seqh={4}")
  @CsvSource({
    // Case A, Tl >= W - 1: window inside one subspace; bottom = Tl - W + 1 = 937
    "1, 1000, 64, 937, 1",
    "1, 1000, 64, 936, 2", // below the window: taken as the next subspace
    "1, 1000, 64, 2000, 1", // ahead in the same subspace
    "1, 1000, 64, 4294967295, 1",
    "1, 63, 64, 0, 1", // Tl = W - 1 exactly: bottom 0, everything in this subspace
    // Case B, Tl < W - 1: window spans two subspaces; bottom = Tl - W + 1 mod 2^32
    "1, 10, 64, 4294967243, 0", // bottom = 2^32 - 53: in the window, previous subspace
    "1, 10, 64, 4294967242, 1", // one below the bottom: ahead in this subspace
    "1, 10, 64, 5, 1",
    "1, 10, 64, 100, 1",
    "1, 62, 64, 4294967295, 0", // Tl = W - 2: bottom 2^32 - 1
    "1, 0, 1024, 4294966273, 0" // window 1024 right after a wrap: bottom 2^32 - 1023
  })
  void infersTheHighBitsAsAppendixA3(long th, long tl, long w, long seql, long seqh) {
    long inferred = ReplayWindow.inferSequence((th << 32) | tl, w, (int) seql);
    assertThat(inferred >>> 32).isEqualTo(seqh);
    assertThat(inferred & 0xffff_ffffL).isEqualTo(seql);
  }

  @Test
  void keepsTheHighBitsModuloTwoToThe32AtTheEdges() {
    // Case B with Th = 0: no subspace before the first; the ICV refuses what this yields.
    assertThat(ReplayWindow.inferSequence(10, 64, -1) >>> 32).isEqualTo(0xffff_ffffL);
    // Case A with Th = 2^32 - 1 and Seql below the window wraps to 0.
    assertThat(ReplayWindow.inferSequence(-1L, 64, 5) >>> 32).isZero();
  }

  @Test
  void instanceInferenceUsesTheWindowAndHalfTheSpaceWhenDisabled() {
    ReplayWindow w = new ReplayWindow(64);
    w.update(TWO_32 + 10);
    assertThat(w.inferSequence(-3)).isEqualTo(TWO_32 - 3);
    assertThat(w.inferSequence(11)).isEqualTo(TWO_32 + 11);
    ReplayWindow off = new ReplayWindow(0);
    off.update(TWO_32 + 10);
    assertThat(off.inferSequence(-3)).isEqualTo(TWO_32 - 3);
    assertThat(off.inferSequence(0x7fff_ffff)).isEqualTo(TWO_32 + 0x7fff_ffffL);
    assertThat(off.inferSequence(0x8000_0010)).as("more than half behind").isEqualTo(0x8000_0010L);
  }

  @Property
  void inferenceRecoversEveryNumberInTheAppendixA3Range(
      @ForAll @LongRange(min = 1, max = 1L << 40) long highest,
      @ForAll @IntRange(min = 1, max = 4096) int window,
      @ForAll @LongRange(min = 0, max = (1L << 32) - 1) long offset) {
    // A3 places a received number in [T - W + 1, T - W + 2^32].
    long s = highest - window + 1 + offset;
    if (s < 1) {
      return;
    }
    assertThat(ReplayWindow.inferSequence(highest, window, (int) s)).isEqualTo(s);
  }

  // ---- Model-based: against a set of received numbers ----

  /** The reference: every number received, and the highest. */
  private static final class Model {
    final int size;
    final Set<Long> received = new HashSet<>();
    long highest;

    Model(int size) {
      this.size = size;
    }

    ReplayCheck check(long s) {
      if (size == 0) {
        return ReplayCheck.ACCEPT;
      }
      if (s == 0) {
        return ReplayCheck.ZERO;
      }
      if (s > highest) {
        return ReplayCheck.ACCEPT;
      }
      if (highest - s >= size) {
        return ReplayCheck.TOO_OLD;
      }
      return received.contains(s) ? ReplayCheck.DUPLICATE : ReplayCheck.ACCEPT;
    }

    ReplayCheck update(long s) {
      ReplayCheck r = check(s);
      if (r == ReplayCheck.ACCEPT) {
        received.add(s);
        highest = Math.max(highest, s);
      }
      return r;
    }
  }

  /** One received packet: a sequence number and whether its ICV verifies. */
  record Packet(long sequence, boolean verifies) {}

  @Provide
  Arbitrary<List<Long>> steps() {
    // Mostly small moves around the right edge, sometimes a jump of several ring turns.
    Arbitrary<Long> near = Arbitraries.longs().between(-300, 300);
    Arbitrary<Long> jump = Arbitraries.longs().between(300, 20_000);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(12, near), net.jqwik.api.Tuple.of(1, jump))
        .list()
        .ofMaxSize(400);
  }

  @Property(tries = 300)
  void behavesAsTheSetModel(
      @ForAll("steps") List<Long> steps,
      @ForAll("sizes") int size,
      @ForAll @LongRange(min = 0, max = 1L << 33) long start,
      @ForAll("verdicts") List<Boolean> verifies) {
    ReplayWindow window = new ReplayWindow(size);
    Model model = new Model(size);
    long cursor = start;
    for (int i = 0; i < steps.size(); i++) {
      cursor = Math.max(0, cursor + steps.get(i));
      long s = cursor;
      assertThat(window.check(s)).as("check %d at step %d", s, i).isEqualTo(model.check(s));
      boolean icvOk = verifies.isEmpty() || verifies.get(i % verifies.size());
      if (icvOk) {
        assertThat(window.update(s)).as("update %d at step %d", s, i).isEqualTo(model.update(s));
      }
      assertThat(window.highest()).isEqualTo(model.highest);
    }
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.of(0, 1, 2, 31, 32, 33, 63, 64, 65, 100, 128, 1024, 4096);
  }

  @Provide
  Arbitrary<List<Boolean>> verdicts() {
    return Combinators.combine(Arbitraries.integers().between(1, 10), Arbitraries.integers())
        .as((n, seed) -> new java.util.Random(seed).ints(n, 0, 10).mapToObj(v -> v < 8).toList());
  }
}
