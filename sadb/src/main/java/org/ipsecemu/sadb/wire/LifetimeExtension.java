package org.ipsecemu.sadb.wire;

/**
 * A Lifetime extension (RFC 2367 §2.3.2, {@code struct sadb_lifetime}, 32 bytes): CURRENT, HARD or
 * SOFT, told apart by {@code kind}.
 *
 * <p>{@code bytes}, {@code addtime} and {@code usetime} are unsigned 64-bit values held in a {@code
 * long}; use {@link Long#toUnsignedString(long)} to print them.
 *
 * @param kind SADB_EXT_LIFETIME_CURRENT, _HARD or _SOFT
 * @param allocations number of allocations (unsigned 32-bit)
 * @param bytes bytes processed or allowed (unsigned 64-bit)
 * @param addtime creation time (CURRENT) or seconds after creation (HARD, SOFT)
 * @param usetime first use time (CURRENT) or seconds after first use (HARD, SOFT)
 */
public record LifetimeExtension(
    ExtensionType kind, long allocations, long bytes, long addtime, long usetime)
    implements SadbExtension {
  /** Checks the kind and the 32-bit allocations field. */
  public LifetimeExtension {
    Checks.kind(
        "LifetimeExtension",
        kind,
        ExtensionType.SADB_EXT_LIFETIME_CURRENT,
        ExtensionType.SADB_EXT_LIFETIME_HARD,
        ExtensionType.SADB_EXT_LIFETIME_SOFT);
    Checks.u32("allocations", allocations);
  }

  @Override
  public int exttype() {
    return kind.value();
  }

  @Override
  public int len() {
    return 4;
  }
}
