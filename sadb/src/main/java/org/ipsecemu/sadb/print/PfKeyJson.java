package org.ipsecemu.sadb.print;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.AddressFamily;
import org.ipsecemu.sadb.wire.AuthAlgorithm;
import org.ipsecemu.sadb.wire.CompressionAlgorithm;
import org.ipsecemu.sadb.wire.EncryptAlgorithm;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IdentityExtension;
import org.ipsecemu.sadb.wire.IdentityType;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.KmPrivateExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.NatTPortExtension;
import org.ipsecemu.sadb.wire.NatTTypeExtension;
import org.ipsecemu.sadb.wire.NatTraversalType;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.PromiscPayload;
import org.ipsecemu.sadb.wire.ProposalExtension;
import org.ipsecemu.sadb.wire.ProposalReferenceExtension;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
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
 * The JSON form of a PF_KEY message, written and read back (Jackson), for {@code ipsec-emu pfkey
 * decode --json} and {@code pfkey encode}.
 *
 * <p>Names follow the RFC's struct fields without their {@code sadb_<struct>_} prefix; symbolic
 * values are spelled as the RFC spells them ({@code SADB_SATYPE_ESP}, {@code UNKNOWN(200)} for an
 * unnamed number); other values are JSON numbers, unsigned 64-bit ones as exact big integers; key
 * and opaque bytes are lower-case hex; addresses are text with a separate {@code port}:
 *
 * <pre>
 * {"version":2,"type":"SADB_ADD","errno":0,"satype":"SADB_SATYPE_ESP","len":26,"reserved":0,
 *  "seq":7,"pid":2112,"extensions":[{"len":2,"exttype":"SADB_EXT_SA","spi":4097,"replay":32,
 *  "state":"SADB_SASTATE_MATURE","auth":"SADB_AALG_SHA1HMAC","encrypt":"SADB_EALG_3DESCBC",
 *  "flags":0}, …]}
 * </pre>
 *
 * <p>Reading: every symbolic field also takes a number or {@code UNKNOWN(n)}; every numeric field
 * also takes a decimal or {@code 0x} hex string; omitted numbers are 0; length fields ({@code len},
 * {@code sens_len}, {@code integ_len}) are ignored and recomputed by the encoder, so a hand-edited
 * message needs no arithmetic. Unknown field names are rejected, so a typo does not go unnoticed.
 * Every error is a {@link PfKeyException} with EINVAL naming the path of the bad field.
 */
