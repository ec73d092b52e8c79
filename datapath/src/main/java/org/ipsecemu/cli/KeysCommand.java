package org.ipsecemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ipsecemu.sadb.keyfile.KeyFiles;
import org.ipsecemu.sadb.keyfile.WiresharkEspSa;
import org.ipsecemu.sadb.wire.PfKeyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ipsec-emu keys}: converts a key file of any supported format into another tool's format;
 * for now Wireshark's ESP SA table, so a capture can be decrypted in Wireshark with the keys the
 * emulator uses.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Convert a key file into Wireshark's ESP SA table (the esp_sa file of a Wireshark profile"
          + " directory, or a line for tshark -o \"uat:esp_sa:LINE\").",
      "The key file may be setkey input (its add statements), setkey -D output, ip xfrm state"
          + " output or commands, or an esp_sa file; its format is recognised by its content.",
      "Only ESP SAs fit the table: others are listed on standard error and left out.",
      "Exit status: 0 when the table was written, 1 when the key file cannot be read or holds"
          + " no ESP SA."
    })
public final class KeysCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--wireshark",
      description = "Write Wireshark's esp_sa table (the only output format so far).")
  boolean wireshark;

  @Option(names = "--sa", required = true, paramLabel = "FILE", description = "The key file.")
  Path sa;

  @Option(
      names = "--exact-ipv6",
      description =
          "Write IPv6 addresses as they are. By default they are written as * (the SPI selects the"
              + " SA), because Wireshark 4.0 matches exact IPv6 entries unreliably.")
  boolean exactIpv6;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    PrintWriter out = cl.getOut();
    PrintWriter err = cl.getErr();
    if (!wireshark) {
      throw new CommandLine.ParameterException(cl, "choose an output format: --wireshark");
    }
    KeyFiles.Read read;
    try {
      read = KeyFiles.read(sa);
    } catch (IOException e) {
      err.println("keys: cannot read " + sa + ": " + e.getMessage());
      err.flush();
      return 1;
    } catch (PfKeyException e) {
      err.println(e.getMessage());
      err.flush();
      return 1;
    }
    WiresharkEspSa.Written w = WiresharkEspSa.write(read.sas(), exactIpv6);
    for (WiresharkEspSa.Skipped s : w.skipped()) {
      err.printf("%s: left out SPI 0x%08x: %s%n", s.sa().where(), s.sa().spi(), s.reason());
    }
    int written = read.sas().size() - w.skipped().size();
    if (written == 0) {
      err.println("keys: " + sa + " (" + read.format() + ") holds no ESP SA; nothing written");
      err.flush();
      return 1;
    }
    if (output == null) {
      out.print(w.text());
    } else {
      try {
        Files.writeString(output, w.text(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("keys: cannot write " + output + ": " + e.getMessage());
        err.flush();
        return 1;
      }
      out.printf(
          "keys: wrote %d ESP SA(s) from %s (%s) to %s%n", written, sa, read.format(), output);
    }
    out.flush();
    err.flush();
    return 0;
  }
}
