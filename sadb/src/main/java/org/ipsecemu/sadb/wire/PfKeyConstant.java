package org.ipsecemu.sadb.wire;

/**
 * A protocol constant of PF_KEY v2 (or of the Linux/KAME additions in the same name space): its
 * numeric value on the wire and its symbolic name exactly as the RFC or header spells it.
 *
 * <p>Every constants enum of this package implements it; the enum constant's {@link #name()} is the
 * symbol ({@code SADB_ADD}, {@code SADB_EXT_SA}), so printing shows the RFC's names.
 */
public interface PfKeyConstant {
  /** The number on the wire. */
  int value();

  /** The symbolic name, as the RFC spells it (the enum constant's name). */
  String name();

  /** Same as {@link #name()}; reads better where the symbol is printed. */
  default String symbol() {
    return name();
  }
}
