package org.ipsecemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ipsecemu.datapath.capture.CaptureReplay;
import org.ipsecemu.datapath.capture.KeyFileSet;
import org.ipsecemu.datapath.capture.ReplayDirection;
import org.ipsecemu.datapath.capture.ReplayException;
import org.ipsecemu.datapath.capture.ReplayReport;
import org.ipsecemu.datapath.pcap.CaptureException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ipsec-emu replay}: a capture through the datapath and the Key Engine, decrypted or
 * encrypted captures out, with statistics ({@link CaptureReplay}). Every error a user can make ends
 * with one line on standard error and status 1, never a stack trace.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Replay a pcap or pcapng capture through the ESP/AH datapath and a fresh Key Engine: ESP and"
          + " AH packets are verified and decapsulated, others are protected as the policies say"
          + " (or passed unchanged when no policy selects them).",
      "The output has the input's link type and timestamps: accepted inbound packets replaced by"
          + " their decapsulated form, outbound packets by their ESP/AH form, dropped packets left"
          + " out (unchanged with --keep-dropped), in input order. A summary table goes to"
          + " standard output.",
      "Keys and policies come from --sa files: setkey input (add and spdadd statements),"
          + " setkey -D output, ip xfrm state output, or Wireshark's esp_sa file, recognised by"
          + " their content. They are added at the capture's first packet, and the engine's clock"
          + " follows the capture's timestamps, so lifetimes expire as they would have during the"
          + " capture. DES keys are taken whatever their parity bits, as Linux does. An esp_sa"
          + " file names no mode: its SAs are transport SAs (mode any, as on Linux), so a tunnel"
          + " packet comes out as IP-in-IP; give -m tunnel in a setkey file for the inner packet.",
      "Outbound packets that need an SA nobody keyed make the Key Engine send SADB_ACQUIRE;"
          + " nothing answers it during a replay, so they are held, then dropped after 60 s of"
          + " capture time or at the end of the capture (counted as acquire, queued, dropped).",
      "Exit status: 0 when the capture was replayed; 1 when a file is missing or unreadable, a"
          + " key file has a bad line, libpcap is missing, or the output cannot be written."
    })
public final class ReplayCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--sa",
      required = true,
      paramLabel = "FILE",
      description = "A key file (repeatable; files are installed in order).")
  List<Path> sa;

  @Option(
      names = "--direction",
      paramLabel = "auto|in|out",
      defaultValue = "auto",
      converter = DirectionConverter.class,
      description =
          "auto: ESP and AH packets inbound, others outbound through the policy; in / out: every"
              + " packet that way (default: ${DEFAULT-VALUE}).")
  ReplayDirection direction;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "OUT.pcap",
      description = "Write the resulting capture (pcap) here.")
  Path output;

  @Option(
      names = "--stats",
      paramLabel = "FILE.json",
      description = "Write the statistics as JSON here.")
  Path stats;

  @Option(
      names = "--trace",
      description =
          "Tell, for each packet, the steps taken: SPI lookup and SA, replay window before and"
              + " after, ICV, cipher, padding, next header, lifetime counters, verdict (never a"
              + " key).")
  boolean trace;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Process packets on N workers, spread by SA; the output is in input order and, with"
              + " --seed, identical to one thread's (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--keep-dropped", description = "Write dropped packets unchanged.")
  boolean keepDropped;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Draw outbound IVs from a generator seeded with N, so that replays are reproducible"
              + " byte for byte (default: unpredictable IVs).")
  Long seed;

  @Option(
      names = "--des-parity",
      description = "Refuse DES/3DES keys with wrong parity bits (Linux does not check them).")
  boolean desParity;

  @Option(
      names = "--no-progress",
      description = "No progress bar (it is shown on standard error when that is a terminal).")
  boolean noProgress;

  @Parameters(index = "0", paramLabel = "IN", description = "The capture (pcap or pcapng).")
  Path input;

  /** Whether standard error is a terminal; tests replace it. */
  boolean stderrIsTerminal = ProgressBar.stderrIsTerminal();

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    PrintWriter out = cl.getOut();
    PrintWriter err = cl.getErr();
    if (threads < 1 || threads > 256) {
      throw new CommandLine.ParameterException(cl, "--threads must be 1..256, not " + threads);
    }
    ProgressBar bar = null;
    try {
      KeyFileSet keys = KeyFileSet.read(sa);
      for (String w : keys.warnings()) {
        err.println("replay: warning: " + w);
      }
      err.flush();
      CaptureReplay.Builder b =
          CaptureReplay.builder(keys)
              .direction(direction)
              .output(output)
              .keepDropped(keepDropped)
              .threads(threads)
              .seed(seed)
              .desParityCheck(desParity);
      if (trace) {
        b.trace(
            t -> {
              out.print(t);
              out.flush();
            });
      }
      if (!noProgress && stderrIsTerminal) {
        bar = new ProgressBar(err, input, System::nanoTime);
        b.progress(bar);
      }
      ReplayReport report = b.build().run(input);
      if (stats != null) {
        try {
          Files.writeString(stats, report.toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return fail(err, stats + ": cannot write the statistics (" + e.getMessage() + ")");
        }
      }
      if (trace) {
        out.println();
      }
      out.print(report.summary());
      out.flush();
      if (report.readError() != null) {
        return fail(err, report.readError() + " (the frames before it were replayed)");
      }
      return 0;
    } catch (ReplayException | CaptureException e) {
      return fail(err, e.getMessage());
    } catch (RuntimeException e) {
      // A bug, not the user's doing: still one line, with what it was.
      return fail(err, "internal error: " + e);
    } finally {
      out.flush();
    }
  }

  private static int fail(PrintWriter err, String message) {
    err.println("replay: " + message);
    err.flush();
    return 1;
  }

  /** Reads {@code auto}, {@code in}, {@code out}. */
  static final class DirectionConverter implements CommandLine.ITypeConverter<ReplayDirection> {
    @Override
    public ReplayDirection convert(String value) {
      for (ReplayDirection d : ReplayDirection.values()) {
        if (d.label().equals(value)) {
          return d;
        }
      }
      throw new CommandLine.TypeConversionException(
          "expected auto, in or out, not '" + value + "'");
    }
  }
}
