package org.ipsecemu.sadb.keyfile;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipsecemu.sadb.setkey.SaSpec;
import org.ipsecemu.sadb.setkey.SetkeyNames;
import org.ipsecemu.sadb.setkey.SourceLocation;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.NatTraversalType;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SockAddr;

/**
 * Reads {@code setkey -D} output (libipsec's {@code pfkey_sadump}), keys included, as root sees it:
 *
 * <pre>
 * 192.168.2.101 192.168.2.100
 * 	esp mode=tunnel spi=6386485(0x00617335) reqid=16391(0x00004007)
 * 	E: 3des-cbc  93bbda19 234a5a0c a37f7613 4622c76d 410a3ea8 8dfe5538
 * 	A: hmac-sha1  d1be42b5 12d1f98b 0e2f2d76 9a6d35f1 7139a2a4
 * 	seq=0x00001b81 replay=4 flags=0x00000000 state=mature
 * 	created: Jan  4 20:47:29 2013	current: Jan  4 20:52:34 2013
 * 	diff: 305(s)	hard: 36000(s)	soft: 28800(s)
 * 	last: Jan  4 20:52:34 2013	hard: 0(s)	soft: 0(s)
 * 	current: 8483328(bytes)	hard: 0(bytes)	soft: 0(bytes)
 * 	allocated: 7041	hard: 0	soft: 0
 * 	sadb_seq=1 pid=1596 refcnt=2
 * </pre>
 *
 * <p>Keys longer than 32 bytes continue on the next line (libipsec's {@code ipsec_hexdump} breaks
 * every 32 bytes). {@code esp-udp} SAs ({@code addr[port]} headers) become NAT-T SAs. The HARD and
 * SOFT columns become lifetimes (none when all are zero); the CURRENT figures, sequence numbers and
 * dates describe the dumping machine's moment and are not kept. LARVAL SAs (no algorithms, no keys)
 * are skipped; every other state is kept, because packets in a capture were protected by the SA
 * whatever became of it later. Lines this reader does not know are ignored, so dumps of newer
 * versions still read.
 */
public final class SetkeyDumpReader {
  private static final Pattern SA_LINE =
      Pattern.compile(
          "^(\\S+)\\s+mode=(\\S+)\\s+spi=(\\d+)\\(0x([0-9a-fA-F]+)\\)\\s+reqid=(\\d+)\\(0x[0-9a-fA-F]+\\).*");
  private static final Pattern HEX_GROUPS =
      Pattern.compile("^[0-9a-fA-F]{2,8}( [0-9a-fA-F]{2,8})*$");
  private static final Pattern SEQ_LINE =
      Pattern.compile(".*replay=(\\d+)\\s+flags=0x([0-9a-fA-F]+)\\s+state=(\\S+).*");
  private static final Pattern FIELD =
      Pattern.compile("^(\\w[\\w ]*):\\s*(\\d+)(\\((s|bytes)\\))?$");

  private SetkeyDumpReader() {}

