package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.Packets.counting;
import static org.ipsecemu.datapath.pipeline.Packets.ipv4;
import static org.ipsecemu.datapath.pipeline.Packets.range;
import static org.ipsecemu.datapath.pipeline.Packets.udp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.ipsecemu.datapath.crypto.Direction;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.alg.AlgorithmKind;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SupportedExtension;
import org.junit.jupiter.api.Test;

/**
 * The outbound path: what policy decides (bypass, discard, protect), SADB_ACQUIRE and the pending
 * queue, sequence numbers, IVs, and that nothing a policy wants protected leaves in the clear.
 */
class OutboundTest {
  static final String A = "192.0.2.1";
  static final String B = "192.0.2.2";
  static final String KEYS = HeadersAndModesTest.KEYS;
  static final String SA = "add " + A + " " + B + " esp 0x6001 -m transport -r 32 " + KEYS + ";";
  static final String REQUIRE =
      "spdadd " + A + " " + B + " any -P out ipsec esp/transport//require;";

  static byte[] plain(int port, int size) {
    return ipv4(A, B, 17, udp(port, 53, counting(size)));
  }

  @Test
  void withoutPolicyThePacketIsSentUnchanged() {
    try (Lab lab = new Lab()) {
      byte[] p = plain(1000, 10);
      assertThat(lab.dp.outbound(p, 0, p.length, lab.ctx)).isEqualTo(OutboundVerdict.BYPASS);
      assertThat(lab.ctx.buffer()).as("the input itself").isSameAs(p);
      assertThat(lab.ctx.output()).isEqualTo(p);
    }
  }

  @Test
  void nonePolicyBypassesAndDiscardPolicyDrops() {
    try (Lab lab = new Lab()) {
      lab.run(
          "spdadd "
              + A
              + " "
              + B
              + " udp -P out none;"
              + "spdadd "
              + A
              + " "
              + B
              + " tcp -P out discard;");
      assertThat(lab.out(plain(1000, 10))).isEqualTo(OutboundVerdict.BYPASS);
      byte[] tcp = ipv4(A, B, 6, counting(20));
      assertThat(lab.out(tcp)).isEqualTo(OutboundVerdict.POLICY);
      assertThat(lab.ctx.hasOutput()).isFalse();
      assertThat(lab.dp.stats().outbound()).containsEntry("bypass", 1L).containsEntry("policy", 1L);
    }
  }

  @Test
  void missingSaWithoutKeyManagerIsNoSaAndNothingLeaves() {
    try (Lab lab = new Lab()) {
      lab.run(REQUIRE);
      assertThat(lab.out(plain(1000, 10))).isEqualTo(OutboundVerdict.NO_SA);
      assertThat(lab.ctx.hasOutput()).isFalse();
    }
  }

  @Test
  void pendingSaQueuesPacketsSendsOneAcquireAndReleasesThemInOrderWhenTheSaArrives() {
    try (Lab lab = new Lab()) {
      lab.setkey.register(SaType.SADB_SATYPE_ESP);
      lab.run(REQUIRE);
      byte[] first = plain(1000, 10);
      byte[] second = plain(1000, 11);
      assertThat(lab.out(first)).isEqualTo(OutboundVerdict.QUEUED);
      assertThat(lab.out(second)).isEqualTo(OutboundVerdict.QUEUED);
      assertThat(lab.ctx.hasOutput()).isFalse();
      assertThat(lab.dp.pendingPackets()).isEqualTo(2);
      List<SadbMessage> acquires =
          lab.setkey.socket().drain().stream()
              .filter(m -> m.type() == MessageType.SADB_ACQUIRE)
              .toList();
      assertThat(acquires).as("one SADB_ACQUIRE for the flow (RFC 2367 §3.1.6)").hasSize(1);

      List<byte[]> sent = new ArrayList<>();
      PacketSink sink = (buf, off, len) -> sent.add(range(buf, off, off + len));
      assertThat(lab.dp.releasePending(lab.ctx, sink)).as("still pending").isZero();

      lab.run(SA);
      assertThat(lab.dp.releasePending(lab.ctx, sink)).isEqualTo(2);
      assertThat(lab.dp.pendingPackets()).isZero();
      assertThat(sent).hasSize(2);
      assertThat(lab.open(sent.get(0))).isEqualTo(first);
      assertThat(lab.open(sent.get(1))).isEqualTo(second);
      assertThat(lab.dp.count(OutboundVerdict.QUEUED)).isEqualTo(2);
      assertThat(lab.dp.count(OutboundVerdict.OK)).isEqualTo(2);
    }
  }

