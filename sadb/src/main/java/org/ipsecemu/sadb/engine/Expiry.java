package org.ipsecemu.sadb.engine;

/**
 * Which lifetime of an SA has been reached (RFC 2367 §2.3.2, §3.1.8): none, the SOFT one (the SA
 * turns DYING and an SADB_EXPIRE carrying the SOFT lifetime goes out) or the HARD one (the SA turns
 * DEAD, an SADB_EXPIRE carrying the HARD lifetime goes out, and the SA is removed).
 */
public enum Expiry {
  NONE,
  SOFT,
  HARD
}
