package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.Packets.counting;
import static org.ipsecemu.datapath.pipeline.Packets.ipv4;
import static org.ipsecemu.datapath.pipeline.Packets.udp;

import org.ipsecemu.datapath.sa.Verdict;
import org.junit.jupiter.api.Test;

/**
 * Nested IPsec inbound: tunnels inside tunnels are undone layer after layer, each counted on its
 * own SA, up to {@link Datapath#MAX_DEPTH} layers; one more is {@code malformed}.
 */
class NestedIpsecTest {
  private static final String KEYS =
      "-E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha1"
          + " 0x0102030405060708090a0b0c0d0e0f1011121314";

  /** The SA of layer k (1 innermost): a tunnel from 198.51.100.k to 203.0.113.k. */
  private static String sa(int k) {
    return "add 198.51.100."
        + k
        + " 203.0.113."
        + k
        + " esp "
        + (0x7000 + k)
        + " -m tunnel "
        + KEYS
        + ";";
  }

  private static String request(int k) {
    return " esp/tunnel/198.51.100." + k + "-203.0.113." + k + "/require";
  }

  /** A packet of 10.1.0.1 to 10.2.0.1 in {@code layers} nested tunnels (layers 1..n, at most 6). */
  private static byte[] nested(byte[] inner, int layers) {
    try (Lab sender = new Lab()) {
      StringBuilder s = new StringBuilder();
      StringBuilder policy = new StringBuilder("spdadd 10.1.0.1 10.2.0.1 any -P out ipsec");
      for (int k = 1; k <= layers; k++) {
        s.append(sa(k));
        policy.append(request(k));
      }
      sender.run(s + policy.toString() + ";");
      return sender.protect(inner);
    }
  }

  /** A receiver holding the SAs of layers 1..n and no policy. */
  private static Lab receiver(int layers) {
    Lab lab = new Lab();
    StringBuilder s = new StringBuilder();
    for (int k = 1; k <= layers; k++) {
      s.append(sa(k));
    }
    return lab.run(s.toString());
  }

  @Test
  void everyLayerUpToTheMaximumIsUndoneAndCountedOnItsOwnSa() {
    byte[] inner = ipv4("10.1.0.1", "10.2.0.1", 17, udp(1, 2, counting(40)));
    byte[] packet = nested(inner, Datapath.MAX_DEPTH);
    try (Lab lab = receiver(Datapath.MAX_DEPTH)) {
      assertThat(lab.open(packet)).isEqualTo(inner);
      assertThat(lab.ctx.saCount()).isEqualTo(Datapath.MAX_DEPTH);
      for (int k = 1; k <= Datapath.MAX_DEPTH; k++) {
        assertThat(lab.context(0x7000 + k).counters().inbound(Verdict.OK))
            .as("layer " + k)
            .isEqualTo(1);
      }
    }
  }

  @Test
  void aLayerPastTheMaximumIsMalformedAndCountedOnItsSa() {
    byte[] inner = ipv4("10.1.0.1", "10.2.0.1", 17, udp(1, 2, counting(40)));
    int depth = Datapath.MAX_DEPTH + 1;
    // The outbound path applies at most MAX_DEPTH SAs per policy: one more layer comes from a
    // second sender, whose policy selects the packets between the outermost tunnel's endpoints.
    byte[] six = nested(inner, Datapath.MAX_DEPTH);
    byte[] seven;
    try (Lab wrapper = new Lab()) {
      int k = Datapath.MAX_DEPTH;
      wrapper.run(
          sa(depth)
              + "spdadd 198.51.100."
              + k
              + " 203.0.113."
              + k
              + " any -P out ipsec"
              + request(depth)
              + ";");
      seven = wrapper.protect(six);
    }
    try (Lab lab = receiver(depth)) {
      assertThat(lab.in(seven)).isEqualTo(Verdict.MALFORMED);
      assertThat(lab.ctx.saCount()).isEqualTo(Datapath.MAX_DEPTH);
      assertThat(lab.context(0x7001).counters().inbound(Verdict.MALFORMED))
          .as("the innermost layer, past the limit")
          .isEqualTo(1);
      assertThat(lab.context(0x7000 + depth).counters().inbound(Verdict.OK)).isZero();
      assertThat(lab.dp.count(Verdict.MALFORMED)).isEqualTo(1);
    }
  }

  @Test
  void espInUdpOfAnotherHostOutOfATunnelIsDeliveredUnchanged() {
    // A gateway's tunnel carries a host's NAT-T traffic (UDP 4500, an SPI the gateway does not
    // hold): it is delivered as the inner packet it is, UDP header and all.
    byte[] esp = new byte[40];
    esp[0] = 0x12; // SPI 0x12345678, not an SA here
    esp[1] = 0x34;
    esp[2] = 0x56;
    esp[3] = 0x78;
    esp[7] = 1;
    byte[] inner = ipv4("10.1.0.1", "10.2.0.1", 17, udp(4500, 4500, esp));
    byte[] packet = nested(inner, 1);
    try (Lab lab = receiver(1)) {
      assertThat(lab.open(packet)).isEqualTo(inner);
      assertThat(lab.ctx.saCount()).isEqualTo(1);
    }
  }
}
