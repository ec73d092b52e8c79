package org.ipsecemu.sadb.setkey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.NatTPortExtension;
import org.ipsecemu.sadb.wire.NatTTypeExtension;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaFlag;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;

/**
 * One security association as a key file describes it: what {@code setkey}'s {@code add} statement,
 * a {@code setkey -D} dump, {@code ip xfrm state} output and Wireshark's {@code esp_sa} table all
 * reduce to. It turns into the SADB_ADD (or SADB_UPDATE) message that installs it ({@link
 * #toMessage}) and back ({@link #fromMessage}).
 *
 * <p>Algorithm and key fields hold PF_KEY numbers ({@code sadb_sa_encrypt}, {@code sadb_sa_auth};
 * for SADB_X_SATYPE_IPCOMP, {@code encrypt} holds the compression algorithm). Keys are copied in
 * and out; {@link #toString()} never shows them. Two fields carry what PF_KEY cannot say but the
 * datapath needs to replay a Linux capture: {@link #icvBits} (an {@code ip xfrm} {@code auth-trunc}
 * length) and {@link #esn} (extended sequence numbers, which travel as the BSD flag
 * SADB_X_SAFLAGS_ESN: a {@code flags} value with that bit sets {@code esn} and loses the bit).
 *
 * @param where the file and line it came from
 * @param satype an {@link SaType} value
 * @param source the SA's source address (a port, if any, as the key file gave it)
 * @param destination the SA's destination address
 * @param spi the SPI (the CPI for IPComp), 0..2^32-1
 * @param mode an {@link IpsecMode} value ({@code IPSEC_MODE_ANY} when the file says nothing)
 * @param reqid the request id binding the SA to a policy, 0 for none
 * @param replay the anti-replay window in packets, 0 for none; may exceed the 255 that {@code
 *     sadb_sa_replay} holds (an {@code ip xfrm} window), {@link #toMessage} then sends 255
 * @param flags {@code sadb_sa_flags}
 * @param encrypt the encryption (or compression) algorithm number, 0 for none
 * @param encryptKey the encryption key, or null when there is none
 * @param auth the authentication algorithm number, 0 for none
 * @param authKey the authentication key, or null when there is none
 * @param icvBits the ICV length in bits when the file sets it, 0 for the algorithm's own
 * @param hard the HARD lifetime, or null for none
 * @param soft the SOFT lifetime, or null for none
 * @param natTraversal UDP encapsulation (RFC 3948), or null for none
 * @param esn whether the SA uses 64-bit extended sequence numbers (RFC 4303 §2.2.1)
 */
