package org.ipsecemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ipsec-emu setkey}, run in-process through {@link Main#commandLine()}. */
class SetkeyCommandTest {
  private static final String K3DES = "0xd5430ec7c2a48c5efd0df1514ff23d0d40495dad3e577976";
  private static final String KSHA1 = "0xe41f8cac02a356acb6c9cea49d55b0f889e128f4";
  private static final String ADD_1001 =
      "add 192.0.2.1 192.0.2.2 esp 0x1001 -m transport -r 32 -E 3des-cbc "
          + K3DES
          + " -A hmac-sha1 "
          + KSHA1
          + ";\n";

  /** What setkey -D prints for ADD_1001 at 2024-01-01T00:00:00Z, in UTC. */
  private static final String DUMP_1001 =
      "192.0.2.1 192.0.2.2 \n"
          + "\tesp mode=transport spi=4097(0x00001001) reqid=0(0x00000000)\n"
          + "\tE: 3des-cbc  d5430ec7 c2a48c5e fd0df151 4ff23d0d 40495dad 3e577976\n"
          + "\tA: hmac-sha1  e41f8cac 02a356ac b6c9cea4 9d55b0f8 89e128f4\n"
          + "\tseq=0x00000000 replay=32 flags=0x00000000 state=mature \n"
          + "\tcreated: Jan  1 00:00:00 2024\tcurrent: Jan  1 00:00:00 2024\n"
          + "\tdiff: 0(s)\thard: 0(s)\tsoft: 0(s)\n"
          + "\tlast:                     \thard: 0(s)\tsoft: 0(s)\n"
          + "\tcurrent: 0(bytes)\thard: 0(bytes)\tsoft: 0(bytes)\n"
          + "\tallocated: 0\thard: 0\tsoft: 0\n"
          + "\tsadb_seq=0 pid=4242 refcnt=0\n";

  record Run(int exit, String out, String err) {}

  private static Run run(String stdin, String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    if (stdin != null) {
      ((SetkeyCommand) cl.getSubcommands().get("setkey").getCommand()).stdin =
          new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    }
    List<String> a = new ArrayList<>(List.of("setkey", "--utc", "--time", "2024-01-01T00:00:00Z"));
    a.addAll(List.of("--pid", "4242"));
    a.addAll(List.of(args));
    int exit = cl.execute(a.toArray(new String[0]));
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run stdin(String statements, String... args) {
    List<String> a = new ArrayList<>(List.of("-c"));
    a.addAll(List.of(args));
    return run(statements, a.toArray(new String[0]));
  }

  @Test
  void addThenDumpPrintsLikeSetkeyDashD() {
    Run r = stdin(ADD_1001 + "dump;\n");
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(DUMP_1001);
    assertThat(r.exit()).isZero();
  }

  @Test
  void failedStatementPrintsTheResultOfItsLineAndTheRestStillRuns() {
    Run r = stdin("flush;\n" + ADD_1001 + ADD_1001 + "dump esp;\n");
    assertThat(r.err()).isEqualTo("The result of line 3: File exists.\n");
    assertThat(r.out()).isEqualTo(DUMP_1001);
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void getPrintsTheSaAndAMissingOneFails() {
    Run r =
        stdin(ADD_1001 + "get 192.0.2.1 192.0.2.2 esp 0x1001;\nget 192.0.2.1 192.0.2.2 esp 0x9;\n");
    assertThat(r.out()).contains("spi=4097(0x00001001)").contains("E: 3des-cbc  d5430ec7");
    assertThat(r.err()).isEqualTo("The result of line 3: No such process.\n");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void emptyDumpsSayNoEntriesAndAreNoFailure() {
    Run r = stdin("dump;\nspddump;\n");
    assertThat(r.out())
        .isEqualTo(
            "The result of line 1: No SAD entries.\nThe result of line 2: No SPD entries.\n");
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
  }

  @Test
  void deleteDeleteallAndFlush() {
    String add2 = ADD_1001.replace("0x1001", "0x1002");
    String add3 = ADD_1001.replace("0x1001", "0x1003").replace("192.0.2.2", "192.0.2.3");
    Run del = stdin(ADD_1001 + add2 + "delete 192.0.2.1 192.0.2.2 esp 0x1001;\ndump;\n");
    assertThat(del.out()).doesNotContain("spi=4097").contains("spi=4098");
    assertThat(del.exit()).isZero();
    Run all = stdin(ADD_1001 + add2 + add3 + "deleteall 192.0.2.1 192.0.2.2 esp;\ndump;\n");
    assertThat(all.out())
        .doesNotContain("spi=4097")
        .doesNotContain("spi=4098")
        .contains("spi=4099");
    assertThat(all.exit()).isZero();
    Run none = stdin("deleteall 192.0.2.1 192.0.2.2 esp;\n");
    assertThat(none.exit()).isZero();
    Run flush = stdin(ADD_1001 + add3 + "flush esp;\ndump;\n");
    assertThat(flush.out()).isEqualTo("The result of line 4: No SAD entries.\n");
  }

  @Test
  void lifetimesShowInTheDump() {
    Run r =
        stdin(ADD_1001.replace("-r 32", "-r 32 -lh 3600 -ls 3000 -bh 50000 -bs 40000") + "dump;\n");
    assertThat(r.out())
        .contains("\tdiff: 0(s)\thard: 3600(s)\tsoft: 3000(s)\n")
        .contains("\tcurrent: 0(bytes)\thard: 50000(bytes)\tsoft: 40000(bytes)\n");
  }

  @Test
  void getspiMakesALarvalSa() {
    Run r = stdin("getspi 192.0.2.2 192.0.2.1 esp 0x1234 -m transport;\ndump;\n");
    assertThat(r.out()).contains("spi=4660(0x00001234)").contains("state=larval");
    assertThat(r.exit()).isZero();
  }

  @Test
  void policiesPrintLikeSetkeyDashDP() {
    String spd =
        "spdadd 10.0.0.0/24[any] 10.0.1.0/24[80] tcp -P out ipsec"
            + " esp/tunnel/192.1.2.23-192.1.2.45/require;\n";
    Run r = stdin(spd + "spddump;\n");
    assertThat(r.out())
        .matches(
            "10\\.0\\.0\\.0/24\\[any\\] 10\\.0\\.1\\.0/24\\[80\\] tcp\n"
                + "\tout prio def ipsec\n"
                + "\tesp/tunnel/192\\.1\\.2\\.23-192\\.1\\.2\\.45/require\n"
                // The engine's SPDDUMP replies may or may not carry lifetimes (Linux's do).
                + "(\tcreated: Jan  1 00:00:00 2024  lastused:                     \n)?"
                + "(\tlifetime: 0\\(s\\) validtime: 0\\(s\\)\n)?"
                + "\tspid=\\d+ seq=0 pid=4242\n"
                + "\trefcnt=\\d+\n");
    assertThat(r.exit()).isZero();
  }

  @Test
  void inboundPolicyGetsItsForwardTwinUnlessKernelMode() {
    String spd =
        "spdadd 10.0.1.0/24 10.0.0.0/24 any -P in ipsec esp/tunnel/1.1.1.1-2.2.2.2/require;\n";
    Run rfc = stdin(spd + "spddump;\n");
    assertThat(rfc.out()).contains("\tin prio def ipsec\n").contains("\tfwd prio def ipsec\n");
    Run kernel = stdin(spd + "spddump;\n", "-k");
    assertThat(kernel.out()).contains("\tin prio def ipsec\n").doesNotContain("fwd");
  }

  @Test
  void spdupdateSpddeleteAndSpdflush() {
    String add = "spdadd 10.0.0.1 10.0.0.2 udp -P out none;\n";
    Run upd = stdin(add + "spdupdate 10.0.0.1 10.0.0.2 udp -P out discard;\nspddump;\n");
    assertThat(upd.out()).contains("\tout prio def discard\n").doesNotContain("none");
    Run del = stdin(add + "spddelete 10.0.0.1 10.0.0.2 udp -P out;\nspddump;\n");
    assertThat(del.out()).isEqualTo("The result of line 3: No SPD entries.\n");
    Run missing = stdin("spddelete 10.0.0.1 10.0.0.2 udp -P out;\n");
    assertThat(missing.err()).isEqualTo("The result of line 1: No entry.\n");
    assertThat(missing.exit()).isEqualTo(1);
    Run flush = stdin(add + "spdflush;\nspddump;\n");
    assertThat(flush.out()).isEqualTo("The result of line 3: No SPD entries.\n");
  }

  @Test
  void traceShowsEveryMessageAsATree() {
    Run r = stdin(ADD_1001 + ADD_1001, "-x");
    assertThat(r.out())
        .contains("# registering: send SADB_REGISTER\n")
        .contains("# line 1: send SADB_ADD\nsadb_msg{ version=2 type=SADB_ADD")
        .contains("# line 1: receive SADB_ADD\n")
        .contains("# line 2: receive SADB_ADD\nsadb_msg{ version=2 type=SADB_ADD errno=17(EEXIST)")
        .contains("sadb_sa{");
    assertThat(r.err()).isEqualTo("The result of line 2: File exists.\n");
  }

  @Test
  void exitStopsReading() {
    Run r = stdin(ADD_1001 + "exit;\ndump;\n");
    assertThat(r.out()).isEmpty();
    assertThat(r.exit()).isZero();
  }

  @Test
  void desParityIsCheckedUnlessSwitchedOff() {
    // Every byte of this 3DES key has an even number of one bits: wrong DES parity, not weak.
    String badParity =
        "add 10.0.0.1 10.0.0.2 esp 0x300 -E 3des-cbc 0x"
            + "03".repeat(8)
            + "05".repeat(8)
            + "06".repeat(8)
            + " -A hmac-md5 0x"
            + "11".repeat(16)
            + ";\n";
    assertThat(stdin(badParity).err()).isEqualTo("The result of line 1: Invalid argument.\n");
    Run off = stdin(badParity, "--no-des-parity");
    assertThat(off.err()).isEmpty();
    assertThat(off.exit()).isZero();
  }

  @Test
  void fileWithASyntaxErrorRunsNothing(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.conf");
    Files.writeString(f, ADD_1001 + "dump;\nadd 1.1.1.1 2.2.2.2 esp 1 -E rot13 0x00;\nflsh;\n");
    Run r = run(null, "-f", f.toString());
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            f
                + ":3: unknown encryption algorithm at [rot13]\n"
                + f
                + ":4: unknown command at [flsh]\n"
                + "setkey: "
                + f
                + ": syntax errors, nothing was run\n");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void stdinWithASyntaxErrorRunsTheOtherStatements() {
    Run r = stdin(ADD_1001 + "add 1.1.1.1 2.2.2.2 esp 1 -E rot13 0x00;\ndump;\n");
    assertThat(r.err()).isEqualTo("<stdin>:2: unknown encryption algorithm at [rot13]\n");
    assertThat(r.out()).isEqualTo(DUMP_1001);
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void stdinStatementsEndAtSemicolonsOutsideQuotesAndComments() {
    // A ';' in a quoted key or a comment does not end the statement; a statement may start after
    // another's ';' on the same line and go on over lines; line numbers stay those of the input.
    String in =
        "flush; add 10.0.0.1 10.0.0.2 ah 0x500 # first SA; not the end\n"
            + "  -A hmac-md5 \"0123456789;bcdef\";\n"
            + "add 10.0.0.1 10.0.0.2 ah 0x500 -A hmac-md5 \"0123456789;bcdef\";\n"
            + "dump ah;\n";
    Run r = stdin(in);
    assertThat(r.err()).isEqualTo("The result of line 3: File exists.\n");
    assertThat(r.out()).contains("spi=1280(0x00000500)").contains("A: hmac-md5  30313233");
  }

  @Test
  void fileFromDisk(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("sa.conf");
    Files.writeString(f, "# keys\n" + ADD_1001 + "dump;\n");
    Run r = run(null, "-f", f.toString());
    assertThat(r.out()).isEqualTo(DUMP_1001);
    assertThat(r.exit()).isZero();
  }

  @Test
  void missingFileAndMissingMode(@TempDir Path dir) {
    Run r = run(null, "-f", dir.resolve("nope.conf").toString());
    assertThat(r.err()).startsWith("setkey: cannot read ");
    assertThat(r.exit()).isEqualTo(1);
    Run neither = run(null);
    assertThat(neither.err()).contains("give exactly one of -f FILE and -c");
    assertThat(neither.exit()).isEqualTo(2);
  }

  @Test
  void runsTheSharedSetkeyFiles() throws Exception {
    // Reads /work/shared/interop/*/sa.conf and captures/openswan/*.conf; skipped when absent.
    Path shared = Path.of(System.getProperty("ipsecemu.shared", "/work/shared"));
    Assumptions.assumeTrue(Files.isDirectory(shared.resolve("interop")), "no /work/shared");
    List<Path> files = new ArrayList<>();
    try (var s = Files.list(shared.resolve("interop"))) {
      s.map(d -> d.resolve("sa.conf")).filter(Files::exists).forEach(files::add);
    }
    try (var s = Files.list(shared.resolve("captures/openswan"))) {
      s.filter(p -> p.toString().endsWith(".conf")).forEach(files::add);
    }
    for (Path f : files) {
      String text = Files.readString(f);
      long adds = text.lines().filter(l -> l.startsWith("add ")).count();
      Run r = stdin(text + "\ndump;\n", "--no-des-parity");
      assertThat(r.err()).as(f.toString()).isEmpty();
      assertThat(r.exit()).as(f.toString()).isZero();
      assertThat(r.out().lines().filter(l -> l.startsWith("\tsadb_seq=")).count())
          .as(f.toString())
          .isEqualTo(adds);
    }
  }
}
