package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.ProposalExtension;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * Fuzzes the Key Engine with arbitrary sequences of messages on three sockets of different
 * privileges, interleaved with clock jumps, datapath lookups and charges, reads, and sockets closed
 * and reopened. The committed corpus under {@code KeyEngineFuzzTestInputs/} runs as regression
 * tests; {@code JAZZER_FUZZ=1} fuzzes (see SECURITY.md). Limits are small so that the ENOBUFS and
 * full-queue paths are reached.
 *
 * <p>Invariants checked after every step:
 *
 * <ul>
 *   <li>Every message is answered or dropped counted: {@code send} either throws a {@link
 *       PfKeyException} (a bad base header, as Linux fails the write) or puts a reply on the
 *       sender's queue or counts it dropped; the only exceptions are the relay forms that §3.1.6,
 *       Appendix A and Appendix B send to other sockets (application ACQUIRE, data-form X_PROMISC,
 *       X_PCHANGE), and a DUMP that waits for room in the queue. The engine counts every message
 *       in.
 *   <li>No SA is lost: the usable SAs in the database are exactly those the listener saw added and
 *       not removed, and {@code getassocbyspi} finds each of them.
 *   <li>Keys: an SA's keys are zero once it was removed; no socket without {@link
 *       Privilege#READ_KEYS} ever receives the bytes of a key the engine holds or held.
 *   <li>Bounds: queues, larval SAs and pending ACQUIREs stay within the profile's limits.
 * </ul>
 */
class KeyEngineFuzzTest {
  private static final PfKeyCodec CODEC = new PfKeyCodec();
  private static final int SOCKETS = 3;
  private static final int QUEUE = 8;
  private static final int MAX_LARVAL = 3;
  private static final int MAX_ACQUIRES = 2;
  private static final int SPI_BASE = 0x1000;

  /** Every byte value but zero: a zeroed key contains none of them. */
  private static final byte[] KEY_BYTES = new byte[255];

  static {
    for (int i = 0; i < KEY_BYTES.length; i++) {
      KEY_BYTES[i] = (byte) (i + 1);
    }
  }

  private static final MessageType[] TYPES = {
    MessageType.SADB_ADD,
    MessageType.SADB_ADD,
    MessageType.SADB_GETSPI,
    MessageType.SADB_UPDATE,
    MessageType.SADB_DELETE,
    MessageType.SADB_GET,
    MessageType.SADB_REGISTER,
    MessageType.SADB_DUMP,
    MessageType.SADB_FLUSH,
    MessageType.SADB_X_SPDADD,
    MessageType.SADB_X_SPDDUMP,
    MessageType.SADB_X_SPDFLUSH,
    MessageType.SADB_ACQUIRE,
    MessageType.SADB_X_PROMISC,
    MessageType.SADB_EXPIRE,
    MessageType.SADB_X_SPDDELETE,
  };

  /** Credentials of socket i: root; key management only; key management and promiscuous. */
  private static Credentials credentials(int i) {
    return switch (i) {
      case 0 -> Credentials.root(100);
      case 1 -> new Credentials(200, 1000, EnumSet.of(Privilege.KEY_MANAGEMENT));
      default ->
          new Credentials(300, 1001, EnumSet.of(Privilege.KEY_MANAGEMENT, Privilege.PROMISCUOUS));
    };
  }

  private final class Run {
    final ManualClock clock = new ManualClock();
    final KeyEngine engine =
        KeyEngine.builder()
            .clock(clock)
            .seed(1)
            .profile(
                EngineProfile.linux().toBuilder()
                    .receiveQueueCapacity(QUEUE)
                    .maxLarvalSas(MAX_LARVAL)
                    .maxPendingAcquires(MAX_ACQUIRES)
                    .maxSockets(SOCKETS + 1)
                    .maxPolicies(8)
                    .build())
            .build();
    final PfKeySocket[] sockets = new PfKeySocket[SOCKETS];
    final Map<SecurityAssociation, Boolean> live = new IdentityHashMap<>();
    final List<SecurityAssociation> removed = new ArrayList<>();
    final Set<String> keysHex = new HashSet<>();
    final List<byte[]> keys = new ArrayList<>();

    Run() {
      engine.addListener(
          new SaListener() {
            @Override
            public void added(SecurityAssociation sa) {
              assertThat(live.put(sa, Boolean.TRUE)).isNull();
              remember(sa.authKey());
              remember(sa.encryptKey());
            }

            @Override
            public void removed(SecurityAssociation sa, RemovalReason reason) {
              assertThat(live.remove(sa)).isNotNull();
              removed.add(sa);
            }
          });
      for (int i = 0; i < SOCKETS; i++) {
        sockets[i] = engine.open(credentials(i));
      }
    }

