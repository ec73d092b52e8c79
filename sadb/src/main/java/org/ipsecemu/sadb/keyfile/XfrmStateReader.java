package org.ipsecemu.sadb.keyfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.alg.AlgorithmKind;
import org.ipsecemu.sadb.setkey.SaSpec;
import org.ipsecemu.sadb.setkey.SourceLocation;
import org.ipsecemu.sadb.wire.AuthAlgorithm;
import org.ipsecemu.sadb.wire.CompressionAlgorithm;
import org.ipsecemu.sadb.wire.EncryptAlgorithm;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.NatTraversalType;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SockAddr;

/**
 * Reads the SAs Linux's {@code ip xfrm state} prints (iproute2 {@code ipxfrm.c}), keys included,
 * and the {@code ip xfrm state add|update} commands that create them (one per line, {@code \}
 * continuations joined):
 *
 * <pre>
 * src 192.0.2.1 dst 192.0.2.2
 * 	proto esp spi 0x00001001 reqid 1 mode tunnel
 * 	replay-window 32 flag af-unspec esn
 * 	auth-trunc hmac(sha1) 0xe41f8cac02a356acb6c9cea49d55b0f889e128f4 96
 * 	enc cbc(des3_ede) 0xd5430ec7c2a48c5efd0df1514ff23d0d40495dad3e577976
 * 	encap type espinudp sport 4500 dport 4500 addr 0.0.0.0
 * 	anti-replay context: seq 0x0, oseq 0x0, bitmap 0x00000000
 * 	sel src 0.0.0.0/0 dst 0.0.0.0/0
 * ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1008 mode transport \
 *     aead 'rfc4106(gcm(aes))' 0xfad7d6b705af431721a6c0122b226f1b7702a353 128
 * </pre>
 *
 * <p>What each part becomes:
 *
 * <ul>
 *   <li>Algorithms by their Linux crypto names ({@code cbc(aes)}, {@code hmac(sha256)}, {@code
 *       rfc4106(gcm(aes))}, the old short names too); {@code auth-trunc} and {@code aead} lengths
 *       become {@link SaSpec#icvBits()} when they differ from the algorithm table's ICV, and a
 *       plain {@code auth} gets Linux's default truncation (96 bits for {@code hmac(sha256)}, which
 *       is not RFC 4868's 128). {@code digest_null} is no authentication.
 *   <li>{@code flag esn} sets {@link SaSpec#esn()}; the window of an ESN state's {@code anti-replay
 *       esn context} is used when {@code replay-window} says 0. Other flags are ignored.
 *   <li>{@code encap espinudp} (either spelling) becomes NAT traversal; a non-zero {@code addr} is
 *       the NAT original address.
 *   <li>{@code lifetime config} limits (from {@code ip -s xfrm state}) and {@code limit} options
 *       become HARD/SOFT lifetimes: bytes, seconds after add, seconds after use, and packets as
 *       {@code sadb_lifetime_allocations} (Linux's own PF_KEY mapping).
 *   <li>States of other protocols ({@code route2}, {@code hao}) are not IPsec SAs and are skipped.
 *       Output lines this reader does not know are ignored, so newer iproute2 output still reads;
 *       an unknown option in a command is an error.
 * </ul>
 */
public final class XfrmStateReader {

  /** Linux crypto names outside the algorithm table, with their PF_KEY numbers. */
  private static final Map<String, Integer> OTHER_ENCRYPT =
      Map.of(
          "cbc(blowfish)", EncryptAlgorithm.SADB_X_EALG_BLOWFISHCBC.value(),
          "blowfish", EncryptAlgorithm.SADB_X_EALG_BLOWFISHCBC.value(),
          "cbc(cast5)", EncryptAlgorithm.SADB_X_EALG_CASTCBC.value(),
          "cast5", EncryptAlgorithm.SADB_X_EALG_CASTCBC.value(),
          "rfc3686(ctr(aes))", EncryptAlgorithm.SADB_X_EALG_AESCTR.value(),
          "cbc(camellia)", EncryptAlgorithm.SADB_X_EALG_CAMELLIACBC.value(),
          "cbc(twofish)", EncryptAlgorithm.SADB_X_EALG_TWOFISHCBC.value(),
          "cbc(serpent)", EncryptAlgorithm.SADB_X_EALG_SERPENTCBC.value());

