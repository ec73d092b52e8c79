package org.ipsecemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.ipsecemu.datapath.capture.CaptureReplay;

/**
 * A one-line progress bar for long replays, on standard error when it is a terminal: frames read,
 * the share of the capture file read (estimated from the bytes of the frames and their record
 * headers), the rate. It appears after the first second and is redrawn at most five times a second,
 * in place ({@code \r}); {@link #finish()} clears it.
 */
final class ProgressBar implements CaptureReplay.Progress {
  static final long DELAY_NANOS = 1_000_000_000L;
  static final long PERIOD_NANOS = 200_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final long fileSize;
  private final LongSupplier nanos;
  private final long start;
  private long lastDraw;
  private int drawnWidth;

  ProgressBar(PrintWriter err, Path capture, LongSupplier nanos) {
    this.err = err;
    long size;
    try {
      size = Files.size(capture);
    } catch (IOException e) {
      size = 0;
    }
    this.fileSize = size;
    this.nanos = nanos;
    this.start = nanos.getAsLong();
  }

  @Override
  public void update(long frames, long bytes) {
    long now = nanos.getAsLong();
    if (now - start < DELAY_NANOS || now - lastDraw < PERIOD_NANOS) {
      return;
    }
    lastDraw = now;
    double share = fileSize > 0 ? Math.min(1.0, (double) bytes / fileSize) : 0;
    int filled = (int) Math.round(share * WIDTH);
    double seconds = (now - start) / 1e9;
    String line =
        String.format(
            "replay [%s%s] %3d%%  %,d frames  %,.0f frames/s",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            Math.round(share * 100),
            frames,
            frames / seconds);
    err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
    err.flush();
    drawnWidth = line.length();
  }

  @Override
  public void finish() {
    if (drawnWidth > 0) {
      err.print("\r" + " ".repeat(drawnWidth) + "\r");
      err.flush();
      drawnWidth = 0;
    }
  }

  /**
   * Whether standard error is a terminal. Java 17 tells only about standard input and output
   * ({@code System.console()}); on Linux the link of file descriptor 2 tells about standard error.
   */
  static boolean stderrIsTerminal() {
    try {
      Path fd2 = Path.of("/proc/self/fd/2");
      if (Files.isSymbolicLink(fd2)) {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // fall through
    }
    return System.console() != null;
  }
}
