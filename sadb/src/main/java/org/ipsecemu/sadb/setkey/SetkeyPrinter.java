package org.ipsecemu.sadb.setkey;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.NatTPortExtension;
import org.ipsecemu.sadb.wire.NatTTypeExtension;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyExtension.IpsecRequest;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;

/**
 * Prints SADB_DUMP (and SADB_GET) replies as {@code setkey -D} does and SADB_X_SPDDUMP replies as
 * {@code setkey -DP} does (libipsec {@code pfkey_sadump}, {@code pfkey_spdump}, {@code
 * ipsec_dump_policy}), keys shown as {@code setkey} shows them to root. This output is meant for a
 * person at a terminal: it is the one place besides the tree printer that shows key bytes.
 *
 * <p>Dates are the kernel's {@code ctime} form without the weekday ({@code Jan 4 20:47:29 2013}) in
 * the printer's time zone; "current" and "diff" use the {@code now} given, so output is
 * reproducible under a manual clock. Departures from libipsec, each because its behaviour is a bug
 * or meaningless here:
 *
 * <ul>
 *   <li>An IPComp SA's {@code C:} line ends with a newline (libipsec runs it into the {@code seq=}
 *       line).
 *   <li>An ESP SA whose encryption algorithm takes no key prints {@code E: null} although the reply
 *       carries no key extension, as Linux's dumps show it.
 *   <li>Upper-layer protocol 255 prints {@code any}, not the number; Linux's per-socket-policy
 *       guess from the policy id ({@code id % 8 >= 3}) is not made, since the emulator numbers
 *       policies its own way and has no per-socket policies.
 * </ul>
 */
public final class SetkeyPrinter {
  private static final DateTimeFormatter CTIME =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy", Locale.US);
  private static final String[] SATYPE = {
    "unspec", "unknown", "ah", "esp", "unknown", "rsvp", "ospfv2", "ripv2", "mip", "ipcomp",
    "policy", "tcp"
  };
  private static final String[] MODE = {"any", "transport", "tunnel"};
  private static final String[] STATE = {"larval", "mature", "dying", "dead"};
  private static final String[] DIR = {"any", "in", "out", "fwd", "in(socket)", "out(socket)"};
  private static final String[] POLICY = {"discard", "none", "ipsec", "entrust", "bypass"};
  private static final String[] LEVEL = {"default", "use", "require", "unique"};

  /**
   * libipsec's IPSEC_MANUAL_REQID_MAX: larger reqids were made by the kernel and print {@code #}.
   */
  private static final long MANUAL_REQID_MAX = 0x3fff;

  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

  private final ZoneId zone;

