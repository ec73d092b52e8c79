package org.ipsecemu.sadb.print;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PromiscPayload;
import org.ipsecemu.sadb.wire.ProposalExtension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.ipsecemu.sadb.wire.SupportedExtension;
import org.ipsecemu.sadb.wire.UnknownExtension;
import org.junit.jupiter.api.Test;

class TreePrinterTest {
  private final TreePrinter printer = new TreePrinter();

  @Test
  void printsAnAddAsATreeOfStructsWithSymbolicNames() {
    SadbMessage m =
        SadbMessage.of(
            MessageType.SADB_ADD,
            SaType.SADB_SATYPE_ESP,
            7,
            2112,
            new SaExtension(0x1001, 32, 1, 3, 3, 0),
            new AddressExtension(
                ExtensionType.SADB_EXT_ADDRESS_SRC, 0, 32, SockAddr.parse("192.0.2.1", 0)),
            KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, HexFormat.of().parseHex("0011aabb")));
    assertThat(printer.print(m))
        .isEqualTo(
            "sadb_msg{ version=2 type=SADB_ADD errno=0 satype=SADB_SATYPE_ESP len=9 reserved=0"
                + " seq=7 pid=2112 }\n"
                + "  sadb_sa{ len=2 exttype=SADB_EXT_SA spi=0x00001001(4097) replay=32"
                + " state=SADB_SASTATE_MATURE auth=SADB_AALG_SHA1HMAC encrypt=SADB_EALG_3DESCBC"
                + " flags=0 }\n"
                + "  sadb_address{ len=3 exttype=SADB_EXT_ADDRESS_SRC proto=0 prefixlen=32 }\n"
                + "    sockaddr{ family=AF_INET address=192.0.2.1 port=0 }\n"
                + "  sadb_key{ len=2 exttype=SADB_EXT_KEY_AUTH bits=32 }\n"
                + "    key=0011aabb\n");
  }

  @Test
  void namesUnknownNumbersAndErrnoAndFlags() {
    SadbMessage m =
        new SadbMessage(
            2,
            MessageType.SADB_GET,
            3,
            200,
            0,
            1,
            2,
            List.of(
                new SaExtension(1, 0, 9, 99, 12, 0x80000101L),
                new UnknownExtension(77, HexFormat.of().parseHex("01020304"))));
    assertThat(printer.print(m))
        .isEqualTo(
            "sadb_msg{ version=2 type=SADB_GET errno=3(ESRCH) satype=UNKNOWN(200) len=5"
                + " reserved=0 seq=1 pid=2 }\n"
                + "  sadb_sa{ len=2 exttype=SADB_EXT_SA spi=0x00000001(1) replay=0"
                + " state=UNKNOWN(9) auth=UNKNOWN(99) encrypt=SADB_X_EALG_AESCBC"
                + " flags=0x80000101(SADB_SAFLAGS_PFS|SADB_SAFLAGS_NOECN|0x00000100) }\n"
                + "  sadb_ext{ len=1 exttype=UNKNOWN(77) }\n"
                + "    data=01020304\n");
  }

  @Test
  void namesTheEncryptFieldOfAnIpcompSaAsACompressionAlgorithm() {
    SadbMessage m =
        SadbMessage.of(
            MessageType.SADB_ADD,
            SaType.SADB_X_SATYPE_IPCOMP,
            0,
            0,
            new SaExtension(0x4242, 0, 1, 0, 2, 0));
    assertThat(printer.print(m)).contains("encrypt=SADB_X_CALG_DEFLATE");
  }

  @Test
  void printsProposalsSupportedAlgorithmsAndPolicyRequestsNested() {
    SadbMessage m =
        SadbMessage.of(
            MessageType.SADB_X_SPDADD,
            SaType.SADB_SATYPE_UNSPEC,
            0,
            0,
            new ProposalExtension(
                4,
                List.of(
                    new ProposalExtension.Comb(
                        5, 12, 0, 256, 256, 128, 256, 1, 2, 3, -1L, 5, 6, 7, 8))),
            new SupportedExtension(
                ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT,
                List.of(new SupportedExtension.Alg(20, 8, 160, 288))),
            new PolicyExtension(
                2,
                1,
                9,
                10,
                List.of(
                    new PolicyExtension.IpsecRequest(51, 1, 3, 7, null, null),
                    new PolicyExtension.IpsecRequest(
                        50,
                        2,
                        2,
                        0,
                        SockAddr.parse("2001:db8::1", 0),
                        SockAddr.parse("2001:db8::2", 0)))));
    assertThat(printer.print(m))
        .isEqualTo(
            "sadb_msg{ version=2 type=SADB_X_SPDADD errno=0 satype=SADB_SATYPE_UNSPEC len=27"
                + " reserved=0 seq=0 pid=0 }\n"
                + "  sadb_prop{ len=10 exttype=SADB_EXT_PROPOSAL replay=4 }\n"
                + "    sadb_comb{ auth=SADB_X_AALG_SHA2_256HMAC encrypt=SADB_X_EALG_AESCBC flags=0"
                + " auth_minbits=256 auth_maxbits=256 encrypt_minbits=128 encrypt_maxbits=256"
                + " soft_allocations=1 hard_allocations=2 soft_bytes=3"
                + " hard_bytes=18446744073709551615 soft_addtime=5 hard_addtime=6 soft_usetime=7"
                + " hard_usetime=8 }\n"
                + "  sadb_supported{ len=2 exttype=SADB_EXT_SUPPORTED_ENCRYPT }\n"
                + "    sadb_alg{ id=SADB_X_EALG_AES_GCM_ICV16 ivlen=8 minbits=160 maxbits=288 }\n"
                + "  sadb_x_policy{ len=13 exttype=SADB_X_EXT_POLICY type=IPSEC_POLICY_IPSEC"
                + " dir=IPSEC_DIR_INBOUND id=9 priority=10 }\n"
                + "    sadb_x_ipsecrequest{ len=16 proto=51(IPPROTO_AH) mode=IPSEC_MODE_TRANSPORT"
                + " level=IPSEC_LEVEL_UNIQUE reqid=7 }\n"
                + "    sadb_x_ipsecrequest{ len=72 proto=50(IPPROTO_ESP) mode=IPSEC_MODE_TUNNEL"
                + " level=IPSEC_LEVEL_REQUIRE reqid=0 }\n"
                + "      sockaddr{ family=AF_INET6 address=2001:db8::1 port=0 }\n"
                + "      sockaddr{ family=AF_INET6 address=2001:db8::2 port=0 }\n");
  }

  @Test
  void decodesThePayloadOfAPromiscMessageOrShowsWhyNot() {
    SadbMessage good =
        SadbMessage.of(
            MessageType.SADB_X_PROMISC,
            SaType.SADB_SATYPE_UNSPEC,
            0,
            0,
            new PromiscPayload(HexFormat.of().parseHex("02090000020000000000000000000000")));
    assertThat(printer.print(good))
        .endsWith(
            "  payload{ len=2 }\n"
                + "    sadb_msg{ version=2 type=SADB_FLUSH errno=0 satype=SADB_SATYPE_UNSPEC"
                + " len=2 reserved=0 seq=0 pid=0 }\n");
    SadbMessage bad =
        SadbMessage.of(
            MessageType.SADB_X_PROMISC,
            SaType.SADB_SATYPE_UNSPEC,
            0,
            0,
            new PromiscPayload(HexFormat.of().parseHex("03090000020000000000000000000000")));
    assertThat(printer.print(bad))
        .endsWith(
            "    error=EINVAL reason=\"sadb_msg_version=3 (expected: PF_KEY_V2=2)\"\n"
                + "    data=03090000020000000000000000000000\n");
  }
}
