package org.ipsecemu.datapath.pcap;

/**
 * The file format of a capture, named as editcap's {@code -F} names it. It decides the timestamp
 * precision of replay's output: nanosecond pcap for nanosecond input, microsecond pcap otherwise.
 */
public enum CaptureFormat {
  /** Classic pcap with microsecond timestamps (magic 0xa1b2c3d4). */
  PCAP(false),
  /** pcap with nanosecond timestamps (magic 0xa1b23c4d). */
  NSECPCAP(true),
  /**
   * pcapng. Its timestamp resolution is per interface (often microseconds, sometimes nanoseconds):
   * output keeps nanoseconds so that no resolution is lost.
   */
  PCAPNG(true);

  private final boolean nanosecond;

  CaptureFormat(boolean nanosecond) {
    this.nanosecond = nanosecond;
  }

  /** Whether output written for this input keeps nanoseconds. */
  public boolean nanosecond() {
    return nanosecond;
  }
}
