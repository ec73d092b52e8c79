package org.ipsecemu.bench;

import java.util.concurrent.TimeUnit;
import org.ipsecemu.datapath.esp.EspProcessor;
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
 * ESP alone (RFC 4303 §3.3 and §3.4), one transport-mode IPv4 packet per operation through {@link
 * EspProcessor} on the SA's datapath state ({@link SaContext}: the transforms the datapath chose,
 * sequence numbers, lifetime charge): no lookup, no policy, no counters (those are {@link
 * PipelineBench}'s). Compare each figure with {@link CryptoBaselineBench} on the same {@code alg}
 * and {@code size}: the bare cipher and MAC over the same byte counts.
 *
 * <p>{@code size} is the ESP payload data: the bytes after the IP header, which transport mode
 * encrypts (a UDP header and {@code size - 8} bytes of data). Outbound copies the cleartext packet
 * into the work buffer (processing is in place) and protects it. Inbound copies one of 64 pre-made
 * packets (sequence numbers 1..64) into the receive buffer and takes it back; the SA's anti-replay
 * window is off ({@code replay 0}), or the packets could not come round again.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar EspBench -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class EspBench extends TransformBench {
  /** Encryption/integrity, as {@code setkey -E ... -A ...} names them, or the combined mode. */
  @Param({
    "des-cbc/hmac-md5",
    "3des-cbc/hmac-sha1",
    "null/hmac-sha1",
    "aes-cbc/hmac-sha1",
    "aes-gcm-16"
  })
  public String alg;

  /** Payload bytes: what follows the IP header and ESP encrypts. */
  @Param({"64", "512", "1400"})
  public int size;

  private final EspProcessor esp = new EspProcessor();

  @Override
  String suite() {
    return alg;
  }

  @Override
  int payloadSize() {
    return size;
  }

  @Override
  int protocol() {
    return EspProcessor.PROTOCOL;
  }

  @Override
  OutboundVerdict protect(SaContext sa, IpPacket packet, int floor, int ceiling) {
    return esp.outbound(sa, packet, floor, ceiling);
  }

  @Override
  Verdict unprotect(SaContext sa, IpPacket packet) {
    return esp.inbound(sa, packet);
  }

  @Override
  int offset() {
    return esp.offset();
  }

  @Override
  int length() {
    return esp.length();
  }
}
