package org.ipsecemu.sadb.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The catalogue of bad PF_KEY input, systematically: every defect applied at every length, every
 * extension, every family, each case named for its input and the errno RFC 2367 gives it. The
 * single hand-written case of each rule lives in {@link PfKeyCodecErrorTest}; this class sweeps the
 * rule over all positions so that no extension or length is left out.
 */
class BadPfKeyInputCatalogueTest {
  private static final PfKeyCodec CODEC = new PfKeyCodec();

  /**
   * Every decoded extension kind at least once: the UPDATE of {@link WireVectors#kitchenSink()}.
   */
  private static final byte[] KITCHEN_SINK = Hex.bytes(WireVectors.KITCHEN_SINK_LE_LINUX);

  /** An SADB_ADD with lifetimes, addresses and both keys. */
  private static final byte[] ADD = Hex.bytes(WireVectors.ADD_ESP_LE_LINUX);

  /** An SPDADD whose policy carries a tunnel request with endpoints. */
  private static final byte[] SPDADD = Hex.bytes(WireVectors.SPDADD_TUNNEL_LE_LINUX);

  /** An ACQUIRE with a proposal. */
  private static final byte[] ACQUIRE = Hex.bytes(WireVectors.ACQUIRE_LE_LINUX);

  /** A REGISTER reply with supported algorithms. */
  private static final byte[] REGISTER = Hex.bytes(WireVectors.REGISTER_REPLY_LE);

  private static final List<byte[]> SAMPLES = List.of(KITCHEN_SINK, ADD, SPDADD, ACQUIRE, REGISTER);

  private static Errno errnoOf(byte[] bytes) {
    try {
      CODEC.decode(bytes);
      return null;
    } catch (PfKeyException e) {
      return e.errno();
    }
  }

