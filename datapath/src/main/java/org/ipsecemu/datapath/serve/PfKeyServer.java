package org.ipsecemu.datapath.serve;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.ipsecemu.sadb.engine.KeyEngine;

/**
 * The Key Engine's PF_KEY sockets for processes outside the JVM: a Unix domain stream socket where
 * every accepted connection is one PF_KEY socket of RFC 2367 §1.3, speaking the PF_KEY v2 wire
 * format in the engine's {@link org.ipsecemu.sadb.wire.WireFormat} (host byte order, sockaddr
 * layout), each message framed by its own {@code sadb_msg_len}.
 *
 * <p>Everything the engine does for in-process sockets it does here, because each connection
 * <em>is</em> an engine socket: replies to the sender, to all or to registered sockets (§1.4,
 * §3.1), errors in {@code sadb_msg_errno}, SADB_ACQUIRE and SADB_EXPIRE pushed as they happen. Only
 * permitted peers ({@link PeerAccess}, judged by {@code SO_PEERCRED}) get one; others get EPERM in
 * reply to their first message and are closed. A stream that breaks its framing ({@link
 * PfKeyFrames}) gets an error reply and is closed; other connections and the engine are untouched.
 *
 * <p>Each connection has a reader thread, which hands whole messages to the engine (synchronously,
 * as {@code send(2)} on a PF_KEY socket), and a writer thread, which drains the engine socket's
 * bounded receive queue to the connection. The engine never waits on a client: when a client does
 * not read, its queue fills and the engine drops and counts messages for it (§1.4 "delivery is not
 * guaranteed"), as a kernel does for a full socket buffer.
 *
 * <p>When a connection joins: {@code connect(2)} returns once the connection is queued, a little
 * before the server accepts it and opens its engine socket, in the order connections arrive. A
 * client that must not miss what other clients cause right after it connected makes one request
 * first and waits for the reply (every key manager starts with SADB_REGISTER anyway); from then on
 * it sees everything, as a PF_KEY socket does from {@code socket(2)} on.
 *
 * <p>Process ids: the JDK reads a peer's user and group from {@code SO_PEERCRED} but not its pid,
 * so each connection gets a pid of its own above Linux's largest ({@code PID_MAX_LIMIT}, 2^22): the
 * n-th connection is pid {@code 4194304 + n}. It matters only to the data form of SADB_X_PROMISC
 * (Appendix A), which addresses sockets by pid; replies carry whatever {@code sadb_msg_pid} the
 * client sent.
 */
public final class PfKeyServer implements AutoCloseable {
  /** Linux's {@code PID_MAX_LIMIT}: no real process has this pid or a larger one. */
  public static final long FIRST_PID = 1L << 22;

  private final KeyEngine engine;
  private final PeerAccess access;
  private final UnixSocketFile socketFile;
  private final Consumer<String> log;
  private final Map<Integer, PfKeyConnection> connections = new ConcurrentHashMap<>();
  private final AtomicInteger nextNumber = new AtomicInteger(1);
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong broken = new AtomicLong();
  private final Thread acceptor;
  private volatile boolean closed;

  private PfKeyServer(
      KeyEngine engine, PeerAccess access, UnixSocketFile socketFile, Consumer<String> log) {
    this.engine = engine;
    this.access = access;
    this.socketFile = socketFile;
    this.log = log;
    this.acceptor = new Thread(this::acceptLoop, "pfkey-accept " + socketFile.path());
    acceptor.setDaemon(true);
  }

  /**
   * Binds {@code path} (mode 0600, see {@link UnixSocketFile}) and starts accepting connections.
   *
   * @param log receives one line per connection event (opened, refused, closed and why); never a
   *     key
   * @throws IOException when the path cannot be bound (in use, not a socket, too long)
   */
  public static PfKeyServer start(
      KeyEngine engine, Path path, PeerAccess access, Consumer<String> log) throws IOException {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(log, "log");
    PfKeyServer s = new PfKeyServer(engine, access, UnixSocketFile.bind(path), log);
    s.acceptor.start();
    return s;
  }

  /** {@link #start(KeyEngine, Path, PeerAccess, Consumer)} without a log. */
  public static PfKeyServer start(KeyEngine engine, Path path, PeerAccess access)
      throws IOException {
    return start(engine, path, access, line -> {});
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
        log.accept("pfkey: accept failed: " + e.getMessage());
        continue;
      }
      int n = nextNumber.getAndIncrement();
      accepted.incrementAndGet();
      PfKeyConnection c = new PfKeyConnection(this, n, FIRST_PID + n, ch);
      connections.put(n, c);
      if (closed) {
        c.close();
        return;
      }
      try {
        c.start();
      } catch (RuntimeException | Error e) {
        // No thread to be had, say: this connection fails, the server goes on accepting.
        log.accept("pfkey: connection " + n + " could not start: " + e);
        c.close();
      }
    }
  }

  KeyEngine engine() {
    return engine;
  }

  PeerAccess access() {
    return access;
  }

  void log(String line) {
    log.accept(line);
  }

  void countRefused() {
    refused.incrementAndGet();
  }

  void countBroken() {
    broken.incrementAndGet();
  }

  /** Forgets a connection that ended; true the first time only. */
  boolean endedOnce(PfKeyConnection c) {
    return connections.remove(c.number(), c);
  }

  /** The socket file's path. */
  public Path path() {
    return socketFile.path();
  }

  /** Connections open now (refused ones until they are closed). */
  public int openConnections() {
    return connections.size();
  }

  /** Connections accepted so far, refused ones included. */
  public long accepted() {
    return accepted.get();
  }

  /** Connections refused (EPERM, or the engine refused to open a socket). */
  public long refused() {
    return refused.get();
  }

  /** Connections closed because their stream broke its framing. */
  public long broken() {
    return broken.get();
  }

  /**
   * Stops accepting, closes every connection (their engine sockets close with them, ending their
   * registrations) and removes the socket file. The engine stays open: it belongs to the caller.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      socketFile.close();
    } catch (IOException e) {
      log.accept("pfkey: removing " + socketFile.path() + " failed: " + e.getMessage());
    }
    List<PfKeyConnection> all = new ArrayList<>(connections.values());
    for (PfKeyConnection c : all) {
      c.close();
    }
    try {
      acceptor.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (PfKeyConnection c : all) {
      c.awaitEnd();
    }
  }
}
