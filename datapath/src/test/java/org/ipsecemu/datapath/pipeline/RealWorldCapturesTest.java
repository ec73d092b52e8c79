package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ipsecemu.datapath.fragment.Reassembler;
import org.ipsecemu.datapath.natt.UdpPayload;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.EngineProfile;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The third-party captures that need more than plain ESP and AH (see {@code ThirdPartyCapturesTest}
 * for those): IPComp inside ESP (Openswan KLIPS), ESP in UDP 4500 (Openswan, tcpdump), ESP
 * datagrams fragmented after encryption (Openswan), and tcpdump's keyless captures (IKE with
 * NAT-keepalives, a runt ESP packet, OSPFv3 with AH), which must go through without an error.
 *
 * <p>Reads {@code /work/shared/captures} (system property {@code ipsecemu.shared}) and skips itself
 * when it is absent.
 */
class RealWorldCapturesTest {
  private static Path captures;

  @BeforeAll
  static void needSharedCaptures() {
    Path shared = IpCaptures.shared();
    assumeTrue(shared != null, "no ../shared captures in this checkout");
    captures = shared.resolve("captures");
  }

  private static KeyEngine engine() {
    // Real keys are not always of good DES parity (Linux ignores it).
    return KeyEngine.builder().profile(EngineProfile.linux().withDesParityCheck(false)).build();
  }

  private static Map<Verdict, Integer> run(Datapath dp, List<byte[]> packets) {
    PacketContext ctx = dp.newContext();
    Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
    for (byte[] p : packets) {
      verdicts.merge(dp.inbound(p, 0, p.length, ctx), 1, Integer::sum);
    }
    return verdicts;
  }

  @Test
  void ipcompInsideEspInflatesEveryPacketToTheInnerPing() throws Exception {
    List<byte[]> packets =
        IpCaptures.read(captures.resolve("openswan/08-east-west-esp-ipcomp.pcap"));
    try (KeyEngine engine = engine();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.file(engine, captures.resolve("openswan/08-east-west-esp-ipcomp.conf"));
      PacketContext ctx = dp.newContext();
      IpPacket inner = new IpPacket();
      for (byte[] p : packets) {
        assertThat(dp.inbound(p, 0, p.length, ctx)).isEqualTo(Verdict.OK);
        assertThat(ctx.saCount()).isEqualTo(2);
        byte[] out = ctx.output();
        assertThat(inner.parse(out, 0, out.length).isOk()).isTrue();
        assertThat(inner.protocol()).as("ICMP").isEqualTo(1);
        assertThat(out.length).as("the 1024-byte ping, 120 bytes compressed").isEqualTo(1024);
        assertThat(p.length).isLessThan(200);
      }
      for (SecurityAssociation sa : engine.associations()) {
        assertThat(dp.counters(sa).inbound(Verdict.OK)).as(sa.toString()).isEqualTo(8);
      }
    }
  }

  @Test
  void espInUdpOfAKeyFileThatDoesNotSaySoNeedsTheReplaysLeniency() throws Exception {
    for (String capture : List.of("openswan/08-sunrise-sunset-udpesp-ping", "tcpdump/espudp1")) {
      List<byte[]> packets = IpCaptures.read(captures.resolve(capture + ".pcap"));
      Path conf = captures.resolve(capture + ".conf");
      try (KeyEngine engine = engine();
          Datapath strict = Datapath.create(engine)) {
        KeyFiles.file(engine, conf);
        assertThat(run(strict, packets)).as(capture).containsOnlyKeys(Verdict.NO_SA);
      }
      try (KeyEngine engine = engine();
          Datapath lenient = Datapath.builder(engine).strictUdpEncapsulation(false).build()) {
        KeyFiles.file(engine, conf);
        assertThat(run(lenient, packets)).as(capture).isEqualTo(Map.of(Verdict.OK, packets.size()));
      }
    }
  }

