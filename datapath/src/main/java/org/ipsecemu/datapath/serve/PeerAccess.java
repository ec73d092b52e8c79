package org.ipsecemu.datapath.serve;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import jdk.net.UnixDomainPrincipal;

/**
 * Who may use the served PF_KEY socket: RFC 2367 §1.3 lets "only a trusted, privileged process"
 * open one, "a process with an effective userid of zero" on UNIX. A connecting process is judged by
 * the credentials the kernel recorded on its socket ({@code SO_PEERCRED}, read through {@link
 * jdk.net.ExtendedSocketOptions#SO_PEERCRED}): its user and its primary group.
 *
 * <p>Permitted: uid 0, the user the server runs as (the emulated kernel belongs to whoever started
 * it, so that {@code serve} needs no root; {@link #rootOnly()} leaves that user out), and the users
 * and groups named in the allow list. Entries are {@code user:NAME}, {@code user:UID}, {@code
 * group:NAME} or {@code group:GID}; a bare name or number is a user.
 *
 * <p>Principals compare by number (the JDK's Unix principals do), so {@code user:1000} and the name
 * of uid 1000 are the same entry.
 */
public final class PeerAccess {
  private final List<UserPrincipal> users;
  private final List<GroupPrincipal> groups;
  private final String description;

  private PeerAccess(List<UserPrincipal> users, List<GroupPrincipal> groups, String description) {
    this.users = List.copyOf(users);
    this.groups = List.copyOf(groups);
    this.description = description;
  }

  /**
   * uid 0, the user running this process, and the allow list's entries.
   *
   * @throws IllegalArgumentException naming the entry when a user or group does not exist
   */
  public static PeerAccess of(List<String> allow) {
    return build(allow, true);
  }

  /** uid 0 and the allow list's entries only, not the user running this process. */
  public static PeerAccess rootOnly(List<String> allow) {
    return build(allow, false);
  }

  /** Permits no one, not even uid 0: how tests running as root see a refusal. */
  static PeerAccess none() {
    return new PeerAccess(List.of(), List.of(), "no one");
  }

  private static PeerAccess build(List<String> allow, boolean includeSelf) {
    UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    List<UserPrincipal> users = new ArrayList<>();
    List<GroupPrincipal> groups = new ArrayList<>();
    List<String> described = new ArrayList<>();
    try {
      users.add(lookup.lookupPrincipalByName("0"));
      described.add("uid 0");
    } catch (IOException e) {
      throw new IllegalStateException("cannot look up uid 0: " + e.getMessage(), e);
    }
    if (includeSelf) {
      String self = System.getProperty("user.name");
      try {
        UserPrincipal me = lookup.lookupPrincipalByName(self);
        if (!users.contains(me)) {
          users.add(me);
          described.add("user " + self);
        }
      } catch (IOException e) {
        // A uid without a name (containers): only --allow can name it, by number.
      }
    }
    for (String raw : allow) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      String lower = entry.toLowerCase(Locale.ROOT);
      try {
        if (lower.startsWith("group:")) {
          String name = entry.substring("group:".length());
          groups.add(lookup.lookupPrincipalByGroupName(requireName(name, raw)));
          described.add("group " + name);
        } else {
          String name = lower.startsWith("user:") ? entry.substring("user:".length()) : entry;
          users.add(lookup.lookupPrincipalByName(requireName(name, raw)));
          described.add("user " + name);
        }
      } catch (UserPrincipalNotFoundException e) {
        throw new IllegalArgumentException("no such user or group allow=" + raw, e);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot look up allow=" + raw + ": " + e, e);
      }
    }
    return new PeerAccess(users, groups, String.join(", ", described));
  }

  private static String requireName(String name, String entry) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty name allow=" + entry);
    }
    return name;
  }

  /** Whether a peer with these credentials may use PF_KEY. */
  public boolean permits(UnixDomainPrincipal peer) {
    Objects.requireNonNull(peer, "peer");
    return users.contains(peer.user()) || groups.contains(peer.group());
  }

  /** The permitted users and groups, for printing ({@code uid 0, user alice, group wheel}). */
  @Override
  public String toString() {
    return description;
  }
}