public final class PfKeyJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();

  /** The exttype name used for the payload of a data-form SADB_X_PROMISC. */
  public static final String PROMISC_PAYLOAD = "SADB_X_PROMISC_PAYLOAD";

  private PfKeyJson() {}

  // =================================================================== writing

  /** The message as one line of JSON. */
  public static String toJson(SadbMessage m) {
    return write(toTree(m));
  }

  /** The error of a message that does not decode: {@code {"error":"EINVAL","reason":"…"}}. */
  public static String errorJson(PfKeyException e) {
    ObjectNode o = NODES.objectNode();
    o.put("error", e.errno().name());
    o.put("reason", e.reason());
    return write(o);
  }

  /** The message as a Jackson tree. */
  public static ObjectNode toTree(SadbMessage m) {
    ObjectNode o = NODES.objectNode();
    o.put("version", m.version());
    o.put("type", m.type().name());
    o.put("errno", m.errno());
    o.put("satype", SaType.symbolOf(m.satype()));
    o.put("len", m.len());
    o.put("reserved", m.reserved());
    o.put("seq", m.seq());
    o.put("pid", m.pid());
    ArrayNode exts = o.putArray("extensions");
    for (SadbExtension e : m.extensions()) {
      exts.add(extension(m, e));
    }
    return o;
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree of plain nodes always serializes
    }
  }

  private static ObjectNode extension(SadbMessage m, SadbExtension e) {
    ObjectNode o = NODES.objectNode();
    o.put("len", e.len());
    o.put("exttype", e.exttypeSymbol());
    if (e instanceof SaExtension x) {
      o.put("spi", x.spi());
      o.put("replay", x.replay());
      o.put("state", SaState.symbolOf(x.state()));
      o.put("auth", AuthAlgorithm.symbolOf(x.auth()));
      o.put("encrypt", TreePrinter.encryptName(m.satype(), x.encrypt()));
      o.put("flags", x.flags());
    } else if (e instanceof LifetimeExtension x) {
      o.put("allocations", x.allocations());
      putU64(o, "bytes", x.bytes());
      putU64(o, "addtime", x.addtime());
      putU64(o, "usetime", x.usetime());
    } else if (e instanceof AddressExtension x) {
      o.put("proto", x.proto());
      o.put("prefixlen", x.prefixlen());
      putSockaddr(o, x.address());
    } else if (e instanceof KeyExtension x) {
      o.put("bits", x.bits());
      o.put("key", HEX.formatHex(x.key()));
    } else if (e instanceof IdentityExtension x) {
      o.put("type", IdentityType.symbolOf(x.type()));
      putU64(o, "id", x.id());
      o.put("string", x.string());
    } else if (e instanceof SensitivityExtension x) {
      o.put("dpd", x.dpd());
      o.put("sens_level", x.sensLevel());
      o.put("sens_len", x.sensBitmap().size());
      o.put("integ_level", x.integLevel());
      o.put("integ_len", x.integBitmap().size());
      ArrayNode s = o.putArray("sens_bitmap");
      x.sensBitmap().forEach(w -> s.add(unsigned(w)));
      ArrayNode i = o.putArray("integ_bitmap");
      x.integBitmap().forEach(w -> i.add(unsigned(w)));
    } else if (e instanceof ProposalExtension x) {
      o.put("replay", x.replay());
      ArrayNode combs = o.putArray("combs");
      for (ProposalExtension.Comb c : x.combs()) {
        ObjectNode n = combs.addObject();
        n.put("auth", AuthAlgorithm.symbolOf(c.auth()));
        n.put("encrypt", TreePrinter.encryptName(m.satype(), c.encrypt()));
        n.put("flags", c.flags());
        n.put("auth_minbits", c.authMinbits());
        n.put("auth_maxbits", c.authMaxbits());
        n.put("encrypt_minbits", c.encryptMinbits());
        n.put("encrypt_maxbits", c.encryptMaxbits());
        n.put("soft_allocations", c.softAllocations());
        n.put("hard_allocations", c.hardAllocations());
        putU64(n, "soft_bytes", c.softBytes());
        putU64(n, "hard_bytes", c.hardBytes());
        putU64(n, "soft_addtime", c.softAddtime());
        putU64(n, "hard_addtime", c.hardAddtime());
        putU64(n, "soft_usetime", c.softUsetime());
        putU64(n, "hard_usetime", c.hardUsetime());
      }
    } else if (e instanceof SupportedExtension x) {
      boolean auth = x.kind() == ExtensionType.SADB_EXT_SUPPORTED_AUTH;
      ArrayNode algs = o.putArray("algs");
      for (SupportedExtension.Alg a : x.algs()) {
        ObjectNode n = algs.addObject();
        n.put(
            "id",
            auth ? AuthAlgorithm.symbolOf(a.id()) : TreePrinter.encryptName(m.satype(), a.id()));
        n.put("ivlen", a.ivlen());
        n.put("minbits", a.minbits());
        n.put("maxbits", a.maxbits());
      }
    } else if (e instanceof SpiRangeExtension x) {
      o.put("min", x.min());
      o.put("max", x.max());
    } else if (e instanceof KmPrivateExtension x) {
      o.put("data", HEX.formatHex(x.data()));
    } else if (e instanceof PolicyExtension x) {
      o.put("type", PolicyType.symbolOf(x.type()));
      o.put("dir", PolicyDirection.symbolOf(x.dir()));
      o.put("id", x.id());
      o.put("priority", x.priority());
      ArrayNode reqs = o.putArray("requests");
      for (PolicyExtension.IpsecRequest r : x.requests()) {
        ObjectNode n = reqs.addObject();
        n.put("len", r.encodedLength());
        n.put("proto", r.proto());
        n.put("mode", IpsecMode.symbolOf(r.mode()));
        n.put("level", IpsecLevel.symbolOf(r.level()));
        n.put("reqid", r.reqid());
        if (r.hasEndpoints()) {
          putSockaddr(n.putObject("src"), r.tunnelSource());
          putSockaddr(n.putObject("dst"), r.tunnelDestination());
        }
      }
    } else if (e instanceof Sa2Extension x) {
      o.put("mode", IpsecMode.symbolOf(x.mode()));
      o.put("sequence", x.sequence());
      o.put("reqid", x.reqid());
    } else if (e instanceof NatTTypeExtension x) {
      o.put("type", NatTraversalType.symbolOf(x.type()));
    } else if (e instanceof NatTPortExtension x) {
      o.put("port", x.port());
    } else if (e instanceof ProposalReferenceExtension x) {
      o.put("what", x.what());
    } else if (e instanceof UnknownExtension x) {
      o.put("data", HEX.formatHex(x.body()));
    } else if (e instanceof PromiscPayload x) {
      o.put("message", HEX.formatHex(x.message()));
    }
    return o;
  }

  private static void putSockaddr(ObjectNode o, SockAddr s) {
    o.put("address", s.addressString());
    o.put("port", s.port());
    if (s.scopeId() != 0) {
      o.put("scope_id", s.scopeId());
    }
  }

  private static void putU64(ObjectNode o, String name, long v) {
    o.set(name, unsigned(v));
  }

  private static JsonNode unsigned(long v) {
    return v >= 0
        ? NODES.numberNode(v)
        : NODES.numberNode(new BigInteger(Long.toUnsignedString(v)));
  }

  // =================================================================== reading

  /**
   * Reads a message from its JSON form.
   *
   * @throws PfKeyException EINVAL for malformed JSON or a field that does not fit
   */
  public static SadbMessage fromJson(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new PfKeyException(
          Errno.EINVAL, "malformed JSON: " + e.getOriginalMessage().replace('\n', ' '), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new PfKeyException(Errno.EINVAL, "malformed JSON: empty input");
    }
    return fromTree(node);
  }

  /**
   * Reads a message from a Jackson tree.
   *
   * @throws PfKeyException EINVAL for a field that does not fit
   */
  public static SadbMessage fromTree(JsonNode node) {
    try {
      return new Reader().message(node);
    } catch (IllegalArgumentException e) {
      // A record constructor refused a value that passed the reader (e.g. a family mismatch).
      throw new PfKeyException(Errno.EINVAL, e.getMessage(), e);
    }
  }

  private static final class Reader {
    private static final Set<String> MESSAGE =
        Set.of("version", "type", "errno", "satype", "len", "reserved", "seq", "pid", "extensions");

    SadbMessage message(JsonNode o) {
      object(o, "message");
      fields(o, "message", MESSAGE);
      int version = (int) number(o, "version", "version", 8, 2);
      int type = symbol(o, "type", "type", MessageType::parse, 0xFF, -1);
      MessageType mt =
          MessageType.valueOf(type)
              .orElseThrow(() -> bad("type: unknown message type " + MessageType.symbolOf(type)));
      int errno = symbol(o, "errno", "errno", Errno::parse, 0xFF, 0);
      int satype = symbol(o, "satype", "satype", SaType::parse, 0xFF, 0);
      int reserved = (int) number(o, "reserved", "reserved", 16, 0);
      long seq = number(o, "seq", "seq", 32, 0);
      long pid = number(o, "pid", "pid", 32, 0);
      List<SadbExtension> exts = new ArrayList<>();
      JsonNode list = o.get("extensions");
      if (list != null && !list.isNull()) {
        if (!list.isArray()) {
          throw bad("extensions: expected an array");
        }
        for (int i = 0; i < list.size(); i++) {
          exts.add(extension(list.get(i), "extensions[" + i + "]", satype));
        }
      }
      return new SadbMessage(version, mt, errno, satype, reserved, seq, pid, exts);
    }

    private SadbExtension extension(JsonNode o, String path, int satype) {
      object(o, path);
      JsonNode t = o.get("exttype");
      if (t == null) {
        throw bad(path + ".exttype: missing");
      }
      if (t.isTextual() && t.asText().equals(PROMISC_PAYLOAD)) {
        fields(o, path, Set.of("len", "exttype", "message"));
        return new PromiscPayload(hex(o, "message", path + ".message", true));
      }
      int type = symbol(o, "exttype", path + ".exttype", ExtensionType::parse, 0xFFFF, -1);
      ExtensionType kind = ExtensionType.valueOf(type).orElse(null);
      if (type == 0) {
        throw bad(path + ".exttype: SADB_EXT_RESERVED is not an extension");
      }
      if (kind == null
          || kind == ExtensionType.SADB_X_EXT_SEC_CTX
          || kind == ExtensionType.SADB_X_EXT_KMADDRESS
          || kind == ExtensionType.SADB_X_EXT_FILTER) {
        fields(o, path, Set.of("len", "exttype", "data"));
        return new UnknownExtension(type, hex(o, "data", path + ".data", false));
      }
      String p = path + ".";
      switch (kind) {
        case SADB_EXT_SA:
          fields(
              o,
              path,
              Set.of("len", "exttype", "spi", "replay", "state", "auth", "encrypt", "flags"));
          return new SaExtension(
              number(o, "spi", p + "spi", 32, 0),
              (int) number(o, "replay", p + "replay", 8, 0),
              symbol(o, "state", p + "state", SaState::parse, 0xFF, 0),
              symbol(o, "auth", p + "auth", AuthAlgorithm::parse, 0xFF, 0),
              symbol(o, "encrypt", p + "encrypt", PfKeyJson::parseEncrypt, 0xFF, 0),
              number(o, "flags", p + "flags", 32, 0));
        case SADB_EXT_LIFETIME_CURRENT:
        case SADB_EXT_LIFETIME_HARD:
        case SADB_EXT_LIFETIME_SOFT:
          fields(o, path, Set.of("len", "exttype", "allocations", "bytes", "addtime", "usetime"));
          return new LifetimeExtension(
              kind,
              number(o, "allocations", p + "allocations", 32, 0),
              number(o, "bytes", p + "bytes", 64, 0),
              number(o, "addtime", p + "addtime", 64, 0),
              number(o, "usetime", p + "usetime", 64, 0));
        case SADB_EXT_ADDRESS_SRC:
        case SADB_EXT_ADDRESS_DST:
        case SADB_EXT_ADDRESS_PROXY:
        case SADB_X_EXT_NAT_T_OA:
          fields(
              o,
              path,
              Set.of("len", "exttype", "proto", "prefixlen", "address", "port", "scope_id"));
          SockAddr sa = sockaddr(o, path);
          int prefix =
              (int) number(o, "prefixlen", p + "prefixlen", 8, sa.family().addressLength() * 8L);
          return new AddressExtension(
              kind, (int) number(o, "proto", p + "proto", 8, 0), prefix, sa);
        case SADB_EXT_KEY_AUTH:
        case SADB_EXT_KEY_ENCRYPT:
          fields(o, path, Set.of("len", "exttype", "bits", "key"));
          byte[] key = hex(o, "key", p + "key", true);
          return new KeyExtension(
              kind, (int) number(o, "bits", p + "bits", 16, key.length * 8L), key);
        case SADB_EXT_IDENTITY_SRC:
        case SADB_EXT_IDENTITY_DST:
          fields(o, path, Set.of("len", "exttype", "type", "id", "string"));
          return new IdentityExtension(
              kind,
              symbol(o, "type", p + "type", IdentityType::parse, 0xFFFF, 0),
              number(o, "id", p + "id", 64, 0),
              text(o, "string", p + "string", ""));
        case SADB_EXT_SENSITIVITY:
          fields(
              o,
              path,
              Set.of(
                  "len",
                  "exttype",
                  "dpd",
                  "sens_level",
                  "sens_len",
                  "integ_level",
                  "integ_len",
                  "sens_bitmap",
                  "integ_bitmap"));
          return new SensitivityExtension(
              number(o, "dpd", p + "dpd", 32, 0),
              (int) number(o, "sens_level", p + "sens_level", 8, 0),
              (int) number(o, "integ_level", p + "integ_level", 8, 0),
              words(o, "sens_bitmap", p + "sens_bitmap"),
              words(o, "integ_bitmap", p + "integ_bitmap"));
        case SADB_EXT_PROPOSAL:
          fields(o, path, Set.of("len", "exttype", "replay", "combs"));
          List<ProposalExtension.Comb> combs = new ArrayList<>();
          JsonNode cs = array(o, "combs", p + "combs");
          for (int i = 0; i < cs.size(); i++) {
            combs.add(comb(cs.get(i), p + "combs[" + i + "]", satype));
          }
          return new ProposalExtension((int) number(o, "replay", p + "replay", 8, 0), combs);
        case SADB_EXT_SUPPORTED_AUTH:
        case SADB_EXT_SUPPORTED_ENCRYPT:
          fields(o, path, Set.of("len", "exttype", "algs"));
          List<SupportedExtension.Alg> algs = new ArrayList<>();
          JsonNode as = array(o, "algs", p + "algs");
          ToIntFunction<String> ids =
              kind == ExtensionType.SADB_EXT_SUPPORTED_AUTH
                  ? AuthAlgorithm::parse
                  : PfKeyJson::parseEncrypt;
          for (int i = 0; i < as.size(); i++) {
            JsonNode a = as.get(i);
            String ap = p + "algs[" + i + "]";
            object(a, ap);
            fields(a, ap, Set.of("id", "ivlen", "minbits", "maxbits"));
            algs.add(
                new SupportedExtension.Alg(
                    symbol(a, "id", ap + ".id", ids, 0xFF, 0),
                    (int) number(a, "ivlen", ap + ".ivlen", 8, 0),
                    (int) number(a, "minbits", ap + ".minbits", 16, 0),
                    (int) number(a, "maxbits", ap + ".maxbits", 16, 0)));
          }
          return new SupportedExtension(kind, algs);
        case SADB_EXT_SPIRANGE:
          fields(o, path, Set.of("len", "exttype", "min", "max"));
          return new SpiRangeExtension(
              number(o, "min", p + "min", 32, 0), number(o, "max", p + "max", 32, 0));
        case SADB_X_EXT_KMPRIVATE:
          fields(o, path, Set.of("len", "exttype", "data"));
          return new KmPrivateExtension(hex(o, "data", p + "data", false));
        case SADB_X_EXT_POLICY:
          fields(o, path, Set.of("len", "exttype", "type", "dir", "id", "priority", "requests"));
          List<PolicyExtension.IpsecRequest> reqs = new ArrayList<>();
          JsonNode rs = array(o, "requests", p + "requests");
          for (int i = 0; i < rs.size(); i++) {
            reqs.add(request(rs.get(i), p + "requests[" + i + "]"));
          }
          return new PolicyExtension(
              symbol(o, "type", p + "type", PolicyType::parse, 0xFFFF, 0),
              symbol(o, "dir", p + "dir", PolicyDirection::parse, 0xFF, 0),
              number(o, "id", p + "id", 32, 0),
              number(o, "priority", p + "priority", 32, 0),
              reqs);
        case SADB_X_EXT_SA2:
          fields(o, path, Set.of("len", "exttype", "mode", "sequence", "reqid"));
          return new Sa2Extension(
              symbol(o, "mode", p + "mode", IpsecMode::parse, 0xFF, 0),
              number(o, "sequence", p + "sequence", 32, 0),
              number(o, "reqid", p + "reqid", 32, 0));
        case SADB_X_EXT_NAT_T_TYPE:
          fields(o, path, Set.of("len", "exttype", "type"));
          return new NatTTypeExtension(
              symbol(o, "type", p + "type", NatTraversalType::parse, 0xFF, 0));
        case SADB_X_EXT_NAT_T_SPORT:
        case SADB_X_EXT_NAT_T_DPORT:
          fields(o, path, Set.of("len", "exttype", "port"));
          return new NatTPortExtension(kind, (int) number(o, "port", p + "port", 16, 0));
        case SADB_X_EXT_PREFERENCE:
          fields(o, path, Set.of("len", "exttype", "what"));
          return new ProposalReferenceExtension(number(o, "what", p + "what", 32, 0));
        default:
          throw bad(path + ".exttype: " + kind + " cannot be built");
      }
    }

    private ProposalExtension.Comb comb(JsonNode c, String path, int satype) {
      object(c, path);
      fields(
          c,
          path,
          Set.of(
              "auth",
              "encrypt",
              "flags",
              "auth_minbits",
              "auth_maxbits",
              "encrypt_minbits",
              "encrypt_maxbits",
              "soft_allocations",
              "hard_allocations",
              "soft_bytes",
              "hard_bytes",
              "soft_addtime",
              "hard_addtime",
              "soft_usetime",
              "hard_usetime"));
      String p = path + ".";
      return new ProposalExtension.Comb(
          symbol(c, "auth", p + "auth", AuthAlgorithm::parse, 0xFF, 0),
          symbol(c, "encrypt", p + "encrypt", PfKeyJson::parseEncrypt, 0xFF, 0),
          (int) number(c, "flags", p + "flags", 16, 0),
          (int) number(c, "auth_minbits", p + "auth_minbits", 16, 0),
          (int) number(c, "auth_maxbits", p + "auth_maxbits", 16, 0),
          (int) number(c, "encrypt_minbits", p + "encrypt_minbits", 16, 0),
          (int) number(c, "encrypt_maxbits", p + "encrypt_maxbits", 16, 0),
          number(c, "soft_allocations", p + "soft_allocations", 32, 0),
          number(c, "hard_allocations", p + "hard_allocations", 32, 0),
          number(c, "soft_bytes", p + "soft_bytes", 64, 0),
          number(c, "hard_bytes", p + "hard_bytes", 64, 0),
          number(c, "soft_addtime", p + "soft_addtime", 64, 0),
          number(c, "hard_addtime", p + "hard_addtime", 64, 0),
          number(c, "soft_usetime", p + "soft_usetime", 64, 0),
          number(c, "hard_usetime", p + "hard_usetime", 64, 0));
    }

    private PolicyExtension.IpsecRequest request(JsonNode r, String path) {
      object(r, path);
      fields(r, path, Set.of("len", "proto", "mode", "level", "reqid", "src", "dst"));
      String p = path + ".";
      SockAddr src = null;
      SockAddr dst = null;
      if (r.has("src") || r.has("dst")) {
        JsonNode s = r.get("src");
        JsonNode d = r.get("dst");
        if (s == null || d == null) {
          throw bad(path + ": tunnel endpoints need both src and dst");
        }
        object(s, p + "src");
        object(d, p + "dst");
        fields(s, p + "src", Set.of("address", "port", "scope_id"));
        fields(d, p + "dst", Set.of("address", "port", "scope_id"));
        src = sockaddr(s, p + "src");
        dst = sockaddr(d, p + "dst");
        if (src.family() != dst.family()) {
          throw bad(path + ": tunnel endpoints of different families");
        }
      }
      return new PolicyExtension.IpsecRequest(
          (int) number(r, "proto", p + "proto", 16, 0),
          symbol(r, "mode", p + "mode", IpsecMode::parse, 0xFF, 0),
          symbol(r, "level", p + "level", IpsecLevel::parse, 0xFF, 0),
          number(r, "reqid", p + "reqid", 32, 0),
          src,
          dst);
    }

    private SockAddr sockaddr(JsonNode o, String path) {
      String text = text(o, "address", path + ".address", null);
      if (text == null) {
        throw bad(path + ".address: missing");
      }
      SockAddr parsed;
      try {
        parsed = SockAddr.parse(text, 0);
      } catch (IllegalArgumentException e) {
        throw bad(path + ".address: " + e.getMessage());
      }
      int port = (int) number(o, "port", path + ".port", 16, 0);
      long scope = number(o, "scope_id", path + ".scope_id", 32, 0);
      if (scope != 0 && parsed.family() != AddressFamily.AF_INET6) {
        throw bad(path + ".scope_id: only AF_INET6 addresses have a scope id");
      }
      return new SockAddr(parsed.family(), parsed.address(), port, scope);
    }

    private List<Long> words(JsonNode o, String name, String path) {
      List<Long> out = new ArrayList<>();
      JsonNode a = o.get(name);
      if (a == null || a.isNull()) {
        return out;
      }
      if (!a.isArray()) {
        throw bad(path + ": expected an array of numbers");
      }
      for (int i = 0; i < a.size(); i++) {
        out.add(toUnsigned(a.get(i), path + "[" + i + "]", 64));
      }
      return out;
    }

    private JsonNode array(JsonNode o, String name, String path) {
      JsonNode a = o.get(name);
      if (a == null || a.isNull()) {
        return NODES.arrayNode();
      }
      if (!a.isArray()) {
        throw bad(path + ": expected an array");
      }
      return a;
    }

    private static void object(JsonNode o, String path) {
      if (o == null || !o.isObject()) {
        throw bad(path + ": expected an object");
      }
    }

    private static void fields(JsonNode o, String path, Set<String> allowed) {
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!allowed.contains(f)) {
          throw bad(path + ": unknown field \"" + f + "\"");
        }
      }
    }

    /** A numeric field of {@code bits} width, as a number or a decimal/hex string. */
    private static long number(JsonNode o, String name, String path, int bits, long dflt) {
      JsonNode n = o.get(name);
      if (n == null || n.isNull()) {
        return dflt;
      }
      return toUnsigned(n, path, bits);
    }

    private static long toUnsigned(JsonNode n, String path, int bits) {
      BigInteger v;
      if (n.isIntegralNumber()) {
        v = n.bigIntegerValue();
      } else if (n.isTextual()) {
        String t = n.asText().trim();
        try {
          v =
              t.startsWith("0x") || t.startsWith("0X")
                  ? new BigInteger(t.substring(2), 16)
                  : new BigInteger(t);
        } catch (NumberFormatException e) {
          throw bad(path + ": not a number: \"" + t + "\"");
        }
      } else {
        throw bad(path + ": expected a number, got " + n.getNodeType().name().toLowerCase());
      }
      if (v.signum() < 0 || v.bitLength() > bits) {
        throw bad(path + ": " + v + " does not fit in " + bits + " unsigned bits");
      }
      return v.longValue();
    }

    /** A symbolic field: a name, {@code UNKNOWN(n)}, or a number up to {@code max}. */
    private static int symbol(
        JsonNode o, String name, String path, ToIntFunction<String> parse, int max, int dflt) {
      JsonNode n = o.get(name);
      if (n == null || n.isNull()) {
        if (dflt < 0) {
          throw bad(path + ": missing");
        }
        return dflt;
      }
      long v;
      if (n.isTextual()) {
        try {
          v = parse.applyAsInt(n.asText());
        } catch (IllegalArgumentException e) {
          throw bad(path + ": " + e.getMessage());
        }
      } else {
        v = toUnsigned(n, path, 32);
      }
      if (v < 0 || v > max) {
        throw bad(path + ": " + v + " out of range 0.." + max);
      }
      return (int) v;
    }

    private static String text(JsonNode o, String name, String path, String dflt) {
      JsonNode n = o.get(name);
      if (n == null || n.isNull()) {
        return dflt;
      }
      if (!n.isTextual()) {
        throw bad(path + ": expected a string");
      }
      return n.asText();
    }

    private static byte[] hex(JsonNode o, String name, String path, boolean required) {
      String t = text(o, name, path, null);
      if (t == null) {
        if (required) {
          throw bad(path + ": missing");
        }
        return new byte[0];
      }
      String clean = t.replaceAll("[\\s:]", "");
      if (clean.startsWith("0x") || clean.startsWith("0X")) {
        clean = clean.substring(2);
      }
      try {
        return HEX.parseHex(clean);
      } catch (IllegalArgumentException e) {
        throw bad(path + ": not hex: " + e.getMessage());
      }
    }

    private static PfKeyException bad(String reason) {
      return new PfKeyException(Errno.EINVAL, reason);
    }
  }

  /** An encrypt field: an EALG name, a CALG name (IPcomp), {@code UNKNOWN(n)} or a number. */
  static int parseEncrypt(String text) {
    try {
      return EncryptAlgorithm.parse(text);
    } catch (IllegalArgumentException e) {
      try {
        return CompressionAlgorithm.parse(text);
      } catch (IllegalArgumentException e2) {
        throw new IllegalArgumentException(
            "unknown encryption or compression algorithm \"" + text + "\"");
      }
    }
  }
}
