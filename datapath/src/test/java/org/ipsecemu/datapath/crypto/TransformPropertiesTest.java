package org.ipsecemu.datapath.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * Properties every transform must have, for both providers: decrypt(encrypt(x)) == x in place at
 * any offset without touching bytes outside the range, both providers agree byte for byte, the same
 * input twice gives the same output, and one flipped bit anywhere fails the integrity check.
 */
class TransformPropertiesTest {

  record Setup(Algorithm alg, CryptoProvider provider, byte[] key) {
    TransformFactory factory() {
      return TransformFactory.deterministic(7).withProvider(alg, provider);
    }

    @Override
    public String toString() {
      return alg.setkeyName() + "/" + provider;
    }
  }

  private static Arbitrary<CryptoProvider> providers() {
    return Arbitraries.of(CryptoProvider.JCE, CryptoProvider.BOUNCY_CASTLE);
  }

  private static Arbitrary<Setup> setups(Algorithm... algs) {
    return Combinators.combine(Arbitraries.of(algs), providers(), Arbitraries.randomValue(r -> r))
        .as(
            (alg, p, random) -> {
              int bits = alg.keyBits()[random.nextInt(alg.keyBits().length)];
              byte[] key = new byte[bits / 8];
              random.nextBytes(key);
              return new Setup(alg, p, key);
            });
  }

  @Provide
  Arbitrary<Setup> ciphers() {
    return setups(Algorithm.AES_CBC, Algorithm.DES_CBC, Algorithm.TRIPLE_DES_CBC);
  }

  @Provide
  Arbitrary<Setup> macs() {
    return setups(Algorithm.HMAC_MD5_96, Algorithm.HMAC_SHA1_96, Algorithm.HMAC_SHA2_256_128);
  }

  @Provide
  Arbitrary<Setup> gcm() {
    return setups(Algorithm.AES_GCM_16);
  }

  // ---- CBC ----

  @Property(tries = 200)
  void cbcDecryptUndoesEncryptInPlaceAtAnyOffset(
      @ForAll("ciphers") Setup s,
      @ForAll @Size(max = 40) byte[] blocksSeed,
      @ForAll @IntRange(max = 37) int offset,
      @ForAll @Size(min = 16, max = 16) byte[] ivBytes) {
    int bs = s.alg.blockSize();
    int length = blocksSeed.length / 4 * bs;
    byte[] buf = new byte[offset + length + 11];
    new java.util.Random(length * 31L + offset).nextBytes(buf);
    byte[] original = buf.clone();
    byte[] iv = Arrays.copyOf(ivBytes, bs);
    TransformFactory f = s.factory();
    try (EncryptionTransform out = f.encryption(s.alg, s.key, Direction.OUTBOUND);
        EncryptionTransform in = f.encryption(s.alg, s.key, Direction.INBOUND)) {
      out.encrypt(iv, 0, buf, offset, length);
      assertThat(Arrays.copyOfRange(buf, 0, offset))
          .isEqualTo(Arrays.copyOfRange(original, 0, offset));
      assertThat(Arrays.copyOfRange(buf, offset + length, buf.length))
          .isEqualTo(Arrays.copyOfRange(original, offset + length, buf.length));
      if (length > 0) {
        assertThat(buf).isNotEqualTo(original);
      }
      assertThat(in.decrypt(iv, 0, buf, offset, length)).isTrue();
      assertThat(buf).isEqualTo(original);
    }
  }

  @Property(tries = 100)
  void cbcProvidersAgreeByteForByte(
      @ForAll("ciphers") Setup s,
      @ForAll @Size(min = 1, max = 30) byte[] blocksSeed,
      @ForAll @Size(min = 16, max = 16) byte[] ivBytes) {
    int length = blocksSeed.length * s.alg.blockSize();
    byte[] plain = Arrays.copyOf(blocksSeed, length);
    byte[] iv = Arrays.copyOf(ivBytes, s.alg.blockSize());
    byte[] viaJce = plain.clone();
    byte[] viaBc = plain.clone();
    TransformFactory base = TransformFactory.standard();
    base.withProvider(s.alg, CryptoProvider.JCE)
        .encryption(s.alg, s.key, Direction.OUTBOUND)
        .encrypt(iv, 0, viaJce, 0, length);
    base.withProvider(s.alg, CryptoProvider.BOUNCY_CASTLE)
        .encryption(s.alg, s.key, Direction.OUTBOUND)
        .encrypt(iv, 0, viaBc, 0, length);
    assertThat(viaJce).isEqualTo(viaBc);
  }

