package org.ipsecemu.sadb.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips and robustness of {@link PfKeyCodec} over generated messages and random bytes. */
class PfKeyCodecPropertyTest {

  @Provide
  Arbitrary<SadbMessage> messages() {
    return Messages.messages();
  }

  @Provide
  Arbitrary<WireFormat> formats() {
    return Messages.formats();
  }

  @Property(tries = 500)
  void decodeOfEncodeGivesBackTheMessage(
      @ForAll("messages") SadbMessage message, @ForAll("formats") WireFormat format) {
    PfKeyCodec codec = new PfKeyCodec(format);
    assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
  }

  @Property(tries = 200)
  void encodeOfDecodeGivesBackCanonicalBytes(
      @ForAll("messages") SadbMessage message, @ForAll("formats") WireFormat format) {
    PfKeyCodec codec = new PfKeyCodec(format);
    byte[] canonical = codec.encode(message);
    assertThat(codec.encode(codec.decode(canonical))).isEqualTo(canonical);
  }

  @Property(tries = 200)
  void encodeWritesEveryByteWhateverTheBufferHeld(
      @ForAll("messages") SadbMessage message,
      @ForAll("formats") WireFormat format,
      @ForAll byte fill,
      @ForAll @IntRange(min = 0, max = 32) int offset) {
    PfKeyCodec codec = new PfKeyCodec(format);
    byte[] clean = codec.encode(message);
    byte[] space = new byte[offset + clean.length + 8];
    java.util.Random r = new java.util.Random(fill);
    r.nextBytes(space);
    codec.encode(message, ByteBuffer.wrap(space), offset);
    assertThat(Arrays.copyOfRange(space, offset, offset + clean.length)).isEqualTo(clean);
  }

  @Property(tries = 2000)
  void decodingRandomBytesGivesAMessageOrAPfKeyException(
      @ForAll @Size(max = 200) byte[] bytes, @ForAll("formats") WireFormat format) {
    decodeOrReject(new PfKeyCodec(format), bytes);
  }

  /** Random bodies behind a header that passes the length check reach the extension parser. */
  @Property(tries = 2000)
  void decodingRandomExtensionsGivesAMessageOrAPfKeyException(
      @ForAll @Size(max = 30) java.util.List<Long> words,
      @ForAll @IntRange(min = 0, max = 30) int type,
      @ForAll("formats") WireFormat format) {
    ByteBuffer b = ByteBuffer.allocate(16 + 8 * words.size()).order(format.byteOrder());
    b.put((byte) 2).put((byte) type).put((byte) 0).put((byte) 3);
    b.putShort((short) (2 + words.size())).putShort((short) 0).putInt(1).putInt(2);
    words.forEach(b::putLong);
    decodeOrReject(new PfKeyCodec(format), b.array());
  }

  /** Valid messages with a few bytes changed: the deepest paths of the decoder. */
  @Property(tries = 1500)
  void decodingCorruptedMessagesGivesAMessageOrAPfKeyException(
      @ForAll("messages") SadbMessage message,
      @ForAll("formats") WireFormat format,
      @ForAll("corruptions") int[] corruption) {
    PfKeyCodec codec = new PfKeyCodec(format);
    byte[] bytes = codec.encode(message);
    for (int i = 0; i + 1 < corruption.length; i += 2) {
      int at = Math.floorMod(corruption[i], bytes.length);
      bytes[at] = (byte) corruption[i + 1];
    }
    decodeOrReject(codec, bytes);
  }

  @Provide
  Arbitrary<int[]> corruptions() {
    return Arbitraries.integers().array(int[].class).ofMinSize(2).ofMaxSize(8);
  }

  private static void decodeOrReject(PfKeyCodec codec, byte[] bytes) {
    try {
      SadbMessage m = codec.decode(bytes);
      assertThat(m.len() * 8).isEqualTo(bytes.length);
    } catch (PfKeyException expected) {
      assertThat(expected.errno()).isIn(Errno.EINVAL, Errno.EMSGSIZE);
    }
  }
}
