package org.ipsecemu.sadb.keyfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ipsecemu.sadb.setkey.SaSpec;
import org.ipsecemu.sadb.setkey.SetkeyOperation;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.setkey.SetkeyStatement;

/**
 * Reads a key file of any supported format ({@link KeyFileFormat}) into the same list of {@link
 * SaSpec}s, in file order: what {@code ipsec-emu replay --sa FILE} and {@code ipsec-emu keys} take.
 * Errors are {@link org.ipsecemu.sadb.wire.PfKeyException}s (EINVAL) that name the file and the
 * line.
 *
 * <p>For {@code setkey} input the SAs are those of its {@code add} statements; the other statements
 * ({@code flush}, {@code spdadd}, ...) install no SA and are left out. Running such a file
 * statement by statement is {@code ipsec-emu setkey -f}'s job.
 */
public final class KeyFiles {
  private KeyFiles() {}

  /** The result of reading a key file: its format and its SAs. */
  public record Read(KeyFileFormat format, List<SaSpec> sas) {
    /** Copies the list. */
    public Read {
      sas = List.copyOf(sas);
    }
  }

  /**
   * Reads a file (UTF-8), recognising its format; errors name the file as given.
   *
   * @throws IOException when the file cannot be read
   */
  public static Read read(Path path) throws IOException {
    return read(Files.readString(path, StandardCharsets.UTF_8), path.toString());
  }

  /** Reads key-file text, recognising its format; {@code file} is the name errors show. */
  public static Read read(String text, String file) {
    KeyFileFormat format = KeyFileFormat.detect(text);
    return new Read(format, read(text, file, format));
  }

  /** Reads key-file text of a known format. */
  public static List<SaSpec> read(String text, String file, KeyFileFormat format) {
    return switch (format) {
      case SETKEY -> setkey(text, file);
      case SETKEY_DUMP -> SetkeyDumpReader.read(text, file);
      case IP_XFRM -> XfrmStateReader.read(text, file);
      case WIRESHARK_ESP_SA -> WiresharkEspSa.read(text, file);
    };
  }

  private static List<SaSpec> setkey(String text, String file) {
    List<SaSpec> out = new ArrayList<>();
    for (SetkeyStatement s : new SetkeyParser(file).parse(text)) {
      if (s.operation() == SetkeyOperation.ADD) {
        out.add(s.sa());
      }
    }
    return out;
  }
}
