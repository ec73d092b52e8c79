package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.ProposalExtension;
import org.ipsecemu.sadb.wire.ProposalReferenceExtension;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SupportedExtension;
import org.junit.jupiter.api.Test;

/**
 * REGISTER, ACQUIRE (engine-, key-manager- and application-originated) and {@code
 * getassocbysocket}: the story of RFC 2367 §5.1 and the paper's outbound path.
 */
class AcquireAndOutboundTest {
  private static final String H1 = "10.0.0.1";
  private static final String H2 = "10.0.0.2";

  private final ManualClock clock = new ManualClock();
  private final KeyEngine engine = KeyEngine.builder().clock(clock).seed(3).build();
  private final PfKeySocket kmd = engine.open(Credentials.root(100));
  private final PfKeySocket bystander = engine.open(Credentials.root(200));
  private final PfKeySocket admin = engine.open(Credentials.root(300));

  private static Flow tcp(String s, String d, int sport, int dport) {
    return Flow.of(Pf.ip(s), Pf.ip(d), 6, sport, dport);
  }

  private void register(PfKeySocket s, int satype) {
    assertThat(s.call(Pf.base(MessageType.SADB_REGISTER, satype, 1, s.pid())).errno()).isZero();
  }

  private void policyOut(PolicyExtensionRequests r) {
    SadbMessage reply = admin.call(r.message());
    assertThat(reply.errno()).isZero();
    drainAll();
  }

  private interface PolicyExtensionRequests {
    SadbMessage message();
  }

  private void espTransportRequireOut(String s, String d) {
    policyOut(
        () ->
            Pf.spdadd(
                s,
                32,
                0,
                d,
                32,
                0,
                255,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_IPSEC,
                Pf.transport(50, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0)));
  }

  private void drainAll() {
    kmd.drain();
    bystander.drain();
    admin.drain();
  }

  private SadbMessage addSa(String s, String d, long spi, long seq, Sa2Extension... sa2) {
    SadbMessage add = Pf.addEsp(spi, seq, 100, sa2);
    add = add.with(Pf.src(s)).with(Pf.dst(d));
    SadbMessage r = kmd.call(add);
    assertThat(r.errno()).isZero();
    drainAll();
    return r;
  }

  // ------------------------------------------------------------------ REGISTER

  @Test
  void registerRepliesWithSupportedAlgorithmsToSocketsRegisteredForThatType() {
    register(bystander, Pf.ESP);
    bystander.drain();
    SadbMessage r = kmd.call(Pf.base(MessageType.SADB_REGISTER, Pf.ESP, 4, 100));
    assertThat(r.errno()).isZero();
    SupportedExtension auth =
        r.find(ExtensionType.SADB_EXT_SUPPORTED_AUTH, SupportedExtension.class).orElseThrow();
    SupportedExtension enc =
        r.find(ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT, SupportedExtension.class).orElseThrow();
    assertThat(auth.algs())
        .contains(
            new SupportedExtension.Alg(Pf.MD5, 0, 128, 128),
            new SupportedExtension.Alg(Pf.SHA1, 0, 160, 160),
            new SupportedExtension.Alg(Pf.SHA256, 0, 256, 256));
    assertThat(enc.algs())
        .contains(
            new SupportedExtension.Alg(Pf.DES, 8, 64, 64),
            new SupportedExtension.Alg(Pf.TDES, 8, 192, 192),
            new SupportedExtension.Alg(Pf.AES, 16, 128, 256),
            new SupportedExtension.Alg(Pf.GCM16, 8, 160, 288));
    // Also to the other socket registered for ESP, not to an unregistered one.
    assertThat(bystander.receive().type()).isEqualTo(MessageType.SADB_REGISTER);
    assertThat(admin.receive()).isNull();
    assertThat(kmd.isRegistered(Pf.ESP)).isTrue();
  }

  @Test
  void registerForAhListsAuthenticationAlgorithmsOnly() {
    SadbMessage r = kmd.call(Pf.base(MessageType.SADB_REGISTER, Pf.AH, 4, 100));
    assertThat(r.has(ExtensionType.SADB_EXT_SUPPORTED_AUTH)).isTrue();
    assertThat(r.has(ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT)).isFalse();
  }

  @Test
  void registeringTwiceForOneTypeFailsWithEexist() {
    register(kmd, Pf.ESP);
    assertThat(kmd.call(Pf.base(MessageType.SADB_REGISTER, Pf.ESP, 2, 100)).errno())
        .isEqualTo(Errno.EEXIST.number());
  }

