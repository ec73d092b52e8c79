package org.ipsecemu.bench;

import java.util.concurrent.TimeUnit;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.datapath.pipeline.PacketContext;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole packet from raw bytes to verdict through {@link Datapath}, counters included. Outbound:
 * parsing, flow selectors, {@code getassocbysocket}, ESP or AH (encapsulation, sequence number, IV,
 * encryption, ICV), per-SA and total counters. Inbound: parsing, {@code getassocbyspi}, ICV,
 * decryption, padding, decapsulation, the inbound policy check, counters. One SA and one outbound
 * policy, configured through PF_KEY as a key manager would.
 *
 * <p>{@code size} is the cleartext packet's payload after its IPv4 header (a UDP header and {@code
 * size - 8} bytes of data), as in {@link EspBench}; tunnel mode also protects the inner header.
 * Inbound packets are made once (64 of them, sequence numbers 1..64) and copied into the receive
 * buffer inside the benchmark, since processing is in place; the SA's anti-replay window is off
 * ({@code replay 0}), so the packets can come round again and every one is processed in full.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar PipelineBench -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class PipelineBench {
  private static final String A = "192.0.2.1";
  private static final String B = "192.0.2.2";
  private static final int PACKETS = 64;

  /** ESP {@code cipher/mac} or combined mode, or {@code ah/mac}. */
  @Param({"aes-cbc/hmac-sha1", "aes-gcm-16", "ah/hmac-sha1"})
  public String alg;

  @Param({"transport", "tunnel"})
  public String mode;

  /** Payload bytes after the cleartext packet's IP header. */
  @Param({"64", "1400"})
  public int size;

  private KeyEngine engine;
  private Datapath dp;
  private PacketContext ctx;
  private byte[] plain;
  private byte[][] received;
  private byte[] rx;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    engine = KeyEngine.create();
    dp = Datapath.builder(engine).transforms(TransformFactory.standard()).build();
    ctx = dp.newContext();
    Lab.Suite suite = Lab.Suite.parse(alg);
    boolean tunnel = mode.equals("tunnel");
    String src = tunnel ? "10.1.0.1" : A;
    String dst = tunnel ? "10.2.0.1" : B;
    try (PfKeySocket socket = engine.open(Credentials.root(1))) {
      Lab.addSa(socket, suite, 0x1001, A, B, tunnel, 0);
      Lab.addOutboundPolicy(socket, suite, src, 32, dst, 32, tunnel, A, B);
    }
    plain = Lab.ipv4Udp(src, dst, size, 5000);
    received = new byte[PACKETS][];
    for (int i = 0; i < PACKETS; i++) {
      if (dp.outbound(plain, 0, plain.length, ctx) != OutboundVerdict.OK) {
        throw new IllegalStateException("outbound failed while preparing packets");
      }
      received[i] = ctx.output();
    }
    rx = new byte[PacketContext.CAPACITY];
    // The inbound side is built by its first packet; build it now, outside the measurement.
    inbound();
    next = 0;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    dp.close();
    engine.close();
  }

  /** Protects one packet; returns its length. */
  @Benchmark
  public int outbound() {
    if (dp.outbound(plain, 0, plain.length, ctx) != OutboundVerdict.OK) {
      throw new IllegalStateException("outbound");
    }
    return ctx.length();
  }

  /** Copies one protected packet into the receive buffer and takes it back; returns its length. */
  @Benchmark
  public int inbound() {
    byte[] p = received[next];
    next = (next + 1) & (PACKETS - 1);
    System.arraycopy(p, 0, rx, 0, p.length);
    if (dp.inbound(rx, 0, p.length, ctx) != Verdict.OK) {
      throw new IllegalStateException("inbound");
    }
    return ctx.length();
  }
}
