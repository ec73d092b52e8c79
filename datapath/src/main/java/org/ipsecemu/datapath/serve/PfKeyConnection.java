package org.ipsecemu.datapath.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.engine.Privilege;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * One accepted connection: one PF_KEY socket of the engine, a reader thread and a writer thread
 * (see {@link PfKeyServer}).
 *
 * <p>Ordering: the engine processes a message synchronously, so when the reader has handed a
 * message over, every reply to it is already in the engine socket's queue. Replies the connection
 * makes itself (an error for a message the engine would not take, the last word on a broken stream)
 * wait in a local queue, and the writer empties the engine's queue before it, so they never
 * overtake a reply to an earlier message.
 *
 * <p>The writer waits on the engine socket's queue; the reader wakes it for a local reply or the
 * end by interrupting it, but only while it is inside that wait (under {@code this}), because an
 * interrupt that reached a channel write would close the channel.
 */
final class PfKeyConnection {
  /** How long the writer waits on the queue before looking again; wake-ups come sooner. */
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final PfKeyServer server;
  private final int number;
  private final long pid;
  private final SocketChannel channel;
  private final ByteOrder order;
  private final PfKeyCodec codec;
  private final ConcurrentLinkedQueue<byte[]> local = new ConcurrentLinkedQueue<>();
  private final Thread reader;
  private volatile Thread writer;
  private volatile PfKeySocket socket;
  private volatile Errno refusal;
  private volatile boolean ending;
  private volatile boolean brokenStream;
  private boolean writerWaiting; // guarded by this
  private volatile String endReason = "closed by peer";

  PfKeyConnection(PfKeyServer server, int number, long pid, SocketChannel channel) {
    this.server = server;
    this.number = number;
    this.pid = pid;
    this.channel = channel;
    this.codec = server.engine().codec();
    this.order = codec.format().byteOrder();
    this.reader = new Thread(this::read, "pfkey-" + number + "-reader");
    reader.setDaemon(true);
  }

  int number() {
    return number;
  }

  /**
   * Judges the peer and opens its engine socket, in the accepting thread so that connections join
   * the engine in the order they were accepted, then starts the threads.
   */
  void start() {
    UnixDomainPrincipal peer = peer();
    String who = describe(peer);
    String why = null;
    if (peer == null || !server.access().permits(peer)) {
      refusal = Errno.EPERM;
      why = "not permitted (allowed: " + server.access() + ")";
    } else {
      try {
        socket =
            server
                .engine()
                .open(new Credentials(pid, uidOf(peer.user()), EnumSet.allOf(Privilege.class)));
      } catch (PfKeyException e) {
        refusal = e.errno();
        why = e.reason();
      }
    }
    if (refusal != null) {
      server.countRefused();
      server.log(
          "pfkey: connection " + number + " refused " + refusal.name() + ": " + who + " " + why);
    } else {
      server.log("pfkey: connection " + number + " opened: " + who + " pid=" + pid);
      Thread w = new Thread(this::write, "pfkey-" + number + "-writer");
      w.setDaemon(true);
      writer = w;
      w.start();
    }
    reader.start();
  }

  // ====================================================================== reader

  private void read() {
    try {
      if (refusal != null) {
        refuse(refusal);
      } else {
        readMessages();
      }
    } catch (IOException | RuntimeException e) {
      endReason = ending ? endReason : "read failed: " + e;
    } finally {
      if (writer == null) {
        finish();
      } else {
        wakeWriter(true);
      }
    }
  }

  private UnixDomainPrincipal peer() {
    try {
      return channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    } catch (IOException | UnsupportedOperationException e) {
      return null; // no credentials: no privilege
    }
  }

  private void readMessages() throws IOException {
    byte[] header = new byte[PfKeyFrames.HEADER_LENGTH];
    while (!ending) {
      int n = readFully(header, 0, header.length);
      if (n == 0) {
        return; // end of stream between messages: the client closed
      }
      if (n < header.length) {
        breakStream(
            header, n, Errno.EMSGSIZE, "stream ended " + n + " bytes into a sadb_msg header");
        return;
      }
      PfKeyFrames.Problem p = PfKeyFrames.headerProblem(header, order);
      if (p != null) {
        breakStream(header, n, p.errno(), p.reason());
        return;
      }
      int length = PfKeyFrames.length(header, order);
      byte[] message = new byte[length];
      System.arraycopy(header, 0, message, 0, header.length);
      int body = readFully(message, header.length, length - header.length);
      if (body < length - header.length) {
        breakStream(
            header,
            header.length,
            Errno.EMSGSIZE,
            "stream ended "
                + (header.length + body)
                + " bytes into a message of sadb_msg_len="
                + length / 8);
        return;
      }
      p = PfKeyFrames.extensionProblem(message, order);
      if (p != null) {
        breakStream(header, header.length, p.errno(), p.reason());
        return;
      }
      try {
        socket.send(message);
      } catch (PfKeyException e) {
        // What a kernel reports by failing send(2) (§1.6): the stream is intact, so the client
        // hears it as a reply and goes on.
        reply(PfKeyFrames.errorReply(header, header.length, e.errno(), order));
      }
    }
  }