  @Property(tries = 50)
  void cbcTransformGivesTheSameOutputForTheSameInputTwice(
      @ForAll("ciphers") Setup s,
      @ForAll @Size(min = 1, max = 20) byte[] blocksSeed,
      @ForAll @Size(min = 16, max = 16) byte[] ivBytes) {
    int length = blocksSeed.length * s.alg.blockSize();
    byte[] plain = Arrays.copyOf(blocksSeed, length);
    byte[] iv = Arrays.copyOf(ivBytes, s.alg.blockSize());
    try (EncryptionTransform out = s.factory().encryption(s.alg, s.key, Direction.OUTBOUND);
        EncryptionTransform in = s.factory().encryption(s.alg, s.key, Direction.INBOUND)) {
      byte[] first = plain.clone();
      out.encrypt(iv, 0, first, 0, length);
      byte[] other = new byte[length]; // an unrelated packet in between must not leak state
      out.encrypt(iv, 0, other, 0, length);
      byte[] second = plain.clone();
      out.encrypt(iv, 0, second, 0, length);
      assertThat(second).isEqualTo(first);
      byte[] d1 = first.clone();
      byte[] d2 = first.clone();
      assertThat(in.decrypt(iv, 0, d1, 0, length)).isTrue();
      assertThat(in.decrypt(iv, 0, other, 0, length)).isTrue();
      assertThat(in.decrypt(iv, 0, d2, 0, length)).isTrue();
      assertThat(d1).isEqualTo(plain).isEqualTo(d2);
    }
  }

  // ---- HMAC ----

