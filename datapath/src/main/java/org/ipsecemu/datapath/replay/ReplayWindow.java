package org.ipsecemu.datapath.replay;

import java.util.Arrays;

/**
 * The receiver's anti-replay window of one SA (RFC 4303 §3.4.3, RFC 4302 §3.4.3), over 64-bit
 * sequence numbers so that one implementation serves both 32-bit and extended (ESN, RFC 4303
 * §2.2.1) SAs.
 *
 * <p>Use it in two steps around integrity verification, as §3.4.3 requires: {@link #check} before
 * the ICV is verified (a cheap early drop that changes nothing), {@link #update} only after the ICV
 * verified (it checks again, then marks the number and slides the window). A forged packet
 * therefore never moves the window.
 *
 * <p>The size is in packets, as Linux reads {@code sadb_sa_replay}; 0 disables the check (every
 * number is accepted; the highest is still tracked for ESN inference). KAME/BSD {@code setkey -r}
 * counts the window in bytes instead; converting is the SA builder's business. Any size up to
 * {@link #MAX_SIZE} works: the bitmap is an array of {@code long}s used as a ring (the scheme of
 * RFC 4303 Appendix A2), one spare word beyond the window, so sliding clears whole words and costs
 * at most the words crossed, never a shift of the whole bitmap.
 *
 * <p>Sequence numbers are unsigned 64-bit values in a {@code long} (compare with {@link
 * Long#compareUnsigned}). With ESN, recover the full number from the 32 bits on the wire with
 * {@link #inferSequence(int)} first (RFC 4303 Appendix A3).
 *
 * <p>Not thread-safe, by design: the pipeline serialises the packets of one SA, as a kernel does
 * under the SA's lock; sharing an instance across threads without that is a bug.
 */
public final class ReplayWindow {
  /** Largest window accepted: far beyond any stack's (Linux: 4096 packets), bounded for memory. */
  public static final int MAX_SIZE = 1 << 20;

  /**
   * Window used for ESN inference when anti-replay is disabled: Appendix A3 needs a window, and
   * half the 32-bit space picks the high bits that put the packet nearest the highest seen.
   */
  public static final long DISABLED_INFERENCE_WINDOW = 1L << 31;

  private final int size;
  private final long[] bitmap;
  private final int wordMask;
  private long highest;

  /** A window of {@code size} packets (0 disables anti-replay). */
  public ReplayWindow(int size) {
    if (!isValidSize(size)) {
      throw new IllegalArgumentException(
          "replay window size out of range: size=" + size + " (expected: 0.." + MAX_SIZE + ")");
    }
    this.size = size;
    if (size == 0) {
      bitmap = new long[0];
      wordMask = 0;
    } else {
      // One word more than the window needs, rounded up to a power of two for masking.
      int words = Integer.highestOneBit(((size + 63) >>> 6) + 1);
      if (words < ((size + 63) >>> 6) + 1) {
        words <<= 1;
      }
      bitmap = new long[words];
      wordMask = words - 1;
    }
  }

  /** Whether {@code size} is a window this class accepts, for the SA builder to check first. */
  public static boolean isValidSize(int size) {
    return size >= 0 && size <= MAX_SIZE;
  }

  /** Window size in packets; 0 when anti-replay is disabled. */
  public int size() {
    return size;
  }

  public boolean isEnabled() {
    return size != 0;
  }

  /** The right edge: the highest sequence number accepted by {@link #update} (0 before any). */
  public long highest() {
    return highest;
  }

  /**
   * Whether {@code sequence} would be accepted, without changing anything. Call before verifying
   * the ICV; it is only an early drop.
   */
  public ReplayCheck check(long sequence) {
    if (size == 0) {
      return ReplayCheck.ACCEPT;
    }
    if (sequence == 0) {
      return ReplayCheck.ZERO;
    }
    if (Long.compareUnsigned(sequence, highest) > 0) {
      return ReplayCheck.ACCEPT;
    }
    long behind = highest - sequence;
    if (Long.compareUnsigned(behind, size) >= 0) {
      return ReplayCheck.TOO_OLD;
    }
    return isMarked(sequence) ? ReplayCheck.DUPLICATE : ReplayCheck.ACCEPT;
  }

