package org.ipsecemu.sadb.keyfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.ipsecemu.sadb.setkey.SaSpec;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.SockAddr;
import org.junit.jupiter.api.Test;

class XfrmStateReaderTest {
  // Written as iproute2's ipxfrm.c prints states: tab-indented fields, "  " under sections.
  private static final String OUTPUT =
      "src 192.0.2.1 dst 192.0.2.2\n"
          + "\tproto esp spi 0x00001001 reqid 1 mode tunnel\n"
          + "\treplay-window 32 flag af-unspec\n"
          + "\tauth-trunc hmac(sha1) 0xe41f8cac02a356acb6c9cea49d55b0f889e128f4 96\n"
          + "\tenc cbc(des3_ede) 0xd5430ec7c2a48c5efd0df1514ff23d0d40495dad3e577976\n"
          + "\tencap type espinudp sport 4500 dport 4501 addr 0.0.0.0\n"
          + "\tanti-replay context: seq 0x0, oseq 0x0, bitmap 0x00000000\n"
          + "\tsel src 10.0.0.0/24 dst 10.0.1.0/24 proto tcp\n"
          + "\tlifetime config:\n"
          + "\t  limit: soft (INF)(bytes), hard 5000000(bytes)\n"
          + "\t  limit: soft 100(packets), hard (INF)(packets)\n"
          + "\t  expire add: soft 3000(sec), hard 3600(sec)\n"
          + "\t  expire use: soft 0(sec), hard 0(sec)\n"
          + "\tlifetime current:\n"
          + "\t  0(bytes), 0(packets)\n"
          + "\t  add 2024-01-01 00:00:00 use -\n"
          + "\tstats:\n"
          + "\t  replay-window 0 replay 0 failed 0\n"
          + "src 2001:db8::2 dst 2001:db8::1\n"
          + "\tproto esp spi 0xc0ffee01 reqid 7 mode transport\n"
          + "\treplay-window 0 flag af-unspec esn\n"
          + "\taead rfc4106(gcm(aes)) 0xfad7d6b705af431721a6c0122b226f1b7702a353 128\n"
          + "\tanti-replay esn context:\n"
          + "\t seq-hi 0x0, seq 0x0, oseq-hi 0x0, oseq 0x0\n"
          + "\t replay_window 128, bitmap-length 4\n"
          + "\t 00000000 00000000 00000000 00000000 \n"
          + "\tlastused 2024-01-01 00:00:01\n"
          + "src 10.1.1.1 dst 10.1.1.2\n"
          + "\tproto route2 reqid 0 mode ro\n"
          + "\treplay-window 0\n";

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void readsIpXfrmStateOutput() {
    List<SaSpec> sas = XfrmStateReader.read(OUTPUT, "xfrm.txt");
    assertThat(sas).hasSize(2); // the route2 state is not an IPsec SA
    SaSpec a = sas.get(0);
    assertThat(a.where().line()).isEqualTo(1);
    assertThat(a.satype()).isEqualTo(3);
    assertThat(a.spi()).isEqualTo(0x1001);
    assertThat(a.reqid()).isEqualTo(1);
    assertThat(a.mode()).isEqualTo(2);
    assertThat(a.replay()).isEqualTo(32); // not the stats' "replay-window 0"
    assertThat(a.encrypt()).isEqualTo(3);
    assertThat(a.encryptKey()).isEqualTo(hex("d5430ec7c2a48c5efd0df1514ff23d0d40495dad3e577976"));
    assertThat(a.auth()).isEqualTo(3);
    assertThat(a.icvBits()).isZero(); // 96 is HMAC-SHA-1-96's own length
    assertThat(a.natTraversal()).isEqualTo(new SaSpec.NatTraversal(2, 4500, 4501, null));
    assertThat(a.hard())
        .isEqualTo(
            new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, 0, 5000000, 3600, 0));
    assertThat(a.soft())
        .isEqualTo(new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_SOFT, 100, 0, 3000, 0));
    assertThat(a.esn()).isFalse();
    SaSpec b = sas.get(1);
    assertThat(b.where().line()).isEqualTo(19);
    assertThat(b.source()).isEqualTo(SockAddr.parse("2001:db8::2", 0));
    assertThat(b.encrypt()).isEqualTo(20);
    assertThat(b.encryptKey()).hasSize(20);
    assertThat(b.auth()).isZero();
    assertThat(b.esn()).isTrue();
    assertThat(b.replay()).isEqualTo(128); // from the ESN context
    assertThat(b.mode()).isEqualTo(1);
  }

  @Test
  void readsIpXfrmStateAddCommands() {
    String cmds =
        "# two SAs\n"
            + "ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1008 reqid 3 \\\n"
            + "    mode transport replay-window 64 flag esn \\\n"
            + "    aead 'rfc4106(gcm(aes))' 0xfad7d6b705af431721a6c0122b226f1b7702a353 128 \\\n"
            + "    sel src 192.0.2.1 dst 192.0.2.2 proto udp dport 53 \\\n"
            + "    limit time-hard 60 limit byte-soft 1000\n"
            + "ip -4 xfrm state add src 192.0.2.1 dst 192.0.2.2 proto ah spi 4097 mode tunnel"
            + " auth \"hmac(sha256)\""
            + " 0x35f4c4e6c44f7e60157c9535b359a3a04b3a0387a748fa87153283259da22fc2"
            + " encap espinudp 4500 4500 10.9.9.9\n";
    KeyFiles.Read r = KeyFiles.read(cmds, "cmds.sh");
    assertThat(r.format()).isEqualTo(KeyFileFormat.IP_XFRM);
    List<SaSpec> sas = r.sas();
    assertThat(sas).hasSize(2);
    SaSpec gcm = sas.get(0);
    assertThat(gcm.where().line()).isEqualTo(2);
    assertThat(gcm.encrypt()).isEqualTo(20);
    assertThat(gcm.esn()).isTrue();
    assertThat(gcm.replay()).isEqualTo(64);
    assertThat(gcm.reqid()).isEqualTo(3);
    assertThat(gcm.hard().addtime()).isEqualTo(60);
    assertThat(gcm.soft().bytes()).isEqualTo(1000);
    SaSpec ah = sas.get(1);
    assertThat(ah.where().line()).isEqualTo(7);
    assertThat(ah.satype()).isEqualTo(2);
    assertThat(ah.auth()).isEqualTo(5);
    // A plain "auth hmac(sha256)" truncates to 96 bits on Linux, not RFC 4868's 128.
    assertThat(ah.icvBits()).isEqualTo(96);
    assertThat(ah.natTraversal().originalAddress()).isEqualTo(SockAddr.parse("10.9.9.9", 0));
  }

  @Test
  void authTruncOtherThanTheTablesLengthIsKept() {
    String s =
        "src 1.1.1.1 dst 2.2.2.2\n\tproto esp spi 0x1 reqid 0 mode transport\n"
            + "\tauth-trunc hmac(sha256) 0x"
            + "00".repeat(32)
            + " 96\n\tenc cbc(aes) 0x"
            + "11".repeat(16)
            + "\n";
    SaSpec sa = XfrmStateReader.read(s, "t").get(0);
    assertThat(sa.icvBits()).isEqualTo(96);
    assertThat(sa.encrypt()).isEqualTo(12);
    String rfc = s.replace(" 96\n", " 128\n");
    assertThat(XfrmStateReader.read(rfc, "t").get(0).icvBits()).isZero();
  }

  @Test
  void nullCipherAndCompression() {
    String s =
        "src 1.1.1.1 dst 2.2.2.2\n\tproto esp spi 0x1 reqid 0 mode transport\n"
            + "\tauth-trunc hmac(md5) 0x"
            + "22".repeat(16)
            + " 96\n\tenc ecb(cipher_null) 0x\n"
            + "src 1.1.1.1 dst 2.2.2.2\n\tproto comp spi 0x00005678 reqid 0 mode tunnel\n"
            + "\tcomp deflate\n";
    List<SaSpec> sas = XfrmStateReader.read(s, "t");
    assertThat(sas.get(0).encrypt()).isEqualTo(11);
    assertThat(sas.get(0).encryptKey()).isNull();
    assertThat(sas.get(1).satype()).isEqualTo(9);
    assertThat(sas.get(1).encrypt()).isEqualTo(2);
  }

  @Test
  void errorsNameFileAndLine() {
    String noSpi = "src 1.1.1.1 dst 2.2.2.2\n\tproto esp reqid 0 mode transport\n";
    assertThatThrownBy(() -> XfrmStateReader.read(noSpi, "x")).hasMessage("x:1: state without spi");
    String badAlg =
        "src 1.1.1.1 dst 2.2.2.2\n\tproto esp spi 1 reqid 0 mode transport\n\tenc cbc(rot13) 0x00\n";
    assertThatThrownBy(() -> XfrmStateReader.read(badAlg, "x"))
        .hasMessage("x:3: unknown encryption algorithm \"cbc(rot13)\"");
    String badKey =
        "src 1.1.1.1 dst 2.2.2.2\n\tproto esp spi 1 reqid 0 mode transport\n"
            + "\tenc cbc(aes) 0x00112233445566778899aabbccddeefg\n";
    assertThatThrownBy(() -> XfrmStateReader.read(badKey, "x"))
        .hasMessageStartingWith("x:3: bad hex")
        .hasMessageNotContaining("00112233");
    assertThatThrownBy(
            () ->
                XfrmStateReader.read(
                    "ip xfrm state add src 1.1.1.1 dst 2.2.2.2 proto esp spi 1" + " frobnicate 3\n",
                    "x"))
        .hasMessage("x:1: unknown ip xfrm state option \"frobnicate\"");
    assertThatThrownBy(() -> XfrmStateReader.read("ip xfrm state delete src 1.1.1.1\n", "x"))
        .hasMessageStartingWith("x:1: ");
    assertThatThrownBy(() -> XfrmStateReader.read("\tproto esp\n", "x"))
        .hasMessage("x:1: indented line outside a state");
  }
}
