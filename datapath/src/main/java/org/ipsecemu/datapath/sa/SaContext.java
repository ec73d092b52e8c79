package org.ipsecemu.datapath.sa;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.ipsecemu.datapath.crypto.AeadTransform;
import org.ipsecemu.datapath.crypto.Direction;
import org.ipsecemu.datapath.crypto.EncryptionTransform;
import org.ipsecemu.datapath.crypto.IntegrityTransform;
import org.ipsecemu.datapath.crypto.IvGenerator;
import org.ipsecemu.datapath.crypto.Transform;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.packet.ByteSink;
import org.ipsecemu.datapath.packet.OuterHeaderWriter;
import org.ipsecemu.datapath.replay.ReplayWindow;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.alg.AlgorithmKind;
import org.ipsecemu.sadb.engine.RemovalReason;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.engine.UdpEncapsulation;
import org.ipsecemu.sadb.spd.IpsecMode;
import org.ipsecemu.sadb.spd.IpsecProtocol;
import org.ipsecemu.sadb.wire.CompressionAlgorithm;

/**
 * The datapath's own state for one SA, attached to the Key Engine's {@link SecurityAssociation}:
 * the algorithms and sizes read once, and one {@link Side} per direction holding that direction's
 * transforms and its sequence state under its own lock, plus the SA's {@link SaCounters}.
 *
 * <p>An SA can carry packets both ways in the emulator (the same SA encrypts a capture's cleartext
 * and decrypts its protected packets), so each side is built on its first packet, from the SA's
 * keys, and reused for every later packet: one cipher and one MAC object per SA and direction.
 *
 * <p><b>Concurrency.</b> Packets of one SA and direction are processed one at a time under the
 * side's lock (as a kernel holds the SA's lock), which keeps the transforms' scratch state, the
 * replay window and the sequence counter exact; packets of other SAs, or of the other direction,
 * run in parallel. Lifetime accounting ({@link SecurityAssociation#charge}) is lock-free; it may
 * run under a side's lock, because the Key Engine, which may expire the SA from inside {@code
 * charge} and then calls {@link #retire}, never waits for a side lock while holding its own.
 *
 * <p><b>Removal.</b> When the SA leaves the database {@link #retire} marks the context; a side that
 * is idle is destroyed at once (keys and scratch zeroed), a busy one by the thread that holds it,
 * when it lets go. Packets that get the side afterwards are dropped as {@code expired} (the SA hit
 * its HARD lifetime) or {@code no_sa} (deleted, flushed).
 */
public final class SaContext {
  private final SecurityAssociation sa;
  private final TransformFactory factory;
  private final Function<SecurityAssociation, IvGenerator> outboundIvs;
  private final boolean esp;
  private final boolean ipcomp;
  private final Algorithm encryption;
  private final Algorithm integrity;
  private final boolean combined;
  private final boolean supported;
  private final int ivLength;
  private final int icvLength;
  private final int blockSize;
  private final boolean esn;
  private final byte[] natOriginalAddress;
  private final Side inbound;
  private final Side outbound;
  private final SaCounters counters = new SaCounters();
  private volatile RemovalReason removal;

  /**
   * Reads the SA's algorithms; builds nothing yet.
   *
   * @param outboundIvs where outbound IV generators come from, or null for the factory's own policy
   *     (unpredictable, or reproducible with {@link TransformFactory#deterministic})
   */
  public SaContext(
      SecurityAssociation sa,
      TransformFactory factory,
      Function<SecurityAssociation, IvGenerator> outboundIvs) {
    this.sa = sa;
    this.factory = factory;
    this.outboundIvs = outboundIvs;
    IpsecProtocol protocol = sa.protocol();
    this.esp = protocol == IpsecProtocol.ESP;
    this.ipcomp = protocol == IpsecProtocol.IPCOMP;
    Algorithm enc = null;
    Algorithm auth = null;
    boolean ok;
    if (esp) {
      enc = Algorithm.encrypt(sa.encryptAlgorithm()).orElse(null);
      auth =
          sa.authAlgorithm() == Algorithm.NONE
              ? null
              : Algorithm.auth(sa.authAlgorithm()).orElse(null);
      ok = enc != null && (sa.authAlgorithm() == Algorithm.NONE || auth != null);
    } else if (protocol == IpsecProtocol.AH) {
      auth = Algorithm.auth(sa.authAlgorithm()).orElse(null);
      ok = auth != null;
    } else if (ipcomp) {
      // DEFLATE (RFC 2394) is the one compression algorithm the datapath has.
      ok = sa.encryptAlgorithm() == CompressionAlgorithm.SADB_X_CALG_DEFLATE.value();
    } else {
      ok = false;
    }
    this.encryption = enc;
    this.integrity = auth;
    this.combined = enc != null && enc.kind() == AlgorithmKind.COMBINED;
    this.supported = ok;
    this.ivLength = enc == null ? 0 : enc.ivLength();
    this.icvLength = combined ? enc.icvLength() : auth == null ? 0 : auth.icvLength();
    this.blockSize = enc == null ? 1 : enc.blockSize();
    this.esn = sa.esn();
    UdpEncapsulation encap = sa.udpEncapsulation();
    this.natOriginalAddress =
        encap == null || encap.originalAddress() == null
            ? null
            : encap.originalAddress().getAddress();
    this.inbound = new Side(Direction.INBOUND);
    this.outbound = new Side(Direction.OUTBOUND);
  }

