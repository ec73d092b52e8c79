package org.ipsecemu.sadb.setkey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.alg.KeyChecks;
import org.ipsecemu.sadb.alg.KeyProblem;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.AddressFamily;
import org.ipsecemu.sadb.wire.CompressionAlgorithm;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.NatTraversalType;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyExtension.IpsecRequest;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.ipsecemu.sadb.wire.SpiRangeExtension;

/**
 * Reads ipsec-tools {@code setkey} input ({@code setkey -f} files, {@code setkey -c} lines) into
 * {@link SetkeyStatement}s carrying the PF_KEY messages {@code setkey} would send for them, each
 * with the line it was written on. The grammar follows {@code setkey/parse.y} and {@code token.l}:
 *
 * <pre>
 *   add [-46n] SRC DST PROTO SPI [EXT...] ALGORITHM... ;
 *   get | delete [-46n] SRC DST PROTO SPI [EXT...] ;
 *   getspi [-46n] SRC DST PROTO SPI|MIN-MAX [EXT...] ;
 *   deleteall [-46n] SRC DST PROTO ;
 *   flush [PROTO] ;        dump [PROTO] ;
 *   spdadd | spdupdate | spddelete [-46n] SRC[/PLEN][[PORT]] DST[/PLEN][[PORT]] UPPER [SPEC]
 *       -P POLICY ;
 *   spdflush ;   spddump ;   exit | quit | bye ;
 * </pre>
 *
 * <p>{@code PROTO} is {@code esp}, {@code ah}, {@code ipcomp} or {@code esp-udp [NAT-OA]} (ESP in
 * UDP, RFC 3948, as ipsec-tools writes it: the SA gets Linux's NAT-T extensions, type 2, ports from
 * the addresses' {@code [PORT]} or 4500, and the NAT original address if given); an SA address may
 * carry {@code [PORT]}. {@code EXT} is {@code -m transport|tunnel|any}, {@code -r} replay window in
 * packets (0..255, the width of {@code sadb_sa_replay}), {@code -u} reqid, {@code -esn} extended
 * sequence numbers (RFC 4303 §2.2.1; sent as the BSD flag SADB_X_SAFLAGS_ESN, as FreeBSD's {@code
 * setkey} sets it), {@code -f} pad option, {@code -lh}/{@code -ls} HARD/SOFT seconds, {@code
 * -bh}/{@code -bs} HARD/SOFT bytes. {@code ALGORITHM} is {@code -E ALG KEY [-A ALG KEY]}, {@code -A
 * ALG KEY} or {@code -C ALG [-R]}; a key is {@code 0x}-hex (an odd digit count gets a leading zero
 * nibble, as in {@code setkey}) or a {@code "quoted string"} (its UTF-8 bytes). {@code UPPER} is
 * {@code any}, a protocol name ({@code tcp}, {@code udp}, {@code icmp}, {@code icmp6}, ...) or
 * number; {@code SPEC} gives ICMP type,code or a GRE key. See {@link PolicyParser} for {@code
 * POLICY}.
 *
 * <p>Choices, each where {@code setkey} is loose or Linux-specific:
 *
 * <ul>
 *   <li>Options and algorithms may come in any order ({@code setkey} wants extensions first and
 *       {@code -E} before {@code -A}); a repeated option is an error.
 *   <li>Key lengths are checked here against the algorithm table, as {@code setkey} checks them
 *       against the kernel's REGISTER reply; the other key checks are the Key Engine's.
 *   <li>The KAME-only SA flags ({@code -f random-pad|seq-pad|zero-pad|nocyclic-seq}, {@code -R},
 *       and the cyclic-sequence flag {@code setkey} always sets) are accepted and not sent: Linux
 *       ignores them, so {@code sadb_sa_flags} is 0, as Linux dumps show. {@code sadb_sa_state} is
 *       sent as 0 (LARVAL), exactly as {@code setkey} sends it.
 *   <li>SA addresses carry upper-layer protocol 255 ({@code IPSEC_ULPROTO_ANY}) and the full prefix
 *       length, as {@code setkey} sends them.
 *   <li>{@code getspi} sends SADB_EXT_SPIRANGE with min = max = SPI (none for SPI 0, letting the
 *       kernel choose), as {@code setkey} does; {@code MIN-MAX} asks for a real range.
 *   <li>With {@link #forwardPolicies} (the default, ipsec-tools' "RFC mode" on Linux), an inbound
 *       {@code spdadd}, {@code spdupdate} or {@code spddelete} is followed by the same message for
 *       direction {@code fwd}, whose {@code unique} requests become {@code require} with reqid 0
 *       ({@code setkey} changes only the first request; all are changed here).
 *   <li>Names are never resolved: addresses must be numeric literals. Security contexts ({@code
 *       -ctx}), TCP-MD5 ({@code tcp}), the old RFC 1826/1827 formats ({@code ah-old}, {@code
 *       esp-old}) and {@code tagged} policies are refused with an error.
 * </ul>
 */
