package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.junit.jupiter.api.Test;

/**
 * The SA's own selectors in the inbound check ({@link SecurityAssociation#selectorMatches}) across
 * address families. Found by {@code InboundPipelineFuzzTest}: an IPv6 packet from an IPv4 tunnel
 * was refused with the {@code policy} verdict.
 */
class SaSelectorTest {
  private final KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).seed(1).build();
  private final PfKeySocket km = engine.open(Credentials.root(100));

  private SecurityAssociation add(IpsecMode mode) {
    assertThat(km.call(Pf.addEsp(0x1000, 1, 100, new Sa2Extension(mode.value(), 0, 0))).errno())
        .isZero();
    return engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
  }

  private static Flow ipv6Flow() {
    return Flow.of(Pf.ip("2001:db8:1::1"), Pf.ip("2001:db8:2::1"), 17, 1234, 53);
  }

  @Test
  void ipv4TunnelSaAcceptsAnInnerIpv6Packet() {
    SecurityAssociation sa = add(IpsecMode.IPSEC_MODE_TUNNEL);
    assertThat(sa.selectorMatches(ipv6Flow())).isTrue();
    assertThat(engine.inboundAllowed(ipv6Flow(), new SecurityAssociation[] {sa}, 1)).isTrue();
  }

  @Test
  void ipv4TransportSaRefusesAnIpv6Flow() {
    SecurityAssociation sa = add(IpsecMode.IPSEC_MODE_TRANSPORT);
    assertThat(sa.selectorMatches(ipv6Flow())).isFalse();
  }

  @Test
  void ipv4TransportSaAcceptsItsOwnAddresses() {
    SecurityAssociation sa = add(IpsecMode.IPSEC_MODE_TRANSPORT);
    assertThat(sa.selectorMatches(Flow.of(Pf.ip(Pf.A), Pf.ip(Pf.B), 17, 1, 2))).isTrue();
  }
}