    void remember(byte[] key) {
      if (key.length >= 8 && keysHex.add(java.util.HexFormat.of().formatHex(key))) {
        keys.add(key);
      }
    }
  }

  @FuzzTest(maxDuration = "5m")
  void answersEveryMessageLosesNoSaAndLeaksNoKey(FuzzedDataProvider data) {
    Run run = new Run();
    for (int step = 0; step < 48 && data.remainingBytes() > 0; step++) {
      int s = data.consumeInt(0, SOCKETS - 1);
      switch (data.consumeInt(0, 7)) {
        case 0, 1 -> send(run, s, template(data, run.sockets[s].pid()), null);
        case 2 -> {
          byte[] bytes = CODEC.encode(template(data, run.sockets[s].pid()));
          int n = data.consumeInt(1, 4);
          for (int i = 0; i < n; i++) {
            bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
          }
          send(run, s, null, bytes);
        }
        case 3 -> send(run, s, null, data.consumeBytes(data.consumeInt(0, 160)));
        case 4 -> run.engine.advance(Duration.ofSeconds(data.consumeInt(0, 45)));
        case 5 -> datapath(run, data);
        case 6 -> {
          run.sockets[s].close();
          run.sockets[s] = run.engine.open(credentials(s));
        }
        default -> read(run, s, data.consumeInt(1, QUEUE * 2));
      }
      checkInvariants(run);
    }
    for (int s = 0; s < SOCKETS; s++) {
      read(run, s, Integer.MAX_VALUE);
    }
    checkInvariants(run);
  }

  private static SadbMessage template(FuzzedDataProvider data, long pid) {
    MessageType type = TYPES[data.consumeInt(0, TYPES.length - 1)];
    int satype = data.consumeBoolean() ? Pf.ESP : Pf.AH;
    long spi = SPI_BASE + data.consumeInt(0, 3);
    long seq = data.consumeInt(0, 255);
    return switch (type) {
      case SADB_ADD, SADB_UPDATE -> {
        SadbMessage m =
            satype == Pf.ESP
                ? Pf.addEsp(spi, seq, pid)
                : Pf.add(Pf.AH, spi, Pf.SHA1, Pf.key(20, (int) spi), 0, null);
        if (data.consumeBoolean()) {
          m = m.with(Pf.hard(0, data.consumeInt(0, 4000), data.consumeInt(0, 60), 0));
        }
        if (data.consumeBoolean()) {
          m = m.with(Pf.soft(0, data.consumeInt(0, 4000), data.consumeInt(0, 60), 0));
        }
        yield m.withType(type).withSeq(seq).withPid(pid);
      }
      case SADB_GETSPI -> Pf.getspi(satype, seq, pid, spi, data.consumeBoolean() ? spi : spi + 3);
      case SADB_DELETE, SADB_GET -> Pf.byId(type, satype, spi, seq, pid);
      case SADB_REGISTER, SADB_DUMP, SADB_FLUSH ->
          Pf.base(type, data.consumeBoolean() ? satype : 0, seq, pid);
      case SADB_X_SPDADD, SADB_X_SPDDELETE ->
          Pf.spdadd(
                  "10.0.0.0",
                  24,
                  0,
                  "10.1.0.0",
                  24,
                  0,
                  255,
                  data.consumeBoolean()
                      ? PolicyDirection.IPSEC_DIR_OUTBOUND
                      : PolicyDirection.IPSEC_DIR_INBOUND,
                  PolicyType.IPSEC_POLICY_IPSEC,
                  data.consumeBoolean()
                      ? Pf.transport(50, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0)
                      : Pf.tunnel(50, Pf.A, Pf.B, IpsecLevel.IPSEC_LEVEL_UNIQUE))
              .withType(type)
              .withSeq(seq)
              .withPid(pid);
      case SADB_ACQUIRE ->
          data.consumeBoolean()
              ? Pf.base(type, satype, seq, pid).withErrno(Errno.ENOENT)
              : Pf.msg(type, satype, seq, pid, Pf.src(Pf.A), Pf.dst(Pf.B), proposal());
      case SADB_X_PROMISC -> Pf.base(type, data.consumeInt(0, 1), seq, pid);
      case SADB_EXPIRE ->
          Pf.msg(
              type,
              data.consumeInt(0, 10),
              seq,
              pid,
              Pf.sa(spi, 0, 0),
              new org.ipsecemu.sadb.wire.LifetimeExtension(
                  org.ipsecemu.sadb.wire.ExtensionType.SADB_EXT_LIFETIME_CURRENT, 1, 2, 3, 4),
              Pf.hard(0, 0, 1, 0),
              Pf.src(Pf.A),
              Pf.dst(Pf.B));
      default -> Pf.base(type, satype, seq, pid);
    };
  }