public final class SetkeyParser {
  /** The name {@code setkey} gives standard input. */
  public static final String STDIN = "<stdin>";

  private static final Set<String> KNOWN_UNSUPPORTED_ENCRYPT =
      Set.of(
          "blowfish-cbc",
          "cast128-cbc",
          "des-deriv",
          "des-32iv",
          "twofish-cbc",
          "aes-ctr",
          "camellia-cbc",
          "simple");
  private static final Set<String> KNOWN_UNSUPPORTED_AUTH =
      Set.of(
          "keyed-md5",
          "keyed-sha1",
          "hmac-sha2-384",
          "hmac-sha384",
          "hmac-sha2-512",
          "hmac-sha512",
          "hmac-ripemd160",
          "aes-xcbc-mac",
          "tcp-md5",
          "null");

  private static final Pattern HEX_WORD = Pattern.compile("0[xX][0-9A-Fa-f]+");
  private static final Pattern LONG_HEX_WORD = Pattern.compile("0[xX][0-9A-Fa-f]{9,}");
  private static final Pattern ADDRESS_FLAGS = Pattern.compile("-[46n]+");
  private static final Pattern HEX_NUMBER = Pattern.compile("0[xX][0-9A-Fa-f]{1,16}");
  private static final Pattern DEC_NUMBER = Pattern.compile("\\d{1,19}");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");

  /** The NAT-T port {@code setkey} uses for an {@code esp-udp} address without one. */
  static final int DEFAULT_NATT_PORT = 4500;

  private final String file;
  private long pid;
  private boolean forwardPolicies = true;

  /** A parser for input from {@code file} (the name errors show; {@link #STDIN} for stdin). */
  public SetkeyParser(String file) {
    this.file = file;
  }

  /** Sets the {@code sadb_msg_pid} of the messages ({@code setkey} sends its process id). */
  public SetkeyParser pid(long pid) {
    if (pid < 0 || pid > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("pid=" + pid + " out of range 0..4294967295");
    }
    this.pid = pid;
    return this;
  }

  /**
   * Whether an inbound policy also installs the forward policy, as ipsec-tools {@code setkey} does
   * on Linux unless run with {@code -k} (on by default).
   */
  public SetkeyParser forwardPolicies(boolean on) {
    this.forwardPolicies = on;
    return this;
  }

  /** Reads and parses a file (UTF-8); errors name the file as given. */
  public static List<SetkeyStatement> parseFile(Path path) throws IOException {
    return new SetkeyParser(path.toString()).parse(Files.readString(path, StandardCharsets.UTF_8));
  }

  /**
   * Parses all statements.
   *
   * @throws SetkeySyntaxException at the first statement {@code setkey} would refuse
   */
  public List<SetkeyStatement> parse(String text) {
    List<SetkeyStatement> out = new ArrayList<>();
    for (Item item : parseAll(text)) {
      if (item.error() != null) {
        throw item.error();
      }
      out.add(item.statement());
    }
    return out;
  }

  /**
   * Parses every statement, going on after a bad one at the next {@code ;}: what {@code setkey -c}
   * does line by line. Each item is a statement or the error of one.
   */
  public List<Item> parseAll(String text) {
    return parseAll(text, 1);
  }

  /**
   * Like {@link #parseAll(String)} for text that starts on line {@code firstLine} of the input: how
   * {@code setkey -c} input is parsed piece by piece with the input's own line numbers.
   */
  public List<Item> parseAll(String text, int firstLine) {
    List<Item> out = new ArrayList<>();
    List<Token> tokens;
    try {
      tokens = SetkeyLexer.tokenize(text, file, firstLine);
    } catch (SetkeySyntaxException e) {
      out.add(new Item(null, e));
      return out;
    }
    int i = 0;
    while (tokens.get(i).kind() != Token.Kind.EOF) {
      int end = i;
      while (!tokens.get(end).is(Token.Kind.SEMI) && !tokens.get(end).is(Token.Kind.EOF)) {
        end++;
      }
      List<Token> statement = tokens.subList(i, end + 1);
      try {
        out.add(new Item(new StatementParser(statement).statement(), null));
      } catch (SetkeySyntaxException e) {
        out.add(new Item(null, e));
      }
      i = tokens.get(end).is(Token.Kind.EOF) ? end : end + 1;
    }
    return out;
  }

