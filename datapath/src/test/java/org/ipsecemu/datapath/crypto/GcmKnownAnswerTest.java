package org.ipsecemu.datapath.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.ipsecemu.sadb.alg.Algorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AES-GCM-16 in ESP against the GCM test cases of draft-mcgrew-gcm-test-01 ("Test Cases for the use
 * of Galois/Counter Mode (GCM) and Galois Message Authentication Code (GMAC) in IPsec ESP", §4; the
 * GMAC-only cases are left out). Each case gives the AES key, the 12-byte nonce = 4-byte salt (the
 * end of the ESP key material, RFC 4106 §8.1) || 8-byte ESP IV, the AAD = SPI || 32-bit sequence
 * number (8 bytes) or SPI || 64-bit extended sequence number (12 bytes, RFC 4106 §5), the plaintext
 * (an IP packet with its ESP trailer), ciphertext and tag. Transcribed from the draft and
 * cross-checked with pyca/cryptography.
 */
class GcmKnownAnswerTest {

  private static final HexFormat HEX = HexFormat.of();

  record Case(
      String name, String key, String nonce, String aad, String plain, String cipher, String tag) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final Case[] CASES = {
    new Case(
        "128-bit key, ESN AAD",
        "4c80cdefbb5d10da906ac73c3613a634",
        "2e443b684956ed7e3b244cfe",
        "000043218765432100000000",
        "45000048699a000080114db7c0a80102c0a801010a9bf15638d301000001000000000000045f736970045f756470037369700963796265726369747902646b000021000101020201",
        "fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce61bc17d768fd9732",
        "459018148f6cbe722fd04796562dfdb4"),
    new Case(
        "128-bit key, SPI a5f8",
        "feffe9928665731c6d6a8f9467308308",
        "cafebabefacedbaddecaf888",
        "0000a5f80000000a",
        "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d001000001000000000000037369700963796265726369747902646b00000100010001",
        "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd1",
        "83b70d3aa8bc6ee4c309e9d85a41ad4a"),
    new Case(
        "256-bit key, TCP SYN",
        "abbccddef00112233445566778899aababbccddef00112233445566778899aab",
        "112233440102030405060708",
        "4a2cbfe300000002",
        "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee0000000007002400020bf0000020405b40101040201020201",
        "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14e99def842d8e",
        "b335f4eecfdbf831824b4c4915956c96"),
    new Case(
        "all-zero key and nonce",
        "00000000000000000000000000000000",
        "000000000000000000000000",
        "0000000000000001",
        "4500003c99c500008001cb7a40679318010101010800075c020044006162636465666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
        "4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284456476492719ffb64de7d9dca1e1d894bc3bd57873ed4d181d19d4d5c8c18af3",
        "f821d496eeb096e98ad2b69e4799c71d"),
    new Case(
        "ICMP echo, ESN AAD",
        "3de09874b388e6491988d0c3607eae1f",
        "57690e434e280000a2fca1a3",
        "42f67e3f1010101010101010",
        "4500003c99c300008001cb7c40679318010101010800085c020043006162636465666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
        "fba2caa4853cf9f0f22cb10d86dd83b0fec75691cf1a04b00d1138ec9c35791765acbd8701ad79845bf9fe3fba487bc91755e6662b4c8d0d1f5e22739530320a",
        "e0d731cc978ecafaeae88f00e80d6e48"),
    new Case(
        "short ICMP, ESN AAD",
        "3de09874b388e6491988d0c3607eae1f",
        "57690e434e280000a2fca1a3",
        "42f67e3f1010101010101010",
        "4500001c42a200008001441f406793b6e00000020a00f5ff01020201",
        "fba2ca845e5df9f0f22c3e6e86dd831e1fc65792cd1af9130e1379ed",
        "369f071f35e034be95f112e4e7d05d35"),
    new Case(
        "192-bit key, TCP",
        "feffe9928665731c6d6a8f9467308308feffe9928665731c",
        "cafebabefacedbaddecaf888",
        "0000a5f80000000a",
        "45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e501016d075680001",
        "a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfbdbd0315b27452144cc77",
        "95457b9652037f5318027b5b4cd7a636"),
    new Case(
        "128-bit key, UDP, ESN AAD",
        "abbccddef00112233445566778899aab",
        "decaf888cafedebaceface74",
        "000001000000000000000001",
        "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d500004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec959b6266c04722b14923010101",
        "18a6fd42f72cbf4ab2a2ea901f73d814e3e7f243d95412e1c349c1d2fbec168f9190feebaf2cb01984e65863965d7472b79da345e0e780191f0d2f0e0f496c226f2127b27db35724e7845d68",
        "651f57e65f354f75ff17015769623436"),
    new Case(
        "256-bit key, TCP, ESN AAD",
        "abbccddef00112233445566778899aababbccddef00112233445566778899aab",
        "73616c74616e640169766563",
        "17405e67156f3126dd0db99b",
        "45080028732c00004006e9f90a0106120a01038f06b88023dd6bafbecb71260250101f646d540001",
        "f2d69ecdbd5a0d5b8d5ef38bad4da58d1f278fde98ef67549d524a3018d9a57ff4d3a31ce673119e",
        "451626c2415771e3b7eebca614c89b35"),
    new Case(
        "UDP with padding, ESN AAD",
        "3de09874b388e6491988d0c3607eae1f",
        "57690e434e280000a2fca1a3",
        "42f67e3f1010101010101010",
        "45000049333e00007f119182c3fb1d10c2b1d326c02831ce0035cb458003025b000001e0001e8c18d65759d52284a0352c71475c8880391c764d6e5ee0496b325ae270c03899493915010101",
        "fba2cad12fc1f9f00d3cebf305410db83d7784b607323d220f24b0a97d54182800cadb0f68d99ef0e0c0c89ae9bea8884e52d65bc1afd0740f742444747b5b39ab533163aad4550ee5160975",
        "cdb608c5769189609763b8e18caa81e2"),
    new Case(
        "256-bit key, text payload",
        "abbccddef00112233445566778899aababbccddef00112233445566778899aab",
        "73616c74616e640169766563",
        "17405e67156f3126dd0db99b",
        "636973636f0172756c657301746865016e6574776501646566696e6501746865746563686e6f6c6f67696573017468617477696c6c01646566696e65746f6d6f72726f7701020201",
        "d4b7ed86a1777f2ea13d6973d324c69e7b43f826fb56831226508bebd2dceb18d0a6df10e5487df074113e14c641024e3e6773d91a62ee429b043a10e3efe6b012a49363412364f8",
        "c0cac587f249e56b11e24f30e44ccc76"),
    new Case(
        "trailer only (4 bytes)",
        "7d773d00c144c525ac619d18c84a3f47",
        "d966426743457e9182443bc6",
        "335467aeffffffff",
        "01020201",
        "437f866b",
        "cb3f699fe9b0822bac961c4504bef270"),
    new Case(
        "128-bit key, short text, ESN AAD",
        "abbccddef00112233445566778899aab",
        "decaf888cafedebaceface74",
        "000001000000000000000001",
        "746f016265016f72016e6f7401746f0162650001",
        "29c9fc69a197d038ccdd14e2ddfcaa0543332164",
        "412503524303ed3c6c5f283843af8c3e"),
    new Case(
        "256-bit key, ICMP, ESN all ones",
        "6c6567616c697a656d6172696a75616e61616e64646f69746265666f72656961",
        "7475726e333021696765746d",
        "796b6963ffffffffffffffff",
        "45000030da3a00008001df3bc0a80005c0a800010800c6cd020007006162636465666768696a6b6c6d6e6f707172737401020201",
        "f97ab2aa356d8edce17644ac8c78e25dd24dedbb29ebf1b64a274b39b49c3a864cd3d78ca4ae68a32b42458fb57dbe821dcc63b9",
        "d0937ba2945f669368661a329fb4c053"),
  };

