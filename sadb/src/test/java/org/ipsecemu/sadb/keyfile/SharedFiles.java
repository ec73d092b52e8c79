package org.ipsecemu.sadb.keyfile;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates {@code /work/shared} (system property {@code ipsecemu.shared}, set by surefire) for tests
 * that read the third-party captures and interop cases; such tests skip themselves when it is
 * absent.
 */
final class SharedFiles {
  private SharedFiles() {}

  /** The shared directory, or a skipped test when it is absent. */
  static Path shared() {
    String p = System.getProperty("ipsecemu.shared", "/work/shared");
    Path dir = Path.of(p);
    assumeTrue(Files.isDirectory(dir), "shared directory absent: " + dir);
    return dir;
  }

  /** The files of a shared subdirectory ending in {@code suffix}, sorted; skips when none. */
  static List<Path> files(String subdir, String suffix) throws IOException {
    Path dir = shared().resolve(subdir);
    assumeTrue(Files.isDirectory(dir), "absent: " + dir);
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> out = s.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
      assumeTrue(!out.isEmpty(), "no " + suffix + " files in " + dir);
      return out;
    }
  }
}
