package org.ipsecemu.sadb.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.ipsecemu.sadb.print.PfKeyJson;
import org.ipsecemu.sadb.print.TreePrinter;

/**
 * Fuzzes the PF_KEY decoder with arbitrary bytes in all four wire formats. Without {@code
 * JAZZER_FUZZ} this runs the committed corpus under {@code PfKeyDecoderFuzzTestInputs/} as
 * regression tests; with it, Jazzer mutates from there (see SECURITY.md).
 *
 * <p>Invariants, beyond "no other exception escapes":
 *
 * <ul>
 *   <li>The decoder either returns a message whose {@code sadb_msg_len} covers exactly the bytes
 *       given, or throws {@link PfKeyException} with EINVAL or EMSGSIZE.
 *   <li>It reads nothing outside its window: the same bytes surrounded by garbage at an odd offset
 *       give the same message, or the same errno and reason.
 *   <li>A decoded message re-encodes to the same bytes up to what the codec documents as dropped
 *       (padding, reserved fields, bytes beyond a fixed structure; see the package comment): the
 *       header is byte-identical but for {@code sadb_msg_len}, the re-encoding decodes to the same
 *       extensions, and re-encoding that gives the same bytes again (a fixed point). Decoding the
 *       bytes the encoder wrote is therefore lossless.
 *   <li>The printers never fail on a decoded message, and JSON reads back to the same message.
 * </ul>
 */
class PfKeyDecoderFuzzTest {
  private static final WireFormat[] FORMATS = {
    WireFormat.LINUX,
    WireFormat.LINUX.withByteOrder(ByteOrder.BIG_ENDIAN),
    WireFormat.LINUX.withSockaddrLayout(SockaddrLayout.BSD),
    new WireFormat(ByteOrder.BIG_ENDIAN, SockaddrLayout.BSD),
  };

  /** Garbage around the message in the windowed decode; odd, so alignment is not assumed. */
  private static final int SLACK = 13;

  /**
   * The first byte picks the wire format (low two bits), the rest is the message.
   *
   * @param input Jazzer's bytes
   */
  @FuzzTest(maxDuration = "5m")
  void decodesOrReportsAnErrnoAndReencodesToTheSameBytes(byte[] input) {
    if (input.length == 0) {
      return;
    }
    WireFormat format = FORMATS[input[0] & 3];
    byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
    PfKeyCodec codec = new PfKeyCodec(format);

    SadbMessage m;
    try {
      m = codec.decode(bytes);
    } catch (PfKeyException e) {
      assertThat(e.errno()).isIn(Errno.EINVAL, Errno.EMSGSIZE);
      assertThat(e.reason()).isNotBlank();
      assertSameOutcomeInAWindow(codec, bytes, e);
      return;
    }
    assertThat(m.len() * 8L).isEqualTo(bytes.length);
    assertSameOutcomeInAWindow(codec, bytes, m);

    byte[] again = codec.encode(m);
    assertThat(again.length).isLessThanOrEqualTo(bytes.length);
    assertThat(Arrays.copyOfRange(again, 0, 4)).isEqualTo(Arrays.copyOfRange(bytes, 0, 4));
    assertThat(Arrays.copyOfRange(again, 6, 16)).isEqualTo(Arrays.copyOfRange(bytes, 6, 16));
    SadbMessage m2 = codec.decode(again);
    assertThat(m2.extensions()).isEqualTo(m.extensions());
    assertThat(m2.withReserved(m.reserved()))
        .isEqualTo(
            new SadbMessage(
                m.version(),
                m.type(),
                m.errno(),
                m.satype(),
                m.computedLen(),
                m.reserved(),
                m.seq(),
                m.pid(),
                m.extensions()));
    assertThat(codec.encode(m2)).isEqualTo(again);
    if (m.len() == m.computedLen()) {
      // Nothing was dropped from the length, so the input was canonical up to reserved bytes.
      assertThat(again.length).isEqualTo(bytes.length);
    }

    assertThat(new TreePrinter(codec).print(m)).isNotEmpty();
    assertThat(PfKeyJson.fromJson(PfKeyJson.toJson(m2))).isEqualTo(m2);
  }

  private static void assertSameOutcomeInAWindow(PfKeyCodec codec, byte[] bytes, Object expected) {
    byte[] big = new byte[SLACK + bytes.length + SLACK];
    Arrays.fill(big, (byte) 0xA5);
    System.arraycopy(bytes, 0, big, SLACK, bytes.length);
    Object actual;
    try {
      actual = codec.decode(ByteBuffer.wrap(big), SLACK, bytes.length);
    } catch (PfKeyException e) {
      actual = e;
    }
    if (expected instanceof PfKeyException e) {
      assertThat(actual).isInstanceOf(PfKeyException.class);
      PfKeyException a = (PfKeyException) actual;
      assertThat(a.errno()).isEqualTo(e.errno());
      assertThat(a.reason()).isEqualTo(e.reason());
    } else {
      assertThat(actual).isEqualTo(expected);
    }
  }
}