  private static final Map<String, Integer> OTHER_AUTH =
      Map.of(
          "hmac(sha384)", AuthAlgorithm.SADB_X_AALG_SHA2_384HMAC.value(),
          "sha384", AuthAlgorithm.SADB_X_AALG_SHA2_384HMAC.value(),
          "hmac(sha512)", AuthAlgorithm.SADB_X_AALG_SHA2_512HMAC.value(),
          "sha512", AuthAlgorithm.SADB_X_AALG_SHA2_512HMAC.value(),
          "hmac(rmd160)", AuthAlgorithm.SADB_X_AALG_RIPEMD160HMAC.value(),
          "rmd160", AuthAlgorithm.SADB_X_AALG_RIPEMD160HMAC.value(),
          "xcbc(aes)", AuthAlgorithm.SADB_X_AALG_AES_XCBC_MAC.value());

  /** Linux's ICV truncation for {@code auth} without {@code -trunc} ({@code xfrm_algo.c}). */
  private static final Map<Integer, Integer> LINUX_DEFAULT_TRUNC_BITS =
      Map.of(
          AuthAlgorithm.SADB_AALG_MD5HMAC.value(), 96,
          AuthAlgorithm.SADB_AALG_SHA1HMAC.value(), 96,
          AuthAlgorithm.SADB_X_AALG_SHA2_256HMAC.value(), 96,
          AuthAlgorithm.SADB_X_AALG_SHA2_384HMAC.value(), 192,
          AuthAlgorithm.SADB_X_AALG_SHA2_512HMAC.value(), 256,
          AuthAlgorithm.SADB_X_AALG_RIPEMD160HMAC.value(), 96,
          AuthAlgorithm.SADB_X_AALG_AES_XCBC_MAC.value(), 96);

  private static final Set<String> SELECTOR_WORDS =
      Set.of("src", "dst", "proto", "sport", "dport", "type", "code", "key", "dev");

  private static final Pattern LIMIT =
      Pattern.compile(
          "limit: soft (\\S+?)\\((bytes|packets)\\), hard (\\S+?)\\((bytes|packets)\\)");
  private static final Pattern EXPIRE =
      Pattern.compile("expire (add|use): soft (\\d+)\\(sec\\), hard (\\d+)\\(sec\\)");
  private static final Pattern ESN_WINDOW = Pattern.compile("replay_window (\\d+),.*");

  private XfrmStateReader() {}

