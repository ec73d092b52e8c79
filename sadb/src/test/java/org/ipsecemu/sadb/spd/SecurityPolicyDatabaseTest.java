package org.ipsecemu.sadb.spd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SecurityPolicyDatabaseTest {

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static Flow flow(String src, String dst, int proto, int sport, int dport)
      throws Exception {
    return Flow.of(ip(src), ip(dst), proto, sport, dport);
  }

  @Test
  void selectorMatchesPrefixesProtocolAndPorts() throws Exception {
    Selector s = new Selector(ip("10.1.0.0"), 16, ip("192.0.2.0"), 25, 6, 0, 80);
    assertThat(s.matches(flow("10.1.200.3", "192.0.2.127", 6, 1234, 80))).isTrue();
    assertThat(s.matches(flow("10.2.0.1", "192.0.2.1", 6, 1234, 80))).isFalse();
    assertThat(s.matches(flow("10.1.0.1", "192.0.2.128", 6, 1234, 80))).isFalse();
    assertThat(s.matches(flow("10.1.0.1", "192.0.2.1", 17, 1234, 80))).isFalse();
    assertThat(s.matches(flow("10.1.0.1", "192.0.2.1", 6, 1234, 443))).isFalse();
    assertThat(s.matches(flow("::1", "::2", 6, 1234, 80))).isFalse();
  }

  @Test
  void selectorClearsHostBitsSoEqualNetworksAreEqual() throws Exception {
    Selector a = new Selector(ip("10.1.2.3"), 8, ip("0.0.0.0"), 0, 255, 0, 0);
    Selector b = new Selector(ip("10.0.0.0"), 8, ip("0.0.0.0"), 0, 255, 0, 0);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.toString()).isEqualTo("10.0.0.0/8[any] 0.0.0.0/0[any] any");
  }

  @Test
  void lookupPrefersLowerPriorityValueThenInsertionOrder() throws Exception {
    SecurityPolicyDatabase spd = new SecurityPolicyDatabase(100);
    Selector wide = new Selector(ip("0.0.0.0"), 0, ip("0.0.0.0"), 0, 255, 0, 0);
    Selector narrow = new Selector(ip("10.0.0.0"), 8, ip("0.0.0.0"), 0, 255, 0, 0);
    Policy first = spd.add(Policy.of(wide, PolicyDirection.OUT, PolicyAction.NONE)).policy();
    Policy second = spd.add(Policy.of(narrow, PolicyDirection.OUT, PolicyAction.DISCARD)).policy();
    Flow f = flow("10.0.0.1", "10.0.0.2", 6, 1, 2);
    assertThat(spd.lookup(PolicyDirection.OUT, f)).isEqualTo(first);
    spd.update(second.withPriority(Policy.DEFAULT_PRIORITY - 1));
    assertThat(spd.lookup(PolicyDirection.OUT, f).action()).isEqualTo(PolicyAction.DISCARD);
    assertThat(spd.lookup(PolicyDirection.IN, f)).isNull();
  }

  @Test
  void refusesDuplicateSelectorAndDirectionAndKeepsIdOnUpdate() throws Exception {
    SecurityPolicyDatabase spd = new SecurityPolicyDatabase(100);
    Selector s = new Selector(ip("10.0.0.0"), 8, ip("10.0.0.0"), 8, 255, 0, 0);
    Policy p = spd.add(Policy.of(s, PolicyDirection.IN, PolicyAction.NONE)).policy();
    assertThat(p.id() & 7).isEqualTo(PolicyDirection.IN.value());
    assertThat(spd.add(Policy.of(s, PolicyDirection.IN, PolicyAction.DISCARD)).outcome())
        .isEqualTo(SecurityPolicyDatabase.Outcome.EXISTS);
    assertThat(spd.add(Policy.of(s, PolicyDirection.OUT, PolicyAction.DISCARD)).outcome())
        .isEqualTo(SecurityPolicyDatabase.Outcome.OK);
    Policy u = spd.update(Policy.of(s, PolicyDirection.IN, PolicyAction.DISCARD)).policy();
    assertThat(u.id()).isEqualTo(p.id());
    assertThat(spd.get(p.id())).contains(u);
    assertThat(spd.delete(p.id())).contains(u);
    assertThat(spd.delete(s, PolicyDirection.IN)).isEmpty();
    assertThat(spd.size()).isEqualTo(1);
    assertThat(spd.flush()).isEqualTo(1);
    assertThat(spd.snapshot()).isEmpty();
  }

  @Test
  void refusesPoliciesBeyondItsLimit() throws Exception {
    SecurityPolicyDatabase spd = new SecurityPolicyDatabase(1);
    spd.add(
        Policy.of(
            new Selector(ip("10.0.0.1"), 32, ip("10.0.0.2"), 32, 255, 0, 0),
            PolicyDirection.OUT,
            PolicyAction.NONE));
    assertThat(
            spd.add(
                    Policy.of(
                        new Selector(ip("10.0.0.1"), 32, ip("10.0.0.3"), 32, 255, 0, 0),
                        PolicyDirection.OUT,
                        PolicyAction.NONE))
                .outcome())
        .isEqualTo(SecurityPolicyDatabase.Outcome.FULL);
  }

  @Test
  void ipsecModeAnyServesTransportOnlyAsInLinux() {
    assertThat(IpsecMode.ANY.serves(IpsecMode.TRANSPORT)).isTrue();
    assertThat(IpsecMode.ANY.serves(IpsecMode.TUNNEL)).isFalse();
    assertThat(IpsecMode.TUNNEL.serves(IpsecMode.TUNNEL)).isTrue();
  }
}
