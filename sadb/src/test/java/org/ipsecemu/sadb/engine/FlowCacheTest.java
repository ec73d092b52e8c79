package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ipsecemu.sadb.spd.Flow;
import org.junit.jupiter.api.Test;

class FlowCacheTest {

  /** Flows that differ in one field only (a port, an address byte) must spread over the slots. */
  @Test
  void flowsDifferingInOneFieldLandInDifferentSlots() {
    int slots = 4096;
    Set<Integer> byPort = new HashSet<>();
    Set<Integer> byAddress = new HashSet<>();
    Set<Integer> byProtocol = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      Flow f = Flow.of(Pf.ip("10.0.0.1"), Pf.ip("10.0.0.2"), 6, 1000 + i, 80);
      byPort.add(FlowCache.hash(f) & (slots - 1));
      Flow g = Flow.of(Pf.ip("10.0." + (i >> 8) + "." + (i & 255)), Pf.ip("10.0.0.2"), 6, 1, 80);
      byAddress.add(FlowCache.hash(g) & (slots - 1));
    }
    for (int p = 0; p < 256; p++) {
      byProtocol.add(
          FlowCache.hash(Flow.of(Pf.ip("10.0.0.1"), Pf.ip("10.0.0.2"), p, 0, 0)) & (slots - 1));
    }
    // 1000 random values in 4096 slots occupy about 890 of them; a weak hash gives far fewer.
    assertThat(byPort).hasSizeGreaterThan(850);
    assertThat(byAddress).hasSizeGreaterThan(850);
    assertThat(byProtocol).hasSizeGreaterThan(230);
  }

  @Test
  void equalFlowsHashAlikeWhateverTheirHistory() {
    Flow a = Flow.of(Pf.ip("2001:db8::1"), Pf.ip("2001:db8::2"), 17, 53, 53);
    Flow b = Flow.of(Pf.ip("10.0.0.1"), Pf.ip("10.0.0.2"), 17, 53, 53);
    byte[] pkt = new byte[8];
    System.arraycopy(Pf.ip("10.0.0.1").getAddress(), 0, pkt, 0, 4);
    System.arraycopy(Pf.ip("10.0.0.2").getAddress(), 0, pkt, 4, 4);
    a.set4(pkt, 0, 4, 17, 53, 53);
    assertThat(FlowCache.hash(a)).isEqualTo(FlowCache.hash(b));
  }

  private static Flow flow(int i) {
    return Flow.of(Pf.ip("10.1.0.1"), Pf.ip("10.2." + (i >> 8 & 255) + "." + (i & 255)), 17, i, 53);
  }

  private static OutboundResult answer() {
    return new OutboundResult(OutboundResult.Kind.BYPASS, null, new SecurityAssociation[0], 0, 0);
  }

  private static FlowCache.Entry entry(Flow f, long generation, OutboundResult r) {
    return new FlowCache.Entry(f.copy(), FlowCache.hash(f), generation, r);
  }

  @Test
  void flowsWhoseHashesShareASlotAreBothCached() {
    int slots = 64;
    FlowCache cache = new FlowCache(slots);
    Flow first = flow(0);
    Flow second = null;
    for (int i = 1; second == null; i++) {
      if ((FlowCache.hash(flow(i)) & (slots - 1)) == (FlowCache.hash(first) & (slots - 1))) {
        second = flow(i);
      }
    }
    OutboundResult a = answer();
    OutboundResult b = answer();
    cache.put(entry(first, 1, a));
    cache.put(entry(second, 1, b));
    for (int round = 0; round < 3; round++) {
      assertThat(cache.get(first, FlowCache.hash(first), 1)).isSameAs(a);
      assertThat(cache.get(second, FlowCache.hash(second), 1)).isSameAs(b);
    }
  }

  @Test
  void halfTheSlotsWorthOfFlowsStayCached() {
    FlowCache cache = new FlowCache(4096);
    List<OutboundResult> answers = new ArrayList<>();
    for (int i = 0; i < 2048; i++) {
      answers.add(answer());
      cache.put(entry(flow(i), 7, answers.get(i)));
    }
    for (int i = 0; i < 2048; i++) {
      Flow f = flow(i);
      assertThat(cache.get(f, FlowCache.hash(f), 7)).as("flow %d", i).isSameAs(answers.get(i));
    }
  }

  @Test
  void anOverfullCacheForgetsButNeverGivesAnotherFlowsAnswer() {
    FlowCache cache = new FlowCache(256);
    List<OutboundResult> answers = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      answers.add(answer());
      cache.put(entry(flow(i), 1, answers.get(i)));
      Flow f = flow(i);
      assertThat(cache.get(f, FlowCache.hash(f), 1)).isSameAs(answers.get(i));
    }
    int found = 0;
    for (int i = 0; i < 5000; i++) {
      Flow f = flow(i);
      OutboundResult r = cache.get(f, FlowCache.hash(f), 1);
      if (r != null) {
        assertThat(r).as("flow %d", i).isSameAs(answers.get(i));
        found++;
      }
    }
    assertThat(found).isBetween(1, 192);
  }

  @Test
  void aStaleEntryIsNoAnswerButStaysAsThePreviousOneUntilReplaced() {
    FlowCache cache = new FlowCache(64);
    Flow f = flow(1);
    int h = FlowCache.hash(f);
    OutboundResult old = answer();
    cache.put(entry(f, 1, old));
    assertThat(cache.get(f, h, 2)).isNull();
    assertThat(cache.previous(f, h).result).isSameAs(old);
    OutboundResult fresh = answer();
    cache.put(entry(f, 2, fresh));
    assertThat(cache.get(f, h, 2)).isSameAs(fresh);
    assertThat(cache.previous(f, h).generation).isEqualTo(2);
  }

  @Test
  void aRebuildKeepsTheCurrentGenerationAndDropsStaleEntries() {
    FlowCache cache = new FlowCache(64);
    for (int i = 0; i < 40; i++) {
      cache.put(entry(flow(i), 1, answer()));
    }
    List<OutboundResult> current = new ArrayList<>();
    for (int i = 100; i < 130; i++) {
      current.add(answer());
      cache.put(entry(flow(i), 2, current.get(i - 100))); // the 49th entry rebuilds
    }
    for (int i = 100; i < 130; i++) {
      Flow f = flow(i);
      assertThat(cache.get(f, FlowCache.hash(f), 2)).isSameAs(current.get(i - 100));
    }
    assertThat(cache.previous(flow(0), FlowCache.hash(flow(0)))).isNull();
  }
}
