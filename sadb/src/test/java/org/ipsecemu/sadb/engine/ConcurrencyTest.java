package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

/**
 * The concurrency test: readers calling {@code getassocbyspi} while writers ADD and DELETE
 * 100k SAs through PF_KEY see no torn or lost SA; and a DUMP during heavy churn is consistent.
 */
class ConcurrencyTest {
  private static final int STABLE = 1_000;
  private static final int CHURN_PER_WRITER = 50_000;
  private static final int WRITERS = 2;
  private static final int READERS = 2;

  private static byte[] dst(long spi) {
    // Spread SAs over 256 destinations so the index is exercised beyond one address.
    return new byte[] {10, 9, 0, (byte) (spi & 0xFF)};
  }

  private static SadbMessage add(long spi, long pid) {
    SadbMessage m = Pf.addEsp(spi, spi, pid);
    return m.with(Pf.dst(dst(spi)));
  }

  private static SadbMessage delete(long spi, long pid) {
    return Pf.byId(MessageType.SADB_DELETE, Pf.ESP, spi, spi, pid).with(Pf.dst(dst(spi)));
  }

  /** Whether the SA is whole: its identity and keys are those of its SPI (or it is gone). */
  private static String tornReason(SecurityAssociation sa, long spi, byte[] d) {
    if (sa.spiUnsigned() != spi || !sa.destinationEquals(d, 0, 4)) {
      return "identity spi=" + sa.spiUnsigned() + " wanted=" + spi;
    }
    if (sa.authAlgorithm() != Pf.SHA1 || sa.encryptAlgorithm() != Pf.TDES) {
      return "algorithms of spi=" + spi;
    }
    byte[] ak = sa.authKey();
    byte[] ek = sa.encryptKey();
    boolean keysRight =
        Arrays.equals(ak, Pf.key(20, (int) spi)) && Arrays.equals(ek, Pf.key(24, (int) spi + 1));
    if (!keysRight && sa.state() != SaState.SADB_SASTATE_DEAD) {
      return "keys of a live SA spi=" + spi; // only a removed SA has zeroed keys
    }
    return null;
  }

  @Test
  void readersSeeNoTornOrLostSaWhileWritersAddAndDelete100kSas() throws Exception {
    KeyEngine engine =
        KeyEngine.builder()
            .clock(new ManualClock())
            .profile(EngineProfile.linux().toBuilder().receiveQueueCapacity(16).build())
            .build();
    PfKeySocket setup = engine.open(Credentials.root(1));
    for (long spi = 0x10000; spi < 0x10000 + STABLE; spi++) {
      setup.send(add(spi, 1));
      setup.drain();
    }
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicLong lookups = new AtomicLong();
    AtomicLong churnHits = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      long base = 0x100000L * (w + 1);
      long pid = 10 + w;
      PfKeySocket s = engine.open(Credentials.root(pid));
      threads.add(
          new Thread(
              () -> {
                await(start);
                for (long spi = base; spi < base + CHURN_PER_WRITER; spi++) {
                  s.send(add(spi, pid));
                  if (spi - base >= 64) {
                    s.send(delete(spi - 64, pid));
                  }
                  s.drain();
                }
                for (long spi = base + CHURN_PER_WRITER - 64;
                    spi < base + CHURN_PER_WRITER;
                    spi++) {
                  s.send(delete(spi, pid));
                }
              }));
    }
    for (int r = 0; r < READERS; r++) {
      int seed = r;
      threads.add(
          new Thread(
              () -> {
                await(start);
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
                for (long n = 0; !done.get(); n++) {
                  if ((n & 1023) == 0) {
                    Thread.yield(); // share the CPU with the writers on a small machine
                  }
                  long stable = 0x10000 + rnd.nextInt(STABLE);
                  byte[] d = dst(stable);
                  SecurityAssociation sa = engine.getassocbyspi(d, 0, 4, (int) stable, 50);
                  lookups.incrementAndGet();
                  if (sa == null) {
                    problems.add("lost stable spi=" + stable);
                    continue;
                  }
                  String torn = tornReason(sa, stable, d);
                  if (torn != null) {
                    problems.add(torn);
                  }
                  long churn =
                      0x100000L * (1 + rnd.nextInt(WRITERS)) + rnd.nextInt(CHURN_PER_WRITER);
                  byte[] cd = dst(churn);
                  SecurityAssociation c = engine.getassocbyspi(cd, 0, 4, (int) churn, 50);
                  if (c != null) {
                    churnHits.incrementAndGet();
                    String t = tornReason(c, churn, cd);
                    if (t != null) {
                      problems.add(t);
                    }
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (int i = 0; i < WRITERS; i++) {
      threads.get(i).join();
    }
    done.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(problems).isEmpty();
    assertThat(lookups.get()).isPositive();
    EngineStats st = engine.stats();
    assertThat(st.sas()).isEqualTo(STABLE);
    assertThat(st.errors()).isZero();
    assertThat(st.messagesIn()).isEqualTo(STABLE + 2L * WRITERS * CHURN_PER_WRITER);
    for (long spi = 0x10000; spi < 0x10000 + STABLE; spi++) {
      assertThat(engine.getassocbyspi(dst(spi), 0, 4, (int) spi, 50)).isNotNull();
    }
  }

  @Test
  void dumpDuringHeavyAddAndDeleteReturnsAConsistentSet() throws Exception {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
    PfKeySocket setup = engine.open(Credentials.root(1));
    Set<Long> stable = new HashSet<>();
    for (long spi = 0x10000; spi < 0x10000 + 500; spi++) {
      setup.send(add(spi, 1));
      setup.drain();
      stable.add(spi);
    }
    AtomicBoolean done = new AtomicBoolean();
    PfKeySocket churner = engine.open(Credentials.root(2));
    Thread churn =
        new Thread(
            () -> {
              long spi = 0x200000;
              while (!done.get()) {
                churner.send(add(spi, 2));
                if (spi >= 0x200000 + 8) {
                  churner.send(delete(spi - 8, 2));
                }
                churner.drain();
                spi++;
              }
            });
    churn.start();
    PfKeySocket reader = engine.open(Credentials.root(3));
    try {
      for (int round = 0; round < 5; round++) {
        reader.drain();
        reader.send(Pf.base(MessageType.SADB_DUMP, 0, 5, 3));
        List<SadbMessage> dump = new ArrayList<>();
        boolean end = false;
        while (!end) {
          SadbMessage m = reader.receive();
          if (m == null) {
            continue;
          }
          if (m.type() != MessageType.SADB_DUMP) {
            continue; // broadcasts of the churn
          }
          dump.add(m);
          end = m.seq() == 0;
        }
        Set<Long> seen = new HashSet<>();
        long expectSeq = dump.size() - 1;
        for (SadbMessage m : dump) {
          assertThat(m.seq()).isEqualTo(expectSeq--);
          long spi = m.sa().orElseThrow().spi();
          assertThat(seen.add(spi)).as("duplicate spi=%x", spi).isTrue();
          if (m.keyAuth().isPresent()) {
            assertThat(m.keyAuth().get().key()).isEqualTo(Pf.key(20, (int) spi));
          } else {
            assertThat(m.sa().orElseThrow().state()).isEqualTo(SaState.SADB_SASTATE_DEAD.value());
          }
        }
        assertThat(seen).containsAll(stable);
      }
    } finally {
      done.set(true);
      churn.join();
    }
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
