package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.EngineProfile;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real captures of other IPsec stacks, with their published keys, through the inbound pipeline:
 * Linux with racoon (ipdecap's captures, keys as {@code setkey -D} printed them), FreeS/WAN and
 * Openswan KLIPS, and tcpdump's test captures. Every ESP or AH packet of an SA in the key file must
 * be accepted; everything else is in the clear (ARP, SSH, ISAKMP) and passes.
 *
 * <p>Left out, because the datapath does not do it (see the pipeline package): IPComp inside ESP,
 * ESP in UDP (NAT traversal), and IP fragments, which a capture reader must reassemble first.
 *
 * <p>Reads {@code /work/shared} (system property {@code ipsecemu.shared}) and skips itself when it
 * is absent.
 */
class ThirdPartyCapturesTest {
  private static Path captures;

  @BeforeAll
  static void needSharedCaptures() {
    Path shared = IpCaptures.shared();
    assumeTrue(shared != null, "no ../shared captures in this checkout");
    captures = shared.resolve("captures");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ipdecap/3des-cbc_hmac-sha1.cap, ipdecap/3des-cbc_hmac-sha1.cap.keys, dump",
    "ipdecap/3des-cbc_null.cap, ipdecap/3des-cbc_null.cap.keys, dump",
    "ipdecap/aes-cbc_hmac-sha1.cap, ipdecap/aes-cbc_hmac-sha1.cap.keys, dump",
    "ipdecap/aes192-cbc_hmac-sha1.cap, ipdecap/aes192-cbc_hmac-sha1.cap.keys, dump",
    "ipdecap/aes256-cbc_hmac-sha1.cap, ipdecap/aes256-cbc_hmac-sha1.cap.keys, dump",
    "ipdecap/des-cbc_hmac-md5.cap, ipdecap/des-cbc_hmac-md5.cap.keys, dump",
    "ipdecap/null_hmac-md5.cap, ipdecap/null_hmac-md5.cap.keys, dump",
    "openswan/02-east-west-transport.pcap, openswan/02-east-west-transport.conf, file",
    "openswan/08-sunrise-sunset-aes128.pcap, openswan/08-sunrise-sunset-aes128.conf, file",
    "openswan/08-sunrise-sunset-esp-sha1.pcap, openswan/08-sunrise-sunset-esp-sha1.conf, file",
    "openswan/08-sunrise-sunset-esp-noauth.pcap, openswan/08-sunrise-sunset-esp-noauth.conf, file",
    "openswan/08-sunrise-sunset-ah-md5.pcap, openswan/08-sunrise-sunset-ah-md5.conf, file",
    "openswan/08-sunrise-sunset-ah-sha1.pcap, openswan/08-sunrise-sunset-ah-sha1.conf, file",
    "tcpdump/08-sunrise-sunset-aes.pcap, tcpdump/08-sunrise-sunset-aes.conf, file",
    "tcpdump/08-sunrise-sunset-esp2.pcap, tcpdump/08-sunrise-sunset-esp2.conf, file",
  })
  void everyPacketOfAKnownSaIsAccepted(String capture, String keys, String format)
      throws Exception {
    List<byte[]> packets = IpCaptures.read(captures.resolve(capture));
    // Real keys are not always of good DES parity (Linux ignores it): check it no more than Linux.
    EngineProfile profile = EngineProfile.linux().withDesParityCheck(false);
    try (KeyEngine engine = KeyEngine.builder().profile(profile).build();
        Datapath dp = Datapath.create(engine)) {
      Setkey setkey = new Setkey(engine);
      if (format.equals("dump")) {
        setkey.dump(captures.resolve(keys));
      } else {
        setkey.file(captures.resolve(keys));
      }
      PacketContext ctx = dp.newContext();
      IpPacket ip = new IpPacket();
      int ipsec = 0;
      Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
      for (byte[] p : packets) {
        assertThat(ip.parse(p, 0, p.length).isOk()).isTrue();
        boolean protectedPacket = ip.protocol() == 50 || ip.protocol() == 51;
        Verdict v = dp.inbound(p, 0, p.length, ctx);
        verdicts.merge(v, 1, Integer::sum);
        if (protectedPacket) {
          ipsec++;
        }
        assertThat(v).as("%s: every packet accepted, %s", capture, verdicts).isEqualTo(Verdict.OK);
      }
      assertThat(ipsec).as("ESP/AH packets in %s", capture).isPositive();
      assertThat(dp.count(Verdict.OK)).isEqualTo(packets.size());
    }
  }
}
