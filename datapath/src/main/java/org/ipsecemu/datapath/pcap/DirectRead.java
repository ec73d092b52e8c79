package org.ipsecemu.datapath.pcap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import org.pcap4j.core.PcapHandle;

/**
 * libpcap's {@code pcap_next_ex}, bound straight through JNA, for {@link PcapReader}'s frames: the
 * reading counterpart of {@link DirectDump}.
 *
 * <p>Why: pcap4j 1.8.2 hands each frame of a {@code pcap_dispatch} to Java through a JNA callback,
 * and builds a {@code java.sql.Timestamp} and a boxed original length per frame in thread-locals.
 * On this project's 2-core machine that cost about 6 µs per 1500-byte frame (the replay's reading
 * thread spent more time reading than the workers spent on ESP), which made the reading thread the
 * bottleneck of a replay with several workers. A direct-mapped {@code pcap_next_ex} on pcap4j's own
 * {@code pcap_t}, with one reused pair of out-pointers, returns the same frames, timestamps and
 * lengths with one native call and one copy per frame. pcap4j still opens and closes the capture.
 * The handle's native pointer is read from pcap4j's private field {@code handle}; should a later
 * pcap4j lack it, {@link #available()} is false and the reader goes back to {@code dispatch}.
 *
 * <pre>
 * int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **pkt_header, const u_char **pkt_data);
 * struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; };
 * struct timeval     { long tv_sec; long tv_usec; }   (C long: NativeLong; nanoseconds in tv_usec
 *                                                       for a capture opened at nanosecond precision)
 * </pre>
 */
final class DirectRead {
  private static final int TV_SEC_OFFSET = 0;
  private static final int TV_USEC_OFFSET = TV_SEC_OFFSET + Native.LONG_SIZE;
  private static final int CAPLEN_OFFSET = TV_USEC_OFFSET + Native.LONG_SIZE;
  private static final int LEN_OFFSET = CAPLEN_OFFSET + 4;

  /** pcap_next_ex's results (pcap/pcap.h). */
  static final int OK = 1;

  static final int TIMEOUT = 0;
  static final int ERROR = -1;
  static final int END = -2;

  private static final Field HANDLE;

  static {
    Field f = null;
    try {
      Field candidate = PcapHandle.class.getDeclaredField("handle");
      if (candidate.getType() == Pointer.class) {
        candidate.setAccessible(true);
        // pcap4j has loaded libpcap under this name (Libpcap.load() ran before any reader).
        String name =
            System.getProperty(Libpcap.LIB_NAME_PROPERTY, Platform.isWindows() ? "wpcap" : "pcap");
        Native.register(DirectRead.class, NativeLibrary.getInstance(name));
        f = candidate;
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      f = null; // PcapReader falls back to pcap4j's dispatch
    }
    HANDLE = f;
  }

  private DirectRead() {}

  private static native int pcap_next_ex(Pointer p, Pointer header, Pointer data);

  private static native String pcap_geterr(Pointer p);

  /** Whether frames can be read through {@link Cursor}. */
  static boolean available() {
    return HANDLE != null;
  }

  /** A cursor over pcap4j's handle, or {@code null} when its {@code pcap_t *} cannot be had. */
  static Cursor open(PcapHandle handle) {
    if (HANDLE == null) {
      return null;
    }
    try {
      Pointer p = (Pointer) HANDLE.get(handle);
      return p == null ? null : new Cursor(p);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * One capture's reading state: the {@code pcap_t *} and the two out-pointers {@code pcap_next_ex}
   * fills, reused for every frame. After {@link #next()} returns {@link #OK}, the accessors
   * describe the frame until the next call (libpcap owns the buffer).
   */
  static final class Cursor {
    private final Pointer pcap;
    private final Memory out = new Memory(2L * Native.POINTER_SIZE);
    private final Pointer headerOut = out.share(0);
    private final Pointer dataOut = out.share(Native.POINTER_SIZE);
    private Pointer header;

    private Cursor(Pointer pcap) {
      this.pcap = pcap;
    }

    /** {@link #OK}, {@link #END}, {@link #ERROR} (see {@link #error()}), or another result. */
    int next() {
      int r = pcap_next_ex(pcap, headerOut, dataOut);
      header = r == OK ? out.getPointer(0) : null;
      return r;
    }

    long seconds() {
      return Native.LONG_SIZE == 8 ? header.getLong(TV_SEC_OFFSET) : header.getInt(TV_SEC_OFFSET);
    }

    /** The fraction of the second in the unit the capture was opened with (nanoseconds here). */
    long fraction() {
      return Native.LONG_SIZE == 8 ? header.getLong(TV_USEC_OFFSET) : header.getInt(TV_USEC_OFFSET);
    }

    int capturedLength() {
      return header.getInt(CAPLEN_OFFSET);
    }

    /** {@code len}: an unsigned 32-bit field, returned as its bits (negative past 2 GiB). */
    int originalLength() {
      return header.getInt(LEN_OFFSET);
    }

    /** The frame's captured bytes, copied. */
    byte[] copyData() {
      int n = capturedLength();
      byte[] b = new byte[n];
      out.getPointer(Native.POINTER_SIZE).read(0, b, 0, n);
      return b;
    }

    /** libpcap's message for the last {@link #ERROR}. */
    String error() {
      String m = pcap_geterr(pcap);
      return m == null || m.isEmpty() ? "unknown error" : m;
    }
  }
}