  /** The Key Engine's SA. */
  public SecurityAssociation sa() {
    return sa;
  }

  /** True for ESP, false for AH and IPComp. */
  public boolean isEsp() {
    return esp;
  }

  /** True for an IPComp SA (SADB_X_SATYPE_IPCOMP), whose algorithm is DEFLATE. */
  public boolean isIpcomp() {
    return ipcomp;
  }

  /** The encryption or combined-mode algorithm (ESP), or null (AH). */
  public Algorithm encryption() {
    return encryption;
  }

  /** The integrity algorithm, or null (ESP without one, or with a combined mode). */
  public Algorithm integrity() {
    return integrity;
  }

  /** True for a combined-mode (AEAD) ESP SA. */
  public boolean isCombined() {
    return combined;
  }

  /** Explicit IV bytes per ESP packet. */
  public int ivLength() {
    return ivLength;
  }

  /** ICV bytes (ESP integrity, the AEAD tag, or the AH ICV); 0 for ESP without integrity. */
  public int icvLength() {
    return icvLength;
  }

  /** ESP cipher block size (1 for NULL and counter modes). */
  public int blockSize() {
    return blockSize;
  }

  /**
   * Whether the SA uses 64-bit extended sequence numbers (RFC 4303 §2.2.1): only the low 32 bits
   * travel, the receiver infers the high 32 (Appendix A3), and the ICV covers them.
   */
  public boolean isEsn() {
    return esn;
  }

  /**
   * The peer's address before NAT (NAT-OA, RFC 3947) of a UDP-encapsulated SA, for fixing the
   * checksums of its transport-mode packets (RFC 3948 §3.1.2), or null. Do not modify.
   */
  public byte[] natOriginalAddress() {
    return natOriginalAddress;
  }

  /**
   * Whether this SA's packets are tunnel-mode packets: its mode from SADB_X_EXT_SA2 is {@code
   * tunnel}. Mode {@code any} (no SA2 extension, or {@code setkey} without {@code -m}) is transport
   * mode, as Linux's {@code pfkey_mode_to_xfrm} makes it and as the Key Engine's outbound lookup
   * serves it (only transport requests); an inbound tunnel packet under such an SA comes out as the
   * IP-in-IP packet it then is.
   */
  public boolean isTunnel() {
    return sa.mode() == IpsecMode.TUNNEL;
  }

  /** The inbound side: transforms, replay window. */
  public Side inbound() {
    return inbound;
  }

  /** The outbound side: transforms, sequence counter, tunnel header. */
  public Side outbound() {
    return outbound;
  }

  /** This SA's packet counters. */
  public SaCounters counters() {
    return counters;
  }

  /** Why the SA left the database, or null while it is in it. */
  public RemovalReason removal() {
    return removal;
  }

  /**
   * Marks the SA as gone (the Key Engine removed it) and destroys whatever side is idle; a busy
   * side is destroyed by its holder when it lets go. Never blocks, so it may run inside the
   * engine's listener.
   */
  public void retire(RemovalReason reason) {
    removal = reason;
    inbound.destroyIfIdle();
    outbound.destroyIfIdle();
  }

  /** The inbound verdict for a packet that reached this SA after it went away. */
  public Verdict goneInbound() {
    return removal == RemovalReason.EXPIRED ? Verdict.EXPIRED : Verdict.NO_SA;
  }

  /** The outbound verdict for a packet that reached this SA after it went away. */
  public OutboundVerdict goneOutbound() {
    return removal == RemovalReason.EXPIRED ? OutboundVerdict.EXPIRED : OutboundVerdict.NO_SA;
  }

  @Override
  public String toString() {
    return "SaContext[" + sa + " removal=" + removal + "]";
  }

  /**
   * One direction of the SA: its transforms (built on first use), and its sequence state: the
   * replay window inbound, the last sequence number sent and the outer IPv4 identification
   * outbound. Everything but {@link #lock()} and {@link #unlock()} requires the lock to be held.
   */
  public final class Side {
    private final ReentrantLock lock = new ReentrantLock();
    private final Direction direction;
    private EncryptionTransform cipher;
    private IntegrityTransform mac;
    private AeadTransform aead;
    private ByteSink macSink;
    private ReplayWindow replay;
    private OuterHeaderWriter outer;
    private long sequence;
    private int identification;
    private boolean built;
    private boolean destroyed;

    private Side(Direction direction) {
      this.direction = direction;
      // Outer IPv4 identification: any value will do for a packet that is not fragmented (RFC
      // 6864); starting from the SPI keeps runs reproducible and SAs apart.
      this.identification = (sa.spi() * 0x9E37) & 0xffff;
    }

    public Direction direction() {
      return direction;
    }

    /** Takes this side's lock, waiting for it. */
    public void lock() {
      lock.lock();
    }

