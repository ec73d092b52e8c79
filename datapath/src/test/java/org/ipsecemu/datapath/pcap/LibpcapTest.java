package org.ipsecemu.datapath.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locating libpcap, tried on a fake search path rather than by uninstalling it. */
class LibpcapTest {
  @TempDir Path root;

  private Path dir(String name, String... files) throws Exception {
    Path d = Files.createDirectories(root.resolve(name));
    for (String f : files) {
      Files.write(d.resolve(f), new byte[] {0x7f, 'E', 'L', 'F'});
    }
    return d;
  }

  @Test
  void saysWhichPackageToInstallWhenNothingIsFound() throws Exception {
    List<Path> path = List.of(dir("usr-lib"), dir("lib", "libpcap.a", "libpcapng.so"));
    assertThatThrownBy(() -> Libpcap.locate(null, path))
        .isInstanceOf(CaptureException.class)
        .hasMessageStartingWith("libpcap not found: install it with \"apt-get install libpcap0.8\"")
        .hasMessageNotContaining("\n")
        .extracting(e -> ((CaptureException) e).kind())
        .isEqualTo(CaptureException.Kind.LIBPCAP_MISSING);
  }

  @Test
  void findsDebiansRuntimeLibraryWithoutTheDevelopmentLink() throws Exception {
    Path lib = dir("multiarch", "libpcap.so.0.8", "libpcap.so.1.10.3");
    assertThat(Libpcap.locate(null, List.of(dir("empty"), lib)))
        .isEqualTo(lib.resolve("libpcap.so.0.8").toString());
  }

  @Test
  void prefersTheDevelopmentLinkThenSoname1InOneDirectory() throws Exception {
    Path all = dir("all", "libpcap.so.0.8", "libpcap.so.1", "libpcap.so");
    assertThat(Libpcap.locate(null, List.of(all))).isEqualTo(all.resolve("libpcap.so").toString());
    Path two = dir("two", "libpcap.so.0.8", "libpcap.so.1");
    assertThat(Libpcap.locate(null, List.of(two)))
        .isEqualTo(two.resolve("libpcap.so.1").toString());
  }

  @Test
  void takesTheFirstDirectoryThatHasOne() throws Exception {
    Path first = dir("first", "libpcap.so.0.8");
    Path second = dir("second", "libpcap.so");
    assertThat(Libpcap.locate(null, List.of(first, second)))
        .isEqualTo(first.resolve("libpcap.so.0.8").toString());
  }

  @Test
  void followsSymbolicLinks() throws Exception {
    Path d = dir("links", "libpcap.so.1.10.3");
    Files.createSymbolicLink(d.resolve("libpcap.so.0.8"), d.resolve("libpcap.so.1.10.3"));
    Files.createSymbolicLink(d.resolve("libpcap.so"), d.resolve("gone.so"));
    assertThat(Libpcap.locate(null, List.of(d))).isEqualTo(d.resolve("libpcap.so.0.8").toString());
  }

  @Test
  void usesTheUsersPropertyAsItIs() throws Exception {
    Path found = dir("found", "libpcap.so");
    Path mine = dir("mine", "libpcap-custom.so").resolve("libpcap-custom.so");
    assertThat(Libpcap.locate(mine.toString(), List.of(found))).isEqualTo(mine.toString());
    assertThat(Libpcap.locate("pcap", List.of(found))).isEqualTo("pcap");
  }

  @Test
  void refusesAPropertyNamingAMissingFile() {
    String missing = root.resolve("no/libpcap.so").toString();
    assertThatThrownBy(() -> Libpcap.locate(missing, List.of()))
        .isInstanceOf(CaptureException.class)
        .hasMessage(
            "libpcap not found at " + missing + " (named by -Dorg.pcap4j.core.pcapLibName)");
  }

  @Test
  void searchesDebianMultiarchDirectoriesFirst() {
    assertThat(Libpcap.multiarchTriplet("amd64")).isEqualTo("x86_64-linux-gnu");
    assertThat(Libpcap.multiarchTriplet("aarch64")).isEqualTo("aarch64-linux-gnu");
    assertThat(Libpcap.multiarchTriplet("sparc")).isNull();
    List<Path> path = Libpcap.searchPath();
    assertThat(path).contains(Path.of("/usr/lib"), Path.of("/usr/local/lib"));
    if (Libpcap.multiarchTriplet(System.getProperty("os.arch")) != null) {
      assertThat(path.get(0).toString()).startsWith("/usr/lib/").endsWith("-linux-gnu");
    }
  }

  @Test
  void summarisesJnasLoadErrorInOneLine() {
    // The shape of JNA 5's message when dlopen fails (first line, one line per attempt, path).
    UnsatisfiedLinkError jna =
        new UnsatisfiedLinkError(
            "Unable to load library 'nopcap':\n"
                + "libnopcap.so: cannot open shared object file: No such file or directory\n"
                + "libnopcap.so: cannot open shared object file: No such file or directory\n"
                + "Native library (linux-x86-64/libnopcap.so) not found in resource path (a.jar)");
    CaptureException e = Libpcap.loadFailure("nopcap", new ExceptionInInitializerError(jna));
    assertThat(e.kind()).isEqualTo(CaptureException.Kind.LIBPCAP_MISSING);
    assertThat(e.getMessage())
        .isEqualTo(
            "libpcap could not be loaded (nopcap): Unable to load library 'nopcap':"
                + " libnopcap.so: cannot open shared object file: No such file or directory;"
                + " install it with \"apt-get install libpcap0.8\"");
  }

  @Test
  void loadsTheInstalledLibpcap() throws Exception {
    // This machine has libpcap (the README installs libpcap0.8): load it and ask its version.
    assertThat(Libpcap.load()).startsWith("libpcap version ");
    assertThat(Libpcap.load()).isEqualTo(Libpcap.load());
  }
}
