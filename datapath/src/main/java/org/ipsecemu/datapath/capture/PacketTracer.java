package org.ipsecemu.datapath.capture;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.ipsecemu.datapath.esp.EspTrailer;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.FlowExtractor;
import org.ipsecemu.datapath.packet.InsertionPoint;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.packet.IpProtocol;
import org.ipsecemu.datapath.packet.ParseResult;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.datapath.pipeline.PacketContext;
import org.ipsecemu.datapath.replay.ReplayWindow;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.Lifetime;
import org.ipsecemu.sadb.engine.OutboundResult;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.spd.Flow;

/**
 * Tells, in plain words, what happens to one packet ({@code --trace}): for people learning how
 * IPsec works inside a kernel. Inbound: the SPI lookup and the SA found, the anti-replay window
 * before and after, the ICV good or bad, the cipher, the pad length and next header, the lifetime
 * counters, the verdict. Outbound: the policy lookup, the SA bundle, the sequence number, cipher,
 * padding, next header, ICV, lifetime counters, the verdict.
 *
 * <p>It reads what the datapath leaves to be read (the SA's state before and after, the decrypted
 * trailer in the packet's buffer) and never a key: SAs are described by their {@code toString} and
 * algorithm names. One per processing thread (it holds views); it allocates, which is fine for a
 * trace.
 */
final class PacketTracer {
  private static final int ESP = 50;
  private static final int AH = 51;

  private final Datapath dp;
  private final KeyEngine engine;
  private final IpPacket ip = new IpPacket();
  private final IpPacket inner = new IpPacket();
  private final Flow flow = new Flow();
  private final InsertionPoint insertion = new InsertionPoint();

  PacketTracer(Datapath dp) {
    this.dp = dp;
    this.engine = dp.engine();
  }

  /** What was seen of an inbound packet before the datapath processed it. */
  static final class Inbound {
    final StringBuilder b = new StringBuilder();
    byte[] buffer;
    SecurityAssociation sa;
    SaContext context;
    ReplayWindow.Snapshot windowBefore;
    long bytesBefore;
    long sequence;
    int end;
  }

  /** What was seen of an outbound packet before the datapath processed it. */
  static final class Outbound {
    final StringBuilder b = new StringBuilder();
    SecurityAssociation sa;
    SaContext context;
    long sequenceBefore;
    long bytesBefore;
    int dataLength;
    int nextHeader;
  }

  // ====================================================================== inbound

  Inbound beforeInbound(Slot s, byte[] d, int off, int len) {
    Inbound t = new Inbound();
    t.buffer = d;
    header(t.b, s, "inbound");
    ParseResult r = ip.parse(d, off, len);
    if (!r.isOk()) {
      t.b.append("  IP header: ").append(r.description()).append('\n');
      return t;
    }
    t.b.append("  packet: ").append(describe(ip)).append('\n');
    int proto = ip.protocol();
    if (proto != ESP && proto != AH) {
      t.b
          .append("  not ESP or AH: no SA to look up; the inbound policy decides whether it may")
          .append(" come in unprotected\n");
      return t;
    }
    if (ip.isFragment()) {
      t.b
          .append("  an IP fragment: ESP and AH need the whole datagram (RFC 4303 §3.4.1),")
          .append(" which is not reassembled here\n");
      return t;
    }
    int spiAt = ip.protocolOffset() + (proto == AH ? 4 : 0);
    if (ip.end() - spiAt < 8) {
      t.b.append("  too short for an ").append(name(proto)).append(" header\n");
      return t;
    }
    int spi = BigEndian.getInt(d, spiAt);
    t.sequence = BigEndian.getInt(d, spiAt + 4) & 0xffff_ffffL;
    t.end = ip.end();
    t.b
        .append("  ")
        .append(name(proto))
        .append(" header: SPI ")
        .append(hex(spi))
        .append(", sequence number ")
        .append(t.sequence)
        .append('\n');
    SecurityAssociation sa =
        engine.getassocbyspi(d, ip.destinationOffset(), ip.addressLength(), spi, proto);
    t.b
        .append("  SPI lookup: getassocbyspi(destination ")
        .append(address(d, ip.destinationOffset(), ip.addressLength()))
        .append(", SPI ")
        .append(hex(spi))
        .append(", ")
        .append(name(proto))
        .append(") ");
    if (sa == null) {
      t.b.append("finds no usable SA\n");
      return t;
    }
    t.sa = sa;
    t.context = dp.context(sa);
    t.b.append("finds ").append(describe(sa)).append('\n');
    t.windowBefore = window(t.context);
    t.bytesBefore = sa.bytes();
    t.b.append("  replay window before: ").append(describe(t.windowBefore)).append('\n');
    return t;
  }