  /**
   * The index just after the last complete statement of {@code text} (its {@code ;}, not one in a
   * quoted string or a comment), or -1 when no statement is complete yet.
   */
  public static int endOfLastStatement(String text) {
    return SetkeyLexer.endOfLastStatement(text);
  }

  /**
   * One result of {@link #parseAll}: a statement, or the syntax error of one.
   *
   * @param statement the statement, or null
   * @param error the error, or null
   */
  public record Item(SetkeyStatement statement, SetkeySyntaxException error) {}

  // ------------------------------------------------------------------ messages

  private SadbMessage base(MessageType type, int satype, List<SadbExtension> ext) {
    return new SadbMessage(SadbMessage.PF_KEY_V2, type, 0, satype, 0, 0, pid, ext);
  }

  /**
   * The message {@code setkeymsg_addr} builds for {@code get}, {@code delete} and each SPI of
   * {@code deleteall}: {@code <base, SA, SA2, address(SD)>}.
   */
  static SadbMessage addrMessage(MessageType type, SaSpec sa, SaState state, long pid) {
    List<SadbExtension> ext = new ArrayList<>();
    ext.add(new SaExtension(sa.spi(), sa.replay(), state.value(), 0, 0, sa.flags()));
    ext.add(new Sa2Extension(sa.mode(), 0, sa.reqid()));
    ext.add(host(ExtensionType.SADB_EXT_ADDRESS_SRC, sa.source()));
    ext.add(host(ExtensionType.SADB_EXT_ADDRESS_DST, sa.destination()));
    return new SadbMessage(SadbMessage.PF_KEY_V2, type, 0, sa.satype(), 0, 0, pid, ext);
  }

  private static AddressExtension host(ExtensionType kind, SockAddr a) {
    return new AddressExtension(kind, SaSpec.ULPROTO_ANY, a.family().addressLength() * 8, a);
  }

  // ------------------------------------------------------------------ one statement

  /** Parses the tokens of one statement, its {@code ;} (or EOF) last. */
  private final class StatementParser {
    private final List<Token> t;
    private int i;
    private AddressFamily familyFlag;

    StatementParser(List<Token> tokens) {
      this.t = tokens;
    }

    private SourceLocation at(Token tok) {
      return new SourceLocation(file, tok.line());
    }

    private SetkeySyntaxException error(Token tok, String problem) {
      return new SetkeySyntaxException(at(tok), shown(tok), problem);
    }

    /** The token as errors show it: keys (long hex words, quoted strings) only by length. */
    private String shown(Token tok) {
      if (tok.is(Token.Kind.QUOTED)) {
        return "\"<" + tok.text().length() + " characters>\"";
      }
      if (tok.is(Token.Kind.WORD) && LONG_HEX_WORD.matcher(tok.text()).matches()) {
        return "0x<" + (tok.text().length() - 2) + " hex digits>";
      }
      return tok.shown();
    }

    private Token peek() {
      return t.get(i);
    }

    private Token take() {
      Token tok = t.get(i);
      if (!tok.is(Token.Kind.SEMI) && !tok.is(Token.Kind.EOF)) {
        i++;
      }
      return tok;
    }

    private boolean atEnd() {
      return peek().is(Token.Kind.SEMI) || peek().is(Token.Kind.EOF);
    }

    private Token word(String expected) {
      Token tok = take();
      if (!tok.is(Token.Kind.WORD)) {
        throw error(tok, "expected " + expected);
      }
      return tok;
    }

    private void end() {
      Token tok = peek();
      if (tok.is(Token.Kind.EOF)) {
        throw error(tok, "statement not ended by ';'");
      }
      if (!tok.is(Token.Kind.SEMI)) {
        throw error(tok, "unexpected word");
      }
    }

