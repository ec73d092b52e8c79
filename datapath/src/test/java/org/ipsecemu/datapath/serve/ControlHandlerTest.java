package org.ipsecemu.datapath.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.datapath.pipeline.PacketContext;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The control protocol, line in and line out, without a socket: an in-process key manager (an
 * engine {@link PfKeySocket}) plays the part of {@code kmd.py}.
 */
class ControlHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final String OUT_PEER = "192.0.2.9";

  private final ManualClock clock = new ManualClock();
  private final KeyEngine engine = KeyEngine.builder().clock(clock).seed(3).build();
  private final Datapath datapath =
      Datapath.builder(engine).transforms(TransformFactory.deterministic(5)).build();
  private final ControlHandler handler = new ControlHandler(datapath);
  private final PacketContext ctx = new PacketContext();
  private final PfKeySocket km = engine.open(Credentials.root(100));

  @AfterEach
  void tearDown() {
    datapath.close();
    engine.close();
  }

  private JsonNode ask(String line) {
    String answer = handler.handle(line, ctx);
    assertThat(answer).doesNotContain("\n");
    try {
      return JSON.readTree(answer);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + answer, e);
    }
  }

  private static String packet(String direction, byte[] pkt) {
    return "{\"op\":\"packet\",\"direction\":\""
        + direction
        + "\",\"hex\":\""
        + HEX.formatHex(pkt)
        + "\"}";
  }

  private static byte[] ping() {
    return Ip4.udp(Km.LOCAL, OUT_PEER, 5000, 53, "ping".getBytes(StandardCharsets.US_ASCII));
  }

  private SadbMessage nextOfType(MessageType t) {
    for (SadbMessage m = km.receive(); m != null; m = km.receive()) {
      if (m.type() == t) {
        return m;
      }
    }
    throw new AssertionError("no " + t);
  }

  /** REGISTER for ESP and an outbound {@code esp/transport//require} policy to OUT_PEER. */
  private void keyManagerWithPolicy() {
    assertThat(km.call(Km.register(1, 100)).errno()).isZero();
    assertThat(km.call(Km.spdaddOut(Km.LOCAL, OUT_PEER, 2, 100)).errno()).isZero();
  }

  /** §5.1: GETSPI and UPDATE with the ACQUIRE's seq; returns the SPI. */
  private long answer(SadbMessage acquire) {
    long spi =
        km.call(Km.getspi(Km.LOCAL, OUT_PEER, 0x1000, 0x1fff, acquire.seq(), 100))
            .sa()
            .orElseThrow()
            .spi();
    assertThat(
            km.call(Km.sa(MessageType.SADB_UPDATE, spi, Km.LOCAL, OUT_PEER, acquire.seq(), 100))
                .errno())
        .isZero();
    return spi;
  }

  @Test
  void anOutboundPacketWithoutItsSaWaitsAndNamesTheAcquire() {
    keyManagerWithPolicy();

    JsonNode a = ask(packet("out", ping()));

    SadbMessage acquire = nextOfType(MessageType.SADB_ACQUIRE);
    assertThat(a.get("verdict").asText()).isEqualTo("pending");
    assertThat(a.get("acquire_seq").asLong()).isEqualTo(acquire.seq());
    assertThat(a.has("hex")).isFalse();
    assertThat(datapath.pendingPackets()).isEqualTo(1);
  }

  @Test
  void theQueuedPacketIsReleasedOnTheNextAnswerOnceTheSaExistsAndDecryptsBack() {
    keyManagerWithPolicy();
    byte[] plain = ping();
    ask(packet("out", plain));
    long spi = answer(nextOfType(MessageType.SADB_ACQUIRE));

    JsonNode stats = ask("{\"op\":\"stats\"}");

    JsonNode released = stats.get("released");
    assertThat(released).hasSize(1);
    JsonNode r = released.get(0);
    assertThat(r.get("verdict").asText()).isEqualTo("ok");
    byte[] esp = HEX.parseHex(r.get("hex").asText());
    assertThat(esp[9]).isEqualTo((byte) 50); // IPv4 protocol: ESP
    assertThat(Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(esp, 20, 4).getInt()))
        .isEqualTo(spi);
    assertThat(r.get("sas").get(0).get("spi").asLong()).isEqualTo(spi);
    assertThat(datapath.pendingPackets()).isZero();
    // The SA from LOCAL to OUT_PEER is found by (destination, SPI) inbound as well, so the
    // emulator decrypts its own packet: the original comes back.
    JsonNode back = ask(packet("in", esp));
    assertThat(back.get("verdict").asText()).isEqualTo("ok");
    assertThat(HEX.parseHex(back.get("hex").asText())).isEqualTo(plain);
    assertThat(ask("{\"op\":\"stats\"}").has("released")).isFalse();
  }

  @Test
  void aPacketWhoseSaExistsGoesOutAtOnceWithTheNextSequenceNumber() {
    keyManagerWithPolicy();
    ask(packet("out", ping()));
    answer(nextOfType(MessageType.SADB_ACQUIRE));

    JsonNode a = ask(packet("out", ping()));

    // The queued packet went first (sequence number 1) and is reported on this same answer.
    assertThat(a.get("released")).hasSize(1);
    assertThat(a.get("verdict").asText()).isEqualTo("ok");
    byte[] esp = HEX.parseHex(a.get("hex").asText());
    assertThat(java.nio.ByteBuffer.wrap(esp, 24, 4).getInt()).isEqualTo(2);
  }

  @Test
  void aPacketWithNoPolicyBypassesUnchanged() {
    byte[] plain = Ip4.udp("198.51.100.1", "198.51.100.2", 1, 2, new byte[3]);

    JsonNode a = ask(packet("out", plain));

    assertThat(a.get("verdict").asText()).isEqualTo("bypass");
    assertThat(HEX.parseHex(a.get("hex").asText())).isEqualTo(plain);
  }

  @Test
  void aBadPacketIsAVerdictNotAnError() {
    JsonNode in = ask("{\"op\":\"packet\",\"direction\":\"in\",\"hex\":\"4500\"}");
    JsonNode out = ask("{\"op\":\"packet\",\"direction\":\"out\",\"hex\":\"\"}");

    assertThat(in.get("verdict").asText()).isEqualTo("malformed");
    assertThat(out.get("verdict").asText()).isEqualTo("malformed");
    assertThat(ask("{\"op\":\"stats\"}").get("packets").get("read").asLong()).isEqualTo(2);
  }

  @Test
  void advanceMovesTheManualClockAndLifetimesFireOnTheWay() {
    km.call(
        Km.sa(MessageType.SADB_ADD, 0x6001, Km.LOCAL, OUT_PEER, 1, 100, Km.soft(10), Km.hard(20)));
    long start = clock.currentTimeMillis();

    JsonNode a = ask("{\"op\":\"advance\",\"seconds\":25}");

    assertThat(a.get("timers").asInt()).isPositive();
    assertThat(java.time.Instant.parse(a.get("time").asText()).toEpochMilli())
        .isEqualTo(start + 25_000);
    List<SadbMessage> expires = new ArrayList<>();
    for (SadbMessage m = km.receive(); m != null; m = km.receive()) {
      if (m.type() == MessageType.SADB_EXPIRE) {
        expires.add(m);
      }
    }
    assertThat(expires).hasSize(2);
    assertThat(expires.get(0).has(ExtensionType.SADB_EXT_LIFETIME_SOFT)).isTrue();
    assertThat(expires.get(1).has(ExtensionType.SADB_EXT_LIFETIME_HARD)).isTrue();
    JsonNode pfkey = ask("{\"op\":\"stats\"}").get("pfkey");
    assertThat(pfkey.get("expire_soft").asLong()).isEqualTo(1);
    assertThat(pfkey.get("expire_hard").asLong()).isEqualTo(1);
  }

  @Test
  void advanceNeedsTheManualClock() {
    try (KeyEngine real = KeyEngine.create();
        Datapath dp = Datapath.create(real)) {
      String a = new ControlHandler(dp).handle("{\"op\":\"advance\",\"seconds\":1}", ctx);
      assertThat(a).contains("\"error\"").contains("--clock manual");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        "{\"op\":",
        "[1,2]",
        "42",
        "{}",
        "{\"op\":7}",
        "{\"op\":\"fly\"}",
        "{\"op\":\"packet\",\"direction\":\"sideways\",\"hex\":\"45\"}",
        "{\"op\":\"packet\",\"direction\":\"out\"}",
        "{\"op\":\"packet\",\"direction\":\"out\",\"hex\":\"zz\"}",
        "{\"op\":\"packet\",\"direction\":\"out\",\"hex\":\"456\"}",
        "{\"op\":\"advance\"}",
        "{\"op\":\"advance\",\"seconds\":\"ten\"}",
        "{\"op\":\"advance\",\"seconds\":-1}"
      })
  void aRequestThatCannotBeDoneIsAnsweredWithAnError(String line) {
    JsonNode a = ask(line);

    assertThat(a.has("error")).as(a.toString()).isTrue();
    assertThat(a.get("error").asText()).isNotBlank();
    assertThat(a.has("verdict")).isFalse();
  }

  @Test
  void aBlankLineHasNoAnswer() {
    assertThat(handler.handle("   ", ctx)).isNull();
  }

  @Test
  void statsHaveEveryFieldOfTheReplayStatsWithZeros() {
    km.call(Km.sa(MessageType.SADB_ADD, 0x7001, Km.LOCAL, OUT_PEER, 1, 100));

    JsonNode s = ask("{\"op\":\"stats\"}");

    assertThat(fields(s)).containsExactly("packets", "inbound", "outbound", "sas", "pfkey");
    assertThat(fields(s.get("packets"))).containsExactly("read", "written");
    assertThat(fields(s.get("inbound")))
        .containsExactly(
            "ok", "no_sa", "auth_failed", "replay", "malformed", "pad_error", "expired", "policy");
    assertThat(fields(s.get("outbound")))
        .containsExactly("ok", "bypass", "discard", "acquire", "queued", "dropped");
    assertThat(fields(s.get("pfkey"))).containsExactly("acquire", "expire_soft", "expire_hard");
    JsonNode sa = s.get("sas").get(0);
    assertThat(fields(sa))
        .containsExactly(
            "src", "dst", "proto", "spi", "mode", "state", "packets", "bytes", "verdicts");
    assertThat(sa.get("spi").asLong()).isEqualTo(0x7001);
    assertThat(sa.get("state").asText()).isEqualTo("mature");
    assertThat(sa.get("proto").asText()).isEqualTo("esp");
    assertThat(sa.get("verdicts").get("auth_failed").asLong()).isZero();
    assertThat(s.toString()).doesNotContain(HEX.formatHex(Km.ENC_KEY));
  }

  private static List<String> fields(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
