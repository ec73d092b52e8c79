package org.ipsecemu.sadb.setkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.AddressFamily;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.NatTPortExtension;
import org.ipsecemu.sadb.wire.NatTTypeExtension;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyExtension.IpsecRequest;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.ipsecemu.sadb.wire.SpiRangeExtension;
import org.junit.jupiter.api.Test;

class SetkeyParserTest {
  private static final String K3DES = "4043434545464649494a4a4c4c4f4f515152525454575758";
  private static final String KMD5 = "87658765876587658765876587658765";
  private static final String KSHA1 = "8765876587658765876587658765876587658765";

  private static List<SetkeyStatement> parse(String text) {
    return new SetkeyParser("test.conf").pid(4242).parse(text);
  }

  private static SetkeyStatement one(String text) {
    List<SetkeyStatement> s = parse(text);
    assertThat(s).hasSize(1);
    return s.get(0);
  }

  private static SetkeySyntaxException error(String text) {
    try {
      parse(text);
    } catch (SetkeySyntaxException e) {
      return e;
    }
    throw new AssertionError("no syntax error for: " + text);
  }

  private static List<Integer> types(SadbMessage m) {
    return m.extensions().stream().map(SadbExtension::exttype).toList();
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void addBecomesSadbAddInSetkeyOrder() {
    SetkeyStatement s =
        one(
            "add 192.1.2.23 192.1.2.45 esp 0x1bbdd678 -m transport -E 3des-cbc 0x"
                + K3DES
                + " -A hmac-md5 0x"
                + KMD5
                + ";");
    assertThat(s.operation()).isEqualTo(SetkeyOperation.ADD);
    assertThat(s.line()).isEqualTo(1);
    SadbMessage m = s.messages().get(0);
    assertThat(m.type()).isEqualTo(MessageType.SADB_ADD);
    assertThat(m.satype()).isEqualTo(3);
    assertThat(m.pid()).isEqualTo(4242);
    assertThat(m.seq()).isZero();
    assertThat(types(m))
        .containsExactly(
            ExtensionType.SADB_EXT_KEY_ENCRYPT.value(),
            ExtensionType.SADB_EXT_KEY_AUTH.value(),
            ExtensionType.SADB_EXT_SA.value(),
            ExtensionType.SADB_X_EXT_SA2.value(),
            ExtensionType.SADB_EXT_ADDRESS_SRC.value(),
            ExtensionType.SADB_EXT_ADDRESS_DST.value());
    SaExtension sa = m.sa().orElseThrow();
    assertThat(sa.spi()).isEqualTo(0x1bbdd678L);
    assertThat(sa.encrypt()).isEqualTo(3);
    assertThat(sa.auth()).isEqualTo(2);
    assertThat(sa.state()).isZero(); // setkey sends LARVAL
    assertThat(sa.flags()).isZero();
    assertThat(m.sa2().orElseThrow()).isEqualTo(new Sa2Extension(1, 0, 0));
    assertThat(m.keyEncrypt().orElseThrow())
        .isEqualTo(KeyExtension.of(ExtensionType.SADB_EXT_KEY_ENCRYPT, hex(K3DES)));
    assertThat(m.keyAuth().orElseThrow().bits()).isEqualTo(128);
    AddressExtension src = m.addressSrc().orElseThrow();
    assertThat(src.proto()).isEqualTo(255);
    assertThat(src.prefixlen()).isEqualTo(32);
    assertThat(src.address()).isEqualTo(SockAddr.parse("192.1.2.23", 0));
    assertThat(m.addressDst().orElseThrow().address()).isEqualTo(SockAddr.parse("192.1.2.45", 0));
  }

  @Test
  void addOptionsSetReplayReqidModeAndLifetimes() {
    SadbMessage m =
        one("add 10.0.0.1 10.0.0.2 ah 4097 -m tunnel -r 32 -u 7 -lh 3600 -ls 3000 -bh 1000000"
                + " -bs 900000 -A hmac-sha1 0x"
                + KSHA1
                + ";")
            .messages()
            .get(0);
    assertThat(m.satype()).isEqualTo(2);
    assertThat(m.sa().orElseThrow().spi()).isEqualTo(4097);
    assertThat(m.sa().orElseThrow().replay()).isEqualTo(32);
    assertThat(m.sa2().orElseThrow()).isEqualTo(new Sa2Extension(2, 0, 7));
    assertThat(m.lifetimeHard().orElseThrow())
        .isEqualTo(
            new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, 0, 1000000, 3600, 0));
    assertThat(m.lifetimeSoft().orElseThrow())
        .isEqualTo(new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_SOFT, 0, 900000, 3000, 0));
    assertThat(m.keyEncrypt()).isEmpty();
  }

  @Test
  void lifetimesAbsentUnlessGiven() {
    SadbMessage m =
        one("add 10.0.0.1 10.0.0.2 esp 0x1001 -E null -A hmac-sha1 0x" + KSHA1 + ";")
            .messages()
            .get(0);
    assertThat(m.lifetimeHard()).isEmpty();
    assertThat(m.lifetimeSoft()).isEmpty();
    assertThat(m.sa().orElseThrow().encrypt()).isEqualTo(11);
    assertThat(m.keyEncrypt()).isEmpty();
  }

  @Test
  void onlyBytesLifetimeStillSendsTheExtension() {
    SadbMessage m = one("add 10.0.0.1 10.0.0.2 esp 0x1001 -bs 5000 -E null;").messages().get(0);
    assertThat(m.lifetimeSoft().orElseThrow().bytes()).isEqualTo(5000);
    assertThat(m.lifetimeSoft().orElseThrow().addtime()).isZero();
    assertThat(m.lifetimeHard()).isEmpty();
  }

  @Test
  void algorithmNamesOfTheBrief() {
    SadbMessage des =
        one("add 1.1.1.1 2.2.2.2 esp 1 -E des-cbc 0x6b707007f8bae39b;").messages().get(0);
    assertThat(des.sa().orElseThrow().encrypt()).isEqualTo(2);
    SadbMessage aes =
        one("add 1.1.1.1 2.2.2.2 esp 1 -E rijndael-cbc 0xdeb3098e67577550f23ffb5ec3737c04"
                + " -A hmac-sha256 0x35f4c4e6c44f7e60157c9535b359a3a04b3a0387a748fa87153283259da22fc2;")
            .messages()
            .get(0);
    assertThat(aes.sa().orElseThrow().encrypt()).isEqualTo(12);
    assertThat(aes.sa().orElseThrow().auth()).isEqualTo(5);
    SadbMessage gcm =
        one("add 1.1.1.1 2.2.2.2 esp 1 -E aes-gcm-16 0xfad7d6b705af431721a6c0122b226f1b7702a353;")
            .messages()
            .get(0);
    assertThat(gcm.sa().orElseThrow().encrypt()).isEqualTo(20);
    assertThat(gcm.sa().orElseThrow().auth()).isZero();
    assertThat(gcm.keyEncrypt().orElseThrow().bits()).isEqualTo(160);
  }

  @Test
  void quotedKeyIsItsBytes() {
    SadbMessage m =
        one("add 1.1.1.1 2.2.2.2 ah 0x200 -A hmac-md5 \"1234567890123456\";").messages().get(0);
    assertThat(m.keyAuth().orElseThrow().key()).isEqualTo("1234567890123456".getBytes());
  }

  @Test
  void oddHexKeyGetsALeadingZeroNibble() {
    // 3des key of 47 digits: setkey reads the first digit as its own byte.
    String odd = K3DES.substring(1);
    SadbMessage m = one("add 1.1.1.1 2.2.2.2 esp 1 -E 3des-cbc 0x" + odd + ";").messages().get(0);
    assertThat(m.keyEncrypt().orElseThrow().key()).isEqualTo(hex("0" + odd));
  }

  @Test
  void ipcompWithDeflate() {
    SadbMessage m =
        one("add 192.1.2.23 192.1.2.45 ipcomp 0x5678 -m tunnel -C deflate;").messages().get(0);
    assertThat(m.satype()).isEqualTo(9);
    assertThat(m.sa().orElseThrow().encrypt()).isEqualTo(2);
    assertThat(m.sa().orElseThrow().spi()).isEqualTo(0x5678);
    assertThat(m.keyEncrypt()).isEmpty();
    assertThat(m.keyAuth()).isEmpty();
  }

  @Test
  void rawCpiFlagIsAcceptedAndNotSent() {
    SadbMessage m = one("add 1.1.1.1 2.2.2.2 ipcomp 0x5678 -C deflate -R;").messages().get(0);
    assertThat(m.sa().orElseThrow().flags()).isZero();
  }

  @Test
  void padOptionsAreAcceptedAndIgnored() {
    SadbMessage m =
        one("add 1.1.1.1 2.2.2.2 esp 1 -f random-pad -f nocyclic-seq -E null;").messages().get(0);
    assertThat(m.sa().orElseThrow().flags()).isZero();
    assertThat(error("add 1.1.1.1 2.2.2.2 esp 1 -f bogus-pad -E null;").token())
        .isEqualTo("bogus-pad");
  }

  @Test
  void addressPortsAndIpv6() {
    SadbMessage m = one("add 2001:db8::1[4500] 2001:db8::2 esp 0x10 -E null;").messages().get(0);
    AddressExtension src = m.addressSrc().orElseThrow();
    assertThat(src.address().family()).isEqualTo(AddressFamily.AF_INET6);
    assertThat(src.address().port()).isEqualTo(4500);
    assertThat(src.prefixlen()).isEqualTo(128);
    assertThat(m.addressDst().orElseThrow().address().port()).isZero();
  }

  @Test
  void ipv6ZoneIsAScopeId() {
    SadbMessage m = one("add fe80::1%2 fe80::2%2 esp 0x10 -E null;").messages().get(0);
    assertThat(m.addressSrc().orElseThrow().address().scopeId()).isEqualTo(2);
  }

  @Test
  void esnOptionSetsTheBsdEsnFlag() {
    SetkeyStatement st =
        one(
            "add 192.1.2.23 192.1.2.45 esp 0x10 -m tunnel -esn -E aes-cbc 0x"
                + "00112233445566778899aabbccddeeff -A hmac-sha256 0x"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f;");
    SadbMessage m = st.messages().get(0);
    assertThat(m.sa().orElseThrow().flags()).isEqualTo(0x400L);
    assertThat(st.sa().esn()).isTrue();
    assertThat(st.sa().flags()).isZero();
    assertThat(
            one("add 192.1.2.23 192.1.2.45 esp 0x10 -E null -A hmac-md5 0x" + KMD5 + ";")
                .messages()
                .get(0)
                .sa()
                .orElseThrow()
                .flags())
        .isZero();
  }

  @Test
  void esnOptionOnIpcompIsAnError() {
    SetkeySyntaxException e = error("add 192.1.2.23 192.1.2.45 ipcomp 0x5678 -esn -C deflate;");
    assertThat(e.getMessage()).contains("-esn");
  }

  @Test
  void ipcompSaWithDeflateIsSatype9WithCompressionAlgorithm2() {
    SadbMessage m =
        one("add 192.1.2.23 192.1.2.45 ipcomp 0x5678 -m tunnel -C deflate;").messages().get(0);
    assertThat(m.satype()).isEqualTo(9);
    assertThat(m.sa().orElseThrow().spi()).isEqualTo(0x5678);
    assertThat(m.sa().orElseThrow().encrypt()).isEqualTo(2);
    assertThat(m.keyEncrypt()).isEmpty();
  }

  @Test
  void espUdpAddsNatTraversalExtensions() {
    SadbMessage m =
        one("add 192.1.2.23 192.1.2.45[4501] esp-udp 10.0.0.9 0x12345678 -m tunnel -E null;")
            .messages()
            .get(0);
    assertThat(m.satype()).isEqualTo(3);
    assertThat(m.find(NatTTypeExtension.class).orElseThrow().type()).isEqualTo(2);
    assertThat(
            m.find(ExtensionType.SADB_X_EXT_NAT_T_SPORT, NatTPortExtension.class)
                .orElseThrow()
                .port())
        .isEqualTo(4500);
    assertThat(
            m.find(ExtensionType.SADB_X_EXT_NAT_T_DPORT, NatTPortExtension.class)
                .orElseThrow()
                .port())
        .isEqualTo(4501);
    assertThat(
            m.find(ExtensionType.SADB_X_EXT_NAT_T_OA, AddressExtension.class)
                .orElseThrow()
                .address())
        .isEqualTo(SockAddr.parse("10.0.0.9", 0));
  }

  @Test
  void getAndDeleteCarrySaSa2AndAddresses() {
    List<SetkeyStatement> s =
        parse("get 10.0.0.1 10.0.0.2 esp 0x1001;\ndelete 10.0.0.1 10.0.0.2 ah 0x1002;");
    SadbMessage get = s.get(0).messages().get(0);
    assertThat(get.type()).isEqualTo(MessageType.SADB_GET);
    assertThat(types(get))
        .containsExactly(
            ExtensionType.SADB_EXT_SA.value(),
            ExtensionType.SADB_X_EXT_SA2.value(),
            ExtensionType.SADB_EXT_ADDRESS_SRC.value(),
            ExtensionType.SADB_EXT_ADDRESS_DST.value());
    assertThat(get.sa().orElseThrow().spi()).isEqualTo(0x1001);
    SadbMessage del = s.get(1).messages().get(0);
    assertThat(del.type()).isEqualTo(MessageType.SADB_DELETE);
    assertThat(del.satype()).isEqualTo(2);
    assertThat(s.get(1).line()).isEqualTo(2);
  }

  @Test
  void getRefusesAlgorithms() {
    SetkeySyntaxException e = error("get 10.0.0.1 10.0.0.2 esp 0x1001 -E null;");
    assertThat(e.problem()).contains("takes no algorithm");
    assertThat(e.token()).isEqualTo("-E");
  }

  @Test
  void deleteallDumpsThenDeletesEachMatchingSa() {
    SetkeyStatement s = one("deleteall 10.0.0.1 10.0.0.2 esp;");
    assertThat(s.messages()).hasSize(1);
    assertThat(s.messages().get(0).type()).isEqualTo(MessageType.SADB_DUMP);
    assertThat(s.messages().get(0).satype()).isEqualTo(3);
    SadbMessage reply =
        one("add 10.0.0.1 10.0.0.2 esp 0x77 -E null;")
            .messages()
            .get(0)
            .withType(MessageType.SADB_DUMP);
    SadbMessage other =
        one("add 10.0.0.1 10.0.0.3 esp 0x78 -E null;")
            .messages()
            .get(0)
            .withType(MessageType.SADB_DUMP);
    assertThat(s.deletes(reply)).isTrue();
    assertThat(s.deletes(other)).isFalse();
    assertThat(s.deletes(reply.withSatype(2))).isFalse();
    SadbMessage del = s.deleteFor(0x77);
    assertThat(del.type()).isEqualTo(MessageType.SADB_DELETE);
    assertThat(del.sa().orElseThrow().spi()).isEqualTo(0x77);
    assertThat(del.addressDst().orElseThrow().address()).isEqualTo(SockAddr.parse("10.0.0.2", 0));
    assertThat(del.pid()).isEqualTo(4242);
  }

  @Test
  void flushAndDumpWithAndWithoutProtocol() {
    List<SetkeyStatement> s = parse("flush;\nflush esp;\ndump;\ndump ah;");
    assertThat(s)
        .extracting(x -> x.messages().get(0).type())
        .containsExactly(
            MessageType.SADB_FLUSH,
            MessageType.SADB_FLUSH,
            MessageType.SADB_DUMP,
            MessageType.SADB_DUMP);
    assertThat(s).extracting(x -> x.messages().get(0).satype()).containsExactly(0, 3, 0, 2);
    assertThat(s).allSatisfy(x -> assertThat(x.messages().get(0).extensions()).isEmpty());
  }

  @Test
  void getspiSendsSpiRangeOfItsSpi() {
    SadbMessage m = one("getspi 10.0.0.1 10.0.0.2 esp 0x1234 -m tunnel -u 5;").messages().get(0);
    assertThat(m.type()).isEqualTo(MessageType.SADB_GETSPI);
    assertThat(m.spiRange().orElseThrow()).isEqualTo(new SpiRangeExtension(0x1234, 0x1234));
    assertThat(m.sa2().orElseThrow().reqid()).isEqualTo(5);
    assertThat(types(m).indexOf(ExtensionType.SADB_EXT_SPIRANGE.value()))
        .isEqualTo(types(m).indexOf(ExtensionType.SADB_EXT_SA.value()) - 1);
  }

  @Test
  void getspiWithARangeAndWithSpiZero() {
    SadbMessage range = one("getspi 10.0.0.1 10.0.0.2 esp 0x100-0x1ff;").messages().get(0);
    assertThat(range.spiRange().orElseThrow()).isEqualTo(new SpiRangeExtension(0x100, 0x1ff));
    SadbMessage any = one("getspi 10.0.0.1 10.0.0.2 ah 0;").messages().get(0);
    assertThat(any.spiRange()).isEmpty();
    assertThat(error("getspi 10.0.0.1 10.0.0.2 ah 0x200-0x100;").problem()).contains("max < min");
  }

  @Test
  void spdaddCarriesPolicyAndSelectors() {
    SetkeyStatement s =
        one(
            "spdadd 10.0.0.0/24[any] 10.0.1.0/24[80] tcp -P out ipsec\n"
                + "    esp/tunnel/192.1.2.23-192.1.2.45/require\n"
                + "    ah/transport//use;");
    assertThat(s.messages()).hasSize(1);
    SadbMessage m = s.messages().get(0);
    assertThat(m.type()).isEqualTo(MessageType.SADB_X_SPDADD);
    assertThat(m.satype()).isZero();
    assertThat(types(m))
        .containsExactly(
            ExtensionType.SADB_X_EXT_POLICY.value(),
            ExtensionType.SADB_EXT_ADDRESS_SRC.value(),
            ExtensionType.SADB_EXT_ADDRESS_DST.value());
    PolicyExtension p = m.policy().orElseThrow();
    assertThat(p.type()).isEqualTo(2);
    assertThat(p.dir()).isEqualTo(2);
    assertThat(p.priority()).isEqualTo(0x80000000L);
    assertThat(p.requests())
        .containsExactly(
            new IpsecRequest(
                50, 2, 2, 0, SockAddr.parse("192.1.2.23", 0), SockAddr.parse("192.1.2.45", 0)),
            new IpsecRequest(51, 1, 1, 0, null, null));
    AddressExtension src = m.addressSrc().orElseThrow();
    assertThat(src.proto()).isEqualTo(6);
    assertThat(src.prefixlen()).isEqualTo(24);
    assertThat(src.address().port()).isZero();
    assertThat(m.addressDst().orElseThrow().address().port()).isEqualTo(80);
  }

  @Test
  void inboundPolicyAlsoInstallsForwardPolicyUnlessDisabled() {
    String text =
        "spdadd 10.0.1.0/24 10.0.0.0/24 any -P in ipsec esp/tunnel/1.1.1.1-2.2.2.2/unique:9;";
    SetkeyStatement s = one(text);
    assertThat(s.messages()).hasSize(2);
    PolicyExtension in = s.messages().get(0).policy().orElseThrow();
    PolicyExtension fwd = s.messages().get(1).policy().orElseThrow();
    assertThat(in.dir()).isEqualTo(1);
    assertThat(in.requests().get(0).level()).isEqualTo(3);
    assertThat(in.requests().get(0).reqid()).isEqualTo(9);
    assertThat(fwd.dir()).isEqualTo(3);
    assertThat(fwd.requests().get(0).level()).isEqualTo(2);
    assertThat(fwd.requests().get(0).reqid()).isZero();
    List<SetkeyStatement> kernelMode = new SetkeyParser("t").forwardPolicies(false).parse(text);
    assertThat(kernelMode.get(0).messages()).hasSize(1);
    assertThat(s.messages().get(0).addressSrc().orElseThrow().proto()).isEqualTo(255);
  }

  @Test
  void spdupdateSpddeleteSpdflushSpddump() {
    List<SetkeyStatement> s =
        parse(
            "spdupdate 10.0.0.1 10.0.0.2 udp -P out none;\n"
                + "spddelete 10.0.0.1 10.0.0.2 udp -P out;\n"
                + "spdflush;\n"
                + "spddump;\n");
    assertThat(s)
        .extracting(x -> x.messages().get(0).type())
        .containsExactly(
            MessageType.SADB_X_SPDUPDATE,
            MessageType.SADB_X_SPDDELETE,
            MessageType.SADB_X_SPDFLUSH,
            MessageType.SADB_X_SPDDUMP);
    assertThat(s.get(0).messages().get(0).policy().orElseThrow().type()).isEqualTo(1);
    PolicyExtension del = s.get(1).messages().get(0).policy().orElseThrow();
    assertThat(del.type()).isZero();
    assertThat(del.priority()).isZero();
    assertThat(del.dir()).isEqualTo(2);
    assertThat(s.get(0).messages().get(0).addressSrc().orElseThrow().proto()).isEqualTo(17);
    assertThat(s).extracting(SetkeyStatement::line).containsExactly(1, 2, 3, 4);
  }

  @Test
  void policyPriorities() {
    assertThat(priority("out prio 10 none")).isEqualTo(0x80000000L - 10);
    assertThat(priority("out prio -10 none")).isEqualTo(0x80000000L + 10);
    assertThat(priority("out priority high none")).isEqualTo(0x40000000L);
    assertThat(priority("out prio low + 5 none")).isEqualTo(0xC0000000L - 5);
    assertThat(priority("out prio def -7 discard")).isEqualTo(0x80000000L + 7);
  }

  private static long priority(String policy) {
    return one("spdadd 1.1.1.1 2.2.2.2 any -P " + policy + ";")
        .messages()
        .get(0)
        .policy()
        .orElseThrow()
        .priority();
  }

  @Test
  void icmpTypeAndCodeGoIntoThePorts() {
    SadbMessage m = one("spdadd 1.1.1.1 2.2.2.2 icmp 8,0 -P out discard;").messages().get(0);
    assertThat(m.addressSrc().orElseThrow().proto()).isEqualTo(1);
    assertThat(m.addressSrc().orElseThrow().address().port()).isEqualTo(8);
    assertThat(m.addressDst().orElseThrow().address().port()).isZero();
    SadbMessage v6 = one("spdadd ::/0 ::/0 icmp6 135,0 -P out none;").messages().get(0);
    assertThat(v6.addressSrc().orElseThrow().proto()).isEqualTo(58);
    assertThat(v6.addressSrc().orElseThrow().prefixlen()).isZero();
    assertThat(v6.addressSrc().orElseThrow().address().port()).isEqualTo(135);
    SadbMessage num = one("spdadd 1.1.1.1 2.2.2.2 132 -P out none;").messages().get(0);
    assertThat(num.addressDst().orElseThrow().proto()).isEqualTo(132);
  }

  @Test
  void statementsSpanLinesAndCommentsAreSkipped() {
    List<SetkeyStatement> s =
        parse(
            "# manual keys\n"
                + "flush;\n"
                + "\n"
                + "add 192.0.2.1 192.0.2.2 esp 0x1001 # the first SA\n"
                + "    -m transport\n"
                + "    -E 3des-cbc 0x"
                + K3DES
                + ";  spdflush; # two on a line\n");
    assertThat(s)
        .extracting(SetkeyStatement::operation)
        .containsExactly(SetkeyOperation.FLUSH, SetkeyOperation.ADD, SetkeyOperation.SPDFLUSH);
    assertThat(s).extracting(SetkeyStatement::line).containsExactly(2, 4, 6);
    assertThat(s.get(1).where()).isEqualTo(new SourceLocation("test.conf", 4));
  }

  @Test
  void exitStopsNothingButHasNoMessages() {
    List<SetkeyStatement> s = parse("exit;\nquit;\nbye;");
    assertThat(s).extracting(SetkeyStatement::operation).containsOnly(SetkeyOperation.EXIT);
    assertThat(s).allSatisfy(x -> assertThat(x.messages()).isEmpty());
  }

  // -------------------------------------------------------------------- errors

  @Test
  void unknownCommandNamesLineAndToken() {
    SetkeySyntaxException e = error("flush;\n\nadd2 1.1.1.1 2.2.2.2 esp 1 -E null;");
    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.token()).isEqualTo("add2");
    assertThat(e.getMessage()).isEqualTo("test.conf:3: unknown command at [add2]");
  }

  @Test
  void unknownAndUnsupportedAlgorithms() {
    SetkeySyntaxException e = error("add 1.1.1.1 2.2.2.2 esp 1\n -E aes-xyz 0x00;");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).isEqualTo("test.conf:2: unknown encryption algorithm at [aes-xyz]");
    assertThat(error("add 1.1.1.1 2.2.2.2 esp 1 -E blowfish-cbc 0x00;").problem())
        .contains("not supported");
    assertThat(error("add 1.1.1.1 2.2.2.2 ah 1 -A hmac-sha512 0x00;").problem())
        .contains("not supported");
  }

  @Test
  void badKeyLengthNamesTheLineButNotTheKey() {
    SetkeySyntaxException e =
        error("flush;\nadd 1.1.1.1 2.2.2.2 esp 1 -E 3des-cbc 0x0123456789abcdef0123;");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem()).contains("bits=80").contains("allowed=192");
    assertThat(e.getMessage()).doesNotContain("0123456789abcdef").contains("0x<20 hex digits>");
    SetkeySyntaxException q = error("add 1.1.1.1 2.2.2.2 ah 1 -A hmac-md5 \"secretsecret\";");
    assertThat(q.getMessage()).doesNotContain("secretsecret");
  }

  @Test
  void missingKeyIsAnError() {
    SetkeySyntaxException e = error("add 1.1.1.1 2.2.2.2 esp 1 -E 3des-cbc;");
    assertThat(e.problem()).contains("expected a key");
    assertThat(e.token()).isEqualTo(";");
  }

  @Test
  void missingSemicolonAtTheEnd() {
    SetkeySyntaxException e = error("flush;\nadd 1.1.1.1 2.2.2.2 esp 1 -E null\n");
    assertThat(e.problem()).contains("not ended by ';'");
    assertThat(e.token()).isEqualTo("end of input");
  }

  @Test
  void unterminatedQuote() {
    SetkeySyntaxException e = error("add 1.1.1.1 2.2.2.2 ah 1 -A hmac-md5 \"abc;\n");
    assertThat(e.problem()).contains("unterminated");
    assertThat(e.line()).isEqualTo(1);
  }

  @Test
  void hostNamesAreNotResolved() {
    SetkeySyntaxException e = error("add gateway.example 2.2.2.2 esp 1 -E null;");
    assertThat(e.token()).isEqualTo("gateway.example");
    assertThat(e.problem()).contains("not a numeric IP address");
  }

  @Test
  void mixedFamiliesAndFamilyFlags() {
    assertThat(error("add 1.1.1.1 2001:db8::1 esp 1 -E null;").problem())
        .contains("different address families");
    assertThat(error("add -6 1.1.1.1 1.1.1.2 esp 1 -E null;").problem()).contains("-4/-6");
    assertThat(one("add -4n 1.1.1.1 1.1.1.2 esp 1 -E null;").messages()).hasSize(1);
  }

  @Test
  void optionErrors() {
    assertThat(error("add 1.1.1.1 2.2.2.2 esp 1 -r 300 -E null;").problem())
        .contains("replay window too big");
    assertThat(error("add 1.1.1.1 2.2.2.2 esp 1 -m beet -E null;").token()).isEqualTo("beet");
    assertThat(error("add 1.1.1.1 2.2.2.2 esp 1 -m tunnel -m transport -E null;").problem())
        .contains("twice");
    assertThat(error("add 1.1.1.1 2.2.2.2 esp 1 -x 3 -E null;").problem())
        .contains("unknown option");
    assertThat(error("add 1.1.1.1 2.2.2.2 esp 1 -m tunnel;").problem())
        .contains("needs an algorithm");
    assertThat(error("add 1.1.1.1 2.2.2.2 esp 0x1ffffffff -E null;").problem())
        .contains("SPI too big");
    assertThat(error("add 1.1.1.1 2.2.2.2 esp 1 -ctx 1 1 \"x\" -E null;").problem())
        .contains("-ctx");
    assertThat(error("add 1.1.1.1 2.2.2.2 tcp 1 -A tcp-md5 \"x\";").problem()).contains("TCP-MD5");
  }

  @Test
  void policyErrorsNameThePolicyLine() {
    SetkeySyntaxException e =
        error("spdflush;\nspdadd 1.1.1.1 2.2.2.2 any -P out ipsec\n esp/tunnel//require;");
    assertThat(e.problem()).contains("tunnel mode needs the endpoints");
    assertThat(e.line()).isEqualTo(2);
    assertThat(error("spdadd 1.1.1.1 2.2.2.2 any -P sideways ipsec;").token())
        .isEqualTo("sideways");
    assertThat(error("spdadd 1.1.1.1 2.2.2.2 any -P out allow;").token()).isEqualTo("allow");
    assertThat(error("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp;").problem())
        .contains("protocol/mode");
    assertThat(error("spdadd 1.1.1.1 2.2.2.2 any -P out none esp/transport//require;").problem())
        .contains("only allowed with the ipsec action");
    assertThat(
            error("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/tunnel/1.1.1.1-::1/require;")
                .problem())
        .contains("different address families");
    assertThat(error("spdadd 1.1.1.1/33 2.2.2.2 any -P out none;").token()).isEqualTo("33");
    assertThat(error("spdadd 1.1.1.1 2.2.2.2 bogus -P out none;").token()).isEqualTo("bogus");
    assertThat(error("spdadd 1.1.1.1 2.2.2.2 any;").problem()).contains("-P");
    assertThat(error("spdadd 1.1.1.1 2.2.2.2 tcp 8,0 -P out none;").problem())
        .contains("only for icmp");
  }

  @Test
  void policyMeAnyAndPorts() {
    PolicyExtension p =
        one("spdadd 1.1.1.1 2.2.2.2 any -P out ipsec esp/transport/me-any/require"
                + " esp/tunnel/10.0.0.1[4500]-10.0.0.2[4500]/use;")
            .messages()
            .get(0)
            .policy()
            .orElseThrow();
    assertThat(p.requests().get(0).hasEndpoints()).isFalse();
    assertThat(p.requests().get(1).tunnelSource().port()).isEqualTo(4500);
    assertThat(
            error("spdadd 1.1.1.1 2.2.2.2 any -P in ipsec esp/transport/me-any/require;").problem())
        .contains("direction");
  }

  @Test
  void parseAllGoesOnAfterABadStatement() {
    List<SetkeyParser.Item> items =
        new SetkeyParser("stdin")
            .parseAll("flush;\nadd 1.1.1.1 2.2.2.2 esp 1 -E bogus 0x00;\nspdflush;\n");
    assertThat(items).hasSize(3);
    assertThat(items.get(0).statement().operation()).isEqualTo(SetkeyOperation.FLUSH);
    assertThat(items.get(1).error().line()).isEqualTo(2);
    assertThat(items.get(2).statement().operation()).isEqualTo(SetkeyOperation.SPDFLUSH);
    assertThat(items.get(2).statement().line()).isEqualTo(3);
  }

  @Test
  void parseErrorIsAPfKeyException() {
    assertThatThrownBy(() -> parse("bogus;"))
        .isInstanceOf(PfKeyException.class)
        .hasMessageContaining("test.conf:1:");
  }

  @Test
  void saSpecOfAnAddRoundTripsThroughItsMessage() {
    SetkeyStatement s =
        one(
            "add 192.0.2.1 192.0.2.2[500] esp 0x1002 -m tunnel -r 32 -u 4 -lh 60 -bs 100"
                + " -E aes-cbc 0x7e1418e8a59e3030545a215bda1aa58a -A hmac-sha1 0x"
                + KSHA1
                + ";");
    SaSpec back = SaSpec.fromMessage(s.messages().get(0), s.where());
    assertThat(back).isEqualTo(s.sa());
    assertThat(back.toString()).doesNotContain("7e1418e8").contains("redacted");
  }

  @Test
  void endOfLastStatementSkipsQuotesAndComments() {
    assertThat(SetkeyParser.endOfLastStatement("flush")).isEqualTo(-1);
    assertThat(SetkeyParser.endOfLastStatement("flush; add")).isEqualTo(6);
    assertThat(SetkeyParser.endOfLastStatement("add x \"a;b\"")).isEqualTo(-1);
    assertThat(SetkeyParser.endOfLastStatement("dump # not; here\n")).isEqualTo(-1);
    assertThat(SetkeyParser.endOfLastStatement("dump # c;\n;")).isEqualTo(11);
  }

  @Test
  void parseAllFromALaterLineKeepsTheInputsLineNumbers() {
    List<SetkeyParser.Item> items = new SetkeyParser("<stdin>").parseAll("\nflush;\nbogus;", 7);
    assertThat(items.get(0).statement().line()).isEqualTo(8);
    assertThat(items.get(1).error().line()).isEqualTo(9);
    assertThat(items.get(1).error().getMessage()).startsWith("<stdin>:9: ");
  }
}
