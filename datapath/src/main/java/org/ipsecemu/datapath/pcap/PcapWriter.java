package org.ipsecemu.datapath.pcap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Locale;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Writes a pcap file, frame by frame, through pcap4j's dumper over libpcap: one link type, and
 * timestamps in microseconds or nanoseconds. Replay opens it {@link #createLike like its input} and
 * writes each kept frame as it was ({@link #write(Frame)}) or rebuilt around a new IP packet
 * ({@link #writeReplacingIp}).
 *
 * <p>Frames go to libpcap's {@code pcap_dump} through {@link DirectDump} (ten times faster than
 * pcap4j's {@code dumpRaw}, and it keeps each frame's original length); pcap4j opens and closes the
 * file. The file's snapshot length is 262144 (libpcap's maximum, tcpdump's default) rather than the
 * input's: libpcap cuts a frame longer than the snapshot length when reading, and a rebuilt frame
 * can outgrow the input's. Not thread-safe.
 */
public final class PcapWriter implements Closeable {
  /** libpcap's MAXIMUM_SNAPLEN. */
  static final int SNAPLEN = 262_144;

  /**
   * pcap records hold the seconds in 32 bits, which libpcap reads as signed (Wireshark as
   * unsigned): beyond 2038-01-19 the two disagree, so nothing later is written.
   */
  private static final long MAX_SECONDS = Integer.MAX_VALUE;

  private final Path file;
  private final LinkType linkType;
  private final boolean nanosecond;
  private final PcapHandle handle;
  private final PcapDumper dumper;

  /** libpcap's dumper for {@link DirectDump}, or null to write through pcap4j's dumpRaw. */
  private final Pointer direct;

  /** Reused for every frame by DirectDump. */
  private final Memory header;

  /** Reused for every frame by pcap4j's dumpRaw, which takes the time as a Timestamp. */
  private final Timestamp timestamp = new Timestamp(0);

  private long framesWritten;
  private boolean closed;

  private PcapWriter(
      Path file,
      LinkType linkType,
      boolean nanosecond,
      PcapHandle handle,
      PcapDumper dumper,
      boolean allowDirect) {
    this.file = file;
    this.linkType = linkType;
    this.nanosecond = nanosecond;
    this.handle = handle;
    this.dumper = dumper;
    this.direct = allowDirect ? DirectDump.dumperPointer(dumper) : null;
    this.header = direct == null ? null : DirectDump.newHeader();
  }

  /**
   * Creates (or replaces) a pcap file of this link type, with nanosecond timestamps (magic
   * 0xa1b23c4d) or microsecond ones.
   *
   * @throws CaptureException when libpcap is missing or the file cannot be created
   */
  public static PcapWriter create(Path file, LinkType linkType, boolean nanosecond)
      throws CaptureException {
    return create(file, linkType, nanosecond, true);
  }

  /** {@code allowDirect} false: every frame through pcap4j's dumpRaw (tests of the fallback). */
  static PcapWriter create(Path file, LinkType linkType, boolean nanosecond, boolean allowDirect)
      throws CaptureException {
    Libpcap.load();
    if (Files.isDirectory(file)) {
      throw new CaptureException(CaptureException.Kind.WRITE_FAILED, file + ": is a directory");
    }
    PcapHandle dead;
    try {
      dead =
          Pcaps.openDead(
              DataLinkType.getInstance(dltForWriting(linkType)),
              SNAPLEN,
              nanosecond
                  ? PcapHandle.TimestampPrecision.NANO
                  : PcapHandle.TimestampPrecision.MICRO);
    } catch (PcapNativeException e) {
      throw new CaptureException(
          CaptureException.Kind.WRITE_FAILED, file + ": cannot create (" + e.getMessage() + ")");
    }
    try {
      PcapDumper dumper = dead.dumpOpen(file.toString());
      return new PcapWriter(file, linkType, nanosecond, dead, dumper, allowDirect);
    } catch (PcapNativeException | NotOpenException e) {
      dead.close();
      throw new CaptureException(
          CaptureException.Kind.WRITE_FAILED, "cannot create output: " + e.getMessage());
    }
  }

  /** Creates a pcap file with the link type and timestamp precision of {@code input}. */
  public static PcapWriter createLike(Path file, PcapReader input) throws CaptureException {
    return create(file, input.linkType(), input.format().nanosecond());
  }

  /** The output's link type. */
  public LinkType linkType() {
    return linkType;
  }

  /** Whether timestamps are written in nanoseconds. */
  public boolean nanosecond() {
    return nanosecond;
  }

  /** The number of frames written so far. */
  public long framesWritten() {
    return framesWritten;
  }

  /**
   * Writes a frame as it is: its captured bytes, original length and timestamp (microsecond output
   * drops the nanoseconds below a microsecond).
   *
   * @throws IllegalArgumentException when the frame's link type is not the output's
   */
  public void write(Frame frame) throws CaptureException {
    checkLinkType(frame);
    writeRaw(
        frame.data(), frame.length(), frame.originalLength(), frame.epochSecond(), frame.nanos());
  }

  /**
   * Writes {@code original} with its IP packet replaced by {@code ip[off .. off + len)}, rebuilt by
   * {@link LinkLayer#rebuild}, stamped with the original's time.
   *
   * @throws CaptureException (LINK_TYPE_MISMATCH) when the output's link type cannot carry the new
   *     packet's IP version
   */
  public void writeReplacingIp(Frame original, byte[] ip, int off, int len)
      throws CaptureException {
    checkLinkType(original);
    byte[] rebuilt = LinkLayer.rebuild(original, ip, off, len);
    writeRaw(rebuilt, rebuilt.length, rebuilt.length, original.epochSecond(), original.nanos());
  }

  /**
   * Writes one frame: the first {@code length} bytes of {@code frame}, which was {@code
   * originalLength} bytes on the wire, with this time.
   *
   * @throws CaptureException when the time does not fit a pcap record (before 1970, after
   *     2038-01-19)
   * @throws IllegalArgumentException when {@code length} exceeds the array
   */
  public void writeRaw(byte[] frame, int length, int originalLength, long epochSecond, int nanos)
      throws CaptureException {
    if (closed) {
      throw new IllegalStateException(file + ": writer is closed");
    }
    if (length < 0 || length > frame.length || nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException(
          "frame length=" + length + " array=" + frame.length + " nanos=" + nanos);
    }
    if (epochSecond < 0 || epochSecond > MAX_SECONDS) {
      // pcapng can hold such times; pcap's unsigned 32-bit seconds cannot.
      throw new CaptureException(
          CaptureException.Kind.WRITE_FAILED,
          file + ": timestamp " + epochSecond + "." + nanos + " outside pcap's range (1970-2038)");
    }
    // A capture may claim fewer bytes on the wire than it holds; pcap readers expect len >= caplen.
    int wireLength = Math.max(originalLength, length);
    if (direct != null) {
      long fraction = nanosecond ? nanos : nanos / 1000;
      DirectDump.dump(direct, header, frame, length, wireLength, epochSecond, fraction);
    } else {
      timestamp.setTime(epochSecond * 1000L);
      timestamp.setNanos(nanos);
      try {
        dumper.dumpRaw(length == frame.length ? frame : Arrays.copyOf(frame, length), timestamp);
      } catch (NotOpenException e) {
        throw new IllegalStateException(file + ": writer is closed", e);
      }
    }
    framesWritten++;
  }

  /**
   * Flushes and closes the file.
   *
   * @throws CaptureException when the buffered frames cannot be written (a full disk)
   */
  @Override
  public void close() throws CaptureException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      dumper.flush();
    } catch (PcapNativeException | NotOpenException e) {
      throw new CaptureException(
          CaptureException.Kind.WRITE_FAILED, file + ": write failed (" + e.getMessage() + ")");
    } finally {
      dumper.close();
      handle.close();
    }
  }

  /**
   * The DLT libpcap takes for this link type. libpcap writes savefiles from this system's DLT
   * number and refuses the other raw-IP numbers ("link-layer type 101 isn't supported in
   * savefiles"), so every raw-IP flavour is written as the native DLT_RAW, which libpcap stores as
   * LINKTYPE_RAW (101).
   */
  static int dltForWriting(LinkType linkType) {
    return switch (linkType) {
      case RAW, RAW_OPENBSD, LINKTYPE_RAW ->
          System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("openbsd")
              ? LinkType.RAW_OPENBSD.value()
              : LinkType.RAW.value();
      default -> linkType.value();
    };
  }

  private void checkLinkType(Frame frame) {
    if (frame.linkType() != linkType) {
      throw new IllegalArgumentException(
          "frame of link type " + frame.linkType() + " written to a " + linkType + " capture");
    }
  }
}
