package org.ipsecemu.datapath.pcap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pcap4j.core.Pcaps;

/**
 * Finds and loads libpcap before pcap4j needs it, so that a machine without libpcap gets one clear
 * line instead of a JNA stack trace.
 *
 * <p>pcap4j asks JNA for the library named by the system property {@value #LIB_NAME_PROPERTY}
 * ({@code pcap} by default). Debian's runtime package {@code libpcap0.8} ships only {@code
 * libpcap.so.0.8} (the bare {@code libpcap.so} comes with {@code libpcap-dev}), so on Linux this
 * class looks for {@code libpcap.so}, {@code libpcap.so.1} and {@code libpcap.so.0.8} in the usual
 * library directories and hands pcap4j the first one found by its full path. A value the user set
 * for the property is used as it is. On other systems pcap4j's own default is kept.
 */
public final class Libpcap {
  /** The system property pcap4j reads for the library's name or path. */
  public static final String LIB_NAME_PROPERTY = "org.pcap4j.core.pcapLibName";

  /** The names looked for in each directory, in order. */
  static final List<String> FILE_NAMES = List.of("libpcap.so", "libpcap.so.1", "libpcap.so.0.8");

  static final String MISSING_MESSAGE =
      "libpcap not found: install it with \"apt-get install libpcap0.8\""
          + " (or name the library with -D"
          + LIB_NAME_PROPERTY
          + "=/path/to/libpcap.so)";

  private static String version;
  private static CaptureException failure;

  private Libpcap() {}

  /**
   * Loads libpcap once for the whole process and returns its version string; later calls return at
   * once (with the same answer or the same failure).
   *
   * @throws CaptureException (LIBPCAP_MISSING) when libpcap is not there or cannot be loaded
   */
  public static synchronized String load() throws CaptureException {
    if (version != null) {
      return version;
    }
    if (failure != null) {
      throw failure;
    }
    try {
      if (isLinux()) {
        String chosen = locate(System.getProperty(LIB_NAME_PROPERTY), searchPath());
        System.setProperty(LIB_NAME_PROPERTY, chosen);
      }
      // The first call into pcap4j loads the library (static initialiser of its JNA bindings).
      version = Pcaps.libVersion();
      return version;
    } catch (CaptureException e) {
      failure = e;
      throw e;
    } catch (LinkageError e) {
      // UnsatisfiedLinkError from JNA, wrapped in ExceptionInInitializerError on the first call
      // and NoClassDefFoundError on later ones.
      failure = loadFailure(System.getProperty(LIB_NAME_PROPERTY, "pcap"), e);
      throw failure;
    }
  }

  /**
   * The library pcap4j should load: the user's {@code property} when set, else the full path of the
   * first of {@link #FILE_NAMES} found in {@code directories} (each directory in turn).
   *
   * @throws CaptureException (LIBPCAP_MISSING) when the property names a path that does not exist,
   *     or nothing is found
   */
  static String locate(String property, List<Path> directories) throws CaptureException {
    if (property != null && !property.isBlank()) {
      if (property.indexOf('/') >= 0 && !Files.exists(Path.of(property))) {
        throw new CaptureException(
            CaptureException.Kind.LIBPCAP_MISSING,
            "libpcap not found at " + property + " (named by -D" + LIB_NAME_PROPERTY + ")");
      }
      return property;
    }
    for (Path dir : directories) {
      for (String name : FILE_NAMES) {
        Path candidate = dir.resolve(name);
        if (Files.isRegularFile(candidate)) { // follows symbolic links
          return candidate.toString();
        }
      }
    }
    throw new CaptureException(CaptureException.Kind.LIBPCAP_MISSING, MISSING_MESSAGE);
  }

  /** Debian / Ubuntu multiarch directories for this JVM's architecture, then the classic ones. */
  static List<Path> searchPath() {
    List<Path> dirs = new ArrayList<>();
    String triplet = multiarchTriplet(System.getProperty("os.arch", ""));
    if (triplet != null) {
      dirs.add(Path.of("/usr/lib", triplet));
      dirs.add(Path.of("/lib", triplet));
    }
    for (String d : List.of("/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib")) {
      dirs.add(Path.of(d));
    }
    return dirs;
  }

  static String multiarchTriplet(String osArch) {
    return switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "x86_64-linux-gnu";
      case "aarch64", "arm64" -> "aarch64-linux-gnu";
      case "arm" -> "arm-linux-gnueabihf";
      case "x86", "i386", "i686" -> "i386-linux-gnu";
      case "ppc64le" -> "powerpc64le-linux-gnu";
      case "s390x" -> "s390x-linux-gnu";
      case "riscv64" -> "riscv64-linux-gnu";
      default -> null;
    };
  }

  private static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
  }

  /** One line from JNA's many: its first, and the loader's reason when the first ends in ':'. */
  static CaptureException loadFailure(String library, Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    String reason = lines.isEmpty() ? cause.toString() : lines.get(0);
    if (reason.endsWith(":") && lines.size() > 1) {
      reason = reason + " " + lines.get(1);
    }
    return new CaptureException(
        CaptureException.Kind.LIBPCAP_MISSING,
        "libpcap could not be loaded ("
            + library
            + "): "
            + reason
            + "; install it with \"apt-get install libpcap0.8\"");
  }
}
