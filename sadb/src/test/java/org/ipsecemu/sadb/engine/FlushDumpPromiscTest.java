package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.KmPrivateExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.PromiscPayload;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

/** FLUSH (§3.1.9), DUMP (§3.1.10) and SADB_X_PROMISC (Appendix A). */
class FlushDumpPromiscTest {
  private final ManualClock clock = new ManualClock();
  private final KeyEngine engine = KeyEngine.builder().clock(clock).build();
  private final PfKeySocket km = engine.open(Credentials.root(100));
  private final PfKeySocket other = engine.open(Credentials.root(200));

  private void addEspAndAh() {
    km.call(Pf.addEsp(0x1000, 1, 100));
    km.call(Pf.addEsp(0x1001, 2, 100));
    km.call(Pf.add(Pf.AH, 0x1002, Pf.SHA1, Pf.key(20, 1), 0, null));
    km.drain();
    other.drain();
  }

  // ------------------------------------------------------------------ FLUSH

  @Test
  void flushOfOneTypeRemovesOnlyThatTypeAndRepliesToAll() {
    addEspAndAh();
    SecurityAssociation esp = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    SadbMessage r = km.call(Pf.base(MessageType.SADB_FLUSH, Pf.ESP, 3, 100));
    assertThat(r.errno()).isZero();
    assertThat(r.extensions()).isEmpty();
    assertThat(other.receive().type()).isEqualTo(MessageType.SADB_FLUSH);
    assertThat(engine.associations()).extracting(SecurityAssociation::satype).containsOnly(Pf.AH);
    assertThat(esp.encryptKey()).containsOnly(0);
  }

  @Test
  void flushOfAllTypesEmptiesTheDatabase() {
    addEspAndAh();
    km.call(Pf.getspi(Pf.ESP, 9, 100, 0x2000, 0x2fff));
    km.call(Pf.base(MessageType.SADB_FLUSH, 0, 3, 100));
    assertThat(engine.associations()).isEmpty();
    assertThat(engine.stats().larval()).isZero();
  }

  // ------------------------------------------------------------------ DUMP

  @Test
  void dumpSendsOneMessagePerSaToTheRequesterEndingWithSeqZero() {
    addEspAndAh();
    km.send(Pf.base(MessageType.SADB_DUMP, 0, 5, 100));
    List<SadbMessage> dump = km.drain();
    assertThat(dump).hasSize(3).allMatch(m -> m.type() == MessageType.SADB_DUMP);
    assertThat(dump).extracting(SadbMessage::seq).containsExactly(2L, 1L, 0L);
    assertThat(dump).allMatch(m -> m.pid() == 100 && m.keyAuth().isPresent());
    assertThat(other.receive()).isNull();
  }

  @Test
  void dumpOfOneTypeListsOnlyThatType() {
    addEspAndAh();
    km.send(Pf.base(MessageType.SADB_DUMP, Pf.AH, 5, 100));
    assertThat(km.drain()).extracting(SadbMessage::satype).containsExactly(Pf.AH);
  }

  @Test
  void dumpOfAnEmptyDatabaseFailsWithEnoentAsLinuxDoes() {
    assertThat(km.call(Pf.base(MessageType.SADB_DUMP, 0, 5, 100)).errno())
        .isEqualTo(Errno.ENOENT.number());
  }

