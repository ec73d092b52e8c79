package org.ipsecemu.datapath.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.SaCounters;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.EngineStats;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.SecurityAssociation;

/**
 * The statistics the control socket's {@code {"op":"stats"}} answers, with the field names the
 * replay issue gives its {@code --stats} JSON, so that one reader serves both: counts as numbers,
 * zeros included.
 *
 * <pre>{@code
 * {"packets":{"read":…,"written":…},
 *  "inbound":{"ok","no_sa","auth_failed","replay","malformed","pad_error","expired","policy"},
 *  "outbound":{"ok","bypass","discard","acquire","queued","dropped"},
 *  "sas":[{"src","dst","proto","spi","mode","state","packets","bytes","verdicts":{…}}],
 *  "pfkey":{"acquire","expire_soft","expire_hard"}}
 * }</pre>
 *
 * Until {@code ipsec-emu replay --stats} exists, this class defines how the pipeline's counters map
 * onto those names:
 *
 * <ul>
 *   <li>{@code packets}: packets submitted on the control socket ({@code read}) and packets handed
 *       back, delivered inbound, sent outbound or released from a pending queue ({@code written}).
 *   <li>{@code inbound}: the pipeline's inbound verdicts, one to one.
 *   <li>{@code outbound}: {@code ok}, {@code bypass}; {@code discard} is the pipeline's {@code
 *       policy} (a discard policy); {@code acquire} the SADB_ACQUIREs the engine sent; {@code
 *       queued} the packets that waited for an SA (they are counted again when they leave); {@code
 *       dropped} every other final verdict ({@code no_sa}, {@code queue_full}, {@code
 *       queue_timeout}, {@code expired}, {@code malformed}, {@code too_big}).
 *   <li>{@code sas}: every SA the engine holds now, LARVAL ones included, oldest first; {@code
 *       packets} counts its final verdicts both ways, {@code bytes} is its CURRENT lifetime bytes,
 *       {@code verdicts} its counts by verdict label (inbound and outbound labels summed, every
 *       label present).
 *   <li>{@code pfkey}: SADB_ACQUIREs sent, SOFT and HARD SADB_EXPIREs sent.
 * </ul>
 */
final class StatsJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatsJson() {}

  static ObjectNode of(Datapath dp, KeyEngine engine, long read, long written) {
    EngineStats es = engine.stats();
    ObjectNode root = JSON.createObjectNode();
    ObjectNode packets = root.putObject("packets");
    packets.put("read", read);
    packets.put("written", written);

    ObjectNode in = root.putObject("inbound");
    for (Verdict v : Verdict.values()) {
      in.put(v.label(), dp.count(v));
    }

    ObjectNode out = root.putObject("outbound");
    out.put("ok", dp.count(OutboundVerdict.OK));
    out.put("bypass", dp.count(OutboundVerdict.BYPASS));
    out.put("discard", dp.count(OutboundVerdict.POLICY));
    out.put("acquire", es.acquires());
    out.put("queued", dp.count(OutboundVerdict.QUEUED));
    long dropped = 0;
    for (OutboundVerdict v : OutboundVerdict.values()) {
      if (!v.isSent() && v != OutboundVerdict.POLICY && v != OutboundVerdict.QUEUED) {
        dropped += dp.count(v);
      }
    }
    out.put("dropped", dropped);

    ArrayNode sas = root.putArray("sas");
    for (SecurityAssociation sa : engine.associations()) {
      ObjectNode s = sas.addObject();
      s.put("src", sa.source().getHostAddress());
      s.put("dst", sa.destination().getHostAddress());
      s.put("proto", sa.protocol().name().toLowerCase(Locale.ROOT));
      s.put("spi", sa.spiUnsigned());
      s.put("mode", sa.mode().name().toLowerCase(Locale.ROOT));
      s.put("state", stateName(sa));
      Map<String, Long> verdicts = verdicts(sa);
      long total = 0;
      for (long n : verdicts.values()) {
        total += n;
      }
      s.put("packets", total);
      s.put("bytes", sa.bytes());
      ObjectNode v = s.putObject("verdicts");
      verdicts.forEach(v::put);
    }

    ObjectNode pfkey = root.putObject("pfkey");
    pfkey.put("acquire", es.acquires());
    pfkey.put("expire_soft", es.softExpires());
    pfkey.put("expire_hard", es.hardExpires());
    return root;
  }

  /** {@code larval}, {@code mature}, {@code dying}, {@code dead}. */
  private static String stateName(SecurityAssociation sa) {
    String n = sa.state().name();
    return n.substring(n.lastIndexOf('_') + 1).toLowerCase(Locale.ROOT);
  }

  /**
   * The SA's final verdicts by label, both directions summed (an SA that saw no packet: zeros).
   * {@code queued} is left out, being no final verdict.
   */
  private static Map<String, Long> verdicts(SecurityAssociation sa) {
    SaCounters c = sa.attachment() instanceof SaContext ctx ? ctx.counters() : null;
    Map<String, Long> m = new LinkedHashMap<>();
    for (Verdict v : Verdict.values()) {
      m.merge(v.label(), c == null ? 0 : c.inbound(v), Long::sum);
    }
    for (OutboundVerdict v : OutboundVerdict.values()) {
      if (v != OutboundVerdict.QUEUED) {
        m.merge(v.label(), c == null ? 0 : c.outbound(v), Long::sum);
      }
    }
    return m;
  }
}
