package org.ipsecemu.datapath.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The client end of a control socket: writes request lines, reads answer lines. */
final class ControlClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final SocketChannel channel;
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();

  private ControlClient(SocketChannel channel) {
    this.channel = channel;
  }

  static ControlClient connect(Path path) {
    try {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(path));
      return new ControlClient(ch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(String text) {
    try {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        channel.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next answer line, or null at the end of the stream. */
  String readLine() {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      while (true) {
        if (!in.hasRemaining()) {
          in.clear();
          int n = channel.read(in);
          in.flip();
          if (n < 0) {
            return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
          }
          continue;
        }
        byte b = in.get();
        if (b == '\n') {
          return line.toString(StandardCharsets.UTF_8);
        }
        line.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one request line and parses its answer. */
  JsonNode ask(String request) {
    write(request + "\n");
    return parse(readLine());
  }

  static JsonNode parse(String line) {
    if (line == null) {
      throw new AssertionError("control connection closed");
    }
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("answer is not JSON: " + line, e);
    }
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
