package org.ipsecemu.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.datapath.serve.ControlHandler;
import org.ipsecemu.datapath.serve.ControlServer;
import org.ipsecemu.datapath.serve.PeerAccess;
import org.ipsecemu.datapath.serve.PfKeyServer;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.AuthAlgorithm;
import org.ipsecemu.sadb.wire.EncryptAlgorithm;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecLevel;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PolicyDirection;
import org.ipsecemu.sadb.wire.PolicyExtension;
import org.ipsecemu.sadb.wire.PolicyType;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaState;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code ipsec-emu serve} costs a client per request, over its real Unix sockets: a PF_KEY
 * SADB_GET answered with the SA and its keys (RFC 2367 §3.1.5), against the same request on an
 * in-process engine socket; and an outbound packet on the control socket (JSON and hex both ways,
 * ESP with AES-CBC and HMAC-SHA-256 on a 64-byte UDP payload). One client, one request in flight.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar ServeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServeBenchmark {
  private static final String A = "192.0.2.1";
  private static final String B = "192.0.2.2";
  private static final int ESP = SaType.SADB_SATYPE_ESP.value();

  private Path dir;
  private KeyEngine engine;
  private Datapath datapath;
  private PfKeyServer pfkeyServer;
  private ControlServer controlServer;
  private PfKeySocket local;
  private SocketChannel pfkey;
  private SocketChannel control;
  private SadbMessage get;
  private ByteBuffer getBytes;
  private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
  private final ByteBuffer body = ByteBuffer.allocate(65536);
  private ByteBuffer packetLine;
  private final ByteBuffer answer = ByteBuffer.allocate(1 << 16);

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("serve-bench");
    engine = KeyEngine.builder().seed(1).build();
    datapath = Datapath.builder(engine).transforms(TransformFactory.deterministic(1)).build();
    local = engine.open(Credentials.root(1));
    SaExtension sa =
        new SaExtension(
            0x1001,
            0,
            SaState.SADB_SASTATE_MATURE.value(),
            AuthAlgorithm.SADB_X_AALG_SHA2_256HMAC.value(),
            EncryptAlgorithm.SADB_X_EALG_AESCBC.value(),
            0);
    List<SadbExtension> add =
        List.of(
            sa,
            address(ExtensionType.SADB_EXT_ADDRESS_SRC, A),
            address(ExtensionType.SADB_EXT_ADDRESS_DST, B),
            KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, new byte[32]),
            KeyExtension.of(ExtensionType.SADB_EXT_KEY_ENCRYPT, new byte[16]));
    Lab.check(local.call(Lab.message(MessageType.SADB_ADD, ESP, add)));
    Lab.check(
        local.call(
            Lab.message(
                MessageType.SADB_X_SPDADD,
                0,
                List.of(
                    new AddressExtension(
                        ExtensionType.SADB_EXT_ADDRESS_SRC, 255, 32, SockAddr.parse(A, 0)),
                    new AddressExtension(
                        ExtensionType.SADB_EXT_ADDRESS_DST, 255, 32, SockAddr.parse(B, 0)),
                    new PolicyExtension(
                        PolicyType.IPSEC_POLICY_IPSEC.value(),
                        PolicyDirection.IPSEC_DIR_OUTBOUND.value(),
                        0,
                        0,
                        List.of(
                            PolicyExtension.IpsecRequest.of(
                                50,
                                IpsecMode.IPSEC_MODE_TRANSPORT,
                                IpsecLevel.IPSEC_LEVEL_REQUIRE,
                                0)))))));
    get =
        Lab.message(
            MessageType.SADB_GET,
            ESP,
            List.of(
                new SaExtension(0x1001, 0, 0, 0, 0, 0),
                address(ExtensionType.SADB_EXT_ADDRESS_SRC, A),
                address(ExtensionType.SADB_EXT_ADDRESS_DST, B)));
    getBytes = ByteBuffer.wrap(engine.codec().encode(get));

    PeerAccess access = PeerAccess.of(List.of());
    pfkeyServer = PfKeyServer.start(engine, dir.resolve("pfkey.sock"), access);
    controlServer =
        ControlServer.start(
            new ControlHandler(datapath), dir.resolve("control.sock"), access, line -> {});
    pfkey = SocketChannel.open(StandardProtocolFamily.UNIX);
    pfkey.connect(UnixDomainSocketAddress.of(pfkeyServer.path()));
    control = SocketChannel.open(StandardProtocolFamily.UNIX);
    control.connect(UnixDomainSocketAddress.of(controlServer.path()));
    packetLine =
        ByteBuffer.wrap(
            ("{\"op\":\"packet\",\"direction\":\"out\",\"hex\":\""
                    + HexFormat.of().formatHex(udp(64))
                    + "\"}\n")
                .getBytes(StandardCharsets.US_ASCII));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    pfkey.close();
    control.close();
    pfkeyServer.close();
    controlServer.close();
    datapath.close();
    engine.close();
    Files.deleteIfExists(dir);
  }

  /** The baseline: SADB_GET on an engine socket in this JVM, no socket, no framing. */
  @Benchmark
  public SadbMessage getInProcess() {
    return local.call(get);
  }

  /** SADB_GET written to the served PF_KEY socket, its reply read back whole. */
  @Benchmark
  public int getOverTheSocket() throws IOException {
    getBytes.clear();
    while (getBytes.hasRemaining()) {
      pfkey.write(getBytes);
    }
    header.clear();
    while (header.hasRemaining()) {
      pfkey.read(header);
    }
    int len = (header.getShort(4) & 0xFFFF) * 8;
    body.clear().limit(len - 16);
    while (body.hasRemaining()) {
      pfkey.read(body);
    }
    return header.get(2) + len;
  }

  /** One outbound packet on the control socket: its ESP form comes back as hex in JSON. */
  @Benchmark
  public int packetOverTheControlSocket() throws IOException {
    packetLine.clear();
    while (packetLine.hasRemaining()) {
      control.write(packetLine);
    }
    answer.clear();
    while (true) {
      int before = answer.position();
      control.read(answer);
      for (int i = before; i < answer.position(); i++) {
        if (answer.get(i) == '\n') {
          return answer.position();
        }
      }
    }
  }

  private static AddressExtension address(ExtensionType kind, String a) {
    return AddressExtension.host(kind, SockAddr.parse(a, 0));
  }

  /** IPv4 (checksum 0: the datapath does not check it outbound) and UDP with n payload bytes. */
  private static byte[] udp(int n) {
    ByteBuffer b = ByteBuffer.allocate(28 + n);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + n)).putInt(0);
    b.put((byte) 64).put((byte) 17).putShort((short) 0);
    b.put(SockAddr.parseAddress(A).getAddress()).put(SockAddr.parseAddress(B).getAddress());
    b.putShort((short) 5000).putShort((short) 7).putShort((short) (8 + n)).putShort((short) 0);
    return b.array();
  }
}
