package org.ipsecemu.datapath.pcap;

import java.io.IOException;

/**
 * A capture that cannot be read or written, or a libpcap that cannot be loaded: the errors a user
 * can cause. The message is one line that names the file and says what is wrong, meant to be
 * printed as it is, without a stack trace: {@code in.pcap: not a pcap or pcapng capture}.
 */
public final class CaptureException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for a command that maps errors to exit statuses. */
  public enum Kind {
    /** libpcap is not installed, or could not be loaded. */
    LIBPCAP_MISSING,
    /** The input file does not exist. */
    NO_SUCH_FILE,
    /** The file exists but cannot be read (permissions, a directory). */
    UNREADABLE,
    /** The file is neither pcap nor pcapng. */
    NOT_A_CAPTURE,
    /** The capture ends in the middle of its header or of a frame. */
    TRUNCATED,
    /** libpcap refused the capture's data for another reason. */
    BAD_CAPTURE,
    /** The capture's link type is not one replay reads. */
    UNSUPPORTED_LINK_TYPE,
    /** A packet cannot be carried by the output's link type (IPv6 in a LINKTYPE_IPV4 file). */
    LINK_TYPE_MISMATCH,
    /** The output file cannot be created or written. */
    WRITE_FAILED
  }

  private final Kind kind;

  /** An exception of this kind with a one-line message. */
  public CaptureException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }
}
