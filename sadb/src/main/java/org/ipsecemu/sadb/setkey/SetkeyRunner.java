package org.ipsecemu.sadb.setkey;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * Runs {@code setkey} statements against a Key Engine through a PF_KEY socket, the way {@code
 * setkey} talks to a kernel: each message is encoded to bytes and written to the socket, and what
 * comes back is read as bytes and decoded, in order. What happens is reported to a {@link
 * Listener}: every message exchanged, the SAs and policies of {@code dump}, {@code get} and {@code
 * spddump}, and each failure with {@code setkey}'s text for it.
 *
 * <p>As in {@code setkey} (ipsec-tools 0.8, {@code postproc}): a reply with an errno is a failure
 * reported with {@code strerror}, except ENOENT, which reads "No entry" for {@code get}, {@code
 * delete} and {@code spddelete}; an empty {@code dump} or {@code spddump} (ENOENT) reads "No SAD
 * entries" / "No SPD entries" and is reported as information, not as a failure. DEAD SAs are left
 * out of a dump unless {@link #showDead} is on ({@code setkey -a}). {@code deleteall} dumps the SA
 * type and deletes each SA between the two addresses, as {@code setkey} does on Linux; an empty
 * dump deletes nothing and is no failure.
 */
public final class SetkeyRunner {

  /**
   * What a run reports. Every method does nothing by default. The statement is null for the
   * REGISTER {@link #register()} sends.
   */
  public interface Listener {
    /** A message is about to be written to the socket. */
    default void sent(SetkeyStatement s, SadbMessage m) {}

    /** A message was read from the socket (replies and anything else queued). */
    default void received(SetkeyStatement s, SadbMessage m) {}

    /** An SA of a {@code dump} or {@code get} reply. */
    default void sa(SetkeyStatement s, SadbMessage reply) {}

    /** A policy of an {@code spddump} reply. */
    default void policy(SetkeyStatement s, SadbMessage reply) {}

    /**
     * The statement failed; {@code text} is what {@code setkey} prints after "The result of line N:
     * " (without the final period), e.g. {@code File exists}.
     *
     * @param errno the errno number, 0 when the failure has none (no reply)
     */
    default void failed(SetkeyStatement s, int errno, String text) {}

    /** Information about the statement: {@code No SAD entries} for an empty dump. */
    default void info(SetkeyStatement s, String text) {}
  }

  private final PfKeySocket socket;
  private final PfKeyCodec codec;
  private final Listener listener;
  private boolean showDead;

  /**
   * A runner writing to {@code socket} with {@code codec} (the engine's own, so both sides agree on
   * the wire format).
   */
  public SetkeyRunner(PfKeySocket socket, PfKeyCodec codec, Listener listener) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Whether {@code dump} shows DEAD SAs too ({@code setkey -a}); off by default. */
  public SetkeyRunner showDead(boolean on) {
    this.showDead = on;
    return this;
  }

  /**
   * Sends SADB_REGISTER for all SA types, as {@code setkey -f} and {@code -c} do first to learn the
   * kernel's algorithms ({@code get_supported}). Returns whether the engine accepted it. The
   * listener hears of it with a null statement.
   */
  public boolean register() {
    SadbMessage m =
        new SadbMessage(
            SadbMessage.PF_KEY_V2,
            MessageType.SADB_REGISTER,
            0,
            SaType.SADB_SATYPE_UNSPEC.value(),
            0,
            0,
            socket.pid(),
            List.of());
    return simple(null, m);
  }

  /**
   * Runs one statement. Returns true when it succeeded; {@code exit} does nothing and succeeds (the
   * caller stops reading).
   */
  public boolean run(SetkeyStatement s) {
    return switch (s.operation()) {
      case EXIT -> true;
      case DUMP -> dump(s, s.messages().get(0), false);
      case SPDDUMP -> dump(s, s.messages().get(0), true);
      case DELETEALL -> deleteAll(s);
      default -> {
        boolean ok = true;
        for (SadbMessage m : s.messages()) {
          ok &= simple(s, m);
        }
        yield ok;
      }
    };
  }

  /** Sends one message and checks the reply to it; GET replies are reported as SAs. */
  private boolean simple(SetkeyStatement s, SadbMessage m) {
    List<SadbMessage> in = exchange(s, m);
    if (in == null) {
      return false;
    }
    SadbMessage reply = null;
    for (SadbMessage r : in) {
      if (isReply(m, r)) {
        reply = r;
        break;
      }
    }
    if (reply == null) {
      listener.failed(s, 0, "No reply from the Key Engine");
      return false;
    }
    if (reply.errno() != 0) {
      listener.failed(s, reply.errno(), errorText(reply));
      return false;
    }
    if (reply.type() == MessageType.SADB_GET) {
      listener.sa(s, reply);
    }
    return true;
  }

  private boolean isReply(SadbMessage request, SadbMessage r) {
    return r.type() == request.type() && r.pid() == request.pid() && r.seq() == request.seq();
  }

  /** DUMP or SPDDUMP: every reply up to the one with seq 0, or the error. */
  private boolean dump(SetkeyStatement s, SadbMessage m, boolean policies) {
    List<SadbMessage> replies = new ArrayList<>();
    Integer errno = dumpReplies(s, m, replies);
    if (errno == null) {
      return false;
    }
    if (errno == Errno.ENOENT.number()) {
      listener.info(s, policies ? "No SPD entries" : "No SAD entries");
      return true;
    }
    if (errno != 0) {
      listener.failed(s, errno, strerror(errno));
      return false;
    }
    for (SadbMessage r : replies) {
      if (policies) {
        listener.policy(s, r);
      } else if (showDead
          || r.sa().map(x -> x.state() != SaState.SADB_SASTATE_DEAD.value()).orElse(true)) {
        listener.sa(s, r);
      }
    }
    return true;
  }

  /**
   * Sends a dump request and collects its replies; returns the errno (0 for a complete dump), or
   * null when sending failed (already reported).
   */
  private Integer dumpReplies(SetkeyStatement s, SadbMessage m, List<SadbMessage> out) {
    List<SadbMessage> in = exchange(s, m);
    if (in == null) {
      return null;
    }
    for (SadbMessage r : in) {
      if (r.type() != m.type() || r.pid() != m.pid()) {
        continue;
      }
      if (r.errno() != 0) {
        return r.errno();
      }
      out.add(r);
      if (r.seq() == 0) {
        return 0;
      }
    }
    if (out.isEmpty()) {
      listener.failed(s, 0, "No reply from the Key Engine");
      return null;
    }
    return 0;
  }

  private boolean deleteAll(SetkeyStatement s) {
    List<SadbMessage> replies = new ArrayList<>();
    Integer errno = dumpReplies(s, s.messages().get(0), replies);
    if (errno == null) {
      return false;
    }
    if (errno == Errno.ENOENT.number()) {
      return true;
    }
    if (errno != 0) {
      listener.failed(s, errno, strerror(errno));
      return false;
    }
    boolean ok = true;
    for (SadbMessage r : replies) {
      if (s.deletes(r)) {
        ok &= simple(s, s.deleteFor(r.sa().orElseThrow().spi()));
      }
    }
    return ok;
  }

  /**
   * Writes the message as bytes and reads back everything queued, decoded. Null (after reporting)
   * when the message cannot be encoded or the engine refuses the write.
   */
  private List<SadbMessage> exchange(SetkeyStatement s, SadbMessage m) {
    listener.sent(s, m);
    try {
      socket.send(codec.encode(m));
    } catch (PfKeyException e) {
      listener.failed(s, e.errno().number(), e.errno().strerror());
      return null;
    }
    List<SadbMessage> in = new ArrayList<>();
    for (byte[] b = socket.receiveBytes(); b != null; b = socket.receiveBytes()) {
      SadbMessage r;
      try {
        r = codec.decode(b);
      } catch (PfKeyException e) {
        listener.failed(s, e.errno().number(), "undecodable reply: " + e.getMessage());
        continue;
      }
      listener.received(s, r);
      in.add(r);
    }
    return in;
  }

  /** {@code setkey}'s text for an error reply. */
  private static String errorText(SadbMessage reply) {
    if (reply.errno() == Errno.ENOENT.number()
        && (reply.type() == MessageType.SADB_DELETE
            || reply.type() == MessageType.SADB_GET
            || reply.type() == MessageType.SADB_X_SPDDELETE)) {
      return "No entry";
    }
    return strerror(reply.errno());
  }

  /** The C library's text for an errno number, or {@code Unknown error N} as glibc says. */
  public static String strerror(int errno) {
    return Errno.valueOf(errno).map(Errno::strerror).orElse("Unknown error " + errno);
  }
}
