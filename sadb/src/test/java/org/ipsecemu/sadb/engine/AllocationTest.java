package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyType;
import org.junit.jupiter.api.Test;

/**
 * The datapath's calls allocate nothing in steady state: {@code getassocbyspi} on hits and misses,
 * {@code getassocbysocket} for a flow whose SA exists, {@code charge}, the inbound check. Measured
 * with the JVM's per-thread allocation counter (HotSpot), after warming up so the JIT has compiled
 * the code; no timing is involved.
 */
class AllocationTest {
  private static final int WARMUP = 300_000;
  private static final int MEASURED = 100_000;

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private interface Op {
    long run(int i);
  }

  private static long bytesPerOp(Op op) {
    long sink = 0;
    for (int i = 0; i < WARMUP; i++) {
      sink += op.run(i);
    }
    long before = allocated();
    for (int i = 0; i < MEASURED; i++) {
      sink += op.run(i);
    }
    long after = allocated();
    assertThat(sink).isNotEqualTo(Long.MIN_VALUE);
    return (after - before) / MEASURED;
  }

  @Test
  void hotPathCallsAllocateNothing() {
    assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "needs HotSpot's per-thread allocation counter");
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
    PfKeySocket s = engine.open(Credentials.root(1));
    s.call(
        Pf.spdadd(
            Pf.A,
            32,
            0,
            Pf.B,
            32,
            0,
            255,
            PolicyDirection.IPSEC_DIR_OUTBOUND,
            PolicyType.IPSEC_POLICY_IPSEC,
            Pf.transport(50, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0)));
    s.call(
        Pf.spdadd(
            Pf.B,
            32,
            0,
            Pf.A,
            32,
            0,
            255,
            PolicyDirection.IPSEC_DIR_INBOUND,
            PolicyType.IPSEC_POLICY_IPSEC,
            Pf.transport(50, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0)));
    for (int i = 0; i < 64; i++) {
      s.call(Pf.addEsp(0x1000 + i, i, 1));
    }
    s.drain();
    byte[] packet = new byte[40];
    System.arraycopy(Pf.ip(Pf.B).getAddress(), 0, packet, 16, 4);
    assertThat(bytesPerOp(i -> engine.getassocbyspi(packet, 16, 4, 0x1000 + (i & 63), 50).spi()))
        .isZero();
    assertThat(
            bytesPerOp(
                i -> engine.getassocbyspi(packet, 16, 4, 0x9000 + (i & 63), 50) == null ? 1 : 0))
        .isZero();
    Flow flow = Flow.of(Pf.ip(Pf.A), Pf.ip(Pf.B), 6, 1000, 80);
    SecurityAssociation sa = engine.getassocbysocket(flow).sa(0);
    assertThat(bytesPerOp(i -> engine.getassocbysocket(flow).size())).isZero();
    assertThat(bytesPerOp(i -> sa.charge(100) ? 1 : 0)).isZero();
    Flow in = Flow.of(Pf.ip(Pf.B), Pf.ip(Pf.A), 6, 80, 1000);
    s.call(Pf.addEsp(0x5000, 1, 1).with(Pf.src(Pf.B)).with(Pf.dst(Pf.A)));
    SecurityAssociation[] used = {engine.getassocbyspi(Pf.ip(Pf.A), 0x5000, 50)};
    assertThat(bytesPerOp(i -> engine.inboundAllowed(in, used, 1) ? 1 : 0)).isZero();
  }
}
