package org.ipsecemu.sadb.wire;

import java.util.Objects;

/**
 * The one error of the PF_KEY control plane: a malformed or refused message, carrying the errno the
 * RFC prescribes (what a kernel would put into {@code sadb_msg_errno} or return from {@code
 * write()}) and a precise {@code key=value} message.
 *
 * <p>Unchecked, so a Key Engine can throw it from deep inside a handler and turn it into an error
 * reply in one place.
 */
public class PfKeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Errno errno;

  /**
   * A failure with this errno and reason, e.g. {@code (EINVAL, "extension length=0 at offset 16")}.
   */
  public PfKeyException(Errno errno, String message) {
    super(message);
    this.errno = Objects.requireNonNull(errno, "errno");
  }

  /** A failure caused by another exception (e.g. a JSON syntax error while building a message). */
  public PfKeyException(Errno errno, String message, Throwable cause) {
    super(message, cause);
    this.errno = Objects.requireNonNull(errno, "errno");
  }

  /** The errno to report. */
  public Errno errno() {
    return errno;
  }

  /** The reason alone, without the errno (same as {@link #getMessage()}). */
  public String reason() {
    return super.getMessage();
  }

  @Override
  public String toString() {
    return "PfKeyException[" + errno.name() + ": " + getMessage() + "]";
  }
}
