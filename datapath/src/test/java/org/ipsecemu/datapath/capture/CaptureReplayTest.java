package org.ipsecemu.datapath.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipsecemu.datapath.pcap.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays of the bundled samples in {@code pcaps/} (made by {@code pcaps/make.py} with scapy's own
 * ESP and AH): each inbound sample must come out as its {@code .plain.pcap}, frame for frame; the
 * outbound sample must be protected, bypassed, discarded and held as its policies say.
 */
class CaptureReplayTest {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;

  private ReplayReport replay(String name, CaptureReplay.Builder b) throws Exception {
    return b.build().run(TestCaptures.pcaps().resolve(name + ".pcap"));
  }

  private static KeyFileSet keys(String name) throws ReplayException {
    return KeyFileSet.read(List.of(TestCaptures.pcaps().resolve(name + ".conf")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "esp-3des-sha1-tunnel-v4",
        "esp-des-md5-transport-v4",
        "esp-aes-gcm-tunnel-v6",
        "ah-sha1-transport-v6",
        "esp-replay-tamper"
      })
  void inboundSampleComesOutAsItsPlaintextFrameForFrame(String name) throws Exception {
    Path out = dir.resolve("out.pcap");
    ReplayReport r = replay(name, CaptureReplay.builder(keys(name)).output(out));
    List<Frame> got = TestCaptures.frames(out);
    List<Frame> want = TestCaptures.frames(TestCaptures.pcaps().resolve(name + ".plain.pcap"));
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < want.size(); i++) {
      Frame g = got.get(i);
      Frame w = want.get(i);
      assertThat(HEX.formatHex(g.data(), 0, g.length()))
          .as("%s frame %d", name, i)
          .isEqualTo(HEX.formatHex(w.data(), 0, w.length()));
      assertThat(g.timestamp()).isEqualTo(w.timestamp());
    }
    assertThat(r.packets().get("written")).isEqualTo(want.size());
    assertThat(r.inbound().get("ok")).isEqualTo(want.size());
    assertThat(r.linkType()).isEqualTo("EN10MB");
  }

  @Test
  void replayTamperSampleGetsTheVerdictsItsKeyFileAnnounces() throws Exception {
    String conf = Files.readString(TestCaptures.pcaps().resolve("esp-replay-tamper.conf"));
    Matcher m = Pattern.compile("Expected: ([^.]*)\\.").matcher(conf);
    assertThat(m.find()).isTrue();
    Map<String, Long> expected = new LinkedHashMap<>();
    for (String part : m.group(1).split(",")) {
      String[] w = part.strip().split(" ");
      expected.put(w[1], Long.parseLong(w[0]));
    }
    assertThat(expected).containsKeys("ok", "replay", "auth_failed", "no_sa", "malformed");
    ReplayReport r = replay("esp-replay-tamper", CaptureReplay.builder(keys("esp-replay-tamper")));
    expected.forEach((k, v) -> assertThat(r.inbound().get(k)).as(k).isEqualTo(v));
    long total = r.inbound().values().stream().mapToLong(Long::longValue).sum();
    assertThat(total).isEqualTo(r.packets().get("read"));
    ReplayReport.SaReport sa = r.sas().get(0);
    assertThat(sa.verdicts()).containsAllEntriesOf(Map.of("ok", 5L, "replay", 2L));
    assertThat(sa.verdicts().get("auth_failed")).isEqualTo(1);
    assertThat(sa.packets()).isEqualTo(8); // the unknown SPI and the runt never reach the SA
    assertThat(sa.direction()).isEqualTo("in");
    assertThat(sa.state()).isEqualTo("mature");
  }

  @Test
  void keepDroppedWritesTheDroppedPacketsAsTheyWereRead() throws Exception {
    Path out = dir.resolve("out.pcap");
    Path in = TestCaptures.pcaps().resolve("esp-replay-tamper.pcap");
    ReplayReport r =
        CaptureReplay.builder(keys("esp-replay-tamper"))
            .output(out)
            .keepDropped(true)
            .build()
            .run(in);
    List<Frame> got = TestCaptures.frames(out);
    List<Frame> read = TestCaptures.frames(in);
    assertThat(got).hasSameSizeAs(read);
    assertThat(r.packets().get("written")).isEqualTo(read.size());
    // Frames 4 (replay), 5 (tampered), 7 (unknown SPI), 8 (runt), 10 (replay) were dropped.
    for (int i : new int[] {3, 4, 6, 7, 9}) {
      assertThat(got.get(i).data()).as("frame %d", i + 1).isEqualTo(read.get(i).data());
    }
    assertThat(got.get(0).data()).isNotEqualTo(read.get(0).data()); // decrypted
  }

