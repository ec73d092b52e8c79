package org.ipsecemu.datapath.fragment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.Checksum;
import org.ipsecemu.datapath.packet.Ipv4Header;
import org.ipsecemu.datapath.packet.Ipv6ExtensionWalker;
import org.ipsecemu.datapath.packet.Ipv6Header;

/**
 * IP reassembly before IPsec (RFC 4303 §3.4.1, RFC 4302 §3.4.1: "reassembly is performed prior to
 * AH/ESP processing"), IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5), driven by the caller's clock
 * (a replay passes the capture's timestamps), with every resource bounded and every outcome counted
 * ({@link FragmentEvent}).
 *
 * <pre>{@code
 * Reassembler r = Reassembler.builder().build();
 * switch (r.offer(pkt, off, len, captureMillis)) {
 *   case NOT_FRAGMENT -> process(pkt, off, len);                    // nothing to do
 *   case COMPLETE -> process(r.buffer(), r.offset(), r.length());   // the whole datagram
 *   case HELD, DROPPED -> {}                                        // nothing to process now
 * }
 * }</pre>
 *
 * <h2>What is a datagram</h2>
 *
 * Fragments belong together when they share source, destination, protocol and identification (IPv4,
 * RFC 791) or source, destination and the Fragment header's identification (IPv6, RFC 8200). The
 * datagram handed back is the first fragment's header (IPv4: with its options; IPv6: the
 * unfragmentable part with the Fragment header taken out and its Next Header moved into the header
 * before it) followed by the data of every fragment in order; IPv4 gets the total length, a clear
 * MF bit and offset, and a new checksum; IPv6 the payload length. Atomic fragments (IPv6 offset 0
 * and M clear, RFC 6946) and unparseable packets are not fragments here: the pipeline judges them.
 *
 * <h2>Attacks and bounds (defaults as Linux, unless said)</h2>
 *
 * <ul>
 *   <li>Overlapping fragments drop the whole datagram and, until its timeout, every later fragment
 *       of it (RFC 5722 for IPv6; Linux does the same for IPv4 since 2018). An exact duplicate
 *       (same offset, length and bytes) is dropped alone, as RFC 8200 §4.5 allows; the same range
 *       with other bytes is an overlap.
 *   <li>A datagram that would pass 65535 bytes is dropped whole (the "ping of death"), as are
 *       fragments disagreeing on the end, and a datagram in more than {@code maxFragments} pieces
 *       (default 256: a 64 KB datagram over a 576-byte MTU needs 120).
 *   <li>Memory: at most {@code maxBytes} (default 4 MiB, Linux's {@code ipfrag_high_thresh}) of
 *       held data and at most {@code maxDatagrams} (default 1024) datagrams in progress; a new
 *       fragment that would pass either bound evicts the oldest datagrams first (counted {@code
 *       evicted}), so a flood of never-completed fragments delays nothing that completes quickly.
 *   <li>Time: a datagram not complete {@code ipv4Timeout} (default 30 s, Linux's {@code
 *       ipfrag_time}) or {@code ipv6Timeout} (default 60 s, RFC 8200 §4.5) after its first fragment
 *       is dropped ({@code timeout}), checked at every {@link #offer} and {@link #expire}, on the
 *       clock the caller passes: no thread, no wall clock.
 *   <li>Fragments other than the last must carry a multiple of 8 bytes, and none may be empty
 *       ({@code malformed}; Linux trims such an IPv4 fragment instead).
 * </ul>
 *
 * <p>Not thread-safe: one reassembler per reading thread, as a replay has. The non-fragment path
 * allocates nothing; a fragment costs a copy of its data until its datagram completes or is
 * dropped. The result of {@link Outcome#COMPLETE} is valid until the next call.
 */
