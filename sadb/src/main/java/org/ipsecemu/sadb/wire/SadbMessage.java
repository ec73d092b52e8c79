package org.ipsecemu.sadb.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One PF_KEY v2 message: the base header of RFC 2367 §2.1 ({@code struct sadb_msg}) and its
 * extensions in wire order. Immutable; the {@code with…} methods return changed copies, which is
 * how a Key Engine builds replies from requests.
 *
 * <p>{@code len} is {@code sadb_msg_len} in 64-bit words. The constructors that do not take it
 * compute it from the extensions, and every {@code with…} method recomputes it. A decoded message
 * keeps the length it arrived with; the encoder always writes the true length of what it encodes.
 *
 * <p>{@code satype} and {@code errno} are kept as raw numbers so unknown values survive; {@link
 * #saType()} and {@link #errnoValue()} give the enum views.
 *
 * @param version {@code sadb_msg_version}, normally {@link #PF_KEY_V2}
 * @param type the message type
 * @param errno {@code sadb_msg_errno}, 0 or an {@link Errno} number
 * @param satype an {@link SaType} value
 * @param len {@code sadb_msg_len} in 64-bit words (a built message longer than the 16-bit field
 *     allows can exist; the encoder rejects it with EMSGSIZE)
 * @param reserved {@code sadb_msg_reserved} (Linux puts a policy's reference count here)
 * @param seq {@code sadb_msg_seq}, unsigned 32-bit
 * @param pid {@code sadb_msg_pid}, unsigned 32-bit
 * @param extensions the extensions in wire order
 */
public record SadbMessage(
    int version,
    MessageType type,
    int errno,
    int satype,
    int len,
    int reserved,
    long seq,
    long pid,
    List<SadbExtension> extensions) {

  /** {@code PF_KEY_V2}, the only version this codec speaks (RFC 2367 §2.1). */
  public static final int PF_KEY_V2 = 2;

  /** Size of {@code struct sadb_msg} in bytes. */
  public static final int HEADER_LENGTH = 16;

  /** Checks that each header field fits its wire width; copies the extension list. */
  public SadbMessage {
    Checks.u8("version", version);
    Objects.requireNonNull(type, "type");
    Checks.u8("errno", errno);
    Checks.u8("satype", satype);
    if (len < 0) {
      // Not capped at 65535: a model may be too long for the wire; encode reports EMSGSIZE.
      throw new IllegalArgumentException("len=" + len + " is negative");
    }
    Checks.u16("reserved", reserved);
    Checks.u32("seq", seq);
    Checks.u32("pid", pid);
    extensions = List.copyOf(extensions);
  }

  /** A message whose {@code len} is computed from its extensions. */
  public SadbMessage(
      int version,
      MessageType type,
      int errno,
      int satype,
      int reserved,
      long seq,
      long pid,
      List<SadbExtension> extensions) {
    this(version, type, errno, satype, lengthOf(extensions), reserved, seq, pid, extensions);
  }

  /** A PF_KEY_V2 message with errno 0 and reserved 0, its length computed. */
  public static SadbMessage of(
      MessageType type, SaType satype, long seq, long pid, SadbExtension... extensions) {
    return new SadbMessage(PF_KEY_V2, type, 0, satype.value(), 0, seq, pid, List.of(extensions));
  }

  /** A builder for a PF_KEY_V2 message of this type. */
  public static Builder builder(MessageType type) {
    return new Builder(type);
  }

  /** The length in 64-bit words of a message with these extensions: header plus extensions. */
  public static int lengthOf(List<? extends SadbExtension> extensions) {
    int words = HEADER_LENGTH / 8;
    for (SadbExtension e : extensions) {
      words += e.len();
    }
    return words;
  }

  /** The length in 64-bit words of this message as the encoder writes it. */
  public int computedLen() {
    return lengthOf(extensions);
  }

  /** The SA type as an enum, or empty for a number RFC 2367 and Linux do not name. */
  public Optional<SaType> saType() {
    return SaType.valueOf(satype);
  }

  /** The errno as an enum, or empty when 0 or unnamed. */
  public Optional<Errno> errnoValue() {
    return Errno.valueOf(errno);
  }

  // ---------------------------------------------------------------- lookups

  /** The first extension of this record class, e.g. {@code find(SaExtension.class)}. */
  public <T extends SadbExtension> Optional<T> find(Class<T> type) {
    for (SadbExtension e : extensions) {
      if (type.isInstance(e)) {
        return Optional.of(type.cast(e));
      }
    }
    return Optional.empty();
  }

  /** The extension of this type, e.g. {@code find(ExtensionType.SADB_EXT_ADDRESS_DST)}. */
  public Optional<SadbExtension> find(ExtensionType type) {
    return find(type.value());
  }

  /** The extension with this {@code sadb_ext_type} number (also finds unknown extensions). */
  public Optional<SadbExtension> find(int exttype) {
    for (SadbExtension e : extensions) {
      if (e.exttype() == exttype && !(e instanceof PromiscPayload)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * The extension of this type as this record class, e.g. {@code find(SADB_EXT_ADDRESS_SRC,
   * AddressExtension.class)}; empty when absent or of another class.
   */
  public <T extends SadbExtension> Optional<T> find(ExtensionType type, Class<T> cls) {
    return find(type).filter(cls::isInstance).map(cls::cast);
  }

  /** Whether an extension of this type is present. */
  public boolean has(ExtensionType type) {
    return find(type).isPresent();
  }

  /** The Association extension. */
  public Optional<SaExtension> sa() {
    return find(SaExtension.class);
  }

  /** The source address (SADB_EXT_ADDRESS_SRC). */
  public Optional<AddressExtension> addressSrc() {
    return find(ExtensionType.SADB_EXT_ADDRESS_SRC, AddressExtension.class);
  }

  /** The destination address (SADB_EXT_ADDRESS_DST). */
  public Optional<AddressExtension> addressDst() {
    return find(ExtensionType.SADB_EXT_ADDRESS_DST, AddressExtension.class);
  }

  /** The proxy address (SADB_EXT_ADDRESS_PROXY). */
  public Optional<AddressExtension> addressProxy() {
    return find(ExtensionType.SADB_EXT_ADDRESS_PROXY, AddressExtension.class);
  }

  /** The authentication key (SADB_EXT_KEY_AUTH). */
  public Optional<KeyExtension> keyAuth() {
    return find(ExtensionType.SADB_EXT_KEY_AUTH, KeyExtension.class);
  }

  /** The encryption key (SADB_EXT_KEY_ENCRYPT). */
  public Optional<KeyExtension> keyEncrypt() {
    return find(ExtensionType.SADB_EXT_KEY_ENCRYPT, KeyExtension.class);
  }

  /** The CURRENT lifetime. */
  public Optional<LifetimeExtension> lifetimeCurrent() {
    return find(ExtensionType.SADB_EXT_LIFETIME_CURRENT, LifetimeExtension.class);
  }

  /** The HARD lifetime. */
  public Optional<LifetimeExtension> lifetimeHard() {
    return find(ExtensionType.SADB_EXT_LIFETIME_HARD, LifetimeExtension.class);
  }

  /** The SOFT lifetime. */
  public Optional<LifetimeExtension> lifetimeSoft() {
    return find(ExtensionType.SADB_EXT_LIFETIME_SOFT, LifetimeExtension.class);
  }

  /** The source identity. */
  public Optional<IdentityExtension> identitySrc() {
    return find(ExtensionType.SADB_EXT_IDENTITY_SRC, IdentityExtension.class);
  }

  /** The destination identity. */
  public Optional<IdentityExtension> identityDst() {
    return find(ExtensionType.SADB_EXT_IDENTITY_DST, IdentityExtension.class);
  }

  /** The SPI range. */
  public Optional<SpiRangeExtension> spiRange() {
    return find(SpiRangeExtension.class);
  }

  /** The proposal. */
  public Optional<ProposalExtension> proposal() {
    return find(ProposalExtension.class);
  }

  /** The security policy (SADB_X_EXT_POLICY). */
  public Optional<PolicyExtension> policy() {
    return find(PolicyExtension.class);
  }

  /** The SA2 extension (mode, reqid). */
  public Optional<Sa2Extension> sa2() {
    return find(Sa2Extension.class);
  }

  // ---------------------------------------------------------------- copies

  /** This message with another errno (e.g. {@code withErrno(Errno.ESRCH)} for a reply). */
  public SadbMessage withErrno(Errno e) {
    return withErrno(e.number());
  }

  /** This message with another errno number (0 clears it). */
  public SadbMessage withErrno(int number) {
    return new SadbMessage(version, type, number, satype, reserved, seq, pid, extensions);
  }

  /** This message with another type. */
  public SadbMessage withType(MessageType newType) {
    return new SadbMessage(version, newType, errno, satype, reserved, seq, pid, extensions);
  }

  /** This message with another SA type. */
  public SadbMessage withSatype(int newSatype) {
    return new SadbMessage(version, type, errno, newSatype, reserved, seq, pid, extensions);
  }

  /** This message with another SA type. */
  public SadbMessage withSatype(SaType newSatype) {
    return withSatype(newSatype.value());
  }

  /** This message with another sequence number. */
  public SadbMessage withSeq(long newSeq) {
    return new SadbMessage(version, type, errno, satype, reserved, newSeq, pid, extensions);
  }

  /** This message with another pid. */
  public SadbMessage withPid(long newPid) {
    return new SadbMessage(version, type, errno, satype, reserved, seq, newPid, extensions);
  }

  /** This message with another reserved field. */
  public SadbMessage withReserved(int newReserved) {
    return new SadbMessage(version, type, errno, satype, newReserved, seq, pid, extensions);
  }

  /** This message with these extensions instead. */
  public SadbMessage withExtensions(List<? extends SadbExtension> newExtensions) {
    return new SadbMessage(
        version, type, errno, satype, reserved, seq, pid, List.copyOf(newExtensions));
  }

  /**
   * The base header only: what a reply carrying an error holds (§3.1: "In the case of an error,
   * only the base header is returned").
   */
  public SadbMessage headerOnly() {
    return withExtensions(List.of());
  }

  /**
   * This message without its key extensions, as the kernel returns ADD and UPDATE to all listeners
   * (§3.1.2, §3.1.3: "The keying material is not returned").
   */
  public SadbMessage withoutKeys() {
    return without(ExtensionType.SADB_EXT_KEY_AUTH, ExtensionType.SADB_EXT_KEY_ENCRYPT);
  }

  /** This message without any extension of these types. */
  public SadbMessage without(ExtensionType... types) {
    Set<ExtensionType> drop = Set.of(types);
    List<SadbExtension> kept = new ArrayList<>();
    for (SadbExtension e : extensions) {
      boolean match = false;
      for (ExtensionType t : drop) {
        match |= e.exttype() == t.value() && !(e instanceof PromiscPayload);
      }
      if (!match) {
        kept.add(e);
      }
    }
    return withExtensions(kept);
  }

  /**
   * This message with {@code extension} in place of the one of the same type, or appended when
   * there is none.
   */
  public SadbMessage with(SadbExtension extension) {
    List<SadbExtension> list = new ArrayList<>(extensions);
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).exttype() == extension.exttype()) {
        list.set(i, extension);
        return withExtensions(list);
      }
    }
    list.add(extension);
    return withExtensions(list);
  }

  /** Builds a message field by field; the length is computed. */
  public static final class Builder {
    private int version = PF_KEY_V2;
    private MessageType type;
    private int errno;
    private int satype;
    private int reserved;
    private long seq;
    private long pid;
    private final List<SadbExtension> extensions = new ArrayList<>();

    private Builder(MessageType type) {
      this.type = Objects.requireNonNull(type, "type");
    }

    /** Sets {@code sadb_msg_version} (default PF_KEY_V2). */
    public Builder version(int v) {
      this.version = v;
      return this;
    }

    /** Sets the type. */
    public Builder type(MessageType t) {
      this.type = Objects.requireNonNull(t, "type");
      return this;
    }

    /** Sets the errno number. */
    public Builder errno(int e) {
      this.errno = e;
      return this;
    }

    /** Sets the errno. */
    public Builder errno(Errno e) {
      return errno(e.number());
    }

    /** Sets the SA type number. */
    public Builder satype(int s) {
      this.satype = s;
      return this;
    }

    /** Sets the SA type. */
    public Builder satype(SaType s) {
      return satype(s.value());
    }

    /** Sets {@code sadb_msg_reserved}. */
    public Builder reserved(int r) {
      this.reserved = r;
      return this;
    }

    /** Sets the sequence number. */
    public Builder seq(long s) {
      this.seq = s;
      return this;
    }

    /** Sets the pid. */
    public Builder pid(long p) {
      this.pid = p;
      return this;
    }

    /** Appends an extension. */
    public Builder add(SadbExtension e) {
      extensions.add(Objects.requireNonNull(e, "extension"));
      return this;
    }

    /** Appends extensions. */
    public Builder addAll(List<? extends SadbExtension> es) {
      es.forEach(this::add);
      return this;
    }

    /**
     * The message.
     *
     * @throws IllegalArgumentException when a field does not fit its wire width
     */
    public SadbMessage build() {
      return new SadbMessage(version, type, errno, satype, reserved, seq, pid, extensions);
    }
  }
}
