package org.ipsecemu.sadb.setkey;

import java.util.Objects;

/**
 * Where a statement or an SA came from: the file (or {@code <stdin>}, or a test's name) and the
 * 1-based line, so every later error can point back at the text a user wrote.
 *
 * @param file the file name as the user gave it
 * @param line the 1-based line number
 */
public record SourceLocation(String file, int line) {
  /** Checks the fields. */
  public SourceLocation {
    Objects.requireNonNull(file, "file");
    if (line < 1) {
      throw new IllegalArgumentException("line=" + line + " (lines count from 1)");
    }
  }

  /** {@code file:line}, the form compilers and {@code setkey} use. */
  @Override
  public String toString() {
    return file + ":" + line;
  }
}
