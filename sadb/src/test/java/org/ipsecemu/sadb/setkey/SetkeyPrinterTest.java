package org.ipsecemu.sadb.setkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.junit.jupiter.api.Test;

class SetkeyPrinterTest {
  private static final SetkeyPrinter UTC = new SetkeyPrinter(ZoneOffset.UTC);

  /**
   * The first SA of ipdecap's 3des-cbc_hmac-sha1.cap.keys: real {@code setkey -D} output of a Linux
   * racoon host (the machine's clock read UTC-equal times; the test prints in UTC).
   */
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

  private static long epoch(int y, int mo, int d, int h, int mi, int s) {
    return LocalDateTime.of(y, mo, d, h, mi, s).toEpochSecond(ZoneOffset.UTC);
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static AddressExtension addr(ExtensionType kind, String a, int proto, int prefix) {
    return new AddressExtension(kind, proto, prefix, SockAddr.parse(a, 0));
  }

  @Test
  void printsADumpReplyExactlyAsSetkeyDid() {
    long created = epoch(2013, 1, 4, 20, 47, 29);
    long used = epoch(2013, 1, 4, 20, 52, 34);
    List<SadbExtension> ext =
        List.of(
            new SaExtension(0x00617335L, 4, 1, 3, 3, 0),
            new LifetimeExtension(
                ExtensionType.SADB_EXT_LIFETIME_CURRENT, 7041, 8483328, created, used),
            new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, 0, 0, 36000, 0),
            new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_SOFT, 0, 0, 28800, 0),
            addr(ExtensionType.SADB_EXT_ADDRESS_SRC, "192.168.2.101", 0, 32),
            addr(ExtensionType.SADB_EXT_ADDRESS_DST, "192.168.2.100", 0, 32),
            KeyExtension.of(
                ExtensionType.SADB_EXT_KEY_AUTH, hex("d1be42b512d1f98b0e2f2d769a6d35f17139a2a4")),
            KeyExtension.of(
                ExtensionType.SADB_EXT_KEY_ENCRYPT,
                hex("93bbda19234a5a0ca37f76134622c76d410a3ea88dfe5538")),
            new Sa2Extension(2, 0x1b81, 16391));
    SadbMessage m = new SadbMessage(2, MessageType.SADB_DUMP, 0, 3, 2, 1, 1596, ext);
    assertThat(UTC.sa(m, created + 305)).isEqualTo(IPDECAP_3DES);
  }

  @Test
  void whatItPrintsTheDumpReaderReadsBack() {
    // AES-GCM key of 36 bytes wraps after 32; NAT-T; an IPComp SA.
    String text =
        "add 10.0.0.1[4500] 10.0.0.2[4500] esp-udp 0x100 -m tunnel -u 9 -r 32 -lh 60 -bs 100"
            + " -E aes-gcm-16 0x"
            + "ab".repeat(36)
            + ";\n"
            + "add 10.0.0.1 10.0.0.2 ipcomp 0x5678 -m tunnel -C deflate;\n"
            + "add 2001:db8::1 2001:db8::2 ah 0x4101 -A hmac-sha256 0x"
            + "cd".repeat(32)
            + ";\n";
    List<SetkeyStatement> st = new SetkeyParser("in").parse(text);
    StringBuilder dump = new StringBuilder();
    List<SaSpec> want = new ArrayList<>();
    for (SetkeyStatement s : st) {
      // A dump shows the installed SA: MATURE, not the LARVAL state setkey's request carries.
      SadbMessage req = s.messages().get(0);
      SadbMessage m =
          req.with(req.sa().orElseThrow().withState(SaState.SADB_SASTATE_MATURE))
              .withType(MessageType.SADB_DUMP);
      dump.append(UTC.sa(m, 1000));
      want.add(s.sa());
    }
    assertThat(dump.toString()).contains("\n " + "abababab" + "\n\tseq=");
    List<SaSpec> got = org.ipsecemu.sadb.keyfile.KeyFiles.read(dump.toString(), "dump").sas();
    assertThat(got).hasSize(3);
    for (int i = 0; i < 3; i++) {
      SaSpec a = want.get(i);
      SaSpec b = got.get(i);
      assertThat(b.satype()).isEqualTo(a.satype());
      assertThat(b.spi()).isEqualTo(a.spi());
      assertThat(b.mode()).isEqualTo(a.mode());
      assertThat(b.reqid()).isEqualTo(a.reqid());
      assertThat(b.replay()).isEqualTo(a.replay());
      assertThat(b.encrypt()).isEqualTo(a.encrypt());
      assertThat(b.encryptKey()).isEqualTo(a.encryptKey());
      assertThat(b.auth()).isEqualTo(a.auth());
      assertThat(b.authKey()).isEqualTo(a.authKey());
      assertThat(b.natTraversal()).isEqualTo(a.natTraversal());
      assertThat(b.source().addressString()).isEqualTo(a.source().addressString());
    }
  }

  @Test
  void nullEncryptionAndNoLifetimes() {
    SadbMessage m =
        new SetkeyParser("t")
            .pid(77)
            .parse(
                "add 10.0.0.1 10.0.0.2 esp 0x1003 -E null -A hmac-md5 0x" + "01".repeat(16) + ";")
            .get(0)
            .messages()
            .get(0)
            .withType(MessageType.SADB_DUMP);
    assertThat(UTC.sa(m, 0))
        .isEqualTo(
            "10.0.0.1 10.0.0.2 \n"
                + "\tesp mode=any spi=4099(0x00001003) reqid=0(0x00000000)\n"
                + "\tE: null \n"
                + "\tA: hmac-md5  01010101 01010101 01010101 01010101\n"
                + "\tseq=0x00000000 replay=0 flags=0x00000000 state=larval \n"
                + "\tsadb_seq=0 pid=77 refcnt=0\n");
  }

  @Test
  void printsAPolicyAsSetkeyDashDP() {
    SadbMessage req =
        new SetkeyParser("t")
            .parse(
                "spdadd 10.0.0.0/24[any] 10.0.1.0/24[80] tcp -P out ipsec"
                    + " esp/tunnel/192.1.2.23-192.1.2.45/require ah/transport//unique:7;")
            .get(0)
            .messages()
            .get(0);
    PolicyExtension p = req.policy().orElseThrow();
    PolicyExtension withId = new PolicyExtension(p.type(), p.dir(), 9, p.priority(), p.requests());
    long created = epoch(2024, 1, 1, 0, 0, 10);
    SadbMessage reply =
        req.with(withId)
            .with(new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_CURRENT, 0, 0, created, 0))
            .with(new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, 0, 0, 0, 0))
            .withType(MessageType.SADB_X_SPDDUMP)
            .withPid(4242)
            .withReserved(1);
    assertThat(UTC.policy(reply))
        .isEqualTo(
            "10.0.0.0/24[any] 10.0.1.0/24[80] tcp\n"
                + "\tout prio def ipsec\n"
                + "\tesp/tunnel/192.1.2.23-192.1.2.45/require\n"
                + "\tah/transport//unique:7\n"
                + "\tcreated: Jan  1 00:00:10 2024  lastused:                     \n"
                + "\tlifetime: 0(s) validtime: 0(s)\n"
                + "\tspid=9 seq=0 pid=4242\n"
                + "\trefcnt=1\n");
  }

  @Test
  void policySelectorsAndPriorities() {
    assertThat(policyLine("spdadd 0.0.0.0/0 0.0.0.0/0 any -P in prio high + 3 discard;"))
        .isEqualTo("0.0.0.0/0[any] 0.0.0.0/0[any] any\n\tin prio high + 3 discard");
    assertThat(policyLine("spdadd ::/0 ::/0 icmp6 135,0 -P out prio low - 2 none;"))
        .isEqualTo("::/0 ::/0 ipv6-icmp 135,0\n\tout prio low - 2 none");
    assertThat(policyLine("spdadd 1.1.1.1 2.2.2.2[53] udp -P fwd none;"))
        .isEqualTo("1.1.1.1[any] 2.2.2.2[53] udp\n\tfwd prio def none");
    assertThat(policyLine("spddelete 1.1.1.1 2.2.2.2 any -P out;"))
        .isEqualTo("1.1.1.1[any] 2.2.2.2[any] any\n\tout discard");
    assertThat(
            policyLine(
                "spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/transport//require:20000"
                        .replace("require:20000", "unique:20000")
                    + ";"))
        .endsWith("\n\tesp/transport//unique#20000");
  }

  private static String policyLine(String statement) {
    SadbMessage m =
        new SetkeyParser("t").forwardPolicies(false).parse(statement).get(0).messages().get(0);
    String s = UTC.policy(m);
    return s.substring(0, s.indexOf("\n\tspid="));
  }

  @Test
  void datesAreTwentyCharactersAndBlankForNever() {
    assertThat(UTC.time(0)).isEqualTo(" ".repeat(20));
    assertThat(UTC.time(epoch(2013, 11, 24, 1, 2, 3))).isEqualTo("Nov 24 01:02:03 2013");
    assertThat(new SetkeyPrinter(ZoneOffset.ofHours(1)).time(epoch(2013, 1, 4, 23, 30, 0)))
        .isEqualTo("Jan  5 00:30:00 2013");
  }

  @Test
  void saStateAndIpcompLine() {
    SadbMessage m =
        new SetkeyParser("t")
            .parse("add 10.0.0.1 10.0.0.2 ipcomp 0x5678 -m tunnel -C deflate;")
            .get(0)
            .messages()
            .get(0);
    SaExtension dying = m.sa().orElseThrow().withState(SaState.SADB_SASTATE_DYING);
    String s = UTC.sa(m.with(dying).withType(MessageType.SADB_DUMP), 0);
    assertThat(s)
        .contains("\n\tipcomp mode=tunnel spi=22136(0x00005678) reqid=0(0x00000000)\n")
        .contains("\n\tC: deflate \n")
        .contains("state=dying \n");
  }
}
