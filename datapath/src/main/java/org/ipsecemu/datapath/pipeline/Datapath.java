package org.ipsecemu.datapath.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.ipsecemu.datapath.ah.AhProcessor;
import org.ipsecemu.datapath.crypto.IvGenerator;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.esp.EspProcessor;
import org.ipsecemu.datapath.ipcomp.IpcompProcessor;
import org.ipsecemu.datapath.natt.EspInUdp;
import org.ipsecemu.datapath.natt.UdpPayload;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.FlowExtractor;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.SaCounters;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.OutboundResult;
import org.ipsecemu.sadb.engine.RemovalReason;
import org.ipsecemu.sadb.engine.SaListener;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.engine.UdpEncapsulation;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.wire.SaState;

/**
 * The ESP/AH packet pipeline on top of the Key Engine: raw IP packets in, raw IP packets out, a
 * verdict for every packet, counted per SA and in total.
 *
 * <ul>
 *   <li>{@link #inbound}: for each ESP or AH header, {@code getassocbyspi(destination, SPI,
 *       protocol)}, then ESP ({@link EspProcessor}) or AH ({@link AhProcessor}) processing under
 *       the SA; transport-mode headers are peeled one after another (AH then ESP of a bundle), a
 *       tunnel ends the peeling unless its inner packet is ESP or AH for an SA here too (nested
 *       tunnels). Then the inbound policy check on the final packet's flow and every SA used
 *       ({@link KeyEngine#inboundAllowed}). A packet that arrives in the clear is checked the same
 *       way: a policy requiring IPsec refuses it ({@link Verdict#POLICY}).
 *   <li>{@link #outbound}: flow selectors, {@code getassocbysocket(flow)} (which sends SADB_ACQUIRE
 *       when an SA is missing), then bypass, discard, the pending queue, or the SA bundle applied
 *       in order, innermost first ({@code esp/transport ah/transport} gives IP|AH|ESP).
 * </ul>
 *
 * <p>Threads: the datapath is shared; each thread brings its own {@link PacketContext}. Packets of
 * different SAs run in parallel; packets of one SA and direction are serialised by the SA's lock
 * ({@link SaContext}), which keeps replay windows, sequence numbers and counters exact.
 *
 * <p>The datapath registers itself as the engine's {@link SaListener} to learn when SAs go (their
 * transforms are destroyed, and packets for an SA that expired are then counted {@code expired},
 * not {@code no_sa}); one datapath per engine. {@link #close()} unregisters it.
 */
public final class Datapath implements AutoCloseable {
  /** The deepest bundle or nesting processed for one packet (Linux's {@code XFRM_MAX_DEPTH}). */
  public static final int MAX_DEPTH = 6;

  private static final int ESP = EspProcessor.PROTOCOL;
  private static final int AH = AhProcessor.PROTOCOL;
  private static final int IPCOMP = IpcompProcessor.PROTOCOL;
  private static final int UDP = EspInUdp.UDP;
  private static final int IPIP = 4;
  private static final int IPV6_IN_IP = 41;

  /** The most an IPComp payload may inflate to by default: a whole IP datagram. */
  public static final int DEFAULT_IPCOMP_MAX = 0xffff;

  private static final Verdict[] IN = Verdict.values();
  private static final OutboundVerdict[] OUT = OutboundVerdict.values();

  private final KeyEngine engine;
  private final TransformFactory factory;
  private final Function<SecurityAssociation, IvGenerator> outboundIvs;
  private final PendingPackets pending;
  private final ExpiredSas expired;
  private final LongAdder[] inboundTotals = adders(IN.length);
  private final LongAdder[] outboundTotals = adders(OUT.length);
  private final SaListener listener = new Listener();
  private final Object attaching = new Object();
  private final boolean strictUdpEncapsulation;
  private final int ipcompMax;

  /** The usable tunnel-mode IPComp SAs, for their uncompressed IP-in-IP packets (copy on write). */
  private volatile SecurityAssociation[] ipcompTunnels = new SecurityAssociation[0];

