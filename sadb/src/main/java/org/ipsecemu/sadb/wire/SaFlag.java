package org.ipsecemu.sadb.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The bits of {@code sadb_sa_flags} and {@code sadb_comb_flags}: RFC 2367 §3.2 (SADB_SAFLAGS_PFS)
 * the BSD extended-sequence-number bit and the Linux additions. Flags stay a number in the model;
 * this enum names the bits for printing.
 */
public enum SaFlag implements PfKeyConstant {
  /** §3.2: perfect forward secrecy. */
  SADB_SAFLAGS_PFS(0x1),
  /**
   * FreeBSD and OpenBSD: the SA uses 64-bit extended sequence numbers (RFC 4303 §2.2.1, RFC 4302
   * §2.5.1). Linux PF_KEY has no way to say it (only {@code ip xfrm state ... flag esn}); the
   * emulator takes the BSD bit so that ESN SAs can be keyed over PF_KEY.
   */
  SADB_X_SAFLAGS_ESN(0x400),
  /** Linux: do not set DF / do path MTU discovery on the outer header. */
  SADB_SAFLAGS_NOPMTUDISC(0x20000000),
  /** Linux: copy DSCP from the outer header on decapsulation. */
  SADB_SAFLAGS_DECAP_DSCP(0x40000000),
  /** Linux: no ECN propagation. */
  SADB_SAFLAGS_NOECN(0x80000000);

  private final int value;

  SaFlag(int value) {
    this.value = value;
  }

  /** The bit (as an unsigned 32-bit pattern). */
  @Override
  public int value() {
    return value;
  }

  /**
   * Names the bits of a flags word, e.g. {@code SADB_SAFLAGS_PFS|0x00000100} for a known and an
   * unknown bit, or {@code 0} when no bit is set.
   */
  public static String describe(long flags) {
    if (flags == 0) {
      return "0";
    }
    List<String> parts = new ArrayList<>();
    long rest = flags;
    for (SaFlag f : values()) {
      long bit = Integer.toUnsignedLong(f.value);
      if ((rest & bit) != 0) {
        parts.add(f.name());
        rest &= ~bit;
      }
    }
    if (rest != 0) {
      parts.add(String.format("0x%08x", rest));
    }
    return String.join("|", parts);
  }
}
