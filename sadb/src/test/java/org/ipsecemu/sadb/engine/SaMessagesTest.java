package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.KmPrivateExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

/** GETSPI, ADD, UPDATE, DELETE and GET (RFC 2367 §3.1.1–§3.1.5), driven by PF_KEY messages. */
class SaMessagesTest {
  private final ManualClock clock = new ManualClock();
  private final KeyEngine engine = KeyEngine.builder().clock(clock).seed(7).build();
  private final PfKeySocket km = engine.open(Credentials.root(100));

  private static long spiOf(SadbMessage m) {
    return m.sa().orElseThrow().spi();
  }

  // ------------------------------------------------------------------ GETSPI

  @Test
  void getspiPicksAnUnusedSpiInTheRangeAndCreatesALarvalSa() {
    SadbMessage r = km.call(Pf.getspi(Pf.ESP, 5, 100, 0x2000, 0x2fff));
    assertThat(r.errno()).isZero();
    long spi = spiOf(r);
    assertThat(spi).isBetween(0x2000L, 0x2fffL);
    assertThat(r.sa().orElseThrow().state()).isEqualTo(SaState.SADB_SASTATE_LARVAL.value());
    assertThat(r.addressSrc()).isPresent();
    assertThat(r.addressDst()).isPresent();
    SecurityAssociation sa = engine.associations().get(0);
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_LARVAL);
    assertThat(sa.sequence()).isEqualTo(5);
    // A LARVAL SA has no keys: the datapath never gets it.
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), (int) spi, 50)).isNull();
  }

  @Test
  void getspiReplyGoesToAllSockets() {
    PfKeySocket other = engine.open(Credentials.root(200));
    km.send(Pf.getspi(Pf.ESP, 5, 100, 0x2000, 0x2fff));
    assertThat(other.receive().type()).isEqualTo(MessageType.SADB_GETSPI);
  }

  @Test
  void getspiWithoutRangeUsesTheDefaultRangeNeverBelow256() {
    for (int i = 0; i < 50; i++) {
      SadbMessage m = Pf.msg(MessageType.SADB_GETSPI, Pf.ESP, i, 100, Pf.src(Pf.A), Pf.dst(Pf.B));
      long spi = spiOf(km.call(m));
      assertThat(spi).isBetween(0x100L, 0x0fffffffL);
    }
  }

  @Test
  void getspiRangeOverlappingTheReservedSpisStartsAt256() {
    long first = spiOf(km.call(Pf.getspi(Pf.ESP, 1, 100, 0, 0x101)));
    long second = spiOf(km.call(Pf.getspi(Pf.ESP, 2, 100, 0, 0x101)));
    assertThat(List.of(first, second)).containsExactlyInAnyOrder(0x100L, 0x101L);
    assertThat(km.call(Pf.getspi(Pf.ESP, 3, 100, 0, 0x101)).errno())
        .isEqualTo(Errno.EEXIST.number());
  }

  @Test
  void getspiRangeInsideTheReservedSpisFailsWithEinval() {
    assertThat(km.call(Pf.getspi(Pf.ESP, 1, 100, 1, 255)).errno()).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void getspiOfASingleSpiTakenFailsWithEexist() {
    km.call(Pf.addEsp(0x3000, 1, 100));
    SadbMessage r = km.call(Pf.getspi(Pf.ESP, 2, 100, 0x3000, 0x3000));
    assertThat(r.errno()).isEqualTo(Errno.EEXIST.number());
  }

  @Test
  void getspiFailsWithEexistWhenNoSpiInTheRangeIsFree() {
    assertThat(km.call(Pf.getspi(Pf.ESP, 1, 100, 0x500, 0x501)).errno()).isZero();
    assertThat(km.call(Pf.getspi(Pf.ESP, 2, 100, 0x500, 0x501)).errno()).isZero();
    assertThat(km.call(Pf.getspi(Pf.ESP, 3, 100, 0x500, 0x501)).errno())
        .isEqualTo(Errno.EEXIST.number());
  }

  @Test
  void getspiRangeWithMinAboveMaxFailsWithEinval() {
    assertThat(km.call(Pf.getspi(Pf.ESP, 1, 100, 0x600, 0x500)).errno())
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void getspiBeyondTheLarvalLimitFailsWithEnobufs() {
    KeyEngine small =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().maxLarvalSas(2).build())
            .build();
    PfKeySocket s = small.open(Credentials.root(1));
    assertThat(s.call(Pf.getspi(Pf.ESP, 1, 1, 0x1000, 0x1fff)).errno()).isZero();
    assertThat(s.call(Pf.getspi(Pf.ESP, 2, 1, 0x1000, 0x1fff)).errno()).isZero();
    assertThat(s.call(Pf.getspi(Pf.ESP, 3, 1, 0x1000, 0x1fff)).errno())
        .isEqualTo(Errno.ENOBUFS.number());
    assertThat(small.stats().larval()).isEqualTo(2);
  }

  @Test
  void larvalSaNotUpdatedWithin30SecondsIsRemovedWithAHardExpire() {
    long spi = spiOf(km.call(Pf.getspi(Pf.ESP, 5, 100, 0x2000, 0x2fff)));
    engine.advance(Duration.ofSeconds(29));
    assertThat(engine.associations()).hasSize(1);
    engine.advance(Duration.ofSeconds(1));
    assertThat(engine.associations()).isEmpty();
    SadbMessage expire = km.receive();
    assertThat(expire.type()).isEqualTo(MessageType.SADB_EXPIRE);
    assertThat(spiOf(expire)).isEqualTo(spi);
    assertThat(expire.pid()).isZero();
    assertThat(engine.stats().larvalTimeouts()).isEqualTo(1);
    // The SPI is free again.
    assertThat(km.call(Pf.getspi(Pf.ESP, 6, 100, spi, spi)).errno()).isZero();
  }

  // ------------------------------------------------------------------ UPDATE

  private SadbMessage update(long spi, long seq, SadbExtension... more) {
    List<SadbExtension> ext = new ArrayList<>();
    ext.add(Pf.sa(spi, Pf.SHA1, Pf.AES));
    ext.addAll(List.of(more));
    ext.add(Pf.src(Pf.A));
    ext.add(Pf.dst(Pf.B));
    ext.add(Pf.authKey(Pf.key(20, 1)));
    ext.add(Pf.encKey(Pf.key(16, 2)));
    return new SadbMessage(2, MessageType.SADB_UPDATE, 0, Pf.ESP, 0, seq, 100, ext);
  }

  @Test
  void updateMaturesALarvalSaAndTellsTheDatapath() {
    List<SecurityAssociation> added = new ArrayList<>();
    engine.addListener(
        new SaListener() {
          @Override
          public void added(SecurityAssociation sa) {
            added.add(sa);
          }
        });
    long spi = spiOf(km.call(Pf.getspi(Pf.ESP, 5, 100, 0x2000, 0x2fff)));
    SadbMessage r = km.call(update(spi, 5));
    assertThat(r.errno()).isZero();
    assertThat(r.keyAuth()).isEmpty();
    assertThat(r.keyEncrypt()).isEmpty();
    assertThat(r.sa().orElseThrow().state()).isEqualTo(SaState.SADB_SASTATE_MATURE.value());
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), (int) spi, 50);
    assertThat(sa).isNotNull();
    assertThat(added).containsExactly(sa);
    assertThat(sa.encryptAlgorithm()).isEqualTo(Pf.AES);
    assertThat(sa.encryptKey()).isEqualTo(Pf.key(16, 2));
    // Matured: no larval timeout any more.
    engine.advance(Duration.ofMinutes(5));
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), (int) spi, 50)).isSameAs(sa);
  }

  @Test
  void updateFromAnotherSocketFailsWithEacces() {
    long spi = spiOf(km.call(Pf.getspi(Pf.ESP, 5, 100, 0x2000, 0x2fff)));
    PfKeySocket other = engine.open(Credentials.root(100));
    assertThat(other.call(update(spi, 5)).errno()).isEqualTo(Errno.EACCES.number());
  }

  @Test
  void updateFromAnotherSocketIsAllowedWhenTheProfileDropsTheRule() {
    KeyEngine e =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().updateRequiresCreator(false).build())
            .build();
    PfKeySocket a = e.open(Credentials.root(100));
    PfKeySocket b = e.open(Credentials.root(100));
    long spi = spiOf(a.call(Pf.getspi(Pf.ESP, 5, 100, 0x2000, 0x2fff)));
    assertThat(b.call(update(spi, 5)).errno()).isZero();
  }

  @Test
  void updateOfAnUnknownSaFailsWithEsrch() {
    assertThat(km.call(update(0x4444, 1)).errno()).isEqualTo(Errno.ESRCH.number());
  }

  @Test
  void updateWithAnotherSourceAddressFailsWithEsrch() {
    long spi = spiOf(km.call(Pf.getspi(Pf.ESP, 5, 100, 0x2000, 0x2fff)));
    SadbMessage m = update(spi, 5).with(Pf.src("192.0.2.99"));
    assertThat(km.call(m).errno()).isEqualTo(Errno.ESRCH.number());
  }

  @Test
  void updateSubmittingDyingOrDeadStateFailsWithEinval() {
    long spi = spiOf(km.call(Pf.getspi(Pf.ESP, 5, 100, 0x2000, 0x2fff)));
    for (SaState s : EnumSet.of(SaState.SADB_SASTATE_DYING, SaState.SADB_SASTATE_DEAD)) {
      SadbMessage m = update(spi, 5);
      m = m.with(m.sa().orElseThrow().withState(s));
      assertThat(km.call(m).errno()).isEqualTo(Errno.EINVAL.number());
    }
  }

  @Test
  void updateOfAMatureSaMayChangeLifetimesOnly() {
    km.call(Pf.addEsp(0x5000, 1, 100));
    SadbMessage same = Pf.addEsp(0x5000, 2, 100, Pf.hard(0, 0, 3600, 0));
    SadbMessage ok = same.withType(MessageType.SADB_UPDATE);
    assertThat(km.call(ok).errno()).isZero();
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x5000, 50);
    assertThat(sa.hardLifetime().addtime()).isEqualTo(3600);
    // Any other change is EINVAL: algorithm, replay, key, mode.
    SaExtension x = ok.sa().orElseThrow();
    List<SadbMessage> bad =
        List.of(
            ok.with(new SaExtension(x.spi(), x.replay(), x.state(), Pf.MD5, x.encrypt(), 0)),
            ok.with(new SaExtension(x.spi(), 64, x.state(), x.auth(), x.encrypt(), 0)),
            ok.with(Pf.authKey(Pf.key(20, 99))),
            ok.with(new Sa2Extension(IpsecMode.TUNNEL.value(), 0, 0)));
    for (SadbMessage m : bad) {
      assertThat(km.call(m).errno()).isEqualTo(Errno.EINVAL.number());
    }
    assertThat(sa.authAlgorithm()).isEqualTo(Pf.SHA1);
  }

  // ------------------------------------------------------------------ ADD

  @Test
  void addCreatesAMatureSaAndRepliesWithoutKeys() {
    SadbMessage r = km.call(Pf.addEsp(0x1000, 1, 100));
    assertThat(r.errno()).isZero();
    assertThat(r.keyAuth()).isEmpty();
    assertThat(r.keyEncrypt()).isEmpty();
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_MATURE);
    assertThat(sa.authKey()).isEqualTo(Pf.key(20, 0x1000));
    assertThat(sa.mode()).isEqualTo(IpsecMode.ANY);
    assertThat(sa.replayWindow()).isEqualTo(32);
    assertThat(sa.toString()).doesNotContain("authKey").contains("spi=0x1000");
  }

  @Test
  void addOfAnExistingSaFailsWithEexist() {
    km.call(Pf.addEsp(0x1000, 1, 100));
    assertThat(km.call(Pf.addEsp(0x1000, 2, 100)).errno()).isEqualTo(Errno.EEXIST.number());
  }

  @Test
  void addAcceptsLarvalStateAsSetkeySendsIt() {
    SadbMessage m = Pf.addEsp(0x1000, 1, 100);
    m = m.with(m.sa().orElseThrow().withState(SaState.SADB_SASTATE_LARVAL));
    assertThat(km.call(m).errno()).isZero();
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50).state())
        .isEqualTo(SaState.SADB_SASTATE_MATURE);
  }

  @Test
  void addRefusesLarvalStateWhenTheProfileIsStrict() {
    KeyEngine e =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().addAcceptsLarval(false).build())
            .build();
    PfKeySocket s = e.open(Credentials.root(1));
    SadbMessage m = Pf.addEsp(0x1000, 1, 1);
    m = m.with(m.sa().orElseThrow().withState(SaState.SADB_SASTATE_LARVAL));
    assertThat(s.call(m).errno()).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void addInDyingStateFailsWithEinval() {
    SadbMessage m = Pf.addEsp(0x1000, 1, 100);
    m = m.with(m.sa().orElseThrow().withState(SaState.SADB_SASTATE_DYING));
    assertThat(km.call(m).errno()).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void addWithoutAddressesFailsWithEinval() {
    SadbMessage m = Pf.addEsp(0x1000, 1, 100).without(ExtensionType.SADB_EXT_ADDRESS_DST);
    assertThat(km.call(m).errno()).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void addTakesModeAndReqidFromSa2AsLinuxDoes() {
    km.call(Pf.addEsp(0x1000, 1, 100, new Sa2Extension(IpsecMode.TUNNEL.value(), 0, 42)));
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    assertThat(sa.mode()).isEqualTo(IpsecMode.TUNNEL);
    assertThat(sa.reqid()).isEqualTo(42);
  }

  @Test
  void addBindsTheSaToTheSeqOfTheAcquire() {
    km.call(Pf.addEsp(0x1000, 77, 100));
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50).sequence()).isEqualTo(77);
  }

  // ------------------------------------------------------------------ DELETE, GET

  @Test
  void deleteRemovesTheSaZeroesItsKeysAndRepliesToAll() {
    PfKeySocket other = engine.open(Credentials.root(200));
    List<RemovalReason> reasons = new ArrayList<>();
    engine.addListener(
        new SaListener() {
          @Override
          public void removed(SecurityAssociation sa, RemovalReason reason) {
            reasons.add(reason);
          }
        });
    km.call(Pf.addEsp(0x1000, 1, 100));
    other.drain();
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    SadbMessage r = km.call(Pf.byId(MessageType.SADB_DELETE, Pf.ESP, 0x1000, 2, 100));
    assertThat(r.errno()).isZero();
    assertThat(other.receive().type()).isEqualTo(MessageType.SADB_DELETE);
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50)).isNull();
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DEAD);
    assertThat(sa.authKey()).containsOnly(0);
    assertThat(sa.encryptKey()).containsOnly(0);
    assertThat(reasons).containsExactly(RemovalReason.DELETED);
    assertThat(sa.charge(100)).isFalse();
  }

  @Test
  void deleteOfAnUnknownSaFailsWithEsrch() {
    assertThat(km.call(Pf.byId(MessageType.SADB_DELETE, Pf.ESP, 0x1000, 2, 100)).errno())
        .isEqualTo(Errno.ESRCH.number());
  }

  @Test
  void getReturnsTheWholeSaWithKeysToThePrivilegedRequesterOnly() {
    PfKeySocket other = engine.open(Credentials.root(200));
    km.call(Pf.addEsp(0x1000, 1, 100, new KmPrivateExtension(Pf.hex("0102030405"))));
    other.drain();
    SadbMessage r = km.call(Pf.byId(MessageType.SADB_GET, Pf.ESP, 0x1000, 2, 100));
    assertThat(r.errno()).isZero();
    assertThat(r.keyAuth().orElseThrow().key()).isEqualTo(Pf.key(20, 0x1000));
    assertThat(r.keyEncrypt().orElseThrow().key()).isEqualTo(Pf.key(24, 0x1001));
    assertThat(r.lifetimeCurrent()).isPresent();
    assertThat(r.find(KmPrivateExtension.class).orElseThrow().data())
        .startsWith(Pf.hex("0102030405"));
    assertThat(other.receive()).isNull();
  }

  @Test
  void getFromASocketThatMayNotReadKeysOmitsThem() {
    km.call(Pf.addEsp(0x1000, 1, 100));
    PfKeySocket monitor =
        engine.open(new Credentials(300, 1000, EnumSet.of(Privilege.KEY_MANAGEMENT)));
    SadbMessage r = monitor.call(Pf.byId(MessageType.SADB_GET, Pf.ESP, 0x1000, 2, 300));
    assertThat(r.errno()).isZero();
    assertThat(r.keyAuth()).isEmpty();
    assertThat(r.keyEncrypt()).isEmpty();
  }

  @Test
  void getOfAnUnknownSaFailsWithEsrch() {
    assertThat(km.call(Pf.byId(MessageType.SADB_GET, Pf.ESP, 0x1000, 2, 100)).errno())
        .isEqualTo(Errno.ESRCH.number());
  }
}
