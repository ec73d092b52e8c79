package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IpProtocolTest {

  @Test
  void namesNumbersByTheirIanaKeyword() {
    assertThat(IpProtocol.name(43)).isEqualTo("IPv6-Route");
    assertThat(IpProtocol.name(50)).isEqualTo("ESP");
    assertThat(IpProtocol.valueOf(51)).isEqualTo(IpProtocol.AH);
    assertThat(IpProtocol.IPV6_ICMP.toString()).isEqualTo("IPv6-ICMP");
  }

  @Test
  void keepsUnknownNumbersAsNumbers() {
    assertThat(IpProtocol.valueOf(200)).isNull();
    assertThat(IpProtocol.valueOf(-1)).isNull();
    assertThat(IpProtocol.valueOf(256)).isNull();
    assertThat(IpProtocol.name(200)).isEqualTo("UNKNOWN(200)");
  }

  @Test
  void everyConstantRoundTripsThroughItsValue() {
    for (IpProtocol p : IpProtocol.values()) {
      assertThat(IpProtocol.valueOf(p.value())).isSameAs(p);
    }
  }

  @Test
  void parseResultLabelsAreDistinctSnakeCase() {
    assertThat(Arrays.stream(ParseResult.values()).map(ParseResult::label).distinct().count())
        .isEqualTo(ParseResult.values().length);
    for (ParseResult r : ParseResult.values()) {
      assertThat(r.label()).matches("[a-z0-9_]+");
      assertThat(r.isOk()).isEqualTo(r == ParseResult.OK);
      assertThat(r.description()).isNotBlank();
    }
  }
}
