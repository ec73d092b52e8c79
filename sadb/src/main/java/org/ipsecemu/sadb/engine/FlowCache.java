package org.ipsecemu.sadb.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ipsecemu.sadb.spd.Flow;

/**
 * The outbound flow cache: a table from a flow's content to the last answer of {@code
 * getassocbysocket} for it, tagged with the engine's generation. Any change that could alter an
 * answer (an SA added, changing state or removed, a policy change, a registration, an ACQUIRE
 * answered or forgotten) bumps the generation, which invalidates every entry at once. A hit costs a
 * hash of the flow, a slot read or a few and an equality check; it allocates nothing.
 *
 * <p>Open addressing with linear probing, so that flows whose hashes share a slot both stay cached
 * (a direct-mapped table made two such flows evict each other on every packet: with 1024 flows in
 * 4096 slots, one lookup in five went to the slow path, allocated, and counted the SA allocated to
 * the flow once more). Readers are lock-free: entries are immutable and published with
 * release/acquire ordering, and an entry is never removed from a probe chain, only replaced in
 * place by the same flow's newer answer; the whole table is swapped when it is rebuilt. Writers
 * hold the engine's lock.
 *
 * <p>Capacity: when three quarters of the slots are taken, the table is rebuilt with only the
 * entries of the newest generation; if those still fill half of it, it starts empty. So at most
 * half the slots' worth of flows ({@link EngineProfile#flowCacheSize()} / 2, 2048 by default) stay
 * cached for good; beyond that the cache still answers right, but flows come back to the slow path
 * from time to time.
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

    boolean isFor(Flow f, int h) {
      return hash == h && flow.equals(f);
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

  private volatile Entry[] slots;
  private final int mask;

  /** Slots that hold an entry; writer only. */
  private int used;

  FlowCache(int size) {
    slots = new Entry[size];
    mask = size - 1;
  }

  /** The cached answer for the flow if it is current, else null. */
  OutboundResult get(Flow f, int hash, long generation) {
    Entry e = find(slots, f, hash);
    return e != null && e.generation == generation ? e.result : null;
  }

  /** The entry for this flow whatever its generation, or null. */
  Entry previous(Flow f, int hash) {
    return find(slots, f, hash);
  }

  private Entry find(Entry[] t, Flow f, int hash) {
    for (int i = hash & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
      Entry e = (Entry) SLOT.getAcquire(t, i);
      if (e == null) {
        return null;
      }
      if (e.isFor(f, hash)) {
        return e;
      }
    }
    return null;
  }

  /**
   * Caches an answer (writer only): in place of the flow's previous entry, else at the end of its
   * probe chain. Stale entries are not reused before a rebuild: the engine reads a flow's previous
   * entry ({@link #previous}) to tell a flow it already counted from a new one.
   */
  void put(Entry e) {
    if (used + 1 > slots.length - (slots.length >>> 2)) {
      rebuild(e.generation);
    }
    Entry[] t = slots;
    int i = e.hash & mask;
    for (int probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
      Entry old = (Entry) SLOT.getAcquire(t, i);
      if (old == null) {
        break;
      }
      if (old.isFor(e.flow, e.hash)) {
        SLOT.setRelease(t, i, e);
        return;
      }
    }
    SLOT.setRelease(t, i, e);
    used++;
  }

  /** Keeps only the entries of {@code generation} or newer, or none if they are too many. */
  private void rebuild(long generation) {
    Entry[] old = slots;
    Entry[] t = new Entry[old.length];
    int kept = 0;
    for (Entry e : old) {
      if (e != null && e.generation >= generation) {
        kept++;
      }
    }
    if (kept <= old.length >>> 1) {
      for (Entry e : old) {
        if (e != null && e.generation >= generation) {
          int i = e.hash & mask;
          while (t[i] != null) {
            i = (i + 1) & mask;
          }
          t[i] = e;
        }
      }
    } else {
      kept = 0;
    }
    used = kept;
    slots = t; // the volatile write publishes every slot written above
  }

  void clear() {
    slots = new Entry[slots.length];
    used = 0;
  }
}
