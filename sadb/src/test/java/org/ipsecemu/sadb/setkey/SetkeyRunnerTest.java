package org.ipsecemu.sadb.setkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

class SetkeyRunnerTest {
  private static final String ADD =
      "add 10.0.0.1 10.0.0.2 esp 0x%x -E aes-cbc 0x00112233445566778899aabbccddeeff"
          + " -A hmac-sha1 0x0123456789abcdef0123456789abcdef01234567;\n";

  /** Everything a run reported, as text. */
  private static final class Recorder implements SetkeyRunner.Listener {
    final List<String> events = new ArrayList<>();
    final List<SadbMessage> sent = new ArrayList<>();
    final List<SadbMessage> sas = new ArrayList<>();

    @Override
    public void sent(SetkeyStatement s, SadbMessage m) {
      sent.add(m);
    }

    @Override
    public void sa(SetkeyStatement s, SadbMessage reply) {
      sas.add(reply);
    }

    @Override
    public void failed(SetkeyStatement s, int errno, String text) {
      events.add((s == null ? "register" : "line " + s.line()) + " failed " + errno + " " + text);
    }

    @Override
    public void info(SetkeyStatement s, String text) {
      events.add("line " + s.line() + " info " + text);
    }
  }

  private static Recorder run(String text) {
    Recorder rec = new Recorder();
    try (KeyEngine engine = KeyEngine.builder().clock(new ManualClock(1_000_000L)).build();
        PfKeySocket socket = engine.open(Credentials.root(99))) {
      SetkeyRunner runner = new SetkeyRunner(socket, engine.codec(), rec);
      assertThat(runner.register()).isTrue();
      for (SetkeyStatement s : new SetkeyParser("r").pid(99).parse(text)) {
        runner.run(s);
      }
    }
    return rec;
  }

  @Test
  void reportsFailuresWithSetkeysText() {
    Recorder r =
        run(
            String.format(ADD, 0x200)
                + String.format(ADD, 0x200)
                + "delete 10.0.0.1 10.0.0.2 esp 7;\n");
    assertThat(r.events)
        .containsExactly(
            "line 2 failed " + Errno.EEXIST.number() + " File exists",
            "line 3 failed " + Errno.ESRCH.number() + " No such process");
  }

  @Test
  void deleteallDumpsThenDeletesOnlyMatchingSas() {
    Recorder r =
        run(
            String.format(ADD, 0x201)
                + String.format(ADD, 0x202)
                + String.format(ADD, 0x203).replace("10.0.0.2", "10.0.0.3")
                + "deleteall 10.0.0.1 10.0.0.2 esp;\ndump;\n");
    assertThat(r.events).isEmpty();
    assertThat(r.sent)
        .extracting(SadbMessage::type)
        .containsSubsequence(
            MessageType.SADB_DUMP,
            MessageType.SADB_DELETE,
            MessageType.SADB_DELETE,
            MessageType.SADB_DUMP);
    assertThat(r.sas).hasSize(1);
    assertThat(r.sas.get(0).sa().orElseThrow().spi()).isEqualTo(0x203);
  }

  @Test
  void emptyDumpIsInformation() {
    Recorder r = run("dump;\nspddump;\n");
    assertThat(r.events)
        .containsExactly("line 1 info No SAD entries", "line 2 info No SPD entries");
  }

  @Test
  void strerrorOfUnknownNumbers() {
    assertThat(SetkeyRunner.strerror(17)).isEqualTo("File exists");
    assertThat(SetkeyRunner.strerror(250)).isEqualTo("Unknown error 250");
  }
}
