package org.ipsecemu.sadb.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.PromiscPayload;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * An in-memory PF_KEY socket ({@code socket(PF_KEY, SOCK_RAW, PF_KEY_V2)}, RFC 2367 §1.3), opened
 * with {@link KeyEngine#open(Credentials)}. A key manager sends messages (typed or as bytes) and
 * reads what the engine delivers from a bounded receive queue.
 *
 * <p>{@code send} processes the message synchronously: when it returns, every reply and broadcast
 * it caused is already queued, on this socket and on the others. A message whose base header is bad
 * makes {@code send} throw a {@link PfKeyException} (Linux fails {@code sendmsg}, §1.6); every
 * other error comes back as a reply with {@code sadb_msg_errno} set (§1.4).
 *
 * <p>The receive queue never blocks the engine: when it is full a message is dropped and counted
 * ({@link #dropped()}; §1.4 "delivery is not guaranteed"). A DUMP is the exception: its messages
 * are produced as the reader drains the queue, as Linux does, so a dump is never cut short by a
 * small queue.
 *
 * <p>Thread-safe. A typical exchange, as {@code setkey} would do it:
 *
 * <pre>{@code
 * try (PfKeySocket s = engine.open(Credentials.root(4242))) {
 *   SadbMessage reply = s.call(addMessage);      // send, then take the reply with our seq/pid
 *   if (reply.errno() != 0) { ... }              // e.g. Errno.EEXIST
 * }
 * }</pre>
 */
public final class PfKeySocket implements AutoCloseable {
  private final KeyEngine engine;
  private final int id;
  private final Credentials credentials;
  private final ArrayBlockingQueue<Object> queue;
  private final int capacity;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private volatile boolean open = true;

  // Guarded by the engine's lock.
  private final long[] registered = new long[4];
  boolean promiscuous;
  DumpCursor dump;

  PfKeySocket(KeyEngine engine, int id, Credentials credentials, int capacity) {
    this.engine = engine;
    this.id = id;
    this.credentials = credentials;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
  }

  /** The socket's number in this engine (for printing). */
  public int id() {
    return id;
  }

  /** Who opened it. */
  public Credentials credentials() {
    return credentials;
  }

  /** The pid of the process that opened it. */
  public long pid() {
    return credentials.pid();
  }

  /**
   * Sends a message to the Key Engine.
   *
   * @throws PfKeyException when the base header is bad (EINVAL, EMSGSIZE) and the profile fails the
   *     send for it, or when the socket is closed (EINVAL)
   */
  public void send(SadbMessage m) {
    checkOpen();
    engine.process(this, m, null);
  }

  /**
   * Sends a message as bytes, exactly as written to a real PF_KEY socket.
   *
   * @throws PfKeyException when the bytes do not decode (the codec's errno: EMSGSIZE, EINVAL)
   */
  public void send(byte[] message) {
    checkOpen();
    engine.processBytes(this, message);
  }

  /**
   * The next message, or null when none is waiting. Never blocks.
   *
   * @throws PfKeyException when the next message was injected raw with SADB_X_PROMISC and does not
   *     decode; it is consumed, and {@link #receiveBytes()} would have returned its bytes
   */
  public SadbMessage receive() {
    Object o = poll();
    if (o == null) {
      return null;
    }
    return o instanceof SadbMessage m ? m : engine.codec().decode((byte[]) o);
  }

  /**
   * The next message, waiting up to {@code timeout} for one (for a key manager running on the real
   * clock); null when none came. The engine itself never waits on a reader.
   *
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  public SadbMessage receive(Duration timeout) throws InterruptedException {
    SadbMessage m = receive();
    if (m != null || timeout.isZero() || timeout.isNegative()) {
      return m;
    }
    Object o = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (o == null) {
      return null;
    }
    if (dump != null) {
      engine.refillDump(this);
    }
    return o instanceof SadbMessage sm ? sm : engine.codec().decode((byte[]) o);
  }

  /** The next message as bytes, or null when none is waiting. Never blocks. */
  public byte[] receiveBytes() {
    Object o = poll();
    if (o == null) {
      return null;
    }
    return o instanceof byte[] b ? b : engine.codec().encode((SadbMessage) o);
  }

  private Object poll() {
    Object o = queue.poll();
    if (dump != null) {
      engine.refillDump(this);
      if (o == null) {
        o = queue.poll();
      }
    }
    return o;
  }

  /** Every message waiting now, in order (a DUMP in progress is read to its end). */
  public List<SadbMessage> drain() {
    List<SadbMessage> out = new ArrayList<>();
    for (SadbMessage m = receive(); m != null; m = receive()) {
      out.add(m);
    }
    return out;
  }

  /**
   * Sends {@code request} and returns the engine's reply to it: the first queued message of the
   * same type whose seq and pid are the request's (an error reply included; encapsulated
   * SADB_X_PROMISC copies are not replies). Other messages stay queued in order. Returns null when
   * the request caused no reply to this socket (for example a reply dropped from a full queue).
   */
  public SadbMessage call(SadbMessage request) {
    send(request);
    for (Iterator<Object> it = queue.iterator(); it.hasNext(); ) {
      Object o = it.next();
      if (o instanceof SadbMessage m
          && m.type() == request.type()
          && m.seq() == request.seq()
          && m.pid() == request.pid()
          && m.find(PromiscPayload.class).isEmpty()) {
        it.remove();
        return m;
      }
    }
    return null;
  }

  /** Messages waiting. */
  public int pending() {
    return queue.size();
  }

  /** Messages dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Messages delivered into the queue so far. */
  public long delivered() {
    return received.get();
  }

  /** Whether the socket registered for this SA type (SADB_REGISTER). */
  public boolean isRegistered(int satype) {
    synchronized (registered) {
      return (registered[satype >>> 6] & 1L << (satype & 63)) != 0;
    }
  }

  boolean isRegisteredForAny() {
    synchronized (registered) {
      return (registered[0] | registered[1] | registered[2] | registered[3]) != 0;
    }
  }

  void register(int satype) {
    synchronized (registered) {
      registered[satype >>> 6] |= 1L << (satype & 63);
    }
  }

  /** Whether promiscuous receive is on (SADB_X_PROMISC). */
  public boolean isPromiscuous() {
    return promiscuous;
  }

  /** Queues a message or raw bytes; false (and counted) when the queue is full. */
  boolean deliver(Object message) {
    if (!open) {
      return false;
    }
    if (queue.offer(message)) {
      received.incrementAndGet();
      return true;
    }
    dropped.incrementAndGet();
    engine.countDrop();
    return false;
  }

  /** Room left in the queue. */
  int room() {
    return queue.remainingCapacity();
  }

  int capacity() {
    return capacity;
  }

  boolean isOpen() {
    return open;
  }

  private void checkOpen() {
    if (!open) {
      throw new PfKeyException(Errno.EINVAL, "socket closed socket=" + id);
    }
  }

  /** Closes the socket: it stops receiving, its registrations end, queued messages are dropped. */
  @Override
  public void close() {
    if (open) {
      open = false;
      engine.closed(this);
      queue.clear();
    }
  }

  @Override
  public String toString() {
    return "PfKeySocket[id=" + id + " pid=" + credentials.pid() + "]";
  }
}
