package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.pipeline.Packets.counting;
import static org.ipsecemu.datapath.pipeline.Packets.ipv4;
import static org.ipsecemu.datapath.pipeline.Packets.udp;

import java.util.List;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaReplayExtension;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

/**
 * The anti-replay window is the SA's, in packets, up to and beyond the 255 that {@code
 * sadb_sa_replay} can say: a window of 1024 set with FreeBSD's SADB_X_EXT_SA_REPLAY.
 */
class ReplayWindowSizeTest {
  static final String A = "192.0.2.1";
  static final String B = "192.0.2.2";

  @Test
  void windowOf1024PacketsFromTheSaReplayExtension() {
    try (Lab lab = new Lab()) {
      lab.setkey.addSa(
          SaType.SADB_SATYPE_ESP,
          A,
          B,
          0xa001,
          IpsecMode.IPSEC_MODE_TRANSPORT.value(),
          255,
          Algorithm.HMAC_SHA1_96.id(),
          Packets.hex("0102030405060708090a0b0c0d0e0f1011121314"),
          Algorithm.AES_CBC.id(),
          Packets.hex("00112233445566778899aabbccddeeff"),
          List.of(new SaReplayExtension(1024)));
      lab.run("spdadd " + A + " " + B + " any -P out ipsec esp/transport//require;");
      assertThat(lab.sa(0xa001).replayWindow()).isEqualTo(1024);
      byte[][] p = new byte[1101][];
      for (int i = 1; i <= 1100; i++) {
        p[i] = lab.protect(ipv4(A, B, 17, udp(1, 2, counting(i % 7))));
      }
      assertThat(lab.in(p[1100])).isEqualTo(Verdict.OK);
      assertThat(lab.in(p[77])).as("1023 behind: inside").isEqualTo(Verdict.OK);
      assertThat(lab.in(p[76])).as("1024 behind: outside").isEqualTo(Verdict.REPLAY);
      assertThat(lab.in(p[77])).as("seen").isEqualTo(Verdict.REPLAY);

      // GET shows 255 in sadb_sa_replay and the whole window in the extension, as FreeBSD.
      SadbMessage got =
          lab.setkey
              .socket()
              .call(
                  new SadbMessage(
                      SadbMessage.PF_KEY_V2,
                      MessageType.SADB_GET,
                      0,
                      SaType.SADB_SATYPE_ESP.value(),
                      0,
                      99,
                      4242,
                      List.of(
                          new SaExtension(0xa001, 0, 0, 0, 0, 0),
                          new org.ipsecemu.sadb.wire.AddressExtension(
                              ExtensionType.SADB_EXT_ADDRESS_SRC,
                              255,
                              32,
                              org.ipsecemu.sadb.wire.SockAddr.parse(A, 0)),
                          new org.ipsecemu.sadb.wire.AddressExtension(
                              ExtensionType.SADB_EXT_ADDRESS_DST,
                              255,
                              32,
                              org.ipsecemu.sadb.wire.SockAddr.parse(B, 0)))));
      assertThat(got.errno()).isZero();
      assertThat(got.sa().orElseThrow().replay()).isEqualTo(255);
      assertThat(got.find(SaReplayExtension.class).orElseThrow().replay()).isEqualTo(1024);
    }
  }
}