  /** Reads until {@code len} bytes or the end of the stream; returns how many were read. */
  private int readFully(byte[] b, int off, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
    while (buf.hasRemaining()) {
      if (channel.read(buf) < 0) {
        break;
      }
    }
    return buf.position() - off;
  }

  private void breakStream(byte[] header, int available, Errno e, String reason) {
    server.countBroken();
    brokenStream = true;
    endReason = "stream broken, " + e.name() + ": " + reason;
    reply(PfKeyFrames.errorReply(header, available, e, order));
  }

  /**
   * Refuses a peer as {@code socket(2)} would, but on the first message, so that the client reads
   * the refusal as the reply to what it sent: reads that message whole (leaving nothing unread, so
   * the client sees a clean end of stream), answers it with the errno, and closes.
   */
  private void refuse(Errno e) throws IOException {
    endReason = "refused";
    byte[] header = new byte[PfKeyFrames.HEADER_LENGTH];
    int n = readFully(header, 0, header.length);
    if (n == header.length && PfKeyFrames.headerProblem(header, order) == null) {
      int rest = PfKeyFrames.length(header, order) - header.length;
      readFully(new byte[rest], 0, rest);
    }
    if (n > 0) {
      writeAll(PfKeyFrames.errorReply(header, n, e, order));
    }
  }

  // ====================================================================== writer

  private void reply(byte[] message) {
    local.add(message);
    wakeWriter(false);
  }

  private void wakeWriter(boolean end) {
    synchronized (this) {
      if (end) {
        ending = true;
      }
      if (writerWaiting) {
        writer.interrupt();
      }
    }
  }

  private void write() {
    try {
      while (true) {
        byte[] out = socket.receiveBytes();
        if (out == null) {
          out = local.poll();
        }
        if (out != null) {
          writeAll(out);
          continue;
        }
        SadbMessage m;
        synchronized (this) {
          if (ending && local.isEmpty() && socket.pending() == 0) {
            break;
          }
          if (ending || !local.isEmpty()) {
            continue;
          }
          writerWaiting = true;
        }
        try {
          m = socket.receive(WAIT);
        } catch (InterruptedException woken) {
          m = null;
        } catch (PfKeyException undecodable) {
          // Raw bytes injected with SADB_X_PROMISC that do not decode, met in the timed wait
          // (which decodes): lost, as a kernel may lose a message (§1.4).
          m = null;
        } finally {
          synchronized (this) {
            writerWaiting = false;
            Thread.interrupted();
          }
        }
        if (m != null) {
          writeAll(codec.encode(m));
        }
      }
      if (brokenStream) {
        discardUnread();
      }
    } catch (IOException | RuntimeException e) {
      if (!ending) {
        endReason = "write failed: " + e.getMessage();
      }
    } finally {
      finish();
    }
  }

  private void writeAll(byte[] b) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b);
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  /**
   * Reads what the client already sent past a broken message, so that closing does not turn its end
   * of stream into a connection reset (Linux resets a Unix stream closed with unread data).
   */
  private void discardUnread() throws IOException {
    channel.configureBlocking(false);
    ByteBuffer sink = ByteBuffer.allocate(8192);
    for (int i = 0; i < 64; i++) {
      sink.clear();
      if (channel.read(sink) <= 0) {
        return;
      }
    }
  }

  // ====================================================================== end

  /**
   * Ends the connection: the engine socket first (its registrations end), then the bookkeeping and
   * the log line, the stream last, so that a client that sees its stream end sees all the rest
   * done.
   */
  private void finish() {
    PfKeySocket s = socket;
    if (s != null) {
      s.close();
    }
    if (server.endedOnce(this)) {
      server.log("pfkey: connection " + number + " closed: " + endReason);
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing is all that was left to do
    }
  }

  /** Closes at once, without draining (server shutdown). */
  void close() {
    endReason = "server shutting down";
    ending = true;
    try {
      channel.close(); // wakes the reader; the writer's next write fails
    } catch (IOException ignored) {
      // closed anyway
    }
    wakeWriter(true);
    if (!reader.isAlive() && writer == null) {
      finish();
    }
  }

  /** Waits for both threads to end. */
  void awaitEnd() {
    try {
      reader.join();
      Thread w = writer;
      if (w != null) {
        w.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ====================================================================== who

  private static String describe(UnixDomainPrincipal p) {
    if (p == null) {
      return "peer credentials unavailable";
    }
    return "user=" + p.user().getName() + " group=" + p.group().getName();
  }

  /**
   * The numeric uid for {@link Credentials} (used for printing): 0 for root, the name itself when
   * the JDK gave a number (a uid without a name), else the /etc/passwd entry; -1 when unknown.
   */
  static int uidOf(UserPrincipal user) {
    String name = user.getName();
    if (name.chars().allMatch(Character::isDigit) && !name.isEmpty() && name.length() < 10) {
      return Integer.parseInt(name);
    }
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
        String[] f = line.split(":", -1);
        if (f.length > 2 && f[0].equals(name)) {
          return Integer.parseInt(f[2]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
