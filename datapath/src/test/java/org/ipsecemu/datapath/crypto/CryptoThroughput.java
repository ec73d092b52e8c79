package org.ipsecemu.datapath.crypto;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * A quick plain-loop throughput comparison of both providers for every algorithm on 1400-byte
 * packets, with bytes allocated per packet; the source of the numbers in the package documentation.
 * Not a test and not a benchmark of record (that is JMH in {@code bench/}): run it by hand, on a
 * quiet machine, with
 *
 * <pre>
 * java -cp datapath/target/classes:datapath/target/test-classes:sadb/target/classes:$BCPROV \
 *     org.ipsecemu.datapath.crypto.CryptoThroughput [seconds-per-case] [rounds]
 * </pre>
 *
 * Every case is warmed up first, then all cases run in turn, {@code rounds} times; the best round
 * of each is printed (the least disturbed by other load on the machine).
 */
public final class CryptoThroughput {
  private static final int PACKET = 1400;

  /** 1400 bytes padded to the cipher block, as ESP would (RFC 4303 §2.4). */
  private static final int CBC_PACKET = 1408;

  private CryptoThroughput() {}

  /** One measured operation on one packet. */
  private interface Op {
    void run() throws Exception;
  }

  private record Result(String name, double mbPerSecond, double bytesPerOp) {}

  private record Case(String name, int bytes, Op op) {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<Case> results = new ArrayList<>();
    TransformFactory base = TransformFactory.deterministic(1);
    for (Algorithm alg : List.of(Algorithm.AES_CBC, Algorithm.TRIPLE_DES_CBC, Algorithm.DES_CBC)) {
      for (CryptoProvider p : List.of(CryptoProvider.JCE, CryptoProvider.BOUNCY_CASTLE)) {
        TransformFactory f = base.withProvider(alg, p);
        byte[] key = key(alg.maxKeyBits() / 8);
        EncryptionTransform out = f.encryption(alg, key, Direction.OUTBOUND);
        EncryptionTransform in = f.encryption(alg, key, Direction.INBOUND);
        byte[] buf = new byte[16 + CBC_PACKET];
        results.add(
            new Case(
                alg.setkeyName() + " encrypt " + p,
                CBC_PACKET,
                () -> {
                  out.nextIv(buf, 0);
                  out.encrypt(buf, 0, buf, 16, CBC_PACKET);
                }));
        results.add(
            new Case(
                alg.setkeyName() + " decrypt " + p,
                CBC_PACKET,
                () -> in.decrypt(buf, 0, buf, 16, CBC_PACKET)));
      }
    }
    results.add(jceCbcInitPerPacket());
    for (Algorithm alg :
        List.of(Algorithm.HMAC_SHA1_96, Algorithm.HMAC_SHA2_256_128, Algorithm.HMAC_MD5_96)) {
      for (CryptoProvider p : List.of(CryptoProvider.JCE, CryptoProvider.BOUNCY_CASTLE)) {
        IntegrityTransform mac =
            base.withProvider(alg, p).integrity(alg, key(alg.maxKeyBits() / 8), Direction.INBOUND);
        byte[] buf = new byte[PACKET + 16];
        results.add(
            new Case(
                alg.setkeyName() + " verify " + p,
                PACKET,
                () -> mac.verify(buf, 0, PACKET, buf, PACKET)));
      }
    }
    Algorithm gcm = Algorithm.AES_GCM_16;
    for (CryptoProvider p : List.of(CryptoProvider.JCE, CryptoProvider.BOUNCY_CASTLE)) {
      TransformFactory f = base.withProvider(gcm, p);
      byte[] key = key(20);
      AeadTransform seal = f.aead(gcm, key, Direction.OUTBOUND);
      AeadTransform open = f.aead(gcm, key, Direction.INBOUND);
      byte[] buf = new byte[16 + PACKET + 16];
      results.add(
          new Case(
              "aes-gcm-16 seal " + p,
              PACKET,
              () -> {
                seal.nextIv(buf, 8);
                seal.seal(buf, 0, 8, buf, 8, buf, 16, PACKET, buf, 16 + PACKET);
              }));
      byte[] sealed = new byte[buf.length];
      seal.nextIv(sealed, 8);
      seal.seal(sealed, 0, 8, sealed, 8, sealed, 16, PACKET, sealed, 16 + PACKET);
      byte[] work = new byte[buf.length];
      results.add(
          new Case(
              "aes-gcm-16 open " + p + " (incl. 1.4 KB copy)",
              PACKET,
              () -> {
                System.arraycopy(sealed, 0, work, 0, sealed.length);
                if (!open.open(work, 0, 8, work, 8, work, 16, PACKET, work, 16 + PACKET)) {
                  throw new AssertionError("open failed");
                }
              }));
    }
    for (Case c : results) {
      warm(c.op, Math.max(1.0, seconds));
    }
    Result[] best = new Result[results.size()];
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < results.size(); i++) {
        Case c = results.get(i);
        Result r = measure(c.name, seconds, c.bytes, c.op);
        if (best[i] == null || r.mbPerSecond > best[i].mbPerSecond) {
          best[i] = r;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%-48s %10s %12s%n",
        "case (1400-byte packets), best of " + rounds,
        "MB/s",
        "bytes/op");
    for (Result r : best) {
      System.out.printf(Locale.ROOT, "%-48s %10.1f %12.0f%n", r.name, r.mbPerSecond, r.bytesPerOp);
    }
  }

  /** The naive JCE way, for comparison: {@code Cipher.init} with a new IV for every packet. */
  private static Case jceCbcInitPerPacket() throws Exception {
    Cipher c = Cipher.getInstance("AES/CBC/NoPadding", "SunJCE");
    SecretKeySpec k = new SecretKeySpec(key(32), "AES");
    byte[] iv = new byte[16];
    byte[] buf = new byte[CBC_PACKET];
    return new Case(
        "aes-cbc decrypt JCE init-per-packet (naive)",
        CBC_PACKET,
        () -> {
          c.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(iv));
          c.update(buf, 0, CBC_PACKET, buf, 0);
        });
  }

  private static byte[] key(int length) {
    byte[] k = new byte[length];
    for (int i = 0; i < length; i++) {
      k[i] = (byte) (0x31 + 7 * i);
    }
    return k;
  }

  private static void warm(Op op, double seconds) throws Exception {
    long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < warmEnd) {
      for (int i = 0; i < 100; i++) {
        op.run();
      }
    }
  }

  private static Result measure(String name, double seconds, int bytes, Op op) throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long ops = 0;
    long alloc0 = threads.getThreadAllocatedBytes(tid);
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    long now;
    do {
      for (int i = 0; i < 100; i++) {
        op.run();
      }
      ops += 100;
      now = System.nanoTime();
    } while (now < end);
    long alloc = threads.getThreadAllocatedBytes(tid) - alloc0;
    double mbps = ops * (double) bytes / ((now - t0) / 1e9) / 1e6;
    return new Result(name, mbps, alloc / (double) ops);
  }
}
