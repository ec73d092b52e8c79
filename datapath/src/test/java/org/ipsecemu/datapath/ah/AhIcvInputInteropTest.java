package org.ipsecemu.datapath.ah;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.packet.ParseResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verifies the AH ICVs of captures made by others, with their published keys, over the ICV input of
 * {@link AhIcvInput}. Reads {@code ../shared} (system property {@code ipsecemu.shared}) and skips
 * itself when it is absent.
 */
@Tag("shared")
class AhIcvInputInteropTest {
  private static final int ICV_LENGTH = 12; // HMAC-MD5-96 and HMAC-SHA1-96 (RFC 2403, RFC 2404)

  @ParameterizedTest
  @ValueSource(
      strings = {
        // scapy-made transport-mode AH (interop sample)
        "interop/ah-basic/in.pcap|interop/ah-basic/sa.conf",
        // Openswan KLIPS AH tunnel mode, HMAC-MD5-96 and HMAC-SHA1-96
        "captures/openswan/08-sunrise-sunset-ah-md5.pcap"
            + "|captures/openswan/08-sunrise-sunset-ah-md5.conf",
        "captures/openswan/08-sunrise-sunset-ah-sha1.pcap"
            + "|captures/openswan/08-sunrise-sunset-ah-sha1.conf"
      })
  void everyAhPacketOfTheCaptureVerifies(String files) throws Exception {
    String[] parts = files.split("\\|");
    Path pcap = SharedCaptures.file(parts[0]);
    List<SharedCaptures.AhSa> sas = SharedCaptures.ahSas(SharedCaptures.file(parts[1]));
    assertThat(sas).isNotEmpty();
    AhIcvInput input = new AhIcvInput();
    AhHeader ah = new AhHeader();
    IpPacket packet = new IpPacket();
    int verified = 0;
    for (byte[] p : SharedCaptures.ipPackets(pcap)) {
      if (p == null || !packet.parse(p, 0, p.length).isOk() || packet.protocol() != 51) {
        continue;
      }
      int at = packet.protocolOffset();
      assertThat(ah.wrap(p, at, packet.end() - at).validate(ICV_LENGTH, packet.version() == 6))
          .isEqualTo(ParseResult.OK);
      SharedCaptures.AhSa sa =
          sas.stream().filter(s -> s.spi() == ah.spi()).findFirst().orElseThrow();
      String algorithm = sa.algorithm().equals("hmac-md5") ? "HmacMD5" : "HmacSHA1";
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(sa.key(), algorithm));
      assertThat(input.feed(p, 0, p.length, at, ICV_LENGTH, mac::update)).isEqualTo(ParseResult.OK);
      byte[] icv = Arrays.copyOf(mac.doFinal(), ICV_LENGTH);
      assertThat(icv)
          .as("packet with SPI %08x seq %d", ah.spi(), ah.sequenceUnsigned())
          .isEqualTo(Arrays.copyOfRange(p, ah.icvOffset(), ah.icvOffset() + ICV_LENGTH));
      verified++;
    }
    assertThat(verified).as("AH packets verified").isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"captures/tcpdump/OSPFv3_with_AH.pcap"})
  void parsesAhOverIpv6LinkLocalMulticast(String file) throws Exception {
    // No keys were published: parsing and ICV input must succeed for every packet.
    AhIcvInput input = new AhIcvInput();
    IpPacket packet = new IpPacket();
    AhHeader ah = new AhHeader();
    int seen = 0;
    for (byte[] p : SharedCaptures.ipPackets(SharedCaptures.file(file))) {
      if (p == null) {
        continue;
      }
      assertThat(packet.parse(p, 0, p.length)).isEqualTo(ParseResult.OK);
      assertThat(packet.version()).isEqualTo(6);
      assertThat(packet.protocol()).isEqualTo(51);
      int at = packet.protocolOffset();
      ah.wrap(p, at, packet.end() - at);
      assertThat(ah.validate(ICV_LENGTH, true)).isEqualTo(ParseResult.OK);
      assertThat(ah.nextHeader()).as("OSPF").isEqualTo(89);
      assertThat(input.feed(p, 0, p.length, at, ICV_LENGTH, (b, o, l) -> {}))
          .isEqualTo(ParseResult.OK);
      seen++;
    }
    assertThat(seen).isPositive();
  }
}
