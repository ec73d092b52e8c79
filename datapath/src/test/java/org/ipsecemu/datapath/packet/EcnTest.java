package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EcnTest {

  @ParameterizedTest(name = "inner {0} -> outer {1}")
  @CsvSource({"0, 0", "1, 1", "2, 2", "3, 2"})
  void encapsulatesAsRfc6040NormalMode(int inner, int outer) {
    // RFC 6040 §4.1: outer copies the inner ECN field except that CE is carried as ECT(0)
    assertThat(Ecn.encapsulate(inner)).isEqualTo(outer);
  }

  @ParameterizedTest(name = "outer {0}, inner {1} -> {2}")
  @CsvSource({
    "0, 0, 0", "1, 0, 0", "2, 0, 0", "3, 0, 0", // Not-ECT inner stays (Linux does not drop)
    "3, 1, 3", "3, 2, 3", "3, 3, 3", // CE reaches an ECN-capable inner header
    "0, 2, 2", "1, 2, 2", "2, 1, 1"
  })
  void decapsulatesByPropagatingCongestionExperienced(int outer, int inner, int result) {
    assertThat(Ecn.decapsulate(outer, inner)).isEqualTo(result);
  }

  @Test
  void marksAnIpv4InnerHeaderAndKeepsItsChecksumRight() {
    byte[] p = Hex.bytes(FlowExtractorTest.V4_TCP);
    Ipv4Header h = new Ipv4Header().wrap(p, 0, p.length).tos(0xb8 | Ecn.ECT_0).updateChecksum();
    assertThat(Ecn.propagateCongestion(Ecn.CE, p, 0)).isTrue();
    assertThat(h.tos()).isEqualTo(0xb8 | Ecn.CE);
    assertThat(h.isChecksumValid()).isTrue();
    assertThat(Ecn.propagateCongestion(Ecn.CE, p, 0)).as("already CE").isFalse();
  }

  @Test
  void marksAnIpv6InnerHeaderLeavingFlowLabelAlone() {
    byte[] p = Hex.bytes(FlowExtractorTest.V6_ICMP);
    Ipv6Header h = new Ipv6Header().wrap(p, 0, p.length).versionClassFlow(0xb9, 0x12345);
    assertThat(Ecn.propagateCongestion(Ecn.CE, p, 0)).isTrue();
    assertThat(h.trafficClass()).isEqualTo(0xbb);
    assertThat(h.flowLabel()).isEqualTo(0x12345);
    assertThat(h.version()).isEqualTo(6);
  }

  @Test
  void leavesNotEctAlone() {
    byte[] p = Hex.bytes(FlowExtractorTest.V4_TCP);
    byte[] before = p.clone();
    assertThat(Ecn.propagateCongestion(Ecn.CE, p, 0)).isFalse();
    assertThat(p).isEqualTo(before);
  }
}
