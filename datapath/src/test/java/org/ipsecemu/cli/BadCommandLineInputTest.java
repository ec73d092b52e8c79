package org.ipsecemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every command of {@code ipsec-emu} given bad input answers with a message and a non-zero exit
 * status, never a stack trace: what a user who hands it a wrong file sees.
 */
class BadCommandLineInputTest {
  @TempDir static Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static void assertCleanFailure(Run r) {
    assertThat(r.exit()).as("%s", r).isNotZero();
    // pfkey decode and encode report each message's error inline on standard output.
    assertThat((r.err() + r.out()).strip()).as("an error message").isNotEmpty();
    assertThat(r.err() + r.out())
        .as("no stack trace in %s", r)
        .doesNotContain("\tat ")
        .doesNotContain("Exception in")
        .doesNotContain("java.lang.");
  }

  /** A file of {@code n} random bytes. */
  private static Path garbage(String name, int n) throws IOException {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    Path p = dir.resolve(name);
    Files.write(p, b);
    return p;
  }

  private static Path text(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @ParameterizedTest(name = "pfkey decode --hex {0}")
  @ValueSource(
      strings = {"zz", "0", "02", "0209000302000000", "020900030200000001000000020000", ""})
  void pfkeyDecodeOfBadHexFails(String hex) {
    assertCleanFailure(run("pfkey", "decode", "--hex", hex));
  }

  @ParameterizedTest(name = "pfkey encode --json {0}")
  @ValueSource(
      strings = {
        "{",
        "{\"type\":\"SADB_NOPE\"}",
        "{\"version\":2,\"type\":\"SADB_ADD\",\"satype\":99999999999}",
        "{\"version\":2,\"type\":\"SADB_ADD\",\"extensions\":[{\"exttype\":\"SADB_EXT_KEY_AUTH\"}]}"
      })
  void pfkeyEncodeOfBadJsonFails(String json) {
    assertCleanFailure(run("pfkey", "encode", "--json", json));
  }

  @ParameterizedTest(name = "pfkey decode of {0} random bytes")
  @ValueSource(ints = {1, 100, 5000})
  void pfkeyDecodeOfARandomFileFails(int n) throws IOException {
    assertCleanFailure(run("pfkey", "decode", garbage("random-" + n + ".hex", n).toString()));
  }

  @ParameterizedTest(name = "setkey -f of {0} random bytes")
  @ValueSource(ints = {1, 100, 5000})
  void setkeyOfARandomFileFails(int n) throws IOException {
    assertCleanFailure(run("setkey", "-f", garbage("random-" + n + ".conf", n).toString()));
  }

  @ParameterizedTest(name = "setkey -f with: {0}")
  @ValueSource(
      strings = {
        "add 192.0.2.1 192.0.2.2 esp 0x99999999999999999999 -E null;",
        "add 192.0.2.1 2001:db8::1 esp 0x100 -E null -A hmac-sha1 0x00;",
        "add 192.0.2.1 192.0.2.2 esp 0x100 -E aes-cbc 0x00 -A hmac-sha1 0x00;",
        "add 192.0.2.1 192.0.2.2 esp 0x100 -E null",
        "spdadd 10.0.0.0/99 10.0.1.0/24 any -P out ipsec esp/transport//require;",
        "spdadd 10.0.0.0/8 10.0.1.0/24 any -P out ipsec esp/tunnel/1.2.3.4-::1/require;",
        "getspi 192.0.2.1 192.0.2.2 esp 0x200 0x100;"
      })
  void setkeyOfBadStatementsFails(String statement) throws IOException {
    assertCleanFailure(run("setkey", "-f", text("bad.conf", statement + "\n").toString()));
  }

  @ParameterizedTest(name = "setkey -f {0}")
  @ValueSource(strings = {"missing.conf", "."})
  void setkeyOfAMissingFileFails(String name) {
    assertCleanFailure(run("setkey", "-f", dir.resolve(name).toString()));
  }

  @ParameterizedTest(name = "keys --wireshark --sa of {0} random bytes")
  @ValueSource(ints = {1, 100, 5000})
  void keysOfARandomFileFails(int n) throws IOException {
    assertCleanFailure(
        run("keys", "--wireshark", "--sa", garbage("random-" + n + ".keys", n).toString()));
  }

  @ParameterizedTest(name = "keys --wireshark --sa with: {0}")
  @ValueSource(
      strings = {
        "192.168.2.101 192.168.2.100 \n\tesp mode=tunnel spi=99999999999999999999(0x1) reqid=1\n",
        "\"IPv4\",\"*\",\"*\",\"0x1\",\"AES-CBC [RFC3602]\",\"0x00\",\"HMAC-SHA-1-96 [RFC2404]\",\"0x\"\n"
      })
  void keysOfBadKeyFilesFails(String content) throws IOException {
    assertCleanFailure(run("keys", "--wireshark", "--sa", text("bad.keys", content).toString()));
  }
}
