package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The steady state allocates nothing per packet: after a warm-up, a loop of outbound and inbound
 * packets through ESP (AES-CBC, HMAC-SHA1) and AH (HMAC-SHA1), both modes, allocates (close to)
 * nothing on its thread, measured with {@code ThreadMXBean#getCurrentThreadAllocatedBytes}. Not a
 * timing assertion. The transforms are the datapath's default choice (JCE for AES-CBC and for the
 * HMAC's digest). AES-GCM is not here: the JDK's {@code Cipher.init} allocates per packet (see the
 * crypto package).
 */
class AllocationTest {
  static final String A = "192.0.2.1";
  static final String B = "192.0.2.2";

  @ParameterizedTest
  @ValueSource(strings = {"esp/transport", "esp/tunnel", "ah/transport", "ah/tunnel"})
  void steadyStatePacketsAllocateNothing(String kind) throws Exception {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    assumeTrue(
        mx instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
        "no per-thread allocation counter in this JVM");
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
    String proto = kind.substring(0, kind.indexOf('/'));
    boolean tunnel = kind.endsWith("tunnel");
    TransformFactory f = TransformFactory.deterministic(1);
    try (Lab lab = new Lab(b -> b.transforms(f))) {
      String keys = proto.equals("esp") ? HeadersAndModesTest.KEYS : HeadersAndModesTest.AH_KEY;
      String hosts = tunnel ? "10.1.0.1 10.2.0.1" : A + " " + B;
      lab.run(
          "add "
              + A
              + " "
              + B
              + " "
              + proto
              + " 0x9001 -m "
              + (tunnel ? "tunnel" : "transport")
              + " -r 64 "
              + keys
              + ";"
              + "spdadd "
              + hosts
              + " any -P out ipsec "
              + proto
              + "/"
              + (tunnel ? "tunnel/" + A + "-" + B : "transport/")
              + "/require;");
      String[] h = hosts.split(" ");
      byte[] plain = Packets.ipv4(h[0], h[1], 17, Packets.udp(1, 2, Packets.counting(1000)));
      byte[] rx = new byte[2048];
      Datapath dp = lab.dp;
      PacketContext ctx = dp.newContext();
      Runnable packet =
          () -> {
            if (dp.outbound(plain, 0, plain.length, ctx) != OutboundVerdict.OK) {
              throw new AssertionError("outbound");
            }
            int n = ctx.length();
            System.arraycopy(ctx.buffer(), ctx.offset(), rx, 0, n);
            if (dp.inbound(rx, 0, n, ctx) != Verdict.OK) {
              throw new AssertionError("inbound");
            }
          };
      for (int i = 0; i < 20_000; i++) {
        packet.run();
      }
      int packets = 20_000;
      long before = bean.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < packets; i++) {
        packet.run();
      }
      long allocated = bean.getCurrentThreadAllocatedBytes() - before;
      // Far below one object per packet (a 16-byte header): allow the odd JIT or class-init crumb.
      assertThat((double) allocated / packets).as("bytes per packet (out and in)").isLessThan(1.0);
    }
  }
}
