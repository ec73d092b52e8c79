package org.ipsecemu.sadb.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The SA index behind {@code getassocbyspi}: a hash table keyed by (SA type, destination address,
 * SPI), the triple that identifies an SA for IPsec (RFC 2367 §3.1: "some security association types
 * do not use a source address for SA identification"; Linux {@code xfrm_state_lookup} keys on the
 * same triple).
 *
 * <p>Reads are lock-free, allocation-free and constant time: chained buckets of immutable nodes,
 * published with release/acquire ordering. Writes are serialised by the caller (the engine's lock)
 * and copy the part of one chain they change, so a reader always sees either the old chain or the
 * new one, never a half-built one. Growing rebuilds the table and publishes it in one volatile
 * write. An entry costs one 48-byte node plus the table slot. Each node carries a "live" mark so
 * the datapath's lookup can skip entries it must not have (LARVAL SAs) without reading the value.
 *
 * @param <V> what is stored (the engine stores {@link SecurityAssociation}s)
 */
final class SpiTable<V> {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private static final class Node<V> {
    final int spi;
    final int typeAndFamily; // satype << 8 | address length
    final long a0;
    final long a1;
    final V value;

    /** Whether the datapath may have the value: saves it reading the SA's state on a lookup. */
    final boolean live;

    final Node<V> next;

    Node(int spi, int typeAndFamily, long a0, long a1, V value, boolean live, Node<V> next) {
      this.spi = spi;
      this.typeAndFamily = typeAndFamily;
      this.a0 = a0;
      this.a1 = a1;
      this.value = value;
      this.live = live;
      this.next = next;
    }

    Node<V> withNext(Node<V> n) {
      return new Node<>(spi, typeAndFamily, a0, a1, value, live, n);
    }

    boolean sameKey(int s, int tf, long x0, long x1) {
      return spi == s && typeAndFamily == tf && a0 == x0 && a1 == x1;
    }
  }

  private volatile Node<V>[] table;
  private int size;

  SpiTable(int initialCapacity) {
    table = newTable(Math.max(16, Integer.highestOneBit(Math.max(1, initialCapacity - 1)) << 1));
  }

  @SuppressWarnings("unchecked")
  private static <V> Node<V>[] newTable(int n) {
    return (Node<V>[]) new Node<?>[n];
  }

  /** Number of entries. Exact for the writer; a recent value for others. */
  int size() {
    return size;
  }

  /**
   * The value for (satype, address, spi), the address read from {@code buf[off, off+addrLen)} (4 or
   * 16 bytes), or null. Lock-free and allocation-free.
   */
  V get(int satype, byte[] buf, int off, int addrLen, int spi) {
    Node<V> n = find(satype, buf, off, addrLen, spi);
    return n == null ? null : n.value;
  }

  /** As {@link #get}, but only a value marked live (see {@link #setLive}). */
  V getLive(int satype, byte[] buf, int off, int addrLen, int spi) {
    Node<V> n = find(satype, buf, off, addrLen, spi);
    return n != null && n.live ? n.value : null;
  }

  private Node<V> find(int satype, byte[] buf, int off, int addrLen, int spi) {
    long a0;
    long a1;
    if (addrLen == 4) {
      a0 = (int) INT_BE.get(buf, off) & 0xFFFF_FFFFL;
      a1 = 0;
    } else if (addrLen == 16) {
      a0 = (long) LONG_BE.get(buf, off);
      a1 = (long) LONG_BE.get(buf, off + 8);
    } else {
      return null;
    }
    int tf = satype << 8 | addrLen;
    Node<V>[] t = table;
    @SuppressWarnings("unchecked")
    Node<V> n = (Node<V>) SLOT.getAcquire(t, index(t.length, tf, a0, a1, spi));
    for (; n != null; n = n.next) {
      if (n.sameKey(spi, tf, a0, a1)) {
        return n;
      }
    }
    return null;
  }

  /**
   * Inserts unless the key exists; returns the existing value, or null if inserted. Writer only.
   */
  V putIfAbsent(int satype, byte[] addr, int spi, V value, boolean live) {
    V old = get(satype, addr, 0, addr.length, spi);
    if (old != null) {
      return old;
    }
    if (size + 1 > table.length - (table.length >>> 2)) {
      grow();
    }
    Node<V>[] t = table;
    Node<V> n = node(satype, addr, spi, value, live, null);
    int i = index(t.length, n.typeAndFamily, n.a0, n.a1, spi);
    @SuppressWarnings("unchecked")
    Node<V> head = (Node<V>) SLOT.getAcquire(t, i);
    SLOT.setRelease(t, i, n.withNext(head));
    size++;
    return null;
  }

  /** Marks the value of an existing key live or not; returns whether it was found. Writer only. */
  boolean setLive(int satype, byte[] addr, int spi, V expected, boolean live) {
    return rewrite(satype, addr, spi, expected, expected, live);
  }

  /** Replaces the value of an existing key; returns whether the key was found. Writer only. */
  boolean replace(int satype, byte[] addr, int spi, V expected, V value) {
    return rewrite(satype, addr, spi, expected, value, true);
  }

  /** Removes the key if it maps to {@code expected}; returns whether it did. Writer only. */
  boolean remove(int satype, byte[] addr, int spi, V expected) {
    boolean removed = rewrite(satype, addr, spi, expected, null, false);
    if (removed) {
      size--;
    }
    return removed;
  }

  /**
   * Rebuilds the chain up to the node for the key, replacing it by {@code value} (with the live
   * mark given) or unlinking it when {@code value} is null.
   */
  private boolean rewrite(int satype, byte[] addr, int spi, V expected, V value, boolean live) {
    Node<V> probe = node(satype, addr, spi, null, false, null);
    Node<V>[] t = table;
    int i = index(t.length, probe.typeAndFamily, probe.a0, probe.a1, spi);
    @SuppressWarnings("unchecked")
    Node<V> head = (Node<V>) SLOT.getAcquire(t, i);
    Node<V> target = head;
    while (target != null && !target.sameKey(spi, probe.typeAndFamily, probe.a0, probe.a1)) {
      target = target.next;
    }
    if (target == null || target.value != expected) {
      return false;
    }
    Node<V> rest =
        value == null
            ? target.next
            : new Node<>(spi, target.typeAndFamily, target.a0, target.a1, value, live, target.next);
    // Copy the prefix in front of the target so readers never see a chain being edited.
    List<Node<V>> prefix = new ArrayList<>();
    for (Node<V> n = head; n != target; n = n.next) {
      prefix.add(n);
    }
    for (int k = prefix.size() - 1; k >= 0; k--) {
      rest = prefix.get(k).withNext(rest);
    }
    SLOT.setRelease(t, i, rest);
    return true;
  }

  /** Calls {@code action} on every value, in table order (a snapshot when called by the writer). */
  void forEach(Consumer<? super V> action) {
    Node<V>[] t = table;
    for (int i = 0; i < t.length; i++) {
      @SuppressWarnings("unchecked")
      Node<V> n = (Node<V>) SLOT.getAcquire(t, i);
      for (; n != null; n = n.next) {
        action.accept(n.value);
      }
    }
  }

  private void grow() {
    Node<V>[] old = table;
    Node<V>[] t = newTable(old.length << 1);
    for (Node<V> head : old) {
      for (Node<V> n = head; n != null; n = n.next) {
        int i = index(t.length, n.typeAndFamily, n.a0, n.a1, n.spi);
        t[i] = n.withNext(t[i]);
      }
    }
    table = t; // the volatile write publishes every slot written above
  }

  private static <V> Node<V> node(
      int satype, byte[] addr, int spi, V value, boolean live, Node<V> next) {
    long a0;
    long a1;
    if (addr.length == 4) {
      a0 = (int) INT_BE.get(addr, 0) & 0xFFFF_FFFFL;
      a1 = 0;
    } else if (addr.length == 16) {
      a0 = (long) LONG_BE.get(addr, 0);
      a1 = (long) LONG_BE.get(addr, 8);
    } else {
      throw new IllegalArgumentException("address length=" + addr.length + " (expected: 4 or 16)");
    }
    return new Node<>(spi, satype << 8 | addr.length, a0, a1, value, live, next);
  }

  private static int index(int length, int tf, long a0, long a1, int spi) {
    long h = a0 * 0x9E37_79B9_7F4A_7C15L ^ a1 * 0xC2B2_AE3D_27D4_EB4FL ^ (long) spi << 8 ^ tf;
    h ^= h >>> 33;
    h *= 0xFF51_AFD7_ED55_8CCDL;
    h ^= h >>> 33;
    return (int) h & (length - 1);
  }
}