  String afterInbound(Inbound t, Slot s, PacketContext ctx) {
    StringBuilder b = t.b;
    Verdict v = s.verdict;
    SaContext c = t.context;
    if (c != null) {
      boolean checked = v == Verdict.OK || v == Verdict.PAD_ERROR || v == Verdict.AUTH_FAILED;
      if (v == Verdict.REPLAY) {
        b.append("  anti-replay check (RFC 4303 §3.4.3): sequence number ")
            .append(t.sequence)
            .append(t.sequence == 0 ? " is never valid" : " was already received or is left of")
            .append(t.sequence == 0 ? "" : " the window")
            .append(": dropped before the ICV is computed\n");
      } else if (checked) {
        b.append("  anti-replay check: sequence number ").append(t.sequence).append(" is new\n");
      }
      if (c.icvLength() == 0) {
        b.append("  ICV: none (ESP without integrity: nothing proves who sent it)\n");
      } else if (v == Verdict.AUTH_FAILED) {
        b.append("  ICV: ").append(integrity(c)).append(", BAD (compared in constant time)\n");
      } else if (v == Verdict.OK || v == Verdict.PAD_ERROR) {
        b.append("  ICV: ").append(integrity(c)).append(", good\n");
      }
      if (c.isEsp() && (v == Verdict.OK || v == Verdict.PAD_ERROR) && ctx.saCount() > 0) {
        b.append("  cipher: ").append(cipher(c)).append(", decrypted in place\n");
        int trailer = t.end - c.icvLength() - EspTrailer.LENGTH;
        if (trailer >= 0 && trailer + 1 < t.buffer.length) {
          int pad = t.buffer[trailer] & 0xff;
          int next = t.buffer[trailer + 1] & 0xff;
          b.append("  padding: ")
              .append(pad)
              .append(pad == 1 ? " byte" : " bytes")
              .append(v == Verdict.PAD_ERROR ? " (WRONG: too long, or not 1, 2, 3, ...)" : "")
              .append(", next header ")
              .append(next)
              .append(" (")
              .append(nextHeaderMeaning(next))
              .append(")\n");
        }
      }
      b.append("  replay window after: ").append(describe(window(c))).append('\n');
      SecurityAssociation sa = t.sa;
      b.append("  lifetime: ")
          .append(sa.bytes() - t.bytesBefore)
          .append(" bytes charged, ")
          .append(sa.bytes())
          .append(" so far; ")
          .append(limits(sa))
          .append('\n');
    }
    for (int i = 1; i < ctx.saCount(); i++) {
      b.append("  then ").append(describe(ctx.sa(i))).append('\n');
    }
    b.append("  verdict: ").append(v.label()).append(" (").append(explain(v)).append(")");
    switch (s.action) {
      case REPLACE -> {
        b.append(", written as ");
        if (inner.parse(s.outArray, s.outOffset, s.outLength).isOk()) {
          b.append(describe(inner));
        } else {
          b.append(s.outLength).append(" bytes");
        }
      }
      case KEEP ->
          b.append(v.isOk() ? ", written unchanged" : ", written unchanged (--keep-dropped)");
      case DROP -> b.append(v.isOk() ? ", nothing to deliver (a dummy packet)" : ", left out");
    }
    return b.append('\n').toString();
  }

  // ====================================================================== outbound

  Outbound beforeOutbound(Slot s, byte[] d, int off, int len) {
    Outbound t = new Outbound();
    header(t.b, s, "outbound");
    ParseResult r = ip.parse(d, off, len);
    if (!r.isOk()) {
      t.b.append("  IP header: ").append(r.description()).append('\n');
      return t;
    }
    t.b.append("  packet: ").append(describe(ip)).append('\n');
    FlowExtractor.extract(ip, flow);
    // The very call the datapath makes first, on the same thread at the same time: its answer is
    // then cached, so tracing changes nothing.
    OutboundResult res = engine.getassocbysocket(flow);
    t.b
        .append("  policy lookup: getassocbysocket(")
        .append(flow)
        .append(") answers ")
        .append(res.kind());
    if (res.policy() != null) {
      t.b.append(" by policy ").append(res.policy());
    } else if (res.kind() == OutboundResult.Kind.BYPASS) {
      t.b.append(" (no policy selects it)");
    }
    t.b.append('\n');
    if (res.kind() != OutboundResult.Kind.PROTECT) {
      return t;
    }
    for (int i = 0; i < res.size(); i++) {
      t.b.append("  SA ").append(i + 1).append(": ").append(describe(res.sa(i))).append('\n');
    }
    SecurityAssociation sa = res.sa(0);
    t.sa = sa;
    t.context = dp.context(sa);
    t.sequenceBefore = sequence(t.context);
    t.bytesBefore = sa.bytes();
    if (t.context.isTunnel()) {
      t.dataLength = ip.length();
      t.nextHeader = ip.version() == 4 ? 4 : 41;
    } else if (insertion.find(ip).isOk()) {
      t.dataLength = ip.end() - insertion.offset();
      t.nextHeader = insertion.nextHeader();
    } else {
      t.dataLength = -1;
    }
    return t;
  }