  @Test
  void registerUnspecListsAlgorithmsWithoutRegistering() {
    SadbMessage r = kmd.call(Pf.base(MessageType.SADB_REGISTER, 0, 2, 100));
    assertThat(r.has(ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT)).isTrue();
    assertThat(kmd.isRegistered(Pf.ESP)).isFalse();
  }

  // ------------------------------------------------------------------ engine-originated ACQUIRE

  @Test
  void missingSaSendsOneAcquireWithTheFlowsPortsAndAProposalToRegisteredSockets() {
    register(kmd, Pf.ESP);
    espTransportRequireOut(H1, H2);
    Flow f = tcp(H1, H2, 40000, 443);
    OutboundResult r = engine.getassocbysocket(f);
    assertThat(r.kind()).isEqualTo(OutboundResult.Kind.PENDING);
    SadbMessage acq = kmd.receive();
    assertThat(acq.type()).isEqualTo(MessageType.SADB_ACQUIRE);
    assertThat(acq.pid()).isZero();
    assertThat(acq.seq()).isEqualTo(r.acquireSeq()).isNotZero();
    assertThat(acq.satype()).isEqualTo(Pf.ESP);
    AddressExtension src = acq.addressSrc().orElseThrow();
    AddressExtension dst = acq.addressDst().orElseThrow();
    assertThat(src.address().inetAddress()).isEqualTo(Pf.ip(H1));
    assertThat(src.address().port()).isEqualTo(40000);
    assertThat(dst.address().port()).isEqualTo(443);
    assertThat(src.proto()).isEqualTo(6);
    ProposalExtension prop = acq.proposal().orElseThrow();
    assertThat(prop.combs()).isNotEmpty();
    assertThat(prop.combs().get(0).encrypt()).isEqualTo(Pf.GCM16);
    assertThat(prop.combs()).anyMatch(c -> c.auth() == Pf.SHA1 && c.encrypt() == Pf.TDES);
    assertThat(acq.policy().orElseThrow().id()).isEqualTo(r.policy().id());
    assertThat(bystander.receive()).isNull();
    // Repeated triggers while the ACQUIRE is open send nothing new.
    for (int i = 0; i < 5; i++) {
      assertThat(engine.getassocbysocket(f).acquireSeq()).isEqualTo(r.acquireSeq());
    }
    assertThat(kmd.receive()).isNull();
    assertThat(engine.stats().acquires()).isEqualTo(1);
  }

  @Test
  void missingSaWithNobodyRegisteredAnswersNoKeyManager() {
    espTransportRequireOut(H1, H2);
    assertThat(engine.getassocbysocket(tcp(H1, H2, 1, 2)).kind())
        .isEqualTo(OutboundResult.Kind.NO_KEY_MANAGER);
    assertThat(kmd.receive()).isNull();
    // Once a key manager registers, the next packet triggers an ACQUIRE.
    register(kmd, Pf.ESP);
    kmd.drain();
    assertThat(engine.getassocbysocket(tcp(H1, H2, 1, 2)).kind())
        .isEqualTo(OutboundResult.Kind.PENDING);
    assertThat(kmd.receive().type()).isEqualTo(MessageType.SADB_ACQUIRE);
  }

  @Test
  void theStoryOfSection51GetspiUpdateAddThenProtect() {
    register(kmd, Pf.ESP);
    espTransportRequireOut(H1, H2);
    Flow f = tcp(H1, H2, 40000, 443);
    long seq = engine.getassocbysocket(f).acquireSeq();
    kmd.drain();
    // The KMD gets an SPI for the inbound SA with the ACQUIRE's seq ...
    SadbMessage spi =
        kmd.call(Pf.msg(MessageType.SADB_GETSPI, Pf.ESP, seq, 100, Pf.src(H2), Pf.dst(H1)));
    assertThat(spi.errno()).isZero();
    long inSpi = spi.sa().orElseThrow().spi();
    // ... negotiates, then UPDATEs it and ADDs the outbound one, both with that seq.
    SadbMessage upd =
        Pf.addEsp(inSpi, seq, 100)
            .withType(MessageType.SADB_UPDATE)
            .with(Pf.src(H2))
            .with(Pf.dst(H1));
    assertThat(kmd.call(upd).errno()).isZero();
    addSa(H1, H2, 0x7000, seq);
    OutboundResult r = engine.getassocbysocket(f);
    assertThat(r.kind()).isEqualTo(OutboundResult.Kind.PROTECT);
    assertThat(r.size()).isEqualTo(1);
    assertThat(r.sa(0).spi()).isEqualTo(0x7000);
    assertThat(r.sa(0).sequence()).isEqualTo(seq);
    assertThat(engine.stats().pendingAcquires()).isZero();
  }

