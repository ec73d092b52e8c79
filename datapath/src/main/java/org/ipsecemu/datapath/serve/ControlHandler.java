package org.ipsecemu.datapath.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.ipsecemu.datapath.packet.FlowExtractor;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.datapath.pipeline.PacketContext;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.OutboundResult;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.spd.Flow;

/**
 * The control protocol of {@code ipsec-emu serve --control}: one JSON object per line in, one per
 * line out, to drive the datapath and the clock from outside. Every request gets exactly one
 * answer; a request that cannot be done gets {@code {"error": "…"}} and the connection goes on.
 * Blank lines are ignored.
 *
 * <ul>
 *   <li>{@code {"op":"packet","direction":"out","hex":"4500…"}}: the IP packet through outbound
 *       processing. {@code {"verdict":"ok","hex":…,"sas":[…]}} with its ESP/AH form, {@code
 *       {"verdict":"bypass","hex":…}} unchanged, {@code {"verdict":"pending","acquire_seq":7}} when
 *       it waits for the SA an SADB_ACQUIRE asked key management for, or the pipeline's verdict
 *       label ({@code policy}, {@code no_sa}, {@code queue_full}, {@code expired}, {@code
 *       malformed}, {@code too_big}) when it was dropped.
 *   <li>{@code {"op":"packet","direction":"in","hex":…}}: inbound processing. {@code
 *       {"verdict":"ok","hex":…,"sas":[…]}} with the packet delivered (no {@code hex} for an ESP
 *       dummy packet), or the drop verdict ({@code no_sa}, {@code auth_failed}, {@code replay},
 *       {@code malformed}, {@code pad_error}, {@code expired}, {@code policy}).
 *   <li>{@code {"op":"advance","seconds":30}}: moves a {@code manual} clock forward; lifetimes,
 *       LARVAL timeouts and forgotten ACQUIREs fire in time order on the way ({@link
 *       KeyEngine#advanceTo}). Answers {@code {"time":"2026-…Z","timers":2}}.
 *   <li>{@code {"op":"stats"}}: the statistics (see {@link StatsJson}).
 * </ul>
 *
 * Packets waiting for an SA leave once the SA is there, at the next request: before doing what a
 * request asks, the pending queues are looked at, and the packets that leave (in their order,
 * before the request's own packet) are reported on its answer as {@code
 * "released":[{"verdict":"ok","hex":…,"sas":[…]}]}. So a packet is never reported on the answer
 * that said it waits, whatever the timing of key management; which control connection hears of it
 * is whichever asks next.
 */
