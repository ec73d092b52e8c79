package org.ipsecemu.datapath.capture;

import java.util.ArrayList;
import java.util.List;
import org.ipsecemu.datapath.fragment.FragmentSink;
import org.ipsecemu.datapath.pcap.Frame;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;

/**
 * One frame on its way through a replay: read into it, processed (by the reading thread or a
 * worker), then written out in input order. A ring of slots is the reorder buffer; each slot and
 * its buffers are reused for frame after frame, so a replay holds at most the ring's frames.
 */
final class Slot {
  /** What the frame is for the datapath. */
  enum Kind {
    /** No IP packet in it (ARP, ...): written as it is. */
    NON_IP,
    /** Its IP packet was cut short by the capture's snapshot length and goes nowhere. */
    TRUNCATED,
    /** Its IP packet goes inbound. */
    INBOUND,
    /** Its IP packet goes outbound. */
    OUTBOUND,
    /**
     * An IP fragment the replay's reassembler took (held until its datagram completes) or dropped:
     * written nowhere; the datagram it completes takes the slot of its last fragment.
     */
    FRAGMENT
  }

  /** What the output gets for it. */
  enum Action {
    /** The frame as it was read. */
    KEEP,
    /** The frame rebuilt around the packet at {@code outArray[outOffset, +outLength)}. */
    REPLACE,
    /** Nothing. */
    DROP
  }

  final Frame frame = new Frame();
  long number;

  /** The capture time the engine sees for it (epoch ms, never earlier than its predecessor's). */
  long time;

  Kind kind;
  Action action;
  Verdict verdict;
  OutboundVerdict outboundVerdict;

  byte[] outArray;
  int outOffset;
  int outLength;

  /** Outbound results are copied here (the context's buffer serves the next packet). */
  byte[] own = new byte[2048];

  /** With --keep-dropped: the inbound packet as read, to write it unchanged if it is dropped. */
  byte[] backup = new byte[0];

  /** Packets the pending queues let go after this one (copies); null when none. */
  List<byte[]> released;

  /** The trace of this packet, or null. */
  String trace;

  /** The worker failed on it (a bug): the replay stops with this. */
  RuntimeException failure;

  volatile boolean done;

  /** {@link #release} as a sink, made once: a method reference per packet would allocate. */
  final FragmentSink releaser = this::release;

  void reset() {
    kind = null;
    action = Action.DROP;
    verdict = null;
    outboundVerdict = null;
    outArray = null;
    outOffset = 0;
    outLength = 0;
    released = null;
    trace = null;
    failure = null;
    done = false;
  }

  void release(byte[] buf, int offset, int length) {
    if (released == null) {
      released = new ArrayList<>();
    }
    byte[] copy = new byte[length];
    System.arraycopy(buf, offset, copy, 0, length);
    released.add(copy);
  }

  byte[] own(int length) {
    if (own.length < length) {
      own = new byte[Math.max(length, own.length * 2)];
    }
    return own;
  }

  byte[] backup(int length) {
    if (backup.length < length) {
      backup = new byte[Math.max(length, 2048)];
    }
    return backup;
  }
}
