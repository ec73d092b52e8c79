package org.ipsecemu.sadb.setkey;

import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.PfKeyException;

/**
 * A statement {@code setkey} would refuse to parse: an EINVAL {@link PfKeyException} whose message
 * names the file, the line and the offending token the way {@code setkey} does ({@code sa.conf:3:
 * unknown encryption algorithm at [aes-xyz]}).
 */
public final class SetkeySyntaxException extends PfKeyException {
  private static final long serialVersionUID = 1L;

  private final transient SourceLocation where;
  private final String token;
  private final String problem;

  /**
   * A syntax error.
   *
   * @param where the file and the line of the offending token
   * @param token the offending token as written ({@code ;} or {@code end of input} at the end)
   * @param problem what is wrong, without the location
   */
  public SetkeySyntaxException(SourceLocation where, String token, String problem) {
    super(Errno.EINVAL, where + ": " + problem + " at [" + token + "]");
    this.where = where;
    this.token = token;
    this.problem = problem;
  }

  /** The file and line of the offending token. */
  public SourceLocation where() {
    return where;
  }

  /** The 1-based line of the offending token. */
  public int line() {
    return where.line();
  }

  /** The offending token as written. */
  public String token() {
    return token;
  }

  /** What is wrong, without location and token. */
  public String problem() {
    return problem;
  }
}
