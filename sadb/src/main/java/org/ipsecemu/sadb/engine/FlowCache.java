package org.ipsecemu.sadb.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ipsecemu.sadb.spd.Flow;

/**
 * The outbound flow cache: a direct-mapped table from a flow's content to the last answer of {@code
 * getassocbysocket} for it, tagged with the engine's generation. Any change that could alter an
 * answer (an SA added, changing state or removed, a policy change, a registration, an ACQUIRE
 * answered or forgotten) bumps the generation, which invalidates every entry at once. A hit costs a
 * hash of the flow, one slot read and an equality check; it allocates nothing.
 */
final class FlowCache {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);

  /** One cached answer; immutable, published through the slot. */
  static final class Entry {
    final Flow flow;
    final int hash;
    final long generation;
    final OutboundResult result;

    Entry(Flow flow, int hash, long generation, OutboundResult result) {
      this.flow = flow;
      this.hash = hash;
      this.generation = generation;
      this.result = result;
    }
  }

  private final Entry[] slots;
  private final int mask;

  FlowCache(int size) {
    slots = new Entry[size];
    mask = size - 1;
  }

  /** The cached answer for the flow if it is current, else null. */
  OutboundResult get(Flow f, int hash, long generation) {
    Entry e = (Entry) SLOT.getAcquire(slots, hash & mask);
    if (e != null && e.generation == generation && e.hash == hash && e.flow.equals(f)) {
      return e.result;
    }
    return null;
  }

  /** The entry in the flow's slot whatever its generation, if it is for this flow. */
  Entry previous(Flow f, int hash) {
    Entry e = (Entry) SLOT.getAcquire(slots, hash & mask);
    return e != null && e.hash == hash && e.flow.equals(f) ? e : null;
  }

  void put(Entry e) {
    SLOT.setRelease(slots, e.hash & mask, e);
  }

  void clear() {
    for (int i = 0; i < slots.length; i++) {
      SLOT.setRelease(slots, i, null);
    }
  }
}
