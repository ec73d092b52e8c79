package org.ipsecemu.bench;

import java.util.Arrays;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.wire.SockAddr;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@link EspBench} and {@link AhBench} share: one transport SA added through PF_KEY, its
 * datapath state, and the two measured operations (protect a copy of the cleartext in place; copy
 * one of 64 pre-made packets into the receive buffer and take it back). Each JMH fork runs one
 * subclass only, so the calls to the abstract hooks stay monomorphic and are inlined.
 */
@State(Scope.Thread)
public abstract class TransformBench {
  static final String A = "192.0.2.1";
  static final String B = "192.0.2.2";
  private static final int SPI = 0x1001;
  private static final int PACKETS = 64;

  private KeyEngine engine;
  private SaContext sa;
  private final IpPacket packet = new IpPacket();
  private byte[] plain;
  private final byte[] work = new byte[4096];
  private byte[][] received;
  private int next;

  /** The suite as {@code Lab.Suite.parse} reads it ({@code aes-cbc/hmac-sha1}, {@code ah/...}). */
  abstract String suite();

  /** The payload bytes after the IP header. */
  abstract int payloadSize();

  /** The IP protocol number of the transform (50 or 51), for {@code getassocbyspi}. */
  abstract int protocol();

  abstract OutboundVerdict protect(SaContext sa, IpPacket packet, int floor, int ceiling);

  abstract Verdict unprotect(SaContext sa, IpPacket packet);

  /** Where the last packet processed starts in the work buffer. */
  abstract int offset();

  /** The last packet's length. */
  abstract int length();

  @Setup(Level.Trial)
  public void setUp() {
    engine = KeyEngine.create();
    Lab.Suite suite = Lab.Suite.parse(suite());
    try (PfKeySocket socket = engine.open(Credentials.root(1))) {
      Lab.addSa(socket, suite, SPI, A, B, false, 0);
    }
    SecurityAssociation s = engine.getassocbyspi(SockAddr.parseAddress(B), SPI, protocol());
    sa = new SaContext(s, TransformFactory.standard(), null);
    plain = Lab.ipv4Udp(A, B, payloadSize(), 5000);
    received = new byte[PACKETS][];
    for (int i = 0; i < PACKETS; i++) {
      int length = protectOne();
      received[i] = Arrays.copyOfRange(work, offset(), offset() + length);
    }
    // The inbound side is built by its first packet; build it now, outside the measurement.
    if (unprotectOne() != plain.length) {
      throw new IllegalStateException("inbound does not give the cleartext back");
    }
    next = 0;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  /** Protects one packet; returns the protected packet's length. */
  @Benchmark
  public int outbound() {
    return protectOne();
  }

  /** Copies one protected packet into the receive buffer and takes it back; returns its length. */
  @Benchmark
  public int inbound() {
    return unprotectOne();
  }

  private int protectOne() {
    int at = 1024;
    System.arraycopy(plain, 0, work, at, plain.length);
    packet.parse(work, at, plain.length);
    if (protect(sa, packet, 0, work.length) != OutboundVerdict.OK) {
      throw new IllegalStateException("outbound");
    }
    return length();
  }

  private int unprotectOne() {
    byte[] p = received[next];
    next = (next + 1) & (PACKETS - 1);
    System.arraycopy(p, 0, work, 0, p.length);
    packet.parse(work, 0, p.length);
    if (unprotect(sa, packet) != Verdict.OK) {
      throw new IllegalStateException("inbound");
    }
    return length();
  }
}
