package org.ipsecemu.datapath.capture;

import org.ipsecemu.datapath.fragment.Fragmenter;
import org.ipsecemu.datapath.pcap.Frame;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.datapath.pipeline.PacketContext;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;

/**
 * Runs one slot's packet through the datapath, in one thread (the reading thread or a worker), with
 * that thread's own {@link PacketContext}, and decides what the output gets: the decapsulated
 * packet, the protected packet, the frame unchanged, or nothing.
 */
final class PacketProcessor {
  private final Datapath dp;
  private final ReplayClock clock;
  private final PacketContext ctx;
  private final boolean keepDropped;
  private final PacketTracer tracer;
  private final Fragmenter fragmenter;

  PacketProcessor(
      Datapath dp,
      ReplayClock clock,
      boolean keepDropped,
      PacketTracer tracer,
      Fragmenter fragmenter) {
    this.fragmenter = fragmenter;
    this.dp = dp;
    this.clock = clock;
    this.ctx = dp.newContext();
    this.keepDropped = keepDropped;
    this.tracer = tracer;
  }

  /** Processes the slot's packet at its capture time. */
  void process(Slot s) {
    clock.enter(s.time);
    try {
      switch (s.kind) {
        case INBOUND -> inbound(s);
        case OUTBOUND -> outbound(s);
        case NON_IP, TRUNCATED -> s.action = Slot.Action.KEEP;
        case FRAGMENT -> s.action = Slot.Action.DROP;
      }
    } finally {
      clock.leave();
    }
  }

  /**
   * Lets the pending queues go on (packets whose SA arrived leave, those past their time are
   * dropped), at the slot's time; whatever leaves is written after the slot's own frame.
   */
  void releasePending(Slot s) {
    if (dp.pendingPackets() == 0) {
      return;
    }
    clock.enter(s.time);
    try {
      dp.releasePending(
          ctx,
          (buf, off, len) -> {
            if (fragmenter == null
                || fragmenter.fragment(buf, off, len, s.releaser)
                    != Fragmenter.Outcome.FRAGMENTED) {
              s.release(buf, off, len);
            }
          });
    } finally {
      clock.leave();
    }
  }

  /** A count of this thread's fragmenter, 0 without one. */
  long fragmenterCount(java.util.function.ToLongFunction<Fragmenter> count) {
    return fragmenter == null ? 0 : count.applyAsLong(fragmenter);
  }

  private void inbound(Slot s) {
    Frame f = s.frame;
    byte[] data = f.data();
    int off = f.ipOffset();
    int len = f.ipLength();
    if (keepDropped) {
      System.arraycopy(data, off, s.backup(len), 0, len);
    }
    PacketTracer.Inbound t = tracer == null ? null : tracer.beforeInbound(s, data, off, len);
    Verdict v = dp.inbound(data, off, len, ctx);
    s.verdict = v;
    if (v.isOk()) {
      if (ctx.saCount() == 0) {
        s.action = Slot.Action.KEEP; // arrived in the clear and policy lets it in: unchanged
      } else if (ctx.hasOutput()) {
        s.action = Slot.Action.REPLACE;
        s.outArray = ctx.buffer();
        s.outOffset = ctx.offset();
        s.outLength = ctx.length();
      } else {
        s.action = Slot.Action.DROP; // an ESP dummy packet: accepted, nothing to deliver
      }
    } else if (keepDropped) {
      System.arraycopy(s.backup, 0, data, off, len);
      s.action = Slot.Action.KEEP;
    } else {
      s.action = Slot.Action.DROP;
    }
    if (t != null) {
      s.trace = tracer.afterInbound(t, s, ctx);
    }
  }

  private void outbound(Slot s) {
    Frame f = s.frame;
    PacketTracer.Outbound t =
        tracer == null ? null : tracer.beforeOutbound(s, f.data(), f.ipOffset(), f.ipLength());
    OutboundVerdict v = dp.outbound(f.data(), f.ipOffset(), f.ipLength(), ctx);
    s.outboundVerdict = v;
    switch (v) {
      case OK -> {
        int n = ctx.length();
        Fragmenter.Outcome fo =
            fragmenter == null
                ? Fragmenter.Outcome.NOT_NEEDED
                : fragmenter.fragment(ctx.buffer(), ctx.offset(), n, s.releaser);
        if (fo == Fragmenter.Outcome.FRAGMENTED) {
          // After IPsec (RFC 4303 §3.3.5): the first fragment takes the frame, the rest follow it.
          byte[] first = s.released.remove(0);
          System.arraycopy(first, 0, s.own(first.length), 0, first.length);
          n = first.length;
        } else if (fo == Fragmenter.Outcome.DONT_FRAGMENT) {
          // Linux drops it and sends ICMP "fragmentation needed" (RFC 1191), nothing a replay has.
          s.action = keepDropped ? Slot.Action.KEEP : Slot.Action.DROP;
          break;
        } else {
          System.arraycopy(ctx.buffer(), ctx.offset(), s.own(n), 0, n);
        }
        s.action = Slot.Action.REPLACE;
        s.outArray = s.own;
        s.outOffset = 0;
        s.outLength = n;
      }
      case BYPASS -> s.action = Slot.Action.KEEP;
      default -> s.action = keepDropped ? Slot.Action.KEEP : Slot.Action.DROP;
    }
    if (t != null) {
      s.trace = tracer.afterOutbound(t, s, ctx);
    }
  }
}