  /**
   * Records {@code sequence} as received, once its ICV has verified: checks again (so a duplicate
   * that raced past {@link #check} is still caught), then marks it, sliding the window right when
   * it is the new highest. Returns the check's outcome; nothing changes unless it is {@link
   * ReplayCheck#ACCEPT}.
   */
  public ReplayCheck update(long sequence) {
    ReplayCheck result = check(sequence);
    if (result != ReplayCheck.ACCEPT) {
      return result;
    }
    boolean newHighest = Long.compareUnsigned(sequence, highest) > 0;
    if (size == 0) {
      if (newHighest) {
        highest = sequence;
      }
      return result;
    }
    if (newHighest) {
      long fromWord = highest >>> 6;
      long toWord = sequence >>> 6;
      if (toWord - fromWord >= bitmap.length) {
        Arrays.fill(bitmap, 0L);
      } else {
        // Words the right edge enters held numbers one ring turn older, all out of the window now.
        for (long w = fromWord + 1; w <= toWord; w++) {
          bitmap[(int) w & wordMask] = 0L;
        }
      }
      highest = sequence;
    }
    bitmap[(int) (sequence >>> 6) & wordMask] |= 1L << (sequence & 63);
    return result;
  }

  private boolean isMarked(long sequence) {
    return (bitmap[(int) (sequence >>> 6) & wordMask] & (1L << (sequence & 63))) != 0;
  }

  /**
   * The full 64-bit sequence number of a packet carrying the low 32 bits {@code low}, by RFC 4303
   * Appendix A3 from this window's right edge and size (or {@link #DISABLED_INFERENCE_WINDOW} when
   * disabled).
   */
  public long inferSequence(int low) {
    return inferSequence(highest, size == 0 ? DISABLED_INFERENCE_WINDOW : size, low);
  }

  /**
   * RFC 4303 Appendix A3: given the highest number {@code highest} (Th:Tl) accepted so far and the
   * window {@code window} (W, at least 1), the high half Seqh of a received low half Seql is
   *
   * <pre>
   * Case A, Tl &gt;= W - 1 (window within one subspace):
   *     Seql &gt;= Tl - W + 1 ? Th : Th + 1
   * Case B, Tl &lt; W - 1 (window spans two subspaces; Tl - W + 1 taken mod 2^32):
   *     Seql &gt;= Tl - W + 1 ? Th - 1 : Th
   * </pre>
   *
   * The high half is computed mod 2^32, as on the wire and in Linux's {@code xfrm_replay_seqhi}:
   * case B with Th = 0 gives 0xffffffff, a number that the ICV then refuses (there is no subspace
   * before the first), and Th + 1 past 0xffffffff wraps to 0, where the ICV again decides.
   */
  public static long inferSequence(long highest, long window, int low) {
    long tl = highest & 0xffff_ffffL;
    long th = highest >>> 32;
    long seql = low & 0xffff_ffffL;
    long seqh;
    if (tl >= window - 1) {
      seqh = seql >= tl - window + 1 ? th : th + 1;
    } else {
      long bottom = (tl - window + 1) & 0xffff_ffffL;
      seqh = seql >= bottom ? th - 1 : th;
    }
    return (seqh << 32) | seql;
  }

  /** A description of the window as it is now, for teaching traces (allocates; not per packet). */
  public Snapshot snapshot() {
    if (size == 0) {
      return new Snapshot(0, 0, highest, 0, "");
    }
    long left = Long.compareUnsigned(highest, size) >= 0 ? highest - size + 1 : 1;
    int received = 0;
    StringBuilder recent = new StringBuilder();
    if (highest != 0) {
      long count = highest - left + 1;
      for (long i = 0; i < count; i++) {
        boolean marked = isMarked(highest - i);
        if (marked) {
          received++;
        }
        if (i < Snapshot.RECENT_BITS) {
          recent.append(marked ? '1' : '0');
        }
      }
    }
    return new Snapshot(size, highest == 0 ? 0 : left, highest, received, recent.toString());
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }

  /**
   * The window at one moment: its size, left and right edges (unsigned; 0 before the first packet),
   * how many numbers in it were received, and the marks of the newest (at most {@value
   * #RECENT_BITS}) numbers, right edge first: {@code 1} received, {@code 0} not yet.
   */
  public record Snapshot(int size, long left, long right, int received, String recent) {
    /** How many of the newest positions {@link #recent()} shows. */
    public static final int RECENT_BITS = 64;

    @Override
    public String toString() {
      if (size == 0) {
        return "replay window disabled right=" + Long.toUnsignedString(right);
      }
      return "replay window size="
          + size
          + " left="
          + Long.toUnsignedString(left)
          + " right="
          + Long.toUnsignedString(right)
          + " received="
          + received
          + " recent="
          + (recent.isEmpty() ? "-" : recent);
    }
  }
}
