package org.ipsecemu.datapath.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The control socket's framing and access: lines in order, bad input answered, never closed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ControlServerTest {
  @TempDir Path dir;

  private final KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
  private final Datapath datapath = Datapath.create(engine);
  private ControlServer server;

  private ControlClient start(PeerAccess access) throws IOException {
    server =
        ControlServer.start(
            new ControlHandler(datapath), dir.resolve("control.sock"), access, line -> {});
    return ControlClient.connect(server.path());
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    datapath.close();
    engine.close();
  }

  @Test
  void answersEveryLineInOrderAndBadJsonDoesNotCloseTheConnection() throws IOException {
    try (ControlClient c = start(PeerAccess.of(List.of()))) {
      c.write("not json\n\n{\"op\":\"advance\",\"seconds\":2}\r\n{\"op\":\"stats\"}\n");

      JsonNode first = ControlClient.parse(c.readLine());
      JsonNode second = ControlClient.parse(c.readLine());
      JsonNode third = ControlClient.parse(c.readLine());

      assertThat(first.get("error").asText()).startsWith("bad JSON");
      assertThat(second.get("timers").asInt()).isZero();
      assertThat(third.has("packets")).isTrue();
    }
  }

  @Test
  void aLineTooLongIsSkippedWithAnErrorAndTheNextOneAnswered() throws IOException {
    try (ControlClient c = start(PeerAccess.of(List.of()))) {
      c.write("{\"op\":\"packet\",\"hex\":\"" + "45".repeat(ControlServer.MAX_LINE) + "\"}\n");
      c.write("{\"op\":\"stats\"}\n");

      assertThat(ControlClient.parse(c.readLine()).get("error").asText()).contains("longer than");
      assertThat(ControlClient.parse(c.readLine()).has("inbound")).isTrue();
    }
  }

  @Test
  void aLastLineWithoutNewlineIsAnsweredAtTheEndOfTheStream() throws IOException {
    try (ControlClient c = start(PeerAccess.of(List.of()))) {
      c.write("{\"op\":\"stats\"}");
      c.channel.shutdownOutput();

      assertThat(ControlClient.parse(c.readLine()).has("outbound")).isTrue();
      assertThat(c.readLine()).isNull();
    }
  }

  @Test
  void aRefusedPeerReadsEpermAndIsClosed() throws IOException {
    try (ControlClient c = start(PeerAccess.none())) {
      JsonNode a = ControlClient.parse(c.readLine());

      assertThat(a.get("error").asText()).startsWith("EPERM");
      assertThat(c.readLine()).isNull();
    }
  }

  @Test
  void theSocketFileIsMode0600AndRemovedOnClose() throws IOException {
    start(PeerAccess.of(List.of())).close();
    Path p = server.path();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
        .isEqualTo("rw-------");
    server.close();
    assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }
}
