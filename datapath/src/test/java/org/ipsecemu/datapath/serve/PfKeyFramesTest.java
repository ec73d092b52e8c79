package org.ipsecemu.datapath.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PromiscPayload;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.WireFormat;
import org.junit.jupiter.api.Test;

/** Where a stream of PF_KEY messages can no longer be believed. */
class PfKeyFramesTest {
  private static final PfKeyCodec LE = new PfKeyCodec(WireFormat.LINUX);
  private static final PfKeyCodec BE =
      new PfKeyCodec(WireFormat.LINUX.withByteOrder(ByteOrder.BIG_ENDIAN));

  @Test
  void messagesTheCodecWritesAreWellFramedInEitherByteOrder() {
    for (SadbMessage m :
        List.of(
            Km.register(1, 2),
            Km.getspi(Km.LOCAL, Km.PEER, 0x100, 0x1ff, 3, 4),
            Km.sa(MessageType.SADB_ADD, 0x1234, Km.LOCAL, Km.PEER, 5, 6, Km.soft(1), Km.hard(2)),
            Km.spdaddOut(Km.LOCAL, Km.PEER, 7, 8))) {
      for (PfKeyCodec c : List.of(LE, BE)) {
        byte[] b = c.encode(m);
        ByteOrder o = c.format().byteOrder();
        assertThat(PfKeyFrames.headerProblem(b, o)).isNull();
        assertThat(PfKeyFrames.length(b, o)).isEqualTo(b.length);
        assertThat(PfKeyFrames.extensionProblem(b, o)).isNull();
      }
    }
  }

  @Test
  void anExtensionOfLengthZeroOrPastTheMessageBreaksTheStream() {
    byte[] get = LE.encode(Km.get(1, Km.LOCAL, Km.PEER, 1, 1));
    byte[] zero = get.clone();
    ByteBuffer.wrap(zero).order(ByteOrder.LITTLE_ENDIAN).putShort(16, (short) 0);
    byte[] past = get.clone();
    ByteBuffer.wrap(past).order(ByteOrder.LITTLE_ENDIAN).putShort(16, (short) 40);

    assertThat(PfKeyFrames.extensionProblem(zero, ByteOrder.LITTLE_ENDIAN).errno())
        .isEqualTo(Errno.EINVAL);
    assertThat(PfKeyFrames.extensionProblem(past, ByteOrder.LITTLE_ENDIAN).reason())
        .contains("sadb_ext_len=40");
  }

  @Test
  void theDataFormOfPromiscIsNotWalked() {
    byte[] inner = LE.encode(Km.flush(1, 1));
    SadbMessage promisc =
        new SadbMessage(
            SadbMessage.PF_KEY_V2,
            MessageType.SADB_X_PROMISC,
            0,
            0,
            0,
            0,
            0,
            List.of(new PromiscPayload(inner)));

    assertThat(PfKeyFrames.extensionProblem(LE.encode(promisc), ByteOrder.LITTLE_ENDIAN)).isNull();
  }

  @Test
  void aHeaderOfAnotherVersionOrTooShortALengthBreaksTheStream() {
    byte[] h = LE.encode(Km.flush(1, 1));
    byte[] v1 = h.clone();
    v1[0] = 1;
    byte[] len1 = h.clone();
    len1[4] = 1;

    assertThat(PfKeyFrames.headerProblem(v1, ByteOrder.LITTLE_ENDIAN).errno())
        .isEqualTo(Errno.EINVAL);
    assertThat(PfKeyFrames.headerProblem(len1, ByteOrder.LITTLE_ENDIAN).errno())
        .isEqualTo(Errno.EMSGSIZE);
  }

  @Test
  void theErrorReplyIsAFramableHeaderWithTheRequestsFields() {
    byte[] sent = {7, 99, 0, 3, 9, 0, 5, 0, 1, 0, 0, 0, 2, 0, 0, 0};

    byte[] reply = PfKeyFrames.errorReply(sent, 16, Errno.EINVAL, ByteOrder.LITTLE_ENDIAN);

    assertThat(reply)
        .containsExactly(2, 99, Errno.EINVAL.number(), 3, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0);
    assertThat(PfKeyFrames.errorReply(sent, 3, Errno.EMSGSIZE, ByteOrder.BIG_ENDIAN))
        .containsExactly(2, 99, Errno.EMSGSIZE.number(), 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
