package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
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
}
