package org.ipsecemu.sadb.setkey;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.ipsecemu.sadb.wire.AddressFamily;
import org.ipsecemu.sadb.wire.SockAddr;

/**
 * Numeric IP address literals as key files write them, with an optional numeric IPv6 zone ({@code
 * fe80::1%2}). Names are never resolved: the emulator has no resolver, and a key file that depended
 * on DNS would not be reproducible.
 */
final class Addresses {
  private Addresses() {}

  /** Whether the text looks like an address literal (a dotted quad or something with a colon). */
  static boolean looksLikeAddress(String s) {
    return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%]*.*");
  }

  /**
   * Parses an IPv4 or IPv6 literal.
   *
   * @throws IllegalArgumentException with a reason when it is not one
   */
  static SockAddr parse(String literal, int port) {
    String addr = literal;
    long scope = 0;
    int pct = literal.indexOf('%');
    if (pct >= 0) {
      addr = literal.substring(0, pct);
      String zone = literal.substring(pct + 1);
      if (!zone.matches("\\d{1,10}") || Long.parseLong(zone) > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(
            "IPv6 zone must be a numeric scope id (no interfaces here): " + literal);
      }
      scope = Long.parseLong(zone);
    }
    InetAddress a;
    try {
      a = SockAddr.parseAddress(addr);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not a numeric IP address (names are not resolved): " + literal, e);
    }
    if (a instanceof Inet6Address && a.getAddress().length == 16) {
      return new SockAddr(AddressFamily.AF_INET6, a.getAddress(), port, scope);
    }
    if (pct >= 0) {
      throw new IllegalArgumentException("IPv4 address with a zone: " + literal);
    }
    byte[] b = a.getAddress();
    if (addr.indexOf(':') >= 0) {
      // Java turns ::ffff:a.b.c.d into an IPv4 address; the key file meant the IPv6 one.
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xFF;
      mapped[11] = (byte) 0xFF;
      System.arraycopy(b, 0, mapped, 12, 4);
      return new SockAddr(AddressFamily.AF_INET6, mapped, port, 0);
    }
    return new SockAddr(AddressFamily.AF_INET, b, port, 0);
  }

  /** The address only (no port), for building sockaddrs of known bytes. */
  static SockAddr of(byte[] bytes, int port) {
    try {
      return SockAddr.of(InetAddress.getByAddress(bytes), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address of " + bytes.length + " bytes", e);
    }
  }
}
