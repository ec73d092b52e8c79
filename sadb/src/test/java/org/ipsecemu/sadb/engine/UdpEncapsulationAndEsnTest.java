package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.NatTPortExtension;
import org.ipsecemu.sadb.wire.NatTTypeExtension;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.junit.jupiter.api.Test;

/**
 * The Linux NAT-T extensions (SADB_X_EXT_NAT_T_TYPE 20, _SPORT 21, _DPORT 22, _OA 23) and the BSD
 * ESN flag (SADB_X_SAFLAGS_ESN 0x400) as the Key Engine takes, checks and exposes them.
 */
class UdpEncapsulationAndEsnTest {
  private static final int IPCOMP = SaType.SADB_X_SATYPE_IPCOMP.value();
  private static final long ESN = 0x400;

  private final KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
  private final PfKeySocket km = engine.open(Credentials.root(100));

  private static SadbExtension[] natt(int type, int sport, int dport, String oa) {
    List<SadbExtension> l =
        new java.util.ArrayList<>(
            List.of(
                new NatTTypeExtension(type),
                new NatTPortExtension(ExtensionType.SADB_X_EXT_NAT_T_SPORT, sport),
                new NatTPortExtension(ExtensionType.SADB_X_EXT_NAT_T_DPORT, dport)));
    if (oa != null) {
      l.add(AddressExtension.host(ExtensionType.SADB_X_EXT_NAT_T_OA, SockAddr.parse(oa, 0)));
    }
    return l.toArray(new SadbExtension[0]);
  }

  @Test
  void espSaWithNatTExtensionsExposesItsUdpEncapsulation() {
    SadbMessage reply = km.call(Pf.addEsp(0x1000, 1, 100, natt(2, 4500, 4501, "10.0.0.7")));
    assertThat(reply.errno()).isZero();
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    UdpEncapsulation e = sa.udpEncapsulation();
    assertThat(e).isNotNull();
    assertThat(e.type()).isEqualTo(2);
    assertThat(e.isEspInUdp()).isTrue();
    assertThat(e.sourcePort()).isEqualTo(4500);
    assertThat(e.destinationPort()).isEqualTo(4501);
    assertThat(e.originalAddress()).isEqualTo(Pf.ip("10.0.0.7"));
    assertThat(sa.toString()).contains("sport=4500").contains("dport=4501");
  }