  private static int u16(byte[] b, int at) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(at) & 0xFFFF;
  }

  private static void putU16(byte[] b, int at, int v) {
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) v);
  }

  /** Offsets of the extensions of a well-formed message. */
  private static List<Integer> extensionOffsets(byte[] m) {
    List<Integer> out = new ArrayList<>();
    for (int pos = 16; pos < m.length; pos += u16(m, pos) * 8) {
      out.add(pos);
    }
    return out;
  }

  /** (sample, extension offset) for every extension of every sample. */
  static Stream<Arguments> everyExtension() {
    List<Arguments> out = new ArrayList<>();
    for (byte[] m : SAMPLES) {
      for (int at : extensionOffsets(m)) {
        out.add(
            Arguments.of(
                MessageType.symbolOf(m[1] & 0xFF), ExtensionType.symbolOf(u16(m, at + 2)), m, at));
      }
    }
    return out.stream();
  }

  // ------------------------------------------------------------------ truncated headers

  @ParameterizedTest(name = "base header cut to {0} bytes: EMSGSIZE")
  @MethodSource("shortHeaderLengths")
  void baseHeaderCutAtEveryLengthFailsWithEmsgsize(int n) {
    assertThat(errnoOf(Arrays.copyOf(ADD, n))).isEqualTo(Errno.EMSGSIZE);
  }

  static IntStream shortHeaderLengths() {
    return IntStream.range(0, SadbMessage.HEADER_LENGTH);
  }

  @ParameterizedTest(name = "{0} cut at byte {1} with sadb_msg_len unchanged: EMSGSIZE")
  @MethodSource("everyCut")
  void messageCutAtEveryByteFailsWithEmsgsize(String name, int n, byte[] m) {
    assertThat(errnoOf(Arrays.copyOf(m, n))).isEqualTo(Errno.EMSGSIZE);
  }

  static Stream<Arguments> everyCut() {
    return SAMPLES.stream()
        .flatMap(
            m ->
                IntStream.range(SadbMessage.HEADER_LENGTH, m.length)
                    .mapToObj(n -> Arguments.of(MessageType.symbolOf(m[1] & 0xFF), n, m)));
  }

  /**
   * A message cut at a word with its length fixed is a valid shorter message when the cut falls
   * between extensions, and EINVAL when it falls inside one (§2.3: the extension runs past the
   * message, or its structure is cut short).
   */
  @ParameterizedTest(name = "{0} cut to {1} words, sadb_msg_len adjusted")
  @MethodSource("everyWordCut")
  void messageCutAtEveryWordIsAPrefixOrEinval(String name, int words, byte[] m) {
    byte[] cut = Arrays.copyOf(m, words * 8);
    putU16(cut, 4, words);
    boolean atBoundary = words * 8 == 16 || extensionOffsets(m).contains(words * 8);
    if (atBoundary) {
      SadbMessage whole = CODEC.decode(m);
      SadbMessage prefix = CODEC.decode(cut);
      assertThat(prefix.extensions())
          .isEqualTo(whole.extensions().subList(0, prefix.extensions().size()));
    } else {
      assertThat(errnoOf(cut)).isEqualTo(Errno.EINVAL);
    }
  }

  static Stream<Arguments> everyWordCut() {
    return SAMPLES.stream()
        .flatMap(
            m ->
                IntStream.range(2, m.length / 8)
                    .mapToObj(w -> Arguments.of(MessageType.symbolOf(m[1] & 0xFF), w, m)));
  }

  /** Each fixed-size extension structure and its size in bytes. */
  static Stream<Arguments> fixedStructures() {
    return Stream.of(
            Arguments.of(ExtensionType.SADB_EXT_SA, SadbSaFlyweight.ENCODED_LENGTH),
            Arguments.of(
                ExtensionType.SADB_EXT_LIFETIME_CURRENT, SadbLifetimeFlyweight.ENCODED_LENGTH),
            Arguments.of(
                ExtensionType.SADB_EXT_LIFETIME_HARD, SadbLifetimeFlyweight.ENCODED_LENGTH),
            Arguments.of(
                ExtensionType.SADB_EXT_LIFETIME_SOFT, SadbLifetimeFlyweight.ENCODED_LENGTH),
            Arguments.of(ExtensionType.SADB_EXT_ADDRESS_SRC, 8 + 16),
            Arguments.of(ExtensionType.SADB_EXT_ADDRESS_DST, 8 + 16),
            Arguments.of(ExtensionType.SADB_EXT_ADDRESS_PROXY, 8 + 16),
            Arguments.of(ExtensionType.SADB_X_EXT_NAT_T_OA, 8 + 16),
            Arguments.of(ExtensionType.SADB_EXT_IDENTITY_SRC, SadbIdentFlyweight.ENCODED_LENGTH),
            Arguments.of(ExtensionType.SADB_EXT_IDENTITY_DST, SadbIdentFlyweight.ENCODED_LENGTH),
            Arguments.of(ExtensionType.SADB_EXT_SENSITIVITY, SadbSensFlyweight.ENCODED_LENGTH),
            Arguments.of(ExtensionType.SADB_EXT_SPIRANGE, SadbSpirangeFlyweight.ENCODED_LENGTH),
            Arguments.of(ExtensionType.SADB_X_EXT_POLICY, SadbXPolicyFlyweight.ENCODED_LENGTH),
            Arguments.of(ExtensionType.SADB_X_EXT_SA2, SadbXSa2Flyweight.ENCODED_LENGTH))
        .flatMap(
            a -> {
              int size = (int) a.get()[1];
              return IntStream.range(1, size / 8).mapToObj(w -> Arguments.of(a.get()[0], size, w));
            });
  }

  @ParameterizedTest(name = "{0} of {2} word(s), {1} bytes needed: EINVAL")
  @MethodSource("fixedStructures")
  void everyExtensionShorterThanItsStructureFailsWithEinval(
      ExtensionType type, int size, int words) {
    // An IPv4 sockaddr in the address extensions, as a well-formed message would carry.
    byte[] ext = new byte[words * 8];
    putU16(ext, 0, words);
    putU16(ext, 2, type.value());
    if (ext.length > 8) {
      ext[8] = 2; // sa_family=AF_INET
    }
    byte[] m = new byte[16 + ext.length];
    System.arraycopy(ADD, 0, m, 0, 16);
    putU16(m, 4, m.length / 8);
    System.arraycopy(ext, 0, m, 16, ext.length);
    assertThatThrownBy(() -> CODEC.decode(m))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
        .hasMessageContaining(type.name());
  }

  // ------------------------------------------------------------------ lengths that lie

  @ParameterizedTest(name = "{0}: {1} with sadb_ext_len=0: EINVAL")
  @MethodSource("everyExtension")
  void everyExtensionWithLengthZeroFailsWithEinval(String msg, String ext, byte[] m, int at) {
    byte[] bad = m.clone();
    putU16(bad, at, 0);
    assertThatThrownBy(() -> CODEC.decode(bad))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
        .hasMessageContaining("length=0 at offset " + at);
  }

  @ParameterizedTest(name = "{0}: {1} claiming the whole message and more: EINVAL")
  @MethodSource("everyExtension")
  void everyExtensionRunningPastTheMessageFailsWithEinval(
      String msg, String ext, byte[] m, int at) {
    byte[] bad = m.clone();
    putU16(bad, at, (m.length - at) / 8 + 1);
    assertThatThrownBy(() -> CODEC.decode(bad))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
        .hasMessageContaining("runs past the end of the message");
  }

  @ParameterizedTest(name = "sadb_msg_len={0} for a 26-word message: EMSGSIZE")
  @ValueSource(ints = {0, 1, 2, 25, 27, 0xFFFF})
  void messageLengthThatLiesFailsWithEmsgsize(int words) {
    byte[] bad = ADD.clone();
    putU16(bad, 4, words);
    assertThat(errnoOf(bad)).isEqualTo(Errno.EMSGSIZE);
  }

  // ------------------------------------------------------------------ duplicate and unknown

  @ParameterizedTest(name = "{0}: {1} twice: EINVAL unless the type is unknown")
  @MethodSource("everyExtension")
  void everyKnownExtensionTwiceFailsWithEinval(String msg, String ext, byte[] m, int at) {
    int len = u16(m, at) * 8;
    byte[] twice = new byte[m.length + len];
    System.arraycopy(m, 0, twice, 0, m.length);
    System.arraycopy(m, at, twice, m.length, len);
    putU16(twice, 4, twice.length / 8);
    int type = u16(m, at + 2);
    boolean decoded = ExtensionType.valueOf(type).filter(PfKeyCodec::decodes).isPresent();
    if (decoded) {
      assertThatThrownBy(() -> CODEC.decode(twice))
          .isInstanceOfSatisfying(
              PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
          .hasMessage("duplicate extension " + ext + " at offset " + m.length);
    } else {
      // §2.3: unknown extensions are skipped, so two of them are no conflict.
      assertThat(CODEC.decode(twice).extensions()).hasSize(extensionOffsets(m).size() + 1);
    }
  }

  @ParameterizedTest(name = "extension type {0}, unknown: kept and re-encoded as it came")
  @MethodSource("unknownExtensionTypes")
  void everyUnknownExtensionTypeIsKeptAndRoundTrips(int type) {
    byte[] m = new byte[ADD.length + 16];
    System.arraycopy(ADD, 0, m, 0, ADD.length);
    putU16(m, 4, m.length / 8);
    putU16(m, ADD.length, 2);
    putU16(m, ADD.length + 2, type);
    for (int i = 4; i < 16; i++) {
      m[ADD.length + i] = (byte) (0xA0 + i);
    }
    SadbMessage decoded = CODEC.decode(m);
    assertThat(decoded.find(type)).containsInstanceOf(UnknownExtension.class);
    assertThat(CODEC.encode(decoded)).isEqualTo(m);
  }

  static IntStream unknownExtensionTypes() {
    return IntStream.concat(IntStream.rangeClosed(1, 300), IntStream.of(0x7FFF, 0x8000, 0xFFFF))
        .filter(t -> ExtensionType.valueOf(t).filter(PfKeyCodec::decodes).isEmpty());
  }

  // ------------------------------------------------------------------ wrong families

  /**
   * Families a Linux PF_KEY socket refuses in an address extension (af_key.c {@code
   * pfkey_sockaddr_len}): AF_UNSPEC, AF_UNIX, the BSDs' AF_INET6 numbers (a BSD message on a Linux
   * socket), AF_KEY, AF_PACKET and beyond.
   */
  @ParameterizedTest(name = "sa_family={0} in SADB_EXT_ADDRESS_SRC: EINVAL")
  @ValueSource(ints = {0, 1, 3, 15, 17, 24, 28, 30, 0xFFFF})
  void addressOfAnUnsupportedFamilyFailsWithEinval(int family) {
    byte[] bad = ADD.clone();
    int src = extensionAt(ADD, ExtensionType.SADB_EXT_ADDRESS_SRC);
    putU16(bad, src + 8, family);
    assertThatThrownBy(() -> CODEC.decode(bad))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
        .hasMessageContaining("unsupported sa_family=" + family);
  }

  @ParameterizedTest(name = "sa_family={0} in a tunnel endpoint of SADB_X_EXT_POLICY: EINVAL")
  @ValueSource(ints = {0, 1, 17, 24})
  void tunnelEndpointOfAnUnsupportedFamilyFailsWithEinval(int family) {
    byte[] bad = SPDADD.clone();
    int policy = extensionAt(SPDADD, ExtensionType.SADB_X_EXT_POLICY);
    // sadb_x_policy (16) then sadb_x_ipsecrequest (16), then the source sockaddr.
    putU16(bad, policy + 32, family);
    assertThat(errnoOf(bad)).isEqualTo(Errno.EINVAL);
  }

  @ParameterizedTest(name = "AF_INET6 family in a {0}-byte AF_INET-sized address: EINVAL")
  @ValueSource(ints = {24})
  void ipv6FamilyInAnIpv4SizedExtensionFailsWithEinval(int size) {
    byte[] bad = ADD.clone();
    int dst = extensionAt(ADD, ExtensionType.SADB_EXT_ADDRESS_DST);
    assertThat(u16(ADD, dst) * 8).isEqualTo(size);
    putU16(bad, dst + 8, AddressFamily.AF_INET6.value());
    assertThatThrownBy(() -> CODEC.decode(bad))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
        .hasMessageContaining("truncated AF_INET6 sockaddr");
  }

  // ------------------------------------------------------------------ keys

  @ParameterizedTest(name = "{0} with sadb_key_bits=0: EINVAL")
  @ValueSource(strings = {"SADB_EXT_KEY_AUTH", "SADB_EXT_KEY_ENCRYPT"})
  void keyOfZeroBitsFailsWithEinval(String kind) {
    byte[] bad = ADD.clone();
    putU16(bad, extensionAt(ADD, ExtensionType.valueOf(kind)) + 4, 0);
    assertThat(errnoOf(bad)).isEqualTo(Errno.EINVAL);
  }

  @ParameterizedTest(name = "{0} with sadb_key_bits={1}, more than its data: EINVAL")
  @MethodSource("oversizedKeyBits")
  void keyClaimingMoreBitsThanItsDataFailsWithEinval(String kind, int bits) {
    byte[] bad = ADD.clone();
    putU16(bad, extensionAt(ADD, ExtensionType.valueOf(kind)) + 4, bits);
    assertThat(errnoOf(bad)).isEqualTo(Errno.EINVAL);
  }

  static Stream<Arguments> oversizedKeyBits() {
    // Both keys sit in 24 data bytes (192 bits).
    return Stream.of("SADB_EXT_KEY_AUTH", "SADB_EXT_KEY_ENCRYPT")
        .flatMap(
            k -> IntStream.of(193, 200, 256, 0x7FFF, 0xFFFF).mapToObj(b -> Arguments.of(k, b)));
  }

  @ParameterizedTest(name = "SADB_EXT_KEY_AUTH of the largest size the wire allows ({0} bits)")
  @ValueSource(ints = {0xFFF8})
  void largestKeyTheWireAllowsDecodes(int bits) {
    // 65528 bits = 8191 bytes: the model holds it; the engine's sanity checks refuse it (EINVAL).
    SadbMessage big =
        SadbMessage.of(
            MessageType.SADB_ADD,
            SaType.SADB_SATYPE_ESP,
            1,
            1,
            new KeyExtension(ExtensionType.SADB_EXT_KEY_AUTH, bits, new byte[bits / 8]));
    assertThat(CODEC.decode(CODEC.encode(big))).isEqualTo(big);
  }

  // ------------------------------------------------------------------ SPI ranges

  @ParameterizedTest(name = "SPI range min=0x{0} max=0x{1}: EINVAL")
  @MethodSource("upsideDownRanges")
  void spiRangeUpsideDownFailsWithEinval(String min, String max) {
    byte[] m =
        Hex.bytes(
            "02 01 00 03  04 00 00 00  01 00 00 00  02 00 00 00",
            "02 00 10 00",
            le32(Long.parseLong(min, 16)),
            le32(Long.parseLong(max, 16)),
            "00 00 00 00");
    assertThat(errnoOf(m)).isEqualTo(Errno.EINVAL);
  }

  static Stream<Arguments> upsideDownRanges() {
    return Stream.of(
        Arguments.of("00000101", "00000100"),
        Arguments.of("ffffffff", "00000000"),
        Arguments.of("80000000", "7fffffff"),
        Arguments.of("00000001", "00000000"));
  }

  private static String le32(long v) {
    return String.format(
        "%02x %02x %02x %02x", v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, (v >> 24) & 0xFF);
  }

  private static int extensionAt(byte[] m, ExtensionType type) {
    for (int at : extensionOffsets(m)) {
      if (u16(m, at + 2) == type.value()) {
        return at;
      }
    }
    throw new AssertionError("no " + type + " in the sample");
  }
}
