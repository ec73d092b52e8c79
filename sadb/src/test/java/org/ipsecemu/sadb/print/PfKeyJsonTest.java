package org.ipsecemu.sadb.print;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IdentityExtension;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.junit.jupiter.api.Test;

class PfKeyJsonTest {
  private static final byte[] AUTH_KEY =
      HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233");

  private static SadbMessage add() {
    return SadbMessage.of(
        MessageType.SADB_ADD,
        SaType.SADB_SATYPE_ESP,
        7,
        2112,
        new SaExtension(4097, 32, 1, 3, 3, 0),
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_SRC, 0, 32, SockAddr.parse("192.0.2.1", 0)),
        new KeyExtension(ExtensionType.SADB_EXT_KEY_AUTH, 160, AUTH_KEY));
  }

  /** The shape given in the issue: RFC field names without prefix, symbols, numbers. */
  @Test
  void writesTheIssuesJsonShape() {
    assertThat(PfKeyJson.toJson(add()))
        .isEqualTo(
            "{\"version\":2,\"type\":\"SADB_ADD\",\"errno\":0,\"satype\":\"SADB_SATYPE_ESP\","
                + "\"len\":11,\"reserved\":0,\"seq\":7,\"pid\":2112,\"extensions\":["
                + "{\"len\":2,\"exttype\":\"SADB_EXT_SA\",\"spi\":4097,\"replay\":32,"
                + "\"state\":\"SADB_SASTATE_MATURE\",\"auth\":\"SADB_AALG_SHA1HMAC\","
                + "\"encrypt\":\"SADB_EALG_3DESCBC\",\"flags\":0},"
                + "{\"len\":3,\"exttype\":\"SADB_EXT_ADDRESS_SRC\",\"proto\":0,\"prefixlen\":32,"
                + "\"address\":\"192.0.2.1\",\"port\":0},"
                + "{\"len\":4,\"exttype\":\"SADB_EXT_KEY_AUTH\",\"bits\":160,"
                + "\"key\":\"00112233445566778899aabbccddeeff00112233\"}]}");
  }

  @Test
  void writesUnsigned64BitValuesExactly() {
    SadbMessage m =
        SadbMessage.of(
            MessageType.SADB_EXPIRE,
            SaType.SADB_SATYPE_AH,
            0xffffffffL,
            0,
            new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_CURRENT, 1, -1L, -2L, 0));
    String json = PfKeyJson.toJson(m);
    assertThat(json)
        .contains("\"seq\":4294967295")
        .contains("\"bytes\":18446744073709551615,\"addtime\":18446744073709551614");
    assertThat(PfKeyJson.fromJson(json)).isEqualTo(m);
  }

  @Test
  void writesErrorsWithTheErrnosName() {
    assertThat(
            PfKeyJson.errorJson(
                new PfKeyException(Errno.EINVAL, "duplicate extension SADB_EXT_SA at offset 32")))
        .isEqualTo(
            "{\"error\":\"EINVAL\",\"reason\":\"duplicate extension SADB_EXT_SA at offset 32\"}");
  }

  @Test
  void readsBackWhatItWrites() {
    assertThat(PfKeyJson.fromJson(PfKeyJson.toJson(add()))).isEqualTo(add());
  }

  @Property(tries = 300)
  void readsBackEveryGeneratedMessage(@ForAll("messages") SadbMessage m) {
    assertThat(PfKeyJson.fromJson(PfKeyJson.toJson(m))).isEqualTo(m);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<SadbMessage> messages() {
    return org.ipsecemu.sadb.wire.TestGenerators.messages();
  }

  @Test
  void buildsAMessageByHandWithLengthsAndDefaultsFilledIn() {
    SadbMessage m =
        PfKeyJson.fromJson(
            "{\"type\":\"SADB_ADD\",\"satype\":\"SADB_SATYPE_ESP\",\"seq\":7,\"pid\":2112,"
                + "\"extensions\":[{\"exttype\":\"SADB_EXT_SA\",\"spi\":\"0x1001\",\"replay\":32,"
                + "\"state\":\"SADB_SASTATE_MATURE\",\"auth\":3,\"encrypt\":\"SADB_EALG_3DESCBC\"},"
                + "{\"exttype\":\"SADB_EXT_ADDRESS_SRC\",\"address\":\"192.0.2.1\"},"
                + "{\"exttype\":\"SADB_EXT_KEY_AUTH\","
                + "\"key\":\"00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33\"}]}");
    assertThat(m).isEqualTo(add());
  }

  @Test
  void readsUnknownNumbersAndCompressionAlgorithms() {
    SadbMessage m =
        PfKeyJson.fromJson(
            "{\"type\":\"UNKNOWN(3)\",\"satype\":\"UNKNOWN(9)\",\"errno\":\"EEXIST\",\"extensions\":["
                + "{\"exttype\":\"SADB_EXT_SA\",\"auth\":\"UNKNOWN(200)\","
                + "\"encrypt\":\"SADB_X_CALG_DEFLATE\"},"
                + "{\"exttype\":\"UNKNOWN(4000)\",\"data\":\"0102\"},"
                + "{\"exttype\":\"SADB_EXT_IDENTITY_DST\",\"type\":\"SADB_IDENTTYPE_USERFQDN\","
                + "\"id\":1000,\"string\":\"alice@example.org\"}]}");
    assertThat(m.type()).isEqualTo(MessageType.SADB_ADD);
    assertThat(m.satype()).isEqualTo(9);
    assertThat(m.errno()).isEqualTo(17);
    assertThat(m.sa().orElseThrow().auth()).isEqualTo(200);
    assertThat(m.sa().orElseThrow().encrypt()).isEqualTo(2);
    assertThat(m.find(4000)).isPresent();
    assertThat(m.identityDst().orElseThrow())
        .isEqualTo(
            new IdentityExtension(
                ExtensionType.SADB_EXT_IDENTITY_DST, 3, 1000, "alice@example.org"));
  }

  @Test
  void rejectsMalformedJsonWithEinval() {
    assertRejected("{\"type\":", "malformed JSON");
  }

  @Test
  void rejectsAnUnknownFieldWithItsPath() {
    assertRejected(
        "{\"type\":\"SADB_ADD\",\"extensions\":[{\"exttype\":\"SADB_EXT_SA\",\"sip\":1}]}",
        "extensions[0]: unknown field \"sip\"");
  }

  @Test
  void rejectsANumberTooWideForItsField() {
    assertRejected(
        "{\"type\":\"SADB_ADD\",\"extensions\":[{\"exttype\":\"SADB_EXT_SA\",\"replay\":256}]}",
        "extensions[0].replay: 256 does not fit in 8 unsigned bits");
  }

  @Test
  void rejectsAnUnknownSymbol() {
    assertRejected("{\"type\":\"SADB_ADDD\"}", "type: unknown message type \"SADB_ADDD\"");
  }

  @Test
  void rejectsAMessageTypeWithoutName() {
    assertRejected("{\"type\":99}", "type: unknown message type UNKNOWN(99)");
  }

  @Test
  void rejectsAnAddressThatIsNotALiteral() {
    assertRejected(
        "{\"type\":\"SADB_ADD\",\"extensions\":[{\"exttype\":5,\"address\":\"example.org\"}]}",
        "extensions[0].address: not an IP address literal");
  }

  @Test
  void rejectsAMissingExtensionType() {
    assertRejected(
        "{\"type\":\"SADB_ADD\",\"extensions\":[{\"spi\":1}]}", "extensions[0].exttype: missing");
  }

  @Test
  void rejectsKeyThatIsNotHex() {
    assertRejected(
        "{\"type\":\"SADB_ADD\",\"extensions\":[{\"exttype\":\"SADB_EXT_KEY_AUTH\",\"key\":\"xyz\"}]}",
        "extensions[0].key: not hex");
  }

  private static void assertRejected(String json, String reason) {
    assertThatThrownBy(() -> PfKeyJson.fromJson(json))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
        .hasMessageContaining(reason);
  }

  @Test
  void keepsTheKeyOutOfTheModelsToStringButShowsItInJson() {
    assertThat(add().toString()).doesNotContain("00112233");
    assertThat(PfKeyJson.toJson(add())).contains("00112233445566778899aabbccddeeff00112233");
    assertThat(List.of(add()).toString()).doesNotContain("aabbcc");
  }
}
