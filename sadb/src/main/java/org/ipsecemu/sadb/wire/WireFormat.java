package org.ipsecemu.sadb.wire;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The host-dependent parts of the PF_KEY wire format: the byte order of multi-octet fields (RFC
 * 2367 §2: "host-specific byte order", except {@code sadb_sa_spi}, ports and addresses, which are
 * in network order) and the sockaddr layout.
 *
 * <p>The default is x86 Linux: little-endian, Linux sockaddrs.
 *
 * @param byteOrder the host byte order of multi-octet fields
 * @param sockaddrLayout the layout of sockaddrs in address extensions and IPsec requests
 */
public record WireFormat(ByteOrder byteOrder, SockaddrLayout sockaddrLayout) {
  /** x86 Linux: little-endian, no {@code sa_len}. The default. */
  public static final WireFormat LINUX =
      new WireFormat(ByteOrder.LITTLE_ENDIAN, SockaddrLayout.LINUX);

  /** The default format, {@link #LINUX}. */
  public static final WireFormat DEFAULT = LINUX;

  /** Validates the components. */
  public WireFormat {
    Objects.requireNonNull(byteOrder, "byteOrder");
    Objects.requireNonNull(sockaddrLayout, "sockaddrLayout");
  }

  /** This format with another byte order. */
  public WireFormat withByteOrder(ByteOrder order) {
    return new WireFormat(order, sockaddrLayout);
  }

  /** This format with another sockaddr layout. */
  public WireFormat withSockaddrLayout(SockaddrLayout layout) {
    return new WireFormat(byteOrder, layout);
  }

  @Override
  public String toString() {
    return (byteOrder == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian")
        + "/"
        + sockaddrLayout.name().toLowerCase(java.util.Locale.ROOT);
  }
}