  @Test
  void outboundSampleIsProtectedBypassedDiscardedAndHeldAsItsPoliciesSay() throws Exception {
    Path out = dir.resolve("out.pcap");
    ReplayReport r =
        replay(
            "outbound-policies",
            CaptureReplay.builder(keys("outbound-policies")).output(out).seed(1L));
    // Five packets of 10.1/16 -> 10.2/16 through the keyed tunnel SA, NTP to 198.51.100.7
    // unprotected (no policy), telnet to 10.9/16 discarded, ICMP to 10.3/16 waiting for an SA.
    assertThat(r.outbound())
        .containsExactlyEntriesOf(
            Map.of(
                    "ok", 5L, "bypass", 1L, "discard", 1L, "acquire", 1L, "queued", 1L, "dropped",
                    1L)
                .entrySet()
                .stream()
                .sorted((a, b) -> order(a.getKey()) - order(b.getKey()))
                .collect(
                    LinkedHashMap::new, (mm, e) -> mm.put(e.getKey(), e.getValue()), Map::putAll));
    assertThat(r.outboundDropped().get("pending_at_end")).isEqualTo(1);
    assertThat(r.pfkey().get("acquire")).isEqualTo(1);
    assertThat(r.packets().get("written")).isEqualTo(6);
    List<byte[]> written = TestCaptures.ipPackets(out);
    List<byte[]> clear =
        TestCaptures.ipPackets(TestCaptures.pcaps().resolve("outbound-policies.pcap"));
    for (int i = 0; i < 5; i++) {
      assertThat(written.get(i)[9]).as("packet %d is ESP", i).isEqualTo((byte) 50);
    }
    assertThat(written.get(5)).isEqualTo(clear.get(5)); // the bypassed one, unchanged
    // The same SA takes the ESP packets back in: they decrypt to the cleartext sent.
    Path back = dir.resolve("back.pcap");
    CaptureReplay.builder(keys("outbound-policies")).output(back).build().run(out);
    List<byte[]> decrypted = TestCaptures.ipPackets(back);
    for (int i = 0; i < 5; i++) {
      assertThat(HEX.formatHex(decrypted.get(i))).isEqualTo(HEX.formatHex(clear.get(i)));
    }
  }

  private static int order(String k) {
    return List.of("ok", "bypass", "discard", "acquire", "queued", "dropped").indexOf(k);
  }

  @Test
  void heldPacketsAreDroppedWhenTheyHaveWaitedSixtySecondsOfCaptureTime() throws Exception {
    List<byte[]> clear =
        TestCaptures.ipPackets(TestCaptures.pcaps().resolve("outbound-policies.pcap"));
    byte[] needsKey = clear.get(7); // to 10.3.0.30: its SA is never keyed
    Path in = dir.resolve("in.pcap");
    long t0 = 1_700_000_000_000L;
    TestCaptures.writePcap(
        in,
        1,
        List.of(
            TestCaptures.ethernet(needsKey),
            TestCaptures.ethernet(needsKey),
            TestCaptures.ethernet(needsKey)),
        List.of(
            TestCaptures.Time.ofMillis(t0),
            TestCaptures.Time.ofMillis(t0 + 2_000),
            TestCaptures.Time.ofMillis(t0 + 61_000)));
    ReplayReport r = CaptureReplay.builder(keys("outbound-policies")).build().run(in);
    assertThat(r.outbound().get("queued")).isEqualTo(3);
    assertThat(r.outboundDropped().get("queue_timeout")).isEqualTo(1); // waited from t0 to t0+61
    assertThat(r.outboundDropped().get("pending_at_end")).isEqualTo(2);
    assertThat(r.outbound().get("dropped")).isEqualTo(3);
    // The first ACQUIRE was forgotten after 30 s (Linux's xfrm_acq_expires): the packet at 61 s
    // asks again.
    assertThat(r.pfkey().get("acquire")).isEqualTo(2);
  }

  @Test
  void framesWithoutIpAndClearPacketsWithoutPolicyGoThroughUnchanged() throws Exception {
    List<byte[]> esp =
        TestCaptures.ipPackets(TestCaptures.pcaps().resolve("esp-3des-sha1-tunnel-v4.pcap"));
    byte[] arp = new byte[42];
    System.arraycopy(TestCaptures.MAC_B, 0, arp, 0, 6);
    System.arraycopy(TestCaptures.MAC_A, 0, arp, 6, 6);
    arp[12] = 0x08;
    arp[13] = 0x06;
    byte[] clear =
        TestCaptures.ipPackets(TestCaptures.pcaps().resolve("outbound-policies.pcap")).get(5);
    Path in = dir.resolve("in.pcap");
    List<byte[]> frames =
        List.of(arp, TestCaptures.ethernet(esp.get(0)), TestCaptures.ethernet(clear));
    TestCaptures.writePcap(in, 1, frames, TestCaptures.times(3, 1_700_000_000_000L, 10));
    Path out = dir.resolve("out.pcap");
    ReplayReport r =
        CaptureReplay.builder(keys("esp-3des-sha1-tunnel-v4")).output(out).build().run(in);
    List<Frame> got = TestCaptures.frames(out);
    assertThat(got).hasSize(3);
    assertThat(Arrays.copyOf(got.get(0).data(), got.get(0).length())).isEqualTo(arp);
    assertThat(Arrays.copyOf(got.get(2).data(), got.get(2).length())).isEqualTo(frames.get(2));
    assertThat(r.packets())
        .containsEntry("read", 3L)
        .containsEntry("written", 3L)
        .containsEntry("non_ip", 1L)
        .containsEntry("inbound", 1L)
        .containsEntry("outbound", 1L);
    assertThat(r.outbound().get("bypass")).isEqualTo(1);
  }

