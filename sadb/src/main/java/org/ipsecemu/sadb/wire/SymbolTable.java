package org.ipsecemu.sadb.wire;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Number and name lookup for one constants enum: the "open enum" behaviour of this package. Unknown
 * numbers print as {@code UNKNOWN(200)} and parse back to 200, so they survive a round trip through
 * the printers and the JSON reader.
 */
final class SymbolTable<E extends Enum<E> & PfKeyConstant> {
  private final String what;
  private final Map<Integer, E> byValue = new HashMap<>();
  private final Map<String, E> byName = new HashMap<>();

  SymbolTable(String what, E[] constants) {
    this.what = what;
    for (E e : constants) {
      // The first constant with a value wins, so aliases may follow their canonical name.
      byValue.putIfAbsent(e.value(), e);
      byName.put(e.name(), e);
    }
  }

  Optional<E> valueOf(int value) {
    return Optional.ofNullable(byValue.get(value));
  }

  String symbolOf(int value) {
    E e = byValue.get(value);
    return e != null ? e.name() : "UNKNOWN(" + value + ")";
  }

  /**
   * Parses a symbol, {@code UNKNOWN(n)} or a decimal or {@code 0x} hex number into the wire value.
   *
   * @throws IllegalArgumentException when the text is none of these
   */
  int parse(String text) {
    String t = text.trim();
    E e = byName.get(t);
    if (e == null) {
      e = byName.get(t.toUpperCase(Locale.ROOT));
    }
    if (e != null) {
      return e.value();
    }
    String number = t;
    if (t.startsWith("UNKNOWN(") && t.endsWith(")")) {
      number = t.substring("UNKNOWN(".length(), t.length() - 1);
    }
    try {
      if (number.startsWith("0x") || number.startsWith("0X")) {
        return Integer.parseUnsignedInt(number.substring(2), 16);
      }
      return Integer.parseInt(number);
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("unknown " + what + " \"" + text + "\"");
    }
  }
}
