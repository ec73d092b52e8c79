package org.ipsecemu.datapath.packet;

/**
 * IP protocol numbers (IPv4 Protocol, IPv6 Next Header) that the datapath names, with the IANA
 * "Assigned Internet Protocol Numbers" keyword, so that traces print {@code IPv6-Route} rather than
 * {@code 43}.
 *
 * <p>The hot path compares plain {@code int}s ({@link #value()} of these constants); numbers
 * without a constant here stay numbers and print as {@code UNKNOWN(n)} through {@link #name(int)}.
 */
public enum IpProtocol {
  HOPOPT(0, "HOPOPT"),
  ICMP(1, "ICMP"),
  IGMP(2, "IGMP"),
  IPV4(4, "IPv4"),
  TCP(6, "TCP"),
  UDP(17, "UDP"),
  DCCP(33, "DCCP"),
  IPV6(41, "IPv6"),
  IPV6_ROUTE(43, "IPv6-Route"),
  IPV6_FRAG(44, "IPv6-Frag"),
  GRE(47, "GRE"),
  ESP(50, "ESP"),
  AH(51, "AH"),
  IPV6_ICMP(58, "IPv6-ICMP"),
  IPV6_NONXT(59, "IPv6-NoNxt"),
  IPV6_OPTS(60, "IPv6-Opts"),
  IPCOMP(108, "IPComp"),
  SCTP(132, "SCTP"),
  MOBILITY_HEADER(135, "Mobility Header"),
  UDPLITE(136, "UDPLite"),
  HIP(139, "HIP"),
  SHIM6(140, "Shim6");

  private static final IpProtocol[] BY_VALUE = new IpProtocol[256];

  static {
    for (IpProtocol p : values()) {
      BY_VALUE[p.value] = p;
    }
  }

  private final int value;
  private final String keyword;

  IpProtocol(int value, String keyword) {
    this.value = value;
    this.keyword = keyword;
  }

  /** The protocol number, 0..255. */
  public int value() {
    return value;
  }

  /** The IANA keyword, e.g. {@code IPv6-ICMP}. */
  public String keyword() {
    return keyword;
  }

  /** The constant for {@code value}, or {@code null} when this enum does not name it. */
  public static IpProtocol valueOf(int value) {
    return value >= 0 && value < 256 ? BY_VALUE[value] : null;
  }

  /** The IANA keyword for {@code value}, or {@code UNKNOWN(value)}. */
  public static String name(int value) {
    IpProtocol p = valueOf(value);
    return p != null ? p.keyword : "UNKNOWN(" + value + ")";
  }

  @Override
  public String toString() {
    return keyword;
  }
}
