package org.ipsecemu.datapath.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.fragment.FragmentEvent;
import org.ipsecemu.datapath.fragment.Fragmenter;
import org.ipsecemu.datapath.fragment.Reassembler;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.FlowExtractor;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.pcap.CaptureException;
import org.ipsecemu.datapath.pcap.Frame;
import org.ipsecemu.datapath.pcap.PcapReader;
import org.ipsecemu.datapath.pcap.PcapWriter;
import org.ipsecemu.datapath.pipeline.Datapath;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.SaCounters;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.EngineProfile;
import org.ipsecemu.sadb.engine.EngineStats;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.Lifetime;
import org.ipsecemu.sadb.engine.OutboundResult;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.engine.SaListener;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * Replays a capture through the datapath and a fresh Key Engine: reads the capture frame by frame,
 * sends each IP packet inbound or outbound, writes what comes out in input order with the input's
 * link type and timestamps, and counts everything ({@link ReplayReport}).
 *
 * <pre>{@code
 * KeyFileSet keys = KeyFileSet.read(List.of(Path.of("sa.conf")));
 * ReplayReport r = CaptureReplay.builder(keys).output(Path.of("out.pcap")).build().run(in);
 * }</pre>
 *
 * <p>See the package documentation for what a replay does with each packet, its clock, its threads
 * and its choices.
 */
public final class CaptureReplay {
  /** Frames held at once between reading and writing (the reorder buffer), per worker. */
  static final int RING_PER_WORKER = 512;

  /** The {@code sadb_msg_pid} of the replay's key manager socket, which gets the ACQUIREs. */
  static final long KEY_MANAGER_PID = 2;

  private static final int ESP = 50;
  private static final int AH = 51;
  private static final int UDP = 17;

  /** The key of the packets that wait for an SA: one worker holds them all, in order. */
  private static final Object PENDING_QUEUE = new Object();

  private final KeyFileSet keys;
  private final ReplayDirection direction;
  private final Path output;
  private final boolean keepDropped;
  private final int threads;
  private final Long seed;
  private final Consumer<String> trace;
  private final boolean desParity;
  private final Progress progress;
  private final int ring;
  private final Duration queueTimeout;
  private final int mtu;

  private CaptureReplay(Builder b) {
    this.keys = b.keys;
    this.direction = b.direction;
    this.output = b.output;
    this.keepDropped = b.keepDropped;
    this.threads = b.threads;
    this.seed = b.seed;
    this.trace = b.trace;
    this.desParity = b.desParity;
    this.progress = b.progress;
    this.ring = b.ring > 0 ? b.ring : RING_PER_WORKER * threads;
    this.queueTimeout = b.queueTimeout;
    this.mtu = b.mtu;
  }

  /** A builder for a replay with these keys. */
  public static Builder builder(KeyFileSet keys) {
    return new Builder(keys);
  }

  /** Told how far a replay has come, from the reading thread (a progress bar). */
  public interface Progress {
    /**
     * Called every few hundred frames: frames read so far and the capture bytes they took (frame
     * bytes and record headers, an estimate of the file position).
     */
    void update(long frames, long bytes);

    /** The replay ended (successfully or not). */
    default void finish() {}
  }

  /** Builds a {@link CaptureReplay}. */
  public static final class Builder {
    private final KeyFileSet keys;
    private ReplayDirection direction = ReplayDirection.AUTO;
    private Path output;
    private boolean keepDropped;
    private int threads = 1;
    private Long seed;
    private Consumer<String> trace;
    private boolean desParity;
    private Progress progress;
    private int ring;
    private Duration queueTimeout = Duration.ofSeconds(60);
    private int mtu;

