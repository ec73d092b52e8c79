package org.ipsecemu.sadb.wire;

/**
 * FreeBSD's replay window extension, SADB_X_EXT_SA_REPLAY ({@code struct sadb_x_sa_replay}, 8
 * bytes). {@code sadb_sa_replay} (RFC 2367 §2.3.1) is 8 bits wide, so it cannot name windows of 256
 * packets or more; this extension carries the window when it is larger, and then wins over {@code
 * sadb_sa_replay}.
 *
 * @param replay the replay window in packets, unsigned 32-bit, host byte order on the wire
 */
public record SaReplayExtension(long replay) implements SadbExtension {
  /** Checks the width. */
  public SaReplayExtension {
    Checks.u32("replay", replay);
  }

  @Override
  public int exttype() {
    return ExtensionType.SADB_X_EXT_SA_REPLAY.value();
  }

  @Override
  public int len() {
    return 1;
  }
}
