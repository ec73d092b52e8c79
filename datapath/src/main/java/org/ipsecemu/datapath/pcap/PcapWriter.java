package org.ipsecemu.datapath.pcap;

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
 * <p>The file's snapshot length is 262144 (libpcap's maximum, tcpdump's default) rather than the
 * input's: libpcap cuts a frame longer than the snapshot length when reading, and a rebuilt frame
 * can outgrow the input's. Not thread-safe.
 */
public final class PcapWriter implements Closeable {
  /** libpcap's MAXIMUM_SNAPLEN. */
  static final int SNAPLEN = 262_144;

  private final Path file;
  private final LinkType linkType;
  private final boolean nanosecond;
  private final PcapHandle handle;
  private final PcapDumper dumper;

  /** Reused for every frame: pcap4j's dumper takes the time as a java.sql.Timestamp. */
  private final Timestamp timestamp = new Timestamp(0);

  private long framesWritten;
  private boolean closed;

  private PcapWriter(
      Path file, LinkType linkType, boolean nanosecond, PcapHandle handle, PcapDumper dumper) {
    this.file = file;
    this.linkType = linkType;
    this.nanosecond = nanosecond;
    this.handle = handle;
    this.dumper = dumper;
  }

  /**
   * Creates (or replaces) a pcap file of this link type, with nanosecond timestamps (magic
   * 0xa1b23c4d) or microsecond ones.
   *
   * @throws CaptureException when libpcap is missing or the file cannot be created
   */
  public static PcapWriter create(Path file, LinkType linkType, boolean nanosecond)
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
      return new PcapWriter(file, linkType, nanosecond, dead, dumper);
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
   * Writes a frame as it is: its captured bytes and its timestamp (microsecond output drops the
   * nanoseconds below a microsecond).
   *
   * @throws IllegalArgumentException when the frame's link type is not the output's
   */
  public void write(Frame frame) throws CaptureException {
    checkLinkType(frame);
    byte[] d = frame.data();
    writeRaw(
        d.length == frame.length() ? d : Arrays.copyOf(d, frame.length()),
        frame.epochSecond(),
        frame.nanos());
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
    writeRaw(LinkLayer.rebuild(original, ip, off, len), original.epochSecond(), original.nanos());
  }

  /**
   * Writes one frame given whole in {@code frame} (the array's full length), with this time. pcap4j
   * records the original length equal to the captured length.
   */
  public void writeRaw(byte[] frame, long epochSecond, int nanos) throws CaptureException {
    if (closed) {
      throw new IllegalStateException(file + ": writer is closed");
    }
    if (epochSecond < 0 || nanos < 0 || nanos > 999_999_999) {
      // pcap stores unsigned seconds; pcap4j converts through milliseconds, which breaks below 0.
      throw new IllegalArgumentException(
          "timestamp outside pcap's range: " + epochSecond + "." + nanos);
    }
    timestamp.setTime(epochSecond * 1000L);
    timestamp.setNanos(nanos);
    try {
      dumper.dumpRaw(frame, timestamp);
    } catch (NotOpenException e) {
      throw new IllegalStateException(file + ": writer is closed", e);
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
