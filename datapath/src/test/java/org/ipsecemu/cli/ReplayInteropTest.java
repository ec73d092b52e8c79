package org.ipsecemu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ipsec-emu replay} judged by others. The interop cases of {@code /work/shared/interop}
 * (made with scapy) are replayed and each case's {@code check.py} judges the output capture and the
 * statistics JSON. Then the 56 cases of {@code src/test/interop/oracle.py} (every algorithm pair,
 * ESP and AH, both modes, IPv4 and IPv6), both ways through the command: scapy's protected packets
 * must come out as the cleartext ({@code check-inbound}), and the cleartext must come out as
 * packets scapy and tshark decrypt and verify back to it ({@code check-outbound}).
 *
 * <p>Reads {@code /work/shared} (system property {@code ipsecemu.shared}) and needs {@code
 * /usr/bin/python3} with python3-scapy and tshark; each test skips itself without them, unless
 * {@code IPSECEMU_REQUIRE_ORACLES} is set (as CI does).
 */
class ReplayInteropTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path dir;

  private static boolean tools() throws Exception {
    boolean ok =
        Files.isExecutable(PYTHON)
            && exec(List.of(PYTHON.toString(), "-c", "import scapy.layers.ipsec")).exit() == 0
            && exec(List.of("tshark", "-v")).exit() == 0;
    if (!ok && System.getenv("IPSECEMU_REQUIRE_ORACLES") != null) {
      fail("IPSECEMU_REQUIRE_ORACLES is set but python3-scapy or tshark is missing");
    }
    return ok;
  }

  /** Reads /work/shared/interop; skips itself without it. */
  @ParameterizedTest
  @ValueSource(strings = {"esp-transport-v4", "esp-negative", "ah-basic"})
  void sharedCasePassesItsCheck(String name) throws Exception {
    String shared = System.getProperty("ipsecemu.shared");
    assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "interop")), "no ../shared");
    assumeTrue(tools(), "python3-scapy or tshark not installed");
    Path interop = Path.of(shared, "interop");
    Path caseDir = interop.resolve(name);
    Path out = dir.resolve(name + ".pcap");
    Path stats = dir.resolve(name + ".json");
    ReplayCommandTest.Run r =
        ReplayCommandTest.run(
            "replay",
            "--sa",
            caseDir.resolve("sa.conf").toString(),
            "-o",
            out.toString(),
            "--stats",
            stats.toString(),
            caseDir.resolve("in.pcap").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Result checked =
        exec(
            List.of(
                PYTHON.toString(),
                interop.resolve("check.py").toString(),
                caseDir.toString(),
                out.toString(),
                stats.toString()));
    assertThat(checked.exit()).as(checked.output()).isZero();
    assertThat(checked.output()).startsWith("PASS " + name);
  }

  @Test
  void everyOracleCaseReplaysBothWays() throws Exception {
    assumeTrue(tools(), "python3-scapy or tshark not installed");
    Path oracle =
        Path.of(System.getProperty("ipsecemu.root", ".."))
            .resolve("datapath/src/test/interop/oracle.py");
    if (!Files.exists(oracle)) {
      oracle = Path.of("src/test/interop/oracle.py").toAbsolutePath();
    }
    Result made = exec(List.of(PYTHON.toString(), oracle.toString(), "make-cases", dir.toString()));
    assertThat(made.exit()).as(made.output()).isZero();
    List<Path> cases;
    try (Stream<Path> s = Files.list(dir)) {
      cases = s.filter(d -> Files.exists(d.resolve("case.json"))).sorted().toList();
    }
    assertThat(cases).hasSize(56);
    List<String> failures = new ArrayList<>();
    for (Path c : cases) {
      String conf = c.resolve("sa.conf").toString();
      ReplayCommandTest.Run in =
          ReplayCommandTest.run(
              "replay",
              "--sa",
              conf,
              "-o",
              c.resolve("replay-in.pcap").toString(),
              c.resolve("in.pcap").toString());
      ReplayCommandTest.Run out =
          ReplayCommandTest.run(
              "replay",
              "--seed",
              "4303",
              "--sa",
              conf,
              "-o",
              c.resolve("replay-out.pcap").toString(),
              c.resolve("plain.pcap").toString());
      if (in.exit() != 0 || out.exit() != 0) {
        failures.add(c.getFileName() + ": " + in.err() + out.err());
      }
    }
    assertThat(failures).isEmpty();
    for (String[] check :
        List.of(
            new String[] {"check-inbound-all", "replay-in.pcap"},
            new String[] {"check-outbound-all", "replay-out.pcap"})) {
      Result r =
          exec(List.of(PYTHON.toString(), oracle.toString(), check[0], dir.toString(), check[1]));
      assertThat(r.exit()).as(r.output()).isZero();
      assertThat(r.output()).contains("56 of 56 cases pass");
    }
  }

  record Result(int exit, String output) {}

  static Result exec(List<String> command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Result(-1, "timed out: " + output);
    }
    return new Result(p.exitValue(), output);
  }
}