public record SaSpec(
    SourceLocation where,
    int satype,
    SockAddr source,
    SockAddr destination,
    long spi,
    int mode,
    long reqid,
    int replay,
    long flags,
    int encrypt,
    byte[] encryptKey,
    int auth,
    byte[] authKey,
    int icvBits,
    LifetimeExtension hard,
    LifetimeExtension soft,
    NatTraversal natTraversal,
    boolean esn) {

  /**
   * {@code IPSEC_ULPROTO_ANY}: the upper-layer protocol {@code setkey} puts into an SA's address
   * extensions.
   */
  public static final int ULPROTO_ANY = 255;

  private static final long ESN_FLAG = SaFlag.SADB_X_SAFLAGS_ESN.value();

  /** Checks the fields and copies the keys. */
  public SaSpec {
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    if (source.family() != destination.family()) {
      throw new IllegalArgumentException(
          "source and destination of different families src=" + source + " dst=" + destination);
    }
    if (spi < 0 || spi > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("spi=" + spi + " out of range 0..4294967295");
    }
    if (reqid < 0 || reqid > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("reqid=" + reqid + " out of range 0..4294967295");
    }
    if (satype < 0 || satype > 255 || mode < 0 || mode > 255 || replay < 0) {
      throw new IllegalArgumentException(
          "satype=" + satype + " mode=" + mode + " replay=" + replay + " out of range");
    }
    if (encrypt < 0 || encrypt > 255 || auth < 0 || auth > 255 || icvBits < 0) {
      throw new IllegalArgumentException(
          "encrypt=" + encrypt + " auth=" + auth + " icvBits=" + icvBits + " out of range");
    }
    encryptKey = encryptKey == null ? null : encryptKey.clone();
    authKey = authKey == null ? null : authKey.clone();
    // The ESN bit of sadb_sa_flags and the esn field say the same thing: keep it in one place.
    if ((flags & ESN_FLAG) != 0) {
      esn = true;
      flags &= ~ESN_FLAG;
    }
  }

  /** A builder, for readers that learn the fields one by one. */
  public static Builder builder(SourceLocation where) {
    return new Builder(where);
  }

  /** A builder holding this SA's fields, to change some of them. */
  public Builder toBuilder() {
    return new Builder(where)
        .satype(satype)
        .source(source)
        .destination(destination)
        .spi(spi)
        .mode(mode)
        .reqid(reqid)
        .replay(replay)
        .flags(flags)
        .encrypt(encrypt, encryptKey)
        .auth(auth, authKey)
        .icvBits(icvBits)
        .hard(hard)
        .soft(soft)
        .natTraversal(natTraversal)
        .esn(esn);
  }

  /** A copy of the encryption key, or null. */
  @Override
  public byte[] encryptKey() {
    return encryptKey == null ? null : encryptKey.clone();
  }

  /** A copy of the authentication key, or null. */
  @Override
  public byte[] authKey() {
    return authKey == null ? null : authKey.clone();
  }

  /** The SA type as an enum, or empty for a number it does not name. */
  public Optional<SaType> saType() {
    return SaType.valueOf(satype);
  }

  /**
   * The encryption or combined-mode algorithm of the emulator's table, or empty when there is none,
   * the number is unknown, or the SA is an IPComp SA (whose {@code encrypt} is a compression
   * algorithm).
   */
  public Optional<Algorithm> encryptAlgorithm() {
    if (satype == SaType.SADB_X_SATYPE_IPCOMP.value()) {
      return Optional.empty();
    }
    return Algorithm.encrypt(encrypt);
  }

  /** The integrity algorithm of the emulator's table, or empty. */
  public Optional<Algorithm> authAlgorithm() {
    return Algorithm.auth(auth);
  }

  /**
   * The message that installs this SA, in the extension order ipsec-tools {@code setkey} writes
   * ({@code setkeymsg_add} in {@code setkey/parse.y}): keys, HARD and SOFT lifetimes, SA, SA2,
   * NAT-T type and original address, source and destination addresses, NAT-T ports.
   *
   * <p>{@code sadb_sa_replay} is an 8-bit field: a larger window is sent as 255, as Linux {@code
   * af_key.c} itself truncates it. Extended sequence numbers go as the BSD flag SADB_X_SAFLAGS_ESN
   * in {@code sadb_sa_flags}; an ICV length has no PF_KEY field and is not sent.
   *
   * @param type SADB_ADD or SADB_UPDATE (SADB_GETSPI works too; keys are then left out)
   * @param state the {@code sadb_sa_state} to send: MATURE as RFC 2367 §3.1.3 asks, or LARVAL (0)
   *     as ipsec-tools {@code setkey} sends
   * @param seq {@code sadb_msg_seq}
   * @param pid {@code sadb_msg_pid}
   */
  public SadbMessage toMessage(MessageType type, SaState state, long seq, long pid) {
    List<SadbExtension> ext = new ArrayList<>();
    boolean ipcomp = satype == SaType.SADB_X_SATYPE_IPCOMP.value();
    if (type != MessageType.SADB_GETSPI) {
      if (!ipcomp && encryptKey != null) {
        ext.add(KeyExtension.of(ExtensionType.SADB_EXT_KEY_ENCRYPT, encryptKey));
      }
      if (authKey != null) {
        ext.add(KeyExtension.of(ExtensionType.SADB_EXT_KEY_AUTH, authKey));
      }
    }
    if (hard != null) {
      ext.add(hard);
    }
    if (soft != null) {
      ext.add(soft);
    }
    ext.add(
        new SaExtension(
            spi,
            Math.min(replay, 255),
            state.value(),
            type == MessageType.SADB_GETSPI ? 0 : auth,
            type == MessageType.SADB_GETSPI ? 0 : encrypt,
            esn ? flags | ESN_FLAG : flags));
    ext.add(new Sa2Extension(mode, 0, reqid));
    if (natTraversal != null) {
      ext.add(new NatTTypeExtension(natTraversal.type()));
      if (natTraversal.originalAddress() != null) {
        ext.add(
            AddressExtension.host(
                ExtensionType.SADB_X_EXT_NAT_T_OA, natTraversal.originalAddress()));
      }
    }
    ext.add(address(ExtensionType.SADB_EXT_ADDRESS_SRC, source));
    ext.add(address(ExtensionType.SADB_EXT_ADDRESS_DST, destination));
    if (natTraversal != null) {
      ext.add(
          new NatTPortExtension(ExtensionType.SADB_X_EXT_NAT_T_SPORT, natTraversal.sourcePort()));
      ext.add(
          new NatTPortExtension(
              ExtensionType.SADB_X_EXT_NAT_T_DPORT, natTraversal.destinationPort()));
    }
    return new SadbMessage(SadbMessage.PF_KEY_V2, type, 0, satype, 0, seq, pid, ext);
  }

  /** An SADB_ADD installing this SA as RFC 2367 §3.1.3 describes it (state MATURE, seq 0). */
  public SadbMessage toAddMessage(long pid) {
    return toMessage(MessageType.SADB_ADD, SaState.SADB_SASTATE_MATURE, 0, pid);
  }

  private static AddressExtension address(ExtensionType kind, SockAddr a) {
    return new AddressExtension(kind, ULPROTO_ANY, a.family().addressLength() * 8, a);
  }

  /**
   * The SA a message describes: an SADB_ADD or SADB_UPDATE request, or a GET or DUMP reply.
   *
   * @throws PfKeyException (EINVAL) when the message lacks the SA or an address extension
   */
  public static SaSpec fromMessage(SadbMessage m, SourceLocation where) {
    SaExtension sa =
        m.sa()
            .orElseThrow(
                () -> new PfKeyException(Errno.EINVAL, where + ": message has no SADB_EXT_SA"));
    AddressExtension src =
        m.addressSrc()
            .orElseThrow(
                () -> new PfKeyException(Errno.EINVAL, where + ": message has no ADDRESS_SRC"));
    AddressExtension dst =
        m.addressDst()
            .orElseThrow(
                () -> new PfKeyException(Errno.EINVAL, where + ": message has no ADDRESS_DST"));
    Builder b =
        builder(where)
            .satype(m.satype())
            .source(src.address())
            .destination(dst.address())
            .spi(sa.spi())
            .replay(sa.replay())
            .flags(sa.flags())
            .encrypt(sa.encrypt(), m.keyEncrypt().map(SaSpec::keyBytes).orElse(null))
            .auth(sa.auth(), m.keyAuth().map(SaSpec::keyBytes).orElse(null))
            .hard(m.lifetimeHard().orElse(null))
            .soft(m.lifetimeSoft().orElse(null));
    m.sa2().ifPresent(s2 -> b.mode(s2.mode()).reqid(s2.reqid()));
    Optional<NatTTypeExtension> natt = m.find(NatTTypeExtension.class);
    if (natt.isPresent() && natt.get().type() != 0) {
      int sport =
          m.find(ExtensionType.SADB_X_EXT_NAT_T_SPORT, NatTPortExtension.class)
              .map(NatTPortExtension::port)
              .orElse(0);
      int dport =
          m.find(ExtensionType.SADB_X_EXT_NAT_T_DPORT, NatTPortExtension.class)
              .map(NatTPortExtension::port)
              .orElse(0);
      SockAddr oa =
          m.find(ExtensionType.SADB_X_EXT_NAT_T_OA, AddressExtension.class)
              .map(AddressExtension::address)
              .orElse(null);
      b.natTraversal(new NatTraversal(natt.get().type(), sport, dport, oa));
    }
    return b.build();
  }

  /** The valid bytes of a key extension: {@code ceil(bits / 8)} (§2.3.4). */
  private static byte[] keyBytes(KeyExtension k) {
    return Arrays.copyOf(k.key(), Math.min(k.keyLength(), (k.bits() + 7) / 8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SaSpec s
        && where.equals(s.where)
        && satype == s.satype
        && source.equals(s.source)
        && destination.equals(s.destination)
        && spi == s.spi
        && mode == s.mode
        && reqid == s.reqid
        && replay == s.replay
        && flags == s.flags
        && encrypt == s.encrypt
        && Arrays.equals(encryptKey, s.encryptKey)
        && auth == s.auth
        && Arrays.equals(authKey, s.authKey)
        && icvBits == s.icvBits
        && Objects.equals(hard, s.hard)
        && Objects.equals(soft, s.soft)
        && Objects.equals(natTraversal, s.natTraversal)
        && esn == s.esn;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(where, satype, source, destination, spi, mode, reqid, replay, flags);
    h = 31 * h + Objects.hash(encrypt, auth, icvBits, hard, soft, natTraversal, esn);
    h = 31 * h + Arrays.hashCode(encryptKey);
    return 31 * h + Arrays.hashCode(authKey);
  }

  /** Names the SA and its algorithms; key bytes are never shown, only their lengths. */
  @Override
  public String toString() {
    return "SaSpec["
        + where
        + " "
        + SaType.symbolOf(satype)
        + " "
        + source.addressString()
        + "->"
        + destination.addressString()
        + " spi=0x"
        + String.format("%08x", spi)
        + " mode="
        + IpsecMode.symbolOf(mode)
        + " reqid="
        + reqid
        + " replay="
        + replay
        + " encrypt="
        + encrypt
        + " encrypt_key=<"
        + (encryptKey == null ? "none" : encryptKey.length + " bytes redacted")
        + "> auth="
        + auth
        + " auth_key=<"
        + (authKey == null ? "none" : authKey.length + " bytes redacted")
        + ">"
        + (icvBits != 0 ? " icv_bits=" + icvBits : "")
        + (hard != null ? " hard=" + hard.addtime() + "s/" + hard.bytes() + "B" : "")
        + (soft != null ? " soft=" + soft.addtime() + "s/" + soft.bytes() + "B" : "")
        + (natTraversal != null ? " " + natTraversal : "")
        + (esn ? " esn" : "")
        + "]";
  }

  /**
   * UDP encapsulation of ESP (RFC 3948), as Linux's SADB_X_EXT_NAT_T_* extensions carry it.
   *
   * @param type a {@code NatTraversalType} value: 2 for ESP-in-UDP ({@code espinudp}), 1 for the
   *     old non-IKE marker variant
   * @param sourcePort the UDP source port (4500 usually)
   * @param destinationPort the UDP destination port
   * @param originalAddress the original address before NAT (NAT-OA), or null
   */
  public record NatTraversal(
      int type, int sourcePort, int destinationPort, SockAddr originalAddress) {
    /** Checks the widths. */
    public NatTraversal {
      if (type < 0 || type > 255) {
        throw new IllegalArgumentException("nat-t type=" + type + " out of range 0..255");
      }
      if (sourcePort < 0
          || sourcePort > 0xFFFF
          || destinationPort < 0
          || destinationPort > 0xFFFF) {
        throw new IllegalArgumentException(
            "nat-t sport=" + sourcePort + " dport=" + destinationPort + " out of range 0..65535");
      }
    }

    @Override
    public String toString() {
      return "natt="
          + type
          + " sport="
          + sourcePort
          + " dport="
          + destinationPort
          + (originalAddress != null ? " oa=" + originalAddress.addressString() : "");
    }
  }

  /** Builds an {@link SaSpec} field by field; unset fields are 0, none or false. */
  public static final class Builder {
    private final SourceLocation where;
    private int satype;
    private SockAddr source;
    private SockAddr destination;
    private long spi;
    private int mode;
    private long reqid;
    private int replay;
    private long flags;
    private int encrypt;
    private byte[] encryptKey;
    private int auth;
    private byte[] authKey;
    private int icvBits;
    private LifetimeExtension hard;
    private LifetimeExtension soft;
    private NatTraversal natTraversal;
    private boolean esn;

    private Builder(SourceLocation where) {
      this.where = Objects.requireNonNull(where, "where");
    }

    /** Sets the SA type number. */
    public Builder satype(int v) {
      this.satype = v;
      return this;
    }

    /** Sets the source address. */
    public Builder source(SockAddr v) {
      this.source = v;
      return this;
    }

    /** Sets the destination address. */
    public Builder destination(SockAddr v) {
      this.destination = v;
      return this;
    }

    /** Sets the SPI. */
    public Builder spi(long v) {
      this.spi = v;
      return this;
    }

    /** Sets the mode number. */
    public Builder mode(int v) {
      this.mode = v;
      return this;
    }

    /** Sets the reqid. */
    public Builder reqid(long v) {
      this.reqid = v;
      return this;
    }

    /** Sets the replay window in packets. */
    public Builder replay(int v) {
      this.replay = v;
      return this;
    }

    /** Sets {@code sadb_sa_flags}. */
    public Builder flags(long v) {
      this.flags = v;
      return this;
    }

    /** Sets the encryption (or compression) algorithm and its key (null for none). */
    public Builder encrypt(int alg, byte[] key) {
      this.encrypt = alg;
      this.encryptKey = key;
      return this;
    }

    /** Sets the authentication algorithm and its key (null for none). */
    public Builder auth(int alg, byte[] key) {
      this.auth = alg;
      this.authKey = key;
      return this;
    }

    /** Sets the ICV length in bits (0: the algorithm's). */
    public Builder icvBits(int v) {
      this.icvBits = v;
      return this;
    }

    /** Sets the HARD lifetime (null for none). */
    public Builder hard(LifetimeExtension v) {
      this.hard = v;
      return this;
    }

    /** Sets the SOFT lifetime (null for none). */
    public Builder soft(LifetimeExtension v) {
      this.soft = v;
      return this;
    }

    /** Sets UDP encapsulation (null for none). */
    public Builder natTraversal(NatTraversal v) {
      this.natTraversal = v;
      return this;
    }

    /** Sets extended sequence numbers. */
    public Builder esn(boolean v) {
      this.esn = v;
      return this;
    }

    /**
     * The SA.
     *
     * @throws IllegalArgumentException when an address is missing or a field is out of range
     */
    public SaSpec build() {
      if (source == null || destination == null) {
        throw new IllegalArgumentException(where + ": SA without source or destination address");
      }
      return new SaSpec(
          where,
          satype,
          source,
          destination,
          spi,
          mode,
          reqid,
          replay,
          flags,
          encrypt,
          encryptKey,
          auth,
          authKey,
          icvBits,
          hard,
          soft,
          natTraversal,
          esn);
    }
  }
}
