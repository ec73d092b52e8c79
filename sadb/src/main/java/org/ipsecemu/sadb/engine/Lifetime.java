package org.ipsecemu.sadb.engine;

/**
 * One lifetime variant of an SA (RFC 2367 §2.3.2): HARD or SOFT limits, or the CURRENT usage.
 *
 * <p>As limits, a zero field means "no limit on this quantity"; {@code addtime} and {@code usetime}
 * are then durations in seconds after creation and after first use. As CURRENT, {@code addtime} and
 * {@code usetime} are epoch seconds (usetime 0: never used). {@code allocations} is an unsigned
 * 32-bit quantity on the wire.
 */
public record Lifetime(long allocations, long bytes, long addtime, long usetime) {
  /** No limit at all: the lifetime of an SA without a Lifetime extension. */
  public static final Lifetime NONE = new Lifetime(0, 0, 0, 0);

  public Lifetime {
    if (allocations < 0 || allocations > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("allocations=" + allocations + " (expected: 0..2^32-1)");
    }
  }

  /** Whether no field sets a limit. */
  public boolean isUnlimited() {
    return allocations == 0 && bytes == 0 && addtime == 0 && usetime == 0;
  }
}