  @Test
  void queueIsBoundedPerFlowAndInFlows() {
    try (Lab lab = new Lab(b -> b.queueLength(2).queuedFlows(2))) {
      lab.setkey.register(SaType.SADB_SATYPE_ESP);
      lab.run(REQUIRE);
      assertThat(lab.out(plain(1000, 1))).isEqualTo(OutboundVerdict.QUEUED);
      assertThat(lab.out(plain(1000, 2))).isEqualTo(OutboundVerdict.QUEUED);
      assertThat(lab.out(plain(1000, 3))).isEqualTo(OutboundVerdict.QUEUE_FULL);
      assertThat(lab.out(plain(1001, 1))).as("another flow").isEqualTo(OutboundVerdict.QUEUED);
      assertThat(lab.out(plain(1002, 1))).as("a third flow").isEqualTo(OutboundVerdict.QUEUE_FULL);
      assertThat(lab.dp.pendingPackets()).isEqualTo(3);
    }
  }

  @Test
  void packetWaitingPastTheTimeoutIsDroppedAndCounted() {
    try (Lab lab = new Lab(b -> b.queueTimeout(Duration.ofSeconds(5)))) {
      lab.setkey.register(SaType.SADB_SATYPE_ESP);
      lab.run(REQUIRE);
      assertThat(lab.out(plain(1000, 1))).isEqualTo(OutboundVerdict.QUEUED);
      lab.engine.advance(Duration.ofSeconds(3));
      assertThat(lab.out(plain(1000, 2))).isEqualTo(OutboundVerdict.QUEUED);
      lab.engine.advance(Duration.ofSeconds(3)); // the first has waited 6 s, the second 3 s
      List<byte[]> sent = new ArrayList<>();
      assertThat(lab.dp.releasePending(lab.ctx, (b, o, l) -> sent.add(b))).isZero();
      assertThat(lab.dp.count(OutboundVerdict.QUEUE_TIMEOUT)).isEqualTo(1);
      assertThat(lab.dp.pendingPackets()).isEqualTo(1);
      lab.run(SA);
      assertThat(lab.dp.releasePending(lab.ctx, (b, o, l) -> sent.add(range(b, o, o + l))))
          .isEqualTo(1);
      assertThat(lab.open(sent.get(0))).isEqualTo(plain(1000, 2));
    }
  }

  @Test
  void keyManagementFailureDropsTheQueuedPacketsAsNoSa() {
    try (Lab lab = new Lab()) {
      lab.setkey.register(SaType.SADB_SATYPE_ESP);
      lab.run(REQUIRE);
      assertThat(lab.out(plain(1000, 1))).isEqualTo(OutboundVerdict.QUEUED);
      SadbMessage acquire =
          lab.setkey.socket().drain().stream()
              .filter(m -> m.type() == MessageType.SADB_ACQUIRE)
              .findFirst()
              .orElseThrow();
      lab.setkey
          .socket()
          .send(
              new SadbMessage(
                      SadbMessage.PF_KEY_V2,
                      MessageType.SADB_ACQUIRE,
                      0,
                      SaType.SADB_SATYPE_ESP.value(),
                      0,
                      acquire.seq(),
                      4242,
                      List.of())
                  .withErrno(Errno.ETIMEDOUT));
      assertThat(lab.dp.releasePending(lab.ctx, (b, o, l) -> {})).isZero();
      assertThat(lab.dp.count(OutboundVerdict.NO_SA)).isEqualTo(1);
      assertThat(lab.dp.pendingPackets()).isZero();
    }
  }

  private static long sequenceOf(byte[] esp) {
    return ((esp[24] & 0xffL) << 24)
        | ((esp[25] & 0xff) << 16)
        | ((esp[26] & 0xff) << 8)
        | (esp[27] & 0xff);
  }

  @Test
  void sequenceNumbersStartAtOneAndCountUp() {
    try (Lab lab = new Lab()) {
      lab.run(SA + REQUIRE);
      for (int i = 1; i <= 3; i++) {
        assertThat(sequenceOf(lab.protect(plain(1000, i)))).isEqualTo(i);
      }
    }
  }

  @Test
  void saWhoseSequenceNumberWouldWrapIsExpiredInstead() {
    try (Lab lab = new Lab()) {
      lab.run(SA + REQUIRE);
      SaContext c = lab.context(0x6001);
      c.outbound().lock();
      try {
        c.outbound().sequence(0xFFFF_FFFEL);
      } finally {
        c.outbound().unlock();
      }
      assertThat(sequenceOf(lab.protect(plain(1000, 1)))).isEqualTo(0xFFFF_FFFFL);
      assertThat(lab.out(plain(1000, 2))).isEqualTo(OutboundVerdict.EXPIRED);
      assertThat(lab.ctx.hasOutput()).isFalse();
      assertThat(lab.out(plain(1000, 3))).isEqualTo(OutboundVerdict.EXPIRED);
      assertThat(c.counters().outbound(OutboundVerdict.EXPIRED)).isEqualTo(2);
    }
  }

