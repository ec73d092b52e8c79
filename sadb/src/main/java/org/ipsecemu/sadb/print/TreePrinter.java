package org.ipsecemu.sadb.print;

import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.AuthAlgorithm;
import org.ipsecemu.sadb.wire.CompressionAlgorithm;
import org.ipsecemu.sadb.wire.EncryptAlgorithm;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IdentityExtension;
import org.ipsecemu.sadb.wire.IdentityType;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.KmPrivateExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.NatTPortExtension;
import org.ipsecemu.sadb.wire.NatTTypeExtension;
import org.ipsecemu.sadb.wire.NatTraversalType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.PromiscPayload;
import org.ipsecemu.sadb.wire.ProposalExtension;
import org.ipsecemu.sadb.wire.ProposalReferenceExtension;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaFlag;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SensitivityExtension;
import org.ipsecemu.sadb.wire.SockAddr;
import org.ipsecemu.sadb.wire.SpiRangeExtension;
import org.ipsecemu.sadb.wire.SupportedExtension;
import org.ipsecemu.sadb.wire.UnknownExtension;

/**
 * Prints a message as a tree of its wire structures with the RFC's symbolic names, in the manner of
 * {@code setkey -x} (KAME's {@code kdebug_sadb}): one {@code struct{ field=value … }} line per
 * structure, nested structures indented below their parent.
 *
 * <pre>
 * sadb_msg{ version=2 type=SADB_ADD errno=0 satype=SADB_SATYPE_ESP len=26 reserved=0 seq=7 pid=2112 }
 *   sadb_sa{ len=2 exttype=SADB_EXT_SA spi=0x00001001(4097) replay=32 state=SADB_SASTATE_MATURE … }
 *   sadb_address{ len=3 exttype=SADB_EXT_ADDRESS_SRC proto=0 prefixlen=32 }
 *     sockaddr{ family=AF_INET address=192.0.2.1 port=0 }
 * </pre>
 *
 * <p>Key bytes are shown ({@code key=…}): this printer exists for debugging messages the user
 * already holds. Algorithm numbers are named by context: the encrypt field of an IPcomp SA as a
 * compression algorithm. The embedded message of a data-form SADB_X_PROMISC is decoded and printed
 * nested (or its error shown).
 */
public final class TreePrinter {
  private static final HexFormat HEX = HexFormat.of();

  private final PfKeyCodec codec;

  /** A printer that decodes embedded SADB_X_PROMISC payloads with the default wire format. */
  public TreePrinter() {
    this(new PfKeyCodec());
  }

