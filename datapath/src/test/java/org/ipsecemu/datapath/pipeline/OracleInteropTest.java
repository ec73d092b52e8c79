package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline against independent implementations, for every algorithm pair, both modes, IPv4 and
 * IPv6 (56 cases): {@code src/test/interop/oracle.py make-cases} has scapy's own ESP/AH ({@code
 * scapy.layers.ipsec}) protect a set of cleartext packets. Inbound, our pipeline must turn scapy's
 * packets back into the cleartext byte for byte. Outbound, our pipeline protects the cleartext and
 * {@code oracle.py} must decrypt and verify every packet with scapy (ESP and AH) and with tshark's
 * ESP dissector (decryption and ICV check), back to the cleartext.
 *
 * <p>Needs {@code /usr/bin/python3} with python3-scapy, and tshark (Debian packages, installed by
 * {@code .ci/run}); skips itself without them, unless the environment sets {@code
 * IPSECEMU_REQUIRE_ORACLES} (as CI does), which turns their absence into a failure.
 */
class OracleInteropTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final HexFormat HEX = HexFormat.of();

  @TempDir static Path cases;

  private static Path oracle;

  @BeforeAll
  static void makeCases() throws Exception {
    oracle =
        Path.of(System.getProperty("ipsecemu.root", ".."))
            .resolve("datapath/src/test/interop/oracle.py");
    if (!Files.exists(oracle)) {
      oracle = Path.of("src/test/interop/oracle.py").toAbsolutePath();
    }
    boolean tools =
        Files.isExecutable(PYTHON)
            && run(List.of(PYTHON.toString(), "-c", "import scapy.layers.ipsec")).exit == 0
            && run(List.of("tshark", "-v")).exit == 0;
    if (!tools) {
      if (System.getenv("IPSECEMU_REQUIRE_ORACLES") != null) {
        fail("IPSECEMU_REQUIRE_ORACLES is set but python3-scapy or tshark is missing");
      }
      assumeTrue(false, "python3-scapy or tshark not installed");
    }
    Result made =
        run(List.of(PYTHON.toString(), oracle.toString(), "make-cases", cases.toString()));
    assertThat(made.exit).as(made.output).isZero();
  }

  private static List<Path> caseDirs() throws IOException {
    try (Stream<Path> s = Files.list(cases)) {
      return s.filter(d -> Files.exists(d.resolve("case.json"))).sorted().toList();
    }
  }

  @Test
  void decryptsEveryCaseBackToItsCleartext() throws Exception {
    List<Path> dirs = caseDirs();
    assertThat(dirs).hasSize(56);
    List<String> failures = new ArrayList<>();
    for (Path dir : dirs) {
      List<byte[]> in = IpCaptures.read(dir.resolve("in.pcap"));
      List<byte[]> plain = IpCaptures.read(dir.resolve("plain.pcap"));
      try (KeyEngine engine = KeyEngine.create();
          Datapath dp = Datapath.create(engine)) {
        new Setkey(engine).file(dir.resolve("sa.conf"));
        PacketContext ctx = dp.newContext();
        for (int i = 0; i < in.size(); i++) {
          Verdict v = dp.inbound(in.get(i), 0, in.get(i).length, ctx);
          if (!v.isOk()) {
            failures.add(dir.getFileName() + " packet " + i + ": " + v.label());
          } else if (!HEX.formatHex(ctx.output()).equals(HEX.formatHex(plain.get(i)))) {
            failures.add(
                dir.getFileName()
                    + " packet "
                    + i
                    + ": "
                    + HEX.formatHex(ctx.output())
                    + " expected "
                    + HEX.formatHex(plain.get(i)));
          }
        }
        assertThat(dp.count(Verdict.OK)).isLessThanOrEqualTo(in.size());
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void encryptsEveryCaseSoThatScapyAndTsharkDecryptIt() throws Exception {
    List<Path> dirs = caseDirs();
    List<String> failures = new ArrayList<>();
    for (Path dir : dirs) {
      List<byte[]> plain = IpCaptures.read(dir.resolve("plain.pcap"));
      List<byte[]> out = new ArrayList<>();
      try (KeyEngine engine = KeyEngine.create();
          Datapath dp =
              Datapath.builder(engine).transforms(TransformFactory.deterministic(4303)).build()) {
        new Setkey(engine).file(dir.resolve("sa.conf"));
        PacketContext ctx = dp.newContext();
        for (int i = 0; i < plain.size(); i++) {
          OutboundVerdict v = dp.outbound(plain.get(i), 0, plain.get(i).length, ctx);
          if (v != OutboundVerdict.OK) {
            failures.add(dir.getFileName() + " packet " + i + ": " + v.label());
          } else {
            out.add(ctx.output());
          }
        }
      }
      IpCaptures.write(dir.resolve("out.pcap"), out);
    }
    assertThat(failures).isEmpty();
    Result checked =
        run(
            List.of(
                PYTHON.toString(),
                oracle.toString(),
                "check-outbound-all",
                cases.toString(),
                "out.pcap"));
    assertThat(checked.exit).as(checked.output).isZero();
    assertThat(checked.output).contains("56 of 56 cases pass");
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Result(-1, "timed out: " + output);
    }
    return new Result(p.exitValue(), output);
  }
}
