package org.ipsecemu.datapath.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.WireFormat;

/**
 * A key manager's end of a served PF_KEY connection, over the real Unix socket: writes messages,
 * reads whole messages framed by {@code sadb_msg_len}. Reads block; the tests bound them with
 * JUnit's timeout.
 */
final class PfKeyClient implements AutoCloseable {
  final SocketChannel channel;
  final PfKeyCodec codec;

  /** Messages read while looking for another, in order. */
  final List<SadbMessage> seen = new ArrayList<>();

  private PfKeyClient(SocketChannel channel, PfKeyCodec codec) {
    this.channel = channel;
    this.codec = codec;
  }

  static PfKeyClient connect(Path path) {
    return connect(path, WireFormat.DEFAULT);
  }

  static PfKeyClient connect(Path path, WireFormat format) {
    try {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(path));
      return new PfKeyClient(ch, new PfKeyCodec(format));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(SadbMessage m) {
    sendRaw(codec.encode(m));
  }

  void sendRaw(byte[] bytes) {
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        channel.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next message's bytes, or null at the end of the stream (a reset counts as the end). */
  byte[] receiveRaw() {
    byte[] header = new byte[16];
    if (read(header, 0, 16) < 16) {
      return null;
    }
    int len = PfKeyFrames.length(header, codec.format().byteOrder());
    byte[] m = new byte[len];
    System.arraycopy(header, 0, m, 0, 16);
    if (read(m, 16, len - 16) < len - 16) {
      throw new AssertionError("stream ended inside a message");
    }
    return m;
  }

  /** The next message; fails at the end of the stream. */
  SadbMessage receive() {
    byte[] m = receiveRaw();
    if (m == null) {
      throw new AssertionError("connection closed; seen before: " + seen);
    }
    return codec.decode(m);
  }

  /** Reads until a message matches, keeping the others in {@link #seen}. */
  SadbMessage receiveUntil(Predicate<SadbMessage> p) {
    while (true) {
      SadbMessage m = receive();
      if (p.test(m)) {
        return m;
      }
      seen.add(m);
    }
  }

  /** Sends and reads until the reply of the same type, seq and pid. */
  SadbMessage call(SadbMessage request) {
    send(request);
    return receiveUntil(
        m -> m.type() == request.type() && m.seq() == request.seq() && m.pid() == request.pid());
  }

  /** Whether the server closed the stream (reads until the end; messages before it are kept). */
  boolean closedByServer() {
    while (true) {
      byte[] m = receiveRaw();
      if (m == null) {
        return true;
      }
      seen.add(codec.decode(m));
    }
  }

  private int read(byte[] b, int off, int len) {
    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
    try {
      while (buf.hasRemaining()) {
        if (channel.read(buf) < 0) {
          break;
        }
      }
    } catch (IOException reset) {
      // "Connection reset by peer" is an end of stream too.
    }
    return buf.position() - off;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