  String afterOutbound(Outbound t, Slot s, PacketContext ctx) {
    StringBuilder b = t.b;
    OutboundVerdict v = s.outboundVerdict;
    SaContext c = t.context;
    if (c != null && v == OutboundVerdict.OK) {
      b.append("  first SA: sequence number ")
          .append(sequence(c))
          .append(" (the last one sent was ")
          .append(t.sequenceBefore)
          .append(")\n");
      if (c.isEsp()) {
        b.append("  cipher: ").append(cipher(c)).append(", a fresh IV for this packet\n");
        if (t.dataLength >= 0) {
          int pad = EspTrailer.padLength(t.dataLength, c.blockSize());
          b.append("  padding: ")
              .append(pad)
              .append(pad == 1 ? " byte" : " bytes")
              .append(" (1, 2, 3, ..., to align to ")
              .append(Math.max(4, c.blockSize()))
              .append(" bytes), next header ")
              .append(t.nextHeader)
              .append(" (")
              .append(nextHeaderMeaning(t.nextHeader))
              .append(")\n");
        }
      }
      if (c.icvLength() > 0) {
        b.append("  ICV: ").append(integrity(c)).append(", computed\n");
      } else {
        b.append("  ICV: none (ESP without integrity)\n");
      }
      b.append("  lifetime: ")
          .append(t.sa.bytes() - t.bytesBefore)
          .append(" bytes charged, ")
          .append(t.sa.bytes())
          .append(" so far; ")
          .append(limits(t.sa))
          .append('\n');
    }
    b.append("  verdict: ")
        .append(v == OutboundVerdict.POLICY ? "discard" : v.label())
        .append(" (")
        .append(explain(v))
        .append(")");
    switch (s.action) {
      case REPLACE -> {
        b.append(", written as ");
        if (inner.parse(s.outArray, s.outOffset, s.outLength).isOk()) {
          b.append(describe(inner));
        } else {
          b.append(s.outLength).append(" bytes");
        }
      }
      case KEEP ->
          b.append(v.isSent() ? ", written unchanged" : ", written unchanged (--keep-dropped)");
      case DROP -> b.append(v == OutboundVerdict.QUEUED ? ", held" : ", left out");
    }
    return b.append('\n').toString();
  }

  // ====================================================================== words

  private static void header(StringBuilder b, Slot s, String direction) {
    b.append('#')
        .append(s.number)
        .append(' ')
        .append(Instant.ofEpochSecond(s.frame.epochSecond(), s.frame.nanos()))
        .append(' ')
        .append(direction)
        .append('\n');
  }

  private static String describe(IpPacket p) {
    byte[] d = p.buffer();
    return address(d, p.sourceOffset(), p.addressLength())
        + " > "
        + address(d, p.destinationOffset(), p.addressLength())
        + " "
        + name(p.protocol())
        + ", IPv"
        + p.version()
        + ", "
        + p.length()
        + " bytes";
  }

  static String describe(SecurityAssociation sa) {
    SaContext c = null;
    if (sa.attachment() instanceof SaContext x) {
      c = x;
    }
    StringBuilder b =
        new StringBuilder()
            .append(sa.protocol().name())
            .append(" SA ")
            .append(hex(sa.spi()))
            .append(' ')
            .append(sa.source().getHostAddress())
            .append(" -> ")
            .append(sa.destination().getHostAddress())
            .append(" (mode ")
            .append(sa.mode().name().toLowerCase(Locale.ROOT));
    if (c != null) {
      if (c.isEsp()) {
        b.append(", ").append(cipher(c));
      }
      if (c.integrity() != null) {
        b.append(", ").append(integrity(c));
      }
    }
    return b.append(", state ").append(state(sa)).append(')').toString();
  }

