package org.ipsecemu.sadb.setkey;

import java.util.Locale;
import java.util.Optional;

/**
 * The operations (statements) of ipsec-tools {@code setkey} ({@code setkey -f} files and {@code
 * setkey -c} input), each named as the user types it.
 */
public enum SetkeyOperation {
  /** {@code add}: SADB_ADD (RFC 2367 §3.1.3). */
  ADD("add"),
  /** {@code get}: SADB_GET (§3.1.5). */
  GET("get"),
  /** {@code delete}: SADB_DELETE (§3.1.4). */
  DELETE("delete"),
  /**
   * {@code deleteall}: every SA between two addresses. Linux wants an SPI in SADB_DELETE, so {@code
   * setkey} dumps the SAs first and deletes each (see {@link SetkeyStatement#deleteFor}).
   */
  DELETEALL("deleteall"),
  /** {@code getspi}: SADB_GETSPI with an SPI range (§3.1.1). */
  GETSPI("getspi"),
  /** {@code flush}: SADB_FLUSH (§3.1.9). */
  FLUSH("flush"),
  /** {@code dump}: SADB_DUMP (§3.1.10). */
  DUMP("dump"),
  /** {@code spdadd}: SADB_X_SPDADD. */
  SPDADD("spdadd"),
  /** {@code spdupdate}: SADB_X_SPDUPDATE. */
  SPDUPDATE("spdupdate"),
  /** {@code spddelete}: SADB_X_SPDDELETE. */
  SPDDELETE("spddelete"),
  /** {@code spdflush}: SADB_X_SPDFLUSH. */
  SPDFLUSH("spdflush"),
  /** {@code spddump}: SADB_X_SPDDUMP. */
  SPDDUMP("spddump"),
  /** {@code exit}, {@code quit} or {@code bye}: stop reading. */
  EXIT("exit");

  private final String keyword;

  SetkeyOperation(String keyword) {
    this.keyword = keyword;
  }

  /** The word that starts the statement. */
  public String keyword() {
    return keyword;
  }

  /** The command a word names ({@code quit} and {@code bye} name {@link #EXIT}), or empty. */
  public static Optional<SetkeyOperation> of(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    if (w.equals("quit") || w.equals("bye")) {
      return Optional.of(EXIT);
    }
    for (SetkeyOperation c : values()) {
      if (c.keyword.equals(w)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return keyword;
  }
}
