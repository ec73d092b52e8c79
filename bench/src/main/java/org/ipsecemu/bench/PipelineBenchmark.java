package org.ipsecemu.bench;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.datapath.pipeline.PacketContext;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
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
 * The whole ESP/AH pipeline per packet: policy lookup, {@code getassocbysocket}, encapsulation,
 * encryption and ICV outbound; {@code getassocbyspi}, ICV, decryption, padding, decapsulation and
 * the inbound policy check inbound. One SA, configured through PF_KEY as a key manager would.
 *
 * <p>Inbound packets are made once (1024 of them, sequence numbers 1..1024) and copied into the
 * receive buffer inside the benchmark, since processing is in place; the SA has no replay window,
 * so the packets can come round again and every one is processed in full. Run with {@code -prof gc}
 * for the bytes allocated per packet ({@code gc.alloc.rate.norm}).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar PipelineBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {
  private static final String A = "192.0.2.1";
  private static final String B = "192.0.2.2";
  private static final int PACKETS = 1024;

  /** ESP encryption/integrity, or AH with an integrity algorithm. */
  @Param({"esp:aes-cbc:hmac-sha1", "esp:aes-gcm-16:", "esp:3des-cbc:hmac-sha1", "ah::hmac-sha1"})
  public String suite;

  @Param({"transport", "tunnel"})
  public String mode;

  /** Bytes of UDP payload. */
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
    dp = Datapath.builder(engine).transforms(TransformFactory.deterministic(1)).build();
    ctx = dp.newContext();
    String[] s = suite.split(":", -1);
    boolean esp = s[0].equals("esp");
    boolean tunnel = mode.equals("tunnel");
    Algorithm enc = s[1].isEmpty() ? null : Algorithm.encryptByName(s[1]).orElseThrow();
    Algorithm auth = s[2].isEmpty() ? null : Algorithm.authByName(s[2]).orElseThrow();
    String src = tunnel ? "10.1.0.1" : A;
    String dst = tunnel ? "10.2.0.1" : B;
    try (PfKeySocket socket = engine.open(Credentials.root(1))) {
      List<SadbExtension> ext = new ArrayList<>();
      ext.add(
          new SaExtension(
              0x1001, 0, 1, auth == null ? 0 : auth.id(), enc == null ? 0 : enc.id(), 0));
      int saMode =
          tunnel ? IpsecMode.IPSEC_MODE_TUNNEL.value() : IpsecMode.IPSEC_MODE_TRANSPORT.value();
      ext.add(new Sa2Extension(saMode, 0, 0));
      ext.add(address(ExtensionType.SADB_EXT_ADDRESS_SRC, A));
      ext.add(address(ExtensionType.SADB_EXT_ADDRESS_DST, B));
      if (auth != null) {
        ext.add(KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, key(auth.maxKeyBits() / 8)));
      }
      if (enc != null) {
        ext.add(KeyExtension.of(ExtensionType.SADB_EXT_KEY_ENCRYPT, key(enc.maxKeyBits() / 8)));
      }
      int satype = (esp ? SaType.SADB_SATYPE_ESP : SaType.SADB_SATYPE_AH).value();
      check(socket.call(message(MessageType.SADB_ADD, satype, ext)));
      PolicyExtension.IpsecRequest request =
          new PolicyExtension.IpsecRequest(
              esp ? 50 : 51,
              saMode,
              IpsecLevel.IPSEC_LEVEL_REQUIRE.value(),
              0,
              tunnel ? SockAddr.parse(A, 0) : null,
              tunnel ? SockAddr.parse(B, 0) : null);
      check(
          socket.call(
              message(
                  MessageType.SADB_X_SPDADD,
                  0,
                  List.of(
                      address(ExtensionType.SADB_EXT_ADDRESS_SRC, src),
                      address(ExtensionType.SADB_EXT_ADDRESS_DST, dst),
                      new PolicyExtension(
                          PolicyType.IPSEC_POLICY_IPSEC.value(),
                          PolicyDirection.IPSEC_DIR_OUTBOUND.value(),
                          0,
                          0x8000_0000L,
                          List.of(request))))));
    }
    plain = udpPacket(src, dst, size);
    received = new byte[PACKETS][];
    for (int i = 0; i < PACKETS; i++) {
      if (dp.outbound(plain, 0, plain.length, ctx) != OutboundVerdict.OK) {
        throw new IllegalStateException("outbound failed while preparing packets");
      }
      received[i] = ctx.output();
    }
    rx = new byte[PacketContext.CAPACITY];
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

  private static byte[] key(int bytes) {
    byte[] k = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      int v = (i * 37 + 0x35) & 0xfe;
      k[i] = (byte) (Integer.bitCount(v) % 2 == 0 ? v | 1 : v); // odd DES parity
    }
    return k;
  }

  private static AddressExtension address(ExtensionType kind, String a) {
    return new AddressExtension(kind, 255, 32, SockAddr.parse(a, 0));
  }

  private static SadbMessage message(MessageType type, int satype, List<SadbExtension> ext) {
    return new SadbMessage(SadbMessage.PF_KEY_V2, type, 0, satype, 0, 1, 1, ext);
  }

  private static void check(SadbMessage reply) {
    if (reply.errno() != 0) {
      throw new IllegalStateException(reply.type() + " errno=" + reply.errno());
    }
  }

  /** IPv4 / UDP with {@code size} bytes of payload. */
  private static byte[] udpPacket(String src, String dst, int size) {
    byte[] p = new byte[28 + size];
    p[0] = 0x45;
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    p[8] = 64;
    p[9] = 17;
    System.arraycopy(SockAddr.parse(src, 0).address(), 0, p, 12, 4);
    System.arraycopy(SockAddr.parse(dst, 0).address(), 0, p, 16, 4);
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
    p[20] = 0x13;
    p[21] = (byte) 0x88;
    p[22] = 0;
    p[23] = 53;
    p[24] = (byte) ((8 + size) >> 8);
    p[25] = (byte) (8 + size);
    byte[] data = HexFormat.of().parseHex("0123456789abcdef");
    for (int i = 0; i < size; i++) {
      p[28 + i] = data[i % data.length];
    }
    return p;
  }
}
