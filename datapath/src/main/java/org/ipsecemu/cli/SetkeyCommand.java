package org.ipsecemu.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.EngineProfile;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.print.TreePrinter;
import org.ipsecemu.sadb.setkey.SetkeyOperation;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.setkey.SetkeyPrinter;
import org.ipsecemu.sadb.setkey.SetkeyRunner;
import org.ipsecemu.sadb.setkey.SetkeyStatement;
import org.ipsecemu.sadb.wire.SadbMessage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ipsec-emu setkey}: ipsec-tools {@code setkey -f FILE} / {@code setkey -c} against a fresh
 * in-memory Key Engine, statement by statement through a PF_KEY socket, printing what {@code
 * setkey} prints.
 */
@Command(
    name = "setkey",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Run ipsec-tools setkey statements (add, get, delete, deleteall, getspi, flush, dump,"
          + " spdadd, spdupdate, spddelete, spdflush, spddump) against a fresh in-memory Key"
          + " Engine, in order, through a PF_KEY socket as setkey talks to a kernel.",
      "dump and spddump print like `setkey -D` and `setkey -DP` (keys shown). A statement the"
          + " engine refuses prints `The result of line N: <error>.` on standard error, and the"
          + " following statements still run.",
      "With -f a file with a syntax error runs nothing (every error is listed); with -c each"
          + " statement read from standard input runs on its own, as setkey -c does.",
      "Exit status: 0 when every statement succeeded, 1 otherwise."
    })
