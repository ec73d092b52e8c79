package org.ipsecemu.datapath.pcap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.reflect.Method;
import org.pcap4j.core.PcapDumper;

/**
 * libpcap's {@code pcap_dump}, bound straight through JNA, for {@link PcapWriter}'s frames.
 *
 * <p>Why: pcap4j 1.8.2's {@code PcapDumper.dumpRaw} builds two JNA structures per frame (about 10
 * µs a frame here, ten times the cost of reading one) and writes the original length equal to the
 * captured length. Calling {@code pcap_dump} on pcap4j's own dumper with one reused 24-byte {@code
 * struct pcap_pkthdr} writes the same bytes about ten times faster and keeps the original length.
 * pcap4j still opens, flushes and closes the file. The dumper's native pointer is read through
 * pcap4j's package-private {@code getDumper()}; should a later pcap4j lack it, {@link #available()}
 * is false and the writer goes back to {@code dumpRaw}.
 *
 * <pre>
 * struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; };
 * struct timeval     { long tv_sec; long tv_usec; }   (C long: NativeLong)
 * </pre>
 */
final class DirectDump {
  private static final int TV_SEC_OFFSET = 0;
  private static final int TV_USEC_OFFSET = TV_SEC_OFFSET + Native.LONG_SIZE;
  private static final int CAPLEN_OFFSET = TV_USEC_OFFSET + Native.LONG_SIZE;
  private static final int LEN_OFFSET = CAPLEN_OFFSET + 4;
  static final int HEADER_SIZE = LEN_OFFSET + 4;

  private static final Method GET_DUMPER;

  static {
    Method m = null;
    try {
      Method candidate = PcapDumper.class.getDeclaredMethod("getDumper");
      candidate.setAccessible(true);
      // pcap4j has loaded libpcap under this name (Libpcap.load() ran before any writer).
      String name =
          System.getProperty(Libpcap.LIB_NAME_PROPERTY, Platform.isWindows() ? "wpcap" : "pcap");
      Native.register(DirectDump.class, NativeLibrary.getInstance(name));
      m = candidate;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      m = null; // PcapWriter falls back to pcap4j's dumpRaw
    }
    GET_DUMPER = m;
  }

  private DirectDump() {}

  private static native void pcap_dump(Pointer user, Pointer header, byte[] packet);

  /** Whether frames can be written through {@link #dump}. */
  static boolean available() {
    return GET_DUMPER != null;
  }

  /** pcap4j's {@code pcap_dumper_t *}, or {@code null} when it cannot be had. */
  static Pointer dumperPointer(PcapDumper dumper) {
    if (GET_DUMPER == null) {
      return null;
    }
    try {
      return (Pointer) GET_DUMPER.invoke(dumper);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A header to reuse for every frame of one writer. */
  static Memory newHeader() {
    return new Memory(HEADER_SIZE);
  }

  /**
   * Writes one record: {@code caplen} bytes of {@code packet} (at most its length), with this time
   * ({@code fraction} in the unit the dumper was opened with) and original length.
   */
  static void dump(
      Pointer dumper,
      Memory header,
      byte[] packet,
      int caplen,
      int originalLength,
      long seconds,
      long fraction) {
    if (Native.LONG_SIZE == 8) {
      header.setLong(TV_SEC_OFFSET, seconds);
      header.setLong(TV_USEC_OFFSET, fraction);
    } else {
      header.setInt(TV_SEC_OFFSET, (int) seconds);
      header.setInt(TV_USEC_OFFSET, (int) fraction);
    }
    header.setInt(CAPLEN_OFFSET, caplen);
    header.setInt(LEN_OFFSET, originalLength);
    pcap_dump(dumper, header, packet);
  }
}
