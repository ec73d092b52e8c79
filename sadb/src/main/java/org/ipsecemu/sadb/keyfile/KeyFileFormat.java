package org.ipsecemu.sadb.keyfile;

import java.util.regex.Pattern;

/**
 * The key-file formats {@link KeyFiles} reads, each recognised by its content: no file name or
 * extension is trusted.
 */
public enum KeyFileFormat {
  /** ipsec-tools {@code setkey -f} input: {@code add ...;} statements. */
  SETKEY("setkey"),
  /** {@code setkey -D} output, keys included. */
  SETKEY_DUMP("setkey -D"),
  /** Linux {@code ip xfrm state} output, or {@code ip xfrm state add} commands. */
  IP_XFRM("ip xfrm state"),
  /** Wireshark's ESP SA table ({@code esp_sa}). */
  WIRESHARK_ESP_SA("wireshark esp_sa");

  private static final Pattern DUMP_SA_LINE =
      Pattern.compile("(?m)^\\s+\\S+ mode=\\S+ spi=\\d+\\(0x[0-9a-fA-F]+\\)");
  private static final Pattern XFRM_HEADER = Pattern.compile("(?m)^src \\S+ dst \\S+\\s*$");
  private static final Pattern XFRM_COMMAND = Pattern.compile("(?m)^ip (-\\S+ )*x\\S* (state|sa) ");

  private final String label;

  KeyFileFormat(String label) {
    this.label = label;
  }

  /** A short name for messages. */
  public String label() {
    return label;
  }

  /**
   * Recognises a format from the text: a {@code setkey -D} SA line ({@code esp mode=tunnel
   * spi=123(0x0000007b)}), an {@code ip xfrm} state header ({@code src A dst B}) or command, a
   * first meaningful line that starts with a quote (Wireshark's UAT); anything else is {@code
   * setkey} input, whose parser then says what is wrong with it.
   */
  public static KeyFileFormat detect(String text) {
    if (DUMP_SA_LINE.matcher(text).find()) {
      return SETKEY_DUMP;
    }
    if (XFRM_HEADER.matcher(text).find() || XFRM_COMMAND.matcher(text).find()) {
      return IP_XFRM;
    }
    for (String line : text.split("\r?\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      return l.startsWith("\"") ? WIRESHARK_ESP_SA : SETKEY;
    }
    return SETKEY;
  }

  @Override
  public String toString() {
    return label;
  }
}
