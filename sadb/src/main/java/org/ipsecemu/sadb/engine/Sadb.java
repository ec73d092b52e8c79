package org.ipsecemu.sadb.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SA database: the lock-free SPI index for {@code getassocbyspi}, an index by (type, source,
 * destination) for outbound lookups, and the count of LARVAL SAs. Every method except {@link
 * #bySpi} must be called with the engine's lock held.
 */
final class Sadb {
  private record Pair(int satype, byte[] src, byte[] dst) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Pair p
          && satype == p.satype
          && Arrays.equals(src, p.src)
          && Arrays.equals(dst, p.dst);
    }

    @Override
    public int hashCode() {
      return (satype * 31 + Arrays.hashCode(src)) * 31 + Arrays.hashCode(dst);
    }
  }

  private final SpiTable<SecurityAssociation> bySpi = new SpiTable<>(1024);
  private final Map<Pair, List<SecurityAssociation>> byPair = new HashMap<>();
  private int larval;

  /** Lock-free lookup of a usable (MATURE or DYING) SA by (type, destination in a buffer, SPI). */
  SecurityAssociation usableBySpi(int satype, byte[] buf, int off, int len, int spi) {
    return bySpi.getLive(satype, buf, off, len, spi);
  }

  SecurityAssociation find(int satype, byte[] dst, int spi) {
    return bySpi.get(satype, dst, 0, dst.length, spi);
  }

  /** Inserts; false when (type, destination, SPI) is taken. */
  boolean insert(SecurityAssociation sa) {
    byte[] dst = sa.dst();
    boolean larvalSa = sa.state() == org.ipsecemu.sadb.wire.SaState.SADB_SASTATE_LARVAL;
    if (bySpi.putIfAbsent(sa.satype(), dst, sa.spi(), sa, !larvalSa) != null) {
      return false;
    }
    if (larvalSa) {
      larval++;
    } else {
      index(sa);
    }
    return true;
  }

  /** A LARVAL SA matured: the datapath may find it now, and it joins the pair index. */
  void matured(SecurityAssociation sa) {
    larval--;
    bySpi.setLive(sa.satype(), sa.dst(), sa.spi(), sa, true);
    index(sa);
  }

  private void index(SecurityAssociation sa) {
    byPair
        .computeIfAbsent(new Pair(sa.satype(), sa.src(), sa.dst()), k -> new ArrayList<>(2))
        .add(sa);
  }

  /** Removes; false when it was not there. */
  boolean remove(SecurityAssociation sa, boolean wasLarval) {
    if (!bySpi.remove(sa.satype(), sa.dst(), sa.spi(), sa)) {
      return false;
    }
    if (wasLarval) {
      larval--;
    } else {
      Pair k = new Pair(sa.satype(), sa.src(), sa.dst());
      List<SecurityAssociation> l = byPair.get(k);
      if (l != null) {
        l.remove(sa);
        if (l.isEmpty()) {
          byPair.remove(k);
        }
      }
    }
    return true;
  }

  /** The matured SAs of this type between these addresses (possibly empty; do not modify). */
  List<SecurityAssociation> between(int satype, byte[] src, byte[] dst) {
    List<SecurityAssociation> l = byPair.get(new Pair(satype, src, dst));
    return l == null ? List.of() : l;
  }

  int larvalCount() {
    return larval;
  }

  int size() {
    return bySpi.size();
  }

  /** Every SA (of one type, or all with {@code satype} 0), in serial order. */
  List<SecurityAssociation> snapshot(int satype) {
    List<SecurityAssociation> out = new ArrayList<>();
    bySpi.forEach(
        sa -> {
          if (satype == 0 || sa.satype() == satype) {
            out.add(sa);
          }
        });
    out.sort((a, b) -> Long.compare(a.serial(), b.serial()));
    return out;
  }
}
