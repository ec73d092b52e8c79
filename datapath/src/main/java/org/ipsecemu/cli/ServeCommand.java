package org.ipsecemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ipsecemu.datapath.serve.PeerAccess;
import org.ipsecemu.datapath.serve.PfKeyServer;
import org.ipsecemu.sadb.engine.EngineClock;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.wire.SockaddrLayout;
import org.ipsecemu.sadb.wire.WireFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ipsec-emu serve}: the emulated kernel as a server, so that key managers in any language
 * (an IKE daemon, a teaching exercise) speak real PF_KEY v2 to it over a Unix socket, with no root
 * and no kernel IPsec (the McDonald–Phan–Atkinson paper's Figure 3).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Run the Key Engine as a server: every connection to the --pfkey Unix socket is one PF_KEY"
          + " socket (RFC 2367 §1.3) speaking the PF_KEY v2 wire format, each message framed by"
          + " its sadb_msg_len. Replies, broadcasts, ACQUIRE and EXPIRE arrive as from a kernel.",
      "Only uid 0, the user running the server, and the --allow users and groups may use"
          + " PF_KEY (read from the connection's SO_PEERCRED); others get EPERM and are closed."
          + " The socket file has mode 0600.",
      "Runs until SIGTERM or SIGINT, then removes its socket files."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--pfkey",
      required = true,
      paramLabel = "PATH",
      description = "The PF_KEY Unix socket to create.")
  Path pfkey;

  @Option(
      names = "--clock",
      defaultValue = "real",
      paramLabel = "real|manual",
      description =
          "real: lifetimes run on the wall clock. manual: time starts at the wall clock's and"
              + " moves only when the control socket says advance (default: ${DEFAULT-VALUE}).")
  String clock;

  @Option(
      names = "--allow",
      split = ",",
      paramLabel = "WHO",
      description =
          "Also permit these users and groups: NAME or UID (a user), user:NAME|UID,"
              + " group:NAME|GID (the peer's primary group). Repeatable, comma-separated.")
  List<String> allow = new ArrayList<>();

  @Option(
      names = "--byte-order",
      defaultValue = "native",
      paramLabel = "native|little|big",
      description =
          "Host byte order of PF_KEY's multi-octet fields on the socket (default: ${DEFAULT-VALUE},"
              + " this machine's).")
  String byteOrder;

  @Option(
      names = "--sockaddr",
      defaultValue = "linux",
      paramLabel = "linux|bsd",
      description =
          "Sockaddr layout in address extensions: linux (AF_INET6=10) or bsd (sa_len,"
              + " AF_INET6=28) (default: ${DEFAULT-VALUE}).")
  String sockaddr;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the SPI generator, for SPIs that repeat from run to run.")
  Long seed;

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    PrintWriter out = cl.getOut();
    WireFormat format = new WireFormat(byteOrder(cl), sockaddrLayout(cl));
    PeerAccess access;
    try {
      access = PeerAccess.of(allow);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--allow: " + e.getMessage());
    }
    EngineClock engineClock = engineClock(cl);
    KeyEngine.Builder b = KeyEngine.builder().clock(engineClock).wireFormat(format);
    if (seed != null) {
      b.seed(seed);
    }
    KeyEngine engine = b.build();
    AutoCloseable ticker =
        engineClock instanceof ManualClock ? () -> {} : engine.startTicker(Duration.ofMillis(200));
    PfKeyServer server;
    try {
      server = PfKeyServer.start(engine, pfkey, access, line -> println(out, line));
    } catch (IOException e) {
      engine.close();
      cl.getErr().println("ipsec-emu serve: cannot listen on " + pfkey + ": " + e.getMessage());
      return 1;
    }
    Thread hook =
        new Thread(
            () -> {
              server.close();
              closeQuietly(ticker);
              engine.close();
              println(out, "serve: stopped; removed " + server.path());
              stopped.countDown();
            },
            "ipsec-emu-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    println(
        out,
        "pfkey: listening on "
            + server.path()
            + " (wire format "
            + format
            + "; permitted: "
            + access
            + ")");
    println(out, "serve: ready (clock " + clock.toLowerCase(Locale.ROOT) + ")");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void println(PrintWriter out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // stopping anyway
    }
  }

  private ByteOrder byteOrder(CommandLine cl) {
    switch (byteOrder.toLowerCase(Locale.ROOT)) {
      case "native":
        return ByteOrder.nativeOrder();
      case "little":
      case "le":
        return ByteOrder.LITTLE_ENDIAN;
      case "big":
      case "be":
        return ByteOrder.BIG_ENDIAN;
      default:
        throw new CommandLine.ParameterException(
            cl, "--byte-order must be native, little or big, not '" + byteOrder + "'");
    }
  }

  private SockaddrLayout sockaddrLayout(CommandLine cl) {
    switch (sockaddr.toLowerCase(Locale.ROOT)) {
      case "linux":
        return SockaddrLayout.LINUX;
      case "bsd":
        return SockaddrLayout.BSD;
      default:
        throw new CommandLine.ParameterException(
            cl, "--sockaddr must be linux or bsd, not '" + sockaddr + "'");
    }
  }

  private EngineClock engineClock(CommandLine cl) {
    switch (clock.toLowerCase(Locale.ROOT)) {
      case "real":
        return EngineClock.system();
      case "manual":
        return new ManualClock(System.currentTimeMillis());
      default:
        throw new CommandLine.ParameterException(
            cl, "--clock must be real or manual, not '" + clock + "'");
    }
  }
}