public final class Reassembler {
  /** What {@link #offer} did with a packet. */
  public enum Outcome {
    /** Not a fragment (or not one this reassembler takes): process the packet as it is. */
    NOT_FRAGMENT,
    /** A fragment, kept until its datagram is complete: nothing to process now. */
    HELD,
    /** The fragment completed its datagram: process {@link #buffer()} as the packet. */
    COMPLETE,
    /** The fragment was dropped ({@link #lastEvent()} says why): nothing to process. */
    DROPPED
  }

  /** Linux's {@code net.ipv4.ipfrag_time}. */
  public static final Duration IPV4_TIMEOUT = Duration.ofSeconds(30);

  /** RFC 8200 §4.5: "60 seconds". */
  public static final Duration IPV6_TIMEOUT = Duration.ofSeconds(60);

  private static final int IPV4 = 4;
  private static final int IPV6 = 6;
  private static final int MAX_DATAGRAM = 0xffff;

  private final long maxBytes;
  private final int maxDatagrams;
  private final int maxFragments;
  private final long ipv4TimeoutMillis;
  private final long ipv6TimeoutMillis;
  private final IntPredicate protocols;

  private final Map<Key, Datagram> datagrams = new LinkedHashMap<>();
  private final long[] counts = new long[FragmentEvent.values().length];
  private final Ipv4Header v4 = new Ipv4Header();
  private final Ipv6Header v6 = new Ipv6Header();
  private final byte[] out = new byte[Ipv6Header.LENGTH + MAX_DATAGRAM];
  private long bytes;
  private long earliestDeadline = Long.MAX_VALUE;
  private int outLength;
  private FragmentEvent lastEvent;

  private Reassembler(Builder b) {
    this.maxBytes = b.maxBytes;
    this.maxDatagrams = b.maxDatagrams;
    this.maxFragments = b.maxFragments;
    this.ipv4TimeoutMillis = b.ipv4Timeout.toMillis();
    this.ipv6TimeoutMillis = b.ipv6Timeout.toMillis();
    this.protocols = b.protocols;
  }

  /** A builder with the defaults of the class documentation. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Reassembler}. */
  public static final class Builder {
    private long maxBytes = 4L << 20;
    private int maxDatagrams = 1024;
    private int maxFragments = 256;
    private Duration ipv4Timeout = IPV4_TIMEOUT;
    private Duration ipv6Timeout = IPV6_TIMEOUT;
    private IntPredicate protocols = p -> true;

    private Builder() {}

    /** Bytes of fragment data (and first headers) held at most, all datagrams together. */
    public Builder maxBytes(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxBytes=" + n);
      }
      this.maxBytes = n;
      return this;
    }