  static Stream<Arguments> cases() {
    return Arrays.stream(CASES)
        .flatMap(
            c ->
                Stream.of(CryptoProvider.JCE, CryptoProvider.BOUNCY_CASTLE)
                    .map(p -> Arguments.of(p, c)));
  }

  /** The ESP key material: AES key || salt (the first 4 bytes of the draft's nonce). */
  private static byte[] keyMaterial(Case c) {
    return HEX.parseHex(c.key + c.nonce.substring(0, 8));
  }

  private static byte[] iv(Case c) {
    return HEX.parseHex(c.nonce.substring(8));
  }

  private static TransformFactory factory(CryptoProvider p) {
    return TransformFactory.standard().withProvider(Algorithm.AES_GCM_16, p);
  }

  /** An ESP packet: [AAD-sized header][IV][payload][ICV], payload and ICV contiguous. */
  private static byte[] packet(byte[] aad, byte[] iv, byte[] payload, byte[] icv) {
    byte[] p = new byte[aad.length + 8 + payload.length + 16];
    System.arraycopy(aad, 0, p, 0, aad.length);
    System.arraycopy(iv, 0, p, aad.length, 8);
    System.arraycopy(payload, 0, p, aad.length + 8, payload.length);
    System.arraycopy(icv, 0, p, p.length - 16, 16);
    return p;
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("cases")
  void sealsToTheDraftsCiphertextAndTag(CryptoProvider p, Case c) {
    byte[] aad = HEX.parseHex(c.aad);
    byte[] plain = HEX.parseHex(c.plain);
    byte[] buf = packet(aad, iv(c), plain, new byte[16]);
    int off = aad.length + 8;
    try (AeadTransform out =
        factory(p).aead(Algorithm.AES_GCM_16, keyMaterial(c), Direction.OUTBOUND)) {
      out.seal(
          buf, 0, aad.length, buf, aad.length, buf, off, plain.length, buf, off + plain.length);
    }
    assertThat(HEX.formatHex(Arrays.copyOfRange(buf, off, off + plain.length))).isEqualTo(c.cipher);
    assertThat(HEX.formatHex(Arrays.copyOfRange(buf, buf.length - 16, buf.length)))
        .isEqualTo(c.tag);
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("cases")
  void opensTheDraftsPacketInPlace(CryptoProvider p, Case c) {
    byte[] aad = HEX.parseHex(c.aad);
    byte[] cipher = HEX.parseHex(c.cipher);
    byte[] buf = packet(aad, iv(c), cipher, HEX.parseHex(c.tag));
    int off = aad.length + 8;
    try (AeadTransform in =
        factory(p).aead(Algorithm.AES_GCM_16, keyMaterial(c), Direction.INBOUND)) {
      assertThat(
              in.open(
                  buf,
                  0,
                  aad.length,
                  buf,
                  aad.length,
                  buf,
                  off,
                  cipher.length,
                  buf,
                  off + cipher.length))
          .isTrue();
    }
    assertThat(HEX.formatHex(Arrays.copyOfRange(buf, off, off + cipher.length))).isEqualTo(c.plain);
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("cases")
  void opensWithTheIcvInASeparateArray(CryptoProvider p, Case c) {
    byte[] aad = HEX.parseHex(c.aad);
    byte[] buf = HEX.parseHex(c.cipher);
    byte[] icv = HEX.parseHex(c.tag);
    try (AeadTransform in =
        factory(p).aead(Algorithm.AES_GCM_16, keyMaterial(c), Direction.INBOUND)) {
      assertThat(in.open(aad, 0, aad.length, iv(c), 0, buf, 0, buf.length, icv, 0)).isTrue();
    }
    assertThat(HEX.formatHex(buf)).isEqualTo(c.plain);
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("cases")
  void rejectsTheDraftsPacketWithAFlippedTagBit(CryptoProvider p, Case c) {
    byte[] aad = HEX.parseHex(c.aad);
    byte[] cipher = HEX.parseHex(c.cipher);
    byte[] icv = HEX.parseHex(c.tag);
    icv[15] ^= (byte) 0x80;
    try (AeadTransform in =
        factory(p).aead(Algorithm.AES_GCM_16, keyMaterial(c), Direction.INBOUND)) {
      assertThat(in.open(aad, 0, aad.length, iv(c), 0, cipher, 0, cipher.length, icv, 0)).isFalse();
    }
  }
}
