package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.Packets.concat;
import static org.ipsecemu.datapath.pipeline.Packets.counting;
import static org.ipsecemu.datapath.pipeline.Packets.ipv4;
import static org.ipsecemu.datapath.pipeline.Packets.ipv6;
import static org.ipsecemu.datapath.pipeline.Packets.optionsHeader;
import static org.ipsecemu.datapath.pipeline.Packets.udp;

import java.time.Duration;
import java.util.List;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lifetimes through the datapath: which bytes each packet charges (what Linux's xfrm counts), the
 * first use, SOFT and HARD limits sending SADB_EXPIRE through the engine, and packets after a HARD
 * expiry dropped as {@code expired}.
 */
class LifetimeTest {
  static final String A = "192.0.2.1";
  static final String B = "192.0.2.2";
  static final String KEYS = HeadersAndModesTest.KEYS;

  static String sa(String proto, String extra) {
    String keys = proto.equals("esp") ? KEYS : HeadersAndModesTest.AH_KEY;
    return "add "
        + A
        + " "
        + B
        + " "
        + proto
        + " 0x7001 -m transport -r 32 "
        + keys
        + " "
        + extra
        + "; spdadd "
        + A
        + " "
        + B
        + " any -P out ipsec "
        + proto
        + "/transport//require;";
  }

  @ParameterizedTest
  @ValueSource(strings = {"esp", "ah"})
  void transportModeChargesTheBytesAfterTheIpHeaderBothWays(String proto) {
    try (Lab lab = new Lab()) {
      lab.run(sa(proto, ""));
      byte[] udp = udp(1, 2, counting(100));
      byte[] out = lab.protect(ipv4(A, B, 17, udp));
      SecurityAssociation sa = lab.sa(0x7001);
      assertThat(sa.bytes()).as("outbound: the UDP datagram").isEqualTo(udp.length);
      assertThat(out.length).isGreaterThan(20 + udp.length);
      lab.open(out);
      assertThat(sa.bytes()).as("inbound: the same again").isEqualTo(2L * udp.length);
    }
  }

  @Test
  void ipv6ChargesThePayloadAfterTheHeadersThatStayInFront() {
    try (Lab lab = new Lab()) {
      lab.run(
          "add 2001:db8::1 2001:db8::2 esp 0x7002 -m transport "
              + KEYS
              + ";"
              + "spdadd 2001:db8::1 2001:db8::2 any -P out ipsec esp/transport//require;");
      byte[] udp = udp(1, 2, counting(30));
      byte[] dest = optionsHeader(17, new byte[] {0x1e, 2, 0, 0}); // goes inside ESP
      byte[] hbh = optionsHeader(60, new byte[] {0x1e, 2, 0, 0}); // stays in front
      lab.protect(ipv6("2001:db8::1", "2001:db8::2", 0, concat(hbh, dest, udp)));
      assertThat(lab.sa(0x7002).bytes()).isEqualTo(dest.length + udp.length);
    }
  }

  @Test
  void firstPacketSetsTheUseTime() {
    try (Lab lab = new Lab()) {
      lab.run(sa("esp", ""));
      SecurityAssociation sa = lab.sa(0x7001);
      assertThat(sa.currentLifetime().usetime()).as("never used").isZero();
      lab.engine.advance(Duration.ofSeconds(10));
      lab.protect(ipv4(A, B, 17, udp(1, 2, counting(5))));
      assertThat(sa.firstUseMillis()).isEqualTo(Lab.START + 10_000);
      lab.engine.advance(Duration.ofSeconds(10));
      lab.protect(ipv4(A, B, 17, udp(1, 2, counting(5))));
      assertThat(sa.currentLifetime().usetime()).isEqualTo((Lab.START + 10_000) / 1000);
    }
  }

  @Test
  void packetsThatFailAreNotCharged() {
    try (Lab lab = new Lab()) {
      lab.run(sa("esp", ""));
      byte[] out = lab.protect(ipv4(A, B, 17, udp(1, 2, counting(5))));
      long before = lab.sa(0x7001).bytes();
      out[out.length - 1] ^= 1;
      assertThat(lab.in(out)).isEqualTo(Verdict.AUTH_FAILED);
      assertThat(lab.sa(0x7001).bytes()).isEqualTo(before);
    }
  }

  private static List<SadbMessage> expires(Lab lab) {
    return lab.setkey.socket().drain().stream()
        .filter(m -> m.type() == MessageType.SADB_EXPIRE)
        .toList();
  }

  @Test
  void softByteLimitSendsOneExpireAndTheSaKeepsWorking() {
    try (Lab lab = new Lab()) {
      lab.setkey.register(SaType.SADB_SATYPE_ESP);
      lab.run(sa("esp", "-bs 250 -bh 10000"));
      lab.setkey.socket().drain();
      byte[] plain = ipv4(A, B, 17, udp(1, 2, counting(92))); // 100 bytes charged each way
      lab.protect(plain);
      lab.protect(plain);
      assertThat(expires(lab)).isEmpty();
      byte[] third = lab.protect(plain); // 300 >= 250
      List<SadbMessage> soft = expires(lab);
      assertThat(soft).hasSize(1);
      assertThat(soft.get(0).has(ExtensionType.SADB_EXT_LIFETIME_SOFT)).isTrue();
      assertThat(lab.sa(0x7001).state()).isEqualTo(SaState.SADB_SASTATE_DYING);
      assertThat(lab.open(third)).isEqualTo(plain);
      lab.protect(plain);
      assertThat(expires(lab)).as("only once").isEmpty();
    }
  }

  @Test
  void hardByteLimitExpiresTheSaAndLaterPacketsAreDroppedAsExpired() {
    try (Lab lab = new Lab()) {
      lab.setkey.register(SaType.SADB_SATYPE_ESP);
      lab.run(sa("esp", "-bh 250"));
      lab.setkey.socket().drain();
      byte[] plain = ipv4(A, B, 17, udp(1, 2, counting(92)));
      byte[] one = lab.protect(plain);
      byte[] two = lab.protect(plain);
      byte[] three = lab.protect(plain); // reaches the limit: admitted, then the SA expires
      List<SadbMessage> hard = expires(lab);
      assertThat(hard).hasSize(1);
      assertThat(hard.get(0).has(ExtensionType.SADB_EXT_LIFETIME_HARD)).isTrue();
      assertThat(lab.engine.associations()).isEmpty();
      assertThat(lab.in(one)).isEqualTo(Verdict.EXPIRED);
      assertThat(lab.in(three)).isEqualTo(Verdict.EXPIRED);
      assertThat(lab.dp.count(Verdict.EXPIRED)).isEqualTo(2);
      // Outbound the flow's SA is gone: a new one is asked for.
      assertThat(lab.out(plain)).isEqualTo(OutboundVerdict.QUEUED);
      // Added again, the SA takes packets again.
      lab.run("add " + A + " " + B + " esp 0x7001 -m transport -r 32 " + KEYS + ";");
      assertThat(lab.in(two)).isEqualTo(Verdict.OK);
    }
  }

  @Test
  void hardTimeLimitExpiresTheSaOnTheEngineClock() {
    try (Lab lab = new Lab()) {
      lab.run(sa("ah", "-lh 60"));
      byte[] early = lab.protect(ipv4(A, B, 17, udp(1, 2, counting(3))));
      byte[] late = lab.protect(ipv4(A, B, 17, udp(1, 2, counting(4))));
      assertThat(lab.in(early)).isEqualTo(Verdict.OK);
      lab.engine.advance(Duration.ofSeconds(61));
      assertThat(lab.in(late)).isEqualTo(Verdict.EXPIRED);
    }
  }
}
