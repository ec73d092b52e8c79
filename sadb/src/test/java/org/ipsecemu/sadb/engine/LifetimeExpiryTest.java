package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

/** SOFT and HARD lifetimes, SADB_EXPIRE (§2.3.2, §3.1.8), on a manual clock. */
class LifetimeExpiryTest {
  private final ManualClock clock = new ManualClock();
  private final KeyEngine engine = KeyEngine.builder().clock(clock).build();
  private final PfKeySocket km = engine.open(Credentials.root(100));
  private final PfKeySocket listener = engine.open(Credentials.root(200));

  private SecurityAssociation add(long spi, LifetimeExtension... lifetimes) {
    SadbMessage r = km.call(Pf.addEsp(spi, 1, 100, lifetimes));
    assertThat(r.errno()).isZero();
    km.drain();
    listener.drain();
    return engine.getassocbyspi(Pf.ip(Pf.B), (int) spi, 50);
  }

  private List<SadbMessage> expires(PfKeySocket s) {
    List<SadbMessage> out = new ArrayList<>();
    for (SadbMessage m : s.drain()) {
      if (m.type() == MessageType.SADB_EXPIRE) {
        out.add(m);
      }
    }
    return out;
  }

  @Test
  void softAddtimeMakesTheSaDyingAndSendsOneSoftExpireToAllSockets() {
    SecurityAssociation sa = add(0x1000, Pf.soft(0, 0, 60, 0), Pf.hard(0, 0, 120, 0));
    engine.advance(Duration.ofSeconds(59));
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_MATURE);
    engine.advance(Duration.ofSeconds(1));
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DYING);
    List<SadbMessage> toKm = expires(km);
    List<SadbMessage> toOther = expires(listener);
    assertThat(toKm).hasSize(1).isEqualTo(toOther);
    SadbMessage e = toKm.get(0);
    assertThat(e.pid()).isZero();
    assertThat(e.lifetimeSoft()).isPresent();
    assertThat(e.lifetimeHard()).isEmpty();
    assertThat(e.lifetimeCurrent().orElseThrow().addtime())
        .isEqualTo(Math.floorDiv(sa.addedAtMillis(), 1000));
    assertThat(e.sa().orElseThrow().state()).isEqualTo(SaState.SADB_SASTATE_DYING.value());
    assertThat(e.addressSrc()).isPresent();
    assertThat(e.keyAuth()).isEmpty();
    // Still usable while DYING.
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50)).isSameAs(sa);
    engine.advance(Duration.ofSeconds(30));
    assertThat(expires(km)).isEmpty();
  }

  @Test
  void nextTimerMillisTellsWhenTheEarliestLifetimeIsDue() {
    assertThat(engine.nextTimerMillis()).isEqualTo(Long.MAX_VALUE);
    SecurityAssociation sa = add(0x1000, Pf.soft(0, 0, 60, 0), Pf.hard(0, 0, 120, 0));
    long added = sa.addedAtMillis();
    assertThat(engine.nextTimerMillis()).isEqualTo(added + 60_000);
    engine.advance(Duration.ofSeconds(60));
    assertThat(engine.nextTimerMillis()).isEqualTo(added + 120_000);
    engine.advance(Duration.ofSeconds(60));
    assertThat(engine.nextTimerMillis()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void hardAddtimeKillsRemovesAndSendsOneHardExpire() {
    List<RemovalReason> reasons = new ArrayList<>();
    engine.addListener(
        new SaListener() {
          @Override
          public void removed(SecurityAssociation sa, RemovalReason r) {
            reasons.add(r);
          }
        });
    SecurityAssociation sa = add(0x1000, Pf.soft(0, 0, 60, 0), Pf.hard(0, 0, 120, 0));
    engine.advance(Duration.ofSeconds(120));
    List<SadbMessage> e = expires(km);
    assertThat(e).hasSize(2);
    assertThat(e.get(0).lifetimeSoft()).isPresent();
    assertThat(e.get(1).lifetimeHard()).isPresent();
    assertThat(e.get(1).sa().orElseThrow().state()).isEqualTo(SaState.SADB_SASTATE_DEAD.value());
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DEAD);
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50)).isNull();
    assertThat(sa.authKey()).containsOnly(0);
    assertThat(reasons).containsExactly(RemovalReason.EXPIRED);
  }

  @Test
  void hardWinsWhenSoftAndHardAreReachedTogether() {
    add(0x1000, Pf.soft(0, 0, 60, 0), Pf.hard(0, 0, 60, 0));
    engine.advance(Duration.ofSeconds(60));
    List<SadbMessage> e = expires(km);
    assertThat(e).hasSize(1);
    assertThat(e.get(0).lifetimeHard()).isPresent();
    assertThat(e.get(0).lifetimeSoft()).isEmpty();
  }

  @Test
  void softAboveHardNeverFires() {
    add(0x1000, Pf.soft(0, 0, 100, 0), Pf.hard(0, 0, 50, 0));
    engine.advance(Duration.ofSeconds(200));
    List<SadbMessage> e = expires(km);
    assertThat(e).hasSize(1);
    assertThat(e.get(0).lifetimeHard()).isPresent();
    assertThat(engine.stats().softExpires()).isZero();
  }

  @Test
  void usetimeCountsFromTheFirstPacket() {
    SecurityAssociation sa = add(0x1000, Pf.hard(0, 0, 0, 10));
    engine.advance(Duration.ofSeconds(100));
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_MATURE);
    assertThat(sa.currentLifetime().usetime()).isZero();
    assertThat(sa.charge(100)).isTrue();
    assertThat(sa.currentLifetime().usetime()).isEqualTo(clock.currentTimeSeconds());
    engine.advance(Duration.ofSeconds(9));
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_MATURE);
    engine.advance(Duration.ofSeconds(1));
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DEAD);
  }

  @Test
  void byteLimitsExpireThroughCharge() {
    SecurityAssociation sa = add(0x1000, Pf.soft(0, 1000, 0, 0), Pf.hard(0, 2000, 0, 0));
    assertThat(sa.charge(999)).isTrue();
    assertThat(expires(km)).isEmpty();
    assertThat(sa.charge(1)).isTrue();
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DYING);
    assertThat(expires(km)).hasSize(1);
    assertThat(sa.charge(999)).isTrue();
    // The packet that reaches the hard limit is admitted; the SA dies with it.
    assertThat(sa.charge(5)).isTrue();
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DEAD);
    List<SadbMessage> hard = expires(km);
    assertThat(hard).hasSize(1);
    assertThat(hard.get(0).lifetimeCurrent().orElseThrow().bytes()).isEqualTo(2004);
    assertThat(sa.charge(1)).isFalse();
    assertThat(sa.bytes()).isEqualTo(2004);
  }

  @Test
  void packetCountLimitsAsLinuxWhenTheProfileCountsPacketsAsAllocations() {
    KeyEngine e =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().countPacketsAsAllocations(true).build())
            .build();
    PfKeySocket s = e.open(Credentials.root(1));
    s.call(Pf.addEsp(0x1000, 1, 1, Pf.hard(3, 0, 0, 0)));
    SecurityAssociation sa = e.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    assertThat(sa.charge(10)).isTrue();
    assertThat(sa.charge(10)).isTrue();
    assertThat(sa.charge(10)).isTrue();
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DEAD);
    assertThat(sa.allocations()).isEqualTo(3);
    assertThat(sa.charge(10)).isFalse();
  }

  @Test
  void updateWithALongerSoftLifetimeRevivesADyingSa() {
    SecurityAssociation sa = add(0x1000, Pf.soft(0, 0, 60, 0));
    engine.advance(Duration.ofSeconds(60));
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DYING);
    km.drain();
    SadbMessage upd =
        Pf.addEsp(0x1000, 2, 100, Pf.soft(0, 0, 600, 0)).withType(MessageType.SADB_UPDATE);
    SadbMessage r = km.call(upd);
    assertThat(r.errno()).isZero();
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_MATURE);
    assertThat(r.sa().orElseThrow().state()).isEqualTo(SaState.SADB_SASTATE_MATURE.value());
    engine.advance(Duration.ofSeconds(540));
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DYING);
    assertThat(expires(km)).hasSize(1);
  }

  @Test
  void updateWithAHardLifetimeAlreadyPastExpiresAtOnce() {
    SecurityAssociation sa = add(0x1000);
    engine.advance(Duration.ofSeconds(100));
    SadbMessage upd =
        Pf.addEsp(0x1000, 2, 100, Pf.hard(0, 0, 50, 0)).withType(MessageType.SADB_UPDATE);
    km.send(upd);
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DEAD);
    assertThat(engine.stats().hardExpires()).isEqualTo(1);
  }

  @Test
  void expiresDueTogetherFireInTimeOrderWhenTheClockJumps() {
    add(0x1000, Pf.hard(0, 0, 30, 0));
    add(0x1001, Pf.soft(0, 0, 10, 0));
    engine.advance(Duration.ofHours(1));
    List<SadbMessage> e = expires(km);
    assertThat(e).extracting(m -> m.sa().orElseThrow().spi()).containsExactly(0x1001L, 0x1000L);
  }

  @Test
  void concurrentChargesCountExactlyAndSendEachExpireOnce() throws Exception {
    long perThread = 20_000;
    int threads = 4;
    SecurityAssociation sa =
        add(0x1000, Pf.soft(0, 3 * perThread, 0, 0), Pf.hard(0, 5 * perThread, 0, 0));
    AtomicLong admitted = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (long i = 0; i < perThread; i++) {
                  if (sa.charge(1)) {
                    admitted.incrementAndGet();
                  }
                }
              });
      th.start();
      ts.add(th);
    }
    start.countDown();
    for (Thread th : ts) {
      th.join();
    }
    // 4 × 20000 = 80000 bytes: past the soft limit (60000), short of the hard one (100000).
    assertThat(admitted.get()).isEqualTo(threads * perThread);
    assertThat(sa.bytes()).isEqualTo(threads * perThread);
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DYING);
    assertThat(engine.stats().softExpires()).isEqualTo(1);
    assertThat(expires(km)).hasSize(1);
  }

  @Test
  void concurrentChargesPastTheHardLimitAdmitExactlyTheLimitAndExpireOnce() throws Exception {
    SecurityAssociation sa = add(0x1000, Pf.hard(0, 10_000, 0, 0));
    AtomicLong admitted = new AtomicLong();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < 5_000; i++) {
                  if (sa.charge(1)) {
                    admitted.incrementAndGet();
                  }
                }
              });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    assertThat(admitted.get()).isEqualTo(10_000);
    assertThat(sa.bytes()).isEqualTo(10_000);
    assertThat(engine.stats().hardExpires()).isEqualTo(1);
    assertThat(expires(listener)).hasSize(1);
  }

  @Test
  void currentLifetimeOfGetReportsUsage() {
    SecurityAssociation sa = add(0x1000);
    sa.charge(1500);
    sa.charge(500);
    SadbMessage r = km.call(Pf.byId(MessageType.SADB_GET, Pf.ESP, 0x1000, 9, 100));
    LifetimeExtension c =
        r.find(ExtensionType.SADB_EXT_LIFETIME_CURRENT, LifetimeExtension.class).orElseThrow();
    assertThat(c.bytes()).isEqualTo(2000);
    assertThat(c.usetime()).isEqualTo(clock.currentTimeSeconds());
  }
}
