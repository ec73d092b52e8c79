package org.ipsecemu.sadb.spd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The Security Policy Database: policies per direction, in lookup order (priority ascending, then
 * the order they were added, as Linux orders them), searched first match wins.
 *
 * <p>Writers (the Key Engine, under its lock) replace a per-direction array; readers ({@link
 * #lookup}) scan the array they read without locking or allocating. Policies are expected to be few
 * (tens to thousands); the lookup is linear in their number, and the engine's flow cache keeps it
 * off the outbound hot path.
 */
public final class SecurityPolicyDatabase {
  private static final Comparator<Entry> ORDER =
      Comparator.<Entry>comparingLong(e -> e.policy.priority()).thenComparingLong(e -> e.order);

  private record Entry(Policy policy, long order) {}

  private final int maxPolicies;
  private final Entry[][] byDirection = new Entry[PolicyDirection.values().length][];
  private volatile Policy[][] published = new Policy[PolicyDirection.values().length][];
  private long nextOrder;
  private long nextIndex = 1;
  private int size;

  /** An empty database holding at most {@code maxPolicies} policies. */
  public SecurityPolicyDatabase(int maxPolicies) {
    this.maxPolicies = maxPolicies;
    for (PolicyDirection d : PolicyDirection.values()) {
      byDirection[d.ordinal()] = new Entry[0];
      published[d.ordinal()] = new Policy[0];
    }
  }

  /** Result of a change: the stored policy, or why it was refused. */
  public enum Outcome {
    OK,
    /** A policy with the same selector and direction exists (EEXIST). */
    EXISTS,
    /** No such policy (ENOENT, as Linux answers). */
    NOT_FOUND,
    /** The database is full (ENOBUFS). */
    FULL
  }

  /** The outcome of {@link #add}/{@link #update}, with the policy as stored. */
  public record Change(Outcome outcome, Policy policy) {}

  /** Adds a policy unless one with the same selector and direction exists (SADB_X_SPDADD). */
  public synchronized Change add(Policy p) {
    if (find(p.selector(), p.direction()) != null) {
      return new Change(Outcome.EXISTS, null);
    }
    if (size >= maxPolicies) {
      return new Change(Outcome.FULL, null);
    }
    Policy stored = p.withId(assignId(p));
    insert(stored);
    return new Change(Outcome.OK, stored);
  }

  /**
   * Adds a policy or replaces the one with the same selector and direction, keeping its id
   * (SADB_X_SPDUPDATE, which Linux lets create as well as replace).
   */
  public synchronized Change update(Policy p) {
    Entry old = find(p.selector(), p.direction());
    if (old == null) {
      return add(p);
    }
    Policy stored = p.withId(old.policy.id());
    remove(old.policy);
    insert(stored);
    return new Change(Outcome.OK, stored);
  }

  /** Removes the policy with this selector and direction (SADB_X_SPDDELETE). */
  public synchronized Optional<Policy> delete(Selector s, PolicyDirection dir) {
    Entry e = find(s, dir);
    if (e == null) {
      return Optional.empty();
    }
    remove(e.policy);
    return Optional.of(e.policy);
  }

  /** Removes the policy with this id (SADB_X_SPDDELETE2). */
  public synchronized Optional<Policy> delete(long id) {
    Optional<Policy> p = get(id);
    p.ifPresent(this::remove);
    return p;
  }

  /** The policy with this id (SADB_X_SPDGET). */
  public Optional<Policy> get(long id) {
    for (Policy[] ps : published) {
      for (Policy p : ps) {
        if (p.id() == id) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** Removes every policy (SADB_X_SPDFLUSH); returns how many there were. */
  public synchronized int flush() {
    int n = size;
    for (PolicyDirection d : PolicyDirection.values()) {
      byDirection[d.ordinal()] = new Entry[0];
    }
    size = 0;
    publish();
    return n;
  }

  /** Every policy, direction by direction in lookup order (SADB_X_SPDDUMP). */
  public List<Policy> snapshot() {
    List<Policy> out = new ArrayList<>();
    for (Policy[] ps : published) {
      out.addAll(Arrays.asList(ps));
    }
    return out;
  }

  /** Number of policies. */
  public int size() {
    return size;
  }

  /**
   * The first policy of direction {@code dir} whose selector matches the flow, or null. Lock-free,
   * allocation-free.
   */
  public Policy lookup(PolicyDirection dir, Flow flow) {
    Policy[] ps = published[dir.ordinal()];
    for (Policy p : ps) {
      if (p.selector().matches(flow)) {
        return p;
      }
    }
    return null;
  }

  private long assignId(Policy p) {
    // Linux keeps the direction in the low 3 bits of the index (xfrm_gen_index).
    return (nextIndex++ << 3) | p.direction().value();
  }

  private Entry find(Selector s, PolicyDirection dir) {
    for (Entry e : byDirection[dir.ordinal()]) {
      if (e.policy.selector().equals(s)) {
        return e;
      }
    }
    return null;
  }

  private void insert(Policy p) {
    int d = p.direction().ordinal();
    Entry[] old = byDirection[d];
    Entry[] n = Arrays.copyOf(old, old.length + 1);
    n[old.length] = new Entry(p, nextOrder++);
    Arrays.sort(n, ORDER);
    byDirection[d] = n;
    size++;
    publish();
  }

  private void remove(Policy p) {
    int d = p.direction().ordinal();
    Entry[] old = byDirection[d];
    List<Entry> keep = new ArrayList<>(old.length);
    for (Entry e : old) {
      if (e.policy.id() != p.id()) {
        keep.add(e);
      }
    }
    byDirection[d] = keep.toArray(new Entry[0]);
    size -= old.length - keep.size();
    publish();
  }

  private void publish() {
    Policy[][] p = new Policy[byDirection.length][];
    for (int d = 0; d < byDirection.length; d++) {
      Entry[] es = byDirection[d];
      p[d] = new Policy[es.length];
      for (int i = 0; i < es.length; i++) {
        p[d][i] = es[i].policy;
      }
    }
    published = p;
  }
}
