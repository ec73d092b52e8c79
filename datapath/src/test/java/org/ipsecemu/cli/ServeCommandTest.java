package org.ipsecemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ipsec-emu serve} mistakes a user can make, run in-process: each ends with one clear line
 * and a nonzero status before anything listens. (Serving itself runs as a child process in {@code
 * org.ipsecemu.datapath.serve.ServeProcessTest}.)
 */
class ServeCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void anUnknownClockIsAUsageError() {
    Run r = run("serve", "--pfkey", dir.resolve("p.sock").toString(), "--clock", "sundial");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--clock must be real or manual, not 'sundial'");
    assertThat(Files.exists(dir.resolve("p.sock"))).isFalse();
  }

  @Test
  void anUnknownUserToAllowIsAUsageError() {
    Run r =
        run("serve", "--pfkey", dir.resolve("p.sock").toString(), "--allow", "no-such-user-xyz");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--allow: no such user or group allow=no-such-user-xyz");
  }

  @Test
  void aPathThatCannotBeBoundIsReportedWithExitStatus1() throws Exception {
    Path file = Files.writeString(dir.resolve("taken"), "not a socket");

    Run r = run("serve", "--pfkey", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot listen on " + file).contains("not a socket");
    assertThat(Files.readString(file)).isEqualTo("not a socket");
  }

  @Test
  void aMissingSaFileIsReportedWithExitStatus1() {
    Run r =
        run(
            "serve",
            "--pfkey",
            dir.resolve("p.sock").toString(),
            "--sa",
            dir.resolve("missing.conf").toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot read --sa").contains("missing.conf");
    assertThat(Files.exists(dir.resolve("p.sock"))).isFalse();
  }
}
