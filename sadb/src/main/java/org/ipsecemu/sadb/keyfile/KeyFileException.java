package org.ipsecemu.sadb.keyfile;

import org.ipsecemu.sadb.setkey.SourceLocation;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.PfKeyException;

/**
 * A key file the readers cannot turn into SAs: an EINVAL {@link PfKeyException} whose message
 * starts with the file and line ({@code sa.keys:12: bad hex in key}), and never shows key bytes.
 */
public final class KeyFileException extends PfKeyException {
  private static final long serialVersionUID = 1L;

  private final transient SourceLocation where;

  /** A problem at a place in a key file. */
  public KeyFileException(SourceLocation where, String problem) {
    super(Errno.EINVAL, where + ": " + problem);
    this.where = where;
  }

  /** The file and line of the problem. */
  public SourceLocation where() {
    return where;
  }
}