  private Datapath(Builder b) {
    this.engine = b.engine;
    this.factory = b.factory;
    this.outboundIvs = b.outboundIvs;
    this.strictUdpEncapsulation = b.strictUdpEncapsulation;
    this.ipcompMax = b.ipcompMax;
    this.pending = new PendingPackets(b.queueLength, b.queuedFlows, b.queueTimeout.toMillis());
    this.expired = new ExpiredSas(b.expiredMemory);
    engine.addListener(listener);
  }

  /** A datapath on {@code engine} with the defaults of {@link Builder}. */
  public static Datapath create(KeyEngine engine) {
    return builder(engine).build();
  }

  /** A builder for a datapath on {@code engine}. */
  public static Builder builder(KeyEngine engine) {
    return new Builder(engine);
  }

  /** Builds a {@link Datapath}. */
  public static final class Builder {
    private final KeyEngine engine;
    private TransformFactory factory = TransformFactory.standard();
    private Function<SecurityAssociation, IvGenerator> outboundIvs;
    private int queueLength = 100;
    private int queuedFlows = 1024;
    private Duration queueTimeout = Duration.ofSeconds(60);
    private int expiredMemory = 256;
    private boolean strictUdpEncapsulation = true;
    private int ipcompMax = DEFAULT_IPCOMP_MAX;

    private Builder(KeyEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Where transforms come from (default {@link TransformFactory#standard()}: the measured
     * provider choice, unpredictable IVs). {@link TransformFactory#deterministic(long)} makes the
     * output reproducible byte for byte, given the same packets in the same order.
     */
    public Builder transforms(TransformFactory f) {
      this.factory = Objects.requireNonNull(f, "factory");
      return this;
    }

    /**
     * Outbound IV generators chosen per SA (for known-answer tests that fix the IVs); default: the
     * factory's own.
     */
    public Builder outboundIvs(Function<SecurityAssociation, IvGenerator> ivs) {
      this.outboundIvs = ivs;
      return this;
    }

    /** Packets held per flow while its SA is pending (default 100, Linux's XFRM_MAX_QUEUE_LEN). */
    public Builder queueLength(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("queueLength=" + n);
      }
      this.queueLength = n;
      return this;
    }

    /** Flows that may hold packets at once (default 1024). */
    public Builder queuedFlows(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("queuedFlows=" + n);
      }
      this.queuedFlows = n;
      return this;
    }

    /**
     * How long a packet waits for its SA before it is dropped (default 60 s, Linux's
     * XFRM_QUEUE_TMO_MAX), measured on the engine's clock.
     */
    public Builder queueTimeout(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("queueTimeout=" + d);
      }
      this.queueTimeout = d;
      return this;
    }

    /** How many expired SAs are remembered to count their late packets {@code expired}. */
    public Builder expiredMemory(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("expiredMemory=" + n);
      }
      this.expiredMemory = n;
      return this;
    }

    /**
     * Whether ESP must come the way its SA declares (default true, as Linux's {@code xfrm_input}
     * drops a mismatch): in UDP for an SA with NAT-T extensions, plain for one without; a packet
     * the other way is {@code no_sa}. False accepts both ways for every SA, which a replay wants:
     * its key files rarely say that a capture's ESP came in UDP.
     */
    public Builder strictUdpEncapsulation(boolean strict) {
      this.strictUdpEncapsulation = strict;
      return this;
    }

    /**
     * The most bytes one IPComp payload may inflate to (default 65535, a whole datagram); past it
     * the packet is {@code malformed}. The hard cap against decompression bombs.
     */
    public Builder ipcompMaxDecompressed(int bytes) {
      if (bytes < 1 || bytes > DEFAULT_IPCOMP_MAX) {
        throw new IllegalArgumentException("ipcompMaxDecompressed=" + bytes + " (1..65535)");
      }
      this.ipcompMax = bytes;
      return this;
    }

