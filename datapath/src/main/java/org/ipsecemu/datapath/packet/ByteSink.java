package org.ipsecemu.datapath.packet;

/**
 * Where integrity-check input goes: a MAC (or any digest) that is fed ranges of a byte array, such
 * as the AH ICV input of {@code org.ipsecemu.datapath.ah.AhIcvInput}.
 *
 * <p>Kept this small so that the packet code does not depend on the crypto package: a crypto
 * transform adapts with a method reference ({@code mac::update}). Implementations must not keep a
 * reference to the array past the call: callers pass scratch buffers they reuse.
 */
@FunctionalInterface
public interface ByteSink {
  /** Feeds {@code length} bytes of {@code buf} starting at {@code offset}. */
  void update(byte[] buf, int offset, int length);
}
