package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a clear error and loses nothing: whatever bytes a socket sends, {@code send}
 * either succeeds or throws a {@link PfKeyException}, and the engine keeps working.
 */
class RobustnessTest {
  private static final PfKeyCodec CODEC = new PfKeyCodec();

  private static List<byte[]> seeds() {
    List<SadbMessage> ms = new ArrayList<>();
    ms.add(Pf.addEsp(0x1000, 1, 1));
    ms.add(Pf.getspi(Pf.ESP, 2, 1, 0x2000, 0x3000));
    ms.add(Pf.addEsp(0x1000, 3, 1).withType(MessageType.SADB_UPDATE));
    ms.add(Pf.byId(MessageType.SADB_GET, Pf.ESP, 0x1000, 4, 1));
    ms.add(Pf.byId(MessageType.SADB_DELETE, Pf.ESP, 0x1000, 5, 1));
    ms.add(Pf.base(MessageType.SADB_REGISTER, Pf.ESP, 6, 1));
    ms.add(Pf.base(MessageType.SADB_DUMP, 0, 7, 1));
    ms.add(
        Pf.spdadd(
            "10.0.0.0",
            8,
            0,
            "10.0.0.0",
            8,
            0,
            255,
            PolicyDirection.IPSEC_DIR_OUTBOUND,
            PolicyType.IPSEC_POLICY_IPSEC,
            Pf.tunnel(50, Pf.A, Pf.B, IpsecLevel.IPSEC_LEVEL_REQUIRE)));
    ms.add(Pf.base(MessageType.SADB_X_PROMISC, 1, 8, 1));
    List<byte[]> out = new ArrayList<>();
    for (SadbMessage m : ms) {
      out.add(CODEC.encode(m));
    }
    return out;
  }

  @Property(tries = 400)
  void mutatedMessagesNeverThrowAnythingButPfKeyException(
      @ForAll @IntRange(min = 0, max = 8) int which,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 4095) Integer> positions,
      @ForAll @Size(min = 6, max = 6) List<@IntRange(min = 0, max = 255) Integer> values) {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).seed(1).build();
    PfKeySocket s = engine.open(Credentials.root(1));
    s.send(CODEC.encode(Pf.base(MessageType.SADB_REGISTER, Pf.ESP, 1, 1)));
    byte[] m = seeds().get(which).clone();
    for (int i = 0; i < positions.size(); i++) {
      m[positions.get(i) % m.length] = (byte) (int) values.get(i);
    }
    try {
      s.send(m);
    } catch (PfKeyException expected) {
      assertThat(expected.errno()).isNotNull();
    }
    for (byte[] b = s.receiveBytes(); b != null; b = s.receiveBytes()) {
      assertThat(b.length % 8).isZero();
    }
    // Still working afterwards.
    s.send(Pf.addEsp(0x7777, 99, 1));
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x7777, 50)).isNotNull();
    engine.getassocbysocket(Flow.of(Pf.ip("10.1.1.1"), Pf.ip("10.2.2.2"), 6, 1, 2));
    engine.advance(java.time.Duration.ofMinutes(1));
  }

  @Property(tries = 200)
  void randomBytesNeverThrowAnythingButPfKeyException(
      @ForAll @Size(min = 0, max = 200) byte[] junk) {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
    PfKeySocket s = engine.open(Credentials.root(1));
    try {
      s.send(junk);
    } catch (PfKeyException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    s.drain();
  }

  @Test
  void listenerExceptionsAreCountedAndDoNotBreakTheEngine() {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
    engine.addListener(
        new SaListener() {
          @Override
          public void added(SecurityAssociation sa) {
            throw new IllegalStateException("listener bug");
          }
        });
    PfKeySocket s = engine.open(Credentials.root(1));
    assertThat(s.call(Pf.addEsp(0x1000, 1, 1)).errno()).isZero();
    assertThat(engine.stats().listenerErrors()).isEqualTo(1);
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50)).isNotNull();
  }

  @Test
  void listenersSeeAddStateChangesAndRemovalInOrder() {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
    List<String> events = new ArrayList<>();
    engine.addListener(
        new SaListener() {
          @Override
          public void added(SecurityAssociation sa) {
            events.add("added " + sa.state());
          }

          @Override
          public void stateChanged(
              SecurityAssociation sa,
              org.ipsecemu.sadb.wire.SaState from,
              org.ipsecemu.sadb.wire.SaState to) {
            events.add(from + "->" + to);
          }

          @Override
          public void removed(SecurityAssociation sa, RemovalReason r) {
            events.add("removed " + r + " " + sa.state());
          }
        });
    PfKeySocket s = engine.open(Credentials.root(1));
    s.call(Pf.addEsp(0x1000, 1, 1, Pf.soft(0, 0, 10, 0), Pf.hard(0, 0, 20, 0)));
    engine.advance(java.time.Duration.ofSeconds(20));
    assertThat(events)
        .containsExactly(
            "added SADB_SASTATE_MATURE",
            "SADB_SASTATE_MATURE->SADB_SASTATE_DYING",
            "removed EXPIRED SADB_SASTATE_DEAD");
  }

  @Test
  void backgroundTickerRunsTheTimersThatAreDue() throws Exception {
    ManualClock clock = new ManualClock();
    KeyEngine engine = KeyEngine.builder().clock(clock).build();
    java.util.concurrent.CountDownLatch removed = new java.util.concurrent.CountDownLatch(1);
    engine.addListener(
        new SaListener() {
          @Override
          public void removed(SecurityAssociation sa, RemovalReason r) {
            removed.countDown();
          }
        });
    PfKeySocket s = engine.open(Credentials.root(1));
    s.call(Pf.addEsp(0x1000, 1, 1, Pf.hard(0, 0, 10, 0)));
    clock.advanceSeconds(10);
    // Nothing runs the timers yet: the SA outlives its hard lifetime until a tick.
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50)).isNotNull();
    try (AutoCloseable ticker = engine.startTicker(java.time.Duration.ofMillis(1))) {
      // Waits for the event, not for an amount of time: no timing is asserted.
      assertThat(removed.await(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    }
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50)).isNull();
  }

  @Test
  void chargingNegativeBytesIsAProgrammingError() {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
    PfKeySocket s = engine.open(Credentials.root(1));
    s.call(Pf.addEsp(0x1000, 1, 1));
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sa.charge(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sa.bytes()).isZero();
  }

  @Test
  void closingTheEngineRemovesEverySaAndZeroesKeys() {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
    PfKeySocket s = engine.open(Credentials.root(1));
    s.call(Pf.addEsp(0x1000, 1, 1));
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    engine.close();
    assertThat(sa.authKey()).containsOnly(0);
    assertThat(engine.stats().sas()).isZero();
    assertThat(engine.stats().sockets()).isZero();
  }
}