    public Datapath build() {
      return new Datapath(this);
    }
  }

  /** The Key Engine it runs on. */
  public KeyEngine engine() {
    return engine;
  }

  /** A fresh per-thread context. */
  public PacketContext newContext() {
    return new PacketContext();
  }

  // ====================================================================== inbound

  /**
   * Processes one received IP packet, {@code pkt[off, off+len)} (trailing link-layer padding
   * allowed), in place. On {@link Verdict#OK} the packet to deliver is at {@code ctx.offset()} for
   * {@code ctx.length()} bytes of {@code pkt} ({@code ctx.hasOutput()} false for an ESP dummy
   * packet); on any other verdict nothing is delivered and the bytes of {@code pkt} past the outer
   * IP header are unspecified. Never throws on packet contents.
   */
  public Verdict inbound(byte[] pkt, int off, int len, PacketContext ctx) {
    ctx.clear();
    IpPacket p = ctx.packet;
    byte[] buf = pkt;
    int ip = off;
    int length = len;
    boolean tunnelled = false;
    boolean dummy = false;
    boolean inUdp = false;
    boolean untouched = false;
    int firstInner = 0;
    SaContext failed = null;
    Verdict v = Verdict.OK;
    while (true) {
      if (!p.parse(buf, ip, length).isOk()) {
        v = Verdict.MALFORMED;
        break;
      }
      int proto = p.protocol();
      if (proto == UDP) {
        // RFC 3948: ESP in UDP on the NAT-T port (or the ports an SA declares) loses its UDP
        // header here, then goes on as ESP; IKE and keepalives pass untouched.
        if (p.isFragment() || inUdp) {
          break;
        }
        UdpPayload kind = EspInUdp.classify(p, engine);
        if (kind == UdpPayload.NOT_NATT) {
          break;
        }
        if (!kind.isEsp()) {
          if (ctx.saCount == 0) {
            ctx.natTraversal = kind;
            untouched = true;
          }
          break;
        }
        if (tunnelled && !hasEspSa(p, p.protocolOffset() + kind.encapsulationLength())) {
          break; // NAT-T traffic of another host out of a tunnel: delivered as it is, unchanged
        }
        int newIp = EspInUdp.decapsulate(p, kind);
        if (newIp < 0) {
          v = Verdict.MALFORMED;
          break;
        }
        length = p.length() - kind.encapsulationLength();
        ip = newIp;
        inUdp = true;
        continue;
      }
      if ((proto == IPIP || proto == IPV6_IN_IP) && !tunnelled && !p.isFragment()) {
        // The uncompressed packets of an IPComp tunnel travel as plain IP in IP (RFC 3173 §2.2).
        SecurityAssociation sa = ipcompTunnelFor(p);
        if (sa == null || ctx.saCount == MAX_DEPTH) {
          break;
        }
        SaContext c = context(sa);
        ctx.sas[ctx.saCount++] = sa;
        int inner = p.protocolOffset();
        int innerLength = p.end() - inner;
        if (!c.sa().charge(innerLength)) {
          v = Verdict.EXPIRED;
          failed = c;
          break;
        }
        ip = inner;
        length = innerLength;
        tunnelled = true;
        firstInner = ctx.saCount - 1;
        continue;
      }
      if (proto != ESP && proto != AH && proto != IPCOMP) {
        break;
      }
      // RFC 4303 §3.4.1: fragments are reassembled before ESP/AH processing; that is the
      // capture reader's business (org.ipsecemu.datapath.fragment), here a fragment cannot be
      // processed. (The IPv4 header checksum is not checked: captures of a host's own packets
      // carry what checksum offload left there.)
      if (p.isFragment()) {
        if (!tunnelled) {
          v = Verdict.MALFORMED;
        }
        break; // out of a tunnel, a fragment goes on to whoever reassembles it
      }
      int at = p.protocolOffset();
      int spiAt = at + (proto == AH ? 4 : 0);
      if (p.end() - spiAt < 4) {
        v = Verdict.MALFORMED;
        break;
      }
      // IPComp: the 16-bit CPI (RFC 3173 §2.2) is the SA's SPI, as Linux and KAME key it.
      int spi = proto == IPCOMP ? BigEndian.getU16(buf, at + 2) : BigEndian.getInt(buf, spiAt);
      SecurityAssociation sa =
          engine.getassocbyspi(buf, p.destinationOffset(), p.addressLength(), spi, proto);
      if (sa == null) {
        if (tunnelled) {
          break; // the inner packet of a tunnel carries IPsec for another host: pass it on
        }
        v =
            expired.contains(proto, spi, buf, p.destinationOffset(), p.addressLength())
                ? Verdict.EXPIRED
                : Verdict.NO_SA;
        break;
      }
      if (ctx.saCount == MAX_DEPTH) {
        // Deeper than Linux's XFRM_MAX_DEPTH: dropped, and counted on the SA it did not reach.
        v = Verdict.MALFORMED;
        failed = context(sa);
        break;
      }
      SaContext c = context(sa);
      ctx.sas[ctx.saCount++] = sa;
      if (proto == ESP) {
        if (strictUdpEncapsulation && (sa.udpEncapsulation() != null) != inUdp) {
          // Linux's xfrm_input: the packet came another way than its SA says (in UDP or not).
          v = Verdict.NO_SA;
          failed = c;
          break;
        }
        EspProcessor esp = ctx.esp;
        v = esp.inbound(c, p);
        ip = esp.offset();
        length = esp.length();
        if (esp.isTunnel()) {
          tunnelled = true;
          firstInner = ctx.saCount - 1;
        }
        dummy = esp.isDummy();
        if (v.isOk() && inUdp && !esp.isTunnel() && !dummy && p.parse(buf, ip, length).isOk()) {
          EspInUdp.fixTransportChecksum(p, c.natOriginalAddress(), c.icvLength() > 0);
        }
        inUdp = false;
      } else if (proto == AH) {
        AhProcessor ah = ctx.ah;
        v = ah.inbound(c, p);
        ip = ah.offset();
        length = ah.length();
        if (ah.isTunnel()) {
          tunnelled = true;
          firstInner = ctx.saCount - 1;
        }
      } else {
        IpcompProcessor ipcomp = ctx.ipcomp;
        byte[] into = ctx.inflateBuffer();
        v = ipcomp.inbound(c, p, into, PacketContext.HEADROOM, ipcompMax);
        buf = into;
        ip = ipcomp.offset();
        length = ipcomp.length();
        if (ipcomp.isTunnel()) {
          tunnelled = true;
          firstInner = ctx.saCount - 1;
        }
      }
      if (!v.isOk()) {
        failed = c;
        break;
      }
      if (dummy) {
        break;
      }
    }
    boolean everySa = v.isOk();
    if (untouched) {
      // IKE and NAT-keepalives go to the key manager as they are, before any policy (its socket
      // bypasses IPsec, as IKE daemons' sockets do).
      ctx.result(buf, p.offset(), p.length());
    } else if (v.isOk() && !dummy) {
      FlowExtractor.extract(p, ctx.flow);
      if (!engine.inboundAllowed(ctx.flow, ctx.sas, ctx.saCount, firstInner)) {
        v = Verdict.POLICY;
      } else {
        ctx.result(buf, p.offset(), p.length());
      }
    }
    inboundTotals[v.ordinal()].increment();
    if (failed != null) {
      failed.counters().count(v);
    } else if (everySa) {
      for (int i = 0; i < ctx.saCount; i++) {
        context(ctx.sas[i]).counters().count(v);
      }
    }
    return v;
  }

  /** Whether an ESP SA of this engine has the SPI at {@code spiAt} of the packet {@code p}. */
  private boolean hasEspSa(IpPacket p, int spiAt) {
    return p.end() - spiAt >= 4
        && engine.getassocbyspi(
                p.buffer(),
                p.destinationOffset(),
                p.addressLength(),
                BigEndian.getInt(p.buffer(), spiAt),
                ESP)
            != null;
  }

  /** The usable tunnel-mode IPComp SA between the packet's addresses, or null. */
  private SecurityAssociation ipcompTunnelFor(IpPacket p) {
    SecurityAssociation[] all = ipcompTunnels;
    for (SecurityAssociation sa : all) {
      if (sa.isUsable()
          && sa.destinationEquals(p.buffer(), p.destinationOffset(), p.addressLength())
          && sa.sourceEquals(p.buffer(), p.sourceOffset(), p.addressLength())) {
        return sa;
      }
    }
    return null;
  }

  // ====================================================================== outbound

  /**
   * Processes one IP packet to send, {@code pkt[off, off+len)}. On {@link OutboundVerdict#OK} the
   * protected packet is in {@code ctx.workBuffer()} at {@code ctx.offset()} for {@code
   * ctx.length()} bytes; on {@link OutboundVerdict#BYPASS} it is the input itself; a {@link
   * OutboundVerdict#QUEUED} packet was copied and leaves later through {@link #releasePending}.
   * Never throws on packet contents, and never lets a packet whose policy requires IPsec out in the
   * clear.
   */
  public OutboundVerdict outbound(byte[] pkt, int off, int len, PacketContext ctx) {
    ctx.clear();
    IpPacket p = ctx.packet;
    if (!p.parse(pkt, off, len).isOk()) {
      return countOutbound(OutboundVerdict.MALFORMED);
    }
    FlowExtractor.extract(p, ctx.flow);
    OutboundResult r = engine.getassocbysocket(ctx.flow);
    switch (r.kind()) {
      case BYPASS:
        ctx.result(pkt, p.offset(), p.length());
        return countOutbound(OutboundVerdict.BYPASS);
      case DISCARD:
        return countOutbound(OutboundVerdict.POLICY);
      case PENDING:
        return countOutbound(
            pending.enqueue(ctx.flow, pkt, p.offset(), p.length(), now())
                ? OutboundVerdict.QUEUED
                : OutboundVerdict.QUEUE_FULL);
      case PROTECT:
        return protect(r, p, ctx);
      default: // NO_KEY_MANAGER, ACQUIRE_FAILED
        return countOutbound(OutboundVerdict.NO_SA);
    }
  }

  private OutboundVerdict protect(OutboundResult r, IpPacket p, PacketContext ctx) {
    byte[] work = ctx.work;
    int ip = PacketContext.HEADROOM;
    int length = p.length();
    if (r.size() > MAX_DEPTH) {
      return countOutbound(OutboundVerdict.TOO_BIG);
    }
    if (p.buffer() != work || p.offset() != ip) {
      System.arraycopy(p.buffer(), p.offset(), work, ip, length);
    }
    for (int i = 0; i < r.size(); i++) {
      SecurityAssociation sa = r.sa(i);
      SaContext c = context(sa);
      ctx.sas[ctx.saCount++] = sa;
      OutboundVerdict v;
      if (!p.parse(work, ip, length).isOk()) {
        v = OutboundVerdict.MALFORMED;
      } else {
        if (c.isEsp()) {
          v = ctx.esp.outbound(c, p, 0, work.length);
          ip = ctx.esp.offset();
          length = ctx.esp.length();
          UdpEncapsulation encap = sa.udpEncapsulation();
          if (v == OutboundVerdict.OK && encap != null) {
            // RFC 3948 §3.1.1 / §3.1.3: the SA's packets leave in UDP.
            int newIp = p.parse(work, ip, length).isOk() ? EspInUdp.encapsulate(p, encap, 0) : -1;
            if (newIp < 0) {
              v = OutboundVerdict.TOO_BIG;
            } else {
              length = p.length() + (ip - newIp);
              ip = newIp;
            }
          }
        } else if (c.isIpcomp()) {
          v = ctx.ipcomp.outbound(c, p, 0, work.length);
          ip = ctx.ipcomp.offset();
          length = ctx.ipcomp.length();
        } else {
          v = ctx.ah.outbound(c, p, 0, work.length);
          ip = ctx.ah.offset();
          length = ctx.ah.length();
        }
      }
      if (v != OutboundVerdict.OK) {
        c.counters().count(v);
        return countOutbound(v);
      }
    }
    for (int i = 0; i < ctx.saCount; i++) {
      context(ctx.sas[i]).counters().count(OutboundVerdict.OK);
    }
    ctx.result(work, ip, length);
    return countOutbound(OutboundVerdict.OK);
  }

  /**
   * Sends out the queued packets whose SA has arrived (through {@link #outbound}, each result
   * handed to {@code sink}) and drops, counting {@code queue_timeout}, those that waited past the
   * timeout on the engine's clock. Call it after key management acted, or as time passes (a replay
   * does after every packet). Returns how many packets left.
   */
  public int releasePending(PacketContext ctx, PacketSink sink) {
    return pending.release(this, ctx, sink, now());
  }

  /** Packets waiting for their SA now. */
  public int pendingPackets() {
    return pending.size();
  }

  // ====================================================================== state and counters

  /**
   * The datapath's state for an SA, made and attached on first use: its counters, and its
   * transforms and sequence state (see {@link SaContext}).
   */
  public SaContext context(SecurityAssociation sa) {
    Object a = sa.attachment();
    if (a instanceof SaContext c) {
      return c;
    }
    synchronized (attaching) {
      a = sa.attachment();
      if (a instanceof SaContext c) {
        return c;
      }
      SaContext c = new SaContext(sa, factory, outboundIvs);
      sa.attach(c);
      if (sa.state() == SaState.SADB_SASTATE_DEAD) {
        // Removed before we attached: the listener saw no context to retire.
        c.retire(RemovalReason.DELETED);
      }
      return c;
    }
  }

  /** The SA's packet counters (an SA that never saw a packet shows zeros). */
  public SaCounters counters(SecurityAssociation sa) {
    return context(sa).counters();
  }

  /** Inbound packets with this verdict, all SAs together. */
  public long count(Verdict v) {
    return inboundTotals[v.ordinal()].sum();
  }

  /** Outbound packets with this verdict, all SAs together. */
  public long count(OutboundVerdict v) {
    return outboundTotals[v.ordinal()].sum();
  }

  OutboundVerdict countOutbound(OutboundVerdict v) {
    outboundTotals[v.ordinal()].increment();
    return v;
  }

  /** Totals and per-SA counters now (allocates; for statistics and reports). */
  public DatapathStats stats() {
    Map<String, Long> in = new LinkedHashMap<>();
    for (Verdict v : IN) {
      in.put(v.label(), count(v));
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (OutboundVerdict v : OUT) {
      out.put(v.label(), count(v));
    }
    List<DatapathStats.SaStats> sas = new ArrayList<>();
    for (SecurityAssociation sa : engine.associations()) {
      if (sa.attachment() instanceof SaContext c) {
        sas.add(DatapathStats.SaStats.of(sa, c.counters()));
      }
    }
    return new DatapathStats(in, out, pending.size(), sas);
  }

  private long now() {
    return engine.clock().currentTimeMillis();
  }

  /** Stops listening to the engine; packets may still be processed. */
  @Override
  public void close() {
    engine.removeListener(listener);
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  /** Retires the state of SAs that leave, remembers the ones that expired. */
  private final class Listener implements SaListener {
    @Override
    public void added(SecurityAssociation sa) {
      expired.remove(sa);
      if (sa.ipProtocol() == IPCOMP && sa.mode() == IpsecMode.TUNNEL) {
        synchronized (attaching) {
          SecurityAssociation[] a = ipcompTunnels;
          SecurityAssociation[] b = java.util.Arrays.copyOf(a, a.length + 1);
          b[a.length] = sa;
          ipcompTunnels = b;
        }
      }
    }

    @Override
    public void removed(SecurityAssociation sa, RemovalReason reason) {
      if (sa.attachment() instanceof SaContext c) {
        c.retire(reason);
      }
      if (sa.ipProtocol() == IPCOMP) {
        synchronized (attaching) {
          ipcompTunnels =
              java.util.Arrays.stream(ipcompTunnels)
                  .filter(x -> x != sa)
                  .toArray(SecurityAssociation[]::new);
        }
      }
      if (reason == RemovalReason.EXPIRED) {
        expired.add(sa);
      }
    }
  }
}
