package org.ipsecemu.datapath.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a replay did, counted: frames read and written, inbound and outbound packets by verdict,
 * each SA's packets, bytes and verdicts, and the PF_KEY messages the Key Engine sent. Written as
 * the statistics JSON ({@link #toJson()}) and as a table for people ({@link #summary()}).
 *
 * <p>The JSON, every count a number and every name present (zeros included):
 *
 * <pre>
 * {"packets": {"read", "written", "inbound", "outbound", "non_ip", "truncated"},
 *  "inbound": {"ok", "no_sa", "auth_failed", "replay", "malformed", "pad_error", "expired",
 *              "policy"},
 *  "outbound": {"ok", "bypass", "discard", "acquire", "queued", "dropped"},
 *  "outbound_dropped": {"no_sa", "queue_full", "queue_timeout", "pending_at_end", "expired",
 *                       "malformed", "too_big"},
 *  "sas": [{"src", "dst", "proto", "spi", "mode", "state", "direction", "packets", "bytes",
 *           "verdicts": {"ok", "no_sa", "auth_failed", "replay", "malformed", "pad_error",
 *                        "expired", "policy", "too_big"}}],
 *  "pfkey": {"acquire", "expire_soft", "expire_hard"}}
 * </pre>
 *
 * <p>Inbound counts are the datapath's verdicts, one per inbound packet. Outbound: {@code ok},
 * {@code bypass} (sent in the clear: a {@code none} policy or none at all), {@code discard} (a
 * discard policy) and {@code dropped} (every other packet that did not leave; the reasons in {@code
 * outbound_dropped}) add up to the outbound packets; {@code acquire} counts the packets that found
 * an SA missing (key management was asked, or could not be), and {@code queued} those of them held
 * while SADB_ACQUIRE was out. Nothing answers an ACQUIRE during a replay, so held packets are
 * dropped when they have waited the datapath's queue timeout (60 s of capture time) or when the
 * capture ends ({@code pending_at_end}). Per SA, {@code packets} is the packets it processed, by
 * final verdict in {@code verdicts} (inbound and outbound under the same names; {@code direction}
 * says which way they went: {@code in}, {@code out}, {@code both} or {@code none}), and {@code
 * bytes} its CURRENT lifetime bytes (what the datapath charged). {@code pfkey} counts the
 * SADB_ACQUIRE and SADB_EXPIRE messages the Key Engine sent.
 *
 * @param input the capture replayed
 * @param linkType its link type, as libpcap names it
 * @param output the output capture, or null when none was written
 * @param keyFiles the key files with their formats
 * @param direction how packets were sent through the datapath
 * @param threads the workers that processed packets
 * @param packets frame counts: read, written (or that the output would hold without one), inbound,
 *     outbound, non_ip, truncated
 * @param inbound inbound packets by verdict
 * @param outbound outbound packets as described above
 * @param outboundDropped the dropped outbound packets by reason
 * @param sas every SA the replay installed, in order
 * @param pfkey SADB_ACQUIRE, SADB_EXPIRE soft and hard messages sent
 * @param readError why the capture could not be read to its end (a file cut short), or null; the
 *     frames before the problem were replayed
 * @param barriers with several threads, the packets that waited for every packet before them to be
 *     done (see the package documentation); 0 with one thread
 * @param elapsedNanos how long the replay took
 */
public record ReplayReport(
    String input,
    String linkType,
    String output,
    List<String> keyFiles,
    ReplayDirection direction,
    int threads,
    Map<String, Long> packets,
    Map<String, Long> inbound,
    Map<String, Long> outbound,
    Map<String, Long> outboundDropped,
    List<SaReport> sas,
    Map<String, Long> pfkey,
    String readError,
    long barriers,
    long elapsedNanos) {

  /** Copies the collections, keeping their order. */
  public ReplayReport {
    keyFiles = List.copyOf(keyFiles);
    packets = ordered(packets);
    inbound = ordered(inbound);
    outbound = ordered(outbound);
    outboundDropped = ordered(outboundDropped);
    sas = List.copyOf(sas);
    pfkey = ordered(pfkey);
  }

  /**
   * One SA at the end of the replay.
   *
   * @param src source address
   * @param dst destination address
   * @param proto {@code esp} or {@code ah}
   * @param spi the SPI
   * @param mode {@code transport}, {@code tunnel} or {@code any}
   * @param state {@code mature}, {@code dying} or {@code dead} (expired or deleted)
   * @param direction which way its packets went: {@code in}, {@code out}, {@code both}, {@code
   *     none}
   * @param packets the packets it processed
   * @param bytes its CURRENT lifetime bytes
   * @param verdicts its packets by final verdict
   */
  public record SaReport(
      String src,
      String dst,
      String proto,
      long spi,
      String mode,
      String state,
      String direction,
      long packets,
      long bytes,
      Map<String, Long> verdicts) {
    /** Copies the map, keeping its order. */
    public SaReport {
      verdicts = ordered(verdicts);
    }
  }

  /** The statistics JSON (pretty-printed, with a final newline). */
  public String toJson() {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = m.createObjectNode();
    root.set("packets", m.valueToTree(packets));
    root.set("inbound", m.valueToTree(inbound));
    root.set("outbound", m.valueToTree(outbound));
    root.set("outbound_dropped", m.valueToTree(outboundDropped));
    var list = root.putArray("sas");
    for (SaReport s : sas) {
      ObjectNode n = list.addObject();
      n.put("src", s.src());
      n.put("dst", s.dst());
      n.put("proto", s.proto());
      n.put("spi", s.spi());
      n.put("mode", s.mode());
      n.put("state", s.state());
      n.put("direction", s.direction());
      n.put("packets", s.packets());
      n.put("bytes", s.bytes());
      n.set("verdicts", m.valueToTree(s.verdicts()));
    }
    root.set("pfkey", m.valueToTree(pfkey));
    ObjectNode about = root.putObject("replay");
    about.put("input", input);
    about.put("link_type", linkType);
    if (output != null) {
      about.put("output", output);
    }
    about.put("direction", direction.label());
    about.put("threads", threads);
    about.put("barriers", barriers);
    if (readError != null) {
      about.put("error", readError);
    }
    var files = about.putArray("key_files");
    keyFiles.forEach(files::add);
    try {
      return m.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A table for people: what was read and written, the verdicts, the SAs, PF_KEY messages. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "Replayed %s (%s, direction %s, %d thread%s) in %.2f s%n",
            input,
            linkType,
            direction.label(),
            threads,
            threads == 1 ? "" : "s",
            elapsedNanos / 1e9));
    b.append("Keys: ").append(String.join(", ", keyFiles)).append('\n');
    if (threads > 1) {
      b.append(
          String.format(
              "Workers: %d; %d packets waited for all before them (a timer due, SAs on several"
                  + " workers)%n",
              threads, barriers));
    }
    b.append(
        String.format(
            "Frames: %d read, %d written%s (%d inbound, %d outbound, %d not IP, %d truncated)%n",
            packets.get("read"),
            packets.get("written"),
            output == null ? " (no output file)" : " to " + output,
            packets.get("inbound"),
            packets.get("outbound"),
            packets.get("non_ip"),
            packets.get("truncated")));
    b.append('\n');
    List<Map.Entry<String, Long>> in = List.copyOf(inbound.entrySet());
    List<Map.Entry<String, Long>> out = List.copyOf(outbound.entrySet());
    b.append(
        String.format("  %-14s %10s    %-14s %10s%n", "inbound", "packets", "outbound", "packets"));
    for (int i = 0; i < Math.max(in.size(), out.size()); i++) {
      String l =
          i < in.size()
              ? String.format("%-14s %10d", in.get(i).getKey(), in.get(i).getValue())
              : String.format("%25s", "");
      String r =
          i < out.size()
              ? String.format("%-14s %10d", out.get(i).getKey(), out.get(i).getValue())
              : "";
      b.append(("  " + l + "    " + r).stripTrailing()).append('\n');
    }
    if (outbound.getOrDefault("dropped", 0L) > 0) {
      b.append("  outbound dropped: ").append(nonZero(outboundDropped)).append('\n');
    }
    b.append('\n');
    if (sas.isEmpty()) {
      b.append("  no SAs\n");
    } else {
      b.append(
          String.format(
              "  %-5s %-10s %-32s %-9s %-6s %8s %10s  %s%n",
              "proto", "spi", "src > dst", "mode", "state", "packets", "bytes", "verdicts"));
      for (SaReport s : sas) {
        b.append(
            String.format(
                "  %-5s 0x%08x %-32s %-9s %-6s %8d %10d  %s%n",
                s.proto(),
                s.spi(),
                s.src() + " > " + s.dst(),
                s.mode(),
                s.state(),
                s.packets(),
                s.bytes(),
                s.packets() == 0 ? "-" : nonZero(s.verdicts())));
      }
    }
    b.append('\n');
    b.append(
        String.format(
            "  PF_KEY: %d SADB_ACQUIRE, %d SADB_EXPIRE soft, %d SADB_EXPIRE hard%n",
            pfkey.get("acquire"), pfkey.get("expire_soft"), pfkey.get("expire_hard")));
    return b.toString();
  }

  private static String nonZero(Map<String, Long> m) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Long> e : m.entrySet()) {
      if (e.getValue() != 0) {
        b.append(b.length() > 0 ? ", " : "").append(e.getKey()).append(' ').append(e.getValue());
      }
    }
    return b.length() == 0 ? "-" : b.toString();
  }

  private static Map<String, Long> ordered(Map<String, Long> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