  @Test
  void aCleartextPacketCutShortByTheSnapshotLengthIsWrittenUnchanged() throws Exception {
    byte[] clear =
        TestCaptures.ipPackets(TestCaptures.pcaps().resolve("outbound-policies.pcap")).get(4);
    // The HTTP request to 10.2/16, whose policy would protect it: its IP header says 81 bytes,
    // the capture kept 60 of them, so there is no whole payload to protect.
    byte[] cut = TestCaptures.ethernet(Arrays.copyOf(clear, 60));
    Path in = dir.resolve("in.pcap");
    TestCaptures.writePcap(in, 1, List.of(cut), TestCaptures.times(1, 1_700_000_000_000L, 0));
    Path out = dir.resolve("out.pcap");
    ReplayReport r = CaptureReplay.builder(keys("outbound-policies")).output(out).build().run(in);
    assertThat(r.packets()).containsEntry("truncated", 1L).containsEntry("written", 1L);
    assertThat(r.outbound().get("ok")).isZero();
    Frame f = TestCaptures.frames(out).get(0);
    assertThat(Arrays.copyOf(f.data(), f.length())).isEqualTo(cut);
  }

  @Test
  void directionInSendsClearPacketsThroughTheInboundPolicyAndOutSendsEverythingOut()
      throws Exception {
    Path in = TestCaptures.pcaps().resolve("outbound-policies.pcap");
    ReplayReport r =
        CaptureReplay.builder(keys("outbound-policies"))
            .direction(ReplayDirection.IN)
            .build()
            .run(in);
    // No inbound policy: every cleartext packet may come in, and goes out unchanged.
    assertThat(r.inbound().get("ok")).isEqualTo(8);
    assertThat(r.packets().get("written")).isEqualTo(8);
    Path esp = TestCaptures.pcaps().resolve("esp-3des-sha1-tunnel-v4.pcap");
    ReplayReport o =
        CaptureReplay.builder(keys("esp-3des-sha1-tunnel-v4"))
            .direction(ReplayDirection.OUT)
            .build()
            .run(esp);
    assertThat(o.inbound().get("ok")).isZero();
    assertThat(o.outbound().get("bypass")).isEqualTo(9); // ESP packets, no policy: unchanged
  }

  @Test
  void statisticsJsonHasEveryNameAsANumber() throws Exception {
    ReplayReport r = replay("esp-replay-tamper", CaptureReplay.builder(keys("esp-replay-tamper")));
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.toJson());
    assertThat(fieldNames(json.get("packets"))).contains("read", "written");
    assertThat(fieldNames(json.get("inbound")))
        .containsExactly(
            "ok", "no_sa", "auth_failed", "replay", "malformed", "pad_error", "expired", "policy");
    assertThat(fieldNames(json.get("outbound")))
        .containsExactly("ok", "bypass", "discard", "acquire", "queued", "dropped");
    assertThat(fieldNames(json.get("pfkey")))
        .containsExactly("acquire", "expire_soft", "expire_hard");
    var sa = json.get("sas").get(0);
    assertThat(fieldNames(sa))
        .contains("src", "dst", "proto", "spi", "mode", "state", "packets", "bytes", "verdicts");
    assertThat(sa.get("spi").asLong()).isEqualTo(0x3001);
    assertThat(sa.get("proto").asText()).isEqualTo("esp");
    for (String section : List.of("packets", "inbound", "outbound", "pfkey")) {
      json.get(section).forEach(v -> assertThat(v.isIntegralNumber()).isTrue());
    }
    sa.get("verdicts").forEach(v -> assertThat(v.isIntegralNumber()).isTrue());
    assertThat(json.get("inbound").get("replay").asLong()).isEqualTo(2);
  }

  private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void refusesToWriteOverItsInput() throws Exception {
    Path in = dir.resolve("in.pcap");
    Files.copy(TestCaptures.pcaps().resolve("esp-3des-sha1-tunnel-v4.pcap"), in);
    assertThatThrownBy(
            () -> CaptureReplay.builder(keys("esp-3des-sha1-tunnel-v4")).output(in).build().run(in))
        .isInstanceOf(ReplayException.class)
        .hasMessageContaining("is the input capture");
  }
}
