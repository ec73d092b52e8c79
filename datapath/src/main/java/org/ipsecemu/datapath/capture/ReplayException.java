package org.ipsecemu.datapath.capture;

/**
 * A replay that cannot start or go on because of something the user can fix: a key file that is
 * missing or has a bad line (the message names the file and the line), a statement the Key Engine
 * refuses, an output that would overwrite the input. The message is one line, meant to be printed
 * as it is without a stack trace; it never shows key bytes. Capture files and libpcap report their
 * problems as {@link org.ipsecemu.datapath.pcap.CaptureException}s, in the same manner.
 */
public final class ReplayException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An exception with a one-line message. */
  public ReplayException(String message) {
    super(message);
  }
}