    SetkeyStatement statement() {
      Token first = take();
      if (!first.is(Token.Kind.WORD)) {
        throw error(first, "expected a command");
      }
      SetkeyOperation cmd =
          SetkeyOperation.of(first.text()).orElseThrow(() -> error(first, "unknown command"));
      SourceLocation where = at(first);
      return switch (cmd) {
        case ADD, GET, DELETE, GETSPI -> sa(cmd, where);
        case DELETEALL -> deleteAll(where);
        case FLUSH, DUMP -> flushOrDump(cmd, where);
        case SPDADD, SPDUPDATE, SPDDELETE -> spd(cmd, where);
        case SPDFLUSH, SPDDUMP, EXIT -> bare(cmd, where);
      };
    }

    private SetkeyStatement bare(SetkeyOperation cmd, SourceLocation where) {
      end();
      List<SadbMessage> m =
          switch (cmd) {
            case SPDFLUSH -> List.of(base(MessageType.SADB_X_SPDFLUSH, 0, List.of()));
            case SPDDUMP -> List.of(base(MessageType.SADB_X_SPDDUMP, 0, List.of()));
            default -> List.of();
          };
      return new SetkeyStatement(cmd, where, m, null);
    }

    private SetkeyStatement flushOrDump(SetkeyOperation cmd, SourceLocation where) {
      int satype = 0;
      if (!atEnd()) {
        satype = protocol(false).satype;
      }
      end();
      MessageType type =
          cmd == SetkeyOperation.FLUSH ? MessageType.SADB_FLUSH : MessageType.SADB_DUMP;
      return new SetkeyStatement(cmd, where, List.of(base(type, satype, List.of())), null);
    }

    // ---------------------------------------------------------------- SA statements

    private void addressFlags() {
      while (peek().is(Token.Kind.WORD) && ADDRESS_FLAGS.matcher(peek().text()).matches()) {
        String f = take().text();
        if (f.indexOf('4') >= 0) {
          familyFlag = AddressFamily.AF_INET;
        }
        if (f.indexOf('6') >= 0) {
          familyFlag = AddressFamily.AF_INET6;
        }
      }
    }

    private SockAddr address(boolean port) {
      Token tok = word("an address");
      SockAddr a;
      try {
        a = Addresses.parse(tok.text(), 0);
      } catch (IllegalArgumentException e) {
        throw error(tok, e.getMessage());
      }
      if (familyFlag != null && a.family() != familyFlag) {
        throw error(tok, "address is not of the family -4/-6 asks for");
      }
      if (port && peek().is(Token.Kind.LBRACKET)) {
        int p = port();
        a = new SockAddr(a.family(), a.address(), p, a.scopeId());
      }
      return a;
    }

    /** {@code [PORT]} or {@code [any]}. */
    private int port() {
      take();
      Token tok = word("a port or any");
      int p;
      if (tok.text().equals("any")) {
        p = 0;
      } else if (PORT.matcher(tok.text()).matches() && Integer.parseInt(tok.text()) <= 0xFFFF) {
        p = Integer.parseInt(tok.text());
      } else {
        throw error(tok, "bad port (0..65535 or any)");
      }
      Token close = take();
      if (!close.is(Token.Kind.RBRACKET)) {
        throw error(close, "expected ]");
      }
      return p;
    }

    private record Proto(int satype, boolean natt, SockAddr natOa) {}

    private Proto protocol(boolean allowNatOa) {
      Token tok = word("a protocol (esp, ah, ipcomp, esp-udp)");
      switch (tok.text()) {
        case "esp":
          return new Proto(SaType.SADB_SATYPE_ESP.value(), false, null);
        case "ah":
          return new Proto(SaType.SADB_SATYPE_AH.value(), false, null);
        case "ipcomp":
          return new Proto(SaType.SADB_X_SATYPE_IPCOMP.value(), false, null);
        case "esp-udp":
          SockAddr oa = null;
          if (allowNatOa
              && peek().is(Token.Kind.WORD)
              && Addresses.looksLikeAddress(peek().text())) {
            oa = address(false);
          }
          return new Proto(SaType.SADB_SATYPE_ESP.value(), true, oa);
        case "ah-old":
        case "esp-old":
          throw error(tok, "the old RFC 1826/1827 formats are not supported");
        case "tcp":
          throw error(tok, "TCP-MD5 signature SAs are not supported");
        default:
          throw error(tok, "unknown protocol (esp, ah, ipcomp, esp-udp)");
      }
    }

    private long spi(Token tok) {
      Optional<Long> v = number(tok.text());
      if (v.isEmpty()) {
        throw error(tok, "bad SPI (decimal or 0x-hex)");
      }
      if (v.get() > 0xFFFF_FFFFL) {
        throw error(tok, "SPI too big (max 0xffffffff)");
      }
      return v.get();
    }

