package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

class PfKeySocketTest {
  private final ManualClock clock = new ManualClock();
  private final KeyEngine engine = KeyEngine.builder().clock(clock).seed(1).build();

  @Test
  void openingWithoutPrivilegeFailsWithEperm() {
    assertThatThrownBy(() -> engine.open(Credentials.user(77, 1000)))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
  }

  @Test
  void openingMoreSocketsThanTheLimitFailsWithEnobufs() {
    KeyEngine small =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().maxSockets(1).build())
            .build();
    small.open(Credentials.root(1));
    assertThatThrownBy(() -> small.open(Credentials.root(2)))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOBUFS));
  }

  @Test
  void repliesEchoSeqAndPidAndGoToEverySocket() {
    PfKeySocket a = engine.open(Credentials.root(100));
    PfKeySocket b = engine.open(Credentials.root(200));
    a.send(Pf.addEsp(0x1000, 7, 100));
    SadbMessage toA = a.receive();
    SadbMessage toB = b.receive();
    assertThat(toA).isEqualTo(toB);
    assertThat(toA.type()).isEqualTo(MessageType.SADB_ADD);
    assertThat(toA.seq()).isEqualTo(7);
    assertThat(toA.pid()).isEqualTo(100);
    assertThat(toA.errno()).isZero();
  }

  @Test
  void errorsComeBackToTheSenderOnlyAsABaseHeader() {
    PfKeySocket a = engine.open(Credentials.root(100));
    PfKeySocket b = engine.open(Credentials.root(200));
    SadbMessage reply = a.call(Pf.byId(MessageType.SADB_GET, Pf.ESP, 0x999, 3, 100));
    assertThat(reply.errno()).isEqualTo(Errno.ESRCH.number());
    assertThat(reply.extensions()).isEmpty();
    assertThat(reply.seq()).isEqualTo(3);
    assertThat(b.receive()).isNull();
  }

  @Test
  void errorsGoToAllSocketsWhenTheProfileSaysSo() {
    KeyEngine e =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().errorsToSenderOnly(false).build())
            .build();
    PfKeySocket a = e.open(Credentials.root(100));
    PfKeySocket b = e.open(Credentials.root(200));
    a.send(Pf.byId(MessageType.SADB_GET, Pf.ESP, 0x999, 3, 100));
    assertThat(b.receive().errno()).isEqualTo(Errno.ESRCH.number());
  }

  @Test
  void badVersionFailsTheSendWithEinval() {
    PfKeySocket a = engine.open(Credentials.root(100));
    SadbMessage v1 =
        new SadbMessage(1, MessageType.SADB_FLUSH, 0, 0, 0, 1, 100, java.util.List.of());
    assertThatThrownBy(() -> a.send(v1))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    assertThat(a.receive()).isNull();
  }

  @Test
  void lengthMismatchFailsTheSendWithEmsgsize() {
    PfKeySocket a = engine.open(Credentials.root(100));
    SadbMessage wrongLen =
        new SadbMessage(2, MessageType.SADB_FLUSH, 0, 0, 5, 0, 1, 100, java.util.List.of());
    assertThatThrownBy(() -> a.send(wrongLen))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EMSGSIZE));
  }

  @Test
  void headerErrorsAreRepliesWhenTheProfileDoesNotFailTheSend() {
    KeyEngine e =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().headerErrorsFailSend(false).build())
            .build();
    PfKeySocket a = e.open(Credentials.root(100));
    a.send(new SadbMessage(2, MessageType.SADB_FLUSH, 0, 0, 1, 9, 100, java.util.List.of()));
    SadbMessage r = a.receive();
    assertThat(r.errno()).isEqualTo(Errno.EINVAL.number());
    assertThat(r.seq()).isEqualTo(9);
  }

  @Test
  void bytesInAndOutMatchTheCodec() {
    PfKeySocket a = engine.open(Credentials.root(100));
    PfKeyCodec codec = new PfKeyCodec();
    a.send(codec.encode(Pf.addEsp(0x1000, 7, 100)));
    byte[] reply = a.receiveBytes();
    SadbMessage decoded = codec.decode(reply);
    assertThat(decoded.type()).isEqualTo(MessageType.SADB_ADD);
    assertThat(decoded.keyAuth()).isEmpty();
  }

  @Test
  void truncatedBytesFailTheSendWithEmsgsize() {
    PfKeySocket a = engine.open(Credentials.root(100));
    byte[] b = new PfKeyCodec().encode(Pf.addEsp(0x1000, 7, 100));
    byte[] cut = java.util.Arrays.copyOf(b, b.length - 8);
    assertThatThrownBy(() -> a.send(cut))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EMSGSIZE));
  }

  @Test
  void malformedExtensionsComeBackAsAnErrorReply() {
    PfKeySocket a = engine.open(Credentials.root(100));
    byte[] b = new PfKeyCodec().encode(Pf.addEsp(0x1000, 7, 100));
    // The first extension (SADB_EXT_SA at offset 16) says its length is 0: EINVAL (§2.3).
    b[16] = 0;
    b[17] = 0;
    a.send(b);
    SadbMessage r = a.receive();
    assertThat(r.errno()).isEqualTo(Errno.EINVAL.number());
    assertThat(r.type()).isEqualTo(MessageType.SADB_ADD);
    assertThat(r.seq()).isEqualTo(7);
  }

  @Test
  void fullQueueDropsAndCountsWithoutBlocking() {
    KeyEngine e =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().receiveQueueCapacity(2).build())
            .build();
    PfKeySocket sender = e.open(Credentials.root(1));
    PfKeySocket slow = e.open(Credentials.root(2));
    for (int i = 0; i < 5; i++) {
      sender.send(Pf.base(MessageType.SADB_FLUSH, 0, i, 1));
      sender.drain();
    }
    assertThat(slow.pending()).isEqualTo(2);
    assertThat(slow.dropped()).isEqualTo(3);
    assertThat(e.stats().dropped()).isEqualTo(3);
    assertThat(slow.receive().seq()).isEqualTo(0);
  }

  @Test
  void timedReceiveReturnsAWaitingMessageAtOnceAndNullWhenNoneWithZeroTimeout() throws Exception {
    PfKeySocket a = engine.open(Credentials.root(1));
    assertThat(a.receive(java.time.Duration.ZERO)).isNull();
    a.send(Pf.base(MessageType.SADB_FLUSH, 0, 4, 1));
    assertThat(a.receive(java.time.Duration.ofDays(1)).seq()).isEqualTo(4);
  }

  @Test
  void closedSocketRefusesToSendAndStopsReceiving() {
    PfKeySocket a = engine.open(Credentials.root(1));
    PfKeySocket b = engine.open(Credentials.root(2));
    b.close();
    a.send(Pf.base(MessageType.SADB_FLUSH, 0, 1, 1));
    assertThat(b.receive()).isNull();
    assertThatThrownBy(() -> b.send(Pf.base(MessageType.SADB_FLUSH, 0, 1, 2)))
        .isInstanceOf(PfKeyException.class);
    assertThat(engine.stats().sockets()).isEqualTo(1);
  }

  @Test
  void unsupportedMessageTypesFailWithEopnotsupp() {
    PfKeySocket a = engine.open(Credentials.root(1));
    SadbMessage r = a.call(Pf.base(MessageType.SADB_X_SPDSETIDX, 0, 1, 1));
    assertThat(r.errno()).isEqualTo(Errno.EOPNOTSUPP.number());
  }

  @Test
  void credentialsWithoutPrivilegesHaveNone() {
    assertThat(Credentials.user(5, 1).privileges()).isEmpty();
    assertThat(Credentials.root(5).privileges()).containsAll(Set.of(Privilege.values()));
  }
}
