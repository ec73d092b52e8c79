package org.ipsecemu.datapath.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.ipsecemu.sadb.alg.Algorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Life cycle and misuse: destroy() zeroes key copies and scratch, nothing works afterwards,
 * toString never shows a key, directions are enforced, bad packet ranges give {@code false} instead
 * of exceptions, and the hot paths that should not allocate do not.
 */
class TransformLifecycleTest {

  private static final HexFormat HEX = HexFormat.of();

  /** A recognisable key: toString and messages must never contain its hex. */
  private static byte[] key(Algorithm alg) {
    byte[] k = new byte[alg.maxKeyBits() / 8];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (0xA5 ^ (i * 29));
    }
    return k;
  }

  static Stream<Arguments> all() {
    return Stream.of(
            Algorithm.AES_CBC,
            Algorithm.DES_CBC,
            Algorithm.TRIPLE_DES_CBC,
            Algorithm.HMAC_MD5_96,
            Algorithm.HMAC_SHA1_96,
            Algorithm.HMAC_SHA2_256_128,
            Algorithm.AES_GCM_16)
        .flatMap(
            a ->
                Stream.of(CryptoProvider.JCE, CryptoProvider.BOUNCY_CASTLE)
                    .flatMap(p -> Stream.of(Direction.values()).map(d -> Arguments.of(a, p, d))));
  }

  private static Transform create(Algorithm alg, CryptoProvider p, Direction d) {
    TransformFactory f = TransformFactory.deterministic(3).withProvider(alg, p);
    switch (alg.kind()) {
      case ENCRYPTION:
        return f.encryption(alg, key(alg), d);
      case INTEGRITY:
        return f.integrity(alg, key(alg), d);
      default:
        return f.aead(alg, key(alg), d);
    }
  }

  /** Runs one packet through the transform so that scratch arrays hold data. */
  private static void exercise(Transform t) {
    byte[] buf = new byte[64 + 48];
    if (t instanceof EncryptionTransform e) {
      if (t.direction() == Direction.OUTBOUND) {
        e.nextIv(buf, 0);
        e.encrypt(buf, 0, buf, 16, 48);
      } else {
        e.decrypt(buf, 0, buf, 16, 48);
      }
    } else if (t instanceof IntegrityTransform m) {
      m.compute(buf, 0, 48, buf, 64);
    } else if (t instanceof AeadTransform g) {
      if (t.direction() == Direction.OUTBOUND) {
        g.nextIv(buf, 8);
        g.seal(buf, 0, 8, buf, 8, buf, 16, 48, buf, 64);
      } else {
        g.open(buf, 0, 8, buf, 8, buf, 16, 48, buf, 64);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("all")
  void destroyZeroesKeyCopiesAndScratch(Algorithm alg, CryptoProvider p, Direction d) {
    Transform t = create(alg, p, d);
    exercise(t);
    AbstractTransform a = (AbstractTransform) t;
    assertThat(a.key).as("own key copy before destroy").isEqualTo(key(alg));
    t.destroy();
    assertThat(t.isDestroyed()).isTrue();
    for (byte[] secret : a.secretArraysForTest()) {
      assertThat(secret).as("zeroed after destroy").isEqualTo(new byte[secret.length]);
    }
    t.destroy(); // idempotent
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("all")
  void nothingWorksAfterDestroy(Algorithm alg, CryptoProvider p, Direction d) {
    Transform t = create(alg, p, d);
    t.close();
    assertThatThrownBy(() -> exercise(t))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("destroyed");
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("all")
  void toStringNamesTheTransformButNeverTheKey(Algorithm alg, CryptoProvider p, Direction d) {
    Transform t = create(alg, p, d);
    String s = t.toString();
    assertThat(s).contains(alg.setkeyName()).contains(d.name()).contains(p.name());
    String keyHex = HEX.formatHex(key(alg));
    for (int i = 0; i + 8 <= keyHex.length(); i += 8) {
      assertThat(s.toLowerCase()).doesNotContain(keyHex.substring(i, i + 8));
    }
  }

  @Test
  void jceKeyCopyIsDestroyedToo() {
    JceCbcEncryption t =
        (JceCbcEncryption)
            TransformFactory.standard()
                .withProvider(Algorithm.AES_CBC, CryptoProvider.JCE)
                .encryption(Algorithm.AES_CBC, key(Algorithm.AES_CBC), Direction.INBOUND);
    t.destroy();
    assertThat(t.jceKeyForTest().isDestroyed()).isTrue();
    assertThat(t.jceKeyForTest().bytesForTest()).containsOnly(0);
    assertThat(t.jceKeyForTest().toString()).isEqualTo("JceKey[AES]");
  }

  @ParameterizedTest
  @EnumSource(
      value = CryptoProvider.class,
      names = {"JCE", "BOUNCY_CASTLE"})
  void directionsAreEnforced(CryptoProvider p) {
    TransformFactory f = TransformFactory.standard().withProvider(Algorithm.AES_CBC, p);
    byte[] buf = new byte[48];
    EncryptionTransform in =
        f.encryption(Algorithm.AES_CBC, key(Algorithm.AES_CBC), Direction.INBOUND);
    assertThatThrownBy(() -> in.encrypt(buf, 0, buf, 16, 32))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outbound");
    assertThatThrownBy(() -> in.nextIv(buf, 0)).isInstanceOf(IllegalStateException.class);
    EncryptionTransform out =
        f.encryption(Algorithm.AES_CBC, key(Algorithm.AES_CBC), Direction.OUTBOUND);
    assertThatThrownBy(() -> out.decrypt(buf, 0, buf, 16, 32))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inbound");
    AeadTransform open =
        TransformFactory.standard()
            .withProvider(Algorithm.AES_GCM_16, p)
            .aead(Algorithm.AES_GCM_16, key(Algorithm.AES_GCM_16), Direction.INBOUND);
    assertThatThrownBy(() -> open.seal(buf, 0, 8, buf, 8, buf, 16, 16, buf, 32))
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = CryptoProvider.class,
      names = {"JCE", "BOUNCY_CASTLE"})
  void badInboundRangesGiveFalseAndLeaveTheBufferAlone(CryptoProvider p) {
    TransformFactory f =
        TransformFactory.standard()
            .withProvider(Algorithm.AES_CBC, p)
            .withProvider(Algorithm.HMAC_SHA1_96, p)
            .withProvider(Algorithm.AES_GCM_16, p);
    byte[] buf = new byte[64];
    new java.util.Random(1).nextBytes(buf);
    byte[] before = buf.clone();
    EncryptionTransform in =
        f.encryption(Algorithm.AES_CBC, key(Algorithm.AES_CBC), Direction.INBOUND);
    assertThat(in.decrypt(buf, 0, buf, 16, 33)).as("not a multiple of 16").isFalse();
    assertThat(in.decrypt(buf, 0, buf, 16, 64)).as("past the end").isFalse();
    assertThat(in.decrypt(buf, 60, buf, 16, 16)).as("IV past the end").isFalse();
    assertThat(in.decrypt(buf, 0, buf, -16, 16)).as("negative offset").isFalse();
    assertThat(buf).isEqualTo(before);
    IntegrityTransform mac =
        f.integrity(Algorithm.HMAC_SHA1_96, key(Algorithm.HMAC_SHA1_96), Direction.INBOUND);
    assertThat(mac.verify(buf, 0, 60, buf, 60)).as("ICV runs past the end").isFalse();
    AeadTransform gcm = f.aead(Algorithm.AES_GCM_16, key(Algorithm.AES_GCM_16), Direction.INBOUND);
    assertThat(gcm.open(buf, 0, 8, buf, 8, buf, 16, 40, buf, 56)).as("ICV past the end").isFalse();
    assertThat(gcm.open(buf, 0, 8, buf, 8, buf, 16, 32, buf, 48)).as("wrong ICV").isFalse();
    if (p == CryptoProvider.JCE) {
      assertThat(buf).as("JCE checks the tag before writing plaintext").isEqualTo(before);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = CryptoProvider.class,
      names = {"JCE", "BOUNCY_CASTLE"})
  void gcmRefusesToSealTwiceWithTheSameIv(CryptoProvider p) {
    AeadTransform out =
        TransformFactory.standard()
            .withProvider(Algorithm.AES_GCM_16, p)
            .aead(Algorithm.AES_GCM_16, key(Algorithm.AES_GCM_16), Direction.OUTBOUND);
    byte[] buf = new byte[64];
    out.seal(buf, 0, 8, buf, 8, buf, 16, 32, buf, 48);
    assertThatThrownBy(() -> out.seal(buf, 0, 8, buf, 8, buf, 16, 32, buf, 48))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("IV reused");
    buf[15] ^= 1; // a different IV works again
    out.seal(buf, 0, 8, buf, 8, buf, 16, 32, buf, 48);
  }

  @Test
  void outboundMisuseThrowsClearly() {
    EncryptionTransform out =
        TransformFactory.standard()
            .encryption(Algorithm.AES_CBC, key(Algorithm.AES_CBC), Direction.OUTBOUND);
    byte[] buf = new byte[48];
    assertThatThrownBy(() -> out.encrypt(buf, 0, buf, 16, 17))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("plaintext length=17 is not a multiple of block size=16");
    assertThatThrownBy(() -> out.encrypt(buf, 0, buf, 16, 48))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  /**
   * The paths documented as allocation-free must stay so (bytes counted by the JVM for this thread,
   * not time). GCM allocates inside both libraries and is not listed.
   */
  @Test
  void steadyStatePacketsAllocateNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    TransformFactory f = TransformFactory.deterministic(9);
    byte[] buf = new byte[16 + 1408 + 16];
    List<Runnable> paths =
        List.of(
            cbc(f, Algorithm.AES_CBC, CryptoProvider.JCE, buf),
            cbc(f, Algorithm.AES_CBC, CryptoProvider.BOUNCY_CASTLE, buf),
            cbc(f, Algorithm.TRIPLE_DES_CBC, CryptoProvider.JCE, buf),
            cbc(f, Algorithm.TRIPLE_DES_CBC, CryptoProvider.BOUNCY_CASTLE, buf),
            cbc(f, Algorithm.DES_CBC, CryptoProvider.BOUNCY_CASTLE, buf),
            hmac(f, Algorithm.HMAC_SHA1_96, CryptoProvider.BOUNCY_CASTLE, buf),
            hmac(f, Algorithm.HMAC_SHA2_256_128, CryptoProvider.BOUNCY_CASTLE, buf),
            hmac(f, Algorithm.HMAC_MD5_96, CryptoProvider.BOUNCY_CASTLE, buf),
            hmac(f, Algorithm.HMAC_SHA1_96, CryptoProvider.JCE, buf),
            hmac(f, Algorithm.HMAC_SHA2_256_128, CryptoProvider.JCE, buf),
            hmac(f, Algorithm.HMAC_MD5_96, CryptoProvider.JCE, buf));
    for (Runnable path : paths) {
      for (int i = 0; i < 2000; i++) {
        path.run(); // warm up: class loading, first-call allocations
      }
      // Best of five rounds: a real per-packet allocation shows in every round, a one-off event
      // of the JVM (a compilation switching code, a TLAB refill) in one at most.
      long tid = Thread.currentThread().getId();
      long best = Long.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 200; i++) {
          path.run();
        }
        best = Math.min(best, (threads.getThreadAllocatedBytes(tid) - before) / 200);
      }
      assertThat(best).as("bytes per packet, " + path).isLessThan(8);
    }
  }

  private static Runnable cbc(TransformFactory f, Algorithm alg, CryptoProvider p, byte[] buf) {
    TransformFactory g = f.withProvider(alg, p);
    EncryptionTransform out = g.encryption(alg, key(alg), Direction.OUTBOUND);
    EncryptionTransform in = g.encryption(alg, key(alg), Direction.INBOUND);
    return new Runnable() {
      @Override
      public void run() {
        out.nextIv(buf, 0);
        out.encrypt(buf, 0, buf, 16, 1408);
        in.decrypt(buf, 0, buf, 16, 1408);
      }

      @Override
      public String toString() {
        return alg.setkeyName() + " " + p;
      }
    };
  }

  private static Runnable hmac(TransformFactory f, Algorithm alg, CryptoProvider p, byte[] buf) {
    IntegrityTransform m = f.withProvider(alg, p).integrity(alg, key(alg), Direction.INBOUND);
    return new Runnable() {
      @Override
      public void run() {
        m.compute(buf, 0, 1400, buf, 1400);
        m.verify(buf, 0, 1400, buf, 1400);
      }

      @Override
      public String toString() {
        return alg.setkeyName() + " " + p;
      }
    };
  }
}