    /**
     * Lets go of the lock; if the SA was removed meanwhile, destroys the transforms unless another
     * thread has taken the side already (which then does it).
     */
    public void unlock() {
      lock.unlock();
      if (removal != null) {
        destroyIfIdle();
      }
    }

    /**
     * With the lock held: whether packets may use this side, building its transforms on first use.
     * False when the SA is gone (see {@link #goneInbound()}) or its algorithms cannot be built.
     */
    public boolean ready() {
      if (destroyed || removal != null || !supported || !sa.isUsable()) {
        return false;
      }
      if (!built) {
        build();
      }
      return built;
    }

    private void build() {
      byte[] ek = null;
      byte[] ak = null;
      try {
        if (esp) {
          ek = sa.encryptKey();
          IvGenerator ivs =
              direction == Direction.OUTBOUND && outboundIvs != null ? outboundIvs.apply(sa) : null;
          if (combined) {
            aead =
                ivs == null
                    ? factory.aead(encryption, ek, direction)
                    : factory.aead(encryption, ek, direction, ivs);
          } else {
            cipher =
                ivs == null
                    ? factory.encryption(encryption, ek, direction)
                    : factory.encryption(encryption, ek, direction, ivs);
          }
        }
        if (integrity != null) {
          ak = sa.authKey();
          IntegrityTransform m = factory.integrity(integrity, ak, direction);
          mac = m;
          macSink = m::update;
        }
        if (direction == Direction.INBOUND) {
          int window = sa.replayWindow();
          replay =
              new ReplayWindow(ReplayWindow.isValidSize(window) ? window : ReplayWindow.MAX_SIZE);
        } else {
          outer = OuterHeaderWriter.of(sa.source(), sa.destination());
        }
        built = true;
      } catch (RuntimeException e) {
        // A key the library refuses: the side stays unusable and its packets are dropped as no_sa.
        destroyTransforms();
        destroyed = true;
      } finally {
        if (ek != null) {
          Arrays.fill(ek, (byte) 0);
        }
        if (ak != null) {
          Arrays.fill(ak, (byte) 0);
        }
      }
    }

    /** The CBC or NULL cipher (ESP without a combined mode). */
    public EncryptionTransform cipher() {
      return cipher;
    }

    /** The MAC, or null without integrity. */
    public IntegrityTransform mac() {
      return mac;
    }

    /** The MAC as a {@link ByteSink}, made once (AH feeds its ICV input through it). */
    public ByteSink macSink() {
      return macSink;
    }

    /** The combined-mode transform (AES-GCM), or null. */
    public AeadTransform aead() {
      return aead;
    }

    /** Inbound: the anti-replay window, sized by the SA's {@code sadb_sa_replay}. */
    public ReplayWindow replay() {
      return replay;
    }

    /** Outbound: the tunnel-mode outer header between the SA's addresses. */
    public OuterHeaderWriter outer() {
      return outer;
    }

    /**
     * Outbound: the next sequence number (the first packet carries 1, RFC 4303 §3.3.3), or -1 when
     * the counter is {@linkplain #exhausted() exhausted}, which the SA must never get past: the
     * packet is dropped instead. With ESN the number is 64 bits (unsigned in the {@code long}).
     */
    public long nextSequence() {
      if (exhausted()) {
        return -1;
      }
      return ++sequence;
    }

    /**
     * Whether the last number used is the last there is: 2^32-1, or 2^64-1 with ESN (§3.3.3: the
     * counter must not cycle; a new SA is needed).
     */
    public boolean exhausted() {
      return esn ? sequence == -1L : sequence >= 0xFFFF_FFFFL;
    }

    /** The last sequence number used (0 before the first packet); unsigned 64 bits with ESN. */
    public long sequence() {
      return sequence;
    }

    /**
     * Sets the last sequence number used (0..2^32-1, or any unsigned 64-bit value with ESN), so
     * that the next packet carries {@code last + 1}: for resuming an SA captured mid-way, and for
     * tests of the wrap.
     */
    public void sequence(long last) {
      if (!esn && (last < 0 || last > 0xFFFF_FFFFL)) {
        throw new IllegalArgumentException("sequence out of range: last=" + last);
      }
      sequence = last;
    }

    /** Outbound: the identification of the next outer IPv4 header. */
    public int nextIdentification() {
      identification = (identification + 1) & 0xffff;
      return identification;
    }

    private void destroyIfIdle() {
      if (lock.isHeldByCurrentThread()) {
        return; // the holder destroys it in unlock()
      }
      if (lock.tryLock()) {
        try {
          destroyTransforms();
          destroyed = true;
        } finally {
          lock.unlock();
        }
      }
    }

    private void destroyTransforms() {
      destroy(cipher);
      destroy(mac);
      destroy(aead);
      cipher = null;
      mac = null;
      aead = null;
      macSink = null;
    }

    private void destroy(Transform t) {
      if (t != null) {
        t.destroy();
      }
    }

    @Override
    public String toString() {
      return direction + (built ? " built" : "") + (destroyed ? " destroyed" : "");
    }
  }
}
