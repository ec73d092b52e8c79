package org.ipsecemu.datapath.serve;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * A child process and its output lines, for tests that run {@code ipsec-emu serve} or {@code
 * kmd.py} as the separate processes they are. Output lines are read by a daemon thread; {@link
 * #awaitLine} blocks until a matching one comes (the tests' JUnit timeout bounds the wait).
 */
final class ServeProcess implements AutoCloseable {
  private static final String EOF = "\u0000end of output";

  final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  final List<String> seen = new ArrayList<>();

  private ServeProcess(Process process) {
    this.process = process;
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  lines.add(l);
                }
              } catch (IOException ignored) {
                // the process went away
              } finally {
                lines.add(EOF);
              }
            },
            "output of pid " + process.pid());
    t.setDaemon(true);
    t.start();
  }

  /** Starts a command; standard error goes to {@code stderr}, standard output is read here. */
  static ServeProcess start(List<String> command, Path stderr) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.redirectError(stderr.toFile());
      return new ServeProcess(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java -cp <the test class path> org.ipsecemu.cli.Main serve <args>}. */
  static List<String> serveCommand(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add("org.ipsecemu.cli.Main");
    cmd.add("serve");
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The class path of this test run (surefire's, whose own JVM may see only a booter jar). */
  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    return String.join(File.pathSeparator, cp.split(File.pathSeparator));
  }

  /** Waits for an output line that matches; fails when the output ends first. */
  String awaitLine(Predicate<String> p) {
    while (true) {
      String l;
      try {
        l = lines.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted; output so far: " + seen, e);
      }
      if (l == EOF) {
        lines.add(EOF);
        throw new AssertionError("output ended; lines: " + seen);
      }
      seen.add(l);
      if (p.test(l)) {
        return l;
      }
    }
  }

  /** Every remaining output line, until the process closes its output. */
  List<String> rest() {
    while (true) {
      try {
        String l = lines.take();
        if (l == EOF) {
          lines.add(EOF);
          return seen;
        }
        seen.add(l);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return seen;
      }
    }
  }

  /**
   * Sends SIGTERM and waits for the exit status. Through the process handle: {@code
   * Process.destroy()} would also close our end of its output, losing what it prints on the way
   * out.
   */
  int terminate() {
    process.toHandle().destroy();
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  int waitFor() {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
