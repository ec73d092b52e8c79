package org.ipsecemu.sadb.wire;

import java.util.List;

/**
 * Hand-written PF_KEY messages: every byte typed from the RFC 2367 struct layouts (§2.1–§2.3,
 * Appendix C) and the Linux {@code pfkeyv2.h} layouts for the SADB_X structures, with the expected
 * model beside them. None of these bytes come from the encoder under test.
 */
final class WireVectors {
  private WireVectors() {}

  static final byte[] AUTH_KEY = Hex.bytes("00112233445566778899aabbccddeeff00112233");
  static final byte[] ENC_KEY = Hex.bytes("0123456789abcdeffedcba98765432100011223344556677");

  /**
   * SADB_ADD for ESP with 3DES-CBC and HMAC-SHA1 between 192.0.2.1 and 192.0.2.2, SPI 0x1001,
   * replay 32, hard/soft addtime 3600/2880, seq 7, pid 2112; extensions in the §2.4 order.
   */
  static SadbMessage addEsp() {
    return SadbMessage.of(
        MessageType.SADB_ADD,
        SaType.SADB_SATYPE_ESP,
        7,
        2112,
        new SaExtension(0x1001, 32, SaState.SADB_SASTATE_MATURE.value(), 3, 3, 0),
        new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, 0, 0, 3600, 0),
        new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_SOFT, 0, 0, 2880, 0),
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_SRC, 0, 32, SockAddr.parse("192.0.2.1", 0)),
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_DST, 0, 32, SockAddr.parse("192.0.2.2", 0)),
        new KeyExtension(ExtensionType.SADB_EXT_KEY_AUTH, 160, AUTH_KEY),
        new KeyExtension(ExtensionType.SADB_EXT_KEY_ENCRYPT, 192, ENC_KEY));
  }

  /** {@link #addEsp()}, little-endian, Linux sockaddrs. */
  static final String ADD_ESP_LE_LINUX =
      ""
          // sadb_msg: version=2 type=3 ADD errno=0 satype=3 ESP | len=26 reserved=0 | seq=7 |
          // pid=2112
          + "02 03 00 03  1a 00 00 00  07 00 00 00  40 08 00 00"
          // sadb_sa: len=2 exttype=1 | spi=0x00001001 network order | replay=32 state=1 auth=3
          // enc=3
          // | flags=0
          + "02 00 01 00  00 00 10 01  20 01 03 03  00 00 00 00"
          // sadb_lifetime HARD: len=4 exttype=3 | allocations=0 | bytes=0 | addtime=3600 |
          // usetime=0
          + "04 00 03 00  00 00 00 00  00 00 00 00 00 00 00 00"
          + "10 0e 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
          // sadb_lifetime SOFT: addtime=2880
          + "04 00 04 00  00 00 00 00  00 00 00 00 00 00 00 00"
          + "40 0b 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
          // sadb_address SRC: len=3 exttype=5 proto=0 prefixlen=32 reserved=0
          + "03 00 05 00  00 20 00 00"
          // sockaddr_in: family=2 (u16 host) port=0 addr=192.0.2.1 zero[8]
          + "02 00 00 00  c0 00 02 01  00 00 00 00 00 00 00 00"
          // sadb_address DST
          + "03 00 06 00  00 20 00 00"
          + "02 00 00 00  c0 00 02 02  00 00 00 00 00 00 00 00"
          // sadb_key AUTH: len=4 exttype=8 bits=160 reserved=0, 20 key bytes, 4 padding
          + "04 00 08 00  a0 00 00 00"
          + "00 11 22 33 44 55 66 77  88 99 aa bb cc dd ee ff  00 11 22 33 00 00 00 00"
          // sadb_key ENCRYPT: len=4 exttype=9 bits=192, 24 key bytes
          + "04 00 09 00  c0 00 00 00"
          + "01 23 45 67 89 ab cd ef  fe dc ba 98 76 54 32 10  00 11 22 33 44 55 66 77";

  /** {@link #addEsp()}, big-endian, Linux sockaddrs: host-order fields swap, SPI and port don't. */
  static final String ADD_ESP_BE_LINUX =
      ""
          + "02 03 00 03  00 1a 00 00  00 00 00 07  00 00 08 40"
          + "00 02 00 01  00 00 10 01  20 01 03 03  00 00 00 00"
          + "00 04 00 03  00 00 00 00  00 00 00 00 00 00 00 00"
          + "00 00 00 00 00 00 0e 10  00 00 00 00 00 00 00 00"
          + "00 04 00 04  00 00 00 00  00 00 00 00 00 00 00 00"
          + "00 00 00 00 00 00 0b 40  00 00 00 00 00 00 00 00"
          + "00 03 00 05  00 20 00 00"
          // sa_family=2 as a big-endian u16
          + "00 02 00 00  c0 00 02 01  00 00 00 00 00 00 00 00"
          + "00 03 00 06  00 20 00 00"
          + "00 02 00 00  c0 00 02 02  00 00 00 00 00 00 00 00"
          + "00 04 00 08  00 a0 00 00"
          + "00 11 22 33 44 55 66 77  88 99 aa bb cc dd ee ff  00 11 22 33 00 00 00 00"
          + "00 04 00 09  00 c0 00 00"
          + "01 23 45 67 89 ab cd ef  fe dc ba 98 76 54 32 10  00 11 22 33 44 55 66 77";

  /** {@link #addEsp()}, little-endian, BSD sockaddrs (sa_len=16, sa_family=2 as bytes). */
  static final String ADD_ESP_LE_BSD =
      ADD_ESP_LE_LINUX
          .replace(
              "02 00 00 00  c0 00 02 01", // Linux sockaddr_in head
              "10 02 00 00  c0 00 02 01")
          .replace("02 00 00 00  c0 00 02 02", "10 02 00 00  c0 00 02 02");

  /**
   * {@link #addEsp()}, big-endian, BSD sockaddrs: the BSD head is bytes, so order does not matter.
   */
  static final String ADD_ESP_BE_BSD =
      ADD_ESP_BE_LINUX
          .replace("00 02 00 00  c0 00 02 01", "10 02 00 00  c0 00 02 01")
          .replace("00 02 00 00  c0 00 02 02", "10 02 00 00  c0 00 02 02");

  /** SADB_DELETE for AH between 2001:db8::1 port 0 and fe80::2 scope 3, prefix 128. */
  static SadbMessage deleteAh6() {
    return SadbMessage.of(
        MessageType.SADB_DELETE,
        SaType.SADB_SATYPE_AH,
        0x01020304L,
        0xfffffffeL,
        new SaExtension(0xdeadbeefL, 0, 0, 0, 0, 0),
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_SRC, 255, 128, SockAddr.parse("2001:db8::1", 0)),
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_DST,
            255,
            128,
            new SockAddr(AddressFamily.AF_INET6, SockAddr.parse("fe80::2", 0).address(), 0, 3)));
  }

  /** {@link #deleteAh6()}, little-endian, Linux sockaddr_in6 (28 bytes + 4 padding). */
  static final String DELETE_AH6_LE_LINUX =
      ""
          // sadb_msg: type=4 DELETE satype=2 AH len=14 seq=0x01020304 pid=0xfffffffe
          + "02 04 00 02  0e 00 00 00  04 03 02 01  fe ff ff ff"
          // sadb_sa: spi=0xdeadbeef network order, all else 0
          + "02 00 01 00  de ad be ef  00 00 00 00  00 00 00 00"
          // sadb_address SRC: len=5 proto=255 prefixlen=128
          + "05 00 05 00  ff 80 00 00"
          // sockaddr_in6: family=10 port=0 flowinfo=0 addr scope_id=0, then 4 padding
          + "0a 00 00 00  00 00 00 00"
          + "20 01 0d b8 00 00 00 00  00 00 00 00 00 00 00 01"
          + "00 00 00 00  00 00 00 00"
          + "05 00 06 00  ff 80 00 00"
          + "0a 00 00 00  00 00 00 00"
          + "fe 80 00 00 00 00 00 00  00 00 00 00 00 00 00 02"
          // scope_id=3 in host order
          + "03 00 00 00  00 00 00 00";

  /** {@link #deleteAh6()}, big-endian, BSD sockaddr_in6 (sa_len=28, AF_INET6=28). */
  static final String DELETE_AH6_BE_BSD =
      ""
          + "02 04 00 02  00 0e 00 00  01 02 03 04  ff ff ff fe"
          + "00 02 00 01  de ad be ef  00 00 00 00  00 00 00 00"
          + "00 05 00 05  ff 80 00 00"
          + "1c 1c 00 00  00 00 00 00"
          + "20 01 0d b8 00 00 00 00  00 00 00 00 00 00 00 01"
          + "00 00 00 00  00 00 00 00"
          + "00 05 00 06  ff 80 00 00"
          + "1c 1c 00 00  00 00 00 00"
          + "fe 80 00 00 00 00 00 00  00 00 00 00 00 00 00 02"
          + "00 00 00 03  00 00 00 00";

  /** A REGISTER reply for ESP listing three authentication and three encryption algorithms. */
  static SadbMessage registerReply() {
    return SadbMessage.of(
        MessageType.SADB_REGISTER,
        SaType.SADB_SATYPE_ESP,
        1,
        4242,
        new SupportedExtension(
            ExtensionType.SADB_EXT_SUPPORTED_AUTH,
            List.of(
                new SupportedExtension.Alg(2, 0, 128, 128),
                new SupportedExtension.Alg(3, 0, 160, 160),
                new SupportedExtension.Alg(5, 0, 256, 256))),
        new SupportedExtension(
            ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT,
            List.of(
                new SupportedExtension.Alg(3, 8, 192, 192),
                new SupportedExtension.Alg(12, 16, 128, 256),
                new SupportedExtension.Alg(11, 0, 0, 0))));
  }

  /** {@link #registerReply()}, little-endian. */
  static final String REGISTER_REPLY_LE =
      ""
          // sadb_msg: type=7 REGISTER satype=3 len=10 seq=1 pid=4242 (0x1092)
          + "02 07 00 03  0a 00 00 00  01 00 00 00  92 10 00 00"
          // sadb_supported AUTH: len=4 exttype=14 reserved=0
          + "04 00 0e 00  00 00 00 00"
          // sadb_alg: id ivlen minbits maxbits reserved
          + "02 00 80 00  80 00 00 00"
          + "03 00 a0 00  a0 00 00 00"
          + "05 00 00 01  00 01 00 00"
          // sadb_supported ENCRYPT: len=4 exttype=15
          + "04 00 0f 00  00 00 00 00"
          + "03 08 c0 00  c0 00 00 00"
          + "0c 10 80 00  00 01 00 00"
          + "0b 00 00 00  00 00 00 00";

  /** An ACQUIRE from the kernel for TCP 192.0.2.1:1234 → 192.0.2.2:80 with one proposal. */
  static SadbMessage acquire() {
    return SadbMessage.of(
        MessageType.SADB_ACQUIRE,
        SaType.SADB_SATYPE_ESP,
        1,
        0,
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_SRC, 6, 32, SockAddr.parse("192.0.2.1", 1234)),
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_DST, 6, 32, SockAddr.parse("192.0.2.2", 80)),
        new ProposalExtension(
            32,
            List.of(
                new ProposalExtension.Comb(
                    3, 3, 0, 160, 160, 192, 192, 0, 0, 0, 0, 2880, 3600, 0, 0))));
  }

  /** {@link #acquire()}, little-endian, Linux sockaddrs. */
  static final String ACQUIRE_LE_LINUX =
      ""
          // sadb_msg: type=6 ACQUIRE satype=3 len=18 seq=1 pid=0
          + "02 06 00 03  12 00 00 00  01 00 00 00  00 00 00 00"
          // SRC: proto=6 prefixlen=32; sockaddr_in port=1234 (0x04d2 network order)
          + "03 00 05 00  06 20 00 00"
          + "02 00 04 d2  c0 00 02 01  00 00 00 00 00 00 00 00"
          // DST: port=80
          + "03 00 06 00  06 20 00 00"
          + "02 00 00 50  c0 00 02 02  00 00 00 00 00 00 00 00"
          // sadb_prop: len=10 exttype=13 replay=32 reserved[3]
          + "0a 00 0d 00  20 00 00 00"
          // sadb_comb: auth=3 encrypt=3 flags=0 | auth 160/160 | encrypt 192/192 | reserved
          + "03 03 00 00  a0 00 a0 00  c0 00 c0 00  00 00 00 00"
          // soft_allocations=0 hard_allocations=0 | soft_bytes | hard_bytes
          + "00 00 00 00  00 00 00 00"
          + "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00"
          // soft_addtime=2880 hard_addtime=3600 soft_usetime=0 hard_usetime=0
          + "40 0b 00 00 00 00 00 00  10 0e 00 00 00 00 00 00"
          + "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00";

  /**
   * SADB_X_SPDADD as {@code setkey} sends {@code spdadd 10.0.1.0/24 10.0.2.0/24 any -P out ipsec
   * esp/tunnel/192.0.2.1-192.0.2.2/require;}.
   */
  static SadbMessage spdAddTunnel() {
    return SadbMessage.of(
        MessageType.SADB_X_SPDADD,
        SaType.SADB_SATYPE_UNSPEC,
        3,
        999,
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_SRC, 255, 24, SockAddr.parse("10.0.1.0", 0)),
        new AddressExtension(
            ExtensionType.SADB_EXT_ADDRESS_DST, 255, 24, SockAddr.parse("10.0.2.0", 0)),
        new PolicyExtension(
            PolicyType.IPSEC_POLICY_IPSEC.value(),
            PolicyDirection.IPSEC_DIR_OUTBOUND.value(),
            0,
            0,
            List.of(
                new PolicyExtension.IpsecRequest(
                    50,
                    IpsecMode.IPSEC_MODE_TUNNEL.value(),
                    IpsecLevel.IPSEC_LEVEL_REQUIRE.value(),
                    0,
                    SockAddr.parse("192.0.2.1", 0),
                    SockAddr.parse("192.0.2.2", 0)))));
  }

  /** {@link #spdAddTunnel()}, little-endian, Linux sockaddrs. */
  static final String SPDADD_TUNNEL_LE_LINUX =
      ""
          // sadb_msg: type=14 SPDADD satype=0 len=16 seq=3 pid=999 (0x3e7)
          + "02 0e 00 00  10 00 00 00  03 00 00 00  e7 03 00 00"
          + "03 00 05 00  ff 18 00 00"
          + "02 00 00 00  0a 00 01 00  00 00 00 00 00 00 00 00"
          + "03 00 06 00  ff 18 00 00"
          + "02 00 00 00  0a 00 02 00  00 00 00 00 00 00 00 00"
          // sadb_x_policy: len=8 exttype=18 type=2 IPSEC dir=2 OUTBOUND reserved | id=0 |
          // priority=0
          + "08 00 12 00  02 00 02 00  00 00 00 00  00 00 00 00"
          // sadb_x_ipsecrequest: len=48 bytes proto=50 mode=2 level=2 reserved1 | reqid | reserved2
          + "30 00 32 00  02 02 00 00  00 00 00 00  00 00 00 00"
          // tunnel source and destination sockaddr_in
          + "02 00 00 00  c0 00 02 01  00 00 00 00 00 00 00 00"
          + "02 00 00 00  c0 00 02 02  00 00 00 00 00 00 00 00";

  /**
   * Every less common extension once: identities, sensitivity, SPI range, KMPRIVATE, SA2, the NAT-T
   * extensions, the Arkko Proposal Reference, an unknown extension (type 99), and an SA with
   * numbers no enum names (satype 200, auth 200, state 7).
   */
  static SadbMessage kitchenSink() {
    return new SadbMessage(
        2,
        MessageType.SADB_UPDATE,
        0,
        200,
        0x1234,
        5,
        6,
        List.of(
            new SaExtension(0x100, 0, 7, 200, 12, 0x80000001L),
            new IdentityExtension(ExtensionType.SADB_EXT_IDENTITY_SRC, 2, 0, "host.example"),
            new IdentityExtension(ExtensionType.SADB_EXT_IDENTITY_DST, 3, 1000, ""),
            new SensitivityExtension(1, 2, 3, List.of(0x0102030405060708L), List.of(0xffL)),
            new SpiRangeExtension(0x100, 0x1ff),
            new KmPrivateExtension(Hex.bytes("6b6d2d7374617465")),
            new Sa2Extension(2, 5, 16385),
            new NatTTypeExtension(2),
            new NatTPortExtension(ExtensionType.SADB_X_EXT_NAT_T_SPORT, 4500),
            new NatTPortExtension(ExtensionType.SADB_X_EXT_NAT_T_DPORT, 4501),
            new AddressExtension(
                ExtensionType.SADB_X_EXT_NAT_T_OA, 0, 0, SockAddr.parse("10.1.2.3", 0)),
            new ProposalReferenceExtension(0x12345678L),
            new UnknownExtension(99, Hex.bytes("deadbeef"))));
  }

  /** {@link #kitchenSink()}, little-endian, Linux sockaddrs. */
  static final String KITCHEN_SINK_LE_LINUX =
      ""
          // sadb_msg: type=2 UPDATE satype=200 len=30 reserved=0x1234 seq=5 pid=6
          + "02 02 00 c8  1c 00 34 12  05 00 00 00  06 00 00 00"
          // sadb_sa: spi=0x100 replay=0 state=7 auth=200 encrypt=12 flags=0x80000001
          + "02 00 01 00  00 00 01 00  00 07 c8 0c  01 00 00 80"
          // sadb_ident SRC: len=4 exttype=10 type=2 FQDN reserved | id=0 | "host.example" NUL pad
          + "04 00 0a 00  02 00 00 00  00 00 00 00 00 00 00 00"
          + "68 6f 73 74 2e 65 78 61  6d 70 6c 65 00 00 00 00"
          // sadb_ident DST: len=2 exttype=11 type=3 USERFQDN | id=1000 (0x3e8), no string
          + "02 00 0b 00  03 00 00 00  e8 03 00 00 00 00 00 00"
          // sadb_sens: len=4 exttype=12 dpd=1 | sens_level=2 sens_len=1 integ_level=3 integ_len=1
          // | reserved | sens bitmap | integ bitmap
          + "04 00 0c 00  01 00 00 00  02 01 03 01  00 00 00 00"
          + "08 07 06 05 04 03 02 01  ff 00 00 00 00 00 00 00"
          // sadb_spirange: len=2 exttype=16 min=0x100 max=0x1ff reserved
          + "02 00 10 00  00 01 00 00  ff 01 00 00  00 00 00 00"
          // sadb_x_kmprivate: len=2 exttype=17 reserved | "km-state"
          + "02 00 11 00  00 00 00 00  6b 6d 2d 73 74 61 74 65"
          // sadb_x_sa2: len=2 exttype=19 mode=2 reserved1 reserved2 | sequence=5 | reqid=16385
          + "02 00 13 00  02 00 00 00  05 00 00 00  01 40 00 00"
          // sadb_x_nat_t_type: len=1 exttype=20 type=2 reserved[3]
          + "01 00 14 00  02 00 00 00"
          // sadb_x_nat_t_port SPORT 4500 = 0x1194 and DPORT 4501, network order
          + "01 00 15 00  11 94 00 00"
          + "01 00 16 00  11 95 00 00"
          // NAT_T_OA: sadb_address len=3 exttype=23 proto=0 prefixlen=0, sockaddr_in 10.1.2.3
          + "03 00 17 00  00 00 00 00"
          + "02 00 00 00  0a 01 02 03  00 00 00 00 00 00 00 00"
          // sadb_x_pref: len=1 exttype=240 what=0x12345678
          + "01 00 f0 00  78 56 34 12"
          // unknown: len=1 exttype=99 body
          + "01 00 63 00  de ad be ef";

  /** {@link #kitchenSink()}, big-endian, Linux sockaddrs. */
  static final String KITCHEN_SINK_BE_LINUX =
      ""
          + "02 02 00 c8  00 1c 12 34  00 00 00 05  00 00 00 06"
          + "00 02 00 01  00 00 01 00  00 07 c8 0c  80 00 00 01"
          + "00 04 00 0a  00 02 00 00  00 00 00 00 00 00 00 00"
          + "68 6f 73 74 2e 65 78 61  6d 70 6c 65 00 00 00 00"
          + "00 02 00 0b  00 03 00 00  00 00 00 00 00 00 03 e8"
          + "00 04 00 0c  00 00 00 01  02 01 03 01  00 00 00 00"
          + "01 02 03 04 05 06 07 08  00 00 00 00 00 00 00 ff"
          + "00 02 00 10  00 00 01 00  00 00 01 ff  00 00 00 00"
          + "00 02 00 11  00 00 00 00  6b 6d 2d 73 74 61 74 65"
          + "00 02 00 13  02 00 00 00  00 00 00 05  00 00 40 01"
          + "00 01 00 14  02 00 00 00"
          + "00 01 00 15  11 94 00 00"
          + "00 01 00 16  11 95 00 00"
          + "00 03 00 17  00 00 00 00"
          + "00 02 00 00  0a 01 02 03  00 00 00 00 00 00 00 00"
          + "00 01 00 f0  12 34 56 78"
          + "00 01 00 63  de ad be ef";

  /** A data-form SADB_X_PROMISC carrying a FLUSH header (App. A). */
  static SadbMessage promiscData() {
    return SadbMessage.of(
        MessageType.SADB_X_PROMISC,
        SaType.SADB_SATYPE_UNSPEC,
        0,
        77,
        new PromiscPayload(Hex.bytes("02 09 00 00 02 00 00 00 00 00 00 00 4d 00 00 00")));
  }

  /** {@link #promiscData()}, little-endian. */
  static final String PROMISC_DATA_LE =
      ""
          // outer sadb_msg: type=11 X_PROMISC len=4 pid=77
          + "02 0b 00 00  04 00 00 00  00 00 00 00  4d 00 00 00"
          // inner sadb_msg: type=9 FLUSH len=2 pid=77
          + "02 09 00 00  02 00 00 00  00 00 00 00  4d 00 00 00";
}
