package org.ipsecemu.sadb.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelTest {
  private static final byte[] KEY =
      HexFormat.of().parseHex("00112233445566778899aabbccddeeff01234567");

  @Test
  void unknownNumbersPrintAsUnknownAndParseBack() {
    assertThat(SaType.symbolOf(3)).isEqualTo("SADB_SATYPE_ESP");
    assertThat(SaType.symbolOf(200)).isEqualTo("UNKNOWN(200)");
    assertThat(SaType.parse("UNKNOWN(200)")).isEqualTo(200);
    assertThat(SaType.parse("SADB_SATYPE_AH")).isEqualTo(2);
    assertThat(SaType.parse("9")).isEqualTo(9);
    assertThat(AuthAlgorithm.valueOf(250)).isEmpty();
    assertThatThrownBy(() -> SaType.parse("ESPX")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void errnoCarriesLinuxNumberAndStrerror() {
    assertThat(Errno.EEXIST.number()).isEqualTo(17);
    assertThat(Errno.EEXIST.strerror()).isEqualTo("File exists");
    assertThat(Errno.valueOf(90)).contains(Errno.EMSGSIZE);
    assertThat(Errno.symbolOf(250)).isEqualTo("UNKNOWN(250)");
    assertThat(Errno.parse("ESRCH")).isEqualTo(3);
  }

  @Test
  void keyToStringNeverShowsKeyBytes() {
    KeyExtension k = KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, KEY);
    assertThat(k.toString()).doesNotContain("0011").doesNotContain("00, 11").contains("redacted");
    SadbMessage m = SadbMessage.of(MessageType.SADB_ADD, SaType.SADB_SATYPE_ESP, 1, 2, k);
    assertThat(m.toString()).doesNotContain("0011").doesNotContain("[B@");
  }

  @Test
  void keyEqualityComparesContent() {
    KeyExtension a = KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, KEY);
    KeyExtension b = KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, KEY.clone());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    byte[] copy = a.key();
    copy[0] = 99;
    assertThat(a).isEqualTo(b);
  }

  @Test
  void lengthIsComputedFromExtensions() {
    SockAddr s = SockAddr.parse("192.0.2.1", 0);
    SockAddr d = SockAddr.parse("2001:db8::1", 0);
    SadbMessage m =
        SadbMessage.of(
            MessageType.SADB_ADD,
            SaType.SADB_SATYPE_ESP,
            7,
            2112,
            new SaExtension(0x1001, 32, 1, 3, 3, 0),
            AddressExtension.host(ExtensionType.SADB_EXT_ADDRESS_SRC, s),
            AddressExtension.host(ExtensionType.SADB_EXT_ADDRESS_DST, d),
            KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, KEY));
    // 2 header + 2 SA + 3 IPv4 address + 5 IPv6 address + 1 + 3 key (20 bytes padded to 24)
    assertThat(m.len()).isEqualTo(16);
    assertThat(m.withoutKeys().len()).isEqualTo(12);
    assertThat(m.withoutKeys().keyAuth()).isEmpty();
    assertThat(m.withErrno(Errno.ESRCH).errno()).isEqualTo(3);
    assertThat(m.headerOnly().len()).isEqualTo(2);
    assertThat(m.addressDst().orElseThrow().address().addressString()).isEqualTo("2001:db8::1");
  }

  @Test
  void paddedRecordsHoldWholeWords() {
    assertThat(new KmPrivateExtension(new byte[3]).data()).hasSize(8);
    assertThat(new UnknownExtension(99, new byte[0]).body()).hasSize(4);
    assertThat(new UnknownExtension(99, new byte[5]).body()).hasSize(12);
    assertThat(new UnknownExtension(99, new byte[5]).len()).isEqualTo(2);
  }

  @Test
  void rejectsFieldsWiderThanTheWire() {
    assertThatThrownBy(() -> new SaExtension(1L << 32, 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spi=4294967296");
    assertThatThrownBy(() -> new LifetimeExtension(ExtensionType.SADB_EXT_SA, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new SensitivityExtension(
                    0, 0, 0, java.util.Collections.nCopies(256, 0L), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsIpv6AsRfc5952() {
    assertThat(SockAddr.parse("2001:0db8:0:0:1:0:0:1", 0).addressString())
        .isEqualTo("2001:db8::1:0:0:1");
    assertThat(SockAddr.parse("::", 0).addressString()).isEqualTo("::");
    assertThat(SockAddr.parse("fe80::", 0).addressString()).isEqualTo("fe80::");
    assertThat(SockAddr.parse("1:2:3:4:5:6:7:8", 0).addressString()).isEqualTo("1:2:3:4:5:6:7:8");
    assertThat(SockAddr.parse("1:0:3:4:5:6:7:8", 0).addressString()).isEqualTo("1:0:3:4:5:6:7:8");
    assertThatThrownBy(() -> SockAddr.parse("example.com", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SockAddr.parse("300.1.1.1", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