  /**
   * The SAs of a dump.
   *
   * @param text the dump
   * @param file the file name errors show
   * @throws KeyFileException naming the line of anything it cannot read
   */
  public static List<SaSpec> read(String text, String file) {
    List<SaSpec> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    Record rec = null;
    for (int n = 0; n < lines.length; n++) {
      String raw = lines[n];
      String line = raw.strip();
      SourceLocation at = new SourceLocation(file, n + 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (rec != null && rec.lastKey != null && HEX_GROUPS.matcher(line).matches()) {
        String more = line.replace(" ", "");
        if (more.length() % 2 != 0) {
          // A key continued on this line must still be whole bytes, or HexFormat would throw.
          throw new KeyFileException(at, "bad hex in a continued key: odd number of digits");
        }
        rec.lastKey.append(more);
        continue;
      }
      if (rec != null) {
        rec.lastKey = null;
      }
      if (!Character.isWhitespace(raw.charAt(0)) && isHeader(line)) {
        finish(rec, out);
        rec = new Record(at);
        header(rec, line, at);
        continue;
      }
      if (line.equals("No SAD entries.")) {
        continue;
      }
      if (rec == null) {
        throw new KeyFileException(at, "expected an SA's \"SRC DST\" line");
      }
      field(rec, line, at);
    }
    finish(rec, out);
    return out;
  }

  /** Whether a line is an SA's first line: two address tokens, each maybe with {@code [port]}. */
  static boolean isHeader(String line) {
    String[] t = line.split("\\s+");
    return t.length == 2 && address(t[0]) && address(t[1]);
  }

  private static boolean address(String token) {
    String a = token.replaceFirst("\\[\\d+\\]$", "");
    return a.matches("\\d{1,3}(\\.\\d{1,3}){3}") || a.matches("[0-9A-Fa-f:.%]*:[0-9A-Fa-f:.%]*");
  }

  /** What is known of one SA while its lines are read. */
  private static final class Record {
    final SourceLocation start;
    SockAddr src;
    SockAddr dst;
    boolean saLine;
    int satype;
    boolean natt;
    long spi;
    int mode;
    long reqid;
    int replay;
    long flags;
    String state = "mature";
    int encrypt;
    StringBuilder encryptKey;
    int auth;
    StringBuilder authKey;
    StringBuilder lastKey;
    SockAddr natOa;
    final long[] hard = new long[4]; // allocations, bytes, addtime, usetime
    final long[] soft = new long[4];

    Record(SourceLocation start) {
      this.start = start;
    }
  }

  private static void header(Record rec, String line, SourceLocation at) {
    String[] t = line.split("\\s+");
    rec.src = sockaddr(t[0], at);
    rec.dst = sockaddr(t[1], at);
    if (rec.src.family() != rec.dst.family()) {
      throw new KeyFileException(at, "source and destination of different address families");
    }
  }

  private static SockAddr sockaddr(String token, SourceLocation at) {
    int port = 0;
    String a = token;
    Matcher m = Pattern.compile("^(.*)\\[(\\d{1,5})\\]$").matcher(token);
    if (m.matches()) {
      a = m.group(1);
      port = Integer.parseInt(m.group(2));
      if (port > 0xFFFF) {
        throw new KeyFileException(at, "port out of range 0..65535 port=" + port);
      }
    }
    try {
      return KeyFileText.address(a, port);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(at, e.getMessage());
    }
  }

  private static void field(Record rec, String line, SourceLocation at) {
    Matcher sa = SA_LINE.matcher(line);
    if (sa.matches()) {
      rec.saLine = true;
      String proto = sa.group(1);
      switch (proto) {
        case "esp" -> rec.satype = SaType.SADB_SATYPE_ESP.value();
        case "ah" -> rec.satype = SaType.SADB_SATYPE_AH.value();
        case "ipcomp" -> rec.satype = SaType.SADB_X_SATYPE_IPCOMP.value();
        case "esp-udp" -> {
          rec.satype = SaType.SADB_SATYPE_ESP.value();
          rec.natt = true;
        }
        default -> throw new KeyFileException(at, "unknown SA type \"" + proto + "\"");
      }
      rec.mode = mode(sa.group(2), at);
      rec.spi = KeyFileText.unsigned(sa.group(3), 0xFFFF_FFFFL, at, "spi");
      if (rec.spi != KeyFileText.hex(sa.group(4), 0xFFFF_FFFFL, at, "spi")) {
        throw new KeyFileException(at, "spi in decimal and in hex disagree");
      }
      rec.reqid = KeyFileText.unsigned(sa.group(5), 0xFFFF_FFFFL, at, "reqid");
      return;
    }
    if (line.startsWith("E:") || line.startsWith("A:") || line.startsWith("C:")) {
      algorithm(rec, line, at);
      return;
    }
    Matcher seq = SEQ_LINE.matcher(line);
    if (line.startsWith("seq=") && seq.matches()) {
      rec.replay = (int) KeyFileText.unsigned(seq.group(1), Integer.MAX_VALUE, at, "replay");
      rec.flags = KeyFileText.hex(seq.group(2), 0xFFFF_FFFFL, at, "flags");
      rec.state = seq.group(3);
      return;
    }
    if (line.startsWith("NAT OA=") || line.startsWith("NAT: OAI=")) {
      String a = line.substring(line.indexOf('=') + 1).trim().split("\\s+")[0];
      rec.natOa = sockaddr(a, at);
      return;
    }
    lifetimes(rec, line, at);
  }

  private static int mode(String m, SourceLocation at) {
    return switch (m) {
      case "any" -> IpsecMode.IPSEC_MODE_ANY.value();
      case "transport" -> IpsecMode.IPSEC_MODE_TRANSPORT.value();
      case "tunnel" -> IpsecMode.IPSEC_MODE_TUNNEL.value();
      default -> {
        if (m.matches("\\d{1,3}") && Integer.parseInt(m) <= 255) {
          yield Integer.parseInt(m);
        }
        throw new KeyFileException(at, "unknown mode \"" + m + "\"");
      }
    };
  }

  private static void algorithm(Record rec, String line, SourceLocation at) {
    char which = line.charAt(0);
    String[] t = line.substring(2).trim().split("\\s+", 2);
    String name = t[0].toLowerCase(Locale.ROOT);
    String hex = t.length > 1 ? t[1].replace(" ", "") : "";
    if (!hex.isEmpty() && !hex.matches("([0-9a-fA-F]{2})+")) {
      throw new KeyFileException(at, "bad hex in the " + which + ": key");
    }
    StringBuilder key = new StringBuilder(hex);
    switch (which) {
      case 'E' -> {
        rec.encrypt = KeyFileText.setkeyEncrypt(name, at);
        rec.encryptKey = key;
      }
      case 'A' -> {
        rec.auth = KeyFileText.setkeyAuth(name, at);
        rec.authKey = key;
      }
      default -> {
        rec.encrypt =
            SetkeyNames.compression(name)
                .orElseThrow(
                    () ->
                        new KeyFileException(at, "unknown compression algorithm \"" + name + "\""));
        return;
      }
    }
    rec.lastKey = key;
  }

  /** The HARD and SOFT columns of the lifetime lines. */
  private static void lifetimes(Record rec, String line, SourceLocation at) {
    String[] parts = line.split("\t");
    if (parts.length < 3) {
      parts = line.split("\\s{2,}|\\s(?=hard:|soft:)");
    }
    String first = parts[0].trim();
    int slot;
    if (first.startsWith("diff:")) {
      slot = 2;
    } else if (first.startsWith("last:")) {
      slot = 3;
    } else if (first.startsWith("current:") && first.endsWith("(bytes)")) {
      slot = 1;
    } else if (first.startsWith("allocated:")) {
      slot = 0;
    } else {
      return; // created:, sadb_seq=, security context, and lines of newer versions
    }
    for (int i = 1; i < parts.length; i++) {
      Matcher m = FIELD.matcher(parts[i].trim());
      if (!m.matches()) {
        throw new KeyFileException(at, "cannot read \"" + parts[i].trim() + "\"");
      }
      long v = KeyFileText.unsigned(m.group(2), Long.MAX_VALUE, at, m.group(1) + " value");
      switch (m.group(1)) {
        case "hard" -> rec.hard[slot] = v;
        case "soft" -> rec.soft[slot] = v;
        default -> throw new KeyFileException(at, "unexpected \"" + m.group(1) + "\"");
      }
    }
  }

  private static void finish(Record rec, List<SaSpec> out) {
    if (rec == null) {
      return;
    }
    if (!rec.saLine) {
      throw new KeyFileException(rec.start, "SA without its \"PROTO mode=... spi=...\" line");
    }
    if (rec.state.equals("larval")) {
      return;
    }
    SaSpec.Builder b =
        SaSpec.builder(rec.start)
            .satype(rec.satype)
            .source(rec.src)
            .destination(rec.dst)
            .spi(rec.spi)
            .mode(rec.mode)
            .reqid(rec.reqid)
            .replay(rec.replay)
            .flags(rec.flags)
            .encrypt(rec.encrypt, bytes(rec.encryptKey))
            .auth(rec.auth, bytes(rec.authKey))
            .hard(lifetime(ExtensionType.SADB_EXT_LIFETIME_HARD, rec.hard))
            .soft(lifetime(ExtensionType.SADB_EXT_LIFETIME_SOFT, rec.soft));
    if (rec.natt) {
      b.natTraversal(
          new SaSpec.NatTraversal(
              NatTraversalType.UDP_ENCAP_ESPINUDP.value(),
              rec.src.port() == 0 ? 4500 : rec.src.port(),
              rec.dst.port() == 0 ? 4500 : rec.dst.port(),
              rec.natOa));
    }
    out.add(b.build());
  }

  private static byte[] bytes(StringBuilder hex) {
    return hex == null || hex.length() == 0 ? null : HexFormat.of().parseHex(hex);
  }

  private static LifetimeExtension lifetime(ExtensionType kind, long[] v) {
    if (v[0] == 0 && v[1] == 0 && v[2] == 0 && v[3] == 0) {
      return null;
    }
    if (v[0] > 0xFFFF_FFFFL) {
      v[0] = 0xFFFF_FFFFL;
    }
    return new LifetimeExtension(kind, v[0], v[1], v[2], v[3]);
  }
}
