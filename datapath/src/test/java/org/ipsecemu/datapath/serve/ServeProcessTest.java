package org.ipsecemu.datapath.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipsec-emu serve} as a real, separate process (a child JVM running {@code
 * org.ipsecemu.cli.Main serve --clock manual}), driven over its two Unix sockets by clients in this
 * JVM and by {@code examples/kmd.py} under {@code /usr/bin/python3}: the RFC 2367 exchanges, the
 * §5.1 ACQUIRE story with the packet that caused it, lifetimes moved by {@code advance}, EPERM for
 * an unprivileged peer, a broken stream, and SIGTERM.
 *
 * <p>One server serves the class; each test uses its own connections, SPIs and addresses. Policies
 * come from an {@code --sa} file: {@code 192.0.2.1} protects everything it sends to {@code
 * 192.0.2.9} (the Java key manager's tests) and to {@code 192.0.2.10} (kmd.py's) with ESP.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeProcessTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String JAVA_PEER = "192.0.2.9";
  private static final String KMD_PEER = "192.0.2.10";

  @TempDir static Path dir;
  private static ServeProcess server;
  private static Path pfkey;
  private static Path control;

  @BeforeAll
  static void startServer() throws IOException {
    pfkey = dir.resolve("pfkey.sock");
    control = dir.resolve("control.sock");
    Path policies =
        Files.writeString(
            dir.resolve("policies.conf"),
            "spdadd 192.0.2.1 "
                + JAVA_PEER
                + " any -P out ipsec esp/transport//require;\n"
                + "spdadd 192.0.2.1 "
                + KMD_PEER
                + " any -P out ipsec esp/transport//require;\n");
    server =
        ServeProcess.start(
            ServeProcess.serveCommand(
                "--pfkey", pfkey.toString(),
                "--control", control.toString(),
                "--clock", "manual",
                "--seed", "7",
                "--sa", policies.toString()),
            dir.resolve("serve.err"));
    server.awaitLine(l -> l.startsWith("serve: ready"));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.terminate();
      server.close();
    }
  }

  private static PfKeyClient joined() {
    PfKeyClient c = PfKeyClient.connect(pfkey);
    assertThat(c.call(Km.get(1, "203.0.113.1", "203.0.113.2", 1, 77)).errno())
        .isEqualTo(Errno.ESRCH.number());
    return c;
  }

  @Test
  void registerIsAnsweredWithTheSupportedAlgorithms() {
    try (PfKeyClient kmd = PfKeyClient.connect(pfkey)) {
      SadbMessage reply = kmd.call(Km.register(1, 4242));

      assertThat(reply.errno()).isZero();
      assertThat(reply.has(ExtensionType.SADB_EXT_SUPPORTED_AUTH)).isTrue();
      assertThat(reply.has(ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT)).isTrue();
    }
  }

  @Test
  void getspiHandsOutALarvalSpiInTheRange() {
    try (PfKeyClient kmd = PfKeyClient.connect(pfkey)) {
      SadbMessage reply = kmd.call(Km.getspi("198.51.100.2", "198.51.100.1", 0x3000, 0x30ff, 5, 1));

      assertThat(reply.errno()).isZero();
      assertThat(reply.sa().orElseThrow().spi()).isBetween(0x3000L, 0x30ffL);
      assertThat(reply.sa().get().state()).isEqualTo(SaState.SADB_SASTATE_LARVAL.value());
    }
  }

  @Test
  void updateFromAnotherConnectionIsEacces() {
    try (PfKeyClient creator = PfKeyClient.connect(pfkey);
        PfKeyClient other = PfKeyClient.connect(pfkey)) {
      String s = "198.51.100.12";
      String d = "198.51.100.11";
      long spi = creator.call(Km.getspi(s, d, 0x4000, 0x40ff, 8, 1)).sa().get().spi();

      SadbMessage refused = other.call(Km.sa(MessageType.SADB_UPDATE, spi, s, d, 8, 2));
      SadbMessage accepted = creator.call(Km.sa(MessageType.SADB_UPDATE, spi, s, d, 8, 1));

      assertThat(refused.errno()).isEqualTo(Errno.EACCES.number());
      assertThat(accepted.errno()).isZero();
    }
  }

  @Test
  void addThenGetReturnsTheKeys() {
    try (PfKeyClient kmd = PfKeyClient.connect(pfkey)) {
      String s = "198.51.100.21";
      String d = "198.51.100.22";
      assertThat(kmd.call(Km.sa(MessageType.SADB_ADD, 0x5001, s, d, 3, 1)).errno()).isZero();

      SadbMessage got = kmd.call(Km.get(0x5001, s, d, 4, 1));

      assertThat(got.errno()).isZero();
      assertThat(got.find(ExtensionType.SADB_EXT_KEY_ENCRYPT, KeyExtension.class).get().key())
          .isEqualTo(Km.ENC_KEY);
      assertThat(got.find(ExtensionType.SADB_EXT_KEY_AUTH, KeyExtension.class).get().key())
          .isEqualTo(Km.AUTH_KEY);
    }
  }

  @Test
  void dumpListsTheSasAndEndsWithSeqZero() {
    try (PfKeyClient kmd = PfKeyClient.connect(pfkey)) {
      String s = "198.51.100.31";
      String d = "198.51.100.32";
      for (int i = 0; i < 3; i++) {
        kmd.call(Km.sa(MessageType.SADB_ADD, 0x6000 + i, s, d, 10 + i, 1));
      }

      kmd.send(Km.dump(20, 1));
      List<SadbMessage> dump = new ArrayList<>();
      SadbMessage m;
      do {
        m = kmd.receiveUntil(x -> x.type() == MessageType.SADB_DUMP);
        assertThat(m.errno()).isZero();
        dump.add(m);
      } while (m.seq() != 0);

      assertThat(dump.get(dump.size() - 1).seq()).isZero();
      assertThat(dump).extracting(SadbMessage::seq).isSortedAccordingTo((a, b) -> b.compareTo(a));
      assertThat(dump)
          .extracting(x -> x.sa().orElseThrow().spi())
          .contains(0x6000L, 0x6001L, 0x6002L);
    }
  }

  @Test
  void flushIsSeenByEveryConnection() {
    try (PfKeyClient a = joined();
        PfKeyClient b = joined();
        PfKeyClient c = joined()) {
      a.send(Km.flush(31, 1));

      for (PfKeyClient x : List.of(a, b, c)) {
        SadbMessage f = x.receiveUntil(m -> m.type() == MessageType.SADB_FLUSH);
        assertThat(f.errno()).isZero();
        assertThat(f.seq()).isEqualTo(31);
      }
    }
  }

  @Test
  void anOutboundPacketSendsAnAcquireAndLeavesProtectedAfterTheUpdate() {
    try (PfKeyClient kmd = PfKeyClient.connect(pfkey);
        ControlClient ctl = ControlClient.connect(control)) {
      kmd.call(Km.register(1, 99));
      byte[] plain = Ip4.udp("192.0.2.1", JAVA_PEER, 4000, 53, new byte[] {1, 2, 3});

      JsonNode pending = ctl.ask(packet("out", plain));
      SadbMessage acquire = kmd.receiveUntil(m -> m.type() == MessageType.SADB_ACQUIRE);
      long spi =
          kmd.call(Km.getspi("192.0.2.1", JAVA_PEER, 0x7000, 0x70ff, acquire.seq(), 99))
              .sa()
              .get()
              .spi();
      SadbMessage update =
          kmd.call(Km.sa(MessageType.SADB_UPDATE, spi, "192.0.2.1", JAVA_PEER, acquire.seq(), 99));
      JsonNode next = ctl.ask("{\"op\":\"stats\"}");

      assertThat(pending.get("verdict").asText()).isEqualTo("pending");
      assertThat(pending.get("acquire_seq").asLong()).isEqualTo(acquire.seq());
      assertThat(update.errno()).isZero();
      JsonNode released = next.get("released");
      assertThat(released).hasSize(1);
      byte[] esp = HEX.parseHex(released.get(0).get("hex").asText());
      assertThat(esp[9]).isEqualTo((byte) 50);
      assertThat(Integer.toUnsignedLong(ByteBuffer.wrap(esp, 20, 4).getInt())).isEqualTo(spi);
      assertThat(next.get("outbound").get("acquire").asLong()).isPositive();
    }
  }

  @Test
  void softThenHardExpireArriveAsTheClockAdvances() {
    try (PfKeyClient kmd = PfKeyClient.connect(pfkey);
        ControlClient ctl = ControlClient.connect(control)) {
      String s = "198.51.100.41";
      String d = "198.51.100.42";
      kmd.call(Km.sa(MessageType.SADB_ADD, 0x8001, s, d, 1, 1, Km.soft(100), Km.hard(200)));

      ctl.ask("{\"op\":\"advance\",\"seconds\":150}");
      SadbMessage soft = kmd.receiveUntil(m -> isExpireOf(m, 0x8001));
      ctl.ask("{\"op\":\"advance\",\"seconds\":60}");
      SadbMessage hard = kmd.receiveUntil(m -> isExpireOf(m, 0x8001));

      assertThat(soft.has(ExtensionType.SADB_EXT_LIFETIME_SOFT)).isTrue();
      assertThat(soft.sa().get().state()).isEqualTo(SaState.SADB_SASTATE_DYING.value());
      assertThat(hard.has(ExtensionType.SADB_EXT_LIFETIME_HARD)).isTrue();
      assertThat(kmd.call(Km.get(0x8001, s, d, 9, 1)).errno()).isEqualTo(Errno.ESRCH.number());
    }
  }

  private static boolean isExpireOf(SadbMessage m, long spi) {
    return m.type() == MessageType.SADB_EXPIRE && m.sa().map(x -> x.spi() == spi).orElse(false);
  }

  @Test
  void garbageClosesOnlyItsOwnConnection() {
    try (PfKeyClient good = joined();
        PfKeyClient bad = PfKeyClient.connect(pfkey)) {
      bad.sendRaw("\u0000\u0001garbage, not PF_KEY at all".getBytes(StandardCharsets.US_ASCII));

      byte[] reply = bad.receiveRaw();

      assertThat(reply[2]).isEqualTo((byte) Errno.EINVAL.number());
      assertThat(bad.closedByServer()).isTrue();
      assertThat(good.call(Km.get(0x1, "203.0.113.7", "203.0.113.8", 5, 1)).errno())
          .isEqualTo(Errno.ESRCH.number());
      server.awaitLine(l -> l.contains("stream broken, EINVAL: sadb_msg_version=0"));
    }
  }

  /** kmd.py, the example of the README, answers the ACQUIRE of a packet sent on the control. */
  @Test
  void kmdAnswersTheAcquireOfAnOutboundPacket() throws IOException {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    try (ServeProcess kmd =
            ServeProcess.start(
                List.of(python.toString(), kmdPy().toString(), pfkey.toString(), "--acquires", "1"),
                dir.resolve("kmd.err"));
        ControlClient ctl = ControlClient.connect(control)) {
      kmd.awaitLine(l -> l.startsWith("kmd: registered"));
      byte[] plain =
          Ip4.udp("192.0.2.1", KMD_PEER, 4001, 53, "kmd".getBytes(StandardCharsets.UTF_8));

      JsonNode pending = ctl.ask(packet("out", plain));
      kmd.awaitLine(l -> l.equals("kmd: ACQUIRE seq=" + pending.get("acquire_seq") + " answered"));
      JsonNode after = ctl.ask(packet("out", plain));
      List<String> conversation = kmd.rest();

      assertThat(kmd.waitFor()).isZero();
      assertThat(pending.get("verdict").asText()).isEqualTo("pending");
      assertThat(after.get("released")).hasSize(1);
      assertThat(after.get("verdict").asText()).isEqualTo("ok");
      assertThat(after.get("hex").asText()).startsWith("45").contains("c000020a");
      // RFC 2367 §5.1 in order, with the ACQUIRE's seq on GETSPI and UPDATE.
      long seq = pending.get("acquire_seq").asLong();
      assertThat(conversation)
          .filteredOn(l -> l.startsWith("-> ") || l.startsWith("<- "))
          .extracting(l -> l.split(" ")[0] + " " + l.split(" ")[1])
          .containsSubsequence(
              "-> SADB_REGISTER",
              "<- SADB_REGISTER",
              "<- SADB_ACQUIRE",
              "-> SADB_GETSPI",
              "<- SADB_GETSPI",
              "-> SADB_UPDATE",
              "<- SADB_UPDATE",
              "-> SADB_ADD",
              "<- SADB_ADD");
      assertThat(conversation)
          .anyMatch(l -> l.startsWith("-> SADB_GETSPI") && l.contains(" seq=" + seq + " "))
          .anyMatch(l -> l.startsWith("-> SADB_UPDATE") && l.contains(" seq=" + seq + " "));
      assertThat(String.join("\n", conversation))
          .doesNotContain(HEX.formatHex(Km.ENC_KEY))
          .doesNotContain(HEX.formatHex(Km.AUTH_KEY));
    }
  }

  /**
   * The README's "Talk PF_KEY to the emulator" session as written: its own server with {@code
   * examples/policy.conf}, {@code kmd.py --lifetime 60} and {@code control.py}.
   */
  @Test
  void theReadmeSessionRunsAsWritten() throws IOException {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    Path examples = kmdPy().getParent();
    Path own = Files.createDirectory(dir.resolve("readme"));
    Path p = own.resolve("pfkey.sock");
    Path c = own.resolve("control.sock");
    try (ServeProcess s =
            ServeProcess.start(
                ServeProcess.serveCommand(
                    "--pfkey", p.toString(),
                    "--control", c.toString(),
                    "--clock", "manual",
                    "--sa", examples.resolve("policy.conf").toString()),
                own.resolve("serve.err"));
        ServeProcess kmd = startKmd(python, examples, s, p, own)) {
      JsonNode first = control(python, examples, c, own, "--ping", "192.0.2.1", "192.0.2.2");
      kmd.awaitLine(l -> l.equals("kmd: ACQUIRE seq=1 answered"));
      JsonNode second = control(python, examples, c, own, "--ping", "192.0.2.1", "192.0.2.2");
      control(python, examples, c, own, "{\"op\":\"advance\",\"seconds\":70}");
      kmd.awaitLine(l -> l.startsWith("<- SADB_EXPIRE") && l.endsWith("SOFT lifetime reached"));
      kmd.awaitLine(l -> l.startsWith("<- SADB_EXPIRE") && l.endsWith("HARD lifetime reached"));
      JsonNode stats = control(python, examples, c, own, "{\"op\":\"stats\"}");

      assertThat(first.get("verdict").asText()).isEqualTo("pending");
      assertThat(first.get("acquire_seq").asLong()).isEqualTo(1);
      assertThat(second.get("verdict").asText()).isEqualTo("ok");
      assertThat(second.get("released")).hasSize(1);
      JsonNode pfkeyStats = stats.get("pfkey");
      assertThat(pfkeyStats.get("expire_soft").asLong()).isEqualTo(2); // both directions
      assertThat(pfkeyStats.get("expire_hard").asLong()).isEqualTo(2);
      assertThat(stats.get("outbound").get("ok").asLong()).isEqualTo(2);
    }
  }

  private static ServeProcess startKmd(
      Path python, Path examples, ServeProcess server, Path pfkeySocket, Path own) {
    server.awaitLine(l -> l.startsWith("serve: ready"));
    ServeProcess kmd =
        ServeProcess.start(
            List.of(
                python.toString(),
                examples.resolve("kmd.py").toString(),
                "--lifetime",
                "60",
                pfkeySocket.toString()),
            own.resolve("kmd.err"));
    kmd.awaitLine(l -> l.startsWith("kmd: registered"));
    return kmd;
  }

  /** Runs examples/control.py and parses its one answer. */
  private static JsonNode control(Path python, Path examples, Path socket, Path own, String... a)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(python.toString());
    cmd.add(examples.resolve("control.py").toString());
    cmd.add(socket.toString());
    cmd.addAll(List.of(a));
    try (ServeProcess ctl = ServeProcess.start(cmd, own.resolve("control.err"))) {
      List<String> out = ctl.rest();
      assertThat(ctl.waitFor()).as(Files.readString(own.resolve("control.err"))).isZero();
      assertThat(out).hasSize(1);
      return ControlClient.parse(out.get(0));
    }
  }

  /**
   * EPERM for a real unprivileged process: kmd.py run as nobody ({@code setpriv}, which needs this
   * test to run as root). The socket and its directory are opened to others for the test, as an
   * administrator would for users of {@code --allow}; the credentials check is what refuses.
   */
  @Test
  void anUnprivilegedProcessIsRefusedWithEperm() throws IOException {
    Path python = Path.of("/usr/bin/python3");
    Path setpriv = Path.of("/usr/bin/setpriv");
    Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(setpriv), "no /usr/bin/setpriv");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "not running as root");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    Files.setPosixFilePermissions(pfkey, PosixFilePermissions.fromString("rw-rw-rw-"));
    // nobody runs a copy beside the socket: the checkout may sit where nobody can read (a clone in
    // a mode-0700 mktemp directory), and that must not be what refuses it.
    Path kmdCopy = dir.resolve("kmd-nobody.py");
    Files.copy(kmdPy(), kmdCopy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(kmdCopy, PosixFilePermissions.fromString("r--r--r--"));
    try (ServeProcess kmd =
        ServeProcess.start(
            List.of(
                setpriv.toString(),
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                python.toString(),
                kmdCopy.toString(),
                pfkey.toString()),
            dir.resolve("kmd-nobody.err"))) {
      List<String> out = kmd.rest();

      assertThat(kmd.waitFor()).isEqualTo(1);
      assertThat(out)
          .anyMatch(l -> l.startsWith("<- SADB_REGISTER") && l.contains("errno=1 "))
          .contains("kmd: REGISTER refused: Operation not permitted");
      server.awaitLine(l -> l.contains("refused EPERM: user=nobody"));
    } finally {
      Files.setPosixFilePermissions(pfkey, PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void sigtermStopsTheServerAndRemovesItsSocketFiles() throws IOException {
    Path own = Files.createDirectory(dir.resolve("term"));
    Path p = own.resolve("p.sock");
    Path c = own.resolve("c.sock");
    try (ServeProcess s =
        ServeProcess.start(
            ServeProcess.serveCommand("--pfkey", p.toString(), "--control", c.toString()),
            own.resolve("serve.err"))) {
      s.awaitLine(l -> l.startsWith("serve: ready"));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
          .isEqualTo("rw-------");
      PfKeyClient connected = PfKeyClient.connect(p);
      connected.call(Km.register(1, 5));

      int status = s.terminate();

      String err = Files.readString(own.resolve("serve.err"));
      assertThat(status).as(err).isEqualTo(143); // 128 + SIGTERM, the JVM's exit on the signal
      assertThat(connected.closedByServer()).isTrue();
      assertThat(s.rest()).as(err).contains("serve: stopped; socket files removed");
      assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).isFalse();
      assertThat(Files.exists(c, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
  }

  @Test
  void aRefusedSaStatementStopsTheStartWithItsLine() throws IOException {
    Path own = Files.createDirectory(dir.resolve("bad"));
    Path sa =
        Files.writeString(
            own.resolve("bad.conf"),
            "# a comment\n"
                + "add 192.0.2.1 192.0.2.2 esp 0x100 -E aes-cbc 0x"
                + HEX.formatHex(Km.ENC_KEY)
                + ";\n"
                + "add 192.0.2.1 192.0.2.2 esp 0x100 -E aes-cbc 0x"
                + HEX.formatHex(Km.ENC_KEY)
                + ";\n");
    Path p = own.resolve("p.sock");
    try (ServeProcess s =
        ServeProcess.start(
            ServeProcess.serveCommand("--pfkey", p.toString(), "--sa", sa.toString()),
            own.resolve("serve.err"))) {
      assertThat(s.waitFor()).isEqualTo(1);
      assertThat(Files.readString(own.resolve("serve.err")))
          .contains("the result of line 3: File exists");
      assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
  }

  private static String packet(String direction, byte[] pkt) {
    return "{\"op\":\"packet\",\"direction\":\""
        + direction
        + "\",\"hex\":\""
        + HEX.formatHex(pkt)
        + "\"}";
  }

  /** examples/kmd.py of this checkout (surefire passes the root as ipsecemu.root). */
  private static Path kmdPy() {
    String root = System.getProperty("ipsecemu.root", "..");
    Path p = Path.of(root, "examples", "kmd.py").toAbsolutePath().normalize();
    Assumptions.assumeTrue(Files.isRegularFile(p), "no " + p);
    return p;
  }
}
