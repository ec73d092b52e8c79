package org.ipsecemu.sadb.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who opens a PF_KEY socket: a process id (what the process puts in {@code sadb_msg_pid}, and what
 * data-form SADB_X_PROMISC addresses), a user id for printing, and its {@link Privilege}s.
 *
 * @param pid the process id, unsigned 32-bit, not 0 (0 marks kernel-originated messages)
 * @param uid the user id
 * @param privileges what it may do
 */
public record Credentials(long pid, int uid, Set<Privilege> privileges) {
  public Credentials {
    if (pid <= 0 || pid > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("pid=" + pid + " (expected: 1..2^32-1)");
    }
    privileges = privileges.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(privileges));
  }

  /** A superuser process: every privilege, uid 0. */
  public static Credentials root(long pid) {
    return new Credentials(pid, 0, EnumSet.allOf(Privilege.class));
  }

  /** An ordinary user's process: no privilege; it cannot open a PF_KEY socket. */
  public static Credentials user(long pid, int uid) {
    return new Credentials(pid, uid, Set.of());
  }

  /** Whether it holds the privilege. */
  public boolean has(Privilege p) {
    return privileges.contains(p);
  }
}
