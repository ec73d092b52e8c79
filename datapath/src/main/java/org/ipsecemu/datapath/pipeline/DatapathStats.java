package org.ipsecemu.datapath.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipsecemu.datapath.sa.SaCounters;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.wire.SaType;

/**
 * The datapath's counters at one moment: packets by verdict label in total, inbound and outbound
 * (every label present, zeros included), the packets waiting for an SA, and each SA's own counters
 * with its CURRENT lifetime bytes. Shaped for a statistics JSON ({@code "inbound": {"ok": 12,
 * "auth_failed": 1, ...}}).
 */
public record DatapathStats(
    Map<String, Long> inbound, Map<String, Long> outbound, int pending, List<SaStats> sas) {

  /** Copies the maps (keeping their order) and the list. */
  public DatapathStats {
    inbound = ordered(inbound);
    outbound = ordered(outbound);
    sas = List.copyOf(sas);
  }

  /**
   * One SA: its type, SPI and addresses as setkey prints them, its CURRENT lifetime bytes (what the
   * datapath charged, see the pipeline package documentation) and its packets by verdict.
   */
  public record SaStats(
      String satype,
      long spi,
      String source,
      String destination,
      long bytes,
      Map<String, Long> inbound,
      Map<String, Long> outbound) {

    /** Copies the maps, keeping their order. */
    public SaStats {
      inbound = ordered(inbound);
      outbound = ordered(outbound);
    }

    static SaStats of(SecurityAssociation sa, SaCounters c) {
      return new SaStats(
          SaType.symbolOf(sa.satype()),
          sa.spiUnsigned(),
          sa.source().getHostAddress(),
          sa.destination().getHostAddress(),
          sa.bytes(),
          c.inboundByLabel(),
          c.outboundByLabel());
    }
  }

  private static Map<String, Long> ordered(Map<String, Long> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
