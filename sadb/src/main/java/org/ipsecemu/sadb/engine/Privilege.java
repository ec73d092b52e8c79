package org.ipsecemu.sadb.engine;

/**
 * What a caller of the Key Engine may do. RFC 2367 §1.3 lets only a privileged process open a
 * PF_KEY socket (MLS systems name a "key management privilege"); §1.4 and Appendix A let an
 * implementation restrict further what some sockets see. The engine splits the privilege in three
 * so a monitor can watch PF_KEY traffic without ever seeing a key.
 */
public enum Privilege {
  /** Open a PF_KEY socket at all (Linux: CAP_NET_ADMIN). Without it: EPERM. */
  KEY_MANAGEMENT,
  /**
   * Receive key material: the key extensions of GET and DUMP replies. A socket without it gets
   * those replies without SADB_EXT_KEY_AUTH/ENCRYPT.
   */
  READ_KEYS,
  /** Use SADB_X_PROMISC (Appendix A "MAY require additional privileges"). Without it: EPERM. */
  PROMISCUOUS
}
