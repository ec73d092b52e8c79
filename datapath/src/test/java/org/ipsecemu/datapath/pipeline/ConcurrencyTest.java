package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.Packets.counting;
import static org.ipsecemu.datapath.pipeline.Packets.ipv4;
import static org.ipsecemu.datapath.pipeline.Packets.udp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.junit.jupiter.api.Test;

/**
 * Many threads on one SA and on several: sequence numbers, replay windows, counters and lifetime
 * bytes stay exact, and every packet made under contention still verifies.
 */
class ConcurrencyTest {
  static final int THREADS = 4;
  static final String A = "192.0.2.1";
  static final String B = "192.0.2.2";
  static final String KEYS = HeadersAndModesTest.KEYS;

  interface Work {
    void run(int thread, PacketContext ctx) throws Exception;
  }

  static void inParallel(Lab lab, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  work.run(thread, lab.dp.newContext());
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  static long sequenceOf(byte[] b, int off) {
    return ((b[off + 24] & 0xffL) << 24)
        | ((b[off + 25] & 0xff) << 16)
        | ((b[off + 26] & 0xff) << 8)
        | (b[off + 27] & 0xff);
  }

  @Test
  void oneSaSendingFromManyThreadsUsesEverySequenceNumberExactlyOnce() throws Exception {
    int perThread = 2000;
    byte[] plain = ipv4(A, B, 17, udp(1, 2, counting(60)));
    try (Lab lab = new Lab();
        Lab receiver = new Lab()) {
      String config =
          "add "
              + A
              + " "
              + B
              + " esp 0x8001 -m transport "
              + KEYS
              + ";"
              + "spdadd "
              + A
              + " "
              + B
              + " any -P out ipsec esp/transport//require;";
      lab.run(config);
      receiver.run(config);
      byte[][] sent = new byte[THREADS * perThread + 1][];
      inParallel(
          lab,
          (thread, ctx) -> {
            byte[] in = plain.clone();
            for (int i = 0; i < perThread; i++) {
              OutboundVerdict v = lab.dp.outbound(in, 0, in.length, ctx);
              assertThat(v).isEqualTo(OutboundVerdict.OK);
              int seq = (int) sequenceOf(ctx.buffer(), ctx.offset());
              assertThat(sent[seq]).as("sequence %d used twice", seq).isNull();
              sent[seq] = ctx.output();
            }
          });
      int total = THREADS * perThread;
      for (int seq = 1; seq <= total; seq++) {
        assertThat(sent[seq]).as("sequence %d", seq).isNotNull();
        assertThat(receiver.open(sent[seq])).as("packet %d verifies", seq).isEqualTo(plain);
      }
      SecurityAssociation sa = lab.sa(0x8001);
      assertThat(lab.dp.counters(sa).outbound(OutboundVerdict.OK)).isEqualTo(total);
      assertThat(lab.dp.count(OutboundVerdict.OK)).isEqualTo(total);
      assertThat(sa.bytes()).isEqualTo((long) total * (plain.length - 20));
    }
  }

  @Test
  void oneSaReceivingFromManyThreadsAcceptsEverySequenceNumberExactlyOnce() throws Exception {
    int packets = 4096;
    int block = 64; // copies per round: reordering stays far inside the 255-packet window
    try (Lab lab = new Lab()) {
      lab.run(
          "add "
              + A
              + " "
              + B
              + " esp 0x8002 -m transport -r 255 "
              + KEYS
              + ";"
              + "spdadd "
              + A
              + " "
              + B
              + " any -P out ipsec esp/transport//require;");
      byte[][] protectedPackets = new byte[packets][];
      for (int i = 0; i < packets; i++) {
        protectedPackets[i] = lab.protect(ipv4(A, B, 17, udp(1, 2, counting(i % 50))));
      }
      // Every packet twice, the two copies next to each other: one must pass, one be a replay.
      int copies = 2 * packets;
      AtomicIntegerArray accepted = new AtomicIntegerArray(packets);
      CyclicBarrier round = new CyclicBarrier(THREADS);
      inParallel(
          lab,
          (thread, ctx) -> {
            for (int start = 0; start < copies; start += block) {
              for (int c = start + thread; c < start + block; c += THREADS) {
                byte[] p = protectedPackets[c / 2].clone();
                Verdict v = lab.dp.inbound(p, 0, p.length, ctx);
                assertThat(v).isIn(Verdict.OK, Verdict.REPLAY);
                if (v.isOk()) {
                  accepted.incrementAndGet(c / 2);
                }
              }
              round.await(
                  2, java.util.concurrent.TimeUnit.MINUTES); // if one fails, the rest give up
            }
          });
      for (int i = 0; i < packets; i++) {
        assertThat(accepted.get(i)).as("packet %d accepted", i).isEqualTo(1);
      }
      SecurityAssociation sa = lab.sa(0x8002);
      assertThat(lab.dp.counters(sa).inbound(Verdict.OK)).isEqualTo(packets);
      assertThat(lab.dp.counters(sa).inbound(Verdict.REPLAY)).isEqualTo(packets);
      long udpBytes = 0;
      for (int i = 0; i < packets; i++) {
        udpBytes += 8 + i % 50;
      }
      assertThat(sa.bytes()).as("outbound and inbound").isEqualTo(2 * udpBytes);
    }
  }

  @Test
  void severalSasInParallelKeepExactCountsEach() throws Exception {
    int sas = 6;
    int perThread = 1000;
    StringBuilder config = new StringBuilder();
    for (int s = 0; s < sas; s++) {
      String dst = "192.0.2." + (10 + s);
      config.append(
          "add "
              + A
              + " "
              + dst
              + " esp 0x"
              + Integer.toHexString(0x8100 + s)
              + " -m transport -r 64 "
              + KEYS
              + ";");
      config.append("spdadd " + A + " " + dst + " any -P out ipsec esp/transport//require;");
    }
    try (Lab lab = new Lab()) {
      lab.run(config.toString());
      inParallel(
          lab,
          (thread, ctx) -> {
            for (int i = 0; i < perThread; i++) {
              // Each thread walks all SAs, in its own order: every SA is contended.
              int s = (i + thread) % sas;
              byte[] plain = ipv4(A, "192.0.2." + (10 + s), 17, udp(thread, i, counting(s)));
              byte[] in = plain.clone();
              assertThat(lab.dp.outbound(in, 0, in.length, ctx)).isEqualTo(OutboundVerdict.OK);
              byte[] out = ctx.output();
              // Sent at once: ordering across threads stays within the 64-packet window.
              assertThat(lab.dp.inbound(out, 0, out.length, ctx)).isIn(Verdict.OK, Verdict.REPLAY);
              if (ctx.hasOutput()) {
                assertThat(Arrays.equals(ctx.output(), plain)).isTrue();
              }
            }
          });
      long total = 0;
      for (int s = 0; s < sas; s++) {
        SecurityAssociation sa = lab.sa(0x8100 + s);
        long out = lab.dp.counters(sa).outbound(OutboundVerdict.OK);
        long in =
            lab.dp.counters(sa).inbound(Verdict.OK) + lab.dp.counters(sa).inbound(Verdict.REPLAY);
        assertThat(in).as("every packet of SA %d came back once", s).isEqualTo(out);
        total += out;
      }
      assertThat(total).isEqualTo((long) THREADS * perThread);
      assertThat(lab.dp.count(Verdict.OK) + lab.dp.count(Verdict.REPLAY)).isEqualTo(total);
    }
  }
}