public final class SetkeyCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  /** Standard input; tests replace it. */
  InputStream stdin = System.in;

  @Option(
      names = "-f",
      paramLabel = "FILE",
      description = "Read statements from FILE ('-' for standard input).")
  String file;

  @Option(names = "-c", description = "Read statements from standard input.")
  boolean fromStdin;

  @Option(
      names = "-x",
      description = "Print every PF_KEY message exchanged, decoded as a tree (like setkey -x).")
  boolean trace;

  @Option(names = "-a", description = "dump shows DEAD SAs too.")
  boolean all;

  @Option(
      names = "-k",
      description =
          "Kernel mode: an inbound policy does not also install the fwd policy (ipsec-tools on"
              + " Linux adds it by default, its RFC mode).")
  boolean kernelMode;

  @Option(
      names = "--des-parity",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Refuse DES/3DES keys with wrong parity bits, as RFC 2367 §3.1.2 suggests (default:"
              + " ${DEFAULT-VALUE}). Linux does not check: use --no-des-parity for real-world key"
              + " files.")
  boolean desParity;

  @Option(
      names = "--time",
      paramLabel = "INSTANT",
      description =
          "Start the engine's clock at this time, e.g. 2024-01-01T00:00:00Z (default: now).")
  Instant start;

  @Option(names = "--utc", description = "Print dates in UTC rather than the local time zone.")
  boolean utc;

  @Option(
      names = "--pid",
      paramLabel = "PID",
      description = "sadb_msg_pid of the messages (default: this process's id).")
  Long pid;

  @Override
  public Integer call() throws IOException {
    CommandLine cl = spec.commandLine();
    PrintWriter out = cl.getOut();
    PrintWriter err = cl.getErr();
    if ((file == null) == !fromStdin) {
      throw new CommandLine.ParameterException(cl, "give exactly one of -f FILE and -c");
    }
    long p = pid != null ? pid : ProcessHandle.current().pid();
    String name = fromStdin || file.equals("-") ? SetkeyParser.STDIN : file;
    SetkeyParser parser = new SetkeyParser(name).pid(p).forwardPolicies(!kernelMode);
    List<SetkeyParser.Item> items = null;
    if (!fromStdin) {
      String text;
      try {
        text =
            file.equals("-")
                ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("setkey: cannot read " + file + ": " + e.getMessage());
        err.flush();
        return 1;
      }
      items = parser.parseAll(text);
      if (items.stream().anyMatch(i -> i.error() != null)) {
        for (SetkeyParser.Item i : items) {
          if (i.error() != null) {
            err.println(i.error().getMessage());
          }
        }
        err.println("setkey: " + name + ": syntax errors, nothing was run");
        err.flush();
        return 1;
      }
    }

    ManualClock clock = new ManualClock((start != null ? start : Instant.now()).toEpochMilli());
    EngineProfile profile = EngineProfile.linux().withDesParityCheck(desParity);
    ZoneId zone = utc ? ZoneOffset.UTC : ZoneId.systemDefault();
    try (KeyEngine engine = KeyEngine.builder().clock(clock).profile(profile).build();
        PfKeySocket socket = engine.open(Credentials.root(p))) {
      Printing printing = new Printing(out, err, new SetkeyPrinter(zone), clock);
      SetkeyRunner runner = new SetkeyRunner(socket, engine.codec(), printing).showDead(all);
      runner.register();
      Session session = new Session(runner, out, err);
      if (items != null) {
        session.run(items);
      } else {
        interactive(parser, session);
      }
      out.flush();
      err.flush();
      return session.failed ? 1 : 0;
    }
  }

  /**
   * {@code -c}: reads standard input line by line and runs each statement as soon as its {@code ;}
   * arrives, as {@code setkey -c} does; line numbers are those of the whole input.
   */
  private void interactive(SetkeyParser parser, Session session) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    StringBuilder pending = new StringBuilder();
    int pendingLine = 1;
    int lineNo = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNo++;
      if (pending.length() == 0) {
        pendingLine = lineNo;
      }
      pending.append(line).append('\n');
      int end = SetkeyParser.endOfLastStatement(pending.toString());
      if (end < 0) {
        continue;
      }
      String complete = pending.substring(0, end);
      String rest = pending.substring(end);
      if (!session.run(parser.parseAll(complete, pendingLine))) {
        return;
      }
      pending.setLength(0);
      if (!rest.isBlank()) {
        pending.append(rest);
        pendingLine = lineNo;
      }
    }
    if (!pending.toString().isBlank()) {
      session.run(parser.parseAll(pending.toString(), pendingLine));
    }
  }

  /** Runs parsed items in order and remembers whether any failed. */
  private static final class Session {
    private final SetkeyRunner runner;
    private final PrintWriter out;
    private final PrintWriter err;
    boolean failed;

    Session(SetkeyRunner runner, PrintWriter out, PrintWriter err) {
      this.runner = runner;
      this.out = out;
      this.err = err;
    }

    /** Runs the items; false after {@code exit}. */
    boolean run(List<SetkeyParser.Item> items) {
      for (SetkeyParser.Item item : items) {
        if (item.error() != null) {
          err.println(item.error().getMessage());
          failed = true;
          continue;
        }
        SetkeyStatement s = item.statement();
        if (s.operation() == SetkeyOperation.EXIT) {
          return false;
        }
        failed |= !runner.run(s);
        out.flush();
        err.flush();
      }
      return true;
    }
  }

  /** Prints what the runner reports, as {@code setkey} would. */
  private final class Printing implements SetkeyRunner.Listener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final SetkeyPrinter printer;
    private final ManualClock clock;
    private final TreePrinter tree = new TreePrinter();

    Printing(PrintWriter out, PrintWriter err, SetkeyPrinter printer, ManualClock clock) {
      this.out = out;
      this.err = err;
      this.printer = printer;
      this.clock = clock;
    }

    private String where(SetkeyStatement s) {
      return s == null ? "registering" : "line " + s.line();
    }

    @Override
    public void sent(SetkeyStatement s, SadbMessage m) {
      if (trace) {
        out.print("# " + where(s) + ": send " + m.type() + "\n" + tree.print(m));
      }
    }

    @Override
    public void received(SetkeyStatement s, SadbMessage m) {
      if (trace) {
        out.print("# " + where(s) + ": receive " + m.type() + "\n" + tree.print(m));
      }
    }

    @Override
    public void sa(SetkeyStatement s, SadbMessage reply) {
      out.print(printer.sa(reply, clock.currentTimeMillis() / 1000));
    }

    @Override
    public void policy(SetkeyStatement s, SadbMessage reply) {
      out.print(printer.policy(reply));
    }

    @Override
    public void failed(SetkeyStatement s, int errno, String text) {
      if (s == null) {
        err.println("setkey: registering with the Key Engine: " + text + ".");
      } else {
        err.println("The result of line " + s.line() + ": " + text + ".");
      }
    }

    @Override
    public void info(SetkeyStatement s, String text) {
      out.println("The result of line " + s.line() + ": " + text + ".");
    }
  }
}
