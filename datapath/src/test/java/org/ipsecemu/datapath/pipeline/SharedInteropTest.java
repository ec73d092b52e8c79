package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The interop samples of {@code /work/shared/interop} (made with scapy's ESP/AH), through the
 * inbound pipeline: every packet's verdict and, for accepted ones, the plaintext must be what the
 * case's {@code expect.json} says, and the totals must count every packet once.
 *
 * <p>Reads {@code /work/shared} (system property {@code ipsecemu.shared}) and skips itself when it
 * is absent.
 */
class SharedInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static Path interop;

  @BeforeAll
  static void needSharedSamples() {
    Path shared = IpCaptures.shared();
    assumeTrue(shared != null, "no ../shared samples in this checkout");
    interop = shared.resolve("interop");
  }

  @ParameterizedTest
  @ValueSource(strings = {"esp-transport-v4", "esp-negative", "ah-basic"})
  void everyPacketGetsTheExpectedVerdictAndPlaintext(String name) throws Exception {
    Path dir = interop.resolve(name);
    JsonNode expected = JSON.readTree(dir.resolve("expect.json").toFile()).get("packets");
    List<byte[]> packets = IpCaptures.read(dir.resolve("in.pcap"));
    assertThat(packets).hasSize(expected.size());
    try (KeyEngine engine = KeyEngine.create();
        Datapath dp = Datapath.create(engine)) {
      new Setkey(engine).file(dir.resolve("sa.conf"));
      PacketContext ctx = dp.newContext();
      for (int i = 0; i < packets.size(); i++) {
        JsonNode e = expected.get(i);
        String want = e.get("verdict").asText();
        Verdict got = dp.inbound(packets.get(i), 0, packets.get(i).length, ctx);
        assertThat(Arrays.asList(want.split("_or_")))
            .as("%s packet %d", name, i)
            .anySatisfy(w -> assertThat(got.label()).isEqualTo(w));
        if (got.isOk()) {
          assertPlaintext(e, ctx.output(), name + " packet " + i);
        } else {
          assertThat(ctx.hasOutput()).isFalse();
        }
      }
      long total = 0;
      for (Verdict v : Verdict.values()) {
        total += dp.count(v);
      }
      assertThat(total).isEqualTo(packets.size());
    }
  }

  /** {@code inner} (tunnel), or {@code src}, {@code dst}, {@code proto}, {@code payload}. */
  static void assertPlaintext(JsonNode e, byte[] out, String what) throws Exception {
    if (e.has("inner")) {
      assertThat(HEX.formatHex(out)).as(what).isEqualTo(e.get("inner").asText());
      return;
    }
    int version = (out[0] >> 4) & 0xf;
    int header;
    int proto;
    byte[] src;
    byte[] dst;
    if (version == 4) {
      header = (out[0] & 0xf) * 4;
      proto = out[9] & 0xff;
      src = Arrays.copyOfRange(out, 12, 16);
      dst = Arrays.copyOfRange(out, 16, 20);
      assertThat(((out[2] & 0xff) << 8) | (out[3] & 0xff))
          .as(what + " total length")
          .isEqualTo(out.length);
    } else {
      header = 40;
      proto = out[6] & 0xff;
      src = Arrays.copyOfRange(out, 8, 24);
      dst = Arrays.copyOfRange(out, 24, 40);
    }
    assertThat(InetAddress.getByAddress(src).getHostAddress())
        .as(what)
        .isEqualTo(e.get("src").asText());
    assertThat(InetAddress.getByAddress(dst).getHostAddress())
        .as(what)
        .isEqualTo(e.get("dst").asText());
    assertThat(proto).as(what + " protocol").isEqualTo(e.get("proto").asInt());
    assertThat(HEX.formatHex(Arrays.copyOfRange(out, header, out.length)))
        .as(what + " payload")
        .isEqualTo(e.get("payload").asText());
  }
}
