package org.ipsecemu.sadb.setkey;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * IP protocol numbers and the names {@code setkey} reads and prints for them: the {@code
 * /etc/protocols} names of Debian's netbase (so output does not depend on the machine), plus the
 * aliases {@code setkey} knows ({@code icmp6}, {@code ip4}, {@code any}).
 */
public final class IpProtocols {
  /** {@code IPSEC_ULPROTO_ANY}: any upper-layer protocol. */
  public static final int ANY = 255;

  /** ICMP. */
  public static final int ICMP = 1;

  /** GRE. */
  public static final int GRE = 47;

  /** ICMPv6. */
  public static final int ICMPV6 = 58;

  /** Mobility Header. */
  public static final int MH = 135;

  private static final Map<String, Integer> BY_NAME = new LinkedHashMap<>();
  private static final Map<Integer, String> BY_NUMBER = new LinkedHashMap<>();

  static {
    add("ip", 0);
    add("icmp", 1);
    add("igmp", 2);
    add("ipencap", 4);
    add("tcp", 6);
    add("egp", 8);
    add("udp", 17);
    add("ipv6", 41);
    add("ipv6-route", 43);
    add("ipv6-frag", 44);
    add("rsvp", 46);
    add("gre", 47);
    add("esp", 50);
    add("ah", 51);
    add("ipv6-icmp", 58);
    add("ipv6-nonxt", 59);
    add("ipv6-opts", 60);
    add("ospf", 89);
    add("pim", 103);
    add("ipcomp", 108);
    add("vrrp", 112);
    add("l2tp", 115);
    add("sctp", 132);
    add("mobility-header", 135);
    add("udplite", 136);
    add("any", ANY);
    BY_NAME.put("icmp6", ICMPV6);
    BY_NAME.put("ip4", 4);
    BY_NAME.put("mh", MH);
  }

  private IpProtocols() {}

  private static void add(String name, int number) {
    BY_NAME.put(name, number);
    BY_NUMBER.put(number, name);
  }

  /** The number of a protocol name or decimal number (0..255), or empty. */
  public static Optional<Integer> parse(String text) {
    Integer n = BY_NAME.get(text.toLowerCase(Locale.ROOT));
    if (n != null) {
      return Optional.of(n);
    }
    if (text.matches("\\d{1,3}")) {
      int v = Integer.parseInt(text);
      return v <= 255 ? Optional.of(v) : Optional.empty();
    }
    return Optional.empty();
  }

  /** The name {@code setkey -DP} prints for a protocol number, or the number. */
  public static String name(int number) {
    String n = BY_NUMBER.get(number);
    return n != null ? n : Integer.toString(number);
  }
}