  @Test
  void addressPortsOfAUdpEncapsulatedSaAreItsNatTPortsNotSelectors() {
    // setkey's "add A[4501] B[4501] esp-udp ..." sends the NAT-T ports in the addresses too.
    SadbMessage add =
        Pf.addEsp(0x1000, 1, 100, natt(2, 4501, 4501, null))
            .with(Pf.addr(ExtensionType.SADB_EXT_ADDRESS_SRC, Pf.A, 32, 0, 4501))
            .with(Pf.addr(ExtensionType.SADB_EXT_ADDRESS_DST, Pf.B, 32, 0, 4501));
    assertThat(km.call(add).errno()).isZero();
    Flow icmp = Flow.of(Pf.ip(Pf.A), Pf.ip(Pf.B), 1, 0, 0);
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50).selectorMatches(icmp)).isTrue();
    // Without NAT-T the same ports select the flow's ports, as before.
    SadbMessage plain =
        Pf.addEsp(0x2000, 2, 100)
            .with(Pf.addr(ExtensionType.SADB_EXT_ADDRESS_SRC, Pf.A, 32, 0, 4501))
            .with(Pf.addr(ExtensionType.SADB_EXT_ADDRESS_DST, Pf.B, 32, 0, 4501));
    assertThat(km.call(plain).errno()).isZero();
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x2000, 50).selectorMatches(icmp)).isFalse();
  }

  @Test
  void natTPortsMissingMeanTheIkePort() {
    assertThat(km.call(Pf.addEsp(0x1000, 1, 100, new NatTTypeExtension(2))).errno()).isZero();
    UdpEncapsulation e = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50).udpEncapsulation();
    assertThat(e.sourcePort()).isZero();
    assertThat(e.effectiveSourcePort()).isEqualTo(4500);
    assertThat(e.effectiveDestinationPort()).isEqualTo(4500);
    assertThat(e.originalAddress()).isNull();
  }

  @Test
  void natTTypeZeroOrAbsentMeansPlainEsp() {
    assertThat(km.call(Pf.addEsp(0x1000, 1, 100)).errno()).isZero();
    assertThat(km.call(Pf.addEsp(0x1001, 2, 100, natt(0, 4500, 4500, null))).errno()).isZero();
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50).udpEncapsulation()).isNull();
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1001, 50).udpEncapsulation()).isNull();
  }

  @Test
  void natTExtensionsComeBackInGet() {
    km.call(Pf.addEsp(0x1000, 1, 100, natt(2, 4500, 4500, "10.0.0.7")));
    SadbMessage got = km.call(Pf.byId(MessageType.SADB_GET, Pf.ESP, 0x1000, 2, 100));
    assertThat(got.errno()).isZero();
    assertThat(got.find(NatTTypeExtension.class)).contains(new NatTTypeExtension(2));
    assertThat(got.find(ExtensionType.SADB_X_EXT_NAT_T_DPORT, NatTPortExtension.class))
        .map(NatTPortExtension::port)
        .contains(4500);
  }

  @Test
  void udpEncapsulationOfAnAhSaFailsWithEinval() {
    SadbMessage m =
        Pf.add(Pf.AH, 0x1000, Pf.SHA1, Pf.key(20, 1), 0, null, natt(2, 4500, 4500, null));
    assertThat(km.call(m).errno()).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void udpEncapsulationOfAnIpcompSaFailsWithEinval() {
    SadbMessage m = Pf.add(IPCOMP, 0x1000, 0, null, 2, null, natt(2, 4500, 4500, null));
    assertThat(km.call(m).errno()).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void unknownEncapsulationTypeFailsWithEinval() {
    assertThat(km.call(Pf.addEsp(0x1000, 1, 100, natt(7, 4500, 4500, null))).errno())
        .isEqualTo(Errno.EINVAL.number());
  }

  private static SadbMessage withFlags(SadbMessage m, long flags) {
    SaExtension x = m.sa().orElseThrow();
    return m.with(new SaExtension(x.spi(), x.replay(), x.state(), x.auth(), x.encrypt(), flags));
  }

  @Test
  void esnFlagMakesAnExtendedSequenceNumberSa() {
    assertThat(km.call(withFlags(Pf.addEsp(0x1000, 1, 100), ESN)).errno()).isZero();
    assertThat(km.call(Pf.addEsp(0x1001, 2, 100)).errno()).isZero();
    SecurityAssociation esn = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    assertThat(esn.esn()).isTrue();
    assertThat(esn.flags()).isEqualTo(ESN);
    assertThat(esn.toString()).endsWith(" esn");
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1001, 50).esn()).isFalse();
    SadbMessage got = km.call(Pf.byId(MessageType.SADB_GET, Pf.ESP, 0x1000, 3, 100));
    assertThat(got.sa().orElseThrow().flags()).isEqualTo(ESN);
  }

  @Test
  void esnFlagOnAhIsAccepted() {
    SadbMessage m = withFlags(Pf.add(Pf.AH, 0x1000, Pf.SHA1, Pf.key(20, 1), 0, null), ESN);
    assertThat(km.call(m).errno()).isZero();
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 51).esn()).isTrue();
  }

  @Test
  void esnFlagOnIpcompFailsWithEinval() {
    SadbMessage m = withFlags(Pf.add(IPCOMP, 0x1000, 0, null, 2, null), ESN);
    assertThat(km.call(m).errno()).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void ipcompSaIsFoundByItsCpiWithProtocol108() {
    assertThat(km.call(Pf.add(IPCOMP, 0x5678, 0, null, 2, null)).errno()).isZero();
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x5678, 108);
    assertThat(sa).isNotNull();
    assertThat(sa.ipProtocol()).isEqualTo(108);
    assertThat(sa.encryptAlgorithm()).isEqualTo(2); // SADB_X_CALG_DEFLATE
  }

  @Test
  void inboundPolicyRequiringIpcompAcceptsAPacketThatCameWithoutIt() {
    // RFC 3173 §2.2: a datagram that would not shrink is sent without IPComp, so a required
    // ipcomp request cannot insist on it; the ESP request of the same policy still can.
    km.call(Pf.addEsp(0x1000, 1, 100));
    km.call(Pf.add(IPCOMP, 0x5678, 0, null, 2, null));
    SadbMessage spd =
        Pf.spdadd(
            Pf.A,
            32,
            0,
            Pf.B,
            32,
            0,
            255,
            PolicyDirection.IPSEC_DIR_INBOUND,
            PolicyType.IPSEC_POLICY_IPSEC,
            Pf.transport(108, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0),
            Pf.transport(50, IpsecLevel.IPSEC_LEVEL_REQUIRE, 0));
    assertThat(km.call(spd).errno()).isZero();
    Flow f = Flow.of(Pf.ip(Pf.A), Pf.ip(Pf.B), 1, 0, 0);
    SecurityAssociation esp = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    assertThat(engine.inboundAllowed(f, new SecurityAssociation[] {esp}, 1)).isTrue();
    assertThat(engine.inboundAllowed(f, new SecurityAssociation[0], 0)).isFalse();
  }

  @Test
  void updateThatMaturesALarvalSaTakesEncapsulationAndEsn() {
    // An UPDATE that matures a LARVAL SA reads the same extensions and flags as ADD.
    SadbMessage spi = km.call(Pf.getspi(Pf.ESP, 5, 100, 0x2000, 0x2000));
    assertThat(spi.errno()).isZero();
    SadbMessage add = withFlags(Pf.addEsp(0x2000, 5, 100, natt(2, 4500, 4500, null)), ESN);
    SadbMessage update =
        new SadbMessage(
            SadbMessage.PF_KEY_V2, MessageType.SADB_UPDATE, 0, Pf.ESP, 0, 5, 100, add.extensions());
    assertThat(km.call(update).errno()).isZero();
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x2000, 50);
    assertThat(sa.state()).isEqualTo(SaState.SADB_SASTATE_MATURE);
    assertThat(sa.esn()).isTrue();
    assertThat(sa.udpEncapsulation()).isNotNull();
  }
}
