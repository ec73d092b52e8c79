package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.spd.IpsecLevel;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.spd.IpsecProtocol;
import org.ipsecemu.sadb.spd.Policy;
import org.ipsecemu.sadb.spd.PolicyAction;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.ProposalReferenceExtension;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

/** The SPD driven by SADB_X_SPD* messages, the Arkko X_QUERY, and the inbound policy check. */
class SpdMessagesTest {
  private static final org.ipsecemu.sadb.wire.IpsecLevel REQUIRE =
      org.ipsecemu.sadb.wire.IpsecLevel.IPSEC_LEVEL_REQUIRE;
  private static final org.ipsecemu.sadb.wire.IpsecLevel USE =
      org.ipsecemu.sadb.wire.IpsecLevel.IPSEC_LEVEL_USE;

  private final ManualClock clock = new ManualClock();
  private final KeyEngine engine = KeyEngine.builder().clock(clock).build();
  private final PfKeySocket admin = engine.open(Credentials.root(100));
  private final PfKeySocket other = engine.open(Credentials.root(200));

  private static SadbMessage espOut(String s, String d) {
    return Pf.spdadd(
        s,
        24,
        0,
        d,
        24,
        0,
        6,
        PolicyDirection.IPSEC_DIR_OUTBOUND,
        PolicyType.IPSEC_POLICY_IPSEC,
        Pf.transport(50, REQUIRE, 0));
  }

  @Test
  void spdaddStoresThePolicyAndRepliesToAllWithItsId() {
    SadbMessage r = admin.call(espOut("10.0.0.0", "10.1.0.0"));
    assertThat(r.errno()).isZero();
    long id = r.policy().orElseThrow().id();
    assertThat(id).isNotZero();
    assertThat(other.receive().policy().orElseThrow().id()).isEqualTo(id);
    Policy p = engine.spd().get(id).orElseThrow();
    assertThat(p.action()).isEqualTo(PolicyAction.IPSEC);
    assertThat(p.selector().protocol()).isEqualTo(6);
    assertThat(p.requests().get(0).protocol()).isEqualTo(IpsecProtocol.ESP);
    assertThat(p.requests().get(0).level()).isEqualTo(IpsecLevel.REQUIRE);
    assertThat(p.toString()).contains("10.0.0.0/24[any] 10.1.0.0/24[any] 6 out ipsec");
  }

  @Test
  void spdaddOfAnExistingSelectorAndDirectionFailsWithEexist() {
    admin.call(espOut("10.0.0.0", "10.1.0.0"));
    assertThat(admin.call(espOut("10.0.0.0", "10.1.0.0")).errno()).isEqualTo(Errno.EEXIST.number());
  }

  @Test
  void spdupdateReplacesAndKeepsTheId() {
    long id = admin.call(espOut("10.0.0.0", "10.1.0.0")).policy().orElseThrow().id();
    SadbMessage upd =
        Pf.spdadd(
                "10.0.0.0",
                24,
                0,
                "10.1.0.0",
                24,
                0,
                6,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_DISCARD)
            .withType(MessageType.SADB_X_SPDUPDATE);
    assertThat(admin.call(upd).policy().orElseThrow().id()).isEqualTo(id);
    assertThat(engine.spd().get(id).orElseThrow().action()).isEqualTo(PolicyAction.DISCARD);
  }

