package org.ipsecemu.sadb.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class FlyweightTest {

  /** RFC 2367 §2.2: "each structure in this document is labeled with its size in bytes". */
  @Test
  void structSizesMatchTheLabelsOfTheRfcAndLinuxHeaders() {
    assertThat(SadbMsgFlyweight.ENCODED_LENGTH).isEqualTo(16);
    assertThat(SadbExtFlyweight.ENCODED_LENGTH).isEqualTo(4);
    assertThat(SadbSaFlyweight.ENCODED_LENGTH).isEqualTo(16);
    assertThat(SadbLifetimeFlyweight.ENCODED_LENGTH).isEqualTo(32);
    assertThat(SadbAddressFlyweight.ENCODED_LENGTH).isEqualTo(8);
    assertThat(SadbKeyFlyweight.ENCODED_LENGTH).isEqualTo(8);
    assertThat(SadbIdentFlyweight.ENCODED_LENGTH).isEqualTo(16);
    assertThat(SadbSensFlyweight.ENCODED_LENGTH).isEqualTo(16);
    assertThat(SadbPropFlyweight.ENCODED_LENGTH).isEqualTo(8);
    assertThat(SadbCombFlyweight.ENCODED_LENGTH).isEqualTo(72);
    assertThat(SadbSupportedFlyweight.ENCODED_LENGTH).isEqualTo(8);
    assertThat(SadbAlgFlyweight.ENCODED_LENGTH).isEqualTo(8);
    assertThat(SadbSpirangeFlyweight.ENCODED_LENGTH).isEqualTo(16);
    assertThat(SadbXKmprivateFlyweight.ENCODED_LENGTH).isEqualTo(8);
    assertThat(SadbXPolicyFlyweight.ENCODED_LENGTH).isEqualTo(16);
    assertThat(SadbXIpsecrequestFlyweight.ENCODED_LENGTH).isEqualTo(16);
    assertThat(SadbXSa2Flyweight.ENCODED_LENGTH).isEqualTo(16);
    assertThat(SadbXNatTTypeFlyweight.ENCODED_LENGTH).isEqualTo(8);
    assertThat(SadbXNatTPortFlyweight.ENCODED_LENGTH).isEqualTo(8);
    assertThat(SadbXPrefFlyweight.ENCODED_LENGTH).isEqualTo(8);
    assertThat(SockaddrFlyweight.IN_LENGTH).isEqualTo(16);
    assertThat(SockaddrFlyweight.IN6_LENGTH).isEqualTo(28);
  }

  @Test
  void readsHostOrderFieldsInTheWrappedOrderAndTheSpiInNetworkOrder() {
    byte[] b = Hex.bytes("02 00 01 00  11 22 33 44  20 01 03 0c  01 00 00 80");
    SadbSaFlyweight le = new SadbSaFlyweight().wrap(ByteBuffer.wrap(b), 0, ByteOrder.LITTLE_ENDIAN);
    assertThat(le.len()).isEqualTo(2);
    assertThat(le.exttype()).isEqualTo(1);
    assertThat(le.spi()).isEqualTo(0x11223344L);
    assertThat(le.flags()).isEqualTo(0x80000001L);
    SadbSaFlyweight be = new SadbSaFlyweight().wrap(ByteBuffer.wrap(b), 0, ByteOrder.BIG_ENDIAN);
    assertThat(be.len()).isEqualTo(0x0200);
    assertThat(be.spi()).isEqualTo(0x11223344L);
    assertThat(be.flags()).isEqualTo(0x01000080L);
  }

  @Test
  void ignoresTheBuffersOwnOrderAndPosition() {
    ByteBuffer buf = ByteBuffer.wrap(Hex.bytes("ff ff 02 00 09 00")).order(ByteOrder.BIG_ENDIAN);
    buf.position(5);
    SadbExtFlyweight ext = new SadbExtFlyweight().wrap(buf, 2);
    assertThat(ext.len()).isEqualTo(2);
    assertThat(ext.type()).isEqualTo(9);
    assertThat(buf.position()).isEqualTo(5);
    assertThat(buf.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
  }

  @Test
  void writesFluentlyInPlace() {
    ByteBuffer buf = ByteBuffer.allocate(24);
    new SadbSpirangeFlyweight()
        .wrap(buf, 8)
        .len(2)
        .exttype(16)
        .min(0x100)
        .max(0xffffffffL)
        .reserved(0);
    assertThat(Hex.text(buf.array()))
        .isEqualTo("0000000000000000" + "02001000" + "00010000" + "ffffffff" + "00000000");
  }

  /** STYLE.md: the same input twice gives the same output, however often the view is re-wrapped. */
  @Test
  void reusedViewReadsEachWrappedStructureAfresh() {
    byte[] two =
        Hex.bytes(
            "04 00 03 00  01 00 00 00  02 00 00 00 00 00 00 00"
                + "03 00 00 00 00 00 00 00  04 00 00 00 00 00 00 00",
            "04 00 04 00  05 00 00 00  06 00 00 00 00 00 00 00"
                + "07 00 00 00 00 00 00 00  08 00 00 00 00 00 00 00");
    ByteBuffer buf = ByteBuffer.wrap(two);
    SadbLifetimeFlyweight lt = new SadbLifetimeFlyweight();
    for (int round = 0; round < 3; round++) {
      assertThat(lt.wrap(buf, 0).exttype()).isEqualTo(3);
      assertThat(lt.allocations()).isEqualTo(1);
      assertThat(lt.usetime()).isEqualTo(4);
      assertThat(lt.wrap(buf, 32).exttype()).isEqualTo(4);
      assertThat(lt.allocations()).isEqualTo(5);
      assertThat(lt.usetime()).isEqualTo(8);
    }
  }

  @Test
  void sameCodecGivesTheSameResultTwice() {
    PfKeyCodec codec = new PfKeyCodec();
    byte[] bytes = Hex.bytes(WireVectors.KITCHEN_SINK_LE_LINUX);
    assertThat(codec.decode(bytes)).isEqualTo(codec.decode(bytes));
    SadbMessage m = WireVectors.kitchenSink();
    assertThat(codec.encode(m)).isEqualTo(codec.encode(m));
  }

  @Test
  void sockaddrViewReadsBothLayouts() {
    byte[] linux =
        Hex.bytes(
            "0a 00 01 f4  00 00 00 00  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01  05 00 00 00");
    SockaddrFlyweight s =
        new SockaddrFlyweight().layout(SockaddrLayout.LINUX).wrap(ByteBuffer.wrap(linux), 0);
    assertThat(s.familyNumber()).isEqualTo(10);
    assertThat(s.port()).isEqualTo(500);
    assertThat(s.scopeId()).isEqualTo(5);
    assertThat(s.encodedLength()).isEqualTo(28);
    byte[] bsd = Hex.bytes("10 02 11 94  0a 00 00 01  00 00 00 00 00 00 00 00");
    s.layout(SockaddrLayout.BSD).wrap(ByteBuffer.wrap(bsd), 0);
    assertThat(s.familyNumber()).isEqualTo(2);
    assertThat(s.saLen()).isEqualTo(16);
    assertThat(s.port()).isEqualTo(4500);
    byte[] addr = new byte[4];
    s.getAddress(AddressFamily.AF_INET, addr);
    assertThat(addr).isEqualTo(Hex.bytes("0a000001"));
  }
}