  private static ProposalExtension proposal() {
    return new ProposalExtension(
        32,
        List.of(
            new ProposalExtension.Comb(
                Pf.SHA1, Pf.AES, 0, 160, 160, 128, 256, 0, 0, 0, 0, 0, 3600, 0, 0)));
  }

  private static void send(Run run, int s, SadbMessage message, byte[] bytes) {
    PfKeySocket socket = run.sockets[s];
    long before = socket.delivered() + socket.dropped();
    long in = run.engine.stats().messagesIn();
    MessageType type;
    try {
      if (message != null) {
        type = message.type();
        socket.send(message);
      } else {
        type = bytes.length >= 2 ? MessageType.valueOf(bytes[1] & 0xFF).orElse(null) : null;
        socket.send(bytes);
      }
    } catch (PfKeyException e) {
      assertThat(e.errno()).isIn(Errno.EINVAL, Errno.EMSGSIZE);
      assertThat(run.engine.stats().messagesIn()).isBetween(in, in + 1);
      return;
    }
    assertThat(run.engine.stats().messagesIn()).isEqualTo(in + 1);
    // A DUMP on a queue more than half full starts when the reader drains it (as Linux): the
    // answer is deferred, not lost; the final read of every queue then takes it to its end.
    boolean answered = socket.delivered() + socket.dropped() > before || socket.dump != null;
    if (!answered) {
      assertThat(type)
          .as("a message that got no answer and was not dropped")
          .isIn(MessageType.SADB_ACQUIRE, MessageType.SADB_X_PROMISC, MessageType.SADB_X_PCHANGE);
    }
  }

  private static void datapath(Run run, FuzzedDataProvider data) {
    int spi = SPI_BASE + data.consumeInt(0, 3);
    int proto = data.consumeBoolean() ? 50 : 51;
    SecurityAssociation sa = run.engine.getassocbyspi(Pf.ip(Pf.B), spi, proto);
    if (sa != null) {
      assertThat(sa.isUsable()).isTrue();
      assertThat(sa.spi()).isEqualTo(spi);
      sa.charge(data.consumeInt(0, 3000));
    }
    run.engine.getassocbysocket(
        Flow.of(Pf.ip("10.0.0." + data.consumeInt(1, 3)), Pf.ip("10.1.0.7"), 6, 1000, 22));
  }

  private static void read(Run run, int s, int max) {
    PfKeySocket socket = run.sockets[s];
    boolean mayReadKeys = socket.credentials().has(Privilege.READ_KEYS);
    for (int i = 0; i < max; i++) {
      byte[] b = socket.receiveBytes();
      if (b == null) {
        return;
      }
      assertThat(b.length % 8).isZero();
      if (!mayReadKeys) {
        for (byte[] key : run.keys) {
          assertThat(indexOf(b, key))
              .as("key material delivered to unprivileged socket %d", s)
              .isNegative();
        }
      }
    }
  }

  private static void checkInvariants(Run run) {
    KeyEngine e = run.engine;
    Set<SecurityAssociation> usable = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (SecurityAssociation sa : e.associations()) {
      if (sa.isUsable()) {
        usable.add(sa);
        if (sa.ipProtocol() != 0) { // SA types outside IPsec (OSPF, RIP...) have no packets
          assertThat(e.getassocbyspi(sa.destination(), sa.spi(), sa.ipProtocol())).isSameAs(sa);
        }
      }
    }
    assertThat(usable).containsExactlyInAnyOrderElementsOf(run.live.keySet());
    for (SecurityAssociation sa : run.removed) {
      // An AH SA has no encryption key: an empty copy.
      assertThat(sa.authKey()).doesNotContain(KEY_BYTES);
      assertThat(sa.encryptKey()).doesNotContain(KEY_BYTES);
    }
    EngineStats st = e.stats();
    assertThat(st.sas()).isEqualTo(e.associations().size());
    assertThat(st.larval()).isBetween(0, MAX_LARVAL);
    assertThat(st.pendingAcquires()).isBetween(0, MAX_ACQUIRES);
    assertThat(st.errors()).isLessThanOrEqualTo(st.messagesIn());
    for (PfKeySocket s : run.sockets) {
      assertThat(s.pending()).isBetween(0, QUEUE);
    }
    String printed = st + " " + e.associations() + " " + e.spd();
    for (String hex : run.keysHex) {
      assertThat(printed.toLowerCase(java.util.Locale.ROOT)).doesNotContain(hex);
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
