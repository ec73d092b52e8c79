package org.ipsecemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.datapath.serve.ControlHandler;
import org.ipsecemu.datapath.serve.ControlServer;
import org.ipsecemu.datapath.serve.PeerAccess;
import org.ipsecemu.datapath.serve.PfKeyServer;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.EngineClock;
import org.ipsecemu.sadb.engine.EngineProfile;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.setkey.SetkeyOperation;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.setkey.SetkeyRunner;
import org.ipsecemu.sadb.setkey.SetkeyStatement;
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
          + " The socket files have mode 0600.",
      "With --control, a second socket takes JSON lines to send packets through the datapath"
          + " (an outbound packet without its SA makes the engine send SADB_ACQUIRE, and waits),"
          + " move a manual clock and read statistics.",
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
      names = "--control",
      paramLabel = "PATH",
      description =
          "Also create this control socket, speaking JSON lines: {\"op\":\"packet\","
              + "\"direction\":\"out\"|\"in\",\"hex\":\"4500…\"} sends an IP packet through"
              + " the datapath; {\"op\":\"advance\",\"seconds\":30} moves a manual clock;"
              + " {\"op\":\"stats\"} returns the statistics.")
  Path control;

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
      names = "--sa",
      paramLabel = "FILE",
      description =
          "Load SAs and policies from this file of setkey statements (add, spdadd, ...) before"
              + " listening. Repeatable. Any syntax error or refused statement stops the server"
              + " from starting.")
  List<Path> saFiles = new ArrayList<>();

  @Option(
      names = "--des-parity",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Refuse DES/3DES keys with wrong parity bits (RFC 2367 §3.1.2; default:"
              + " ${DEFAULT-VALUE}). Linux does not check: --no-des-parity for real-world keys.")
  boolean desParity;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Seed of the SPI generator and of the datapath's IVs, for SPIs and packets that repeat"
              + " from run to run (default: unpredictable).")
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
    KeyEngine.Builder b =
        KeyEngine.builder()
            .clock(engineClock)
            .wireFormat(format)
            .profile(EngineProfile.linux().withDesParityCheck(desParity));
    if (seed != null) {
      b.seed(seed);
    }
    KeyEngine engine = b.build();
    for (Path f : saFiles) {
      String problem = load(engine, f);
      if (problem != null) {
        engine.close();
        cl.getErr().println("ipsec-emu serve: " + problem);
        cl.getErr().flush();
        return 1;
      }
      println(out, "serve: loaded " + f);
    }
    AutoCloseable ticker =
        engineClock instanceof ManualClock ? () -> {} : engine.startTicker(Duration.ofMillis(200));
    Datapath.Builder db = Datapath.builder(engine);
    if (seed != null) {
      db.transforms(TransformFactory.deterministic(seed));
    }
    Datapath datapath = db.build();
    PfKeyServer server = null;
    ControlServer controlServer = null;
    Path listening = pfkey;
    try {
      server = PfKeyServer.start(engine, pfkey, access, line -> println(out, line));
      if (control != null) {
        listening = control;
        controlServer =
            ControlServer.start(
                new ControlHandler(datapath), control, access, line -> println(out, line));
      }
    } catch (IOException e) {
      List<AutoCloseable> all = new ArrayList<>();
      if (server != null) {
        all.add(server);
      }
      all.addAll(List.of(ticker, datapath, engine));
      closeAll(all);
      cl.getErr().println("ipsec-emu serve: cannot listen on " + listening + ": " + e.getMessage());
      return 1;
    }
    List<AutoCloseable> closing = new ArrayList<>();
    closing.add(server);
    if (controlServer != null) {
      closing.add(controlServer);
    }
    closing.addAll(List.of(ticker, datapath, engine));
    Thread hook =
        new Thread(
            () -> {
              closeAll(closing);
              println(out, "serve: stopped; socket files removed");
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
    if (controlServer != null) {
      println(out, "control: listening on " + controlServer.path());
    }
    println(out, "serve: ready (clock " + clock.toLowerCase(Locale.ROOT) + ")");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Runs a file of setkey statements through a PF_KEY socket of the engine, as {@code setkey -f}
   * would against a kernel. Returns null when every statement succeeded, else what went wrong
   * (every syntax error, or the first refused statement with its line).
   */
  private static String load(KeyEngine engine, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "cannot read --sa " + file + ": " + e.getMessage();
    }
    long pid = ProcessHandle.current().pid();
    List<SetkeyParser.Item> items = new SetkeyParser(file.toString()).pid(pid).parseAll(text);
    List<String> syntax = new ArrayList<>();
    for (SetkeyParser.Item i : items) {
      if (i.error() != null) {
        syntax.add(i.error().getMessage());
      }
    }
    if (!syntax.isEmpty()) {
      return String.join("\n", syntax) + "\n--sa " + file + ": syntax errors, nothing loaded";
    }
    String[] failure = new String[1];
    SetkeyRunner.Listener listener =
        new SetkeyRunner.Listener() {
          @Override
          public void failed(SetkeyStatement s, int errno, String text) {
            if (failure[0] == null) {
              failure[0] =
                  "--sa "
                      + file
                      + ": the result of line "
                      + (s == null ? 0 : s.line())
                      + ": "
                      + text;
            }
          }
        };
    try (PfKeySocket socket = engine.open(Credentials.root(pid))) {
      SetkeyRunner runner = new SetkeyRunner(socket, engine.codec(), listener);
      for (SetkeyParser.Item i : items) {
        if (i.statement().operation() == SetkeyOperation.EXIT) {
          break;
        }
        if (!runner.run(i.statement())) {
          return failure[0] != null
              ? failure[0]
              : "--sa " + file + ": line " + i.statement().line();
        }
      }
    }
    return null;
  }

  private static void println(PrintWriter out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static void closeAll(List<AutoCloseable> all) {
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception ignored) {
        // stopping anyway: close the rest
      }
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