  @Test
  void spdaddBeyondTheLimitFailsWithEnobufs() {
    KeyEngine e =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().maxPolicies(1).build())
            .build();
    PfKeySocket s = e.open(Credentials.root(1));
    s.call(espOut("10.0.0.0", "10.1.0.0"));
    assertThat(s.call(espOut("10.0.0.0", "10.2.0.0")).errno()).isEqualTo(Errno.ENOBUFS.number());
  }

  @Test
  void invalidPoliciesFailWithEinval() {
    SadbMessage entrust =
        Pf.spdadd(
            "10.0.0.0",
            24,
            0,
            "10.1.0.0",
            24,
            0,
            6,
            PolicyDirection.IPSEC_DIR_OUTBOUND,
            PolicyType.IPSEC_POLICY_ENTRUST);
    SadbMessage anyDir =
        Pf.spdadd(
            "10.0.0.0",
            24,
            0,
            "10.1.0.0",
            24,
            0,
            6,
            PolicyDirection.IPSEC_DIR_ANY,
            PolicyType.IPSEC_POLICY_NONE);
    SadbMessage tunnelWithoutEnds =
        Pf.spdadd(
            "10.0.0.0",
            24,
            0,
            "10.1.0.0",
            24,
            0,
            6,
            PolicyDirection.IPSEC_DIR_OUTBOUND,
            PolicyType.IPSEC_POLICY_IPSEC,
            PolicyExtension.IpsecRequest.of(
                50, org.ipsecemu.sadb.wire.IpsecMode.IPSEC_MODE_TUNNEL, REQUIRE, 0));
    SadbMessage ipsecWithoutRequests =
        Pf.spdadd(
            "10.0.0.0",
            24,
            0,
            "10.1.0.0",
            24,
            0,
            6,
            PolicyDirection.IPSEC_DIR_OUTBOUND,
            PolicyType.IPSEC_POLICY_IPSEC);
    for (SadbMessage m : List.of(entrust, anyDir, tunnelWithoutEnds, ipsecWithoutRequests)) {
      assertThat(admin.call(m).errno()).isEqualTo(Errno.EINVAL.number());
    }
    assertThat(
            admin
                .call(espOut("10.0.0.0", "10.1.0.0").without(ExtensionType.SADB_X_EXT_POLICY))
                .errno())
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void spddeleteBySelectorAndSpddelete2ById() {
    long id = admin.call(espOut("10.0.0.0", "10.1.0.0")).policy().orElseThrow().id();
    admin.call(espOut("10.0.0.0", "10.2.0.0"));
    SadbMessage del = espOut("10.0.0.0", "10.1.0.0").withType(MessageType.SADB_X_SPDDELETE);
    SadbMessage r = admin.call(del);
    assertThat(r.errno()).isZero();
    assertThat(r.policy().orElseThrow().id()).isEqualTo(id);
    assertThat(admin.call(del).errno()).isEqualTo(Errno.ENOENT.number());
    long id2 = engine.spd().snapshot().get(0).id();
    SadbMessage del2 =
        Pf.msg(
            MessageType.SADB_X_SPDDELETE2, 0, 3, 100, new PolicyExtension(0, 2, id2, 0, List.of()));
    assertThat(admin.call(del2).errno()).isZero();
    assertThat(admin.call(del2).errno()).isEqualTo(Errno.ENOENT.number());
    assertThat(engine.spd().size()).isZero();
  }

  @Test
  void spdgetAnswersTheRequesterOnly() {
    long id = admin.call(espOut("10.0.0.0", "10.1.0.0")).policy().orElseThrow().id();
    other.drain();
    SadbMessage get =
        Pf.msg(MessageType.SADB_X_SPDGET, 0, 3, 100, new PolicyExtension(0, 0, id, 0, List.of()));
    SadbMessage r = admin.call(get);
    assertThat(r.errno()).isZero();
    assertThat(r.policy().orElseThrow().requests()).hasSize(1);
    assertThat(r.addressSrc().orElseThrow().prefixlen()).isEqualTo(24);
    assertThat(other.receive()).isNull();
    SadbMessage missing =
        Pf.msg(MessageType.SADB_X_SPDGET, 0, 4, 100, new PolicyExtension(0, 0, 999, 0, List.of()));
    assertThat(admin.call(missing).errno()).isEqualTo(Errno.ENOENT.number());
  }

  @Test
  void spddumpListsEveryPolicyEndingWithSeqZeroAndSpdflushEmpties() {
    admin.call(espOut("10.0.0.0", "10.1.0.0"));
    admin.call(espOut("10.0.0.0", "10.2.0.0"));
    admin.drain();
    admin.send(Pf.base(MessageType.SADB_X_SPDDUMP, 0, 5, 100));
    List<SadbMessage> dump = admin.drain();
    assertThat(dump).extracting(SadbMessage::seq).containsExactly(1L, 0L);
    assertThat(dump).allMatch(m -> m.type() == MessageType.SADB_X_SPDDUMP);
    assertThat(admin.call(Pf.base(MessageType.SADB_X_SPDFLUSH, 0, 6, 100)).errno()).isZero();
    assertThat(engine.spd().size()).isZero();
    assertThat(admin.call(Pf.base(MessageType.SADB_X_SPDDUMP, 0, 7, 100)).errno())
        .isEqualTo(Errno.ENOENT.number());
  }

  @Test
  void policyChangesTakeEffectOnCachedOutboundAnswers() {
    Flow f = Flow.of(Pf.ip("10.0.0.1"), Pf.ip("10.1.0.1"), 6, 1, 2);
    assertThat(engine.getassocbysocket(f).kind()).isEqualTo(OutboundResult.Kind.BYPASS);
    admin.call(espOut("10.0.0.0", "10.1.0.0"));
    assertThat(engine.getassocbysocket(f).kind()).isEqualTo(OutboundResult.Kind.NO_KEY_MANAGER);
    admin.call(Pf.base(MessageType.SADB_X_SPDFLUSH, 0, 6, 100));
    assertThat(engine.getassocbysocket(f).kind()).isEqualTo(OutboundResult.Kind.BYPASS);
  }

  // ------------------------------------------------------------------ X_QUERY

  private static SadbMessage query(String s, int sport, String d, int dport) {
    return Pf.msg(
        MessageType.SADB_X_QUERY,
        0,
        8,
        100,
        Pf.addr(ExtensionType.SADB_EXT_ADDRESS_SRC, s, 32, 6, sport),
        Pf.addr(ExtensionType.SADB_EXT_ADDRESS_DST, d, 32, 6, dport));
  }

  @Test
  void queryIsAnsweredFromPolicyWithAProposalAndCreatesNoState() {
    admin.call(espOut("10.0.0.0", "10.1.0.0"));
    other.drain();
    SadbMessage r = admin.call(query("10.0.0.5", 1000, "10.1.0.7", 80));
    assertThat(r.errno()).isZero();
    assertThat(r.satype()).isEqualTo(Pf.ESP);
    assertThat(r.proposal().orElseThrow().combs()).isNotEmpty();
    assertThat(other.receive().type()).isEqualTo(MessageType.SADB_X_QUERY);
    EngineStats st = engine.stats();
    assertThat(st.sas()).isZero();
    assertThat(st.pendingAcquires()).isZero();
    assertThat(st.acquires()).isZero();
  }

  @Test
  void queryAnswersWithTheProposalReferenceWhenThePolicyHasOne() {
    admin.call(espOut("10.0.0.0", "10.1.0.0").with(new ProposalReferenceExtension(7)));
    SadbMessage r = admin.call(query("10.0.0.5", 1000, "10.1.0.7", 80));
    assertThat(r.satype()).isZero();
    assertThat(r.find(ProposalReferenceExtension.class).orElseThrow().what()).isEqualTo(7);
    assertThat(r.proposal()).isEmpty();
  }

  @Test
  void queryWithoutAnIpsecPolicyFailsWithEnoent() {
    assertThat(admin.call(query("10.0.0.5", 1000, "10.1.0.7", 80)).errno())
        .isEqualTo(Errno.ENOENT.number());
  }

  // ------------------------------------------------------------------ inbound policy check

  private SecurityAssociation addSa(String s, String d, long spi, int mode) {
    SadbMessage add = Pf.addEsp(spi, 0, 100, new Sa2Extension(mode, 0, 0));
    assertThat(admin.call(add.with(Pf.src(s)).with(Pf.dst(d))).errno()).isZero();
    return engine.getassocbyspi(Pf.ip(d), (int) spi, 50);
  }

  private void inboundPolicy(PolicyExtension.IpsecRequest r) {
    assertThat(
            admin
                .call(
                    Pf.spdadd(
                        "10.2.0.0",
                        16,
                        0,
                        "10.1.0.0",
                        16,
                        0,
                        255,
                        PolicyDirection.IPSEC_DIR_INBOUND,
                        PolicyType.IPSEC_POLICY_IPSEC,
                        r))
                .errno())
        .isZero();
  }

  @Test
  void clearPacketUnderARequirePolicyFailsTheInboundCheck() {
    inboundPolicy(Pf.transport(50, REQUIRE, 0));
    Flow f = Flow.of(Pf.ip("10.2.0.1"), Pf.ip("10.1.0.1"), 6, 1, 2);
    assertThat(engine.inboundAllowed(f, new SecurityAssociation[0], 0)).isFalse();
    Flow unrelated = Flow.of(Pf.ip("192.0.2.9"), Pf.ip("10.1.0.1"), 6, 1, 2);
    assertThat(engine.inboundAllowed(unrelated, new SecurityAssociation[0], 0)).isTrue();
  }

  @Test
  void useLevelAcceptsPacketsWithOrWithoutIpsec() {
    inboundPolicy(Pf.transport(50, USE, 0));
    Flow f = Flow.of(Pf.ip("10.2.0.1"), Pf.ip("10.1.0.1"), 6, 1, 2);
    assertThat(engine.inboundAllowed(f, new SecurityAssociation[0], 0)).isTrue();
  }

  @Test
  void transportSaMatchingTheFlowPassesTheInboundCheck() {
    inboundPolicy(Pf.transport(50, REQUIRE, 0));
    SecurityAssociation sa = addSa("10.2.0.1", "10.1.0.1", 0x1000, IpsecMode.TRANSPORT.value());
    Flow f = Flow.of(Pf.ip("10.2.0.1"), Pf.ip("10.1.0.1"), 6, 1, 2);
    assertThat(engine.inboundAllowed(f, new SecurityAssociation[] {sa}, 1)).isTrue();
    // The same SA cannot vouch for a flow between other hosts.
    Flow spoofed = Flow.of(Pf.ip("10.2.0.66"), Pf.ip("10.1.0.1"), 6, 1, 2);
    assertThat(engine.inboundAllowed(spoofed, new SecurityAssociation[] {sa}, 1)).isFalse();
  }

  @Test
  void tunnelSaBetweenOtherEndpointsFailsTheInboundCheck() {
    inboundPolicy(Pf.tunnel(50, Pf.A, Pf.B, REQUIRE));
    SecurityAssociation right = addSa(Pf.A, Pf.B, 0x1000, IpsecMode.TUNNEL.value());
    SecurityAssociation wrong = addSa("192.0.2.9", Pf.B, 0x1001, IpsecMode.TUNNEL.value());
    Flow inner = Flow.of(Pf.ip("10.2.0.1"), Pf.ip("10.1.0.1"), 17, 53, 53);
    assertThat(engine.inboundAllowed(inner, new SecurityAssociation[] {right}, 1)).isTrue();
    assertThat(engine.inboundAllowed(inner, new SecurityAssociation[] {wrong}, 1)).isFalse();
  }

  @Test
  void saWhoseProxyDoesNotCoverTheInnerSourceFailsTheInboundCheck() {
    SadbMessage add =
        Pf.addEsp(
            0x1000,
            0,
            100,
            new Sa2Extension(IpsecMode.TUNNEL.value(), 0, 0),
            Pf.addr(ExtensionType.SADB_EXT_ADDRESS_PROXY, "10.2.0.0", 16, 0, 0));
    admin.call(add);
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    Flow inside = Flow.of(Pf.ip("10.2.3.4"), Pf.ip("10.1.0.1"), 6, 1, 2);
    Flow outside = Flow.of(Pf.ip("10.3.3.4"), Pf.ip("10.1.0.1"), 6, 1, 2);
    assertThat(engine.inboundAllowed(inside, new SecurityAssociation[] {sa}, 1)).isTrue();
    assertThat(engine.inboundAllowed(outside, new SecurityAssociation[] {sa}, 1)).isFalse();
  }

  @Test
  void discardPolicyFailsTheInboundCheck() {
    admin.call(
        Pf.spdadd(
            "10.2.0.0",
            16,
            0,
            "10.1.0.0",
            16,
            0,
            255,
            PolicyDirection.IPSEC_DIR_INBOUND,
            PolicyType.IPSEC_POLICY_DISCARD));
    Flow f = Flow.of(Pf.ip("10.2.0.1"), Pf.ip("10.1.0.1"), 6, 1, 2);
    assertThat(engine.inboundAllowed(f, new SecurityAssociation[0], 0)).isFalse();
  }
}
