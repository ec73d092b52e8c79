package org.ipsecemu.datapath.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

/**
 * Reads a pcap or pcapng capture one frame at a time, through pcap4j over libpcap, at nanosecond
 * precision. Nothing is held but a batch of at most {@value #BATCH} frames read ahead, so a capture
 * of any size is read in constant memory:
 *
 * <pre>{@code
 * try (PcapReader in = PcapReader.open(path)) {
 *   for (Frame f = in.next(); f != null; f = in.next()) {
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Opening checks the file and its link type; a frame libpcap cannot read (a file cut short) ends
 * the reading with a {@link CaptureException} after the frames before it were returned. Not
 * thread-safe: pcap4j keeps each frame's timestamp per thread, so read from one thread.
 */
public final class PcapReader implements Closeable {
  private static final int MAGIC_PCAP = 0xA1B2C3D4;
  private static final int MAGIC_PCAP_NSEC = 0xA1B23C4D;

  /** Alexey Kuznetzov's modified pcap: microsecond timestamps, longer record headers. */
  private static final int MAGIC_PCAP_KUZNETZOV = 0xA1B2CD34;

  private static final int MAGIC_PCAPNG = 0x0A0D0D0A;

  private final Path file;
  private final PcapHandle handle;
  private final LinkType linkType;
  private final CaptureFormat format;
  private final Frame frame = new Frame();
  private long framesRead;
  private boolean done;

  /** Frames read ahead by one pcap_dispatch, handed out one by one. */
  static final int BATCH = 64;

  private final byte[][] data = new byte[BATCH][];
  private final long[] seconds = new long[BATCH];
  private final int[] nanos = new int[BATCH];
  private final int[] originalLengths = new int[BATCH];
  private final RawPacketListener collector = this::collect;

  /** libpcap's pcap_next_ex straight through JNA, or null to read through pcap4j's dispatch. */
  private final DirectRead.Cursor direct;

  private int position;
  private int count;

  /** libpcap's error after the frames of the current batch, reported once they are returned. */
  private String pendingError;

  private PcapReader(
      Path file, PcapHandle handle, LinkType linkType, CaptureFormat format, boolean allowDirect) {
    this.file = file;
    this.handle = handle;
    this.linkType = linkType;
    this.format = format;
    this.direct = allowDirect ? DirectRead.open(handle) : null;
  }

  /**
   * Opens a capture for reading.
   *
   * @throws CaptureException when libpcap is missing, or the file is missing, unreadable, not a
   *     capture, cut short in its header, or of a link type replay does not read; the message names
   *     the file
   */
  public static PcapReader open(Path file) throws CaptureException {
    return open(file, true);
  }

  /** {@code allowDirect} false: every frame through pcap4j's dispatch (tests of the fallback). */
  static PcapReader open(Path file, boolean allowDirect) throws CaptureException {
    String name = file.toString();
    if (!Files.exists(file)) {
      throw new CaptureException(CaptureException.Kind.NO_SUCH_FILE, name + ": no such file");
    }
    if (Files.isDirectory(file)) {
      throw new CaptureException(CaptureException.Kind.UNREADABLE, name + ": is a directory");
    }
    if (!Files.isReadable(file)) {
      throw new CaptureException(CaptureException.Kind.UNREADABLE, name + ": permission denied");
    }
    CaptureFormat format = sniffFormat(file);
    Libpcap.load();
    PcapHandle handle;
    try {
      handle = Pcaps.openOffline(name, PcapHandle.TimestampPrecision.NANO);
    } catch (PcapNativeException e) {
      throw openFailure(name, e.getMessage());
    }
    int dlt = handle.getDlt().value();
    LinkType type = LinkType.valueOf(dlt);
    if (type == null) {
      handle.close();
      throw new CaptureException(
          CaptureException.Kind.UNSUPPORTED_LINK_TYPE,
          name
              + ": unsupported link type "
              + libpcapName(dlt)
              + " ("
              + dlt
              + "); replay reads "
              + supportedLinkTypes());
    }
    return new PcapReader(file, handle, type, format, allowDirect);
  }

