package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

/**
 * The engine fed the exact bytes {@code setkey} writes to a Linux PF_KEY socket (the samples of
 * {@code pcaps/pfkey-messages.hex}, copied here so the test stands alone).
 */
class SetkeyBytesTest {
  /**
   * {@code add 192.0.2.1 192.0.2.2 esp 0x1001 -r 32 -E 3des-cbc
   * 0x0123456789abcdeffedcba98765432100011223344556677 -A hmac-sha1
   * 0x00112233445566778899aabbccddeeff00112233;}, with SA2, keys and lifetimes as libipsec orders
   * them. Its 3DES key ends in 00 11 22..., bytes with even parity.
   */
  private static final String ADD =
      "020300031c0000000100000092100000020001000000100120010303000000000200130000000000"
          + "000000000000000003000500ff20000002000000c0000201000000000000000003000600ff200000"
          + "02000000c0000202000000000000000004000900c00000000123456789abcdeffedcba9876543210"
          + "001122334455667704000800a000000000112233445566778899aabbccddeeff0011223300000000"
          + "04000300000000000000000000000000000000000000000000000000000000000400040000000000"
          + "000000000000000000000000000000000000000000000000";

  /**
   * {@code spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;}
   */
  private static final String SPDADD =
      "020e000010000000030000009210000003000500ff180000020000000a0001000000000000000000"
          + "03000600ff180000020000000a000200000000000000000008001200020002000000000000000000"
          + "3000320002020000000000000000000002000000c0000201000000000000000002000000c0000202"
          + "0000000000000000";

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  @Test
  void setkeyAddWithAKeyOfWrongDesParityIsRefusedByDefault() {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
    PfKeySocket s = engine.open(Credentials.root(0x1092));
    s.send(bytes(ADD));
    SadbMessage r = s.receive();
    assertThat(r.type()).isEqualTo(MessageType.SADB_ADD);
    assertThat(r.errno()).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void setkeyAddIsAcceptedWithTheParityCheckOffAsOnLinux() {
    KeyEngine engine =
        KeyEngine.builder()
            .clock(new ManualClock())
            .profile(EngineProfile.linux().withDesParityCheck(false))
            .build();
    PfKeySocket s = engine.open(Credentials.root(0x1092));
    s.send(bytes(ADD));
    SadbMessage r = s.receive();
    assertThat(r.errno()).isZero();
    assertThat(r.keyEncrypt()).isEmpty();
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip("192.0.2.2"), 0x1001, 50);
    assertThat(sa.encryptAlgorithm()).isEqualTo(Pf.TDES);
    assertThat(sa.authAlgorithm()).isEqualTo(Pf.SHA1);
    assertThat(sa.replayWindow()).isEqualTo(32);
    assertThat(sa.mode()).isEqualTo(IpsecMode.ANY);
    assertThat(sa.encryptKey())
        .isEqualTo(bytes("0123456789abcdeffedcba98765432100011223344556677"));
  }

  @Test
  void setkeySpdaddDrivesGetassocbysocket() {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).build();
    PfKeySocket s = engine.open(Credentials.root(0x1092));
    s.send(bytes(SPDADD));
    SadbMessage r = s.receive();
    assertThat(r.errno()).isZero();
    assertThat(r.policy().orElseThrow().id()).isNotZero();
    Flow f = Flow.of(Pf.ip("10.0.1.7"), Pf.ip("10.0.2.9"), 17, 5353, 53);
    assertThat(engine.getassocbysocket(f).kind()).isEqualTo(OutboundResult.Kind.NO_KEY_MANAGER);
    assertThat(engine.getassocbysocket(f).policy().requests().get(0).isTunnel()).isTrue();
  }
}
