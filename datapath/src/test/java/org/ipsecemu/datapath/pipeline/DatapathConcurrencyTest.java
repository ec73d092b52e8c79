package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.setkey.SetkeyStatement;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads on one SA through the whole datapath: lifetime byte and packet counts are exact,
 * sequence numbers unique, each SADB_EXPIRE sent once, and a HARD byte limit admits exactly the
 * packets that fit. (The Key Engine's own {@code charge} is tested the same way in {@code
 * LifetimeExpiryTest}; this is the same promise seen from the packets.) No timing, no sleeps.
 */
class DatapathConcurrencyTest {
  private static final int THREADS = 8;
  private static final int PER_THREAD = 1500;
  private static final int N = THREADS * PER_THREAD;

  /** Bytes a UDP packet of 20 payload bytes charges in transport mode: everything after IP. */
  private static final int CHARGE = 28;

  private final KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).seed(1).build();
  private final PfKeySocket km = engine.open(Credentials.root(1));
  private Datapath datapath;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void close() {
    pool.shutdownNow();
    if (datapath != null) {
      datapath.close();
    }
    engine.close();
  }

  private void setkey(String text) {
    for (SetkeyStatement s : new SetkeyParser("test").parse(text)) {
      for (SadbMessage m : s.messages()) {
        assertThat(km.call(m).errno()).isZero();
      }
    }
    km.drain();
    datapath = Datapath.builder(engine).transforms(TransformFactory.deterministic(1)).build();
  }

  private static String sa(String lifetimes) {
    return "add 192.0.2.1 192.0.2.2 esp 0x100 -m transport "
        + lifetimes
        + " -E aes-cbc 0x"
        + Peer.HEX.formatHex(Peer.CBC_KEY)
        + " -A hmac-sha1 0x"
        + Peer.HEX.formatHex(Peer.SHA1_KEY)
        + ";\n";
  }

  private List<SadbMessage> expires() {
    List<SadbMessage> out = new ArrayList<>();
    for (SadbMessage m : km.drain()) {
      if (m.type() == MessageType.SADB_EXPIRE) {
        out.add(m);
      }
    }
    return out;
  }

  private <T> List<T> inParallel(java.util.function.IntFunction<T> work) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> fs = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      fs.add(
          pool.submit(
              () -> {
                start.await();
                return work.apply(id);
              }));
    }
    start.countDown();
    List<T> out = new ArrayList<>();
    for (Future<T> f : fs) {
      out.add(f.get());
    }
    return out;
  }

  @Test
  void threadsSendingOnOneSaGetUniqueSequenceNumbersExactCountsAndOneSoftExpire() throws Exception {
    setkey(
        sa("-bs " + (N / 2) * CHARGE + " -bh " + (long) N * CHARGE * 10)
            + "spdadd 192.0.2.1 192.0.2.2 any -P out ipsec esp/transport//require;\n");
    byte[] packet = Peer.ipv4(17, Peer.udp(20));
    ConcurrentHashMap<Long, Boolean> sequences = new ConcurrentHashMap<>();
    List<Long> ok =
        inParallel(
            id -> {
              PacketContext ctx = datapath.newContext();
              long n = 0;
              for (int i = 0; i < PER_THREAD; i++) {
                if (datapath.outbound(packet, 0, packet.length, ctx) == OutboundVerdict.OK) {
                  n++;
                  byte[] out = ctx.buffer();
                  int esp = ctx.offset() + 20;
                  long seq =
                      ((out[esp + 4] & 0xffL) << 24)
                          | ((out[esp + 5] & 0xff) << 16)
                          | ((out[esp + 6] & 0xff) << 8)
                          | (out[esp + 7] & 0xff);
                  assertThat(sequences.put(seq, Boolean.TRUE)).isNull();
                }
              }
              return n;
            });
    assertThat(ok.stream().mapToLong(Long::longValue).sum()).isEqualTo(N);
    assertThat(sequences).hasSize(N);
    assertThat(sequences.keySet().stream().mapToLong(Long::longValue).max().getAsLong())
        .isEqualTo(N);
    SecurityAssociation sa = engine.getassocbyspi(Peer.ip(Peer.DST), 0x100, 50);
    assertThat(sa.bytes()).isEqualTo((long) N * CHARGE);
    assertThat(datapath.counters(sa).outbound(OutboundVerdict.OK)).isEqualTo(N);
    assertThat(datapath.count(OutboundVerdict.OK)).isEqualTo(N);
    List<SadbMessage> expires = expires();
    assertThat(expires).hasSize(1);
    assertThat(expires.get(0).lifetimeSoft()).isPresent();
    assertThat(expires.get(0).lifetimeHard()).isEmpty();
  }

  @Test
  void threadsReceivingOnOneSaAreAdmittedExactlyUpToTheHardByteLimit() throws Exception {
    int admitted = N / 3;
    setkey(sa("-bh " + (long) admitted * CHARGE));
    List<byte[]> packets = new ArrayList<>();
    for (int i = 1; i <= N; i++) {
      packets.add(sealed(i));
    }
    List<long[]> results =
        inParallel(
            id -> {
              PacketContext ctx = datapath.newContext();
              long[] counts = new long[Verdict.values().length];
              for (int i = id; i < N; i += THREADS) {
                byte[] p = packets.get(i).clone();
                counts[datapath.inbound(p, 0, p.length, ctx).ordinal()]++;
              }
              return counts;
            });
    long[] total = new long[Verdict.values().length];
    for (long[] r : results) {
      for (int v = 0; v < total.length; v++) {
        total[v] += r[v];
      }
    }
    assertThat(total[Verdict.OK.ordinal()]).isEqualTo(admitted);
    // Packets processed after the SA went find it expired (or, once gone, no SA at all).
    assertThat(total[Verdict.EXPIRED.ordinal()] + total[Verdict.NO_SA.ordinal()])
        .isEqualTo(N - admitted);
    for (Verdict v : Verdict.values()) {
      assertThat(datapath.count(v)).as(v.label()).isEqualTo(total[v.ordinal()]);
    }
    List<SadbMessage> expires = expires();
    assertThat(expires).hasSize(1);
    assertThat(expires.get(0).lifetimeHard()).isPresent();
    assertThat(expires.get(0).lifetimeCurrent().orElseThrow().bytes())
        .isEqualTo((long) admitted * CHARGE);
  }

  private static byte[] sealed(int seq) {
    try {
      return Peer.ipv4(
          50, Peer.esp(Peer.SPI_CBC_SHA1, seq, new byte[16], Peer.padded(Peer.udp(20), 17, 16)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