  /** The capture's file. */
  public Path file() {
    return file;
  }

  /** The capture's link type, as libpcap reports it (LINKTYPE_RAW 101 reads as RAW 12). */
  public LinkType linkType() {
    return linkType;
  }

  /** The capture's file format, which gives the output's timestamp precision. */
  public CaptureFormat format() {
    return format;
  }

  /** The number of frames returned so far. */
  public long framesRead() {
    return framesRead;
  }

  /**
   * Reads the next frame into this reader's own holder, which the next call overwrites.
   *
   * @return the frame, or {@code null} at the end of the capture
   * @throws CaptureException when the capture is cut short or libpcap rejects its data
   */
  public Frame next() throws CaptureException {
    return next(frame) ? frame : null;
  }

  /**
   * Reads the next frame into {@code into}.
   *
   * @return false at the end of the capture (and on every call after)
   * @throws CaptureException when the capture is cut short or libpcap rejects its data; the frames
   *     before the bad one have all been returned first
   */
  public boolean next(Frame into) throws CaptureException {
    if (position == count && !done && pendingError == null) {
      fill();
    }
    if (position == count) {
      if (pendingError != null) {
        String m = pendingError;
        pendingError = null;
        done = true;
        throw readFailure(m);
      }
      done = true;
      return false;
    }
    int i = position++;
    byte[] raw = data[i];
    data[i] = null; // the frame belongs to the caller now
    if (originalLengths[i] < 0) {
      // orig_len is an unsigned 32-bit field; no real frame is 2 GiB long.
      position = count;
      done = true;
      throw new CaptureException(
          CaptureException.Kind.BAD_CAPTURE,
          file
              + ": bad capture data in frame "
              + (framesRead + 1)
              + " (original length "
              + Integer.toUnsignedString(originalLengths[i])
              + " exceeds 2147483647)");
    }
    into.wrap(linkType, raw, raw.length)
        .originalLength(originalLengths[i])
        .timestamp(seconds[i], nanos[i])
        .number(++framesRead);
    return true;
  }

  /**
   * Reads up to {@link #BATCH} frames: through {@link DirectRead} (a direct-mapped {@code
   * pcap_next_ex} per frame, several times cheaper than pcap4j's callbacks) when it is available,
   * otherwise with one {@code pcap_dispatch}: one native call (and one JNA callback object) per
   * batch instead of pcap4j's {@code pcap_next_ex} per frame reads about three times faster through
   * pcap4j. The batch bounds the memory held.
   */
  private void fill() {
    position = 0;
    count = 0;
    if (direct != null) {
      fillDirect();
      return;
    }
    try {
      handle.dispatch(BATCH, collector); // 0 frames: the end of the file
    } catch (PcapNativeException e) {
      pendingError = e.getMessage() == null ? "unknown error" : e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pendingError = "interrupted";
    } catch (NotOpenException e) {
      throw new IllegalStateException(file + ": reader is closed", e);
    }
  }

  private void fillDirect() {
    if (!handle.isOpen()) {
      throw new IllegalStateException(file + ": reader is closed");
    }
    while (count < BATCH) {
      int r = direct.next();
      if (r == DirectRead.OK) {
        data[count] = direct.copyData();
        // A damaged record can hold a fraction of a second past 999,999,999 (libpcap does not
        // check): carried into the seconds, it names the same instant and the frame is kept.
        long fraction = direct.fraction();
        seconds[count] = direct.seconds() + Math.floorDiv(fraction, 1_000_000_000L);
        nanos[count] = (int) Math.floorMod(fraction, 1_000_000_000L);
        originalLengths[count] = direct.originalLength();
        count++;
      } else if (r == DirectRead.END) {
        return;
      } else if (r == DirectRead.ERROR) {
        pendingError = direct.error();
        return;
      } else {
        pendingError = "pcap_next_ex returned " + r;
        return;
      }
    }
  }

