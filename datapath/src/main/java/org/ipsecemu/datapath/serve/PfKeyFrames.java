package org.ipsecemu.datapath.serve;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SadbExtFlyweight;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SadbMsgFlyweight;

/**
 * PF_KEY messages on a byte stream. A PF_KEY socket is a datagram socket (RFC 2367 §1.3, SOCK_RAW):
 * each {@code write} is one message. On a stream the only boundary is the message's own {@code
 * sadb_msg_len} (§2.1, in 64-bit words), so a stream whose lengths cannot be believed cannot be
 * read any further. This class draws that line:
 *
 * <ul>
 *   <li>the stream is broken when a header's {@code sadb_msg_version} is not PF_KEY_V2 (EINVAL:
 *       garbage, or the reader lost its place), when {@code sadb_msg_len} is below 2 (EMSGSIZE: not
 *       even a header), or when the extensions (§2.3, each {@code sadb_ext_len} words) do not fill
 *       {@code sadb_msg_len} exactly (EINVAL, the codec's errno for an extension of length 0 or
 *       running past its message): either length lies, and the next message would start in the
 *       wrong place. The connection gets a reply with that errno and is closed;
 *   <li>every other defect (a reserved field, an unknown type, a bad value) leaves the boundaries
 *       intact: the Key Engine answers it with {@code sadb_msg_errno} as it would on a real socket,
 *       and the connection goes on.
 * </ul>
 *
 * The data form of SADB_X_PROMISC (Appendix A) carries a whole message after its header instead of
 * extensions, so its contents are not walked.
 */
final class PfKeyFrames {
  /** The base header's size, {@code sizeof(struct sadb_msg)}. */
  static final int HEADER_LENGTH = SadbMessage.HEADER_LENGTH;

  /** A defect that ends the stream, with the errno its reply carries. */
  record Problem(Errno errno, String reason) {}

  private PfKeyFrames() {}

  /** The message's length in bytes, {@code sadb_msg_len × 8}, read from a 16-byte header. */
  static int length(byte[] header, ByteOrder order) {
    return new SadbMsgFlyweight().wrap(ByteBuffer.wrap(header), 0, order).len() * 8;
  }

  /** Why this header breaks the stream, or null when its length can be believed. */
  static Problem headerProblem(byte[] header, ByteOrder order) {
    SadbMsgFlyweight h = new SadbMsgFlyweight().wrap(ByteBuffer.wrap(header), 0, order);
    if (h.version() != SadbMessage.PF_KEY_V2) {
      return new Problem(
          Errno.EINVAL,
          "sadb_msg_version=" + h.version() + " (expected: PF_KEY_V2=2): not a PF_KEY stream");
    }
    if (h.len() < 2) {
      return new Problem(
          Errno.EMSGSIZE,
          "sadb_msg_len=" + h.len() + " (expected: 2+ words, the header alone is 2)");
    }
    return null;
  }

  /**
   * Why the extensions of a whole message do not fill it exactly, or null when they do (or it is
   * the data form of SADB_X_PROMISC).
   */
  static Problem extensionProblem(byte[] message, ByteOrder order) {
    if ((message[SadbMsgFlyweight.TYPE_OFFSET] & 0xFF) == MessageType.SADB_X_PROMISC.value()) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.wrap(message);
    SadbExtFlyweight ext = new SadbExtFlyweight();
    int off = HEADER_LENGTH;
    while (off < message.length) {
      if (message.length - off < SadbExtFlyweight.ENCODED_LENGTH) {
        return new Problem(
            Errno.EINVAL,
            "extension header cut short offset=" + off + " sadb_msg_len=" + message.length / 8);
      }
      ext.wrap(buf, off, order);
      int bytes = ext.len() * 8;
      if (bytes == 0 || bytes > message.length - off) {
        return new Problem(
            Errno.EINVAL,
            "sadb_ext_len="
                + ext.len()
                + " sadb_ext_type="
                + ext.type()
                + " offset="
                + off
                + " does not fit sadb_msg_len="
                + message.length / 8);
      }
      off += bytes;
    }
    return null;
  }

  /**
   * The reply to a message the server answers itself: its base header, as far as it was read (zeros
   * beyond), with {@code sadb_msg_errno} set, {@code sadb_msg_len} 2 and the version PF_KEY_V2, so
   * that a client can frame it whatever it sent.
   */
  static byte[] errorReply(byte[] header, int available, Errno errno, ByteOrder order) {
    byte[] reply = new byte[HEADER_LENGTH];
    System.arraycopy(header, 0, reply, 0, Math.min(Math.min(available, header.length), 16));
    new SadbMsgFlyweight()
        .wrap(ByteBuffer.wrap(reply), 0, order)
        .version(SadbMessage.PF_KEY_V2)
        .errno(errno.number())
        .len(2)
        .reserved(0);
    return reply;
  }
}