  @Test
  void everyPacketGetsAFreshIv() {
    try (Lab lab = new Lab()) {
      lab.run(SA + REQUIRE);
      byte[] one = lab.protect(plain(1000, 32));
      byte[] two = lab.protect(plain(1000, 32));
      assertThat(range(one, 28, 44)).as("AES-CBC IV").isNotEqualTo(range(two, 28, 44));
      assertThat(range(one, 44, one.length - 12)).isNotEqualTo(range(two, 44, two.length - 12));
    }
  }

  @Test
  void deterministicTransformsReproduceTheOutputByteForByte() {
    List<byte[]> first = run(TransformFactory.deterministic(99));
    List<byte[]> again = run(TransformFactory.deterministic(99));
    List<byte[]> random = run(TransformFactory.standard());
    for (int i = 0; i < first.size(); i++) {
      assertThat(again.get(i)).isEqualTo(first.get(i));
      assertThat(random.get(i)).isNotEqualTo(first.get(i));
    }
  }

  private static List<byte[]> run(TransformFactory f) {
    try (Lab lab = new Lab(b -> b.transforms(f))) {
      lab.run(SA + REQUIRE);
      List<byte[]> out = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        out.add(lab.protect(plain(1000, 20 + i)));
      }
      return out;
    }
  }

  @Test
  void packetTooBigForIpAfterProtectionIsTooBig() {
    try (Lab lab = new Lab()) {
      lab.run(SA + REQUIRE);
      byte[] big = plain(1000, 0xffff - 28); // a full-size datagram
      assertThat(lab.out(big)).isEqualTo(OutboundVerdict.TOO_BIG);
      assertThat(lab.ctx.hasOutput()).isFalse();
      byte[] fits = plain(1000, 0xffff - 28 - 8 - 16 - 12 - 16);
      assertThat(lab.protect(fits).length).isLessThanOrEqualTo(0xffff);
    }
  }

  @Test
  void notAnIpPacketIsMalformed() {
    try (Lab lab = new Lab()) {
      lab.run(SA + REQUIRE);
      assertThat(lab.out(new byte[] {0x45, 0, 0})).isEqualTo(OutboundVerdict.MALFORMED);
      assertThat(lab.dp.outbound(null, 0, 0, lab.ctx)).isEqualTo(OutboundVerdict.MALFORMED);
    }
  }

  @Test
  void registerReplyListsExactlyTheAlgorithmsTheDatapathBuilds() {
    try (Lab lab = new Lab()) {
      SadbMessage esp = lab.setkey.register(SaType.SADB_SATYPE_ESP);
      SadbMessage ah = lab.setkey.register(SaType.SADB_SATYPE_AH);
      Set<Algorithm> listed = new java.util.HashSet<>();
      for (SadbMessage r : List.of(esp, ah)) {
        r.find(ExtensionType.SADB_EXT_SUPPORTED_AUTH, SupportedExtension.class)
            .ifPresent(
                x -> x.algs().forEach(a -> listed.add(Algorithm.auth(a.id()).orElseThrow())));
        r.find(ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT, SupportedExtension.class)
            .ifPresent(
                x -> x.algs().forEach(a -> listed.add(Algorithm.encrypt(a.id()).orElseThrow())));
      }
      assertThat(listed.stream().map(Algorithm::setkeyName).collect(Collectors.toSet()))
          .containsExactlyInAnyOrder(
              "hmac-md5",
              "hmac-sha1",
              "hmac-sha256",
              "des-cbc",
              "3des-cbc",
              "null",
              "aes-cbc",
              "aes-gcm-16");
      TransformFactory f = TransformFactory.standard();
      for (Algorithm a : listed) {
        byte[] key = new byte[a.maxKeyBits() / 8];
        for (int i = 0; i < key.length; i++) {
          key[i] = (byte) (0x35 + 2 * i);
        }
        for (int bits : a.keyBits()) {
          byte[] k = java.util.Arrays.copyOf(key, bits / 8);
          if (a.kind() == AlgorithmKind.INTEGRITY) {
            f.integrity(a, k, Direction.INBOUND).destroy();
          } else if (a.kind() == AlgorithmKind.COMBINED) {
            f.aead(a, k, Direction.INBOUND).destroy();
          } else {
            f.encryption(a, k, Direction.INBOUND).destroy();
          }
        }
      }
    }
  }
}
