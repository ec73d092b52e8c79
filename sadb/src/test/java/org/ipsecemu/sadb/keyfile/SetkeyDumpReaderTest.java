package org.ipsecemu.sadb.keyfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.ipsecemu.sadb.setkey.SaSpec;
import org.ipsecemu.sadb.setkey.SourceLocation;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.SockAddr;
import org.junit.jupiter.api.Test;

class SetkeyDumpReaderTest {
  /** The first SA of ipdecap's 3des-cbc_hmac-sha1.cap.keys, copied so the test needs no files. */
  private static final String IPDECAP_3DES =
      "192.168.2.101 192.168.2.100 \n"
          + "\tesp mode=tunnel spi=6386485(0x00617335) reqid=16391(0x00004007)\n"
          + "\tE: 3des-cbc  93bbda19 234a5a0c a37f7613 4622c76d 410a3ea8 8dfe5538\n"
          + "\tA: hmac-sha1  d1be42b5 12d1f98b 0e2f2d76 9a6d35f1 7139a2a4\n"
          + "\tseq=0x00001b81 replay=4 flags=0x00000000 state=mature \n"
          + "\tcreated: Jan  4 20:47:29 2013\tcurrent: Jan  4 20:52:34 2013\n"
          + "\tdiff: 305(s)\thard: 36000(s)\tsoft: 28800(s)\n"
          + "\tlast: Jan  4 20:52:34 2013\thard: 0(s)\tsoft: 0(s)\n"
          + "\tcurrent: 8483328(bytes)\thard: 0(bytes)\tsoft: 0(bytes)\n"
          + "\tallocated: 7041\thard: 0\tsoft: 0\n"
          + "\tsadb_seq=1 pid=1596 refcnt=2\n";

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void readsAnIpdecapSa() {
    List<SaSpec> sas = SetkeyDumpReader.read(IPDECAP_3DES, "x.keys");
    assertThat(sas).hasSize(1);
    SaSpec sa = sas.get(0);
    assertThat(sa.where()).isEqualTo(new SourceLocation("x.keys", 1));
    assertThat(sa.satype()).isEqualTo(3);
    assertThat(sa.source()).isEqualTo(SockAddr.parse("192.168.2.101", 0));
    assertThat(sa.destination()).isEqualTo(SockAddr.parse("192.168.2.100", 0));
    assertThat(sa.spi()).isEqualTo(0x00617335L);
    assertThat(sa.reqid()).isEqualTo(16391);
    assertThat(sa.mode()).isEqualTo(2);
    assertThat(sa.replay()).isEqualTo(4);
    assertThat(sa.encrypt()).isEqualTo(3);
    assertThat(sa.encryptKey())
        .isEqualTo(hex("93bbda19 234a5a0c a37f7613 4622c76d 410a3ea8 8dfe5538"));
    assertThat(sa.auth()).isEqualTo(3);
    assertThat(sa.authKey()).isEqualTo(hex("d1be42b5 12d1f98b 0e2f2d76 9a6d35f1 7139a2a4"));
    assertThat(sa.hard())
        .isEqualTo(new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, 0, 0, 36000, 0));
    assertThat(sa.soft())
        .isEqualTo(new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_SOFT, 0, 0, 28800, 0));
    assertThat(sa.natTraversal()).isNull();
  }

  @Test
  void readsEveryIpdecapKeyFile() throws Exception {
    // Reads /work/shared/captures/ipdecap (third-party setkey -D dumps); skipped when absent.
    for (Path f : SharedFiles.files("captures/ipdecap", ".keys")) {
      KeyFiles.Read r = KeyFiles.read(f);
      assertThat(r.format()).as(f.toString()).isEqualTo(KeyFileFormat.SETKEY_DUMP);
      assertThat(r.sas()).as(f.toString()).hasSize(2);
      assertThat(r.sas())
          .allSatisfy(
              sa -> {
                assertThat(sa.mode()).isEqualTo(2);
                assertThat(sa.replay()).isEqualTo(4);
                assertThat(sa.encryptAlgorithm()).isPresent();
                int encBits = sa.encryptKey() == null ? 0 : sa.encryptKey().length * 8;
                assertThat(sa.encryptAlgorithm().get().allowsKeyBits(encBits)).isTrue();
                if (sa.auth() != 0) {
                  assertThat(
                          sa.authAlgorithm().orElseThrow().allowsKeyBits(sa.authKey().length * 8))
                      .isTrue();
                }
              });
      String name = f.getFileName().toString();
      int expectBits =
          name.startsWith("aes192")
              ? 192
              : name.startsWith("aes256") ? 256 : name.startsWith("aes") ? 128 : -1;
      if (expectBits > 0) {
        assertThat(r.sas().get(0).encryptKey().length * 8).isEqualTo(expectBits);
      }
      List<String> lines = java.nio.file.Files.readAllLines(f);
      int second = 0;
      for (int i = 1; i < lines.size(); i++) {
        if (!lines.get(i).startsWith("\t")) {
          second = i + 1;
          break;
        }
      }
      assertThat(r.sas().get(1).where().line()).isEqualTo(second);
    }
  }

  @Test
  void nullEncryptionHasNoKey() {
    String dump =
        "192.168.2.101 192.168.2.100 \n"
            + "\tesp mode=tunnel spi=114568972(0x06d42f0c) reqid=16399(0x0000400f)\n"
            + "\tE: null \n"
            + "\tA: hmac-md5  8e9559a2 3fb28bdc 2150d945 623b6ce7\n"
            + "\tseq=0x00000b43 replay=4 flags=0x00000000 state=mature \n";
    SaSpec sa = SetkeyDumpReader.read(dump, "n").get(0);
    assertThat(sa.encrypt()).isEqualTo(11);
    assertThat(sa.encryptKey()).isNull();
    assertThat(sa.hard()).isNull();
    assertThat(sa.authKey()).hasSize(16);
  }

  @Test
  void keysLongerThan32BytesContinueOnTheNextLine() {
    // ipsec_hexdump breaks after 32 bytes and goes on with " xxxxxxxx" on a new line.
    String dump =
        "2001:db8::1 2001:db8::2 \n"
            + "\tesp mode=transport spi=4104(0x00001008) reqid=0(0x00000000)\n"
            + "\tE: aes-gcm-16  00112233 44556677 8899aabb ccddeeff 00112233 44556677 8899aabb"
            + " ccddeeff\n"
            + " 01020304\n"
            + "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n";
    SaSpec sa = SetkeyDumpReader.read(dump, "g").get(0);
    assertThat(sa.encrypt()).isEqualTo(20);
    assertThat(sa.encryptKey()).hasSize(36);
    assertThat(sa.encryptKey()[35]).isEqualTo((byte) 4);
    assertThat(sa.source().family().addressLength()).isEqualTo(16);
  }

  @Test
  void continuedKeyWithAnOddNumberOfDigitsIsAnErrorNamingItsLine() {
    // Found by KeyFileRobustnessTest: the continuation escaped HexFormat's
    // IllegalArgumentException.
    String dump =
        "2001:db8::1 2001:db8::2 \n"
            + "\tesp mode=transport spi=4104(0x00001008) reqid=0(0x00000000)\n"
            + "\tE: aes-gcm-16  00112233 44556677 8899aabb ccddeeff 00112233 44556677 8899aabb"
            + " ccddeeff\n"
            + " 010\n"
            + "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n";
    assertThatThrownBy(() -> SetkeyDumpReader.read(dump, "g"))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("g:4")
        .hasMessageContaining("odd number of digits");
  }

  @Test
  void espUdpAndIpcompAndLarval() {
    String dump =
        "10.0.0.1[4500] 10.0.0.2[4501] \n"
            + "\tesp-udp mode=tunnel spi=256(0x00000100) reqid=1(0x00000001)\n"
            + "\tNAT OA=192.168.0.5\n"
            + "\tE: rijndael-cbc  00112233 44556677 8899aabb ccddeeff\n"
            + "\tseq=0x00000000 replay=32 flags=0x00000000 state=dying \n"
            + "10.0.0.1 10.0.0.2 \n"
            + "\tipcomp mode=tunnel spi=22136(0x00005678) reqid=0(0x00000000)\n"
            + "\tC: deflate \n"
            + "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n"
            + "10.0.0.1 10.0.0.2 \n"
            + "\tesp mode=any spi=999(0x000003e7) reqid=0(0x00000000)\n"
            + "\tseq=0x00000000 replay=0 flags=0x00000000 state=larval \n"
            + "\tsecurity context doi: 1\n";
    List<SaSpec> sas = SetkeyDumpReader.read(dump, "d");
    assertThat(sas).hasSize(2);
    SaSpec udp = sas.get(0);
    assertThat(udp.natTraversal())
        .isEqualTo(new SaSpec.NatTraversal(2, 4500, 4501, SockAddr.parse("192.168.0.5", 0)));
    assertThat(udp.encrypt()).isEqualTo(12);
    assertThat(udp.replay()).isEqualTo(32);
    SaSpec comp = sas.get(1);
    assertThat(comp.satype()).isEqualTo(9);
    assertThat(comp.encrypt()).isEqualTo(2);
    assertThat(comp.spi()).isEqualTo(0x5678);
    assertThat(comp.where().line()).isEqualTo(6);
  }

  @Test
  void lifetimeColumnsAllBecomeLifetimes() {
    String dump =
        IPDECAP_3DES
            .replace(
                "last: Jan  4 20:52:34 2013\thard: 0(s)\tsoft: 0(s)",
                "last: Jan  4 20:52:34 2013\thard: 600(s)\tsoft: 500(s)")
            .replace("hard: 0(bytes)\tsoft: 0(bytes)", "hard: 1000(bytes)\tsoft: 900(bytes)")
            .replace("allocated: 7041\thard: 0\tsoft: 0", "allocated: 7041\thard: 10\tsoft: 9");
    SaSpec sa = SetkeyDumpReader.read(dump, "l").get(0);
    assertThat(sa.hard())
        .isEqualTo(
            new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, 10, 1000, 36000, 600));
    assertThat(sa.soft())
        .isEqualTo(new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_SOFT, 9, 900, 28800, 500));
  }

  @Test
  void errorsNameFileAndLineAndHideKeys() {
    String badHex = IPDECAP_3DES.replace("A: hmac-sha1  d1be42b5", "A: hmac-sha1  d1be42zz");
    assertThatThrownBy(() -> SetkeyDumpReader.read(badHex, "bad.keys"))
        .isInstanceOf(PfKeyException.class)
        .hasMessageStartingWith("bad.keys:4: ")
        .hasMessageNotContaining("d1be42");
    String badAlg = IPDECAP_3DES.replace("E: 3des-cbc", "E: rot13-cbc");
    assertThatThrownBy(() -> SetkeyDumpReader.read(badAlg, "bad.keys"))
        .hasMessage("bad.keys:3: unknown encryption algorithm \"rot13-cbc\"");
    String noSaLine = "10.0.0.1 10.0.0.2\n\tseq=0x0 replay=0 flags=0x0 state=mature\n";
    assertThatThrownBy(() -> SetkeyDumpReader.read(noSaLine, "bad.keys"))
        .hasMessageStartingWith("bad.keys:1: ");
    assertThatThrownBy(() -> SetkeyDumpReader.read("\tE: null\n", "bad.keys"))
        .hasMessageStartingWith("bad.keys:1: ");
  }

  @Test
  void unknownNumbersAreKept() {
    String dump =
        "10.0.0.1 10.0.0.2 \n"
            + "\tesp mode=3 spi=1(0x00000001) reqid=0(0x00000000)\n"
            + "\tE: 23  00112233 44556677 8899aabb ccddeeff 00112233\n"
            + "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n";
    SaSpec sa = SetkeyDumpReader.read(dump, "u").get(0);
    assertThat(sa.mode()).isEqualTo(3);
    assertThat(sa.encrypt()).isEqualTo(23);
  }
}
