package org.ipsecemu.bench;

import java.util.concurrent.TimeUnit;
import org.ipsecemu.datapath.ah.AhProcessor;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.wire.SockAddr;
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
 * AH alone (RFC 4302 §3.3 and §3.4), one transport-mode IPv4 packet per operation through {@link
 * AhProcessor} on the SA's datapath state ({@link SaContext}: the MAC the datapath chose, sequence
 * numbers, lifetime charge): the ICV over the IP header with its mutable fields zeroed, the AH
 * header and the payload. No lookup, no policy, no counters (those are {@link PipelineBench}'s).
 * Compare each figure with {@link CryptoBaselineBench}'s {@code ah/...} rows: the bare MAC over the
 * same byte count.
 *
 * <p>{@code size} is the payload: the bytes after the IP header (a UDP header and {@code size - 8}
 * bytes of data). Outbound copies the cleartext packet into the work buffer (processing is in
 * place) and protects it. Inbound copies one of 64 pre-made packets (sequence numbers 1..64) into
 * the receive buffer and takes it back; the SA's anti-replay window is off ({@code replay 0}), or
 * the packets could not come round again.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar AhBench -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AhBench {
  private static final String A = "192.0.2.1";
  private static final String B = "192.0.2.2";
  private static final int SPI = 0x1001;
  private static final int PACKETS = 64;

  /** The integrity algorithm, as {@code setkey -A} names it. */
  @Param({"hmac-md5", "hmac-sha1"})
  public String alg;

  /** Payload bytes: what follows the IP header. */
  @Param({"64", "1400"})
  public int size;

  private KeyEngine engine;
  private SaContext sa;
  private final AhProcessor ah = new AhProcessor();
  private final IpPacket packet = new IpPacket();
  private byte[] plain;
  private final byte[] work = new byte[4096];
  private byte[][] received;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    engine = KeyEngine.create();
    Lab.Suite suite = Lab.Suite.parse("ah/" + alg);
    try (PfKeySocket socket = engine.open(Credentials.root(1))) {
      Lab.addSa(socket, suite, SPI, A, B, false, 0);
    }
    SecurityAssociation s =
        engine.getassocbyspi(SockAddr.parseAddress(B), SPI, AhProcessor.PROTOCOL);
    sa = new SaContext(s, TransformFactory.standard(), null);
    plain = Lab.ipv4Udp(A, B, size, 5000);
    received = new byte[PACKETS][];
    for (int i = 0; i < PACKETS; i++) {
      int length = protect();
      received[i] = java.util.Arrays.copyOfRange(work, ah.offset(), ah.offset() + length);
    }
    // The inbound side is built by its first packet; build it now, outside the measurement.
    if (unprotect() != plain.length) {
      throw new IllegalStateException("inbound does not give the cleartext back");
    }
    next = 0;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  /** Protects one packet; returns the AH packet's length. */
  @Benchmark
  public int outbound() {
    return protect();
  }

  /** Copies one AH packet into the receive buffer and takes it back; returns the cleartext's. */
  @Benchmark
  public int inbound() {
    return unprotect();
  }

  private int protect() {
    int at = 1024;
    System.arraycopy(plain, 0, work, at, plain.length);
    packet.parse(work, at, plain.length);
    if (ah.outbound(sa, packet, 0, work.length) != OutboundVerdict.OK) {
      throw new IllegalStateException("outbound");
    }
    return ah.length();
  }

  private int unprotect() {
    byte[] p = received[next];
    next = (next + 1) & (PACKETS - 1);
    System.arraycopy(p, 0, work, 0, p.length);
    packet.parse(work, 0, p.length);
    if (ah.inbound(sa, packet) != Verdict.OK) {
      throw new IllegalStateException("inbound");
    }
    return ah.length();
  }
}