    private Builder(KeyFileSet keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** Which way packets go (default {@link ReplayDirection#AUTO}). */
    public Builder direction(ReplayDirection d) {
      this.direction = Objects.requireNonNull(d, "direction");
      return this;
    }

    /** Where the output capture goes; null (the default) writes none. */
    public Builder output(Path p) {
      this.output = p;
      return this;
    }

    /** Write dropped packets unchanged instead of leaving them out (default false). */
    public Builder keepDropped(boolean on) {
      this.keepDropped = on;
      return this;
    }

    /**
     * Workers processing packets (default 1: the reading thread does everything). With more, the
     * output is still in input order and identical to one thread's (with {@link #seed}).
     */
    public Builder threads(int n) {
      if (n < 1 || n > 256) {
        throw new IllegalArgumentException("threads=" + n + " (expected: 1..256)");
      }
      this.threads = n;
      return this;
    }

    /**
     * Makes outbound IVs reproducible from this seed ({@link TransformFactory#deterministic}), so
     * that two replays give the same bytes; null (the default) draws unpredictable IVs.
     */
    public Builder seed(Long s) {
      this.seed = s;
      return this;
    }

    /** Receives each packet's trace, in input order; null (the default) traces nothing. */
    public Builder trace(Consumer<String> t) {
      this.trace = t;
      return this;
    }

    /**
     * Refuse DES/3DES keys with wrong parity (default false: as Linux, which real key files come
     * from, does not check it).
     */
    public Builder desParityCheck(boolean on) {
      this.desParity = on;
      return this;
    }

    /** Receives progress from the reading thread; null (the default) for none. */
    public Builder progress(Progress p) {
      this.progress = p;
      return this;
    }

    /** The reorder buffer's size in frames (tests); 0 for the default. */
    Builder ring(int frames) {
      this.ring = frames;
      return this;
    }

    /** How long outbound packets wait for an SA, in capture time (default 60 s, as Linux). */
    public Builder queueTimeout(Duration d) {
      this.queueTimeout = Objects.requireNonNull(d, "queueTimeout");
      return this;
    }

    /**
     * The MTU of the link protected packets leave by: an outbound packet larger than this after
     * IPsec is fragmented (RFC 791; RFC 8200 §4.5 for IPv6, which needs at least 1280), each
     * fragment written as a frame of its own with the packet's timestamp; an IPv4 packet with DF
     * set is dropped as Linux would (sending ICMP), counted in {@code
     * outbound_dropped.dont_fragment} (not {@code outbound.ok}, though its SA counted it). 0 (the
     * default) fragments nothing.
     */
    public Builder mtu(int bytes) {
      if (bytes != 0 && (bytes < Fragmenter.IPV4_MIN_MTU || bytes > 0xffff)) {
        throw new IllegalArgumentException("mtu=" + bytes + " (expected: 0, or 68..65535)");
      }
      this.mtu = bytes;
      return this;
    }

    public CaptureReplay build() {
      return new CaptureReplay(this);
    }
  }

  /**
   * Replays {@code input}.
   *
   * @throws CaptureException when libpcap is missing, the capture cannot be read (missing, not a
   *     capture, cut short, an unsupported link type) or the output cannot be written
   * @throws ReplayException when the key files cannot be installed, or the output is the input
   */
  public ReplayReport run(Path input) throws CaptureException, ReplayException {
    long started = System.nanoTime();
    if (output != null && sameFile(input, output)) {
      throw new ReplayException(output + ": is the input capture; choose another output file");
    }
    try (PcapReader in = PcapReader.open(input);
        Run run = new Run(in)) {
      try {
        run.loop();
      } finally {
        if (progress != null) {
          progress.finish();
        }
      }
      ReplayReport report = run.report(input, started);
      run.close(); // flushes the output: a full disk is reported here
      return report;
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** One replay's state: engine, datapath, output, the ring and the workers. */
  private final class Run implements AutoCloseable {
    private final PcapReader in;
    private final ReplayClock clock = new ReplayClock(0);
    private final KeyEngine engine;
    private final Datapath dp;
    private final PfKeySocket km;
    private final List<SecurityAssociation> installed =
        Collections.synchronizedList(new ArrayList<>());
    private final PacketProcessor processor;
    private final Slot[] slots;
    private final Worker[] workers;
    private final Thread reader = Thread.currentThread();
    private volatile boolean readerWaiting;
    private final PcapWriter out;

    /** With workers and an output: the thread that writes the output, or null to write here. */
    private final OutputWriter writer;

    private boolean closed;
    private String readError;

    // Read and written by the reading thread only.
    private long head;
    private long tail;
    private long lastTime = Long.MIN_VALUE;
    private boolean keysInstalled;
    private long span = Long.MAX_VALUE;
    private boolean allocationLimits;
    private final ArrayDeque<Long> queuedDeadlines = new ArrayDeque<>();
    private final Map<Object, Integer> owners = new IdentityHashMap<>();
    private final Object[] keyBuffer = new Object[Datapath.MAX_DEPTH + 1];
    private int nextWorker;
    private final IpPacket ip = new IpPacket();
    private final Flow flow = new Flow();
    private final Classifier classifier;

    /**
     * RFC 4303 §3.4.1: fragments are reassembled before IPsec, on the capture's clock. Only on the
     * way in: an outbound (cleartext) fragment in direction {@code out} goes through as it is.
     */
    private final Reassembler reassembler =
        direction == ReplayDirection.OUT ? null : Reassembler.builder().build();

    private long fragments;
    private long fragmentsPendingAtEnd;

    private long read;
    private long written;
    private long inboundPackets;
    private long outboundPackets;
    private long nonIp;
    private long truncated;
    private long bytesRead;
    private long pendingAtEnd;
    private long barriers;

    Run(PcapReader in) throws CaptureException {
      this.in = in;
      EngineProfile profile = EngineProfile.linux().withDesParityCheck(desParity);
      this.engine = KeyEngine.builder().clock(clock).profile(profile).seed(0).build();
      // Key files seldom say that a capture's ESP came in UDP (Wireshark's esp_sa cannot): ESP in
      // UDP on port 4500 is taken for any SA, and plain ESP for a UDP-encapsulated one.
      Datapath.Builder db =
          Datapath.builder(engine).queueTimeout(queueTimeout).strictUdpEncapsulation(false);
      if (seed != null) {
        db.transforms(TransformFactory.deterministic(seed));
      }
      this.dp = db.build();
      this.classifier = new Classifier(direction, engine);
      engine.addListener(
          new SaListener() {
            @Override
            public void added(SecurityAssociation sa) {
              if (!installed.contains(sa)) {
                installed.add(sa);
              }
            }
          });
      // A key manager that registers for ESP and AH, so that a missing SA makes the Key Engine
      // send SADB_ACQUIRE (RFC 2367 §3.1.6) as on a host running racoon; it never answers.
      this.km = engine.open(Credentials.root(KEY_MANAGER_PID));
      long seq = 1;
      for (SaType t : List.of(SaType.SADB_SATYPE_ESP, SaType.SADB_SATYPE_AH)) {
        km.call(
            new SadbMessage(
                SadbMessage.PF_KEY_V2,
                MessageType.SADB_REGISTER,
                0,
                t.value(),
                0,
                seq++,
                KEY_MANAGER_PID,
                List.of()));
      }
      km.drain();
      this.out = output == null ? null : PcapWriter.createLike(output, in);
      this.slots = new Slot[Math.max(1, ring)];
      for (int i = 0; i < slots.length; i++) {
        slots[i] = new Slot();
      }
      this.processor = new PacketProcessor(dp, clock, keepDropped, tracer(), fragmenter(0));
      if (threads > 1) {
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
          workers[i] = new Worker(i, slots.length);
          workers[i].start();
        }
        writer = out == null ? null : new OutputWriter();
        if (writer != null) {
          writer.start();
        }
      } else {
        workers = null;
        writer = null;
      }
    }

    /** A fragmenter for one processing thread, or null without an MTU. */
    private Fragmenter fragmenter(int thread) {
      return mtu == 0 ? null : new Fragmenter(mtu, thread << 24);
    }

    private PacketTracer tracer() {
      return trace == null ? null : new PacketTracer(dp);
    }

    // ==================================================================== the reading thread

    void loop() throws CaptureException, ReplayException {
      while (true) {
        if (tail - head == slots.length) {
          emitHead();
        }
        if (writer != null) {
          writer.awaitFree(tail - slots.length);
        }
        Slot s = slots[(int) (tail % slots.length)];
        s.reset();
        try {
          if (!in.next(s.frame)) {
            break;
          }
        } catch (CaptureException e) {
          // A capture cut short (a capture stopped mid-write): replay what came before it, then
          // report the problem.
          readError = e.getMessage();
          break;
        }
        Frame f = s.frame;
        read++;
        bytesRead += f.length() + 16;
        s.number = f.number();
        long t = f.epochSecond() * 1000L + f.nanos() / 1_000_000;
        t = Math.max(t, lastTime);
        lastTime = t;
        s.time = t;
        if (!keysInstalled) {
          install(t);
        }
        if (reassembler != null && f.hasIp() && !f.ipTruncated()) {
          reassemble(s);
        } else {
          classify(s);
        }
        tail++;
        if (s.kind == Slot.Kind.NON_IP || s.kind == Slot.Kind.TRUNCATED) {
          s.action = Slot.Action.KEEP;
          s.done = true;
        } else if (s.kind == Slot.Kind.FRAGMENT) {
          s.action = Slot.Action.DROP;
          s.done = true;
        } else if (workers == null) {
          inline(s);
        } else {
          dispatch(s);
        }
        emitReady();
        if (progress != null && (read & 255) == 0) {
          progress.update(read, bytesRead);
        }
      }
      if (!keysInstalled) {
        install(Instant.now().toEpochMilli());
      }
      if (reassembler != null) {
        fragmentsPendingAtEnd = reassembler.expireAll(); // datagrams never completed
      }
      drain();
      if (writer != null) {
        writer.awaitFree(tail - 1);
      }
      pendingAtEnd = dp.pendingPackets();
      if (progress != null) {
        progress.update(read, bytesRead);
      }
    }

    /** The key files go in at the capture's first packet, so lifetimes run in capture time. */
    private void install(long t) throws ReplayException {
      keysInstalled = true;
      clock.set(t);
      try (PfKeySocket admin = engine.open(Credentials.root(KeyFileSet.PID))) {
        keys.install(engine, admin);
      }
      km.drain();
      if (seed != null) {
        // Reproducible IVs come from generators seeded in the order outbound transforms are
        // built: build them all now, in the order the SAs were added, rather than on each SA's
        // first packet, which would make the order (and the IVs) depend on the workers.
        for (SecurityAssociation sa : engine.associations()) {
          SaContext.Side side = dp.context(sa).outbound();
          side.lock();
          try {
            side.ready();
          } finally {
            side.unlock();
          }
        }
      }
      long b = Math.min(engine.profile().acquireTimeoutMillis(), queueTimeout.toMillis());
      b = Math.min(b, engine.profile().larvalTimeoutMillis());
      for (SecurityAssociation sa : engine.associations()) {
        for (Lifetime l : List.of(sa.softLifetime(), sa.hardLifetime())) {
          if (l != null && l.usetime() > 0) {
            b = Math.min(b, l.usetime() * 1000L);
          }
          if (l != null && l.allocations() != 0) {
            allocationLimits = true;
          }
        }
      }
      span = Math.max(1, b);
      allocationLimits |= engine.profile().countPacketsAsAllocations();
    }

    /**
     * Offers the frame's IP packet to the reassembler: a fragment is held (or dropped) and its slot
     * writes nothing; the fragment that completes a datagram has its frame rebuilt around the whole
     * datagram (same link header, timestamp and number), which is then classified as any packet.
     */
    private void reassemble(Slot s) {
      Frame f = s.frame;
      Reassembler.Outcome o = reassembler.offer(f.data(), f.ipOffset(), f.ipLength(), s.time);
      switch (o) {
        case NOT_FRAGMENT -> classify(s);
        case HELD, DROPPED -> {
          s.kind = Slot.Kind.FRAGMENT;
          fragments++;
        }
        case COMPLETE -> {
          int link = f.ipOffset();
          int n = reassembler.length();
          byte[] d = new byte[link + n];
          System.arraycopy(f.data(), 0, d, 0, link);
          System.arraycopy(reassembler.buffer(), reassembler.offset(), d, link, n);
          long second = f.epochSecond();
          int nanos = f.nanos();
          long number = f.number();
          f.wrap(f.linkType(), d, d.length)
              .originalLength(d.length)
              .timestamp(second, nanos)
              .number(number);
          classify(s);
        }
      }
    }

    private void classify(Slot s) {
      Slot.Kind k = classifier.classify(s.frame);
      s.kind = k;
      switch (k) {
        case NON_IP -> nonIp++;
        case INBOUND -> inboundPackets++;
        case OUTBOUND -> outboundPackets++;
        case TRUNCATED -> truncated++;
        case FRAGMENT -> {}
      }
    }

    /**
     * Moves the engine's time to {@code t}, running the timers due on the way each at its own time
     * (lifetimes, forgotten ACQUIREs), as {@code KeyEngine.advanceTo} does for a ManualClock.
     */
    private void advance(long t) {
      while (true) {
        long next = engine.nextTimerMillis();
        if (next > t) {
          break;
        }
        if (next > clock.shared()) {
          clock.set(next);
        }
        engine.tick();
      }
      if (t > clock.shared()) {
        clock.set(t);
      }
    }

    /** One thread, or a packet that must see everything before it done: process it here. */
    private void inline(Slot s) {
      advance(s.time);
      processor.process(s);
      processor.releasePending(s);
      if (workers != null) {
        if (dp.pendingPackets() == 0) {
          queuedDeadlines.clear();
        } else {
          while (!queuedDeadlines.isEmpty() && queuedDeadlines.peekFirst() <= s.time) {
            queuedDeadlines.pollFirst();
          }
        }
      }
      s.done = true;
    }

    /**
     * Several workers: a packet goes to the worker that owns its SAs (so each SA sees its packets
     * in input order), unless it must wait for every packet before it: when a timer is due by its
     * time, when a queued packet's wait ends by then, when the packets in flight span a time in
     * which processing could have made a timer due, or when its SAs belong to several workers. Then
     * everything in flight finishes first, which makes the result that of one thread.
     */
    private void dispatch(Slot s) throws CaptureException {
      long t = s.time;
      boolean sync =
          engine.nextTimerMillis() <= t
              || !queuedDeadlines.isEmpty() && queuedDeadlines.peekFirst() <= t
              || tail - 1 > head && t - slots[(int) (head % slots.length)].time >= span
              || allocationLimits && s.kind == Slot.Kind.OUTBOUND;
      if (sync) {
        barriers++;
        drainBefore();
        inline(s);
        return;
      }
      int n = keys(s);
      int owner = -1;
      boolean conflict = false;
      for (int i = 0; i < n; i++) {
        Integer w = owners.get(keyBuffer[i]);
        if (w != null) {
          if (owner < 0) {
            owner = w;
          } else if (owner != w) {
            conflict = true;
          }
        }
      }
      if (conflict) {
        barriers++;
        drainBefore();
        for (int i = 0; i < n; i++) {
          owners.put(keyBuffer[i], owner);
        }
      } else {
        if (owner < 0) {
          owner = nextWorker;
          nextWorker = (nextWorker + 1) % workers.length;
        }
        for (int i = 0; i < n; i++) {
          owners.putIfAbsent(keyBuffer[i], owner);
        }
      }
      for (int i = 0; i < n; i++) {
        keyBuffer[i] = null;
      }
      workers[owner].hand(s);
    }

    /**
     * The SAs (and the pending queue) a packet will touch, as far as the reading thread can tell
     * without processing it: inbound, the SA of its first ESP or AH header and, behind an AH
     * header, the ESP SA of a transport bundle; outbound, the SA bundle the policy gives (the very
     * lookup the datapath then repeats from its cache), or the pending queue.
     */
    private int keys(Slot s) {
      Frame f = s.frame;
      byte[] d = f.data();
      if (!ip.parse(d, f.ipOffset(), f.ipLength()).isOk()) {
        return 0;
      }
      int n = 0;
      if (s.kind == Slot.Kind.INBOUND) {
        int proto = ip.protocol();
        int at = ip.protocolOffset();
        int end = ip.end();
        if (proto == UDP && !ip.isFragment() && end - at > 16) {
          // ESP in UDP (RFC 3948): the SPI follows the UDP header (IKE's marker is zero), or
          // the 8-byte zero non-IKE marker of a NAT-T type 1 SA.
          at += BigEndian.getInt(d, at + 8) != 0 ? 8 : 16;
          proto = ESP;
        }
        if ((proto != ESP && proto != AH) || ip.isFragment()) {
          return 0;
        }
        while (n < 2) {
          int spiAt = at + (proto == AH ? 4 : 0);
          if (end - spiAt < 4) {
            break;
          }
          SecurityAssociation sa =
              engine.getassocbyspi(
                  d, ip.destinationOffset(), ip.addressLength(), BigEndian.getInt(d, spiAt), proto);
          if (sa == null) {
            break;
          }
          keyBuffer[n++] = sa;
          if (proto != AH || end - at < 2 || (d[at] & 0xff) != ESP) {
            break;
          }
          at += ((d[at + 1] & 0xff) + 2) * 4;
          proto = ESP;
        }
        return n;
      }
      FlowExtractor.extract(ip, flow);
      clock.enter(s.time);
      OutboundResult r;
      try {
        r = engine.getassocbysocket(flow);
      } finally {
        clock.leave();
      }
      if (r.kind() == OutboundResult.Kind.PENDING) {
        keyBuffer[n++] = PENDING_QUEUE;
      } else if (r.kind() == OutboundResult.Kind.PROTECT) {
        for (int i = 0; i < r.size() && n < keyBuffer.length; i++) {
          keyBuffer[n++] = r.sa(i);
        }
      }
      return n;
    }

    /** Waits for every packet in flight and writes them. */
    private void drain() throws CaptureException {
      while (head < tail) {
        emitHead();
      }
    }

    /** Waits for every packet in flight before the one just read, and writes them. */
    private void drainBefore() throws CaptureException {
      while (head < tail - 1) {
        emitHead();
      }
    }

    private void emitHead() throws CaptureException {
      Slot s = slots[(int) (head % slots.length)];
      if (!s.done && workers != null) {
        for (Worker w : workers) {
          w.wake(); // it may be holding back for a batch: the slot waited for may be its
        }
      }
      while (!s.done) {
        // Workers wake the reading thread only while it waits (a futex call per packet costs
        // more than the packet's crypto); done and waiting are volatile, so a worker that sets
        // done after the check below sees waiting and unparks.
        readerWaiting = true;
        if (!s.done) {
          LockSupport.park(this);
        }
        readerWaiting = false;
      }
      emit(s);
      head++;
    }

    private void emitReady() throws CaptureException {
      while (head < tail) {
        Slot s = slots[(int) (head % slots.length)];
        if (!s.done) {
          return;
        }
        emit(s);
        head++;
      }
    }

    private void emit(Slot s) throws CaptureException {
      if (s.failure != null) {
        throw s.failure;
      }
      if (writer != null) {
        writer.check();
        written +=
            (s.action == Slot.Action.DROP ? 0 : 1) + (s.released == null ? 0 : s.released.size());
      } else {
        writeOut(s);
      }
      if (s.outboundVerdict == OutboundVerdict.QUEUED) {
        queuedDeadlines.addLast(s.time + queueTimeout.toMillis());
      }
      if (trace != null) {
        String t = s.trace;
        if (t == null) {
          t = untraced(s);
        }
        trace.accept(t + pfkeyMessages());
      } else if (km.pending() > 0) {
        km.drain();
      }
      if (writer != null) {
        writer.hand(head); // last: the slot is the writer's until written
      }
    }

    /** Writes what the output gets for this slot, in this thread. */
    private void writeOut(Slot s) throws CaptureException {
      switch (s.action) {
        case KEEP -> write(s, null);
        case REPLACE -> write(s, s);
        case DROP -> {}
      }
      if (s.released != null) {
        for (byte[] p : s.released) {
          if (out != null) {
            out.writeReplacingIp(s.frame, p, 0, p.length);
          }
          if (writer == null) {
            written++;
          }
        }
      }
    }

    private void write(Slot s, Slot replacing) throws CaptureException {
      if (writer == null) {
        written++;
      }
      if (out == null) {
        return;
      }
      if (replacing == null) {
        out.write(s.frame);
      } else {
        out.writeReplacingIp(s.frame, s.outArray, s.outOffset, s.outLength);
      }
    }

    private String untraced(Slot s) {
      String head =
          "#" + s.number + " " + Instant.ofEpochSecond(s.frame.epochSecond(), s.frame.nanos());
      if (s.kind == Slot.Kind.NON_IP) {
        return head
            + "\n  not an IP packet ("
            + s.frame.nonIpReason().label()
            + "): written unchanged\n";
      }
      return head
          + "\n  an IP packet cut short by the capture's snapshot length: written unchanged\n";
    }

    /** What the replay's key manager heard from the Key Engine since the last packet. */
    private String pfkeyMessages() {
      if (km.pending() == 0) {
        return "";
      }
      StringBuilder b = new StringBuilder();
      for (SadbMessage m : km.drain()) {
        b.append("  PF_KEY: the Key Engine sends ").append(m.type());
        if (m.type() == MessageType.SADB_EXPIRE) {
          boolean hard = m.lifetimeHard().isPresent();
          b.append(hard ? " (hard)" : " (soft)");
          m.sa().ifPresent(x -> b.append(" for SPI ").append(String.format("0x%08x", x.spi())));
          b.append(
              hard
                  ? ": the SA reached its hard limit and is removed"
                  : ": the SA reached its soft limit and is now dying");
        } else if (m.type() == MessageType.SADB_ACQUIRE) {
          b.append(" (seq ")
              .append(m.seq())
              .append("): an SA is needed; key management never answers during a replay");
        }
        b.append('\n');
      }
      return b.toString();
    }

    // ==================================================================== the end

    ReplayReport report(Path input, long started) {
      Map<String, Long> packets = new LinkedHashMap<>();
      packets.put("read", read);
      packets.put("written", written);
      packets.put("inbound", inboundPackets);
      packets.put("outbound", outboundPackets);
      packets.put("non_ip", nonIp);
      packets.put("truncated", truncated);
      packets.put("fragments", fragments);
      Map<String, Long> inbound = new LinkedHashMap<>();
      for (Verdict v : Verdict.values()) {
        inbound.put(v.label(), dp.count(v));
      }
      long noSa = dp.count(OutboundVerdict.NO_SA);
      long full = dp.count(OutboundVerdict.QUEUE_FULL);
      long queued = dp.count(OutboundVerdict.QUEUED);
      Map<String, Long> dropped = new LinkedHashMap<>();
      dropped.put("no_sa", noSa);
      dropped.put("queue_full", full);
      dropped.put("queue_timeout", dp.count(OutboundVerdict.QUEUE_TIMEOUT));
      dropped.put("pending_at_end", pendingAtEnd);
      dropped.put("expired", dp.count(OutboundVerdict.EXPIRED));
      dropped.put("malformed", dp.count(OutboundVerdict.MALFORMED));
      dropped.put("too_big", dp.count(OutboundVerdict.TOO_BIG));
      long dontFragment = fragmenterCount(Fragmenter::dontFragmentRefused);
      dropped.put("dont_fragment", dontFragment);
      long droppedTotal = dropped.values().stream().mapToLong(Long::longValue).sum();
      Map<String, Long> outbound = new LinkedHashMap<>();
      // Protected, then too big for the MTU with DF set: dropped, not sent.
      outbound.put("ok", dp.count(OutboundVerdict.OK) - dontFragment);
      outbound.put("bypass", dp.count(OutboundVerdict.BYPASS));
      outbound.put("discard", dp.count(OutboundVerdict.POLICY));
      outbound.put("acquire", queued + full + noSa);
      outbound.put("queued", queued);
      outbound.put("dropped", droppedTotal);
      List<ReplayReport.SaReport> sas = new ArrayList<>();
      synchronized (installed) {
        for (SecurityAssociation sa : installed) {
          sas.add(saReport(sa));
        }
      }
      Map<String, Long> reassembly = new LinkedHashMap<>();
      for (FragmentEvent e : FragmentEvent.values()) {
        reassembly.put(e.label(), reassembler == null ? 0 : reassembler.count(e));
      }
      // expireAll counted the datagrams left at the end as timed out: tell them apart.
      reassembly.merge(FragmentEvent.TIMEOUT.label(), -fragmentsPendingAtEnd, Long::sum);
      reassembly.put("pending_at_end", fragmentsPendingAtEnd);
      Map<String, Long> fragmentation = new LinkedHashMap<>();
      fragmentation.put("packets", fragmenterCount(Fragmenter::packetsFragmented));
      fragmentation.put("fragments", fragmenterCount(Fragmenter::fragmentsMade));
      EngineStats es = engine.stats();
      Map<String, Long> pfkey = new LinkedHashMap<>();
      pfkey.put("acquire", es.acquires());
      pfkey.put("expire_soft", es.softExpires());
      pfkey.put("expire_hard", es.hardExpires());
      return new ReplayReport(
          input.toString(),
          in.linkType().pcapName(),
          output == null ? null : output.toString(),
          keys.describe(),
          direction,
          threads,
          packets,
          inbound,
          outbound,
          dropped,
          sas,
          pfkey,
          reassembly,
          mtu,
          fragmentation,
          readError,
          barriers,
          System.nanoTime() - started);
    }

    /** A fragmenter count summed over the processing threads. */
    private long fragmenterCount(java.util.function.ToLongFunction<Fragmenter> count) {
      long n = processor.fragmenterCount(count);
      if (workers != null) {
        for (Worker w : workers) {
          n += w.p.fragmenterCount(count);
        }
      }
      return n;
    }

    private ReplayReport.SaReport saReport(SecurityAssociation sa) {
      Map<String, Long> verdicts = new LinkedHashMap<>();
      long in = 0;
      long outCount = 0;
      SaCounters c = sa.attachment() instanceof SaContext x ? x.counters() : null;
      for (Verdict v : Verdict.values()) {
        long n = c == null ? 0 : c.inbound(v);
        verdicts.merge(v.label(), n, Long::sum);
        in += n;
      }
      for (OutboundVerdict v : OutboundVerdict.values()) {
        long n = c == null ? 0 : c.outbound(v);
        outCount += n;
        if (v == OutboundVerdict.TOO_BIG || n != 0) {
          verdicts.merge(v.label(), n, Long::sum);
        }
      }
      String way = in > 0 && outCount > 0 ? "both" : in > 0 ? "in" : outCount > 0 ? "out" : "none";
      return new ReplayReport.SaReport(
          sa.source().getHostAddress(),
          sa.destination().getHostAddress(),
          sa.protocol().name().toLowerCase(java.util.Locale.ROOT),
          sa.spiUnsigned(),
          sa.mode().name().toLowerCase(java.util.Locale.ROOT),
          PacketTracer.state(sa),
          way,
          in + outCount,
          sa.bytes(),
          verdicts);
    }

    /** Stops the workers and closes the output (flushing it); idempotent. */
    @Override
    public void close() throws CaptureException {
      if (closed) {
        return;
      }
      closed = true;
      if (workers != null) {
        for (Worker w : workers) {
          w.interrupt();
        }
        for (Worker w : workers) {
          try {
            w.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      if (writer != null) {
        // Everything handed has been written (loop waits for it), or the replay failed: either
        // way the writer stops before the output is closed under it.
        writer.interrupt();
        try {
          writer.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        if (out != null) {
          out.close();
        }
      } finally {
        km.close();
        dp.close();
        engine.close();
      }
    }

    /**
     * The output's own thread, with workers: the reading thread hands it the slots it has emitted
     * (counted, in input order) and it writes them, so that writing the output (libpcap's {@code
     * pcap_dump} and the file system: as costly per packet as AES-CBC with HMAC-SHA1 on 1400 bytes
     * on this project's machine) runs beside reading instead of after it. A slot is reused only
     * once written. Each side parks only when it has nothing to do, and the reading thread wakes
     * the writer once per {@value #WRITE_BATCH} slots rather than per packet.
     */
    private final class OutputWriter extends Thread {
      private static final int WRITE_BATCH = 32;

      /** Slots below this index have been handed over (written by the reading thread). */
      private volatile long handed;

      /** Slots below this index have been written (written by this thread). */
      private volatile long writtenUpTo;

      private volatile boolean waiting;
      private volatile CaptureException failure;

      OutputWriter() {
        super("ipsec-emu-replay-writer");
        setDaemon(true);
      }

      /** The reading thread emitted slot {@code index}: it may be written now. */
      void hand(long index) {
        handed = index + 1;
        if (waiting && (index + 1 - writtenUpTo >= WRITE_BATCH || tail == head + 1)) {
          LockSupport.unpark(this);
        }
      }

      /** Throws the writer's failure (a full disk), if any, in the reading thread. */
      void check() throws CaptureException {
        CaptureException f = failure;
        if (f != null) {
          throw f;
        }
      }

      /** Waits until slot {@code index} (and every one before it) is written, if it was handed. */
      void awaitFree(long index) throws CaptureException {
        if (index < 0) {
          return;
        }
        long want = Math.min(index + 1, handed);
        while (writtenUpTo < want) {
          if (waiting) {
            LockSupport.unpark(this);
          }
          readerWaiting = true;
          if (writtenUpTo < want) {
            LockSupport.park(this);
          }
          readerWaiting = false;
        }
        check();
      }

      @Override
      public void run() {
        long next = 0;
        while (true) {
          while (next == handed) {
            if (isInterrupted()) {
              return;
            }
            waiting = true;
            if (next == handed && !isInterrupted()) {
              LockSupport.park(this);
            }
            waiting = false;
          }
          Slot s = slots[(int) (next % slots.length)];
          if (failure == null) {
            try {
              writeOut(s);
            } catch (CaptureException e) {
              failure = e;
            } catch (RuntimeException e) {
              failure =
                  new CaptureException(
                      CaptureException.Kind.WRITE_FAILED, output + ": " + e.getMessage());
            }
          }
          next++;
          writtenUpTo = next;
          if (readerWaiting) {
            LockSupport.unpark(reader);
          }
        }
      }
    }

    /**
     * A worker: takes its slots in order and processes them with its own context. Its queue is a
     * single-producer ring (the reading thread puts, the worker takes); an idle worker parks, and
     * the reading thread wakes it once {@value #WAKE_BATCH} slots wait for it, or whenever the
     * reading thread itself is about to wait, rather than with a futex call per packet.
     */
    private final class Worker extends Thread {
      private static final int WAKE_BATCH = 8;

      private final Slot[] ring;
      private final PacketProcessor p;

      /** Slots below this have been put (written by the reading thread). */
      private volatile long put;

      /** Read and written by the reading thread only: slots put since the worker was last woken. */
      private int sinceWake;

      private volatile boolean sleeping;

      Worker(int i, int capacity) {
        super("ipsec-emu-replay-" + i);
        setDaemon(true);
        this.ring = new Slot[capacity];
        this.p = new PacketProcessor(dp, clock, keepDropped, tracer(), fragmenter(i + 1));
      }

      /** Reading thread: queues a slot (never more than the ring's slots are in flight). */
      void hand(Slot s) {
        long n = put;
        ring[(int) (n % ring.length)] = s;
        put = n + 1;
        if (++sinceWake >= WAKE_BATCH) {
          wake();
        }
      }

      /** Reading thread: wakes the worker if it sleeps with slots to take. */
      void wake() {
        sinceWake = 0;
        if (sleeping) {
          LockSupport.unpark(this);
        }
      }

      @Override
      public void run() {
        long taken = 0;
        while (true) {
          if (taken == put) {
            sleeping = true;
            if (taken == put && !isInterrupted()) {
              LockSupport.park(this);
            }
            sleeping = false;
            if (isInterrupted()) {
              return;
            }
            continue;
          }
          int at = (int) (taken % ring.length);
          Slot s = ring[at];
          ring[at] = null;
          taken++;
          try {
            p.process(s);
          } catch (RuntimeException e) {
            s.failure = e;
          } catch (Error e) {
            // Mark the slot all the same, or the reading thread would wait for it forever.
            s.failure = new IllegalStateException(getName() + ": " + e, e);
          }
          s.done = true;
          if (readerWaiting) {
            LockSupport.unpark(reader);
          }
        }
      }
    }
  }
}
