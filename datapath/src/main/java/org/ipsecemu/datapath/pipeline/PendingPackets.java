package org.ipsecemu.datapath.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.sadb.engine.OutboundResult;
import org.ipsecemu.sadb.spd.Flow;

/**
 * Outbound packets waiting for an SA that key management is negotiating (the paper's "queued up and
 * retried"; Linux's per-policy hold queue, {@code XFRM_MAX_QUEUE_LEN} 100): one bounded FIFO per
 * flow, a bound on the number of flows, and a deadline per packet.
 *
 * <p>Packets leave through {@link Datapath#releasePending}: each flow's answer is asked again, and
 * once it is no longer PENDING its packets go through outbound processing again in their order (so
 * they get the SA that arrived, or whatever policy says now); while it is PENDING, packets past
 * their deadline are dropped and counted {@code queue_timeout}. Enqueueing copies the packet (the
 * only copy the outbound path makes outside the steady state).
 */
final class PendingPackets {
  private record Waiting(byte[] packet, long deadline) {}

  private static final class FlowQueue {
    final Flow flow;
    final ArrayDeque<Waiting> packets = new ArrayDeque<>();
    boolean closed;

    FlowQueue(Flow flow) {
      this.flow = flow;
    }
  }

  private final ConcurrentHashMap<Flow, FlowQueue> queues = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final Object releasing = new Object();
  private final int perFlow;
  private final int maxFlows;
  private final long timeoutMillis;

  PendingPackets(int perFlow, int maxFlows, long timeoutMillis) {
    this.perFlow = perFlow;
    this.maxFlows = maxFlows;
    this.timeoutMillis = timeoutMillis;
  }

  /** Queues a copy of the packet for the flow; false when the bounds say no. */
  boolean enqueue(Flow flow, byte[] buf, int off, int len, long now) {
    while (true) {
      FlowQueue q = queues.get(flow);
      if (q == null) {
        if (perFlow == 0 || queues.size() >= maxFlows) {
          return false;
        }
        Flow key = flow.copy();
        FlowQueue fresh = new FlowQueue(key);
        q = queues.putIfAbsent(key, fresh);
        if (q == null) {
          q = fresh;
        }
      }
      synchronized (q) {
        if (q.closed) {
          continue; // released meanwhile: start a new queue
        }
        if (q.packets.size() >= perFlow) {
          return false;
        }
        q.packets.add(new Waiting(Arrays.copyOfRange(buf, off, off + len), now + timeoutMillis));
        waiting.incrementAndGet();
        return true;
      }
    }
  }

  /** Packets waiting now. */
  int size() {
    return waiting.get();
  }

  /**
   * Drops the packets past their deadline and sends out those whose flow is no longer PENDING,
   * through {@code dp.outbound}; returns how many left.
   */
  int release(Datapath dp, PacketContext ctx, PacketSink sink, long now) {
    if (queues.isEmpty()) {
      return 0;
    }
    int sent = 0;
    synchronized (releasing) {
      for (FlowQueue q : queues.values()) {
        OutboundResult r = dp.engine().getassocbysocket(q.flow);
        boolean stillPending = r.kind() == OutboundResult.Kind.PENDING;
        List<Waiting> leaving = null;
        synchronized (q) {
          while (!q.packets.isEmpty() && q.packets.peek().deadline() <= now) {
            q.packets.poll();
            waiting.decrementAndGet();
            dp.countOutbound(OutboundVerdict.QUEUE_TIMEOUT);
          }
          if (!stillPending) {
            leaving = new ArrayList<>(q.packets);
            waiting.addAndGet(-leaving.size());
            q.packets.clear();
          }
          if (q.packets.isEmpty()) {
            q.closed = true;
            queues.remove(q.flow, q);
          }
        }
        if (leaving != null) {
          for (Waiting w : leaving) {
            if (dp.outbound(w.packet(), 0, w.packet().length, ctx).isSent()) {
              sink.accept(ctx.buffer(), ctx.offset(), ctx.length());
              sent++;
            }
          }
        }
      }
    }
    return sent;
  }
}
