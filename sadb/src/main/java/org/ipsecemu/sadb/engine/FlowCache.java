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

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * A hash of the flow's content read eight bytes at a time ({@link Flow#hashCode()} walks the 32
   * address bytes one by one, which is most of the cost of a cache hit). Allocation-free.
   */
  static int hash(Flow f) {
    byte[] s = f.sourceBytes();
    byte[] d = f.destinationBytes();
    long h = (long) LONGS.get(s, 0) * 0x9E37_79B9_7F4A_7C15L;
    h = (h ^ (long) LONGS.get(s, 8)) * 0xC2B2_AE3D_27D4_EB4FL;
    h = (h ^ (long) LONGS.get(d, 0)) * 0x1656_67B1_9E37_79F9L;
    h = (h ^ (long) LONGS.get(d, 8)) * 0x9E37_79B9_7F4A_7C15L;
    h ^=
        (long) f.sourcePort() << 48
            ^ (long) f.destinationPort() << 32
            ^ (long) f.protocol() << 8
            ^ f.family();
    // MurmurHash3's fmix64, so that every input bit reaches the low bits the slot index uses.
    h ^= h >>> 33;
    h *= 0xFF51_AFD7_ED55_8CCDL;
    h ^= h >>> 33;
    h *= 0xC4CE_B9FE_1A85_EC53L;
    h ^= h >>> 33;
    return (int) h;
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
