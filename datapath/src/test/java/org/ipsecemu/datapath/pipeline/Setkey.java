package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;

/**
 * Test-only: sends a key file's statements to the Key Engine as the PF_KEY messages {@code setkey}
 * sends for them, through a PF_KEY socket, and checks that each is accepted. Covers what the
 * samples use: {@code add} (with {@code -m}, {@code -r}, {@code -E}, {@code -A}, {@code -lh}/{@code
 * -ls} bytes), {@code spdadd} with {@code -P in|out none|discard|ipsec ...}, and {@code setkey -D}
 * dumps (SA blocks). The project's setkey parser is another branch's; this stays small on purpose.
 */
final class Setkey {
  private static final Pattern STATEMENT = Pattern.compile("([^;]*);");
  private static final Pattern DUMP_HEAD = Pattern.compile("^(\\S+) (\\S+)\\s*$");
  private static final Pattern DUMP_SA =
      Pattern.compile("^\\s+(esp|ah) mode=(\\S+) spi=\\d+\\(0x([0-9a-f]+)\\)");
  private static final Pattern DUMP_KEY = Pattern.compile("^\\s+([EA]): (\\S+)\\s*([0-9a-f ]*)$");
  private static final Pattern DUMP_REPLAY = Pattern.compile("replay=(\\d+)");

  private final PfKeySocket socket;
  private long seq = 1;

  Setkey(KeyEngine engine) {
    this.socket = engine.open(Credentials.root(4242));
  }

  /** Runs every statement of a {@code setkey -f} file. */
  Setkey file(Path path) throws IOException {
    return run(Files.readString(path));
  }

  /** Runs {@code setkey -f} statements given as text ({@code #} comments allowed). */
  Setkey run(String text) {
    StringBuilder clean = new StringBuilder();
    for (String line : text.split("\n")) {
      int hash = line.indexOf('#');
      clean.append(hash >= 0 ? line.substring(0, hash) : line).append(' ');
    }
    Matcher m = STATEMENT.matcher(clean);
    while (m.find()) {
      String s = m.group(1).trim();
      if (!s.isEmpty()) {
        statement(s);
      }
    }
    return this;
  }

  private void statement(String s) {
    List<String> t = new ArrayList<>(List.of(s.split("\\s+")));
    switch (t.get(0)) {
      case "add" -> add(t);
      case "spdadd" -> spdadd(t);
      case "flush" -> call(msg(MessageType.SADB_FLUSH, 0, List.of()));
      case "spdflush" -> call(msg(MessageType.SADB_X_SPDFLUSH, 0, List.of()));
      default -> throw new IllegalArgumentException("unsupported statement: " + s);
    }
  }

  private void add(List<String> t) {
    String src = t.get(1);
    String dst = t.get(2);
    SaType type = t.get(3).equals("esp") ? SaType.SADB_SATYPE_ESP : SaType.SADB_SATYPE_AH;
    long spi = Long.decode(t.get(4));
    int mode = IpsecMode.IPSEC_MODE_ANY.value();
    int replay = 0;
    int enc = 0;
    int auth = 0;
    byte[] ek = null;
    byte[] ak = null;
    List<SadbExtension> more = new ArrayList<>();
    for (int i = 5; i < t.size(); i++) {
      switch (t.get(i)) {
        case "-m" -> mode = mode(t.get(++i));
        case "-r" -> replay = Integer.parseInt(t.get(++i));
        case "-E" -> {
          Algorithm a = Algorithm.encryptByName(t.get(++i)).orElseThrow();
          enc = a.id();
          if (i + 1 < t.size() && t.get(i + 1).startsWith("0x")) {
            ek = hex(t.get(++i));
          }
        }
        case "-A" -> {
          auth = Algorithm.authByName(t.get(++i)).orElseThrow().id();
          ak = hex(t.get(++i));
        }
        case "-lh", "-ls" -> {
          ExtensionType kind =
              t.get(i).equals("-lh")
                  ? ExtensionType.SADB_EXT_LIFETIME_HARD
                  : ExtensionType.SADB_EXT_LIFETIME_SOFT;
          more.add(new LifetimeExtension(kind, 0, 0, Long.parseLong(t.get(++i)), 0));
        }
        case "-bh", "-bs" -> {
          ExtensionType kind =
              t.get(i).equals("-bh")
                  ? ExtensionType.SADB_EXT_LIFETIME_HARD
                  : ExtensionType.SADB_EXT_LIFETIME_SOFT;
          more.add(new LifetimeExtension(kind, 0, Long.parseLong(t.get(++i)), 0, 0));
        }
        default -> throw new IllegalArgumentException("unsupported add option " + t.get(i));
      }
    }
    addSa(type, src, dst, spi, mode, replay, auth, ak, enc, ek, more);
  }

