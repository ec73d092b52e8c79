package org.ipsecemu.datapath.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.ipsecemu.datapath.pipeline.PacketContext;

/**
 * The control socket of {@code ipsec-emu serve --control PATH}: a Unix domain stream socket
 * speaking the JSON-lines protocol of {@link ControlHandler}, to send packets through the datapath
 * and move the clock from outside. Same file mode (0600) and same peers ({@link PeerAccess}) as the
 * PF_KEY socket; a refused peer reads one {@code {"error":"EPERM …"}} line and is closed.
 *
 * <p>One thread per connection reads a line, has it answered and writes the answer, so a
 * connection's answers come in the order of its requests. A line longer than {@link #MAX_LINE}
 * bytes is answered with an error and skipped; nothing a client sends closes its connection.
 */
public final class ControlServer implements AutoCloseable {
  /** The longest request line: a 65535-byte packet in hex, with room for the rest. */
  public static final int MAX_LINE = 256 * 1024;

  private final ControlHandler handler;
  private final PeerAccess access;
  private final UnixSocketFile socketFile;
  private final Consumer<String> log;
  private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger nextNumber = new AtomicInteger(1);
  private final Thread acceptor;
  private volatile boolean closed;

  private ControlServer(
      ControlHandler handler, PeerAccess access, UnixSocketFile socketFile, Consumer<String> log) {
    this.handler = handler;
    this.access = access;
    this.socketFile = socketFile;
    this.log = log;
    this.acceptor = new Thread(this::acceptLoop, "control-accept " + socketFile.path());
    acceptor.setDaemon(true);
  }

  /**
   * Binds {@code path} (mode 0600) and starts answering.
   *
   * @throws IOException when the path cannot be bound
   */
  public static ControlServer start(
      ControlHandler handler, Path path, PeerAccess access, Consumer<String> log)
      throws IOException {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(log, "log");
    ControlServer s = new ControlServer(handler, access, UnixSocketFile.bind(path), log);
    s.acceptor.start();
    return s;
  }

  /** The socket file's path. */
  public Path path() {
    return socketFile.path();
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel ch;
      try {
        ch = socketFile.channel().accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closed) {
          return;
        }
        log.accept("control: accept failed: " + e.getMessage());
        continue;
      }
      Session s = new Session(nextNumber.getAndIncrement(), ch);
      sessions.put(s.number, s);
      if (closed) {
        s.close();
        return;
      }
      try {
        s.thread.start();
      } catch (RuntimeException | Error e) {
        log.accept("control: connection " + s.number + " could not start: " + e);
        sessions.remove(s.number);
        s.close();
      }
    }
  }

  /** Stops accepting, closes every connection and removes the socket file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      socketFile.close();
    } catch (IOException e) {
      log.accept("control: removing " + socketFile.path() + " failed: " + e.getMessage());
    }
    for (Session s : sessions.values()) {
      s.close();
    }
    try {
      acceptor.join();
      for (Session s : sessions.values()) {
        s.thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One connection: read a line, answer it, until the end of the stream. */
  private final class Session {
    final int number;
    final SocketChannel channel;
    final Thread thread;
    final PacketContext ctx = new PacketContext();
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private byte[] line = new byte[1024];
    private int lineLength;
    private boolean skipping;
    private boolean overLong;

    Session(int number, SocketChannel channel) {
      this.number = number;
      this.channel = channel;
      this.thread = new Thread(this::run, "control-" + number);
      thread.setDaemon(true);
    }

    private void run() {
      String why = "closed by peer";
      try {
        UnixDomainPrincipal peer = peer();
        if (peer == null || !access.permits(peer)) {
          log.accept(
              "control: connection "
                  + number
                  + " refused EPERM: "
                  + (peer == null
                      ? "peer credentials unavailable"
                      : "user=" + peer.user().getName() + " group=" + peer.group().getName()));
          write(ControlHandler.errorLine("EPERM: not permitted (allowed: " + access + ")"));
          why = "refused";
          discardUnread();
          return;
        }
        log.accept(
            "control: connection "
                + number
                + " opened: user="
                + peer.user().getName()
                + " group="
                + peer.group().getName());
        while (readInto()) {
          for (String l = nextLine(); l != null; l = nextLine()) {
            answer(l);
          }
        }
        if (lineLength > 0 && !skipping) {
          answer(new String(line, 0, lineLength, StandardCharsets.UTF_8)); // no final newline
        }
      } catch (IOException e) {
        why = closed ? "server shutting down" : "connection failed: " + e.getMessage();
      } finally {
        sessions.remove(number);
        log.accept("control: connection " + number + " closed: " + why);
        close();
      }
    }

    private void answer(String l) throws IOException {
      String answer;
      if (overLong) {
        overLong = false;
        answer = ControlHandler.errorLine("line longer than " + MAX_LINE + " bytes: skipped");
      } else {
        answer = handler.handle(l, ctx);
      }
      if (answer != null) {
        write(answer);
      }
    }

    private UnixDomainPrincipal peer() {
      try {
        return channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      } catch (IOException | UnsupportedOperationException e) {
        return null;
      }
    }

    /** Reads more bytes into {@link #in} (flipped for reading); false at the end of stream. */
    private boolean readInto() throws IOException {
      in.clear();
      int n = channel.read(in);
      in.flip();
      return n >= 0;
    }

    /**
     * The next complete line of what was read, or null when more bytes are needed. A line past the
     * limit comes back empty, once, at its end, with {@link #overLong} set.
     */
    private String nextLine() {
      while (in.hasRemaining()) {
        byte b = in.get();
        if (b == '\n') {
          if (skipping) {
            skipping = false;
            overLong = true;
            lineLength = 0;
            return "";
          }
          int len = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
          String s = new String(line, 0, len, StandardCharsets.UTF_8);
          lineLength = 0;
          return s;
        }
        if (skipping) {
          continue;
        }
        if (lineLength == MAX_LINE) {
          skipping = true;
          lineLength = 0;
          continue;
        }
        if (lineLength == line.length) {
          line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
        }
        line[lineLength++] = b;
      }
      return null;
    }

    /**
     * Reads what the refused client already sent, so that closing does not turn the end of its
     * stream into a reset (Linux resets a Unix stream closed with unread data).
     */
    private void discardUnread() throws IOException {
      channel.configureBlocking(false);
      for (int i = 0; i < 64; i++) {
        in.clear();
        if (channel.read(in) <= 0) {
          return;
        }
      }
    }

    private void write(String answer) throws IOException {
      ByteBuffer b = ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        channel.write(b);
      }
    }

    void close() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closed anyway
      }
    }
  }
}
