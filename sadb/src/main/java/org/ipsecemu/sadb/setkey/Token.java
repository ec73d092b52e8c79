package org.ipsecemu.sadb.setkey;

/**
 * One token of {@code setkey} input, with the line it starts on.
 *
 * @param kind what it is
 * @param text the text (a quoted string without its quotes; a policy as written)
 * @param line the 1-based line it starts on
 */
record Token(Kind kind, String text, int line) {

  /** Token kinds, after {@code setkey/token.l}. */
  enum Kind {
    /** A word: keyword, option, address, number, algorithm, hex key. */
    WORD,
    /** A {@code "quoted string"} (the text holds what is between the quotes). */
    QUOTED,
    /** {@code ;}, the end of a statement. */
    SEMI,
    /** {@code [}. */
    LBRACKET,
    /** {@code ]}. */
    RBRACKET,
    /** {@code /}. */
    SLASH,
    /** The raw text after {@code -P}, up to the {@code ;}. */
    POLICY,
    /** The end of the input. */
    EOF
  }

  /** The token as an error message shows it. */
  String shown() {
    return switch (kind) {
      case EOF -> "end of input";
      case QUOTED -> "\"" + text + "\"";
      default -> text;
    };
  }

  boolean is(Kind k) {
    return kind == k;
  }

  boolean isWord(String w) {
    return kind == Kind.WORD && text.equals(w);
  }
}
