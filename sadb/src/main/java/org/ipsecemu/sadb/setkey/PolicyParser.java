package org.ipsecemu.sadb.setkey;

import java.util.ArrayList;
import java.util.List;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyExtension.IpsecRequest;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.SockAddr;

/**
 * The policy after {@code -P}, as libipsec's {@code ipsec_set_policy} reads it ({@code
 * policy_parse.y}, {@code policy_token.l}) into a {@code struct sadb_x_policy}:
 *
 * <pre>
 *   DIR [prio SPEC] ACTION [PROTO/MODE/[SRC-DST]/[LEVEL] ...]
 *   DIR                      (spddelete: direction only; type and priority 0)
 * </pre>
 *
 * <p>{@code DIR} is {@code in}, {@code out} or {@code fwd}; {@code ACTION} is {@code discard},
 * {@code none}, {@code ipsec}, {@code entrust} or {@code bypass}; a request's level is {@code
 * default}, {@code use}, {@code require}, {@code unique} or {@code unique:N} (N the reqid). As on
 * Linux ({@code HAVE_PFKEY_POLICY_PRIORITY}), a policy with an action gets priority {@code
 * 0x80000000} ("def") unless it says otherwise: {@code prio N} (higher N, earlier in the list:
 * {@code def - N}), {@code prio -N}, {@code prio low|def|high [+|- N]}.
 *
 * <p>Requests are only accepted with the {@code ipsec} action (libipsec takes and the kernel
 * ignores them elsewhere; an error here says more).
 */
final class PolicyParser {
  /** libpfkey's PRIORITY_LOW. */
  static final long PRIORITY_LOW = 0xC000_0000L;

  /** libpfkey's PRIORITY_DEFAULT. */
  static final long PRIORITY_DEFAULT = 0x8000_0000L;

  /** libpfkey's PRIORITY_HIGH. */
  static final long PRIORITY_HIGH = 0x4000_0000L;

  private static final int IPPROTO_ESP = 50;
  private static final int IPPROTO_AH = 51;
  private static final int IPPROTO_IPCOMP = 108;

  private final List<String> words = new ArrayList<>();
  private final SourceLocation where;
  private int i;

