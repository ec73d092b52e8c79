package org.ipsecemu.datapath.fragment;

/** Receives the fragments {@link Fragmenter} makes, one at a time, in order. */
@FunctionalInterface
public interface FragmentSink {
  /**
   * One fragment, {@code buf[offset, offset+length)}: valid only during the call (the array is
   * reused for the next fragment).
   */
  void accept(byte[] buf, int offset, int length);
}
