package org.ipsecemu.datapath.crypto;

/**
 * Which way a transform works for its SA: OUTBOUND transforms encrypt, seal and compute ICVs;
 * INBOUND transforms decrypt, open and verify. One SA has one direction (RFC 4301 §4.1).
 */
public enum Direction {
  /** Packets this host receives: decrypt, open, verify. */
  INBOUND,
  /** Packets this host sends: encrypt, seal, compute. */
  OUTBOUND
}