  static String state(SecurityAssociation sa) {
    return switch (sa.state()) {
      case SADB_SASTATE_LARVAL -> "larval";
      case SADB_SASTATE_MATURE -> "mature";
      case SADB_SASTATE_DYING -> "dying";
      case SADB_SASTATE_DEAD -> "dead";
    };
  }

  private static String cipher(SaContext c) {
    Algorithm a = c.encryption();
    return a == null ? "none" : a.setkeyName();
  }

  private static String integrity(SaContext c) {
    if (c.isCombined()) {
      return c.encryption().setkeyName() + " tag (" + c.icvLength() + " bytes)";
    }
    Algorithm a = c.integrity();
    return (a == null ? "none" : a.setkeyName()) + " (" + c.icvLength() + " bytes)";
  }

  private static ReplayWindow.Snapshot window(SaContext c) {
    SaContext.Side side = c.inbound();
    side.lock();
    try {
      ReplayWindow w = side.replay();
      return w == null ? null : w.snapshot();
    } finally {
      side.unlock();
    }
  }

  private static long sequence(SaContext c) {
    SaContext.Side side = c.outbound();
    side.lock();
    try {
      return side.sequence();
    } finally {
      side.unlock();
    }
  }

  private static String describe(ReplayWindow.Snapshot w) {
    if (w == null) {
      return "not used yet (nothing received)";
    }
    if (w.size() == 0) {
      return "disabled (replay 0), highest sequence number " + Long.toUnsignedString(w.right());
    }
    if (w.right() == 0) {
      return "size " + w.size() + ", nothing received yet";
    }
    return "size "
        + w.size()
        + ", covers "
        + Long.toUnsignedString(w.left())
        + ".."
        + Long.toUnsignedString(w.right())
        + ", "
        + w.received()
        + " received (newest first: "
        + w.recent()
        + ")";
  }

  private static String limits(SecurityAssociation sa) {
    return "soft limit " + limit(sa.softLifetime()) + ", hard limit " + limit(sa.hardLifetime());
  }

  private static String limit(Lifetime l) {
    if (l == null || l.isUnlimited()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    if (l.bytes() != 0) {
      b.append(l.bytes()).append(" bytes");
    }
    if (l.addtime() != 0) {
      b.append(b.length() > 0 ? " or " : "").append(l.addtime()).append(" s after added");
    }
    if (l.usetime() != 0) {
      b.append(b.length() > 0 ? " or " : "").append(l.usetime()).append(" s after first use");
    }
    if (l.allocations() != 0) {
      b.append(b.length() > 0 ? " or " : "").append(l.allocations()).append(" allocations");
    }
    return b.toString();
  }

  private static String nextHeaderMeaning(int next) {
    return switch (next) {
      case 4 -> "IPv4: tunnel mode, an inner packet";
      case 41 -> "IPv6: tunnel mode, an inner packet";
      case 59 -> "no next header: a dummy packet to discard";
      default -> name(next) + ": transport mode";
    };
  }

  private static String explain(Verdict v) {
    return switch (v) {
      case OK -> "accepted";
      case NO_SA -> "no SA for this destination, SPI and protocol";
      case AUTH_FAILED -> "integrity check failed";
      case REPLAY -> "refused by the anti-replay window";
      case MALFORMED -> "not a packet the SA can process";
      case PAD_ERROR -> "padding wrong after decryption";
      case EXPIRED -> "the SA reached its hard lifetime";
      case POLICY -> "the inbound policy refuses it";
    };
  }

  private static String explain(OutboundVerdict v) {
    return switch (v) {
      case OK -> "protected and sent";
      case BYPASS -> "sent in the clear";
      case POLICY -> "a discard policy drops it";
      case NO_SA -> "an SA is missing and cannot be had";
      case QUEUED ->
          "SADB_ACQUIRE sent; waiting for key management, which does not answer a replay";
      case QUEUE_FULL -> "SADB_ACQUIRE out, the queue for the flow is full";
      case QUEUE_TIMEOUT -> "waited too long for its SA";
      case EXPIRED -> "the SA reached its hard lifetime or its sequence number would wrap";
      case MALFORMED -> "not an IP packet the datapath can protect";
      case TOO_BIG -> "too big once protected";
    };
  }

  static String name(int proto) {
    return IpProtocol.name(proto);
  }

  static String hex(int spi) {
    return String.format("0x%08x", spi);
  }

  private static String address(byte[] d, int off, int len) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(d, off, off + len)).getHostAddress();
    } catch (UnknownHostException e) {
      return "?";
    }
  }
}
