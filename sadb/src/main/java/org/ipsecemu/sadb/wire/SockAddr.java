package org.ipsecemu.sadb.wire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The address part of a {@code struct sockaddr_in} or {@code struct sockaddr_in6} as PF_KEY carries
 * it (RFC 2367 §2.3.3): family, address, port, and for IPv6 the scope id. The layout on the wire
 * ({@code sa_len} or not, family numbers) is the {@link WireFormat}'s business, not the model's.
 *
 * <p>Fields the RFC requires to be zero ({@code sin_zero}, {@code sin6_flowinfo}) are not kept.
 *
 * @param family AF_INET or AF_INET6
 * @param address 4 or 16 address bytes (a copy is kept and returned)
 * @param port the port (network order on the wire), 0 when none
 * @param scopeId the IPv6 scope id (unsigned 32-bit); 0 for AF_INET
 */
public record SockAddr(AddressFamily family, byte[] address, int port, long scopeId) {
  /** Checks the address length against the family and the field widths; copies the address. */
  public SockAddr {
    Objects.requireNonNull(family, "family");
    if (address.length != family.addressLength()) {
      throw new IllegalArgumentException(
          family + " needs " + family.addressLength() + " address bytes, got " + address.length);
    }
    address = address.clone();
    Checks.u16("port", port);
    Checks.u32("scope_id", scopeId);
    if (family == AddressFamily.AF_INET && scopeId != 0) {
      throw new IllegalArgumentException("AF_INET has no scope id");
    }
  }

  /** A sockaddr for an address object and port. */
  public static SockAddr of(InetAddress address, int port) {
    byte[] a = address.getAddress();
    long scope = address instanceof Inet6Address i6 ? Integer.toUnsignedLong(i6.getScopeId()) : 0;
    return new SockAddr(
        a.length == 4 ? AddressFamily.AF_INET : AddressFamily.AF_INET6, a, port, scope);
  }

  /**
   * Parses a numeric IPv4 or IPv6 literal ({@code 192.0.2.1}, {@code 2001:db8::1}); never resolves
   * names.
   *
   * @throws IllegalArgumentException when the text is not an IP address literal
   */
  public static SockAddr parse(String literal, int port) {
    return of(parseAddress(literal), port);
  }

  /**
   * Parses a numeric IP literal without any name lookup.
   *
   * @throws IllegalArgumentException when the text is not an IP address literal
   */
  public static InetAddress parseAddress(String literal) {
    String t = literal.trim();
    boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      throw new IllegalArgumentException("not an IP address literal: \"" + literal + "\"");
    }
    if (v4) {
      for (String part : t.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          throw new IllegalArgumentException("not an IP address literal: \"" + literal + "\"");
        }
      }
    }
    try {
      // Only literals reach here, so getByName parses and never queries DNS.
      return InetAddress.getByName(t);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address literal: \"" + literal + "\"", e);
    }
  }

  /** A copy of the address bytes. */
  @Override
  public byte[] address() {
    return address.clone();
  }

  /** The size of the sockaddr structure: 16 for AF_INET, 28 for AF_INET6. */
  public int sockaddrLength() {
    return family.sockaddrLength();
  }

  /** The address as an object (without scope). */
  public InetAddress inetAddress() {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: the length was checked
    }
  }

  /** The address in text: dotted quad, or IPv6 compressed as RFC 5952 recommends. */
  public String addressString() {
    if (family == AddressFamily.AF_INET) {
      return (address[0] & 0xFF)
          + "."
          + (address[1] & 0xFF)
          + "."
          + (address[2] & 0xFF)
          + "."
          + (address[3] & 0xFF);
    }
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) {
      w[i] = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
    }
    // RFC 5952 §4.2: compress the longest run (of at least two) of zero words, the first if tied.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (w[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && w[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(w[i]));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SockAddr s
        && family == s.family
        && port == s.port
        && scopeId == s.scopeId
        && Arrays.equals(address, s.address);
  }

  @Override
  public int hashCode() {
    return ((family.hashCode() * 31 + Arrays.hashCode(address)) * 31 + port) * 31
        + Long.hashCode(scopeId);
  }

  @Override
  public String toString() {
    String a = family == AddressFamily.AF_INET6 ? "[" + addressString() + "]" : addressString();
    return a + ":" + port + (scopeId != 0 ? "%" + scopeId : "");
  }
}
