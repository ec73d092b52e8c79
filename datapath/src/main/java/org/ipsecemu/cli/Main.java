package org.ipsecemu.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ipsec-emu} command: one entry point whose subcommands drive each part of the emulator.
 */
@Command(
    name = "ipsec-emu",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "An in-memory IPsec datapath emulator: PF_KEY v2 Key Engine, ESP/AH, pcap replay.",
    subcommands = {
      CommandLine.HelpCommand.class,
      PfKeyCommand.class,
      SetkeyCommand.class,
      ReplayCommand.class,
      KeysCommand.class,
      DemoCommand.class,
      ServeCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line with every subcommand; tests call this to run commands in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Reads the version from the jar manifest, so there is one version: the POM's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"ipsec-emu " + (v == null ? "(development build)" : v)};
    }
  }
}
