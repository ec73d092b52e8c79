package org.ipsecemu.sadb.engine;

/** Why an SA left the database, as {@link SaListener#removed} reports it. */
public enum RemovalReason {
  /** SADB_DELETE. */
  DELETED,
  /** SADB_FLUSH. */
  FLUSHED,
  /** Its HARD lifetime was reached (SADB_EXPIRE hard went out). */
  EXPIRED,
  /** A LARVAL SA was not updated in time (§3.1.1). */
  LARVAL_TIMEOUT,
  /** The engine was closed. */
  ENGINE_CLOSED
}
