package org.ipsecemu.sadb.engine;

import java.util.Arrays;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.spd.Policy;

/**
 * An SADB_ACQUIRE the engine sent and key management has not answered yet: what SA it asks for, for
 * which flow and policy, until when it is remembered, and the answer repeated triggers get.
 */
final class PendingAcquire {
  /** What identifies the SA asked for: repeated triggers for the same key send nothing new. */
  record Key(int satype, int mode, byte[] src, byte[] dst, long reqid, Flow uniqueFlow) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && satype == k.satype
          && mode == k.mode
          && reqid == k.reqid
          && Arrays.equals(src, k.src)
          && Arrays.equals(dst, k.dst)
          && java.util.Objects.equals(uniqueFlow, k.uniqueFlow);
    }

    @Override
    public int hashCode() {
      int h = (satype * 31 + mode) * 31 + Long.hashCode(reqid);
      h = h * 31 + Arrays.hashCode(src);
      h = h * 31 + Arrays.hashCode(dst);
      return h * 31 + (uniqueFlow == null ? 0 : uniqueFlow.hashCode());
    }
  }

  final long seq;
  final Key key;
  final Flow flow;
  final Policy policy;
  final long deadline;
  OutboundResult result;

  PendingAcquire(long seq, Key key, Flow flow, Policy policy, long deadline) {
    this.seq = seq;
    this.key = key;
    this.flow = flow;
    this.policy = policy;
    this.deadline = deadline;
    this.result =
        new OutboundResult(OutboundResult.Kind.PENDING, policy, new SecurityAssociation[0], seq, 0);
  }

  void fail(int errno) {
    result =
        new OutboundResult(
            OutboundResult.Kind.ACQUIRE_FAILED, policy, new SecurityAssociation[0], seq, errno);
  }
}