    private long unsigned(Token tok, long max, String what) {
      Optional<Long> v = number(tok.text());
      if (v.isEmpty()) {
        throw error(tok, "bad " + what + " (a number)");
      }
      if (v.get() > max) {
        throw error(tok, what + " too big max=" + max);
      }
      return v.get();
    }

    private SetkeyStatement sa(SetkeyOperation cmd, SourceLocation where) {
      addressFlags();
      SockAddr src = address(true);
      SockAddr dst = address(true);
      if (src.family() != dst.family()) {
        throw error(t.get(i - 1), "source and destination of different address families");
      }
      Proto proto = protocol(true);
      Token spiTok = word("an SPI");
      long spiMin;
      long spiMax;
      int dash = spiTok.text().indexOf('-');
      if (cmd == SetkeyOperation.GETSPI && dash > 0) {
        spiMin = spi(new Token(Token.Kind.WORD, spiTok.text().substring(0, dash), spiTok.line()));
        spiMax = spi(new Token(Token.Kind.WORD, spiTok.text().substring(dash + 1), spiTok.line()));
        if (spiMax < spiMin) {
          throw error(spiTok, "SPI range max < min");
        }
      } else {
        spiMin = spi(spiTok);
        spiMax = spiMin;
      }

      SaSpec.Builder b =
          SaSpec.builder(where).satype(proto.satype).source(src).destination(dst).spi(spiMin);
      if (proto.natt) {
        b.natTraversal(
            new SaSpec.NatTraversal(
                NatTraversalType.UDP_ENCAP_ESPINUDP.value(),
                src.port() == 0 ? DEFAULT_NATT_PORT : src.port(),
                dst.port() == 0 ? DEFAULT_NATT_PORT : dst.port(),
                proto.natOa));
      }
      Options o = options(b, proto.satype);
      if (cmd == SetkeyOperation.ADD && !o.algorithm) {
        throw error(peek(), "add needs an algorithm (-E, -A or -C)");
      }
      if (cmd != SetkeyOperation.ADD && o.algorithm) {
        throw error(o.algorithmToken, cmd + " takes no algorithm");
      }
      end();
      SaSpec sa;
      try {
        sa = b.build();
      } catch (IllegalArgumentException e) {
        throw error(spiTok, e.getMessage());
      }
      SadbMessage m =
          switch (cmd) {
            case ADD -> sa.toMessage(MessageType.SADB_ADD, SaState.SADB_SASTATE_LARVAL, 0, pid);
            case GETSPI -> getspi(sa, spiMin, spiMax);
            default ->
                addrMessage(
                    cmd == SetkeyOperation.GET ? MessageType.SADB_GET : MessageType.SADB_DELETE,
                    sa,
                    SaState.SADB_SASTATE_LARVAL,
                    pid);
          };
      return new SetkeyStatement(cmd, where, List.of(m), sa);
    }

    private SadbMessage getspi(SaSpec sa, long min, long max) {
      SadbMessage m = sa.toMessage(MessageType.SADB_GETSPI, SaState.SADB_SASTATE_LARVAL, 0, pid);
      if (min == 0 && max == 0) {
        return m;
      }
      // setkey puts the SPI range just before the SA extension.
      List<SadbExtension> ext = new ArrayList<>(m.extensions());
      int at = 0;
      while (!(ext.get(at) instanceof SaExtension)) {
        at++;
      }
      ext.add(at, new SpiRangeExtension(min, max));
      return m.withExtensions(ext);
    }

    private SetkeyStatement deleteAll(SourceLocation where) {
      addressFlags();
      SockAddr src = address(false);
      SockAddr dst = address(false);
      if (src.family() != dst.family()) {
        throw error(t.get(i - 1), "source and destination of different address families");
      }
      Proto proto = protocol(false);
      end();
      SaSpec sa = SaSpec.builder(where).satype(proto.satype).source(src).destination(dst).build();
      return new SetkeyStatement(
          SetkeyOperation.DELETEALL,
          where,
          List.of(base(MessageType.SADB_DUMP, proto.satype, List.of())),
          sa);
    }

    /** What the option loop saw. */
    private final class Options {
      boolean algorithm;
      Token algorithmToken;
    }