  /** Called by pcap4j for each frame of a batch, in this thread; must not throw. */
  private void collect(byte[] raw) {
    if (count == BATCH) {
      return; // cannot happen: dispatch is asked for BATCH frames at most
    }
    Timestamp ts = handle.getTimestamp();
    Integer original = handle.getOriginalLength();
    data[count] = raw;
    seconds[count] = Math.floorDiv(ts.getTime(), 1000L);
    nanos[count] = ts.getNanos();
    originalLengths[count] = original == null ? raw.length : original;
    count++;
  }

  /** Closes the capture; further reads fail with {@link IllegalStateException}. */
  @Override
  public void close() {
    handle.close();
  }

  /** The format by the file's magic number; libpcap judges whether it is a capture at all. */
  private static CaptureFormat sniffFormat(Path file) throws CaptureException {
    ByteBuffer magic = ByteBuffer.allocate(4);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (magic.hasRemaining() && ch.read(magic) >= 0) {
        // read up to 4 bytes
      }
    } catch (IOException e) {
      throw new CaptureException(
          CaptureException.Kind.UNREADABLE, file + ": cannot be read (" + e.getMessage() + ")");
    }
    if (magic.position() == 0) {
      throw new CaptureException(
          CaptureException.Kind.NOT_A_CAPTURE, file + ": empty file, not a pcap or pcapng capture");
    }
    if (magic.hasRemaining()) {
      return CaptureFormat.PCAP; // too short: libpcap will say it is cut short
    }
    int be = magic.getInt(0);
    int le = Integer.reverseBytes(be);
    if (be == MAGIC_PCAPNG) {
      return CaptureFormat.PCAPNG;
    }
    if (be == MAGIC_PCAP_NSEC || le == MAGIC_PCAP_NSEC) {
      return CaptureFormat.NSECPCAP;
    }
    if (be == MAGIC_PCAP
        || le == MAGIC_PCAP
        || be == MAGIC_PCAP_KUZNETZOV
        || le == MAGIC_PCAP_KUZNETZOV) {
      return CaptureFormat.PCAP;
    }
    // Unknown to us; if libpcap reads it anyway, keep every digit of its timestamps.
    return CaptureFormat.PCAPNG;
  }

  private static CaptureException openFailure(String name, String message) {
    String m = message == null ? "" : message;
    if (m.contains("unknown file format")) {
      return new CaptureException(
          CaptureException.Kind.NOT_A_CAPTURE, name + ": not a pcap or pcapng capture");
    }
    if (m.contains("truncated")) {
      return new CaptureException(
          CaptureException.Kind.TRUNCATED, name + ": capture cut short in its header (" + m + ")");
    }
    return new CaptureException(CaptureException.Kind.BAD_CAPTURE, name + ": " + m);
  }

  private CaptureException readFailure(String message) {
    String m = message == null ? "unknown error" : message;
    // pcap4j prefixes libpcap's message.
    m = m.replaceFirst("^Error occurred(?: in [a-z_]+\\(\\))?: ", "");
    if (m.contains("truncated")) {
      return new CaptureException(
          CaptureException.Kind.TRUNCATED,
          file + ": capture cut short after frame " + framesRead + " (" + m + ")");
    }
    return new CaptureException(
        CaptureException.Kind.BAD_CAPTURE,
        file + ": bad capture data after frame " + framesRead + " (" + m + ")");
  }

  private static String libpcapName(int dlt) {
    try {
      return Pcaps.dataLinkValToName(dlt);
    } catch (PcapNativeException | RuntimeException e) {
      return "DLT_" + dlt; // a number libpcap does not name either
    }
  }

  static String supportedLinkTypes() {
    return Stream.of(LinkType.values()).map(LinkType::toString).collect(Collectors.joining(", "));
  }
}
