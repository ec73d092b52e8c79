package org.ipsecemu.sadb.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Decoding and encoding against the hand-written vectors of {@link WireVectors}. */
class PfKeyCodecVectorTest {
  private static final WireFormat LE_LINUX = WireFormat.LINUX;
  private static final WireFormat BE_LINUX = WireFormat.LINUX.withByteOrder(ByteOrder.BIG_ENDIAN);
  private static final WireFormat LE_BSD = WireFormat.LINUX.withSockaddrLayout(SockaddrLayout.BSD);
  private static final WireFormat BE_BSD = BE_LINUX.withSockaddrLayout(SockaddrLayout.BSD);

  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of(
            "ADD ESP LE Linux", LE_LINUX, WireVectors.ADD_ESP_LE_LINUX, WireVectors.addEsp()),
        Arguments.of(
            "ADD ESP BE Linux", BE_LINUX, WireVectors.ADD_ESP_BE_LINUX, WireVectors.addEsp()),
        Arguments.of("ADD ESP LE BSD", LE_BSD, WireVectors.ADD_ESP_LE_BSD, WireVectors.addEsp()),
        Arguments.of("ADD ESP BE BSD", BE_BSD, WireVectors.ADD_ESP_BE_BSD, WireVectors.addEsp()),
        Arguments.of(
            "DELETE AH IPv6 LE Linux",
            LE_LINUX,
            WireVectors.DELETE_AH6_LE_LINUX,
            WireVectors.deleteAh6()),
        Arguments.of(
            "DELETE AH IPv6 BE BSD",
            BE_BSD,
            WireVectors.DELETE_AH6_BE_BSD,
            WireVectors.deleteAh6()),
        Arguments.of(
            "REGISTER reply LE",
            LE_LINUX,
            WireVectors.REGISTER_REPLY_LE,
            WireVectors.registerReply()),
        Arguments.of("ACQUIRE LE", LE_LINUX, WireVectors.ACQUIRE_LE_LINUX, WireVectors.acquire()),
        Arguments.of(
            "SPDADD tunnel LE",
            LE_LINUX,
            WireVectors.SPDADD_TUNNEL_LE_LINUX,
            WireVectors.spdAddTunnel()),
        Arguments.of(
            "kitchen sink LE",
            LE_LINUX,
            WireVectors.KITCHEN_SINK_LE_LINUX,
            WireVectors.kitchenSink()),
        Arguments.of(
            "kitchen sink BE",
            BE_LINUX,
            WireVectors.KITCHEN_SINK_BE_LINUX,
            WireVectors.kitchenSink()),
        Arguments.of(
            "X_PROMISC data form",
            LE_LINUX,
            WireVectors.PROMISC_DATA_LE,
            WireVectors.promiscData()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesHandWrittenVector(String name, WireFormat format, String hex, SadbMessage expected) {
    SadbMessage decoded = new PfKeyCodec(format).decode(Hex.bytes(hex));
    assertThat(decoded).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodesToHandWrittenVector(String name, WireFormat format, String hex, SadbMessage model) {
    assertThat(Hex.text(new PfKeyCodec(format).encode(model))).isEqualTo(Hex.text(Hex.bytes(hex)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodeOfDecodeGivesBackTheBytes(
      String name, WireFormat format, String hex, SadbMessage unused) {
    PfKeyCodec codec = new PfKeyCodec(format);
    byte[] bytes = Hex.bytes(hex);
    assertThat(codec.encode(codec.decode(bytes))).isEqualTo(bytes);
  }

  /** A field the encoder forgot to write would keep the random byte and show up here. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodeWritesEveryByteOfARandomFilledBuffer(
      String name, WireFormat format, String hex, SadbMessage model) {
    byte[] expected = Hex.bytes(hex);
    for (long seed = 1; seed <= 8; seed++) {
      Random random = new Random(seed);
      byte[] space = new byte[expected.length + 40];
      random.nextBytes(space);
      byte[] before = space.clone();
      int offset = 8 + random.nextInt(16);
      int n = new PfKeyCodec(format).encode(model, ByteBuffer.wrap(space), offset);
      assertThat(n).isEqualTo(expected.length);
      byte[] written = java.util.Arrays.copyOfRange(space, offset, offset + n);
      assertThat(Hex.text(written)).isEqualTo(Hex.text(expected));
      // Nothing outside the message was touched.
      assertThat(java.util.Arrays.copyOfRange(space, 0, offset))
          .isEqualTo(java.util.Arrays.copyOfRange(before, 0, offset));
      assertThat(java.util.Arrays.copyOfRange(space, offset + n, space.length))
          .isEqualTo(java.util.Arrays.copyOfRange(before, offset + n, before.length));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodesAtAnOffsetInsideALargerBuffer(
      String name, WireFormat format, String hex, SadbMessage expected) {
    byte[] msg = Hex.bytes(hex);
    byte[] space = new byte[msg.length + 24];
    new Random(42).nextBytes(space);
    System.arraycopy(msg, 0, space, 11, msg.length);
    ByteBuffer buffer = ByteBuffer.wrap(space).order(ByteOrder.BIG_ENDIAN);
    assertThat(new PfKeyCodec(format).decode(buffer, 11, msg.length)).isEqualTo(expected);
    assertThat(buffer.position()).isZero();
  }
}
