package org.ipsecemu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ipsecemu.sadb.print.PfKeyJson;
import org.ipsecemu.sadb.print.TreePrinter;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockaddrLayout;
import org.ipsecemu.sadb.wire.WireFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ipsec-emu pfkey}: PF_KEY v2 messages (RFC 2367) from hex to a readable tree or JSON and
 * back, to look at what a key management daemon sends and to build messages by hand.
 */
@Command(
    name = "pfkey",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Decode and encode PF_KEY v2 messages (RFC 2367).",
    subcommands = {PfKeyCommand.Decode.class, PfKeyCommand.Encode.class})
public final class PfKeyCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The host-dependent wire format, shared by both subcommands. */
  static final class FormatOptions {
    @Option(
        names = "--byte-order",
        defaultValue = "little",
        paramLabel = "little|big",
        description = "Host byte order of multi-octet fields (default: ${DEFAULT-VALUE}, x86).")
    String byteOrder;

    @Option(
        names = "--sockaddr",
        defaultValue = "linux",
        paramLabel = "linux|bsd",
        description =
            "Sockaddr layout: linux (no sa_len, AF_INET6=10) or bsd (sa_len, AF_INET6=28)"
                + " (default: ${DEFAULT-VALUE}).")
    String sockaddr;

    WireFormat format(CommandLine cl) {
      ByteOrder order;
      switch (byteOrder.toLowerCase(Locale.ROOT)) {
        case "little":
        case "le":
          order = ByteOrder.LITTLE_ENDIAN;
          break;
        case "big":
        case "be":
          order = ByteOrder.BIG_ENDIAN;
          break;
        default:
          throw new CommandLine.ParameterException(
              cl, "--byte-order must be little or big, not '" + byteOrder + "'");
      }
      SockaddrLayout layout;
      switch (sockaddr.toLowerCase(Locale.ROOT)) {
        case "linux":
          layout = SockaddrLayout.LINUX;
          break;
        case "bsd":
          layout = SockaddrLayout.BSD;
          break;
        default:
          throw new CommandLine.ParameterException(
              cl, "--sockaddr must be linux or bsd, not '" + sockaddr + "'");
      }
      return new WireFormat(order, layout);
    }
  }

  /** Where input comes from: standard input unless a file is named. */
  abstract static class Input {
    /** Standard input; tests replace it. */
    InputStream stdin = System.in;

    Reader open(String file) throws IOException {
      if (file == null || file.equals("-")) {
        return new InputStreamReader(stdin, StandardCharsets.UTF_8);
      }
      return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
    }
  }

  /** {@code pfkey decode}: hex in, tree or JSON out. */
  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = {
        "Decode PF_KEY messages written in hex: one --hex message, or one message per line of"
            + " FILE or standard input ('-'). Blank lines and lines starting with '#' are skipped.",
        "Prints one result per message, in order: a tree of the message's structures in the"
            + " manner of `setkey -x`, or with --json one JSON object per line. A message that"
            + " does not decode prints its errno and reason.",
        "Exit status: 0 when every message decodes, 1 otherwise."
      })
  static final class Decode extends Input implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin FormatOptions formatOptions = new FormatOptions();

    @Option(names = "--json", description = "Print one JSON object per message.")
    boolean json;

    @Option(names = "--hex", paramLabel = "HEX", description = "Decode this one message.")
    String hex;

    @Parameters(
        arity = "0..1",
        paramLabel = "FILE",
        description = "File with one hex message per line; '-' or none for standard input.")
    String file;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      if (hex != null && file != null) {
        throw new CommandLine.ParameterException(cl, "give either --hex or FILE, not both");
      }
      PfKeyCodec codec = new PfKeyCodec(formatOptions.format(cl));
      TreePrinter tree = new TreePrinter(codec);
      PrintWriter out = cl.getOut();
      List<String> inputs;
      if (hex != null) {
        inputs = List.of(hex);
      } else {
        try (BufferedReader r = new BufferedReader(open(file))) {
          inputs = new ArrayList<>();
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
              inputs.add(t);
            }
          }
        } catch (IOException | UncheckedIOException e) {
          cl.getErr()
              .println("ipsec-emu pfkey decode: cannot read " + file + ": " + e.getMessage());
          return 1;
        }
      }
      boolean allDecoded = true;
      boolean first = true;
      for (String input : inputs) {
        String result;
        try {
          SadbMessage m = codec.decode(parseHex(input));
          result = json ? PfKeyJson.toJson(m) : tree.print(m);
        } catch (PfKeyException e) {
          allDecoded = false;
          result =
              json
                  ? PfKeyJson.errorJson(e)
                  : "error: "
                      + e.errno().name()
                      + " ("
                      + e.errno().strerror()
                      + "): "
                      + e.reason()
                      + "\n";
        }
        if (!json && !first) {
          out.println();
        }
        out.print(json ? result + "\n" : result);
        first = false;
      }
      out.flush();
      return allDecoded ? 0 : 1;
    }

    private static byte[] parseHex(String text) {
      String clean = text.replaceAll("[\\s:]", "");
      if (clean.startsWith("0x") || clean.startsWith("0X")) {
        clean = clean.substring(2);
      }
      try {
        return HexFormat.of().parseHex(clean);
      } catch (IllegalArgumentException e) {
        throw new PfKeyException(Errno.EINVAL, "not hex: " + e.getMessage());
      }
    }
  }

  /** {@code pfkey encode}: JSON in, hex out. */
  @Command(
      name = "encode",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = {
        "Encode PF_KEY messages from the JSON that `pfkey decode --json` prints: one --json"
            + " message, or a sequence of JSON objects (one per line, or pretty-printed) in FILE"
            + " or standard input ('-'). Lines starting with '#' are comments.",
        "Lengths (len, sens_len, integ_len) are computed; symbolic fields take names,"
            + " UNKNOWN(n) or numbers; omitted numbers are 0.",
        "Prints one hex line per message, in order; a message that cannot be built prints"
            + " {\"error\":…,\"reason\":…} instead.",
        "Exit status: 0 when every message encodes, 1 otherwise."
      })
  static final class Encode extends Input implements Callable<Integer> {
    private static final ObjectMapper MAPPER =
        JsonMapper.builder().enable(JsonReadFeature.ALLOW_YAML_COMMENTS).build();

    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin FormatOptions formatOptions = new FormatOptions();

    @Option(names = "--json", paramLabel = "JSON", description = "Encode this one message.")
    String jsonText;

    @Parameters(
        arity = "0..1",
        paramLabel = "FILE",
        description = "File of JSON messages; '-' or none for standard input.")
    String file;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      if (jsonText != null && file != null) {
        throw new CommandLine.ParameterException(cl, "give either --json or FILE, not both");
      }
      PfKeyCodec codec = new PfKeyCodec(formatOptions.format(cl));
      PrintWriter out = cl.getOut();
      boolean allEncoded = true;
      Reader reader;
      try {
        reader = jsonText != null ? new StringReader(jsonText) : open(file);
      } catch (IOException e) {
        cl.getErr().println("ipsec-emu pfkey encode: cannot read " + file + ": " + e.getMessage());
        return 1;
      }
      try (reader) {
        MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(reader);
        while (it.hasNextValue()) {
          JsonNode node = it.nextValue();
          try {
            out.println(HexFormat.of().formatHex(codec.encode(PfKeyJson.fromTree(node))));
          } catch (PfKeyException e) {
            out.println(PfKeyJson.errorJson(e));
            allEncoded = false;
          }
        }
      } catch (IOException | UncheckedIOException e) {
        // A syntax error leaves the parser lost: report it in place and stop.
        out.println(PfKeyJson.errorJson(new PfKeyException(Errno.EINVAL, syntax(e))));
        allEncoded = false;
      }
      out.flush();
      return allEncoded ? 0 : 1;
    }

    private static String syntax(Exception e) {
      Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
      String msg = t instanceof JsonProcessingException j ? j.getOriginalMessage() : t.getMessage();
      String where = "";
      if (t instanceof JsonProcessingException j && j.getLocation() != null) {
        where =
            " at line " + j.getLocation().getLineNr() + " column " + j.getLocation().getColumnNr();
      }
      return "malformed JSON" + where + ": " + String.valueOf(msg).replace('\n', ' ');
    }
  }
}