public final class ControlHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private final Datapath datapath;
  private final KeyEngine engine;
  private final ConcurrentLinkedQueue<ObjectNode> released = new ConcurrentLinkedQueue<>();
  private final AtomicLong read = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final ThreadLocal<FlowExtractor> flowExtractors =
      ThreadLocal.withInitial(FlowExtractor::new);

  /** A handler driving {@code datapath} and its engine. */
  public ControlHandler(Datapath datapath) {
    this.datapath = datapath;
    this.engine = datapath.engine();
  }

  /**
   * Answers one request line (without its newline), using {@code ctx} for the packet work: a
   * context of the calling thread. Returns the answer line (without newline), or null for a blank
   * line. Never throws.
   */
  public String handle(String line, PacketContext ctx) {
    if (line.isBlank()) {
      return null;
    }
    ObjectNode answer;
    try {
      releasePending(ctx);
      answer = dispatch(line, ctx);
    } catch (BadRequest e) {
      answer = error(e.getMessage());
    } catch (RuntimeException e) {
      // A defect here must not cost the client its connection; say what happened.
      answer = error("internal error: " + e);
    }
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode r = released.poll(); r != null; r = released.poll()) {
      out.add(r);
    }
    if (!out.isEmpty()) {
      answer.putArray("released").addAll(out);
    }
    return answer.toString();
  }

  /** An answer for a request the server refuses before reading it (EPERM, a line too long). */
  static String errorLine(String message) {
    return error(message).toString();
  }

  private ObjectNode dispatch(String line, PacketContext ctx) {
    JsonNode req;
    try {
      req = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadRequest("bad JSON: " + e.getOriginalMessage());
    }
    if (req == null || !req.isObject()) {
      throw new BadRequest("expected a JSON object, got: " + abbreviate(line));
    }
    String op = text(req, "op");
    switch (op) {
      case "packet":
        return packet(req, ctx);
      case "advance":
        return advance(req);
      case "stats":
        return StatsJson.of(datapath, engine, read.get(), written.get());
      default:
        throw new BadRequest("unknown op=" + op + " (expected: packet, advance, stats)");
    }
  }

  private ObjectNode packet(JsonNode req, PacketContext ctx) {
    String direction = text(req, "direction");
    byte[] pkt;
    try {
      pkt = HEX.parseHex(text(req, "hex").replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("hex is not hexadecimal: " + e.getMessage());
    }
    switch (direction) {
      case "out":
        read.incrementAndGet();
        return outbound(pkt, ctx);
      case "in":
        read.incrementAndGet();
        return inbound(pkt, ctx);
      default:
        throw new BadRequest("direction=" + direction + " (expected: in or out)");
    }
  }

  private ObjectNode outbound(byte[] pkt, PacketContext ctx) {
    // The engine's answer for the packet's flow, asked first: the datapath asks the same
    // (getassocbysocket is cached per flow, so it neither sends a second ACQUIRE nor allocates
    // twice), and this way a packet that waits can name its ACQUIRE even when key management
    // answers before this answer is written.
    Flow flow = new Flow();
    OutboundResult before =
        flowExtractors.get().extract(pkt, 0, pkt.length, flow).isOk()
            ? engine.getassocbysocket(flow)
            : null;
    OutboundVerdict v = datapath.outbound(pkt, 0, pkt.length, ctx);
    ObjectNode a = JSON.createObjectNode();
    if (v == OutboundVerdict.QUEUED) {
      a.put("verdict", "pending");
      OutboundResult r = before;
      if (r != null && r.kind() != OutboundResult.Kind.PENDING) {
        r = engine.getassocbysocket(flow); // the SA went between the two questions
      }
      if (r != null && r.kind() == OutboundResult.Kind.PENDING) {
        a.put("acquire_seq", r.acquireSeq());
      }
      return a;
    }
    a.put("verdict", v.label());
    if (v.isSent()) {
      sent(a, ctx);
    }
    return a;
  }

  private ObjectNode inbound(byte[] pkt, PacketContext ctx) {
    Verdict v = datapath.inbound(pkt, 0, pkt.length, ctx);
    ObjectNode a = JSON.createObjectNode();
    a.put("verdict", v.label());
    if (v.isOk()) {
      if (ctx.hasOutput()) {
        a.put("hex", HEX.formatHex(ctx.buffer(), ctx.offset(), ctx.offset() + ctx.length()));
        written.incrementAndGet();
      }
      sas(a, ctx);
    }
    return a;
  }

  private void sent(ObjectNode a, PacketContext ctx) {
    a.put("hex", HEX.formatHex(ctx.buffer(), ctx.offset(), ctx.offset() + ctx.length()));
    written.incrementAndGet();
    sas(a, ctx);
  }

  /** The SAs that processed the packet: protocol, SPI and mode; never a key. */
  private static void sas(ObjectNode a, PacketContext ctx) {
    if (ctx.saCount() == 0) {
      return;
    }
    ArrayNode list = a.putArray("sas");
    for (int i = 0; i < ctx.saCount(); i++) {
      SecurityAssociation sa = ctx.sa(i);
      ObjectNode s = list.addObject();
      s.put("proto", sa.protocol().name().toLowerCase(Locale.ROOT));
      s.put("spi", sa.spiUnsigned());
      s.put("mode", sa.mode().name().toLowerCase(Locale.ROOT));
    }
  }

  private void releasePending(PacketContext ctx) {
    if (datapath.pendingPackets() == 0) {
      return;
    }
    datapath.releasePending(
        ctx,
        (buf, off, len) -> {
          ObjectNode r = JSON.createObjectNode();
          r.put("verdict", ctx.saCount() > 0 ? OutboundVerdict.OK.label() : "bypass");
          sent(r, ctx);
          released.add(r);
        });
  }

  private ObjectNode advance(JsonNode req) {
    if (!(engine.clock() instanceof ManualClock)) {
      throw new BadRequest("advance needs the manual clock (serve --clock manual)");
    }
    JsonNode s = req.get("seconds");
    if (s == null || !s.isNumber()) {
      throw new BadRequest("advance needs \"seconds\": a number");
    }
    double seconds = s.asDouble();
    if (!(seconds >= 0) || seconds > 1e12) {
      throw new BadRequest("seconds=" + s + " (expected: 0 or more)");
    }
    int fired = engine.advance(Duration.ofMillis(Math.round(seconds * 1000)));
    ObjectNode a = JSON.createObjectNode();
    a.put("time", Instant.ofEpochMilli(engine.clock().currentTimeMillis()).toString());
    a.put("timers", fired);
    return a;
  }

  private static String text(JsonNode req, String field) {
    JsonNode n = req.get(field);
    if (n == null || !n.isTextual()) {
      throw new BadRequest("missing \"" + field + "\" (a string)");
    }
    return n.asText();
  }

  private static ObjectNode error(String message) {
    ObjectNode e = JSON.createObjectNode();
    e.put("error", message);
    return e;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }

  /** Packets submitted on the control socket so far. */
  public long packetsRead() {
    return read.get();
  }

  /** Packets handed back (processed, released) so far. */
  public long packetsWritten() {
    return written.get();
  }

  /** A request that cannot be done; its message is the answer's {@code error}. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
