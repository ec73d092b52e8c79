package org.ipsecemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ipsec-emu replay}, run in-process through {@link Main#commandLine()} (and once in a
 * separate JVM): the main job on the bundled samples, its files, its trace, and every error a user
 * can make, each ending with one line on standard error and status 1.
 */
class ReplayCommandTest {
  record Run(int exit, String out, String err) {}

  @TempDir Path dir;

  static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  static Path pcaps() {
    Path p = Path.of(System.getProperty("ipsecemu.root", "..")).resolve("pcaps");
    return Files.isDirectory(p) ? p : Path.of("../pcaps");
  }

  private static String sample(String name) {
    return pcaps().resolve(name).toString();
  }

  /** One line on standard error, {@code replay: ...}, status 1, no stack trace. */
  private static void assertOneLineError(Run r, String contains) {
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("replay: ").contains(contains).endsWith("\n");
    assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void mainJobDecryptsTheTunnelSampleAndPrintsTheSummary() throws Exception {
    Path out = dir.resolve("decrypted.pcap");
    Path stats = dir.resolve("stats.json");
    Run r =
        run(
            "replay",
            "--sa",
            sample("esp-3des-sha1-tunnel-v4.conf"),
            "-o",
            out.toString(),
            "--stats",
            stats.toString(),
            sample("esp-3des-sha1-tunnel-v4.pcap"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains("Frames: 9 read, 9 written to " + out)
        .containsPattern("ok +9 +ok +0")
        .containsPattern("esp +0x00001001 192\\.0\\.2\\.1 > 192\\.0\\.2\\.2 +tunnel +mature +5 ")
        .contains("PF_KEY: 0 SADB_ACQUIRE");
    // Record for record what scapy wrote as the plaintext (the file headers differ only in the
    // snapshot length: replay writes libpcap's maximum, see PcapWriter).
    byte[] got = Files.readAllBytes(out);
    byte[] want = Files.readAllBytes(pcaps().resolve("esp-3des-sha1-tunnel-v4.plain.pcap"));
    assertThat(java.util.Arrays.mismatch(got, 24, got.length, want, 24, want.length)).isEqualTo(-1);
    JsonNode json = new ObjectMapper().readTree(stats.toFile());
    assertThat(json.get("inbound").get("ok").asLong()).isEqualTo(9);
    assertThat(json.get("packets").get("written").asLong()).isEqualTo(9);
    assertThat(json.get("sas")).hasSize(2);
  }

  @Test
  void traceTellsEveryStepAndNeverAKey() throws Exception {
    String conf = Files.readString(pcaps().resolve("esp-replay-tamper.conf"));
    Run r =
        run(
            "replay",
            "--trace",
            "--sa",
            sample("esp-replay-tamper.conf"),
            sample("esp-replay-tamper.pcap"));
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("SPI lookup: getassocbyspi(destination 192.0.2.2, SPI 0x00003001, ESP) finds")
        .contains("replay window before: not used yet")
        .contains("replay window after: size 32, covers 1..1, 1 received")
        .contains("ICV: hmac-sha1 (12 bytes), good")
        .contains("ICV: hmac-sha1 (12 bytes), BAD")
        .contains("cipher: 3des-cbc")
        .contains("padding: 3 bytes, next header 1 (ICMP: transport mode)")
        .contains("lifetime: 59 bytes charged, 59 so far")
        .contains("verdict: replay (refused by the anti-replay window), left out")
        .contains("finds no usable SA")
        .contains("verdict: ok (accepted), written as 192.0.2.1 > 192.0.2.2 ICMP");
    Matcher keys = Pattern.compile("0x([0-9a-f]{16,})").matcher(conf);
    int found = 0;
    while (keys.find()) {
      String key = keys.group(1);
      found++;
      for (int i = 0; i + 8 <= key.length(); i += 4) {
        assertThat(r.out().toLowerCase()).doesNotContain(key.substring(i, i + 8));
      }
    }
    assertThat(found).isEqualTo(2);
  }

  @Test
  void severalThreadsWriteTheSameBytesAsOne() throws Exception {
    List<byte[]> outputs = new ArrayList<>();
    for (String threads : List.of("1", "3")) {
      Path out = dir.resolve("out-" + threads + ".pcap");
      Run r =
          run(
              "replay",
              "--threads",
              threads,
              "--seed",
              "7",
              "--sa",
              sample("outbound-policies.conf"),
              "-o",
              out.toString(),
              sample("outbound-policies.pcap"));
      assertThat(r.exit()).as(r.err()).isZero();
      outputs.add(Files.readAllBytes(out));
    }
    assertThat(outputs.get(1)).isEqualTo(outputs.get(0));
  }

  @Test
  void anEspSaTableWrittenByKeysWiresharkServesAReplay() throws Exception {
    Path table = dir.resolve("esp_sa");
    Run k =
        run(
            "keys",
            "--wireshark",
            "--sa",
            sample("esp-des-md5-transport-v4.conf"),
            "-o",
            table.toString());
    assertThat(k.exit()).isZero();
    Run r = run("replay", "--sa", table.toString(), sample("esp-des-md5-transport-v4.pcap"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("(wireshark esp_sa)").containsPattern("ok +9 ");
  }

  @Test
  void missingCaptureIsOneLine() {
    Path missing = dir.resolve("nope.pcap");
    Run r = run("replay", "--sa", sample("esp-3des-sha1-tunnel-v4.conf"), missing.toString());
    assertOneLineError(r, missing + ": no such file");
  }

  @Test
  void missingKeyFileIsOneLine() {
    Path missing = dir.resolve("nope.conf");
    Run r = run("replay", "--sa", missing.toString(), sample("esp-3des-sha1-tunnel-v4.pcap"));
    assertOneLineError(r, missing + ": no such key file");
  }

  @Test
  void aFileThatIsNoCaptureIsOneLine() {
    Run r =
        run(
            "replay",
            "--sa",
            sample("esp-3des-sha1-tunnel-v4.conf"),
            sample("esp-3des-sha1-tunnel-v4.conf"));
    assertOneLineError(r, "esp-3des-sha1-tunnel-v4.conf: not a pcap or pcapng capture");
  }

  @Test
  void aCaptureCutShortIsReplayedUpToTheCutThenReportedInOneLine() throws Exception {
    byte[] whole = Files.readAllBytes(pcaps().resolve("esp-3des-sha1-tunnel-v4.pcap"));
    Path cut = dir.resolve("cut.pcap");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 20));
    Run r = run("replay", "--sa", sample("esp-3des-sha1-tunnel-v4.conf"), cut.toString());
    assertOneLineError(r, "cut short after frame 8");
    assertThat(r.out()).contains("Frames: 8 read");
  }

  @Test
  void aBadLineInAKeyFileIsOneLineWithItsNumber() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(
        conf,
        "# fine\n"
            + "add 192.0.2.1 192.0.2.2 esp 0x1001 -E des-cbc 0x6b707007f8bae39b;\n"
            + "add 192.0.2.1 192.0.2.2 esp 0x1002 -m tunnel -E des-cbc;\n");
    Run r = run("replay", "--sa", conf.toString(), sample("esp-3des-sha1-tunnel-v4.pcap"));
    assertOneLineError(r, conf + ":3:");
  }

  @Test
  void aStatementTheKeyEngineRefusesIsOneLineWithItsNumber() throws Exception {
    Path conf = dir.resolve("twice.conf");
    String add = "add 192.0.2.1 192.0.2.2 esp 0x1001 -E des-cbc 0x6b707007f8bae39b;\n";
    Files.writeString(conf, add + add);
    Run r = run("replay", "--sa", conf.toString(), sample("esp-3des-sha1-tunnel-v4.pcap"));
    assertOneLineError(r, conf + ":2: the Key Engine refused add: File exists");
  }

  @Test
  void anUnsupportedLinkTypeIsOneLineNamingIt() throws Exception {
    Path wifi = dir.resolve("wifi.pcap");
    byte[] header = {
      (byte) 0xd4,
      (byte) 0xc3,
      (byte) 0xb2,
      (byte) 0xa1,
      2,
      0,
      4,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      4,
      0,
      105,
      0,
      0,
      0
    };
    Files.write(wifi, header);
    Run r = run("replay", "--sa", sample("esp-3des-sha1-tunnel-v4.conf"), wifi.toString());
    assertOneLineError(r, "unsupported link type IEEE802_11 (105)");
  }

  @Test
  void anOutputThatCannotBeWrittenIsOneLine() {
    Run r =
        run(
            "replay",
            "--sa",
            sample("esp-3des-sha1-tunnel-v4.conf"),
            "-o",
            dir.toString(),
            sample("esp-3des-sha1-tunnel-v4.pcap"));
    assertOneLineError(r, dir + ": is a directory");
    Run same =
        run(
            "replay",
            "--sa",
            sample("esp-3des-sha1-tunnel-v4.conf"),
            "-o",
            sample("esp-3des-sha1-tunnel-v4.pcap"),
            sample("esp-3des-sha1-tunnel-v4.pcap"));
    assertOneLineError(same, "is the input capture; choose another output file");
  }

  @Test
  void aBadDirectionIsAUsageError() {
    Run r =
        run(
            "replay",
            "--direction",
            "sideways",
            "--sa",
            sample("esp-3des-sha1-tunnel-v4.conf"),
            sample("esp-3des-sha1-tunnel-v4.pcap"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("expected auto, in or out, not 'sideways'");
  }

  /**
   * No libpcap: a separate JVM whose {@code os.arch} names no Debian multiarch directory, so that
   * the library is looked for only where Debian does not put it ({@code /usr/lib}, {@code /lib},
   * ...), as on a machine without the package.
   */
  @Test
  void noLibpcapIsOneLineNamingThePackageToInstall() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        Files.exists(Path.of("/usr/lib/libpcap.so.0.8"))
            || Files.exists(Path.of("/usr/lib/libpcap.so"))
            || Files.exists(Path.of("/usr/lib/libpcap.so.1")),
        "libpcap in a directory searched without multiarch");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Dos.arch=none",
                "-cp",
                System.getProperty("java.class.path"),
                "org.ipsecemu.cli.Main",
                "replay",
                "--sa",
                sample("esp-3des-sha1-tunnel-v4.conf"),
                sample("esp-3des-sha1-tunnel-v4.pcap"))
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertOneLineError(
        new Run(p.exitValue(), out, err),
        "libpcap not found: install it with \"apt-get install libpcap0.8\"");
  }
}
