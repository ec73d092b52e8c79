package org.ipsecemu.datapath.pcap;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The capture files that {@code src/test/resources/pcap/make.py} made, and reading them whole. */
final class Captures {
  /** make.py stamps frame i with BASE_SEC + i seconds and BASE_USEC + i microseconds. */
  static final long BASE_SEC = 1_700_000_000L;

  static final int BASE_USEC = 123_456;
  static final int BASE_NSEC = 123_456_789;

  private Captures() {}

  static Path resource(String name) {
    URL url = Captures.class.getResource("/pcap/" + name);
    if (url == null) {
      throw new IllegalStateException("missing test capture " + name + ": run make.py");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every frame of a small capture, as copies. */
  static List<Frame> readAll(Path file) throws CaptureException {
    List<Frame> frames = new ArrayList<>();
    try (PcapReader in = PcapReader.open(file)) {
      for (Frame f = in.next(); f != null; f = in.next()) {
        frames.add(f.copy());
      }
    }
    return frames;
  }
}
