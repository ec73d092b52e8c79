package org.ipsecemu.sadb.keyfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ipsecemu.sadb.setkey.SaSpec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {

  @Test
  void detectsEachFormatByContent() {
    assertThat(KeyFileFormat.detect("# keys\nflush;\nadd 1.1.1.1 2.2.2.2 esp 1 -E null;\n"))
        .isEqualTo(KeyFileFormat.SETKEY);
    assertThat(
            KeyFileFormat.detect(
                "1.1.1.1 2.2.2.2 \n\tesp mode=tunnel spi=1(0x00000001) reqid=0(0x00000000)\n"))
        .isEqualTo(KeyFileFormat.SETKEY_DUMP);
    assertThat(KeyFileFormat.detect("src 1.1.1.1 dst 2.2.2.2\n\tproto esp spi 0x1\n"))
        .isEqualTo(KeyFileFormat.IP_XFRM);
    assertThat(KeyFileFormat.detect("ip xfrm state add src 1.1.1.1 dst 2.2.2.2 proto esp spi 1\n"))
        .isEqualTo(KeyFileFormat.IP_XFRM);
    assertThat(KeyFileFormat.detect("# comment\n\"IPv4\",\"1.1.1.1\"\n"))
        .isEqualTo(KeyFileFormat.WIRESHARK_ESP_SA);
  }

  @Test
  void setkeyFilesGiveTheirAddStatements(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("sa.conf");
    Files.writeString(
        f,
        "flush;\nspdflush;\n"
            + "add 192.0.2.1 192.0.2.2 esp 0x1001 -m transport -r 32 -E des-cbc 0x6b707007f8bae39b"
            + " -A hmac-md5 0x3387ce7f93248bff2bcc45f356761fdc;\n"
            + "spdadd 192.0.2.1 192.0.2.2 any -P out ipsec esp/transport//require;\n"
            + "add 192.0.2.1 192.0.2.2 ah 0x4101 -A hmac-md5 0x65a8143e9f51e265cb2d7a56d56e1ea8;\n");
    KeyFiles.Read r = KeyFiles.read(f);
    assertThat(r.format()).isEqualTo(KeyFileFormat.SETKEY);
    assertThat(r.sas()).extracting(SaSpec::spi).containsExactly(0x1001L, 0x4101L);
    assertThat(r.sas().get(0).where().file()).isEqualTo(f.toString());
    assertThat(r.sas().get(0).where().line()).isEqualTo(3);
    assertThat(r.sas().get(1).where().line()).isEqualTo(5);
  }

  @Test
  void setkeyFileErrorsNameTheFileAndLine() {
    assertThatThrownBy(
            () -> KeyFiles.read("flush;\nadd 1.1.1.1 2.2.2.2 esp 1 -E bogus 0x00;\n", "k.conf"))
        .isInstanceOf(PfKeyException.class)
        .hasMessage("k.conf:2: unknown encryption algorithm at [bogus]");
  }

  @Test
  void readsOpenswanAndTcpdumpSetkeyFiles() throws Exception {
    // Reads /work/shared/captures/{openswan,tcpdump}/*.conf (third-party keys); skipped if absent.
    int total = 0;
    for (String dir : List.of("captures/openswan", "captures/tcpdump")) {
      for (Path f : SharedFiles.files(dir, ".conf")) {
        KeyFiles.Read r = KeyFiles.read(f);
        assertThat(r.format()).as(f.toString()).isEqualTo(KeyFileFormat.SETKEY);
        assertThat(r.sas()).as(f.toString()).isNotEmpty();
        total += r.sas().size();
        if (f.getFileName().toString().equals("08-east-west-esp-ipcomp.conf")) {
          assertThat(r.sas()).extracting(SaSpec::satype).containsExactly(3, 9);
          assertThat(r.sas().get(1).spi()).isEqualTo(0x5678);
        }
        if (f.getFileName().toString().equals("08-sunrise-sunset-esp2.conf")) {
          assertThat(r.sas()).extracting(SaSpec::spi).containsExactly(0x12345678L, 0xabcdabcdL);
        }
      }
    }
    assertThat(total).isGreaterThanOrEqualTo(12);
  }

  @Test
  void readsInteropSaConfs() throws Exception {
    // Reads /work/shared/interop/*/sa.conf (scapy-made cases); skipped if absent.
    Path root = SharedFiles.shared().resolve("interop");
    Path v4 = root.resolve("esp-transport-v4/sa.conf");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(v4));
    List<SaSpec> sas = KeyFiles.read(v4).sas();
    assertThat(sas).hasSize(8);
    assertThat(sas).extracting(SaSpec::encrypt).containsExactly(3, 2, 11, 3, 2, 3, 12, 20);
    assertThat(sas).extracting(SaSpec::auth).containsExactly(3, 2, 3, 2, 3, 0, 5, 0);
    assertThat(sas).allSatisfy(sa -> assertThat(sa.replay()).isEqualTo(32));
    Path ah = root.resolve("ah-basic/sa.conf");
    if (Files.exists(ah)) {
      assertThat(KeyFiles.read(ah).sas()).extracting(SaSpec::satype).containsOnly(2);
    }
  }
}
