package org.ipsecemu.bench;

import java.util.concurrent.TimeUnit;
import org.ipsecemu.datapath.ah.AhProcessor;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.Verdict;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
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
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AhBench extends TransformBench {
  /** The integrity algorithm, as {@code setkey -A} names it. */
  @Param({"hmac-md5", "hmac-sha1"})
  public String alg;

  /** Payload bytes: what follows the IP header. */
  @Param({"64", "1400"})
  public int size;

  private final AhProcessor ah = new AhProcessor();

  @Override
  String suite() {
    return "ah/" + alg;
  }

  @Override
  int payloadSize() {
    return size;
  }

  @Override
  int protocol() {
    return AhProcessor.PROTOCOL;
  }

  @Override
  OutboundVerdict protect(SaContext sa, IpPacket packet, int floor, int ceiling) {
    return ah.outbound(sa, packet, floor, ceiling);
  }

  @Override
  Verdict unprotect(SaContext sa, IpPacket packet) {
    return ah.inbound(sa, packet);
  }

  @Override
  int offset() {
    return ah.offset();
  }

  @Override
  int length() {
    return ah.length();
  }
}
