package org.ipsecemu.sadb.engine;

import org.ipsecemu.sadb.wire.SaState;

/**
 * How the datapath learns about SAs it may use, to build its transforms when an SA appears and
 * destroy them (zeroing their keys) when it goes.
 *
 * <p>Only usable SAs are reported: {@link #added} when an SA becomes MATURE (SADB_ADD, or
 * SADB_UPDATE of a LARVAL SA), then {@link #stateChanged} for MATURE↔DYING, then {@link #removed}
 * once. LARVAL SAs that never mature are not reported. Calls come in order, on the thread that
 * caused the change, while the engine holds its lock: a listener must be quick, must not block, and
 * must not send PF_KEY messages; it may call {@code getassocbyspi}. The engine zeroes its own key
 * copies right after {@link #removed} returns.
 */
public interface SaListener {
  /** The SA became usable; its keys are available through {@link SecurityAssociation#authKey()}. */
  default void added(SecurityAssociation sa) {}

  /** The SA moved between MATURE and DYING. */
  default void stateChanged(SecurityAssociation sa, SaState from, SaState to) {}

  /** The SA left the database (its state is DEAD now); destroy anything built from it. */
  default void removed(SecurityAssociation sa, RemovalReason reason) {}
}
