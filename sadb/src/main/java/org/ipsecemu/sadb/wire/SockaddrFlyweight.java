package org.ipsecemu.sadb.wire;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A view over a {@code struct sockaddr_in} or {@code struct sockaddr_in6} inside an address
 * extension or IPsec request, in one of two layouts ({@link SockaddrLayout}).
 *
 * <pre>{@code
 * Linux                                   BSD (4.4BSD, KAME, FreeBSD)
 * struct sockaddr_in {         // 16      struct sockaddr_in {         // 16
 *     sa_family_t sin_family;  // u16         uint8_t  sin_len;        // 16
 *     in_port_t   sin_port;    // be16        sa_family_t sin_family;  // u8, 2
 *     struct in_addr sin_addr; // 4           in_port_t   sin_port;    // be16
 *     unsigned char sin_zero[8];              struct in_addr sin_addr; // 4
 * };                                          char sin_zero[8];
 *                                         };
 * struct sockaddr_in6 {        // 28      struct sockaddr_in6 {        // 28
 *     sa_family_t sin6_family; // u16, 10     uint8_t  sin6_len;       // 28
 *     in_port_t sin6_port;     // be16        sa_family_t sin6_family; // u8, 28
 *     uint32_t sin6_flowinfo;  // be32        in_port_t sin6_port;     // be16
 *     struct in6_addr sin6_addr; // 16        uint32_t sin6_flowinfo;  // be32
 *     uint32_t sin6_scope_id;  // host        struct in6_addr sin6_addr; // 16
 * };                                          uint32_t sin6_scope_id;  // host
 *                                         };
 * }</pre>
 *
 * <p>Both layouts put the port at offset 2, the IPv4 address at 4, the IPv6 address at 8 and the
 * scope id at 24; they differ only in the first two bytes.
 */
public final class SockaddrFlyweight extends Flyweight<SockaddrFlyweight> {
  /** Offset of {@code sa_len} (BSD layout only). */
  public static final int BSD_LEN_OFFSET = 0;

  /** Offset of {@code sa_family}: a u16 at 0 (Linux) or a u8 at 1 (BSD). */
  public static final int LINUX_FAMILY_OFFSET = 0;

  /** Offset of the 8-bit {@code sa_family} in the BSD layout. */
  public static final int BSD_FAMILY_OFFSET = BSD_LEN_OFFSET + 1;

  /** Offset of {@code sin_port} / {@code sin6_port}. */
  public static final int PORT_OFFSET = 2;

  /** Offset of {@code sin_addr}. */
  public static final int IN_ADDR_OFFSET = PORT_OFFSET + 2;

  /** Offset of {@code sin_zero}. */
  public static final int IN_ZERO_OFFSET = IN_ADDR_OFFSET + 4;

  /** {@code sizeof(struct sockaddr_in)}. */
  public static final int IN_LENGTH = IN_ZERO_OFFSET + 8;

  /** Offset of {@code sin6_flowinfo}. */
  public static final int IN6_FLOWINFO_OFFSET = PORT_OFFSET + 2;

  /** Offset of {@code sin6_addr}. */
  public static final int IN6_ADDR_OFFSET = IN6_FLOWINFO_OFFSET + 4;

  /** Offset of {@code sin6_scope_id}. */
  public static final int IN6_SCOPE_ID_OFFSET = IN6_ADDR_OFFSET + 16;

  /** {@code sizeof(struct sockaddr_in6)}. */
  public static final int IN6_LENGTH = IN6_SCOPE_ID_OFFSET + 4;

  /** The smallest number of bytes from which the family can be read. */
  public static final int FAMILY_HEADER_LENGTH = 2;

  private SockaddrLayout layout = SockaddrLayout.LINUX;

  /** Sets the layout to read and write. */
  public SockaddrFlyweight layout(SockaddrLayout newLayout) {
    this.layout = Objects.requireNonNull(newLayout, "layout");
    return this;
  }

  /** The layout in use. */
  public SockaddrLayout layout() {
    return layout;
  }

  /** The size of the structure for the family it holds: 16, 28, or 2 for an unknown family. */
  @Override
  public int encodedLength() {
    return layout.family(familyNumber()).map(AddressFamily::sockaddrLength).orElse(2);
  }

  /** Reads the family number ({@code sa_family}). */
  public int familyNumber() {
    return layout == SockaddrLayout.LINUX
        ? getU16(offset + LINUX_FAMILY_OFFSET, order)
        : getU8(offset + BSD_FAMILY_OFFSET);
  }

  /** Writes the family: {@code sa_family}, and {@code sa_len} in the BSD layout. */
  public SockaddrFlyweight family(AddressFamily family) {
    int number = layout.familyNumber(family);
    if (layout == SockaddrLayout.LINUX) {
      putU16(offset + LINUX_FAMILY_OFFSET, number, order);
    } else {
      putU8(offset + BSD_LEN_OFFSET, family.sockaddrLength());
      putU8(offset + BSD_FAMILY_OFFSET, number);
    }
    return this;
  }

  /** Reads {@code sa_len} (BSD layout). */
  public int saLen() {
    return getU8(offset + BSD_LEN_OFFSET);
  }

  /** Reads the port (network byte order). */
  public int port() {
    return getU16(offset + PORT_OFFSET, ByteOrder.BIG_ENDIAN);
  }

  /** Writes the port (network byte order). */
  public SockaddrFlyweight port(int value) {
    putU16(offset + PORT_OFFSET, value, ByteOrder.BIG_ENDIAN);
    return this;
  }

  /** Reads {@code sin6_flowinfo} (network byte order). */
  public long flowinfo() {
    return getU32(offset + IN6_FLOWINFO_OFFSET, ByteOrder.BIG_ENDIAN);
  }

  /** Reads {@code sin6_scope_id} (host byte order). */
  public long scopeId() {
    return getU32(offset + IN6_SCOPE_ID_OFFSET, order);
  }

  /** Writes {@code sin6_scope_id} (host byte order). */
  public SockaddrFlyweight scopeId(long value) {
    putU32(offset + IN6_SCOPE_ID_OFFSET, value, order);
    return this;
  }

  /** Copies the address of a family into {@code dst} (4 or 16 bytes). */
  public void getAddress(AddressFamily family, byte[] dst) {
    int at = offset + (family == AddressFamily.AF_INET ? IN_ADDR_OFFSET : IN6_ADDR_OFFSET);
    for (int i = 0; i < family.addressLength(); i++) {
      dst[i] = buffer.get(at + i);
    }
  }

  /**
   * Writes a whole sockaddr: family (and {@code sa_len}), port, address, scope id, and zeros in
   * {@code sin_zero} / {@code sin6_flowinfo} as RFC 2367 §2.3.3 requires.
   */
  public SockaddrFlyweight set(SockAddr sa) {
    zero(offset, sa.sockaddrLength());
    family(sa.family());
    port(sa.port());
    byte[] a = sa.address();
    int at = offset + (sa.family() == AddressFamily.AF_INET ? IN_ADDR_OFFSET : IN6_ADDR_OFFSET);
    for (int i = 0; i < a.length; i++) {
      buffer.put(at + i, a[i]);
    }
    if (sa.family() == AddressFamily.AF_INET6) {
      scopeId(sa.scopeId());
    }
    return this;
  }
}
