package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.keyfile.KeyFileFormat;
import org.ipsecemu.sadb.setkey.SaSpec;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.setkey.SetkeyRunner;
import org.ipsecemu.sadb.setkey.SetkeyStatement;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * Test-only: installs key files with the project's own readers, as a replay does: {@code setkey}
 * text through {@link SetkeyParser} and {@link SetkeyRunner} (every statement must succeed), any
 * other format ({@code setkey -D}, {@code ip xfrm state}, Wireshark's table) as one SADB_ADD per
 * SA. Covers what the {@link Setkey} helper does not: {@code -esn}, {@code ipcomp}, {@code
 * esp-udp}.
 */
final class KeyFiles {
  private KeyFiles() {}

  /** Runs {@code setkey} statements; each must succeed. */
  static void setkey(KeyEngine engine, String text) {
    PfKeySocket socket = engine.open(Credentials.root(4343));
    StringBuilder failures = new StringBuilder();
    SetkeyRunner runner =
        new SetkeyRunner(
            socket,
            engine.codec(),
            new SetkeyRunner.Listener() {
              @Override
              public void failed(SetkeyStatement s, int errno, String why) {
                failures.append(s.where()).append(": ").append(why).append('\n');
              }
            });
    for (SetkeyStatement s : new SetkeyParser("test").pid(4343).parse(text)) {
      runner.run(s);
    }
    assertThat(failures.toString()).as("setkey failures").isEmpty();
  }

  /** Installs a key file of any format, recognised by content. */
  static void file(KeyEngine engine, Path path) throws IOException {
    String text = java.nio.file.Files.readString(path);
    KeyFileFormat format = KeyFileFormat.detect(text);
    if (format == KeyFileFormat.SETKEY) {
      setkey(engine, text);
      return;
    }
    PfKeySocket socket = engine.open(Credentials.root(4344));
    for (SaSpec sa : org.ipsecemu.sadb.keyfile.KeyFiles.read(text, path.toString(), format)) {
      SadbMessage reply = socket.call(sa.toAddMessage(4344));
      assertThat(reply.errno()).as("ADD of %s", sa).isZero();
    }
  }
}
