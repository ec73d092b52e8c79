package org.ipsecemu.datapath.pipeline;

/**
 * Where packets released from the pending queues go ({@link Datapath#releasePending}): called once
 * per packet that leaves, with the packet in {@code buf[offset, offset + length)}, valid only
 * during the call.
 */
@FunctionalInterface
public interface PacketSink {
  /** Takes one outbound packet, protected (or bypassed, if policy changed meanwhile). */
  void accept(byte[] buf, int offset, int length);
}