  /** A printer writing dates in this time zone. */
  public SetkeyPrinter(ZoneId zone) {
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  private static String pick(String[] names, int v) {
    return v >= 0 && v < names.length ? names[v] : Integer.toString(v);
  }

  /** The 20-character date {@code setkey} prints; 20 spaces for 0 (never). */
  String time(long epochSeconds) {
    if (epochSeconds == 0) {
      return " ".repeat(20);
    }
    return CTIME.format(Instant.ofEpochSecond(epochSeconds).atZone(zone));
  }

  /**
   * One SA as {@code setkey -D} prints it, ending with a newline.
   *
   * @param m a DUMP or GET reply
   * @param nowEpochSeconds the time to print as "current" and to compute "diff" from
   */
  public String sa(SadbMessage m, long nowEpochSeconds) {
    StringBuilder sb = new StringBuilder();
    Optional<AddressExtension> src = m.addressSrc();
    if (src.isEmpty()) {
      return "no ADDRESS_SRC extension.\n";
    }
    Optional<NatTTypeExtension> natt = m.find(NatTTypeExtension.class).filter(t -> t.type() != 0);
    sb.append(src.get().address().addressString());
    if (natt.isPresent()) {
      m.find(ExtensionType.SADB_X_EXT_NAT_T_SPORT, NatTPortExtension.class)
          .ifPresent(p -> sb.append('[').append(p.port()).append(']'));
    }
    sb.append(' ');
    Optional<AddressExtension> dst = m.addressDst();
    if (dst.isEmpty()) {
      return sb.append(" no ADDRESS_DST extension.\n").toString();
    }
    sb.append(dst.get().address().addressString());
    if (natt.isPresent()) {
      m.find(ExtensionType.SADB_X_EXT_NAT_T_DPORT, NatTPortExtension.class)
          .ifPresent(p -> sb.append('[').append(p.port()).append(']'));
    }
    sb.append(' ');
    Optional<SaExtension> saExt = m.sa();
    if (saExt.isEmpty()) {
      return sb.append("no SA extension.\n").toString();
    }
    Optional<Sa2Extension> sa2 = m.sa2();
    if (sa2.isEmpty()) {
      return sb.append("no SA2 extension.\n").toString();
    }
    SaExtension sa = saExt.get();
    sb.append("\n\t");
    boolean esp = m.satype() == SaType.SADB_SATYPE_ESP.value();
    if (natt.isPresent() && esp) {
      sb.append("esp-udp ");
    } else {
      if (natt.isPresent()) {
        sb.append("natt+");
      }
      sb.append(pick(SATYPE, m.satype())).append(' ');
    }
    sb.append("mode=").append(pick(MODE, sa2.get().mode())).append(' ');
    sb.append(
        String.format(
            "spi=%d(0x%08x) reqid=%d(0x%08x)\n",
            sa.spi(), sa.spi(), sa2.get().reqid(), sa2.get().reqid()));
    if (natt.isPresent()) {
      m.find(ExtensionType.SADB_X_EXT_NAT_T_OA, AddressExtension.class)
          .ifPresent(a -> sb.append("\tNAT OA=").append(a.address().addressString()).append('\n'));
    }
    Optional<KeyExtension> enc = m.keyEncrypt();
    if (m.satype() == SaType.SADB_X_SATYPE_IPCOMP.value()) {
      sb.append("\tC: ").append(SetkeyNames.compression(sa.encrypt())).append(" \n");
    } else if (esp && (enc.isPresent() || sa.encrypt() != 0)) {
      sb.append("\tE: ").append(SetkeyNames.encrypt(sa.encrypt())).append(' ');
      enc.ifPresent(k -> hexdump(sb, k));
      sb.append('\n');
    }
    m.keyAuth()
        .ifPresent(
            k -> {
              sb.append("\tA: ").append(SetkeyNames.auth(sa.auth())).append(' ');
              hexdump(sb, k);
              sb.append('\n');
            });
    sb.append(
        String.format(
            "\tseq=0x%08x replay=%d flags=0x%08x state=%s \n",
            sa2.get().sequence(), sa.replay(), sa.flags(), pick(STATE, sa.state())));
    Optional<LifetimeExtension> cur = m.lifetimeCurrent();
    if (cur.isPresent()) {
      LifetimeExtension c = cur.get();
      LifetimeExtension h = m.lifetimeHard().orElse(null);
      LifetimeExtension s = m.lifetimeSoft().orElse(null);
      sb.append("\tcreated: ").append(time(c.addtime()));
      sb.append("\tcurrent: ").append(time(nowEpochSeconds)).append('\n');
      long diff = c.addtime() == 0 ? 0 : nowEpochSeconds - c.addtime();
      sb.append("\tdiff: ").append(Long.toUnsignedString(diff)).append("(s)");
      sb.append("\thard: ").append(u(h == null ? 0 : h.addtime())).append("(s)");
      sb.append("\tsoft: ").append(u(s == null ? 0 : s.addtime())).append("(s)\n");
      sb.append("\tlast: ").append(time(c.usetime()));
      sb.append("\thard: ").append(u(h == null ? 0 : h.usetime())).append("(s)");
      sb.append("\tsoft: ").append(u(s == null ? 0 : s.usetime())).append("(s)\n");
      sb.append("\tcurrent: ").append(u(c.bytes())).append("(bytes)");
      sb.append("\thard: ").append(u(h == null ? 0 : h.bytes())).append("(bytes)");
      sb.append("\tsoft: ").append(u(s == null ? 0 : s.bytes())).append("(bytes)\n");
      sb.append("\tallocated: ").append(c.allocations());
      sb.append("\thard: ").append(h == null ? 0 : h.allocations());
      sb.append("\tsoft: ").append(s == null ? 0 : s.allocations()).append('\n');
    }
    sb.append("\tsadb_seq=")
        .append(m.seq())
        .append(" pid=")
        .append(m.pid())
        .append(" refcnt=")
        .append(m.reserved())
        .append('\n');
    return sb.toString();
  }

  private static String u(long v) {
    return Long.toUnsignedString(v);
  }

  /** libipsec's {@code ipsec_hexdump}: " " before each 4 bytes, a line break every 32. */
  private static void hexdump(StringBuilder sb, KeyExtension k) {
    byte[] key = k.key();
    int n = Math.min(key.length, k.bits() / 8);
    for (int i = 0; i < n; i++) {
      if (i != 0 && i % 32 == 0) {
        sb.append('\n');
      }
      if (i % 4 == 0) {
        sb.append(' ');
      }
      sb.append(HEX_DIGITS[(key[i] >> 4) & 0xF]).append(HEX_DIGITS[key[i] & 0xF]);
    }
  }

  /**
   * One policy as {@code setkey -DP} prints it, ending with a newline.
   *
   * @param m an SPDDUMP (or SPDGET) reply
   */
  public String policy(SadbMessage m) {
    StringBuilder sb = new StringBuilder();
    Optional<AddressExtension> src = m.addressSrc();
    Optional<AddressExtension> dst = m.addressDst();
    if (src.isPresent() && dst.isPresent()) {
      AddressExtension s = src.get();
      AddressExtension d = dst.get();
      sb.append(s.address().addressString())
          .append(prefport(s.address(), s.prefixlen(), s.proto()))
          .append(' ');
      sb.append(d.address().addressString())
          .append(prefport(d.address(), d.prefixlen(), s.proto()))
          .append(' ');
      if (s.proto() != d.proto()) {
        return sb.append("upper layer protocol mismatched.\n").toString();
      }
      upperspec(sb, s.proto(), s.address().port(), d.address().port());
    } else {
      sb.append("(no selector, probably per-socket policy) ");
    }
    Optional<PolicyExtension> xpl = m.policy();
    if (xpl.isEmpty()) {
      return sb.append("no X_POLICY extension.\n").toString();
    }
    sb.append("\n\t").append(policyText(xpl.get(), "\n\t")).append('\n');
    m.lifetimeCurrent()
        .ifPresent(
            c ->
                sb.append("\tcreated: ")
                    .append(time(c.addtime()))
                    .append("  lastused: ")
                    .append(time(c.usetime()))
                    .append('\n'));
    m.lifetimeHard()
        .ifPresent(
            h ->
                sb.append("\tlifetime: ")
                    .append(u(h.addtime()))
                    .append("(s) validtime: ")
                    .append(u(h.usetime()))
                    .append("(s)\n"));
    sb.append("\tspid=")
        .append(xpl.get().id())
        .append(" seq=")
        .append(m.seq())
        .append(" pid=")
        .append(m.pid())
        .append('\n');
    sb.append("\trefcnt=").append(m.reserved()).append('\n');
    return sb.toString();
  }

  private static String prefport(SockAddr a, int prefix, int proto) {
    StringBuilder sb = new StringBuilder();
    if (prefix != a.family().addressLength() * 8) {
      sb.append('/').append(prefix);
    }
    if (proto != IpProtocols.ICMP
        && proto != IpProtocols.ICMPV6
        && proto != IpProtocols.MH
        && proto != IpProtocols.GRE) {
      sb.append(a.port() == 0 ? "[any]" : "[" + a.port() + "]");
    }
    return sb.toString();
  }

  private static void upperspec(StringBuilder sb, int proto, int p1, int p2) {
    sb.append(IpProtocols.name(proto));
    if (p1 == 0 && p2 == 0) {
      return;
    }
    if (proto == IpProtocols.ICMP || proto == IpProtocols.ICMPV6 || proto == IpProtocols.MH) {
      sb.append(' ').append(p1).append(',').append(p2);
    } else if (proto == IpProtocols.GRE) {
      sb.append(' ').append(((long) p1 << 16) + p2);
    }
  }

  /**
   * A policy as libipsec's {@code ipsec_dump_policy} writes it: {@code out prio def ipsec}, then
   * each request after {@code delimiter}.
   */
  public static String policyText(PolicyExtension p, String delimiter) {
    StringBuilder sb = new StringBuilder(pick(DIR, p.dir()));
    String prio = priority(p.priority());
    if (!prio.isEmpty()) {
      sb.append(' ').append(prio);
    }
    sb.append(' ').append(pick(POLICY, p.type()));
    for (IpsecRequest r : p.requests()) {
      sb.append(delimiter).append(request(r));
    }
    return sb.toString();
  }

  /** {@code prio def}, {@code prio high + 5}, ... or nothing for priority 0 (libipsec's rule). */
  private static String priority(long prio) {
    if (prio == 0) {
      return "";
    }
    long base;
    String name;
    if (prio < PolicyParser.PRIORITY_DEFAULT / 4 * 3) {
      base = PolicyParser.PRIORITY_HIGH;
      name = "prio high";
    } else if (prio < PolicyParser.PRIORITY_DEFAULT / 4 * 5) {
      base = PolicyParser.PRIORITY_DEFAULT;
      name = "prio def";
    } else {
      base = PolicyParser.PRIORITY_LOW;
      name = "prio low";
    }
    long offset = base - prio; // a smaller number is a higher priority: "+"
    if (offset == 0) {
      return name;
    }
    return name + (offset > 0 ? " + " : " - ") + Math.abs(offset);
  }

  private static String request(IpsecRequest r) {
    String proto =
        switch (r.proto()) {
          case 50 -> "esp";
          case 51 -> "ah";
          case 108 -> "ipcomp";
          default -> Integer.toString(r.proto());
        };
    String ends =
        r.hasEndpoints()
            ? r.tunnelSource().addressString() + "-" + r.tunnelDestination().addressString()
            : "";
    String s = proto + "/" + pick(MODE, r.mode()) + "/" + ends + "/" + pick(LEVEL, r.level());
    if (r.reqid() != 0) {
      s += (r.reqid() > MANUAL_REQID_MAX ? "#" : ":") + r.reqid();
    }
    return s;
  }
}
