package org.ipsecemu.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.OutboundResult;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.SockAddr;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Key Engine's two per-packet lookups (the McDonald–Phan–Atkinson paper's kernel interface):
 * {@code getassocbyspi} for every inbound packet and {@code getassocbysocket} for every outbound
 * one, in nanoseconds per lookup.
 *
 * <p>{@code getAssocBySpi}: {@code sas} ESP SAs added through PF_KEY, as a gateway with that many
 * peers holds them: each from its own peer (10.x.y.z) to one of four local addresses (192.0.2.1-4),
 * random distinct SPIs. Each lookup takes the next of 2^20 (destination, SPI) pairs drawn at random
 * from all SAs beforehand, reading the address from a packet-like buffer as the datapath does.
 * {@code getAssocBySpiMiss} looks up SPIs that no SA has, to the same addresses. With 1,000,000 SAs
 * run it with {@code -jvmArgsAppend -Xmx1g} to check that they fit in a 1 GiB heap.
 *
 * <p>{@code getAssocBySocket}: {@code policies} outbound policies, each from our network
 * 192.0.2.0/24 to a peer's network 10.a.b.0/24 through an ESP tunnel to that peer, each with its
 * SA; 1024 flows (different hosts and ports, spread evenly over the policies) have been looked up
 * once, so every lookup finds established SAs. Each lookup takes the next flow in a random order.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar SadbLookupBench -prof gc -jvmArgsAppend -Xmx1g
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class SadbLookupBench {
  private static final int ESP = 50;
  private static final int PROBES = 1 << 20;
  private static final int FLOWS = 1024;

  /** {@code sas} SAs in the engine and a random sequence of lookups. */
  @State(Scope.Thread)
  public static class Sas {
    @Param({"1000", "100000", "1000000"})
    public int sas;

    KeyEngine engine;

    /** Four local addresses, one after the other, as packets' destination fields. */
    final byte[] destinations = new byte[16];

    int[] spi;
    int[] offset;
    int[] missSpi;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      engine = KeyEngine.create();
      SplittableRandom random = new SplittableRandom(42);
      Lab.Suite suite = Lab.Suite.parse("aes-cbc/hmac-sha1");
      for (int d = 0; d < 4; d++) {
        System.arraycopy(SockAddr.parse(local(d), 0).address(), 0, destinations, 4 * d, 4);
      }
      try (PfKeySocket socket = engine.open(Credentials.root(1))) {
        for (int i = 0; i < sas; i++) {
          Lab.addSa(socket, suite, hitSpi(i), peer(i), local(i & 3), false, 32);
        }
      }
      spi = new int[PROBES];
      offset = new int[PROBES];
      missSpi = new int[PROBES];
      for (int i = 0; i < PROBES; i++) {
        int k = random.nextInt(sas);
        spi[i] = hitSpi(k);
        offset[i] = 4 * (k & 3);
        missSpi[i] = 0x200 + (random.nextInt(1 << 30) << 1); // even: no SA has it
      }
      for (int i = 0; i < PROBES; i++) {
        if (engine.getassocbyspi(destinations, offset[i], 4, spi[i], ESP) == null) {
          throw new IllegalStateException("SA not found: spi=" + spi[i]);
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      engine.close();
    }

    /**
     * The SPI of SA {@code i}: distinct and scattered (a bijection of the 30-bit index, odd
     * multiplications and xor-shifts), odd, from 0x201 up, so that no random even SPI is a hit.
     */
    static int hitSpi(int i) {
      int mask = (1 << 30) - 1;
      int x = (i * 0x2545_F491) & mask;
      x ^= x >>> 15;
      x = (x * 0x1B87_3593) & mask;
      x ^= x >>> 13;
      return 0x200 + (x << 1 | 1);
    }

    private static String local(int d) {
      return "192.0.2." + (1 + d);
    }

    private static String peer(int i) {
      return "10." + ((i >>> 16) & 0xff) + "." + ((i >>> 8) & 0xff) + "." + (i & 0xff);
    }
  }

  /** {@code policies} policies with their SAs, and established flows in a random order. */
  @State(Scope.Thread)
  public static class Policies {
    @Param({"10", "1000"})
    public int policies;

    KeyEngine engine;
    Flow[] flows;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      engine = KeyEngine.create();
      Lab.Suite suite = Lab.Suite.parse("aes-cbc/hmac-sha1");
      try (PfKeySocket socket = engine.open(Credentials.root(1))) {
        for (int i = 0; i < policies; i++) {
          String peer = "198.51." + (i >>> 8) + "." + (i & 0xff);
          Lab.addOutboundPolicy(
              socket, suite, "192.0.2.0", 24, net(i) + "0", 24, true, "192.0.2.1", peer);
          Lab.addSa(socket, suite, 0x1000 + i, "192.0.2.1", peer, true, 32);
        }
      }
      int count = FLOWS;
      flows = new Flow[count];
      for (int f = 0; f < count; f++) {
        int p = f % policies;
        byte[] packet =
            Lab.ipv4Udp("192.0.2." + (1 + f % 200), net(p) + (1 + f / policies % 250), 8, 1024 + f);
        flows[f] = new Flow().set4(packet, 12, 16, 17, 1024 + f, 53);
      }
      java.util.Collections.shuffle(java.util.Arrays.asList(flows), new java.util.Random(42));
      for (Flow f : flows) {
        OutboundResult r = engine.getassocbysocket(f);
        if (r.kind() != OutboundResult.Kind.PROTECT) {
          throw new IllegalStateException("flow " + f + ": " + r.kind());
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      engine.close();
    }

    private static String net(int i) {
      return "10." + (i >>> 8) + "." + (i & 0xff) + ".";
    }
  }

  /** A hit: the SA for a random (destination, SPI) of the database. */
  @Benchmark
  public SecurityAssociation getAssocBySpi(Sas s) {
    int i = s.next;
    s.next = (i + 1) & (PROBES - 1);
    return s.engine.getassocbyspi(s.destinations, s.offset[i], 4, s.spi[i], ESP);
  }

  /** A miss: an SPI no SA has (the packet is dropped as {@code no_sa}). */
  @Benchmark
  public SecurityAssociation getAssocBySpiMiss(Sas s) {
    int i = s.next;
    s.next = (i + 1) & (PROBES - 1);
    return s.engine.getassocbyspi(s.destinations, s.offset[i], 4, s.missSpi[i], ESP);
  }

  /** The SA bundle for an established flow. */
  @Benchmark
  public OutboundResult getAssocBySocket(Policies s) {
    int i = s.next;
    s.next = i + 1 == s.flows.length ? 0 : i + 1;
    return s.engine.getassocbysocket(s.flows[i]);
  }
}