    private Options options(SaSpec.Builder b, int satype) {
      Options o = new Options();
      Set<String> seen = new java.util.HashSet<>();
      long hardTime = 0;
      long softTime = 0;
      long hardBytes = 0;
      long softBytes = 0;
      while (!atEnd()) {
        Token opt = word("an option (-m, -r, -u, -esn, -f, -lh, -ls, -bh, -bs, -E, -A, -C)");
        String name = opt.text();
        if (!name.equals("-f") && !name.equals("-R") && !seen.add(name)) {
          throw error(opt, "option given twice");
        }
        switch (name) {
          case "-m" -> {
            Token v = word("a mode (transport, tunnel, any)");
            b.mode(
                switch (v.text()) {
                  case "transport" -> IpsecMode.IPSEC_MODE_TRANSPORT.value();
                  case "tunnel" -> IpsecMode.IPSEC_MODE_TUNNEL.value();
                  case "any" -> IpsecMode.IPSEC_MODE_ANY.value();
                  default -> throw error(v, "unknown mode (transport, tunnel, any)");
                });
          }
          case "-r" -> b.replay((int) unsigned(word("a replay window"), 255, "replay window"));
          case "-u" -> b.reqid(unsigned(word("a reqid"), 0xFFFF_FFFFL, "reqid"));
          case "-esn" -> {
            if (satype == SaType.SADB_X_SATYPE_IPCOMP.value()) {
              throw error(opt, "-esn is for esp and ah (IPComp has no sequence number)");
            }
            b.esn(true);
          }
          case "-f" -> {
            Token v = word("a pad option");
            if (!Set.of("random-pad", "seq-pad", "zero-pad", "nocyclic-seq").contains(v.text())) {
              throw error(v, "unknown -f option (random-pad, seq-pad, zero-pad, nocyclic-seq)");
            }
          }
          case "-lh" -> hardTime = unsigned(word("seconds"), Long.MAX_VALUE, "lifetime");
          case "-ls" -> softTime = unsigned(word("seconds"), Long.MAX_VALUE, "lifetime");
          case "-bh" -> hardBytes = unsigned(word("bytes"), Long.MAX_VALUE, "byte lifetime");
          case "-bs" -> softBytes = unsigned(word("bytes"), Long.MAX_VALUE, "byte lifetime");
          case "-E" -> {
            algorithm(o, opt, seen, "-C");
            encryption(b);
          }
          case "-A" -> {
            algorithm(o, opt, seen, "-C");
            authentication(b);
          }
          case "-C" -> {
            algorithm(o, opt, seen, "-E", "-A");
            compression(b);
          }
          case "-R" -> {
            if (!seen.contains("-C")) {
              throw error(opt, "-R only follows -C");
            }
          }
          case "-ctx" -> throw error(opt, "security contexts (-ctx) are not supported");
          default -> throw error(opt, "unknown option");
        }
      }
      if (hardTime != 0 || hardBytes != 0) {
        b.hard(
            new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, 0, hardBytes, hardTime, 0));
      }
      if (softTime != 0 || softBytes != 0) {
        b.soft(
            new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_SOFT, 0, softBytes, softTime, 0));
      }
      return o;
    }

    private void algorithm(Options o, Token opt, Set<String> seen, String... conflicting) {
      for (String c : conflicting) {
        if (seen.contains(c)) {
          throw error(opt, opt.text() + " cannot be used with " + c);
        }
      }
      o.algorithm = true;
      if (o.algorithmToken == null) {
        o.algorithmToken = opt;
      }
    }

    private void encryption(SaSpec.Builder b) {
      Token name = word("an encryption algorithm");
      String n = name.text().toLowerCase(Locale.ROOT);
      Algorithm alg = setkeyAlgorithm(n, true);
      if (alg == null) {
        throw error(
            name,
            KNOWN_UNSUPPORTED_ENCRYPT.contains(n)
                ? "encryption algorithm not supported by the emulator"
                : "unknown encryption algorithm");
      }
      byte[] key = alg.isKeyless() ? null : key(alg);
      b.encrypt(alg.id(), key);
    }

    private void authentication(SaSpec.Builder b) {
      Token name = word("an authentication algorithm");
      String n = name.text().toLowerCase(Locale.ROOT);
      Algorithm alg = setkeyAlgorithm(n, false);
      if (alg == null) {
        throw error(
            name,
            KNOWN_UNSUPPORTED_AUTH.contains(n)
                ? "authentication algorithm not supported by the emulator"
                : "unknown authentication algorithm");
      }
      b.auth(alg.id(), key(alg));
    }

    private void compression(SaSpec.Builder b) {
      Token name = word("a compression algorithm (deflate, lzs, oui)");
      int calg =
          switch (name.text().toLowerCase(Locale.ROOT)) {
            case "deflate" -> CompressionAlgorithm.SADB_X_CALG_DEFLATE.value();
            case "lzs" -> CompressionAlgorithm.SADB_X_CALG_LZS.value();
            case "oui" -> CompressionAlgorithm.SADB_X_CALG_OUI.value();
            default -> throw error(name, "unknown compression algorithm (deflate, lzs, oui)");
          };
      b.encrypt(calg, null);
    }

    private byte[] key(Algorithm alg) {
      Token tok = take();
      byte[] key;
      if (tok.is(Token.Kind.QUOTED)) {
        key = tok.text().getBytes(StandardCharsets.UTF_8);
      } else if (tok.is(Token.Kind.WORD) && HEX_WORD.matcher(tok.text()).matches()) {
        key = hexKey(tok.text().substring(2));
      } else {
        throw error(tok, "expected a key (0x-hex or \"string\") for " + alg.setkeyName());
      }
      Optional<KeyProblem> p = KeyChecks.checkLength(alg, key.length * 8);
      if (p.isPresent()) {
        throw error(tok, p.get().message());
      }
      return key;
    }

    // ---------------------------------------------------------------- SPD statements

    private SetkeyStatement spd(SetkeyOperation cmd, SourceLocation where) {
      addressFlags();
      if (peek().isWord("tagged")) {
        throw error(peek(), "tagged policies are not supported");
      }
      Token srcTok = peek();
      SelectorAddress src = selectorAddress();
      SelectorAddress dst = selectorAddress();
      if (src.addr.family() != dst.addr.family()) {
        throw error(srcTok, "source and destination of different address families");
      }
      Token upperTok = word("an upper-layer protocol (any, tcp, udp, icmp, icmp6, or a number)");
      int upper =
          IpProtocols.parse(upperTok.text())
              .orElseThrow(() -> error(upperTok, "invalid upper layer protocol"));
      int sport = src.addr.port();
      int dport = dst.addr.port();
      if (peek().is(Token.Kind.WORD) && !peek().text().startsWith("-")) {
        Token spec = take();
        int[] ports = upperSpec(upper, spec, sport, dport);
        sport = ports[0];
        dport = ports[1];
      }
      if (peek().isWord("-ctx")) {
        throw error(peek(), "security contexts (-ctx) are not supported");
      }
      Token p = take();
      if (!p.isWord("-P")) {
        throw error(p, "expected -P and a policy");
      }
      Token policyTok = take();
      if (!policyTok.is(Token.Kind.POLICY) || policyTok.text().isEmpty()) {
        throw error(policyTok, "expected a policy after -P");
      }
      PolicyExtension policy = PolicyParser.parse(policyTok.text(), at(policyTok));
      end();
      AddressExtension s =
          new AddressExtension(
              ExtensionType.SADB_EXT_ADDRESS_SRC,
              upper,
              src.prefix,
              new SockAddr(src.addr.family(), src.addr.address(), sport, src.addr.scopeId()));
      AddressExtension d =
          new AddressExtension(
              ExtensionType.SADB_EXT_ADDRESS_DST,
              upper,
              dst.prefix,
              new SockAddr(dst.addr.family(), dst.addr.address(), dport, dst.addr.scopeId()));
      MessageType type =
          switch (cmd) {
            case SPDADD -> MessageType.SADB_X_SPDADD;
            case SPDUPDATE -> MessageType.SADB_X_SPDUPDATE;
            default -> MessageType.SADB_X_SPDDELETE;
          };
      List<SadbMessage> messages = new ArrayList<>();
      messages.add(base(type, 0, List.of(policy, s, d)));
      if (forwardPolicies && policy.dir() == PolicyDirection.IPSEC_DIR_INBOUND.value()) {
        messages.add(base(type, 0, List.of(forward(policy), s, d)));
      }
      return new SetkeyStatement(cmd, where, messages, null);
    }

    private record SelectorAddress(SockAddr addr, int prefix) {}

    private SelectorAddress selectorAddress() {
      Token tok = word("an address");
      SockAddr a;
      try {
        a = Addresses.parse(tok.text(), 0);
      } catch (IllegalArgumentException e) {
        throw error(tok, e.getMessage());
      }
      if (familyFlag != null && a.family() != familyFlag) {
        throw error(tok, "address is not of the family -4/-6 asks for");
      }
      int max = a.family().addressLength() * 8;
      int prefix = max;
      if (peek().is(Token.Kind.SLASH)) {
        take();
        Token p = word("a prefix length");
        if (!p.text().matches("\\d{1,3}") || Integer.parseInt(p.text()) > max) {
          throw error(p, "bad prefix length (0.." + max + ")");
        }
        prefix = Integer.parseInt(p.text());
      }
      if (peek().is(Token.Kind.LBRACKET)) {
        a = new SockAddr(a.family(), a.address(), port(), a.scopeId());
      }
      return new SelectorAddress(a, prefix);
    }

    /** ICMP type,code (or Mobility Header type) and GRE keys go into the port fields. */
    private int[] upperSpec(int upper, Token spec, int sport, int dport) {
      String s = spec.text();
      if (upper == IpProtocols.ICMP || upper == IpProtocols.ICMPV6 || upper == IpProtocols.MH) {
        if (s.matches("\\d{1,3},\\d{1,3}")) {
          String[] ab = s.split(",");
          return new int[] {check8(spec, ab[0]), check8(spec, ab[1])};
        }
        if (s.matches("\\d{1,3}")) {
          return new int[] {check8(spec, s), dport};
        }
        throw error(spec, "invalid an upper layer protocol spec (TYPE[,CODE])");
      }
      if (upper == IpProtocols.GRE) {
        if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
          String[] q = s.split("\\.");
          return new int[] {
            (check8(spec, q[0]) << 8) + check8(spec, q[1]),
            (check8(spec, q[2]) << 8) + check8(spec, q[3])
          };
        }
        if (s.matches("\\d{1,10}") && Long.parseLong(s) <= 0xFFFF_FFFFL) {
          long u = Long.parseLong(s);
          return new int[] {(int) (u >>> 16), (int) (u & 0xFFFF)};
        }
        throw error(spec, "invalid an upper layer protocol spec (GRE key)");
      }
      throw error(spec, "an upper layer protocol spec is only for icmp, icmp6, mh and gre");
    }

    private int check8(Token spec, String v) {
      int n = Integer.parseInt(v);
      if (n > 255) {
        throw error(spec, "value out of range 0..255 value=" + n);
      }
      return n;
    }
  }

  /**
   * The forward copy of an inbound policy ipsec-tools adds on Linux: direction fwd, and {@code
   * unique} requests made {@code require} with reqid 0, since a forwarded packet cannot use the SA
   * a local socket was bound to.
   */
  private static PolicyExtension forward(PolicyExtension in) {
    List<IpsecRequest> reqs = new ArrayList<>();
    for (IpsecRequest r : in.requests()) {
      if (r.level() == IpsecLevel.IPSEC_LEVEL_UNIQUE.value()) {
        reqs.add(
            new IpsecRequest(
                r.proto(),
                r.mode(),
                IpsecLevel.IPSEC_LEVEL_REQUIRE.value(),
                0,
                r.tunnelSource(),
                r.tunnelDestination()));
      } else {
        reqs.add(r);
      }
    }
    return new PolicyExtension(
        in.type(), PolicyDirection.IPSEC_DIR_FWD.value(), in.id(), in.priority(), reqs);
  }

  /** The algorithm a {@code setkey} {@code -E} or {@code -A} name stands for, or null. */
  static Algorithm setkeyAlgorithm(String name, boolean encrypt) {
    for (Algorithm a : Algorithm.values()) {
      if (a.kind().usesEncryptField() == encrypt && a.setkeyNames().contains(name)) {
        return a;
      }
    }
    return null;
  }

  /** Hex digits to bytes; an odd count gets a leading zero nibble, as {@code setkey} does. */
  static byte[] hexKey(String digits) {
    String d = digits.length() % 2 == 1 ? "0" + digits : digits;
    return HexFormat.of().parseHex(d);
  }

  /** A decimal or {@code 0x}-hex unsigned number up to 2^63-1, or empty. */
  static Optional<Long> number(String s) {
    try {
      if (HEX_NUMBER.matcher(s).matches()) {
        long v = Long.parseUnsignedLong(s.substring(2), 16);
        return v < 0 ? Optional.empty() : Optional.of(v);
      }
      if (DEC_NUMBER.matcher(s).matches()) {
        return Optional.of(Long.parseLong(s));
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
