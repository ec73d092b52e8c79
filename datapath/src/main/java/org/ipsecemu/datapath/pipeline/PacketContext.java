package org.ipsecemu.datapath.pipeline;

import org.ipsecemu.datapath.ah.AhProcessor;
import org.ipsecemu.datapath.esp.EspProcessor;
import org.ipsecemu.datapath.ipcomp.IpcompProcessor;
import org.ipsecemu.datapath.natt.UdpPayload;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.spd.Flow;

/**
 * One thread's working state for the {@link Datapath}: the output buffer, the views and processors
 * reused for every packet, and the result of the last call: where the packet to deliver or send is
 * ({@link #buffer()}, {@link #offset()}, {@link #length()}) and which SAs processed it.
 *
 * <p>Create one per thread ({@link Datapath#newContext()}) and reuse it for every packet: after the
 * first few packets nothing is allocated. Not thread-safe; the result is valid until the next call.
 *
 * <p>Where the result lives: inbound processing works in place, so an inbound result lies inside
 * the caller's own packet array, unless IPComp inflated it into this context's own buffer (see
 * {@link #buffer()}: read the result from there, and copy it before the next call). Outbound
 * protection grows the packet, so the packet is copied into this context's own buffer at {@link
 * #HEADROOM} and protected there (a caller that builds its packet at {@link #HEADROOM} in {@link
 * #workBuffer()} saves that copy); a bypassed packet is left where it was.
 */
public final class PacketContext {
  /**
   * Room in front of an outbound packet: enough for a bundle of {@link Datapath#MAX_DEPTH} SAs each
   * adding an outer IPv6 header, an ESP header and a 16-byte IV (64 bytes), with room to spare.
   */
  public static final int HEADROOM = 512;

  /**
   * Room behind an outbound packet: padding (at most 15 bytes with the algorithms supported),
   * trailer and a 16-byte ICV per SA of a bundle.
   */
  public static final int TAILROOM = 512;

  /** Size of {@link #workBuffer()}: any IP datagram (65535 bytes) with its head and tail room. */
  public static final int CAPACITY = HEADROOM + 0xffff + TAILROOM;

  final byte[] work = new byte[CAPACITY];
  final IpPacket packet = new IpPacket();
  final Flow flow = new Flow();
  final EspProcessor esp = new EspProcessor();
  final AhProcessor ah = new AhProcessor();
  final IpcompProcessor ipcomp = new IpcompProcessor();

  /**
   * Where inbound IPComp inflates to: two buffers used in turn, so that an IPComp payload inside an
   * inflated packet has somewhere else to go. Made on first use.
   */
  private final byte[][] inflated = new byte[2][];

  private int inflatedTurn;
  UdpPayload natTraversal = UdpPayload.NOT_NATT;
  final SecurityAssociation[] sas = new SecurityAssociation[Datapath.MAX_DEPTH];
  int saCount;

  private byte[] buffer;
  private int offset;
  private int length;

  /** A fresh context; {@link Datapath#newContext()} does the same. */
  public PacketContext() {}

  void result(byte[] buffer, int offset, int length) {
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
  }

  /** The next buffer to inflate into ({@link #CAPACITY} bytes), alternating between two. */
  byte[] inflateBuffer() {
    int i = inflatedTurn;
    inflatedTurn ^= 1;
    if (inflated[i] == null) {
      inflated[i] = new byte[CAPACITY];
    }
    return inflated[i];
  }

  void clear() {
    buffer = null;
    offset = 0;
    length = 0;
    natTraversal = UdpPayload.NOT_NATT;
    for (int i = 0; i < saCount; i++) {
      sas[i] = null;
    }
    saCount = 0;
  }

  /** The array holding the result, or null when the last packet produced none. */
  public byte[] buffer() {
    return buffer;
  }

  /** Absolute index of the result's first byte (its IP header). */
  public int offset() {
    return offset;
  }

  /** The result's length in bytes; 0 when there is none. */
  public int length() {
    return length;
  }

  /**
   * Whether the last packet produced a packet to deliver (inbound) or send (outbound): an {@code
   * ok} (or {@code bypass}) verdict, except for an ESP dummy packet (RFC 4303 §2.6), which is
   * accepted and discarded.
   */
  public boolean hasOutput() {
    return buffer != null && length > 0;
  }

  /** A copy of the result (allocates; for tests and tools). */
  public byte[] output() {
    byte[] b = new byte[length];
    if (length > 0) {
      System.arraycopy(buffer, offset, b, 0, length);
    }
    return b;
  }

  /**
   * Inbound: what the last packet was as far as NAT traversal goes when it passed untouched for the
   * key management daemon: {@link UdpPayload#KEEPALIVE} or {@link UdpPayload#IKE} (RFC 3948 §2.2);
   * {@link UdpPayload#NOT_NATT} otherwise, including for ESP that came in UDP.
   */
  public UdpPayload natTraversal() {
    return natTraversal;
  }

  /**
   * How many SAs processed the last packet: inbound, those it went through (the last one being
   * where it stopped, if it was dropped); outbound, the bundle applied (the last one being where it
   * stopped).
   */
  public int saCount() {
    return saCount;
  }

  /** The i-th SA that processed the last packet, outermost first inbound, innermost first out. */
  public SecurityAssociation sa(int i) {
    if (i < 0 || i >= saCount) {
      throw new IndexOutOfBoundsException("sa index=" + i + " count=" + saCount);
    }
    return sas[i];
  }

  /**
   * This context's own buffer ({@link #CAPACITY} bytes). Outbound results are built in it; a caller
   * may build the packet it sends at {@link #HEADROOM} here to spare the copy.
   */
  public byte[] workBuffer() {
    return work;
  }
}
