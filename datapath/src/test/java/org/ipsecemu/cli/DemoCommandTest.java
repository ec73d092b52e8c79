package org.ipsecemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ipsec-emu demo}, run in-process through {@link Main#commandLine()}. */
class DemoCommandTest {
  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] a = new String[args.length + 1];
    a[0] = "demo";
    System.arraycopy(args, 0, a, 1, args.length);
    return new Run(cl.execute(a), out.toString(), err.toString());
  }

  /** The part of the output from the line starting with {@code start} to the next step line. */
  private static String block(String out, String start) {
    int i = out.indexOf(start);
    assertThat(i).as("found: " + start).isNotNegative();
    int end = out.indexOf("\n[+", i + 1);
    return out.substring(i, end < 0 ? out.length() : end);
  }

  @Test
  void tellsTheStoryOfSection51InOrder() {
    Run r = run();
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .containsSubsequence(
            "setkey -> kernel: SADB_X_SPDADD",
            "KMD -> kernel: SADB_REGISTER (SADB_SATYPE_ESP)",
            "kernel -> KMD: SADB_REGISTER (SADB_SATYPE_ESP)",
            "KMD -> kernel: SADB_REGISTER (SADB_SATYPE_AH)",
            "kernel -> KMD: SADB_REGISTER (SADB_SATYPE_AH)",
            "getassocbysocket says PENDING (ACQUIRE seq 1)",
            "kernel -> KMD: SADB_ACQUIRE (SADB_SATYPE_ESP) seq=1",
            "KMD -> kernel: SADB_GETSPI",
            "kernel -> KMD: SADB_GETSPI (SADB_SATYPE_ESP) spi=0x0000",
            "KMD -> kernel: SADB_UPDATE",
            "kernel -> KMD: SADB_UPDATE",
            "KMD -> kernel: SADB_ADD",
            "kernel -> KMD: SADB_ADD",
            "packet 1: 1000 bytes out on SPI 0x0000b001 (MATURE, 1000 of SOFT 4000 bytes)",
            "packet 4: 1000 bytes out on SPI 0x0000b001 (DYING, 4000 of SOFT 4000 bytes)",
            "kernel -> KMD: SADB_EXPIRE (SADB_SATYPE_ESP) SOFT spi=0x0000b001",
            "packet 5: 1000 bytes out on SPI 0x0000b001 (DYING",
            "the clock advances 60 s",
            "kernel -> KMD: SADB_EXPIRE (SADB_SATYPE_ESP) HARD",
            "kernel -> KMD: SADB_EXPIRE (SADB_SATYPE_ESP) HARD",
            "getassocbysocket says PENDING (ACQUIRE seq 2)",
            "kernel -> KMD: SADB_ACQUIRE (SADB_SATYPE_ESP) seq=2");
    // The ACQUIRE carries the flow's ports (§3.1.6 NOTE) and a proposal.
    assertThat(block(r.out(), "[+0.000s] kernel -> KMD: SADB_ACQUIRE"))
        .contains("address=10.0.0.1 port=40000")
        .contains("address=10.0.0.2 port=80")
        .contains("sadb_prop{")
        .contains("pid=0 }");
  }

  @Test
  void keysGoDownButNeverComeBack() {
    String out = run().out();
    assertThat(block(out, "[+0.200s] KMD -> kernel: SADB_UPDATE")).contains("sadb_key{");
    assertThat(block(out, "[+0.200s] kernel -> KMD: SADB_UPDATE")).doesNotContain("sadb_key{");
    assertThat(block(out, "[+0.200s] KMD -> kernel: SADB_ADD")).contains("sadb_key{");
    assertThat(block(out, "[+0.200s] kernel -> KMD: SADB_ADD")).doesNotContain("sadb_key{");
  }

  @Test
  void expireMessagesNameTheLifetimeThatRanOut() {
    String out = run().out();
    String soft = block(out, "kernel -> KMD: SADB_EXPIRE (SADB_SATYPE_ESP) SOFT");
    assertThat(soft).contains("exttype=SADB_EXT_LIFETIME_SOFT").doesNotContain("LIFETIME_HARD");
    String hard = block(out, "kernel -> KMD: SADB_EXPIRE (SADB_SATYPE_ESP) HARD");
    assertThat(hard).contains("exttype=SADB_EXT_LIFETIME_HARD").contains("LIFETIME_CURRENT");
  }

  @Test
  void sameOutputEveryRunAndBriefLeavesOutTheTrees() {
    Run a = run();
    Run b = run();
    assertThat(a.out()).isEqualTo(b.out());
    Run brief = run("--brief");
    assertThat(brief.out()).doesNotContain("sadb_msg{");
    assertThat(a.out().lines().filter(l -> !l.startsWith(" ") && !l.startsWith("sadb_msg{")))
        .containsExactlyElementsOf(brief.out().lines().toList());
  }

  @Test
  void clockStartIsAnOption() {
    Run r = run("--brief", "--time", "2030-06-01T12:00:00Z");
    assertThat(r.out()).contains("Simulated time starts at 2030-06-01T12:00:00Z");
    assertThat(r.exit()).isZero();
  }
}