  /** A printer that decodes embedded SADB_X_PROMISC payloads with this codec. */
  public TreePrinter(PfKeyCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** The tree, one line per structure, each line ending in a newline. */
  public String print(SadbMessage m) {
    StringBuilder out = new StringBuilder();
    print(m, 0, out);
    return out.toString();
  }

  private void print(SadbMessage m, int depth, StringBuilder out) {
    line(
        out,
        depth,
        "sadb_msg",
        "version=" + m.version(),
        "type=" + m.type().name(),
        "errno=" + errno(m.errno()),
        "satype=" + SaType.symbolOf(m.satype()),
        "len=" + m.len(),
        "reserved=" + m.reserved(),
        "seq=" + m.seq(),
        "pid=" + m.pid());
    for (SadbExtension e : m.extensions()) {
      extension(m, e, depth + 1, out);
    }
  }

  private static String errno(int errno) {
    return errno == 0 ? "0" : errno + "(" + org.ipsecemu.sadb.wire.Errno.symbolOf(errno) + ")";
  }

  private void extension(SadbMessage m, SadbExtension e, int d, StringBuilder out) {
    String len = "len=" + e.len();
    String type = "exttype=" + e.exttypeSymbol();
    if (e instanceof SaExtension x) {
      line(
          out,
          d,
          "sadb_sa",
          len,
          type,
          String.format("spi=0x%08x(%d)", x.spi(), x.spi()),
          "replay=" + x.replay(),
          "state=" + SaState.symbolOf(x.state()),
          "auth=" + AuthAlgorithm.symbolOf(x.auth()),
          "encrypt=" + encryptName(m.satype(), x.encrypt()),
          "flags=" + flags(x.flags()));
    } else if (e instanceof LifetimeExtension x) {
      line(
          out,
          d,
          "sadb_lifetime",
          len,
          type,
          "allocations=" + x.allocations(),
          "bytes=" + Long.toUnsignedString(x.bytes()),
          "addtime=" + Long.toUnsignedString(x.addtime()),
          "usetime=" + Long.toUnsignedString(x.usetime()));
    } else if (e instanceof AddressExtension x) {
      line(out, d, "sadb_address", len, type, "proto=" + x.proto(), "prefixlen=" + x.prefixlen());
      sockaddr(x.address(), d + 1, out);
    } else if (e instanceof KeyExtension x) {
      line(out, d, "sadb_key", len, type, "bits=" + x.bits());
      indent(out, d + 1).append("key=").append(HEX.formatHex(x.key())).append('\n');
    } else if (e instanceof IdentityExtension x) {
      line(
          out,
          d,
          "sadb_ident",
          len,
          type,
          "type=" + IdentityType.symbolOf(x.type()),
          "id=" + Long.toUnsignedString(x.id()));
      if (!x.string().isEmpty()) {
        indent(out, d + 1).append("string=\"").append(escape(x.string())).append("\"\n");
      }
    } else if (e instanceof SensitivityExtension x) {
      line(
          out,
          d,
          "sadb_sens",
          len,
          type,
          "dpd=" + x.dpd(),
          "sens_level=" + x.sensLevel(),
          "sens_len=" + x.sensBitmap().size(),
          "integ_level=" + x.integLevel(),
          "integ_len=" + x.integBitmap().size());
      bitmap("sens_bitmap", x.sensBitmap(), d + 1, out);
      bitmap("integ_bitmap", x.integBitmap(), d + 1, out);
    } else if (e instanceof ProposalExtension x) {
      line(out, d, "sadb_prop", len, type, "replay=" + x.replay());
      for (ProposalExtension.Comb c : x.combs()) {
        line(
            out,
            d + 1,
            "sadb_comb",
            "auth=" + AuthAlgorithm.symbolOf(c.auth()),
            "encrypt=" + encryptName(m.satype(), c.encrypt()),
            "flags=" + flags(c.flags()),
            "auth_minbits=" + c.authMinbits(),
            "auth_maxbits=" + c.authMaxbits(),
            "encrypt_minbits=" + c.encryptMinbits(),
            "encrypt_maxbits=" + c.encryptMaxbits(),
            "soft_allocations=" + c.softAllocations(),
            "hard_allocations=" + c.hardAllocations(),
            "soft_bytes=" + Long.toUnsignedString(c.softBytes()),
            "hard_bytes=" + Long.toUnsignedString(c.hardBytes()),
            "soft_addtime=" + Long.toUnsignedString(c.softAddtime()),
            "hard_addtime=" + Long.toUnsignedString(c.hardAddtime()),
            "soft_usetime=" + Long.toUnsignedString(c.softUsetime()),
            "hard_usetime=" + Long.toUnsignedString(c.hardUsetime()));
      }
    } else if (e instanceof SupportedExtension x) {
      line(out, d, "sadb_supported", len, type);
      boolean auth = x.kind() == ExtensionType.SADB_EXT_SUPPORTED_AUTH;
      for (SupportedExtension.Alg a : x.algs()) {
        line(
            out,
            d + 1,
            "sadb_alg",
            "id=" + (auth ? AuthAlgorithm.symbolOf(a.id()) : encryptName(m.satype(), a.id())),
            "ivlen=" + a.ivlen(),
            "minbits=" + a.minbits(),
            "maxbits=" + a.maxbits());
      }
    } else if (e instanceof SpiRangeExtension x) {
      line(
          out,
          d,
          "sadb_spirange",
          len,
          type,
          String.format("min=0x%08x", x.min()),
          String.format("max=0x%08x", x.max()));
    } else if (e instanceof KmPrivateExtension x) {
      line(out, d, "sadb_x_kmprivate", len, type);
      indent(out, d + 1).append("data=").append(HEX.formatHex(x.data())).append('\n');
    } else if (e instanceof PolicyExtension x) {
      line(
          out,
          d,
          "sadb_x_policy",
          len,
          type,
          "type=" + PolicyType.symbolOf(x.type()),
          "dir=" + PolicyDirection.symbolOf(x.dir()),
          "id=" + x.id(),
          "priority=" + x.priority());
      for (PolicyExtension.IpsecRequest r : x.requests()) {
        line(
            out,
            d + 1,
            "sadb_x_ipsecrequest",
            "len=" + r.encodedLength(),
            "proto=" + r.proto() + ipProtoName(r.proto()),
            "mode=" + IpsecMode.symbolOf(r.mode()),
            "level=" + IpsecLevel.symbolOf(r.level()),
            "reqid=" + r.reqid());
        if (r.hasEndpoints()) {
          sockaddr(r.tunnelSource(), d + 2, out);
          sockaddr(r.tunnelDestination(), d + 2, out);
        }
      }
    } else if (e instanceof Sa2Extension x) {
      line(
          out,
          d,
          "sadb_x_sa2",
          len,
          type,
          "mode=" + IpsecMode.symbolOf(x.mode()),
          "sequence=" + x.sequence(),
          "reqid=" + x.reqid());
    } else if (e instanceof NatTTypeExtension x) {
      line(out, d, "sadb_x_nat_t_type", len, type, "type=" + NatTraversalType.symbolOf(x.type()));
    } else if (e instanceof NatTPortExtension x) {
      line(out, d, "sadb_x_nat_t_port", len, type, "port=" + x.port());
    } else if (e instanceof ProposalReferenceExtension x) {
      line(out, d, "sadb_x_pref", len, type, "what=" + x.what());
    } else if (e instanceof UnknownExtension x) {
      line(out, d, "sadb_ext", len, type);
      indent(out, d + 1).append("data=").append(HEX.formatHex(x.body())).append('\n');
    } else if (e instanceof PromiscPayload x) {
      indent(out, d).append("payload{ len=").append(x.len()).append(" }\n");
      try {
        print(codec.decode(x.message()), d + 1, out);
      } catch (PfKeyException ex) {
        indent(out, d + 1)
            .append("error=")
            .append(ex.errno().name())
            .append(" reason=\"")
            .append(ex.reason())
            .append("\"\n");
        indent(out, d + 1).append("data=").append(HEX.formatHex(x.message())).append('\n');
      }
    }
  }

  private static void sockaddr(SockAddr s, int d, StringBuilder out) {
    if (s.scopeId() != 0) {
      line(
          out,
          d,
          "sockaddr",
          "family=" + s.family(),
          "address=" + s.addressString(),
          "port=" + s.port(),
          "scope_id=" + s.scopeId());
    } else {
      line(
          out,
          d,
          "sockaddr",
          "family=" + s.family(),
          "address=" + s.addressString(),
          "port=" + s.port());
    }
  }

  private static void bitmap(String name, List<Long> words, int d, StringBuilder out) {
    if (words.isEmpty()) {
      return;
    }
    StringBuilder sb = indent(out, d).append(name).append('=');
    for (int i = 0; i < words.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(String.format("0x%016x", words.get(i)));
    }
    sb.append('\n');
  }

  /** The name of an encrypt field: a compression algorithm when the SA type is IPcomp. */
  static String encryptName(int satype, int id) {
    return satype == SaType.SADB_X_SATYPE_IPCOMP.value()
        ? CompressionAlgorithm.symbolOf(id)
        : EncryptAlgorithm.symbolOf(id);
  }

  private static String flags(long flags) {
    return flags == 0 ? "0" : String.format("0x%08x(%s)", flags, SaFlag.describe(flags));
  }

  private static String ipProtoName(int proto) {
    switch (proto) {
      case 50:
        return "(IPPROTO_ESP)";
      case 51:
        return "(IPPROTO_AH)";
      case 108:
        return "(IPPROTO_COMP)";
      default:
        return "";
    }
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static void line(StringBuilder out, int depth, String struct, String... fields) {
    indent(out, depth).append(struct).append("{ ");
    for (String f : fields) {
      out.append(f).append(' ');
    }
    out.append("}\n");
  }

  private static StringBuilder indent(StringBuilder out, int depth) {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
    return out;
  }
}