  private PolicyParser(String text, SourceLocation where) {
    for (String w : text.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    this.where = where;
  }

  /**
   * Parses a policy.
   *
   * @throws SetkeySyntaxException naming the policy's line and the offending word
   */
  static PolicyExtension parse(String text, SourceLocation where) {
    return new PolicyParser(text, where).policy();
  }

  private SetkeySyntaxException error(String token, String problem) {
    return new SetkeySyntaxException(where, token, problem);
  }

  private String next(String expected) {
    if (i >= words.size()) {
      throw error(";", "policy ends early: expected " + expected);
    }
    return words.get(i++);
  }

  private PolicyExtension policy() {
    String d = next("a direction (in, out, fwd)");
    int dir =
        switch (d) {
          case "in" -> PolicyDirection.IPSEC_DIR_INBOUND.value();
          case "out" -> PolicyDirection.IPSEC_DIR_OUTBOUND.value();
          case "fwd" -> PolicyDirection.IPSEC_DIR_FWD.value();
          default -> throw error(d, "unknown policy direction (in, out, fwd)");
        };
    if (i == words.size()) {
      // "DIR" alone, as spddelete takes it: libipsec sends type 0 and priority 0.
      return new PolicyExtension(0, dir, 0, 0, List.of());
    }
    long priority = PRIORITY_DEFAULT;
    if (words.get(i).equals("prio") || words.get(i).equals("priority")) {
      i++;
      priority = priority();
    }
    String a = next("an action (discard, none, ipsec, entrust, bypass)");
    int type =
        switch (a) {
          case "discard" -> PolicyType.IPSEC_POLICY_DISCARD.value();
          case "none" -> PolicyType.IPSEC_POLICY_NONE.value();
          case "ipsec" -> PolicyType.IPSEC_POLICY_IPSEC.value();
          case "entrust" -> PolicyType.IPSEC_POLICY_ENTRUST.value();
          case "bypass" -> PolicyType.IPSEC_POLICY_BYPASS.value();
          default ->
              throw error(a, "unknown policy action (discard, none, ipsec, entrust, bypass)");
        };
    List<IpsecRequest> requests = new ArrayList<>();
    while (i < words.size()) {
      String r = words.get(i++);
      if (type != PolicyType.IPSEC_POLICY_IPSEC.value()) {
        throw error(r, "requests are only allowed with the ipsec action");
      }
      requests.add(request(r, dir));
    }
    return new PolicyExtension(type, dir, 0, priority, requests);
  }

  private long priority() {
    String w = next("a priority");
    long base = PRIORITY_DEFAULT;
    boolean named = true;
    switch (w) {
      case "low" -> base = PRIORITY_LOW;
      case "def" -> base = PRIORITY_DEFAULT;
      case "high" -> base = PRIORITY_HIGH;
      default -> named = false;
    }
    String sign;
    String digits;
    if (named) {
      if (i >= words.size() || !(words.get(i).startsWith("+") || words.get(i).startsWith("-"))) {
        return base;
      }
      w = words.get(i++);
    }
    if (w.equals("+") || w.equals("-")) {
      sign = w;
      digits = next("a priority offset");
    } else if (w.startsWith("+") || w.startsWith("-")) {
      sign = w.substring(0, 1);
      digits = w.substring(1);
    } else {
      // "prio N" without a base: an offset from the default, higher N earlier in the list.
      sign = "+";
      digits = w;
    }
    if (!digits.matches("\\d{1,10}")) {
      throw error(digits, "bad priority offset");
    }
    long offset = Long.parseLong(digits);
    long p = sign.equals("+") ? base - offset : base + offset;
    if (p < 0 || p > 0xFFFF_FFFFL) {
      throw error(digits, "priority out of range 0..4294967295 priority=" + p);
    }
    return p;
  }

  private IpsecRequest request(String r, int dir) {
    String[] parts = r.split("/", -1);
    if (parts.length < 2 || parts[1].isEmpty()) {
      throw error(r, "request needs at least protocol/mode");
    }
    if (parts.length > 4) {
      throw error(r, "request has too many parts (protocol/mode/src-dst/level)");
    }
    int proto =
        switch (parts[0]) {
          case "esp" -> IPPROTO_ESP;
          case "ah" -> IPPROTO_AH;
          case "ipcomp" -> IPPROTO_IPCOMP;
          default -> throw error(r, "unknown protocol in request (esp, ah, ipcomp)");
        };
    int mode =
        switch (parts[1]) {
          case "transport" -> IpsecMode.IPSEC_MODE_TRANSPORT.value();
          case "tunnel" -> IpsecMode.IPSEC_MODE_TUNNEL.value();
          default -> throw error(r, "unknown mode in request (transport, tunnel)");
        };
    SockAddr src = null;
    SockAddr dst = null;
    if (parts.length >= 3 && !parts[2].isEmpty()) {
      String ends = parts[2];
      if (ends.equals("me-any") || ends.equals("any-me")) {
        boolean ok =
            ends.equals("me-any")
                ? dir == PolicyDirection.IPSEC_DIR_OUTBOUND.value()
                : dir == PolicyDirection.IPSEC_DIR_INBOUND.value();
        if (!ok) {
          throw error(r, ends + " does not fit the policy direction");
        }
      } else {
        int dash = ends.indexOf('-');
        if (dash <= 0 || dash == ends.length() - 1 || ends.indexOf('-', dash + 1) >= 0) {
          throw error(r, "tunnel endpoints must be written SRC-DST");
        }
        src = endpoint(ends.substring(0, dash), r);
        dst = endpoint(ends.substring(dash + 1), r);
        if (src.family() != dst.family()) {
          throw error(r, "tunnel endpoints of different address families");
        }
      }
    }
    int level = IpsecLevel.IPSEC_LEVEL_DEFAULT.value();
    long reqid = 0;
    if (parts.length == 4 && !parts[3].isEmpty()) {
      String l = parts[3];
      if (l.matches("unique[:#]\\d{1,10}")) {
        level = IpsecLevel.IPSEC_LEVEL_UNIQUE.value();
        reqid = Long.parseLong(l.substring(7));
        if (reqid > 0xFFFF_FFFFL) {
          throw error(r, "reqid out of range 0..4294967295");
        }
      } else {
        level =
            switch (l) {
              case "default" -> IpsecLevel.IPSEC_LEVEL_DEFAULT.value();
              case "use" -> IpsecLevel.IPSEC_LEVEL_USE.value();
              case "require" -> IpsecLevel.IPSEC_LEVEL_REQUIRE.value();
              case "unique" -> IpsecLevel.IPSEC_LEVEL_UNIQUE.value();
              default -> throw error(r, "unknown level (default, use, require, unique[:N])");
            };
      }
    }
    if (mode == IpsecMode.IPSEC_MODE_TUNNEL.value() && src == null) {
      throw error(r, "tunnel mode needs the endpoints SRC-DST");
    }
    return new IpsecRequest(proto, mode, level, reqid, src, dst);
  }

  private SockAddr endpoint(String text, String request) {
    int port = 0;
    String host = text;
    int lb = text.indexOf('[');
    if (lb >= 0) {
      if (!text.endsWith("]") || !text.substring(lb + 1, text.length() - 1).matches("\\d{1,5}")) {
        throw error(request, "bad port in endpoint " + text);
      }
      port = Integer.parseInt(text.substring(lb + 1, text.length() - 1));
      if (port > 0xFFFF) {
        throw error(request, "port out of range 0..65535 port=" + port);
      }
      host = text.substring(0, lb);
    }
    try {
      return Addresses.parse(host, port);
    } catch (IllegalArgumentException e) {
      throw error(request, e.getMessage());
    }
  }
}