  @Test
  void dumpIsNotCutShortByASmallQueue() {
    KeyEngine e =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().receiveQueueCapacity(4).build())
            .build();
    PfKeySocket s = e.open(Credentials.root(1));
    for (int i = 0; i < 50; i++) {
      s.send(Pf.addEsp(0x1000 + i, i, 1));
      s.drain();
    }
    s.send(Pf.base(MessageType.SADB_DUMP, 0, 5, 1));
    List<SadbMessage> dump = s.drain();
    assertThat(dump).hasSize(50);
    assertThat(dump.get(49).seq()).isZero();
    assertThat(s.dropped()).isZero();
    // A second DUMP while one is in progress is refused with EBUSY, as in Linux; the dump leaves
    // room in the queue for that reply.
    s.send(Pf.base(MessageType.SADB_DUMP, 0, 6, 1));
    assertThat(s.pending()).isEqualTo(2);
    assertThat(s.call(Pf.base(MessageType.SADB_DUMP, 0, 7, 1)).errno())
        .isEqualTo(Errno.EBUSY.number());
    assertThat(s.drain()).hasSize(50);
  }

  @Test
  void dumpReportsAnSaRemovedWhileTheDumpRunsAsDeadWithoutKeys() {
    KeyEngine e =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().receiveQueueCapacity(1).build())
            .build();
    PfKeySocket s = e.open(Credentials.root(1));
    PfKeySocket t = e.open(Credentials.root(2));
    s.call(Pf.addEsp(0x1000, 1, 1));
    s.call(Pf.addEsp(0x1001, 2, 1));
    s.send(Pf.base(MessageType.SADB_DUMP, 0, 5, 1));
    t.send(Pf.byId(MessageType.SADB_DELETE, Pf.ESP, 0x1001, 9, 2));
    List<SadbMessage> dump = s.drain();
    assertThat(dump).filteredOn(m -> m.type() == MessageType.SADB_DUMP).hasSize(2);
    SadbMessage gone = dump.get(1);
    assertThat(gone.sa().orElseThrow().spi()).isEqualTo(0x1001);
    assertThat(gone.sa().orElseThrow().state()).isEqualTo(SaState.SADB_SASTATE_DEAD.value());
    assertThat(gone.keyAuth()).isEmpty();
  }

  @Test
  void kmPrivateIsKeptWithTheSaAndReturnedByDump() {
    byte[] data = Pf.hex("DEADBEEF00112233");
    km.call(Pf.addEsp(0x1000, 1, 100, new KmPrivateExtension(data)));
    km.drain();
    km.send(Pf.base(MessageType.SADB_DUMP, 0, 5, 100));
    SadbMessage d = km.receive();
    assertThat(d.find(KmPrivateExtension.class).orElseThrow().data()).isEqualTo(data);
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50).kmPrivate()).isPresent();
  }

  // ------------------------------------------------------------------ X_PROMISC

  private static SadbMessage promisc(int on, long pid) {
    return Pf.base(MessageType.SADB_X_PROMISC, on, 1, pid);
  }

  @Test
  void promiscWithoutPrivilegeFailsWithEperm() {
    PfKeySocket weak =
        engine.open(new Credentials(300, 1000, EnumSet.of(Privilege.KEY_MANAGEMENT)));
    assertThat(weak.call(promisc(1, 300)).errno()).isEqualTo(Errno.EPERM.number());
    assertThat(weak.isPromiscuous()).isFalse();
  }

  @Test
  void promiscControlFormTogglesAndReturnsToAll() {
    SadbMessage r = km.call(promisc(1, 100));
    assertThat(r.errno()).isZero();
    assertThat(km.isPromiscuous()).isTrue();
    assertThat(other.receive().type()).isEqualTo(MessageType.SADB_X_PROMISC);
    km.call(promisc(0, 100));
    assertThat(km.isPromiscuous()).isFalse();
    assertThat(km.call(promisc(2, 100)).errno()).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void promiscuousSocketGetsEncapsulatedCopiesWithoutKeysUnlessItMayReadThem() {
    PfKeySocket watcher =
        engine.open(
            new Credentials(
                300, 1000, EnumSet.of(Privilege.KEY_MANAGEMENT, Privilege.PROMISCUOUS)));
    watcher.call(promisc(1, 300));
    watcher.drain();
    other.send(Pf.addEsp(0x1000, 1, 200));
    List<SadbMessage> seen = watcher.drain();
    PfKeyCodec codec = new PfKeyCodec();
    // First the copy of what pid 200 sent (before processing), then the kernel's reply to all.
    SadbMessage copy = seen.get(0);
    assertThat(copy.type()).isEqualTo(MessageType.SADB_X_PROMISC);
    SadbMessage inner = codec.decode(copy.find(PromiscPayload.class).orElseThrow().message());
    assertThat(inner.type()).isEqualTo(MessageType.SADB_ADD);
    assertThat(inner.pid()).isEqualTo(200);
    assertThat(inner.keyAuth()).isEmpty();
    assertThat(seen).anyMatch(m -> m.type() == MessageType.SADB_ADD);
  }

  @Test
  void promiscDataFormDeliversTheInnerMessageUnprocessedToTheTargetPid() {
    byte[] inner = new PfKeyCodec().encode(Pf.base(MessageType.SADB_FLUSH, 0, 42, 0));
    SadbMessage data =
        SadbMessage.builder(MessageType.SADB_X_PROMISC)
            .seq(200)
            .pid(100)
            .add(new PromiscPayload(inner))
            .build();
    km.send(data);
    SadbMessage got = other.receive();
    assertThat(got.type()).isEqualTo(MessageType.SADB_FLUSH);
    assertThat(got.seq()).isEqualTo(42);
    assertThat(km.receive()).isNull();
    // Nothing was flushed: the engine did not process it.
    assertThat(engine.stats().messagesIn()).isEqualTo(1);
  }

  @Test
  void promiscDataFormToAnUnknownPidFailsWithEsrch() {
    SadbMessage data =
        SadbMessage.builder(MessageType.SADB_X_PROMISC)
            .seq(999)
            .pid(100)
            .add(new PromiscPayload(new byte[16]))
            .build();
    assertThat(km.call(data).errno()).isEqualTo(Errno.ESRCH.number());
  }

  @Test
  void malformedInjectedMessageIsReportedOnReceiveAndKeptAsBytes() {
    SadbMessage data =
        SadbMessage.builder(MessageType.SADB_X_PROMISC)
            .seq(0)
            .pid(100)
            .add(new PromiscPayload(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .build();
    km.send(data);
    byte[] raw = other.receiveBytes();
    assertThat(raw).startsWith(1, 2, 3);
    try {
      km.receive();
    } catch (PfKeyException e) {
      assertThat(e.errno()).isEqualTo(Errno.EMSGSIZE);
      return;
    }
    throw new AssertionError("a malformed injected message decoded");
  }
}
