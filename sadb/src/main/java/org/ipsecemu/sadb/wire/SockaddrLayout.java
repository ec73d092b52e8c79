package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * How a {@code struct sockaddr} is laid out inside an address extension (RFC 2367 §2.3.3: "If the
 * system has an sa_len field, so SHOULD the sockaddrs in the message").
 */
public enum SockaddrLayout {
  /**
   * Linux: no {@code sa_len}; a 16-bit {@code sa_family} in host byte order; AF_INET 2, AF_INET6
   * 10.
   */
  LINUX(10),
  /**
   * 4.4BSD/KAME as on FreeBSD: an 8-bit {@code sa_len} then an 8-bit {@code sa_family}; AF_INET 2,
   * AF_INET6 28 (NetBSD and OpenBSD use 24 and macOS 30; this layout follows FreeBSD).
   */
  BSD(28);

  private final int inet6;

  SockaddrLayout(int inet6) {
    this.inet6 = inet6;
  }

  /** The number this layout writes for a family. */
  public int familyNumber(AddressFamily family) {
    return family == AddressFamily.AF_INET ? 2 : inet6;
  }

  /** The family a number stands for in this layout, or empty. */
  public Optional<AddressFamily> family(int number) {
    if (number == 2) {
      return Optional.of(AddressFamily.AF_INET);
    }
    return number == inet6 ? Optional.of(AddressFamily.AF_INET6) : Optional.empty();
  }
}