    /** Datagrams in progress at most. */
    public Builder maxDatagrams(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxDatagrams=" + n);
      }
      this.maxDatagrams = n;
      return this;
    }

    /** Fragments per datagram at most. */
    public Builder maxFragments(int n) {
      if (n < 2) {
        throw new IllegalArgumentException("maxFragments=" + n);
      }
      this.maxFragments = n;
      return this;
    }

    /** How long an IPv4 datagram may take to complete, from its first fragment. */
    public Builder ipv4Timeout(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("ipv4Timeout=" + d);
      }
      this.ipv4Timeout = d;
      return this;
    }

    /** How long an IPv6 datagram may take to complete, from its first fragment. */
    public Builder ipv6Timeout(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("ipv6Timeout=" + d);
      }
      this.ipv6Timeout = d;
      return this;
    }

    /**
     * Which fragments to take, by the protocol they carry (IPv4 Protocol; IPv6 the Fragment
     * header's Next Header): the others are {@link Outcome#NOT_FRAGMENT}. Default: all.
     */
    public Builder protocols(IntPredicate p) {
      this.protocols = java.util.Objects.requireNonNull(p, "protocols");
      return this;
    }

    public Reassembler build() {
      return new Reassembler(this);
    }
  }

  // ====================================================================== offer

  /**
   * Takes one received IP packet, {@code buf[off, off+len)} (trailing link-layer padding allowed),
   * at time {@code nowMillis} on the caller's clock; first drops the datagrams whose timeout has
   * run out by then. Never throws on packet contents.
   */
  public Outcome offer(byte[] buf, int off, int len, long nowMillis) {
    lastEvent = null;
    outLength = 0;
    if (buf == null || off < 0 || len < 1 || off > buf.length - len) {
      return Outcome.NOT_FRAGMENT;
    }
    int version = (buf[off] >> 4) & 0xf;
    if (version == IPV4) {
      return offer4(buf, off, len, nowMillis);
    }
    if (version == IPV6) {
      return offer6(buf, off, len, nowMillis);
    }
    return Outcome.NOT_FRAGMENT;
  }

  private Outcome offer4(byte[] buf, int off, int len, long now) {
    if (!v4.wrap(buf, off, len).validate().isOk()
        || !v4.isFragment()
        || !protocols.test(v4.protocol())) {
      return Outcome.NOT_FRAGMENT;
    }
    expire(now);
    increment(FragmentEvent.FRAGMENT);
    int headerLength = v4.headerLength();
    int dataOffset = off + headerLength;
    int dataLength = v4.totalLength() - headerLength;
    int fragmentOffset = v4.fragmentOffset() * 8;
    boolean more = v4.moreFragments();
    Key key =
        new Key(
            IPV4,
            Arrays.copyOfRange(buf, v4.sourceOffset(), v4.sourceOffset() + 4),
            Arrays.copyOfRange(buf, v4.destinationOffset(), v4.destinationOffset() + 4),
            v4.protocol(),
            v4.identification());
    return take(
        key,
        now + ipv4TimeoutMillis,
        buf,
        off,
        headerLength,
        -1,
        -1,
        dataOffset,
        dataLength,
        fragmentOffset,
        more);
  }

  private Outcome offer6(byte[] buf, int off, int len, long now) {
    if (!v6.wrap(buf, off, len).validate().isOk()) {
      return Outcome.NOT_FRAGMENT;
    }
    int end = v6.end();
    int nhField = off + Ipv6Header.NEXT_HEADER_OFFSET;
    int header = buf[nhField] & 0xff;
    int position = off + Ipv6Header.LENGTH;
    // The unfragmentable part: the fixed header and the extension headers before the Fragment
    // header (Hop-by-Hop, Routing, Destination Options; RFC 8200 §4.5).
    while (header != Ipv6ExtensionWalker.FRAGMENT) {
      if (header != Ipv6ExtensionWalker.HOP_BY_HOP
          && header != Ipv6ExtensionWalker.ROUTING
          && header != Ipv6ExtensionWalker.DESTINATION_OPTIONS) {
        return Outcome.NOT_FRAGMENT;
      }
      if (end - position < 2) {
        return Outcome.NOT_FRAGMENT;
      }
      int length = ((buf[position + 1] & 0xff) + 1) * 8;
      if (end - position < length) {
        return Outcome.NOT_FRAGMENT;
      }
      nhField = position;
      header = buf[position] & 0xff;
      position += length;
    }
    if (end - position < Ipv6ExtensionWalker.FRAGMENT_HEADER_LENGTH) {
      return Outcome.NOT_FRAGMENT;
    }
    int word = BigEndian.getU16(buf, position + 2);
    int fragmentOffset = word & 0xfff8;
    boolean more = (word & 1) != 0;
    int next = buf[position] & 0xff;
    if ((fragmentOffset == 0 && !more) || !protocols.test(next)) {
      return Outcome.NOT_FRAGMENT; // an atomic fragment (RFC 6946) is processed as it is
    }
    expire(now);
    increment(FragmentEvent.FRAGMENT);
    Key key =
        new Key(
            IPV6,
            Arrays.copyOfRange(buf, v6.sourceOffset(), v6.sourceOffset() + 16),
            Arrays.copyOfRange(buf, v6.destinationOffset(), v6.destinationOffset() + 16),
            0,
            BigEndian.getInt(buf, position + 4));
    int dataOffset = position + Ipv6ExtensionWalker.FRAGMENT_HEADER_LENGTH;
    return take(
        key,
        now + ipv6TimeoutMillis,
        buf,
        off,
        position - off,
        nhField - off,
        next,
        dataOffset,
        end - dataOffset,
        fragmentOffset,
        more);
  }

  /**
   * The common part: {@code headerLength} bytes at {@code off} are the header to keep if this is
   * the first fragment (for IPv6, {@code nhIndex} is where in it the byte naming the Fragment
   * header is, and {@code fragmentNext} what the Fragment header named).
   */
  private Outcome take(
      Key key,
      long deadline,
      byte[] buf,
      int off,
      int headerLength,
      int nhIndex,
      int fragmentNext,
      int dataOffset,
      int dataLength,
      int fragmentOffset,
      boolean more) {
    if (dataLength == 0 || (more && dataLength % 8 != 0)) {
      return drop(FragmentEvent.MALFORMED);
    }
    Datagram d = datagrams.get(key);
    if (d != null && d.dead) {
      return drop(FragmentEvent.LATE);
    }
    int end = fragmentOffset + dataLength;
    int fixed = key.version == IPV4 ? Ipv4Header.MIN_LENGTH : 0;
    if (end + fixed > MAX_DATAGRAM
        || (d != null && d.headerLength >= 0 && end + d.payloadHeaderBytes() > MAX_DATAGRAM)) {
      return kill(d, key, deadline, FragmentEvent.TOO_BIG);
    }
    if (d == null) {
      while (datagrams.size() >= maxDatagrams) {
        evictOldest(null);
      }
      d = new Datagram(key, deadline);
      datagrams.put(key, d);
      earliestDeadline = Math.min(earliestDeadline, deadline);
    }
    if (d.pieces.size() >= maxFragments) {
      return kill(d, key, deadline, FragmentEvent.TOO_MANY_FRAGMENTS);
    }
    if (!more) {
      if ((d.total >= 0 && d.total != end) || d.maxEnd > end) {
        return kill(d, key, deadline, FragmentEvent.INCONSISTENT);
      }
    } else if (d.total >= 0 && end > d.total) {
      return kill(d, key, deadline, FragmentEvent.INCONSISTENT);
    }
    int at = 0;
    for (Piece p : d.pieces) {
      if (p.offset == fragmentOffset && p.data.length == dataLength) {
        if (Arrays.equals(p.data, 0, dataLength, buf, dataOffset, dataOffset + dataLength)) {
          return drop(FragmentEvent.DUPLICATE);
        }
        return kill(d, key, deadline, FragmentEvent.OVERLAP);
      }
      if (fragmentOffset < p.offset + p.data.length && p.offset < end) {
        return kill(d, key, deadline, FragmentEvent.OVERLAP);
      }
      if (p.offset < fragmentOffset) {
        at++;
      }
    }
    boolean first = fragmentOffset == 0;
    long need = dataLength + (first ? headerLength : 0);
    while (bytes + need > maxBytes && evictOldest(d)) {
      // evicted the oldest datagram other than this one
    }
    if (bytes + need > maxBytes) {
      return kill(d, key, deadline, FragmentEvent.EVICTED);
    }
    if (first) {
      d.header = Arrays.copyOfRange(buf, off, off + headerLength);
      d.headerLength = headerLength;
      d.nhIndex = nhIndex;
      d.fragmentNext = fragmentNext;
      if (end + d.payloadHeaderBytes() > MAX_DATAGRAM) {
        return kill(d, key, deadline, FragmentEvent.TOO_BIG);
      }
    }
    d.pieces.add(
        at,
        new Piece(fragmentOffset, Arrays.copyOfRange(buf, dataOffset, dataOffset + dataLength)));
    d.received += dataLength;
    d.bytes += need;
    bytes += need;
    d.maxEnd = Math.max(d.maxEnd, end);
    if (!more) {
      d.total = end;
    }
    if (d.total >= 0 && d.received == d.total && d.header != null) {
      assemble(d);
      remove(d);
      increment(FragmentEvent.REASSEMBLED);
      lastEvent = FragmentEvent.REASSEMBLED;
      return Outcome.COMPLETE;
    }
    lastEvent = FragmentEvent.FRAGMENT;
    return Outcome.HELD;
  }

  private void assemble(Datagram d) {
    System.arraycopy(d.header, 0, out, 0, d.headerLength);
    int at = d.headerLength;
    for (Piece p : d.pieces) {
      System.arraycopy(p.data, 0, out, at, p.data.length);
      at += p.data.length;
    }
    outLength = at;
    if (d.key.version == IPV4) {
      BigEndian.putU16(out, Ipv4Header.TOTAL_LENGTH_OFFSET, outLength);
      // Keep DF and the reserved bit of the first fragment; MF and the offset go.
      int flags = BigEndian.getU16(out, Ipv4Header.FLAGS_FRAGMENT_OFFSET) & 0xc000;
      BigEndian.putU16(out, Ipv4Header.FLAGS_FRAGMENT_OFFSET, flags);
      BigEndian.putU16(out, Ipv4Header.CHECKSUM_OFFSET, 0);
      BigEndian.putU16(out, Ipv4Header.CHECKSUM_OFFSET, Checksum.checksum(out, 0, d.headerLength));
    } else {
      out[d.nhIndex] = (byte) d.fragmentNext;
      BigEndian.putU16(out, Ipv6Header.PAYLOAD_LENGTH_OFFSET, outLength - Ipv6Header.LENGTH);
    }
  }

  // ====================================================================== dropping

  private Outcome drop(FragmentEvent e) {
    increment(e);
    lastEvent = e;
    return Outcome.DROPPED;
  }

  /**
   * Drops datagram {@code d} whole (creating its record if it had none, so that its later fragments
   * are recognised) and keeps it dead until its deadline: later fragments are {@code late}.
   */
  private Outcome kill(Datagram d, Key key, long deadline, FragmentEvent e) {
    if (d == null) {
      while (datagrams.size() >= maxDatagrams) {
        evictOldest(null);
      }
      d = new Datagram(key, deadline);
      datagrams.put(key, d);
      earliestDeadline = Math.min(earliestDeadline, deadline);
    }
    release(d);
    d.dead = true;
    return drop(e);
  }

  private void release(Datagram d) {
    bytes -= d.bytes;
    d.bytes = 0;
    d.pieces.clear();
    d.header = null;
  }

  private void remove(Datagram d) {
    release(d);
    datagrams.remove(d.key);
  }

  /**
   * Drops the oldest datagram other than {@code keep}: counted {@code evicted} unless it was dead
   * already. Returns false when there is none to drop.
   */
  private boolean evictOldest(Datagram keep) {
    Iterator<Datagram> it = datagrams.values().iterator();
    while (it.hasNext()) {
      Datagram d = it.next();
      if (d == keep) {
        continue;
      }
      it.remove();
      if (!d.dead) {
        increment(FragmentEvent.EVICTED);
      }
      release(d);
      return true;
    }
    return false;
  }

  /**
   * Drops every datagram whose timeout has run out by {@code nowMillis} (counted {@code timeout};
   * dead ones are forgotten silently). {@link #offer} calls it; call it as time passes without
   * fragments too. Returns how many incomplete datagrams were dropped.
   */
  public int expire(long nowMillis) {
    if (nowMillis < earliestDeadline) {
      return 0;
    }
    int n = 0;
    long earliest = Long.MAX_VALUE;
    Iterator<Datagram> it = datagrams.values().iterator();
    while (it.hasNext()) {
      Datagram d = it.next();
      if (d.deadline <= nowMillis) {
        it.remove();
        if (!d.dead) {
          increment(FragmentEvent.TIMEOUT);
          n++;
        }
        release(d);
      } else {
        earliest = Math.min(earliest, d.deadline);
      }
    }
    earliestDeadline = earliest;
    return n;
  }

  /**
   * Drops every datagram still waiting, counting each incomplete one {@code timeout}: at the end of
   * a capture, whatever never completed. Returns how many were dropped.
   */
  public int expireAll() {
    return expire(Long.MAX_VALUE);
  }

  // ====================================================================== results and counters

  /** The array holding the datagram of the last {@link Outcome#COMPLETE}. */
  public byte[] buffer() {
    return out;
  }

  /** Where that datagram starts in {@link #buffer()}: always 0. */
  public int offset() {
    return 0;
  }

  /** That datagram's length; 0 after any other outcome. */
  public int length() {
    return outLength;
  }

  /**
   * What the last {@link #offer} amounted to: the reason of a {@link Outcome#DROPPED}, {@link
   * FragmentEvent#FRAGMENT} for {@link Outcome#HELD}, {@link FragmentEvent#REASSEMBLED} for {@link
   * Outcome#COMPLETE}; null for {@link Outcome#NOT_FRAGMENT}.
   */
  public FragmentEvent lastEvent() {
    return lastEvent;
  }

  /** How many times an event happened. */
  public long count(FragmentEvent e) {
    return counts[e.ordinal()];
  }

  /**
   * Datagrams waiting for fragments now (dropped ones kept to recognise late fragments excluded).
   */
  public int pendingDatagrams() {
    int n = 0;
    for (Datagram d : datagrams.values()) {
      if (!d.dead) {
        n++;
      }
    }
    return n;
  }

  /** Bytes held now for incomplete datagrams. */
  public long pendingBytes() {
    return bytes;
  }

  /** Every counter and what is held, for statistics (allocates). */
  public ReassemblyStats stats() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (FragmentEvent e : FragmentEvent.values()) {
      m.put(e.label(), counts[e.ordinal()]);
    }
    return new ReassemblyStats(m, pendingDatagrams(), bytes);
  }

  private void increment(FragmentEvent e) {
    counts[e.ordinal()]++;
  }

  @Override
  public String toString() {
    return "Reassembler[datagrams=" + datagrams.size() + " bytes=" + bytes + "]";
  }

  // ====================================================================== state

  /** What identifies a datagram (RFC 791 §3.2; RFC 8200 §4.5 leaves the protocol out). */
  private static final class Key {
    final int version;
    final byte[] source;
    final byte[] destination;
    final int protocol;
    final int id;
    final int hash;

    Key(int version, byte[] source, byte[] destination, int protocol, int id) {
      this.version = version;
      this.source = source;
      this.destination = destination;
      this.protocol = protocol;
      this.id = id;
      this.hash =
          ((Arrays.hashCode(source) * 31 + Arrays.hashCode(destination)) * 31 + protocol) * 31 + id;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.version == version
          && k.protocol == protocol
          && k.id == id
          && Arrays.equals(k.source, source)
          && Arrays.equals(k.destination, destination);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** One fragment's data at its offset in the datagram's payload. */
  private record Piece(int offset, byte[] data) {}

  /** A datagram in progress, or dropped and remembered until its deadline. */
  private static final class Datagram {
    final Key key;
    final long deadline;
    final List<Piece> pieces = new ArrayList<>();
    byte[] header;
    int headerLength = -1;
    int nhIndex = -1;
    int fragmentNext = -1;
    int total = -1;
    int maxEnd;
    int received;
    long bytes;
    boolean dead;

    Datagram(Key key, long deadline) {
      this.key = key;
      this.deadline = deadline;
    }

    /**
     * The bytes of the reassembled datagram that count against 65535 besides the data: the IPv4
     * header, or the IPv6 extension headers of the unfragmentable part (the 40-byte fixed header is
     * outside the payload length).
     */
    int payloadHeaderBytes() {
      return key.version == IPV4 ? headerLength : headerLength - Ipv6Header.LENGTH;
    }
  }
}
