package org.ipsecemu.datapath.crypto;

import java.util.Objects;

/** IVs from a 64-bit counter, big-endian; refuses to wrap around to where it started. */
final class CounterIvGenerator implements IvGenerator {
  private final long start;
  private long next;
  private boolean exhausted;

  CounterIvGenerator(long start) {
    this(start, start);
  }

  /** A counter that started at {@code start} and has come to {@code next} (tests). */
  CounterIvGenerator(long start, long next) {
    this.start = start;
    this.next = next;
  }

  @Override
  public void next(byte[] dst, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, dst.length);
    if (exhausted) {
      throw new IllegalStateException("IV counter exhausted: 2^64 IVs used under one key");
    }
    long v = next++;
    if (next == start) {
      exhausted = true;
    }
    for (int i = length - 1, shift = 0; i >= 0; i--, shift += 8) {
      dst[offset + i] = shift < 64 ? (byte) (v >>> shift) : 0;
    }
  }

  @Override
  public String toString() {
    return "IvGenerator[counter]";
  }
}
