package org.ipsecemu.datapath.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.ipsecemu.sadb.engine.EngineProfile;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.OutboundResult;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.ipsecemu.sadb.wire.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PF_KEY socket server in this JVM, driven over the real Unix socket by {@link PfKeyClient}s:
 * the exchanges of RFC 2367 §3.1 and §5.1, delivery to the sender, all or registered connections,
 * and how broken streams and refused peers end. Reads block until the expected message; the class
 * timeout turns a missing one into a failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PfKeyServerTest {
  @TempDir Path dir;

  private final ManualClock clock = new ManualClock();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private KeyEngine engine;
  private PfKeyServer server;

  private PfKeyServer serve(EngineProfile profile, PeerAccess access) throws IOException {
    engine = KeyEngine.builder().clock(clock).profile(profile).seed(7).build();
    server = PfKeyServer.start(engine, dir.resolve("pfkey.sock"), access, log::add);
    return server;
  }

  private PfKeyServer serve() throws IOException {
    return serve(EngineProfile.linux(), PeerAccess.of(List.of()));
  }

  private PfKeyClient client() {
    PfKeyClient c = PfKeyClient.connect(server.path());
    open.add(c);
    return c;
  }

  /**
   * A client whose engine socket surely exists: one round trip (a GET of no SA, answered ESRCH to
   * the sender only), as a key manager's first REGISTER would be. See {@link PfKeyServer} on
   * joining.
   */
  private PfKeyClient joined() {
    PfKeyClient c = client();
    assertThat(c.call(Km.get(1, Km.LOCAL, Km.PEER, 0xFFFF, 999)).errno())
        .isEqualTo(Errno.ESRCH.number());
    return c;
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  // ====================================================================== RFC 2367 §3.1 over a
  // socket

  @Test
  void registerRepliesWithSupportedAlgorithmsToRegisteredConnectionsOnly() throws IOException {
    serve();
    PfKeyClient kmd = client();
    PfKeyClient other = client();

    SadbMessage reply = kmd.call(Km.register(1, 501));

    assertThat(reply.errno()).isZero();
    assertThat(reply.satype()).isEqualTo(Km.ESP);
    assertThat(reply.has(ExtensionType.SADB_EXT_SUPPORTED_AUTH)).isTrue();
    assertThat(reply.has(ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT)).isTrue();
    // §3.1.7: the reply goes to registered sockets; the other connection's first message is the
    // answer to its own request, sent after the REGISTER was answered.
    SadbMessage first = other.call(Km.get(0x999, Km.LOCAL, Km.PEER, 1, 502));
    assertThat(other.seen).isEmpty();
    assertThat(first.errno()).isEqualTo(Errno.ESRCH.number());
  }

  @Test
  void getspiWithARangeAnswersEveryConnectionWithALarvalSpiInTheRange() throws IOException {
    serve();
    PfKeyClient kmd = client();
    PfKeyClient watcher = joined();

    SadbMessage reply = kmd.call(Km.getspi(Km.PEER, Km.LOCAL, 0x1000, 0x1fff, 7, 501));

    assertThat(reply.errno()).isZero();
    long spi = reply.sa().orElseThrow().spi();
    assertThat(spi).isBetween(0x1000L, 0x1fffL);
    SadbMessage seen = watcher.receiveUntil(m -> m.type() == MessageType.SADB_GETSPI);
    assertThat(seen.type()).isEqualTo(MessageType.SADB_GETSPI);
    assertThat(seen.sa().orElseThrow().spi()).isEqualTo(spi);
    assertThat(engine.associations())
        .singleElement()
        .satisfies(sa -> assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_LARVAL));
  }

  @Test
  void updateFromAnotherConnectionIsRefusedWithEaccesAndTheCreatorsUpdateMatures()
      throws IOException {
    serve();
    PfKeyClient creator = client();
    PfKeyClient intruder = client();
    long spi = creator.call(Km.getspi(Km.PEER, Km.LOCAL, 0x2000, 0x2fff, 3, 501)).sa().get().spi();

    SadbMessage refused =
        intruder.call(Km.sa(MessageType.SADB_UPDATE, spi, Km.PEER, Km.LOCAL, 3, 502));
    SadbMessage accepted =
        creator.call(Km.sa(MessageType.SADB_UPDATE, spi, Km.PEER, Km.LOCAL, 3, 501));

    assertThat(refused.errno()).isEqualTo(Errno.EACCES.number());
    assertThat(accepted.errno()).isZero();
    assertThat(accepted.sa().orElseThrow().state()).isEqualTo(SaState.SADB_SASTATE_MATURE.value());
    assertThat(accepted.has(ExtensionType.SADB_EXT_KEY_ENCRYPT)).isFalse();
  }

  @Test
  void addThenGetReturnsTheKeysToTheRequester() throws IOException {
    serve();
    PfKeyClient kmd = client();

    SadbMessage added = kmd.call(Km.sa(MessageType.SADB_ADD, 0x3001, Km.LOCAL, Km.PEER, 4, 501));
    SadbMessage got = kmd.call(Km.get(0x3001, Km.LOCAL, Km.PEER, 5, 501));

    assertThat(added.errno()).isZero();
    assertThat(added.has(ExtensionType.SADB_EXT_KEY_AUTH)).isFalse();
    assertThat(got.errno()).isZero();
    assertThat(got.find(ExtensionType.SADB_EXT_KEY_ENCRYPT, KeyExtension.class).get().key())
        .isEqualTo(Km.ENC_KEY);
    assertThat(got.find(ExtensionType.SADB_EXT_KEY_AUTH, KeyExtension.class).get().key())
        .isEqualTo(Km.AUTH_KEY);
  }

  @Test
  void dumpSendsEverySaAndEndsWithSeqZero() throws IOException {
    serve();
    PfKeyClient kmd = client();
    for (int i = 0; i < 3; i++) {
      kmd.call(Km.sa(MessageType.SADB_ADD, 0x4000 + i, Km.LOCAL, Km.PEER, 10 + i, 501));
    }

    kmd.send(Km.dump(20, 501));
    List<SadbMessage> dump = new ArrayList<>();
    SadbMessage m;
    do {
      m = kmd.receiveUntil(x -> x.type() == MessageType.SADB_DUMP);
      dump.add(m);
    } while (m.seq() != 0);

    assertThat(dump).extracting(SadbMessage::seq).containsExactly(2L, 1L, 0L);
    assertThat(dump)
        .extracting(x -> x.sa().orElseThrow().spi())
        .containsExactlyInAnyOrder(0x4000L, 0x4001L, 0x4002L);
  }

  @Test
  void flushIsSeenByEveryConnection() throws IOException {
    serve();
    PfKeyClient a = joined();
    PfKeyClient b = joined();
    PfKeyClient c = joined();
    a.call(Km.sa(MessageType.SADB_ADD, 0x5001, Km.LOCAL, Km.PEER, 1, 501));

    a.send(Km.flush(9, 501));

    for (PfKeyClient x : List.of(a, b, c)) {
      SadbMessage f = x.receiveUntil(m -> m.type() == MessageType.SADB_FLUSH);
      assertThat(f.errno()).isZero();
      assertThat(f.seq()).isEqualTo(9);
    }
    assertThat(engine.associations()).isEmpty();
  }

  @Test
  void acquireReachesTheRegisteredConnectionAndItsUpdateAnswersTheFlow() throws IOException {
    serve();
    PfKeyClient kmd = client();
    kmd.call(Km.register(1, 501));
    assertThat(kmd.call(Km.spdaddOut(Km.LOCAL, Km.PEER, 2, 501)).errno()).isZero();
    Flow flow = Flow.of(ip(Km.LOCAL), ip(Km.PEER), 17, 5000, 53);

    OutboundResult pending = engine.getassocbysocket(flow);
    SadbMessage acquire = kmd.receiveUntil(m -> m.type() == MessageType.SADB_ACQUIRE);
    // §5.1: GETSPI and UPDATE carry the ACQUIRE's seq.
    long spi =
        kmd.call(Km.getspi(Km.LOCAL, Km.PEER, 0x100, 0xffff, acquire.seq(), 501)).sa().get().spi();
    SadbMessage update =
        kmd.call(Km.sa(MessageType.SADB_UPDATE, spi, Km.LOCAL, Km.PEER, acquire.seq(), 501));

    assertThat(pending.kind()).isEqualTo(OutboundResult.Kind.PENDING);
    assertThat(acquire.seq()).isEqualTo(pending.acquireSeq());
    assertThat(acquire.pid()).isZero();
    assertThat(update.errno()).isZero();
    OutboundResult now = engine.getassocbysocket(flow);
    assertThat(now.kind()).isEqualTo(OutboundResult.Kind.PROTECT);
    assertThat(now.sa(0).spi()).isEqualTo((int) spi);
  }

  @Test
  void softThenHardExpireArePushedAsTheClockAdvances() throws IOException {
    serve();
    PfKeyClient kmd = client();
    kmd.call(
        Km.sa(MessageType.SADB_ADD, 0x6001, Km.LOCAL, Km.PEER, 1, 501, Km.soft(10), Km.hard(20)));

    engine.advance(Duration.ofSeconds(15));
    SadbMessage soft = kmd.receiveUntil(m -> m.type() == MessageType.SADB_EXPIRE);
    engine.advance(Duration.ofSeconds(10));
    SadbMessage hard = kmd.receiveUntil(m -> m.type() == MessageType.SADB_EXPIRE);

    assertThat(soft.has(ExtensionType.SADB_EXT_LIFETIME_SOFT)).isTrue();
    assertThat(soft.has(ExtensionType.SADB_EXT_LIFETIME_HARD)).isFalse();
    assertThat(soft.sa().orElseThrow().state()).isEqualTo(SaState.SADB_SASTATE_DYING.value());
    assertThat(hard.has(ExtensionType.SADB_EXT_LIFETIME_HARD)).isTrue();
    assertThat(hard.find(ExtensionType.SADB_EXT_LIFETIME_HARD, LifetimeExtension.class))
        .get()
        .extracting(LifetimeExtension::addtime)
        .isEqualTo(20L);
    assertThat(engine.associations()).isEmpty();
  }

  @Test
  void closingAConnectionEndsItsRegistration() throws IOException {
    serve();
    PfKeyClient kmd = client();
    kmd.call(Km.register(1, 501));
    kmd.call(Km.spdaddOut(Km.LOCAL, Km.PEER, 2, 501));
    kmd.channel.shutdownOutput();
    // The server closes the engine socket before the stream, so the end of stream is the sign.
    assertThat(kmd.closedByServer()).isTrue();

    client().call(Km.get(1, Km.LOCAL, Km.PEER, 1, 9));
    OutboundResult r = engine.getassocbysocket(Flow.of(ip(Km.LOCAL), ip(Km.PEER), 6, 1, 2));

    assertThat(r.kind()).isEqualTo(OutboundResult.Kind.NO_KEY_MANAGER);
    assertThat(engine.stats().sockets()).isEqualTo(1);
  }

  @Test
  void aBigEndianServerFramesAndAnswersInItsOwnByteOrder() throws IOException {
    WireFormat big = WireFormat.LINUX.withByteOrder(ByteOrder.BIG_ENDIAN);
    engine = KeyEngine.builder().clock(clock).wireFormat(big).build();
    server = PfKeyServer.start(engine, dir.resolve("big.sock"), PeerAccess.of(List.of()));
    PfKeyClient c = PfKeyClient.connect(server.path(), big);
    open.add(c);

    SadbMessage reply = c.call(Km.sa(MessageType.SADB_ADD, 0x9001, Km.LOCAL, Km.PEER, 1, 7));

    assertThat(reply.errno()).isZero();
    assertThat(reply.sa().orElseThrow().spi()).isEqualTo(0x9001);
  }

  // ====================================================================== broken streams

  @Test
  void garbageGetsAnErrorReplyAndClosesOnlyItsOwnConnection() throws IOException {
    serve();
    PfKeyClient good = client();
    good.call(Km.register(1, 501));
    PfKeyClient bad = client();

    bad.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    // The reply is the header it was sent (as Linux's pfkey_error echoes it) made framable:
    // version 2, sadb_msg_len 2, the errno; the type stays the garbage's 'E'.
    byte[] error = bad.receiveRaw();
    assertThat(error).hasSize(16);
    assertThat(error[0]).isEqualTo((byte) 2);
    assertThat(error[1]).isEqualTo((byte) 'E');
    assertThat(error[2]).isEqualTo((byte) Errno.EINVAL.number());
    assertThat(bad.closedByServer()).isTrue();
    assertThat(bad.seen).isEmpty();
    assertThat(good.call(Km.sa(MessageType.SADB_ADD, 0x7001, Km.LOCAL, Km.PEER, 2, 501)).errno())
        .isZero();
    assertThat(server.broken()).isEqualTo(1);
    assertThat(log).anyMatch(l -> l.contains("stream broken, EINVAL: sadb_msg_version=71"));
  }

  @Test
  void anExtensionLengthThatLiesClosesTheConnectionAfterTheEarlierReplies() throws IOException {
    serve();
    PfKeyClient c = client();
    byte[] flush = c.codec.encode(Km.flush(1, 501));
    // A GET whose SA extension claims 3 words in a message of 3 words (the header is 2).
    byte[] lying = c.codec.encode(Km.get(0x1, Km.LOCAL, Km.PEER, 2, 501));
    ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short) 3);
    byte[] both = new byte[flush.length + 24];
    System.arraycopy(flush, 0, both, 0, flush.length);
    System.arraycopy(lying, 0, both, flush.length, 24);

    c.sendRaw(both);

    SadbMessage first = c.receive();
    SadbMessage second = c.receive();
    assertThat(first.type()).isEqualTo(MessageType.SADB_FLUSH);
    assertThat(first.errno()).isZero();
    assertThat(second.type()).isEqualTo(MessageType.SADB_GET);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.errno()).isEqualTo(Errno.EINVAL.number());
    assertThat(c.closedByServer()).isTrue();
    assertThat(c.seen).isEmpty();
  }

  @Test
  void aHeaderShorterThanItselfIsEmsgsize() throws IOException {
    serve();
    PfKeyClient c = client();
    byte[] m = c.codec.encode(Km.flush(3, 501));
    ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short) 1);

    c.sendRaw(m);

    assertThat(c.receive().errno()).isEqualTo(Errno.EMSGSIZE.number());
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void aStreamEndingInsideAHeaderIsAnsweredBeforeItCloses() throws IOException {
    serve();
    PfKeyClient c = client();
    byte[] m = c.codec.encode(Km.flush(3, 501));

    c.sendRaw(java.util.Arrays.copyOf(m, 7));
    c.channel.shutdownOutput();

    SadbMessage reply = c.receive();
    assertThat(reply.type()).isEqualTo(MessageType.SADB_FLUSH);
    assertThat(reply.errno()).isEqualTo(Errno.EMSGSIZE.number());
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void aBadHeaderFieldIsAnsweredAndTheConnectionGoesOn() throws IOException {
    serve(); // the Linux profile: the engine fails the send, the server answers it
    PfKeyClient c = client();
    byte[] reserved = c.codec.encode(Km.flush(4, 501));
    reserved[6] = 1; // sadb_msg_reserved
    byte[] unknownType = c.codec.encode(Km.flush(5, 501));
    unknownType[1] = 99;

    c.sendRaw(reserved);
    c.sendRaw(unknownType);
    SadbMessage r1 = c.receive();
    byte[] r2 = c.receiveRaw();
    SadbMessage after = c.call(Km.flush(6, 501));

    assertThat(r1.errno()).isEqualTo(Errno.EINVAL.number());
    assertThat(r1.seq()).isEqualTo(4);
    assertThat(r2[1]).isEqualTo((byte) 99);
    assertThat(r2[2]).isEqualTo((byte) Errno.EINVAL.number());
    assertThat(after.errno()).isZero();
    assertThat(server.broken()).isZero();
  }

  @Test
  void aClientThatNeverReadsDoesNotHoldUpTheEngineOrOthers() throws IOException {
    serve(
        EngineProfile.linux().toBuilder().receiveQueueCapacity(64).build(),
        PeerAccess.of(List.of()));
    PfKeyClient sleeper = client();
    sleeper.call(Km.register(1, 400)); // then never reads again
    PfKeyClient busy = client();

    for (int i = 0; i < 4000; i++) {
      SadbMessage r =
          busy.call(Km.sa(MessageType.SADB_ADD, 0x10000 + i, Km.LOCAL, Km.PEER, i, 501));
      assertThat(r.errno()).isZero();
    }

    assertThat(engine.stats().dropped()).isPositive();
  }

  // ====================================================================== privilege, files

  @Test
  void anUnprivilegedPeerIsAnsweredEpermAndClosed() throws IOException {
    serve(EngineProfile.linux(), PeerAccess.none());
    PfKeyClient c = client();

    SadbMessage reply = c.call(Km.register(11, 777));

    assertThat(reply.errno()).isEqualTo(Errno.EPERM.number());
    assertThat(c.closedByServer()).isTrue();
    assertThat(c.seen).isEmpty();
    assertThat(engine.stats().sockets()).isZero();
    assertThat(server.refused()).isEqualTo(1);
    assertThat(log).anyMatch(l -> l.contains("refused EPERM: user=root"));
  }

  @Test
  void theSocketFileIsMode0600AndRemovedOnClose() throws IOException {
    serve();
    Path p = server.path();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
        .isEqualTo("rw-------");
    try (var s = Files.list(dir)) {
      assertThat(s).containsExactly(p); // the private bind directory is gone
    }
    server.close();
    assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void serverCloseEndsEveryConnection() throws IOException {
    serve();
    PfKeyClient a = client();
    a.call(Km.register(1, 501));
    PfKeyClient b = client();
    b.call(Km.flush(1, 502));

    server.close();

    assertThat(a.closedByServer()).isTrue();
    assertThat(b.closedByServer()).isTrue();
    assertThat(engine.stats().sockets()).isZero();
    assertThat(server.openConnections()).isZero();
  }

  @Test
  void aStaleSocketIsReplacedButALiveOneOrAFileIsNot() throws IOException {
    Path path = dir.resolve("pfkey.sock");
    UnixSocketFile first = UnixSocketFile.bind(path);
    assertThatThrownBy(() -> UnixSocketFile.bind(path))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class)
        .hasMessageContaining("already listening");
    first.channel().close(); // the file stays: a server that died

    try (UnixSocketFile second = UnixSocketFile.bind(path)) {
      assertThat(Files.exists(second.path(), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
    Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
    assertThatThrownBy(() -> UnixSocketFile.bind(file))
        .hasMessageContaining("exists and is not a socket");
    assertThat(Files.readString(file)).isEqualTo("keep me");
  }

  private static InetAddress ip(String s) {
    return SockAddr.parseAddress(s);
  }
}
