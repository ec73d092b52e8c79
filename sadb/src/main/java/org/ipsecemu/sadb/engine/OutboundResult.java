package org.ipsecemu.sadb.engine;

import java.util.Arrays;
import java.util.List;
import org.ipsecemu.sadb.spd.Policy;

/**
 * What {@link KeyEngine#getassocbysocket} tells the datapath about an outbound flow. Immutable and
 * shared: the engine caches one per flow, so the established-SA path allocates nothing.
 *
 * <p>The SA bundle is in the order of the policy's requests, which is the order of processing on
 * output: {@link #sa(int) sa(0)} is applied first (innermost header), the last one last (outermost
 * header). For {@code esp/transport ah/transport} that is ESP then AH, giving IP|AH|ESP|payload.
 */
public final class OutboundResult {
  /** The kinds of answer. */
  public enum Kind {
    /**
     * No policy, or a {@code none} policy (or only {@code use} requests without SAs): send in
     * clear.
     */
    BYPASS,
    /** A {@code discard} policy: drop. */
    DISCARD,
    /** Protect with the SA bundle. */
    PROTECT,
    /**
     * An SA is missing and an SADB_ACQUIRE is out (its seq in {@link #acquireSeq()}): hold or drop.
     */
    PENDING,
    /** An SA is missing and no key manager registered for its type: drop. */
    NO_KEY_MANAGER,
    /**
     * Key management reported failure for the ACQUIRE (§3.1.6 errno form): drop until it expires.
     */
    ACQUIRE_FAILED
  }

  /** BYPASS because no outbound policy selects the flow. */
  static final OutboundResult NO_POLICY =
      new OutboundResult(Kind.BYPASS, null, new SecurityAssociation[0], 0, 0);

  /** PENDING without an ACQUIRE because the pending-ACQUIRE table is full. */
  static final OutboundResult ACQUIRE_TABLE_FULL =
      new OutboundResult(Kind.PENDING, null, new SecurityAssociation[0], 0, 0);

  private final Kind kind;
  private final Policy policy;
  private final SecurityAssociation[] bundle;
  private final long acquireSeq;
  private final int errno;

  OutboundResult(
      Kind kind, Policy policy, SecurityAssociation[] bundle, long acquireSeq, int errno) {
    this.kind = kind;
    this.policy = policy;
    this.bundle = bundle;
    this.acquireSeq = acquireSeq;
    this.errno = errno;
  }

  public Kind kind() {
    return kind;
  }

  /** The policy that decided, or null when none selected the flow. */
  public Policy policy() {
    return policy;
  }

  /** Number of SAs in the bundle (0 unless PROTECT). */
  public int size() {
    return bundle.length;
  }

  /** The i-th SA, in processing order (0 = innermost, applied first). */
  public SecurityAssociation sa(int i) {
    return bundle[i];
  }

  /** The bundle as a list (allocates; for the control plane and tests). */
  public List<SecurityAssociation> bundle() {
    return List.of(bundle);
  }

  /** The {@code sadb_msg_seq} of the ACQUIRE that is out (PENDING, ACQUIRE_FAILED), else 0. */
  public long acquireSeq() {
    return acquireSeq;
  }

  /** The errno key management reported (ACQUIRE_FAILED), else 0. */
  public int errno() {
    return errno;
  }

  @Override
  public String toString() {
    return kind
        + (bundle.length > 0 ? " " + Arrays.toString(bundle) : "")
        + (acquireSeq != 0 ? " seq=" + acquireSeq : "")
        + (errno != 0 ? " errno=" + errno : "");
  }
}