  /**
   * The SAs of {@code ip xfrm state} output or {@code ip xfrm state add} commands.
   *
   * @throws KeyFileException naming the line of anything it cannot read
   */
  public static List<SaSpec> read(String text, String file) {
    List<SaSpec> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    State st = null;
    int fieldIndent = -1;
    String section = "";
    for (int n = 0; n < lines.length; n++) {
      String raw = lines[n];
      String line = raw.strip();
      SourceLocation at = new SourceLocation(file, n + 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int indent = indent(raw);
      if (indent == 0) {
        finish(st, out);
        st = null;
        if (line.startsWith("src ")) {
          st = new State(at);
          fieldIndent = -1;
          section = "";
          interpret(st, tokens(line, at), at, false);
        } else if (line.startsWith("ip ")) {
          StringBuilder cmd = new StringBuilder(line);
          while (cmd.toString().endsWith("\\") && n + 1 < lines.length) {
            cmd.setLength(cmd.length() - 1);
            cmd.append(' ').append(lines[++n].strip());
          }
          command(cmd.toString(), at, out);
        } else {
          throw new KeyFileException(
              at, "expected \"src ADDR dst ADDR\" or \"ip xfrm state add ...\"");
        }
        continue;
      }
      if (st == null) {
        throw new KeyFileException(at, "indented line outside a state");
      }
      if (fieldIndent < 0 || indent <= fieldIndent) {
        fieldIndent = indent;
        String first = line.split("\\s+")[0];
        section = first.equals("lifetime") || first.equals("anti-replay") ? line : first;
        if (Set.of("proto", "replay-window", "auth", "auth-trunc", "enc", "aead", "comp", "encap")
            .contains(first)) {
          interpret(st, tokens(line, at), at, false);
        } else if (line.startsWith("anti-replay esn context:")) {
          st.esnContext = true;
        }
        continue;
      }
      sub(st, section, line, at);
    }
    finish(st, out);
    return out;
  }

  private static int indent(String raw) {
    int w = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\t') {
        w = (w / 8 + 1) * 8;
      } else if (c == ' ') {
        w++;
      } else {
        break;
      }
    }
    return w;
  }

  /** Lines below {@code lifetime config:} and {@code anti-replay esn context:}. */
  private static void sub(State st, String section, String line, SourceLocation at) {
    if (section.startsWith("lifetime config")) {
      Matcher l = LIMIT.matcher(line);
      if (l.matches()) {
        int slot = l.group(2).equals("bytes") ? 1 : 0;
        st.soft[slot] = limit(l.group(1), at);
        st.hard[slot] = limit(l.group(3), at);
        return;
      }
      Matcher e = EXPIRE.matcher(line);
      if (e.matches()) {
        int slot = e.group(1).equals("add") ? 2 : 3;
        st.soft[slot] = KeyFileText.unsigned(e.group(2), Long.MAX_VALUE, at, "expire");
        st.hard[slot] = KeyFileText.unsigned(e.group(3), Long.MAX_VALUE, at, "expire");
      }
    } else if (section.startsWith("anti-replay esn context")) {
      Matcher w = ESN_WINDOW.matcher(line);
      if (w.matches()) {
        st.esnWindow =
            (int) KeyFileText.unsigned(w.group(1), Integer.MAX_VALUE, at, "replay_window");
      }
    }
  }

  private static long limit(String v, SourceLocation at) {
    return v.equals("(INF)") ? 0 : KeyFileText.unsigned(v, Long.MAX_VALUE, at, "limit");
  }

  /** One {@code ip ... xfrm state add|update ...} command line. */
  private static void command(String line, SourceLocation at, List<SaSpec> out) {
    List<String> t = tokens(line, at);
    int i = 1;
    while (i < t.size() && t.get(i).startsWith("-")) {
      i++; // ip options such as -4, -6, -n NETNS is not supported but -s is harmless
    }
    if (i + 2 >= t.size()
        || !t.get(i).startsWith("x")
        || !(t.get(i + 1).equals("state") || t.get(i + 1).equals("sa"))) {
      throw new KeyFileException(at, "expected \"ip xfrm state add|update ...\"");
    }
    String verb = t.get(i + 2);
    if (!verb.equals("add") && !verb.equals("update") && !verb.equals("a")) {
      throw new KeyFileException(at, "only \"ip xfrm state add|update\" creates an SA");
    }
    State st = new State(at);
    interpret(st, t.subList(i + 3, t.size()), at, true);
    finish(st, out);
  }

  /** Splits a line into words, keeping quoted parts ({@code 'rfc4106(gcm(aes))'}) together. */
  private static List<String> tokens(String line, SourceLocation at) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        any = true;
      } else if (Character.isWhitespace(c)) {
        if (any || cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
          any = false;
        }
      } else {
        cur.append(c);
      }
    }
    if (quote != 0) {
      throw new KeyFileException(at, "unterminated quote");
    }
    if (any || cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  /** What is known of one state while its parts are read. */
  private static final class State {
    final SourceLocation start;
    SockAddr src;
    SockAddr dst;
    String proto;
    long spi = -1;
    long reqid;
    String mode = "transport";
    SourceLocation modeAt;
    int replay;
    int esnWindow;
    boolean esnContext;
    boolean esn;
    int encrypt;
    byte[] encryptKey;
    int auth;
    byte[] authKey;
    int icvBits;
    SaSpec.NatTraversal natt;
    final long[] hard = new long[4]; // allocations (packets), bytes, addtime, usetime
    final long[] soft = new long[4];

    State(SourceLocation start) {
      this.start = start;
    }
  }

  /**
   * Reads keyword-value pairs. In a command every word must be understood; in output, a line's
   * unknown remainder is ignored.
   */
  private static void interpret(State st, List<String> t, SourceLocation at, boolean strict) {
    int i = 0;
    while (i < t.size()) {
      String k = t.get(i);
      int need =
          switch (k) {
            case "src",
                "dst",
                "proto",
                "spi",
                "reqid",
                "mode",
                "replay-window",
                "replay-seq",
                "replay-oseq",
                "replay-seq-hi",
                "replay-oseq-hi",
                "seq",
                "coa",
                "ctx",
                "if_id",
                "tfcpad",
                "dir",
                "comp" ->
                1;
            case "enc", "auth" -> 2;
            case "auth-trunc", "aead" -> 3;
            default -> 0;
          };
      if (i + need >= t.size() && need > 0) {
        throw new KeyFileException(at, "\"" + k + "\" needs " + need + " value(s)");
      }
      switch (k) {
        case "src" -> st.src = address(t.get(i + 1), at);
        case "dst" -> st.dst = address(t.get(i + 1), at);
        case "proto" -> st.proto = t.get(i + 1);
        case "spi" -> st.spi = KeyFileText.unsigned(t.get(i + 1), 0xFFFF_FFFFL, at, "spi");
        case "reqid" -> st.reqid = KeyFileText.unsigned(t.get(i + 1), 0xFFFF_FFFFL, at, "reqid");
        case "mode" -> {
          st.mode = t.get(i + 1);
          st.modeAt = at;
        }
        case "replay-window" ->
            st.replay =
                (int) KeyFileText.unsigned(t.get(i + 1), Integer.MAX_VALUE, at, "replay-window");
        case "enc" -> encryption(st, t.get(i + 1), t.get(i + 2), at);
        case "auth" -> authentication(st, t.get(i + 1), t.get(i + 2), -1, at);
        case "auth-trunc" ->
            authentication(
                st,
                t.get(i + 1),
                t.get(i + 2),
                (int) KeyFileText.unsigned(t.get(i + 3), 4096, at, "truncation length"),
                at);
        case "aead" ->
            aead(
                st,
                t.get(i + 1),
                t.get(i + 2),
                (int) KeyFileText.unsigned(t.get(i + 3), 4096, at, "ICV length"),
                at);
        case "comp" -> st.encrypt = compression(t.get(i + 1), at);
        case "flag", "extra-flag" -> {
          int j = i + 1;
          while (j < t.size() && isFlag(t.get(j))) {
            if (k.equals("flag") && t.get(j).equals("esn")) {
              st.esn = true;
            }
            j++;
          }
          i = j;
          continue;
        }
        case "encap" -> {
          i = encap(st, t, i + 1, at);
          continue;
        }
        case "sel" -> {
          if (!strict) {
            return;
          }
          int j = i + 1;
          while (j + 1 < t.size() && SELECTOR_WORDS.contains(t.get(j))) {
            j += 2;
          }
          i = j;
          continue;
        }
        case "limit" -> {
          if (i + 2 >= t.size()) {
            throw new KeyFileException(at, "\"limit\" needs a name and a value");
          }
          limitOption(st, t.get(i + 1), t.get(i + 2), at);
          i += 3;
          continue;
        }
        case "output-mark" -> {
          i += 2;
          if (i + 1 < t.size() && t.get(i).equals("mask")) {
            i += 2;
          }
          continue;
        }
        case "replay-seq",
            "replay-oseq",
            "replay-seq-hi",
            "replay-oseq-hi",
            "seq",
            "coa",
            "ctx",
            "if_id",
            "tfcpad",
            "dir" -> {}
        default -> {
          if (strict) {
            throw new KeyFileException(at, "unknown ip xfrm state option \"" + k + "\"");
          }
          return;
        }
      }
      i += 1 + need;
    }
  }

  private static boolean isFlag(String w) {
    return Set.of(
                "noecn",
                "decap-dscp",
                "nopmtudisc",
                "wildrecv",
                "icmp",
                "af-unspec",
                "align4",
                "esn",
                "dont-encap-dscp",
                "oseq-may-wrap")
            .contains(w)
        || w.matches("[0-9a-fA-F]{1,2}");
  }

  private static int encap(State st, List<String> t, int i, SourceLocation at) {
    String type;
    String sport;
    String dport;
    String oa;
    if (i < t.size() && t.get(i).equals("type")) {
      // Output: encap type espinudp sport 4500 dport 4500 addr 0.0.0.0
      if (i + 7 >= t.size()
          || !t.get(i + 2).equals("sport")
          || !t.get(i + 4).equals("dport")
          || !t.get(i + 6).equals("addr")) {
        throw new KeyFileException(at, "expected encap type T sport P dport P addr A");
      }
      type = t.get(i + 1);
      sport = t.get(i + 3);
      dport = t.get(i + 5);
      oa = t.get(i + 7);
      i += 8;
    } else {
      // Command: encap espinudp SPORT DPORT OADDR
      if (i + 3 >= t.size()) {
        throw new KeyFileException(at, "expected encap TYPE SPORT DPORT OADDR");
      }
      type = t.get(i);
      sport = t.get(i + 1);
      dport = t.get(i + 2);
      oa = t.get(i + 3);
      i += 4;
    }
    int natType =
        switch (type) {
          case "espinudp" -> NatTraversalType.UDP_ENCAP_ESPINUDP.value();
          case "espinudp-nonike" -> NatTraversalType.UDP_ENCAP_ESPINUDP_NON_IKE.value();
          default -> throw new KeyFileException(at, "unknown encap type \"" + type + "\"");
        };
    SockAddr o = address(oa, at);
    st.natt =
        new SaSpec.NatTraversal(
            natType,
            (int) KeyFileText.unsigned(sport, 0xFFFF, at, "encap sport"),
            (int) KeyFileText.unsigned(dport, 0xFFFF, at, "encap dport"),
            KeyFileText.isZero(o) ? null : o);
    return i;
  }

  private static void limitOption(State st, String name, String value, SourceLocation at) {
    long v = KeyFileText.unsigned(value, Long.MAX_VALUE, at, "limit " + name);
    switch (name) {
      case "time-soft" -> st.soft[2] = v;
      case "time-hard" -> st.hard[2] = v;
      case "time-use-soft" -> st.soft[3] = v;
      case "time-use-hard" -> st.hard[3] = v;
      case "byte-soft" -> st.soft[1] = v;
      case "byte-hard" -> st.hard[1] = v;
      case "packet-soft" -> st.soft[0] = v;
      case "packet-hard" -> st.hard[0] = v;
      default -> throw new KeyFileException(at, "unknown limit \"" + name + "\"");
    }
  }

  private static SockAddr address(String text, SourceLocation at) {
    String a = text;
    int slash = text.indexOf('/');
    if (slash >= 0) {
      a = text.substring(0, slash);
    }
    try {
      return KeyFileText.address(a, 0);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(at, e.getMessage());
    }
  }

  private static int mode(String m, SourceLocation at) {
    return switch (m) {
      case "transport" -> IpsecMode.IPSEC_MODE_TRANSPORT.value();
      case "tunnel" -> IpsecMode.IPSEC_MODE_TUNNEL.value();
      case "beet" -> IpsecMode.IPSEC_MODE_BEET.value();
      default -> throw new KeyFileException(at, "mode \"" + m + "\" has no PF_KEY equivalent");
    };
  }

  private static void encryption(State st, String name, String key, SourceLocation at) {
    Optional<Algorithm> a =
        Algorithm.byName(name).filter(x -> x.kind() == AlgorithmKind.ENCRYPTION);
    Integer id = a.map(Algorithm::id).orElse(OTHER_ENCRYPT.get(name));
    if (id == null) {
      throw new KeyFileException(at, "unknown encryption algorithm \"" + name + "\"");
    }
    st.encrypt = id;
    st.encryptKey = KeyFileText.key(key, at, "the enc key");
  }

  private static void authentication(
      State st, String name, String key, int truncBits, SourceLocation at) {
    if (name.equals("digest_null")) {
      st.auth = 0;
      st.authKey = null;
      return;
    }
    Optional<Algorithm> a = Algorithm.byName(name).filter(x -> x.kind() == AlgorithmKind.INTEGRITY);
    Integer id = a.map(Algorithm::id).orElse(OTHER_AUTH.get(name));
    if (id == null) {
      throw new KeyFileException(at, "unknown authentication algorithm \"" + name + "\"");
    }
    st.auth = id;
    st.authKey = KeyFileText.key(key, at, "the auth key");
    int bits = truncBits >= 0 ? truncBits : LINUX_DEFAULT_TRUNC_BITS.getOrDefault(id, 0);
    st.icvBits = a.isPresent() && bits == a.get().icvLength() * 8 ? 0 : bits;
  }

  private static void aead(State st, String name, String key, int icvBits, SourceLocation at) {
    int id;
    switch (name) {
      case "rfc4106(gcm(aes))" ->
          id =
              switch (icvBits) {
                case 64 -> EncryptAlgorithm.SADB_X_EALG_AES_GCM_ICV8.value();
                case 96 -> EncryptAlgorithm.SADB_X_EALG_AES_GCM_ICV12.value();
                case 128 -> EncryptAlgorithm.SADB_X_EALG_AES_GCM_ICV16.value();
                default -> throw new KeyFileException(at, "bad GCM ICV length " + icvBits);
              };
      case "rfc4309(ccm(aes))" ->
          id =
              switch (icvBits) {
                case 64 -> EncryptAlgorithm.SADB_X_EALG_AES_CCM_ICV8.value();
                case 96 -> EncryptAlgorithm.SADB_X_EALG_AES_CCM_ICV12.value();
                case 128 -> EncryptAlgorithm.SADB_X_EALG_AES_CCM_ICV16.value();
                default -> throw new KeyFileException(at, "bad CCM ICV length " + icvBits);
              };
      case "rfc4543(gcm(aes))" -> id = EncryptAlgorithm.SADB_X_EALG_NULL_AES_GMAC.value();
      default -> throw new KeyFileException(at, "unknown aead algorithm \"" + name + "\"");
    }
    st.encrypt = id;
    st.encryptKey = KeyFileText.key(key, at, "the aead key");
    st.auth = 0;
    st.authKey = null;
    // The ICV length is in the algorithm number; nothing to override.
    st.icvBits = 0;
  }

  private static int compression(String name, SourceLocation at) {
    return switch (name) {
      case "deflate" -> CompressionAlgorithm.SADB_X_CALG_DEFLATE.value();
      case "lzs" -> CompressionAlgorithm.SADB_X_CALG_LZS.value();
      case "lzjh" -> CompressionAlgorithm.SADB_X_CALG_LZJH.value();
      default -> throw new KeyFileException(at, "unknown compression algorithm \"" + name + "\"");
    };
  }

  private static void finish(State st, List<SaSpec> out) {
    if (st == null) {
      return;
    }
    if (st.src == null || st.dst == null) {
      throw new KeyFileException(st.start, "state without src and dst");
    }
    if (st.proto == null) {
      throw new KeyFileException(st.start, "state without proto");
    }
    int satype =
        switch (st.proto) {
          case "esp" -> SaType.SADB_SATYPE_ESP.value();
          case "ah" -> SaType.SADB_SATYPE_AH.value();
          case "comp", "ipcomp" -> SaType.SADB_X_SATYPE_IPCOMP.value();
          case "route2", "hao" -> -1; // Mobile IPv6 states: not IPsec SAs
          default -> throw new KeyFileException(st.start, "unknown proto \"" + st.proto + "\"");
        };
    if (satype < 0) {
      return;
    }
    if (st.spi < 0) {
      throw new KeyFileException(st.start, "state without spi");
    }
    if (st.src.family() != st.dst.family()) {
      throw new KeyFileException(st.start, "src and dst of different address families");
    }
    int replay = st.replay == 0 && st.esnWindow > 0 ? st.esnWindow : st.replay;
    out.add(
        SaSpec.builder(st.start)
            .satype(satype)
            .source(st.src)
            .destination(st.dst)
            .spi(st.spi)
            .mode(mode(st.mode, st.modeAt == null ? st.start : st.modeAt))
            .reqid(st.reqid)
            .replay(replay)
            .encrypt(st.encrypt, st.encryptKey)
            .auth(st.auth, st.authKey)
            .icvBits(st.icvBits)
            .hard(lifetime(ExtensionType.SADB_EXT_LIFETIME_HARD, st.hard))
            .soft(lifetime(ExtensionType.SADB_EXT_LIFETIME_SOFT, st.soft))
            .natTraversal(st.natt)
            .esn(st.esn)
            .build());
  }

  private static LifetimeExtension lifetime(ExtensionType kind, long[] v) {
    if (v[0] == 0 && v[1] == 0 && v[2] == 0 && v[3] == 0) {
      return null;
    }
    return new LifetimeExtension(kind, Math.min(v[0], 0xFFFF_FFFFL), v[1], v[2], v[3]);
  }
}