  @Test
  void allocatingAnSaToANewFlowCountsOnceInCurrentAllocations() {
    espTransportRequireOut(H1, H2);
    addSa(H1, H2, 0x7000, 0);
    Flow f1 = tcp(H1, H2, 1000, 80);
    OutboundResult r = engine.getassocbysocket(f1);
    SecurityAssociation sa = r.sa(0);
    assertThat(sa.allocations()).isEqualTo(1);
    assertThat(engine.getassocbysocket(f1)).isSameAs(r);
    assertThat(sa.allocations()).isEqualTo(1);
    engine.getassocbysocket(tcp(H1, H2, 1001, 80));
    assertThat(sa.allocations()).isEqualTo(2);
    // An unrelated change invalidates the cache; the same flow is not a new allocation.
    addSa(H2, H1, 0x7001, 0);
    engine.getassocbysocket(f1);
    assertThat(sa.allocations()).isEqualTo(2);
  }

  @Test
  void manyFlowsEachCountOnceHoweverOftenTheyAreLookedUp() {
    espTransportRequireOut(H1, H2);
    addSa(H1, H2, 0x7000, 0);
    SecurityAssociation sa = null;
    for (int round = 0; round < 5; round++) {
      for (int port = 1; port <= 1024; port++) {
        OutboundResult r = engine.getassocbysocket(tcp(H1, H2, port, 80));
        assertThat(r.kind()).isEqualTo(OutboundResult.Kind.PROTECT);
        sa = r.sa(0);
      }
    }
    // 1024 flows in the default 4096-slot cache: none is pushed out by another whose hash shares
    // its slot, so none is counted as a new allocation again.
    assertThat(sa.allocations()).isEqualTo(1024);
  }