  @Test
  void espInUdpOfAnSaDeclaredEspUdpPassesTheStrictCheck() throws Exception {
    String capture = "openswan/08-sunrise-sunset-udpesp-ping";
    List<byte[]> packets = IpCaptures.read(captures.resolve(capture + ".pcap"));
    String conf =
        Files.readString(captures.resolve(capture + ".conf"))
            .replace(" esp 0x12345678", " esp-udp 0x12345678");
    try (KeyEngine engine = engine();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.setkey(engine, conf);
      PacketContext ctx = dp.newContext();
      IpPacket inner = new IpPacket();
      for (byte[] p : packets) {
        assertThat(dp.inbound(p, 0, p.length, ctx)).isEqualTo(Verdict.OK);
        byte[] out = ctx.output();
        assertThat(inner.parse(out, 0, out.length).isOk()).isTrue();
        assertThat(inner.protocol()).isEqualTo(1);
        assertThat(ctx.natTraversal()).isEqualTo(UdpPayload.NOT_NATT);
      }
    }
  }

  @Test
  void espFragmentedAfterEncryptionIsReassembledThenDecrypted() throws Exception {
    List<byte[]> packets = IpCaptures.read(captures.resolve("openswan/espfrags1.pcap"));
    try (KeyEngine engine = engine();
        Datapath dp = Datapath.create(engine)) {
      KeyFiles.file(engine, captures.resolve("openswan/espfrags1.conf"));
      Reassembler r = Reassembler.builder().build();
      PacketContext ctx = dp.newContext();
      int decrypted = 0;
      for (byte[] p : packets) {
        // Without reassembly the pipeline refuses a fragment.
        byte[] copy = p.clone();
        assertThat(dp.inbound(copy, 0, copy.length, ctx)).isEqualTo(Verdict.MALFORMED);
        Reassembler.Outcome o = r.offer(p, 0, p.length, 0);
        if (o == Reassembler.Outcome.COMPLETE) {
          assertThat(dp.inbound(r.buffer(), r.offset(), r.length(), ctx)).isEqualTo(Verdict.OK);
          assertThat(ctx.length()).as("the inner ping").isGreaterThan(1400);
          decrypted++;
        } else {
          assertThat(o).isEqualTo(Reassembler.Outcome.HELD);
        }
      }
      assertThat(decrypted).isEqualTo(packets.size() / 2);
      assertThat(r.pendingDatagrams()).isZero();
    }
  }

  @Test
  void ikeAndKeepalivesOnPort4500PassUntouchedWithoutKeys() throws Exception {
    List<byte[]> packets = IpCaptures.read(captures.resolve("tcpdump/isakmp4500.pcap"));
    try (KeyEngine engine = engine();
        Datapath dp = Datapath.create(engine)) {
      PacketContext ctx = dp.newContext();
      Map<UdpPayload, Integer> kinds = new EnumMap<>(UdpPayload.class);
      for (byte[] p : packets) {
        byte[] copy = p.clone();
        Verdict v = dp.inbound(copy, 0, copy.length, ctx);
        kinds.merge(ctx.natTraversal(), 1, Integer::sum);
        if (ctx.natTraversal() != UdpPayload.NOT_NATT) {
          assertThat(v).isEqualTo(Verdict.OK);
          assertThat(ctx.output()).as("untouched").isEqualTo(p);
        } else {
          // ESP in UDP for which there are no keys, or plain traffic.
          assertThat(v).isIn(Verdict.OK, Verdict.NO_SA);
        }
      }
      assertThat(kinds).containsKeys(UdpPayload.IKE, UdpPayload.KEEPALIVE);
    }
  }

  @Test
  void runtEspAndOspfv3WithAhGoThroughWithoutAnError() throws Exception {
    try (KeyEngine engine = engine();
        Datapath dp = Datapath.create(engine)) {
      Map<Verdict, Integer> runt =
          run(dp, IpCaptures.read(captures.resolve("tcpdump/esp_truncated.pcap")));
      assertThat(runt.keySet()).isSubsetOf(Verdict.MALFORMED, Verdict.NO_SA);
      Map<Verdict, Integer> ospf =
          run(dp, IpCaptures.read(captures.resolve("tcpdump/OSPFv3_with_AH.pcap")));
      assertThat(ospf).containsKey(Verdict.NO_SA);
      assertThat(ospf.keySet()).isSubsetOf(Verdict.OK, Verdict.NO_SA);
    }
  }
}