  @Property(tries = 200)
  void macDetectsOneFlippedBitAnywhere(
      @ForAll("macs") Setup s,
      @ForAll @Size(min = 1, max = 300) byte[] data,
      @ForAll @IntRange(max = 100_000) int where) {
    try (IntegrityTransform mac = s.factory().integrity(s.alg, s.key, Direction.INBOUND)) {
      int icvLength = mac.icvLength();
      byte[] packet = Arrays.copyOf(data, data.length + icvLength);
      mac.compute(packet, 0, data.length, packet, data.length);
      assertThat(mac.verify(packet, 0, data.length, packet, data.length)).isTrue();
      int bit = where % (packet.length * 8);
      packet[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(mac.verify(packet, 0, data.length, packet, data.length)).isFalse();
    }
  }

  @Property(tries = 100)
  void macProvidersAgreeAndReuseGivesTheSameIcv(
      @ForAll("macs") Setup s, @ForAll @Size(max = 300) byte[] data) {
    TransformFactory base = TransformFactory.standard();
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    byte[] c = new byte[16];
    try (IntegrityTransform jce =
            base.withProvider(s.alg, CryptoProvider.JCE)
                .integrity(s.alg, s.key, Direction.OUTBOUND);
        IntegrityTransform bc =
            base.withProvider(s.alg, CryptoProvider.BOUNCY_CASTLE)
                .integrity(s.alg, s.key, Direction.OUTBOUND)) {
      jce.compute(data, 0, data.length, a, 0);
      bc.compute(data, 0, data.length, b, 0);
      bc.update(new byte[] {1, 2, 3}, 0, 3);
      bc.reset(); // an abandoned packet leaves nothing behind
      bc.compute(data, 0, data.length, c, 0);
    }
    assertThat(a).isEqualTo(b).isEqualTo(c);
  }

  @Property(tries = 100)
  void esnHighBitsAreAppendedBigEndianAfterThePacket(
      @ForAll("macs") Setup s, @ForAll @Size(max = 100) byte[] data, @ForAll int seqHigh) {
    // RFC 4303 §2.2.1: the ICV covers the packet followed by the high 32 bits of the ESN.
    byte[] appended = Arrays.copyOf(data, data.length + 4);
    appended[data.length] = (byte) (seqHigh >>> 24);
    appended[data.length + 1] = (byte) (seqHigh >>> 16);
    appended[data.length + 2] = (byte) (seqHigh >>> 8);
    appended[data.length + 3] = (byte) seqHigh;
    try (IntegrityTransform mac = s.factory().integrity(s.alg, s.key, Direction.OUTBOUND)) {
      byte[] viaInt = new byte[mac.icvLength()];
      mac.update(data, 0, data.length);
      mac.updateInt(seqHigh);
      mac.finish(viaInt, 0);
      byte[] viaBytes = new byte[mac.icvLength()];
      mac.compute(appended, 0, appended.length, viaBytes, 0);
      assertThat(viaInt).isEqualTo(viaBytes);
      mac.update(data, 0, data.length);
      assertThat(mac.verify(viaInt, 0)).as("the ICV without the high bits differs").isFalse();
    }
  }

  @Property(tries = 50)
  void zerosFedDirectlyEqualZeroBytesInTheBuffer(
      @ForAll("macs") Setup s,
      @ForAll @Size(max = 50) byte[] head,
      @ForAll @IntRange(max = 200) int zeros) {
    // AH (RFC 4302 §3.3.3.1): the ICV field counts as zeros during the computation.
    try (IntegrityTransform mac = s.factory().integrity(s.alg, s.key, Direction.OUTBOUND)) {
      byte[] a = new byte[mac.icvLength()];
      mac.update(head, 0, head.length);
      mac.updateZeros(zeros);
      mac.finish(a, 0);
      byte[] whole = Arrays.copyOf(head, head.length + zeros);
      byte[] b = new byte[mac.icvLength()];
      mac.compute(whole, 0, whole.length, b, 0);
      assertThat(a).isEqualTo(b);
    }
  }

  // ---- GCM ----

  @Property(tries = 150)
  void gcmOpenUndoesSealInPlaceAndDetectsAnyFlippedBit(
      @ForAll("gcm") Setup s,
      @ForAll @Size(max = 300) byte[] payload,
      @ForAll boolean esn,
      @ForAll @IntRange(max = 100_000) int where) {
    int aadLength = esn ? 12 : 8;
    // [SPI|seq(|seqhi)][IV][payload][ICV]: the AAD and IV in the packet, ICV contiguous.
    byte[] packet = new byte[aadLength + 8 + payload.length + 16];
    new java.util.Random(payload.length).nextBytes(packet);
    int off = aadLength + 8;
    System.arraycopy(payload, 0, packet, off, payload.length);
    TransformFactory f = s.factory();
    try (AeadTransform out = f.aead(s.alg, s.key, Direction.OUTBOUND);
        AeadTransform in = f.aead(s.alg, s.key, Direction.INBOUND)) {
      out.nextIv(packet, aadLength);
      out.seal(
          packet,
          0,
          aadLength,
          packet,
          aadLength,
          packet,
          off,
          payload.length,
          packet,
          off + payload.length);
      byte[] sealed = packet.clone();
      assertThat(
              in.open(
                  packet,
                  0,
                  aadLength,
                  packet,
                  aadLength,
                  packet,
                  off,
                  payload.length,
                  packet,
                  off + payload.length))
          .isTrue();
      assertThat(Arrays.copyOfRange(packet, off, off + payload.length)).isEqualTo(payload);
      // Reuse: the same sealed packet opens the same way a second time.
      byte[] again = sealed.clone();
      assertThat(
              in.open(
                  again,
                  0,
                  aadLength,
                  again,
                  aadLength,
                  again,
                  off,
                  payload.length,
                  again,
                  off + payload.length))
          .isTrue();
      assertThat(again).isEqualTo(packet);
      // Any flipped bit in AAD, IV, ciphertext or ICV fails.
      byte[] bad = sealed.clone();
      int bit = where % (bad.length * 8);
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(
              in.open(
                  bad,
                  0,
                  aadLength,
                  bad,
                  aadLength,
                  bad,
                  off,
                  payload.length,
                  bad,
                  off + payload.length))
          .isFalse();
    }
  }

  @Property(tries = 60)
  void gcmProvidersAgreeByteForByte(
      @ForAll("gcm") Setup s,
      @ForAll @Size(max = 200) byte[] payload,
      @ForAll @Size(min = 8, max = 8) byte[] iv,
      @ForAll @Size(min = 8, max = 8) byte[] aad) {
    byte[] viaJce = payload.clone();
    byte[] viaBc = payload.clone();
    byte[] icvJce = new byte[16];
    byte[] icvBc = new byte[16];
    TransformFactory base = TransformFactory.standard();
    base.withProvider(s.alg, CryptoProvider.JCE)
        .aead(s.alg, s.key, Direction.OUTBOUND)
        .seal(aad, 0, 8, iv, 0, viaJce, 0, viaJce.length, icvJce, 0);
    base.withProvider(s.alg, CryptoProvider.BOUNCY_CASTLE)
        .aead(s.alg, s.key, Direction.OUTBOUND)
        .seal(aad, 0, 8, iv, 0, viaBc, 0, viaBc.length, icvBc, 0);
    assertThat(viaJce).isEqualTo(viaBc);
    assertThat(icvJce).isEqualTo(icvBc);
  }
}
