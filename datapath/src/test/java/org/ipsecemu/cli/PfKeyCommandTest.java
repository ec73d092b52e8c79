package org.ipsecemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ipsec-emu pfkey decode|encode}, run in-process through {@link Main#commandLine()}. */
class PfKeyCommandTest {
  /** SADB_FLUSH, satype ESP, seq 1, pid 2 (little-endian, written by hand from struct sadb_msg). */
  private static final String FLUSH = "0209000302000000" + "0100000002000000";

  /**
   * SADB_GET for ESP SPI 0x1001 to 192.0.2.2: header (len 7), sadb_sa, sadb_address DST with a
   * Linux sockaddr_in.
   */
  private static final String GET =
      "0205000307000000"
          + "0700000040080000"
          + "0200010000001001"
          + "2001030300000000"
          + "0300060000200000"
          + "02000000c0000202"
          + "0000000000000000";

  /** Two SA extensions: duplicate, EINVAL at offset 32. */
  private static final String DUPLICATE_SA =
      "0203000306000000"
          + "0100000002000000"
          + "0200010000001001"
          + "2001030300000000"
          + "0200010000001001"
          + "2001030300000000";

  private static final String FLUSH_JSON =
      "{\"version\":2,\"type\":\"SADB_FLUSH\",\"errno\":0,\"satype\":\"SADB_SATYPE_ESP\","
          + "\"len\":2,\"reserved\":0,\"seq\":1,\"pid\":2,\"extensions\":[]}";

  private static final String DUPLICATE_ERROR_JSON =
      "{\"error\":\"EINVAL\",\"reason\":\"duplicate extension SADB_EXT_SA at offset 32\"}";

  record Run(int exit, String out, String err) {}

  private static Run run(String stdin, String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    if (stdin != null) {
      CommandLine pfkey = cl.getSubcommands().get("pfkey");
      for (String sub : new String[] {"decode", "encode"}) {
        PfKeyCommand.Input in = pfkey.getSubcommands().get(sub).getCommand();
        in.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void decodesOneHexMessageAsATree() {
    Run r = run(null, "pfkey", "decode", "--hex", GET);
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "sadb_msg{ version=2 type=SADB_GET errno=0 satype=SADB_SATYPE_ESP len=7 reserved=0"
                + " seq=7 pid=2112 }\n"
                + "  sadb_sa{ len=2 exttype=SADB_EXT_SA spi=0x00001001(4097) replay=32"
                + " state=SADB_SASTATE_MATURE auth=SADB_AALG_SHA1HMAC encrypt=SADB_EALG_3DESCBC"
                + " flags=0 }\n"
                + "  sadb_address{ len=3 exttype=SADB_EXT_ADDRESS_DST proto=0 prefixlen=32 }\n"
                + "    sockaddr{ family=AF_INET address=192.0.2.2 port=0 }\n");
  }

  @Test
  void decodesOneHexMessageAsJson() {
    Run r = run(null, "pfkey", "decode", "--json", "--hex", FLUSH);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(FLUSH_JSON + "\n");
  }

  @Test
  void acceptsHexWithSpacesColonsAndPrefix() {
    Run r =
        run(
            null,
            "pfkey",
            "decode",
            "--json",
            "--hex",
            "0x02:09:00:03 02 00 00 00 0100000002000000");
    assertThat(r.out()).isEqualTo(FLUSH_JSON + "\n");
  }

  @Test
  void decodesAFileLineByLineSkippingBlankAndCommentLines(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("msgs.hex");
    Files.writeString(f, "# a flush\n" + FLUSH + "\n\n   \n" + "# and a get\n" + GET + "\n");
    Run r = run(null, "pfkey", "decode", "--json", f.toString());
    assertThat(r.exit()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).isEqualTo(FLUSH_JSON);
    assertThat(lines[1]).startsWith("{\"version\":2,\"type\":\"SADB_GET\"");
  }

  @Test
  void decodesStandardInputGivenAsDashOrByDefault() {
    Run dash = run(FLUSH + "\n" + FLUSH + "\n", "pfkey", "decode", "--json", "-");
    assertThat(dash.exit()).isZero();
    assertThat(dash.out()).isEqualTo(FLUSH_JSON + "\n" + FLUSH_JSON + "\n");
    Run none = run(FLUSH + "\n", "pfkey", "decode", "--json");
    assertThat(none.out()).isEqualTo(FLUSH_JSON + "\n");
  }

  @Test
  void printsOneResultPerInputInOrderAndExitsOneWhenAnyFails() {
    Run r = run(FLUSH + "\n" + DUPLICATE_SA + "\n" + FLUSH + "\n", "pfkey", "decode", "--json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(FLUSH_JSON + "\n" + DUPLICATE_ERROR_JSON + "\n" + FLUSH_JSON + "\n");
  }

  @Test
  void printsTheErrnoAndReasonInTreeMode() {
    Run r = run(null, "pfkey", "decode", "--hex", DUPLICATE_SA);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(
            "error: EINVAL (Invalid argument): duplicate extension SADB_EXT_SA at offset 32\n");
  }

  @Test
  void separatesTreesWithABlankLine() {
    Run r = run(FLUSH + "\n" + FLUSH + "\n", "pfkey", "decode");
    String tree =
        "sadb_msg{ version=2 type=SADB_FLUSH errno=0 satype=SADB_SATYPE_ESP len=2 reserved=0"
            + " seq=1 pid=2 }\n";
    assertThat(r.out()).isEqualTo(tree + "\n" + tree);
  }

  @Test
  void reportsTextThatIsNotHexAsEinval() {
    Run r = run(null, "pfkey", "decode", "--json", "--hex", "02zz");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).startsWith("{\"error\":\"EINVAL\",\"reason\":\"not hex");
  }

  @Test
  void reportsAShortMessageAsEmsgsize() {
    Run r = run(null, "pfkey", "decode", "--json", "--hex", "0209000302000000");
    assertThat(r.out())
        .isEqualTo(
            "{\"error\":\"EMSGSIZE\",\"reason\":\"message of 8 bytes is shorter than sadb_msg"
                + " (expected: 16+)\"}\n");
  }

  @Test
  void decodesBigEndianAndBsdLayoutsWhenAsked() {
    String getBeBsd =
        "0205000300070000"
            + "0000000700000840"
            + "0002000100001001"
            + "2001030300000000"
            + "0003000600200000"
            + "10020000c0000202"
            + "0000000000000000";
    Run r =
        run(null, "pfkey", "decode", "--byte-order", "big", "--sockaddr", "bsd", "--hex", getBeBsd);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("address=192.0.2.2").contains("spi=0x00001001(4097)");
    Run wrong = run(null, "pfkey", "decode", "--hex", getBeBsd);
    assertThat(wrong.exit()).isEqualTo(1);
  }

  @Test
  void rejectsHexAndFileTogetherAsAUsageError() {
    Run r = run(null, "pfkey", "decode", "--hex", FLUSH, "file.hex");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("either --hex or FILE");
  }

  @Test
  void rejectsAnUnknownByteOrder() {
    Run r = run(null, "pfkey", "decode", "--byte-order", "middle", "--hex", FLUSH);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--byte-order must be little or big");
  }

  @Test
  void reportsAMissingFileOnStandardError(@TempDir Path dir) {
    Run r = run(null, "pfkey", "decode", dir.resolve("none.hex").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("cannot read");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void encodesJsonBackToTheBytesItCameFrom() {
    Run decoded = run(GET + "\n" + FLUSH + "\n", "pfkey", "decode", "--json");
    Run encoded = run(decoded.out(), "pfkey", "encode");
    assertThat(encoded.exit()).isZero();
    assertThat(encoded.out()).isEqualTo(GET + "\n" + FLUSH + "\n");
  }

  @Test
  void encodesOneInlineMessageBuiltByHand() {
    Run r =
        run(
            null,
            "pfkey",
            "encode",
            "--json",
            "{\"type\":\"SADB_FLUSH\",\"satype\":\"SADB_SATYPE_ESP\",\"seq\":1,\"pid\":2}");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(FLUSH + "\n");
  }

  @Test
  void encodesPrettyPrintedJsonWithComments(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("msgs.json");
    Files.writeString(
        f,
        "# a flush, built by hand\n"
            + "{\n  \"type\": \"SADB_FLUSH\",\n  \"satype\": \"SADB_SATYPE_ESP\",\n"
            + "  \"seq\": 1,\n  \"pid\": 2\n}\n"
            + "{\"type\":\"SADB_FLUSH\",\"satype\":3,\"seq\":1,\"pid\":2}\n");
    Run r = run(null, "pfkey", "encode", f.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(FLUSH + "\n" + FLUSH + "\n");
  }

  @Test
  void encodesBigEndianWhenAsked() {
    Run r =
        run(
            null,
            "pfkey",
            "encode",
            "--byte-order",
            "big",
            "--json",
            "{\"type\":\"SADB_FLUSH\",\"satype\":3,\"seq\":1,\"pid\":2}");
    assertThat(r.out()).isEqualTo("0209000300020000" + "0000000100000002\n");
  }

  @Test
  void printsAnErrorInPlaceOfAMessageThatCannotBeBuilt() {
    String bad = "{\"type\":\"SADB_FLUSH\",\"satype\":\"SADB_SATYPE_ESPX\"}";
    String good = "{\"type\":\"SADB_FLUSH\",\"satype\":3,\"seq\":1,\"pid\":2}";
    Run r = run(good + "\n" + bad + "\n" + good + "\n", "pfkey", "encode");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(
            FLUSH
                + "\n"
                + "{\"error\":\"EINVAL\",\"reason\":\"satype: unknown SA type \\\"SADB_SATYPE_ESPX\\\"\"}\n"
                + FLUSH
                + "\n");
  }

  @Test
  void stopsAtMalformedJsonWithAnError() {
    Run r = run("{\"type\":\"SADB_FLUSH\"}\n{\"type\": }\n", "pfkey", "encode");
    assertThat(r.exit()).isEqualTo(1);
    String[] lines = r.out().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).isEqualTo("0209000002000000" + "0000000000000000");
    assertThat(lines[1]).startsWith("{\"error\":\"EINVAL\",\"reason\":\"malformed JSON at line 2");
  }

  /**
   * The bundled sample of the README's main job (pcaps/pfkey-messages.hex) decodes completely.
   * Reads the repository through the {@code ipsecemu.root} property surefire sets; skipped without.
   */
  @Test
  void decodesTheBundledSample() {
    String root = System.getProperty("ipsecemu.root");
    Assumptions.assumeTrue(root != null, "ipsecemu.root not set");
    Path sample = Path.of(root, "pcaps", "pfkey-messages.hex");
    Assumptions.assumeTrue(Files.exists(sample), "no " + sample);
    Run r = run(null, "pfkey", "decode", sample.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("type=SADB_ADD")
        .contains("type=SADB_REGISTER")
        .contains("type=SADB_ACQUIRE")
        .doesNotContain("error:");
  }
}
