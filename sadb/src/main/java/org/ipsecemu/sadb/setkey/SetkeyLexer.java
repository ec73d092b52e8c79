package org.ipsecemu.sadb.setkey;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code setkey} input into {@link Token}s, after {@code setkey/token.l}: words, quoted
 * strings, {@code ; [ ] /}, {@code #} comments to the end of the line, and after {@code -P} the raw
 * policy text up to the next {@code ;} (it may span lines, as in {@code setkey}).
 */
final class SetkeyLexer {
  private final String text;
  private final String file;
  private int pos;
  private int line = 1;

  private SetkeyLexer(String text, String file, int firstLine) {
    this.text = text;
    this.file = file;
    this.line = firstLine;
  }

  /**
   * The tokens of {@code text}, ending with an EOF token.
   *
   * @throws SetkeySyntaxException for an unterminated quoted string
   */
  static List<Token> tokenize(String text, String file, int firstLine) {
    return new SetkeyLexer(text, file, firstLine).run();
  }

  /**
   * The index just after the last {@code ;} that ends a statement in {@code text} (not one inside a
   * quoted string or a comment), or -1 when there is none: where {@code setkey -c} input can be cut
   * into complete statements.
   */
  static int endOfLastStatement(String text) {
    int last = -1;
    boolean quoted = false;
    boolean comment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (comment) {
        comment = c != '\n';
      } else if (quoted) {
        quoted = c != '"';
      } else if (c == '"') {
        quoted = true;
      } else if (c == '#') {
        comment = true;
      } else if (c == ';') {
        last = i + 1;
      }
    }
    return last;
  }

  private List<Token> run() {
    List<Token> out = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      if (pos >= text.length()) {
        out.add(new Token(Token.Kind.EOF, "", line));
        return out;
      }
      char c = text.charAt(pos);
      switch (c) {
        case ';' -> out.add(single(Token.Kind.SEMI, c));
        case '[' -> out.add(single(Token.Kind.LBRACKET, c));
        case ']' -> out.add(single(Token.Kind.RBRACKET, c));
        case '/' -> out.add(single(Token.Kind.SLASH, c));
        case '"' -> out.add(quoted());
        default -> {
          Token w = word();
          out.add(w);
          if (w.text().equals("-P")) {
            out.add(policy());
          }
        }
      }
    }
  }

  private void skipSpaceAndComments() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        line++;
        pos++;
      } else if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private Token single(Token.Kind kind, char c) {
    pos++;
    return new Token(kind, String.valueOf(c), line);
  }

  private Token quoted() {
    int startLine = line;
    int end = text.indexOf('"', pos + 1);
    if (end < 0) {
      throw new SetkeySyntaxException(
          new SourceLocation(file, startLine), "\"", "unterminated quoted string");
    }
    String s = text.substring(pos + 1, end);
    line += (int) s.chars().filter(ch -> ch == '\n').count();
    pos = end + 1;
    return new Token(Token.Kind.QUOTED, s, startLine);
  }

  private Token word() {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)
          || c == ';'
          || c == '['
          || c == ']'
          || c == '/'
          || c == '"'
          || c == '#') {
        break;
      }
      pos++;
    }
    return new Token(Token.Kind.WORD, text.substring(start, pos), line);
  }

  /** The policy after {@code -P}: everything up to the next {@code ;}, comments removed. */
  private Token policy() {
    StringBuilder sb = new StringBuilder();
    int startLine = -1;
    while (pos < text.length() && text.charAt(pos) != ';') {
      char c = text.charAt(pos);
      if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
        continue;
      }
      if (c == '\n') {
        line++;
      }
      if (startLine < 0 && !Character.isWhitespace(c)) {
        startLine = line;
      }
      sb.append(c);
      pos++;
    }
    return new Token(Token.Kind.POLICY, sb.toString().trim(), startLine < 0 ? line : startLine);
  }
}
