package org.ipsecemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay's progress bar, on a clock the test moves. */
class ProgressBarTest {
  private long now;

  @Test
  void appearsAfterASecondRedrawsFiveTimesASecondAndClearsItself(@TempDir Path dir)
      throws Exception {
    Path capture = dir.resolve("c.pcap");
    Files.write(capture, new byte[1000]);
    StringWriter s = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(s), capture, () -> now);
    now += 500_000_000L;
    bar.update(100, 250);
    assertThat(s.toString()).isEmpty(); // a short replay shows nothing
    now += 600_000_000L;
    bar.update(200, 500);
    assertThat(s.toString())
        .startsWith("\rreplay [###############               ]  50%  200 frames");
    int drawn = s.toString().length();
    now += 100_000_000L;
    bar.update(300, 600);
    assertThat(s.toString()).hasSize(drawn); // not yet: at most every 200 ms
    now += 100_000_000L;
    bar.update(400, 1000);
    assertThat(s.toString().substring(drawn)).contains("100%  400 frames");
    bar.finish();
    assertThat(s.toString()).endsWith("\r");
  }

  @Test
  void testsRunWithoutATerminalOnStandardError() {
    // Surefire pipes the forked JVM's standard error: the bar would stay off there.
    assertThat(ProgressBar.stderrIsTerminal()).isFalse();
  }
}