  @Test
  void hardAllocationLimitExpiresTheSa() {
    espTransportRequireOut(H1, H2);
    SadbMessage add = Pf.addEsp(0x7000, 0, 100, Pf.hard(2, 0, 0, 0));
    kmd.call(add.with(Pf.src(H1)).with(Pf.dst(H2)));
    engine.getassocbysocket(tcp(H1, H2, 1, 1));
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(H2), 0x7000, 50);
    engine.getassocbysocket(tcp(H1, H2, 1, 2));
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_DEAD);
    assertThat(engine.stats().hardExpires()).isEqualTo(1);
  }

  @Test
  void keyManagementFailureIsRelayedAndDropsTheFlowUntilTheAcquireExpires() {
    register(kmd, Pf.ESP);
    espTransportRequireOut(H1, H2);
    Flow f = tcp(H1, H2, 5, 6);
    long seq = engine.getassocbysocket(f).acquireSeq();
    kmd.drain();
    SadbMessage fail =
        Pf.base(MessageType.SADB_ACQUIRE, Pf.ESP, seq, 100).withErrno(Errno.ETIMEDOUT);
    kmd.send(fail);
    assertThat(bystander.receive().errno()).isEqualTo(Errno.ETIMEDOUT.number());
    OutboundResult r = engine.getassocbysocket(f);
    assertThat(r.kind()).isEqualTo(OutboundResult.Kind.ACQUIRE_FAILED);
    assertThat(r.errno()).isEqualTo(Errno.ETIMEDOUT.number());
    assertThat(kmd.drain()).noneMatch(m -> m.type() == MessageType.SADB_ACQUIRE && m.errno() == 0);
    engine.advance(Duration.ofSeconds(30));
    OutboundResult again = engine.getassocbysocket(f);
    assertThat(again.kind()).isEqualTo(OutboundResult.Kind.PENDING);
    assertThat(again.acquireSeq()).isNotEqualTo(seq);
    assertThat(kmd.receive().type()).isEqualTo(MessageType.SADB_ACQUIRE);
  }

  @Test
  void unansweredAcquireIsForgottenAfterItsTimeoutAndTheNextPacketSendsANewOne() {
    register(kmd, Pf.ESP);
    espTransportRequireOut(H1, H2);
    Flow f = tcp(H1, H2, 5, 6);
    long first = engine.getassocbysocket(f).acquireSeq();
    engine.advance(Duration.ofSeconds(29));
    assertThat(engine.getassocbysocket(f).acquireSeq()).isEqualTo(first);
    engine.advance(Duration.ofSeconds(1));
    assertThat(engine.getassocbysocket(f).acquireSeq()).isNotEqualTo(first);
    assertThat(engine.stats().acquires()).isEqualTo(2);
  }

  @Test
  void fullPendingAcquireTableSendsNothingAndIsCounted() {
    KeyEngine e =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().toBuilder().maxPendingAcquires(1).build())
            .build();
    PfKeySocket k = e.open(Credentials.root(1));
    k.call(Pf.base(MessageType.SADB_REGISTER, Pf.ESP, 1, 1));
    k.call(
        Pf.spdadd(
            "10.0.0.0",
            8,
            0,
            "10.0.0.0",
            8,
            0,
            255,
            PolicyDirection.IPSEC_DIR_OUTBOUND,
            PolicyType.IPSEC_POLICY_IPSEC,
            Pf.transport(50, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0)));
    k.drain();
    assertThat(e.getassocbysocket(tcp(H1, H2, 1, 1)).acquireSeq()).isNotZero();
    OutboundResult second = e.getassocbysocket(tcp(H1, "10.0.0.3", 1, 1));
    assertThat(second.kind()).isEqualTo(OutboundResult.Kind.PENDING);
    assertThat(second.acquireSeq()).isZero();
    assertThat(e.stats().acquireTableFull()).isEqualTo(1);
    assertThat(k.drain()).filteredOn(m -> m.type() == MessageType.SADB_ACQUIRE).hasSize(1);
  }

  @Test
  void policyWithAProposalReferenceAcquiresWithItInsteadOfAProposal() {
    register(kmd, Pf.ESP);
    SadbMessage add =
        Pf.spdadd(
                H1,
                32,
                0,
                H2,
                32,
                0,
                255,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_IPSEC,
                Pf.transport(50, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0))
            .with(new ProposalReferenceExtension(0xC0FFEE));
    assertThat(admin.call(add).errno()).isZero();
    kmd.drain();
    engine.getassocbysocket(tcp(H1, H2, 1, 2));
    SadbMessage acq = kmd.receive();
    assertThat(acq.type()).isEqualTo(MessageType.SADB_ACQUIRE);
    assertThat(acq.satype()).isZero();
    assertThat(acq.find(ProposalReferenceExtension.class).orElseThrow().what()).isEqualTo(0xC0FFEE);
    assertThat(acq.proposal()).isEmpty();
  }

  // ------------------------------------------------------------------ user-sent ACQUIRE

  @Test
  void applicationAcquireIsRelayedToRegisteredSockets() {
    register(kmd, 6); // an OSPFv2 key manager
    kmd.drain();
    SadbMessage acq =
        Pf.msg(
            MessageType.SADB_ACQUIRE,
            6,
            77,
            300,
            Pf.src(H1),
            Pf.dst(H2),
            Messages.proposal(Pf.AH, EngineProfile.linux()));
    admin.send(acq);
    SadbMessage relayed = kmd.receive();
    assertThat(relayed.type()).isEqualTo(MessageType.SADB_ACQUIRE);
    assertThat(relayed.seq()).isEqualTo(77);
    assertThat(relayed.pid()).isEqualTo(300);
    assertThat(bystander.receive()).isNull();
  }

  @Test
  void applicationAcquireWithNobodyRegisteredFailsWithEprotonosupport() {
    SadbMessage acq =
        Pf.msg(
            MessageType.SADB_ACQUIRE,
            6,
            77,
            300,
            Pf.src(H1),
            Pf.dst(H2),
            Messages.proposal(Pf.AH, EngineProfile.linux()));
    assertThat(admin.call(acq).errno()).isEqualTo(Errno.EPROTONOSUPPORT.number());
  }

  @Test
  void acquireWithoutProposalOrErrnoFailsWithEinval() {
    register(kmd, Pf.ESP);
    assertThat(admin.call(Pf.base(MessageType.SADB_ACQUIRE, Pf.ESP, 1, 300)).errno())
        .isEqualTo(Errno.EINVAL.number());
    SadbMessage noProp = Pf.msg(MessageType.SADB_ACQUIRE, Pf.ESP, 1, 300, Pf.src(H1), Pf.dst(H2));
    assertThat(admin.call(noProp).errno()).isEqualTo(Errno.EINVAL.number());
  }

  // ------------------------------------------------------------------ getassocbysocket

  @Test
  void flowWithoutPolicyBypassesAndDiscardPolicyDiscards() {
    assertThat(engine.getassocbysocket(tcp(H1, H2, 1, 2)).kind())
        .isEqualTo(OutboundResult.Kind.BYPASS);
    policyOut(
        () ->
            Pf.spdadd(
                H1,
                32,
                0,
                H2,
                32,
                0,
                255,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_DISCARD));
    assertThat(engine.getassocbysocket(tcp(H1, H2, 1, 2)).kind())
        .isEqualTo(OutboundResult.Kind.DISCARD);
  }

  @Test
  void bundleIsInRequestOrderEspInsideAh() {
    policyOut(
        () ->
            Pf.spdadd(
                H1,
                32,
                0,
                H2,
                32,
                0,
                255,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_IPSEC,
                Pf.transport(50, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0),
                Pf.transport(51, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0)));
    addSa(H1, H2, 0x7000, 0);
    SadbMessage ah = Pf.add(Pf.AH, 0x7001, Pf.SHA1, Pf.key(20, 5), 0, null);
    assertThat(kmd.call(ah.with(Pf.src(H1)).with(Pf.dst(H2))).errno()).isZero();
    OutboundResult r = engine.getassocbysocket(tcp(H1, H2, 1, 2));
    assertThat(r.kind()).isEqualTo(OutboundResult.Kind.PROTECT);
    assertThat(r.bundle()).extracting(SecurityAssociation::satype).containsExactly(Pf.ESP, Pf.AH);
  }

  @Test
  void tunnelRequestUsesTunnelModeSasBetweenTheEndpoints() {
    policyOut(
        () ->
            Pf.spdadd(
                "10.1.0.0",
                16,
                0,
                "10.2.0.0",
                16,
                0,
                255,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_IPSEC,
                Pf.tunnel(50, Pf.A, Pf.B, IpsecLevel.IPSEC_LEVEL_REQUIRE)));
    Flow f = tcp("10.1.0.5", "10.2.0.9", 1, 2);
    // An SA without -m tunnel (mode any) does not serve a tunnel request, as in Linux.
    addSa(Pf.A, Pf.B, 0x7000, 0);
    assertThat(engine.getassocbysocket(f).kind()).isEqualTo(OutboundResult.Kind.NO_KEY_MANAGER);
    addSa(Pf.A, Pf.B, 0x7001, 0, new Sa2Extension(2, 0, 0));
    OutboundResult r = engine.getassocbysocket(f);
    assertThat(r.kind()).isEqualTo(OutboundResult.Kind.PROTECT);
    assertThat(r.sa(0).spi()).isEqualTo(0x7001);
  }

  @Test
  void tunnelAcquireCarriesTheEndpointsAndTheInnerSourceAsProxy() {
    register(kmd, Pf.ESP);
    policyOut(
        () ->
            Pf.spdadd(
                "10.1.0.0",
                16,
                0,
                "10.2.0.0",
                16,
                0,
                255,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_IPSEC,
                Pf.tunnel(50, Pf.A, Pf.B, IpsecLevel.IPSEC_LEVEL_REQUIRE)));
    engine.getassocbysocket(tcp("10.1.0.5", "10.2.0.9", 1, 2));
    SadbMessage acq = kmd.receive();
    assertThat(acq.addressSrc().orElseThrow().address().inetAddress()).isEqualTo(Pf.ip(Pf.A));
    assertThat(acq.addressDst().orElseThrow().address().inetAddress()).isEqualTo(Pf.ip(Pf.B));
    assertThat(acq.addressProxy().orElseThrow().address().inetAddress())
        .isEqualTo(Pf.ip("10.1.0.5"));
  }

  /** {@code esp/tunnel/A-B/require esp/transport//require}: IPComp's shape with ESP for IPComp. */
  private void tunnelThenTransportOut() {
    policyOut(
        () ->
            Pf.spdadd(
                "10.1.0.0",
                16,
                0,
                "10.2.0.0",
                16,
                0,
                255,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_IPSEC,
                Pf.tunnel(50, Pf.A, Pf.B, IpsecLevel.IPSEC_LEVEL_REQUIRE),
                Pf.transport(50, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0)));
  }

  @Test
  void transportRequestAfterATunnelUsesAnSaBetweenTheTunnelsEndpoints() {
    // As Linux's xfrm_tmpl_resolve_one: "ipcomp/tunnel/A-B esp/transport//" protects the tunnel's
    // packets, so its ESP SA is one from A to B, not one of the inner flow.
    tunnelThenTransportOut();
    addSa(Pf.A, Pf.B, 0x7001, 0, new Sa2Extension(2, 0, 0));
    addSa("10.1.0.5", "10.2.0.9", 0x7003, 0); // the inner flow's own: not this request's
    Flow f = tcp("10.1.0.5", "10.2.0.9", 1, 2);
    assertThat(engine.getassocbysocket(f).kind()).isEqualTo(OutboundResult.Kind.NO_KEY_MANAGER);
    addSa(Pf.A, Pf.B, 0x7002, 0);
    OutboundResult r = engine.getassocbysocket(f);
    assertThat(r.kind()).isEqualTo(OutboundResult.Kind.PROTECT);
    assertThat(r.bundle()).extracting(SecurityAssociation::spi).containsExactly(0x7001, 0x7002);
  }

  @Test
  void transportAcquireAfterATunnelCarriesTheTunnelsEndpoints() {
    register(kmd, Pf.ESP);
    tunnelThenTransportOut();
    addSa(Pf.A, Pf.B, 0x7001, 0, new Sa2Extension(2, 0, 0));
    engine.getassocbysocket(tcp("10.1.0.5", "10.2.0.9", 1, 2));
    SadbMessage acq = kmd.receive();
    assertThat(acq.type()).isEqualTo(MessageType.SADB_ACQUIRE);
    assertThat(acq.addressSrc().orElseThrow().address().inetAddress()).isEqualTo(Pf.ip(Pf.A));
    assertThat(acq.addressDst().orElseThrow().address().inetAddress()).isEqualTo(Pf.ip(Pf.B));
  }

  @Test
  void uniqueLevelGivesEachFlowItsOwnSa() {
    register(kmd, Pf.ESP);
    policyOut(
        () ->
            Pf.spdadd(
                H1,
                32,
                0,
                H2,
                32,
                0,
                255,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_IPSEC,
                Pf.transport(50, IpsecLevel.IPSEC_LEVEL_UNIQUE, 0)));
    addSa(H1, H2, 0x7000, 0);
    Flow f1 = tcp(H1, H2, 1000, 80);
    Flow f2 = tcp(H1, H2, 1001, 80);
    assertThat(engine.getassocbysocket(f1).sa(0).spi()).isEqualTo(0x7000);
    OutboundResult r2 = engine.getassocbysocket(f2);
    assertThat(r2.kind()).isEqualTo(OutboundResult.Kind.PENDING);
    SadbMessage acq = kmd.receive();
    assertThat(acq.addressSrc().orElseThrow().address().port()).isEqualTo(1001);
    addSa(H1, H2, 0x7001, r2.acquireSeq());
    assertThat(engine.getassocbysocket(f2).sa(0).spi()).isEqualTo(0x7001);
    assertThat(engine.getassocbysocket(f1).sa(0).spi()).isEqualTo(0x7000);
  }

  @Test
  void saAnsweringAUniqueAcquireIsBoundToThatAcquiresFlow() {
    register(kmd, Pf.ESP);
    policyOut(
        () ->
            Pf.spdadd(
                H1,
                32,
                0,
                H2,
                32,
                0,
                255,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_IPSEC,
                Pf.transport(50, IpsecLevel.IPSEC_LEVEL_UNIQUE, 0)));
    Flow f1 = tcp(H1, H2, 1000, 80);
    Flow f2 = tcp(H1, H2, 1001, 80);
    long seq1 = engine.getassocbysocket(f1).acquireSeq();
    long seq2 = engine.getassocbysocket(f2).acquireSeq();
    assertThat(seq2).isNotEqualTo(seq1);
    // The SA for f2's ACQUIRE arrives first; f1 must not steal it.
    addSa(H1, H2, 0x7002, seq2);
    assertThat(engine.getassocbysocket(f1).kind()).isEqualTo(OutboundResult.Kind.PENDING);
    assertThat(engine.getassocbysocket(f1).acquireSeq()).isEqualTo(seq1);
    assertThat(engine.getassocbysocket(f2).sa(0).spi()).isEqualTo(0x7002);
  }

  @Test
  void useLevelSendsInTheClearAndAcquiresWhenTheSaIsMissing() {
    register(kmd, Pf.ESP);
    policyOut(
        () ->
            Pf.spdadd(
                H1,
                32,
                0,
                H2,
                32,
                0,
                255,
                PolicyDirection.IPSEC_DIR_OUTBOUND,
                PolicyType.IPSEC_POLICY_IPSEC,
                Pf.transport(50, IpsecLevel.IPSEC_LEVEL_USE, 0)));
    assertThat(engine.getassocbysocket(tcp(H1, H2, 1, 2)).kind())
        .isEqualTo(OutboundResult.Kind.BYPASS);
    assertThat(kmd.receive().type()).isEqualTo(MessageType.SADB_ACQUIRE);
  }

  @Test
  void matureSaIsPreferredToADyingOneAndTheNewestAmongEquals() {
    espTransportRequireOut(H1, H2);
    SadbMessage old = Pf.addEsp(0x7000, 0, 100, Pf.soft(0, 0, 10, 0));
    kmd.call(old.with(Pf.src(H1)).with(Pf.dst(H2)));
    engine.advance(Duration.ofSeconds(10));
    addSa(H1, H2, 0x7001, 0);
    addSa(H1, H2, 0x7002, 0);
    assertThat(engine.getassocbysocket(tcp(H1, H2, 1, 2)).sa(0).spi()).isEqualTo(0x7002);
  }

  @Test
  void cachedAnswerIsReusedUntilSomethingChanges() {
    espTransportRequireOut(H1, H2);
    addSa(H1, H2, 0x7000, 0);
    Flow f = tcp(H1, H2, 1, 2);
    OutboundResult a = engine.getassocbysocket(f);
    Flow same = tcp(H1, H2, 1, 2);
    assertThat(engine.getassocbysocket(same)).isSameAs(a);
    kmd.call(
        Pf.byId(MessageType.SADB_DELETE, Pf.ESP, 0x7000, 9, 100).with(Pf.src(H1)).with(Pf.dst(H2)));
    assertThat(engine.getassocbysocket(f).kind()).isEqualTo(OutboundResult.Kind.NO_KEY_MANAGER);
  }

  // ------------------------------------------------------------------ X_PCHANGE

  @Test
  void passiveChangeFromAnApplicationIsRelayedToRegisteredSockets() {
    register(kmd, Pf.ESP);
    kmd.drain();
    admin.send(Pf.msg(MessageType.SADB_X_PCHANGE, Pf.ESP, 5, 300, Pf.src(H1), Pf.dst(H2)));
    SadbMessage m = kmd.receive();
    assertThat(m.type()).isEqualTo(MessageType.SADB_X_PCHANGE);
    assertThat(bystander.receive()).isNull();
  }

  @Test
  void kernelPassiveChangeCarriesAProposalWhileAnInboundPolicyAsksForIpsec() {
    register(kmd, Pf.ESP);
    policyOut(
        () ->
            Pf.spdadd(
                H2,
                32,
                0,
                H1,
                32,
                0,
                255,
                PolicyDirection.IPSEC_DIR_INBOUND,
                PolicyType.IPSEC_POLICY_IPSEC,
                Pf.transport(50, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0)));
    Flow in = tcp(H2, H1, 5000, 22);
    assertThat(engine.passiveChange(in)).isEqualTo(1);
    SadbMessage m = kmd.receive();
    assertThat(m.pid()).isZero();
    assertThat(m.proposal()).isPresent();
    assertThat(m.addressDst().orElseThrow().address().port()).isEqualTo(22);
    admin.call(Pf.base(MessageType.SADB_X_SPDFLUSH, 0, 1, 300));
    kmd.drain();
    engine.passiveChange(in);
    assertThat(kmd.receive().proposal()).isEmpty();
  }

  @Test
  void resultsNeverCarryKeys() {
    espTransportRequireOut(H1, H2);
    addSa(H1, H2, 0x7000, 0);
    String keyHex = java.util.HexFormat.of().formatHex(Pf.key(20, 0x7000));
    assertThat(engine.getassocbysocket(tcp(H1, H2, 1, 2)).toString())
        .contains("spi=0x7000")
        .doesNotContainIgnoringCase(keyHex);
    List<SecurityAssociation> all = engine.associations();
    assertThat(all).hasSize(1);
  }
}
