package org.ipsecemu.sadb.keyfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipsecemu.sadb.setkey.SaSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code esp_sa} file the writer makes is one tshark reads and decrypts with: every packet of
 * the interop case {@code esp-transport-v4} (eight SAs, every algorithm pair) comes out as the
 * plaintext scapy put in. Reads {@code /work/shared/interop} and runs {@code tshark}; skipped when
 * either is absent.
 */
class WiresharkEspSaTsharkTest {

  private static Path interopCase() {
    Path dir = SharedFiles.shared().resolve("interop/esp-transport-v4");
    assumeTrue(Files.isRegularFile(dir.resolve("in.pcap")), "interop case absent: " + dir);
    return dir;
  }

  private static void assumeTshark() {
    try {
      Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "tshark does not run");
    } catch (IOException | InterruptedException e) {
      assumeTrue(false, "tshark absent: " + e);
    }
  }

  /** Runs tshark and returns its stdout lines; stderr is returned in {@code err}. */
  private static List<String> tshark(Path configDir, List<String> args, StringBuilder err)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("tshark"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("WIRESHARK_CONFIG_DIR", configDir.toString());
    Path errFile = configDir.resolve("stderr.txt");
    pb.redirectError(errFile.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("tshark finished").isTrue();
    err.append(Files.readString(errFile));
    assertThat(p.exitValue()).as("tshark exit status; stderr: " + err).isZero();
    return out.lines().toList();
  }

  private static List<String> expectedPayloads(Path dir) throws IOException {
    JsonNode root = new ObjectMapper().readTree(dir.resolve("expect.json").toFile());
    List<String> out = new ArrayList<>();
    for (JsonNode p : root.get("packets")) {
      assertThat(p.get("verdict").asText()).isEqualTo("ok");
      out.add(p.get("payload").asText());
    }
    return out;
  }

  @Test
  void tsharkDecryptsEveryPacketWithTheWrittenFile(@TempDir Path config) throws Exception {
    Path dir = interopCase();
    assumeTshark();
    List<SaSpec> sas = KeyFiles.read(dir.resolve("sa.conf")).sas();
    WiresharkEspSa.Written w = WiresharkEspSa.write(sas);
    assertThat(w.skipped()).isEmpty();
    Files.writeString(config.resolve("esp_sa"), w.text());

    StringBuilder err = new StringBuilder();
    List<String> rows =
        tshark(
            config,
            List.of(
                "-r", dir.resolve("in.pcap").toString(),
                "-o", "esp.enable_encryption_decode:TRUE",
                "-o", "esp.enable_authentication_check:TRUE",
                "-T", "fields",
                "-e", "frame.number",
                "-e", "esp.spi",
                "-e", "esp.contained_data",
                "-e", "esp.icv_bad"),
            err);
    assertThat(err.toString()).doesNotContain("esp_sa");
    List<String> expected = expectedPayloads(dir);
    assertThat(rows).hasSize(expected.size());
    for (String row : rows) {
      String[] f = row.split("\t", -1);
      int frame = Integer.parseInt(f[0]);
      assertThat(f[2]).as("plaintext of frame " + frame).isEqualTo(expected.get(frame - 1));
      assertThat(f[3]).as("ICV of frame " + frame).isNotEqualTo("1");
    }
  }

  @Test
  void oneWrittenLineWorksAsACommandLineUat(@TempDir Path config) throws Exception {
    // The form the brief names: -o "uat:esp_sa:<line>" with one SA (SPI 0x1001, 3DES/HMAC-SHA1).
    Path dir = interopCase();
    assumeTshark();
    SaSpec sa =
        KeyFiles.read(dir.resolve("sa.conf")).sas().stream()
            .filter(s -> s.spi() == 0x1001)
            .findFirst()
            .orElseThrow();
    StringBuilder err = new StringBuilder();
    List<String> rows =
        tshark(
            config,
            List.of(
                "-r", dir.resolve("in.pcap").toString(),
                "-o", "esp.enable_encryption_decode:TRUE",
                "-o", "esp.enable_authentication_check:TRUE",
                "-o", "uat:esp_sa:" + WiresharkEspSa.line(sa),
                "-Y", "esp.spi == 0x1001",
                "-T", "fields",
                "-e", "frame.number",
                "-e", "esp.contained_data"),
            err);
    List<String> expected = expectedPayloads(dir);
    assertThat(rows).isNotEmpty();
    for (String row : rows) {
      String[] f = row.split("\t", -1);
      assertThat(f[1]).isEqualTo(expected.get(Integer.parseInt(f[0]) - 1));
    }
  }
}
