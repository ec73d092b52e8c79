package org.ipsecemu.sadb.spd;

import java.util.List;
import java.util.Objects;

/**
 * One entry of the Security Policy Database: a selector, a direction, an action and, for {@code
 * ipsec}, the ordered requests ({@code sadb_x_policy} with its {@code sadb_x_ipsecrequest}s).
 *
 * <p>Requests are in setkey order: the first is applied first on output, so it is the innermost
 * header ({@code esp/transport//require ah/transport//require} gives IP|AH|ESP|payload).
 *
 * @param id the policy id ({@code sadb_x_policy_id}, setkey's {@code spid}); 0 until the database
 *     assigns one. As in Linux, the low 3 bits of an assigned id hold the direction.
 * @param selector the traffic selected
 * @param direction in, out or fwd
 * @param action discard, none (bypass) or ipsec
 * @param requests the IPsec requests for {@link PolicyAction#IPSEC}, else empty
 * @param priority {@code sadb_x_policy_priority}, an unsigned 32-bit value; lower values are looked
 *     at first (Linux), equal priorities in the order the policies were added
 * @param proposalReference the Arkko draft's opaque policy reference ({@code sadb_x_pref_what},
 *     unsigned 32-bit) an ACQUIRE or X_QUERY for this policy carries instead of a proposal, or
 *     {@link #NO_REFERENCE}
 */
public record Policy(
    long id,
    Selector selector,
    PolicyDirection direction,
    PolicyAction action,
    List<IpsecRequest> requests,
    long priority,
    long proposalReference) {

  /** The value of {@link #proposalReference()} when the policy has none. */
  public static final long NO_REFERENCE = -1;

  /** setkey's default priority ({@code PRIORITY_DEFAULT}, 0x80000000 in ipsec-tools). */
  public static final long DEFAULT_PRIORITY = 0x8000_0000L;

  public Policy {
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(action, "action");
    requests = List.copyOf(requests);
    if (action == PolicyAction.IPSEC && requests.isEmpty()) {
      throw new IllegalArgumentException("ipsec policy without requests " + selector);
    }
    if (action != PolicyAction.IPSEC && !requests.isEmpty()) {
      throw new IllegalArgumentException("requests on a policy with action=" + action);
    }
    if (priority < 0 || priority > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("priority=" + priority);
    }
    if (proposalReference < NO_REFERENCE || proposalReference > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("proposalReference=" + proposalReference);
    }
  }

  /** An {@code ipsec} policy with the default priority and no id yet. */
  public static Policy ipsec(Selector s, PolicyDirection dir, IpsecRequest... requests) {
    return new Policy(
        0, s, dir, PolicyAction.IPSEC, List.of(requests), DEFAULT_PRIORITY, NO_REFERENCE);
  }

  /** A {@code discard} or {@code none} policy with the default priority and no id yet. */
  public static Policy of(Selector s, PolicyDirection dir, PolicyAction action) {
    return new Policy(0, s, dir, action, List.of(), DEFAULT_PRIORITY, NO_REFERENCE);
  }

  public Policy withId(long newId) {
    return new Policy(newId, selector, direction, action, requests, priority, proposalReference);
  }

  public Policy withPriority(long p) {
    return new Policy(id, selector, direction, action, requests, p, proposalReference);
  }

  public Policy withProposalReference(long ref) {
    return new Policy(id, selector, direction, action, requests, priority, ref);
  }

  /** Whether the policy carries an Arkko proposal reference. */
  public boolean hasProposalReference() {
    return proposalReference != NO_REFERENCE;
  }

  /**
   * setkey's {@code -P} notation: {@code 10.0.0.0/8[any] ... any out ipsec esp/transport//require}.
   */
  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder()
            .append(selector)
            .append(' ')
            .append(direction.name().toLowerCase(java.util.Locale.ROOT))
            .append(' ')
            .append(action.name().toLowerCase(java.util.Locale.ROOT));
    for (IpsecRequest r : requests) {
      b.append(' ').append(r);
    }
    return b.append(" spid=").append(id).toString();
  }
}