  /** SADB_ADD as setkey builds it: SA, SA2 (mode), addresses, keys, lifetimes. */
  Setkey addSa(
      SaType type,
      String src,
      String dst,
      long spi,
      int mode,
      int replay,
      int auth,
      byte[] ak,
      int enc,
      byte[] ek,
      List<SadbExtension> more) {
    List<SadbExtension> ext = new ArrayList<>();
    ext.add(new SaExtension(spi, replay, SaState.SADB_SASTATE_MATURE.value(), auth, enc, 0));
    ext.add(new Sa2Extension(mode, 0, 0));
    ext.add(host(ExtensionType.SADB_EXT_ADDRESS_SRC, src));
    ext.add(host(ExtensionType.SADB_EXT_ADDRESS_DST, dst));
    if (ak != null) {
      ext.add(KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, ak));
    }
    if (ek != null) {
      ext.add(KeyExtension.of(ExtensionType.SADB_EXT_KEY_ENCRYPT, ek));
    }
    ext.addAll(more);
    call(msg(MessageType.SADB_ADD, type.value(), ext));
    return this;
  }

  private void spdadd(List<String> t) {
    Range src = range(t.get(1));
    Range dst = range(t.get(2));
    int proto = proto(t.get(3));
    int p = t.indexOf("-P");
    int dir =
        t.get(p + 1).equals("in")
            ? PolicyDirection.IPSEC_DIR_INBOUND.value()
            : PolicyDirection.IPSEC_DIR_OUTBOUND.value();
    String action = t.get(p + 2);
    int type;
    List<PolicyExtension.IpsecRequest> requests = new ArrayList<>();
    switch (action) {
      case "none" -> type = PolicyType.IPSEC_POLICY_NONE.value();
      case "discard" -> type = PolicyType.IPSEC_POLICY_DISCARD.value();
      case "ipsec" -> {
        type = PolicyType.IPSEC_POLICY_IPSEC.value();
        for (int i = p + 3; i < t.size(); i++) {
          requests.add(request(t.get(i)));
        }
      }
      default -> throw new IllegalArgumentException("unsupported policy " + action);
    }
    call(
        msg(
            MessageType.SADB_X_SPDADD,
            0,
            List.of(
                new AddressExtension(
                    ExtensionType.SADB_EXT_ADDRESS_SRC,
                    proto,
                    src.prefix,
                    SockAddr.parse(src.address, src.port)),
                new AddressExtension(
                    ExtensionType.SADB_EXT_ADDRESS_DST,
                    proto,
                    dst.prefix,
                    SockAddr.parse(dst.address, dst.port)),
                new PolicyExtension(type, dir, 0, 0x8000_0000L, requests))));
  }

  /** {@code esp/transport//require}, {@code ah/tunnel/A-B/unique:7}. */
  private static PolicyExtension.IpsecRequest request(String r) {
    String[] f = r.split("/", -1);
    int proto = f[0].equals("esp") ? 50 : f[0].equals("ah") ? 51 : 108;
    int mode = mode(f[1]);
    SockAddr s = null;
    SockAddr d = null;
    if (!f[2].isEmpty()) {
      int dash = f[2].indexOf('-');
      s = SockAddr.parse(f[2].substring(0, dash), 0);
      d = SockAddr.parse(f[2].substring(dash + 1), 0);
    }
    String levelText = f.length > 3 ? f[3] : "require";
    long reqid = 0;
    int colon = levelText.indexOf(':');
    if (colon >= 0) {
      reqid = Long.parseLong(levelText.substring(colon + 1));
      levelText = levelText.substring(0, colon);
    }
    IpsecLevel level =
        switch (levelText) {
          case "use" -> IpsecLevel.IPSEC_LEVEL_USE;
          case "unique" -> IpsecLevel.IPSEC_LEVEL_UNIQUE;
          case "default" -> IpsecLevel.IPSEC_LEVEL_DEFAULT;
          default -> IpsecLevel.IPSEC_LEVEL_REQUIRE;
        };
    return new PolicyExtension.IpsecRequest(proto, mode, level.value(), reqid, s, d);
  }

  private record Range(String address, int prefix, int port) {}

  /** {@code 10.0.0.0/8[80]}, {@code 2001:db8::1}, {@code 192.0.2.1[any]}. */
  private static Range range(String r) {
    int port = 0;
    int bracket = r.indexOf('[');
    if (bracket >= 0) {
      String p = r.substring(bracket + 1, r.length() - 1);
      port = p.equals("any") ? 0 : Integer.parseInt(p);
      r = r.substring(0, bracket);
    }
    int slash = r.indexOf('/');
    String a = slash >= 0 ? r.substring(0, slash) : r;
    int full = a.contains(":") ? 128 : 32;
    int prefix = slash >= 0 ? Integer.parseInt(r.substring(slash + 1)) : full;
    return new Range(a, prefix, port);
  }

  private static int proto(String p) {
    return switch (p.toLowerCase(Locale.ROOT)) {
      case "any" -> 255;
      case "icmp" -> 1;
      case "tcp" -> 6;
      case "udp" -> 17;
      case "icmp6", "ipv6-icmp" -> 58;
      default -> Integer.parseInt(p);
    };
  }

  private static int mode(String m) {
    return switch (m) {
      case "transport" -> IpsecMode.IPSEC_MODE_TRANSPORT.value();
      case "tunnel" -> IpsecMode.IPSEC_MODE_TUNNEL.value();
      default -> IpsecMode.IPSEC_MODE_ANY.value();
    };
  }

  /** Adds the SAs of a {@code setkey -D} dump (addresses line, then the SA's indented lines). */
  Setkey dump(Path path) throws IOException {
    String src = null;
    String dst = null;
    SaType type = null;
    long spi = 0;
    int mode = 0;
    int replay = 0;
    String enc = null;
    byte[] ek = null;
    String auth = null;
    byte[] ak = null;
    List<String> lines = new ArrayList<>(Files.readAllLines(path));
    lines.add("END END");
    for (String line : lines) {
      Matcher head = DUMP_HEAD.matcher(line);
      if (head.matches()) {
        if (type != null) {
          addSa(
              type,
              src,
              dst,
              spi,
              mode,
              replay,
              auth == null ? 0 : Algorithm.authByName(auth).orElseThrow().id(),
              ak,
              Algorithm.encryptByName(enc).orElseThrow().id(),
              ek,
              List.of());
        }
        src = head.group(1);
        dst = head.group(2);
        type = null;
        enc = null;
        ek = null;
        auth = null;
        ak = null;
        continue;
      }
      Matcher sa = DUMP_SA.matcher(line);
      if (sa.find()) {
        type = sa.group(1).equals("esp") ? SaType.SADB_SATYPE_ESP : SaType.SADB_SATYPE_AH;
        mode = mode(sa.group(2));
        spi = Long.parseLong(sa.group(3), 16);
      }
      Matcher key = DUMP_KEY.matcher(line);
      if (key.matches()) {
        String hexKey = key.group(3).replace(" ", "");
        byte[] k = hexKey.isEmpty() ? null : HexFormat.of().parseHex(hexKey);
        if (key.group(1).equals("E")) {
          enc = key.group(2);
          ek = k;
        } else {
          auth = key.group(2);
          ak = k;
        }
      }
      Matcher r = DUMP_REPLAY.matcher(line);
      if (r.find()) {
        replay = Integer.parseInt(r.group(1));
      }
    }
    return this;
  }

  private static AddressExtension host(ExtensionType kind, String address) {
    SockAddr a = SockAddr.parse(address, 0);
    return new AddressExtension(kind, 255, a.address().length * 8, a);
  }

  private SadbMessage msg(MessageType type, int satype, List<SadbExtension> ext) {
    return new SadbMessage(SadbMessage.PF_KEY_V2, type, 0, satype, 0, seq++, 4242, ext);
  }

  private void call(SadbMessage m) {
    SadbMessage reply = socket.call(m);
    assertThat(reply.errno()).as("errno of %s", m.type()).isZero();
  }

  /** SADB_REGISTER for an SA type (the socket then gets SADB_ACQUIREs); returns the reply. */
  SadbMessage register(SaType type) {
    SadbMessage reply = socket.call(msg(MessageType.SADB_REGISTER, type.value(), List.of()));
    assertThat(reply.errno()).as("errno of SADB_REGISTER").isZero();
    return reply;
  }

  /** The socket, for registering and reading ACQUIREs. */
  PfKeySocket socket() {
    return socket;
  }

  static byte[] hex(String h) {
    return HexFormat.of().parseHex(h.startsWith("0x") ? h.substring(2) : h);
  }
}
