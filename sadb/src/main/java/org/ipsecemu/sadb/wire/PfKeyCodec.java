package org.ipsecemu.sadb.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decodes PF_KEY v2 messages from bytes into the {@link SadbMessage} model, with every check RFC
 * 2367 requires, and encodes the model back into exactly the RFC's layouts.
 *
 * <h2>Decoding</h2>
 *
 * Errors are reported as {@link PfKeyException} with the RFC's errno; nothing else escapes and
 * nothing is read outside {@code [offset, offset + length)}, whatever the bytes hold:
 *
 * <ul>
 *   <li>EMSGSIZE: fewer than 16 bytes, or {@code sadb_msg_len × 8} is not the number of bytes given
 *       (§2.1).
 *   <li>EINVAL: a version other than PF_KEY_V2 (§2.1); an unknown or reserved message type; an
 *       extension of length 0 or running past the message (§2.3); extension type 0; a duplicate
 *       extension (§2.3); an extension shorter than its structure; a key whose {@code
 *       sadb_key_bits} is 0 or larger than its bytes hold (§2.3.4); a sockaddr of an unsupported
 *       family or cut short; an identity string without its NUL (§2.4); a prefix length beyond the
 *       address size (§2.3.3); source and destination of different families (§2.3.3); an SPI range
 *       whose min exceeds its max (§2.3.9); arrays (combinations, algorithms, bitmaps, IPsec
 *       requests) that do not exactly fill their extension.
 * </ul>
 *
 * Unknown extension types (and Linux's SEC_CTX, KMADDRESS, FILTER, which this codec names but does
 * not decode) are skipped as §2.3 requires and kept as {@link UnknownExtension}; they are not
 * checked for duplicates. Padding after variable-length data (a key, an identity string, a
 * sockaddr) and bytes beyond a fixed-size structure are accepted and ignored, as Linux does. The
 * data form of SADB_X_PROMISC (a whole message after the header, Appendix A) becomes one {@link
 * PromiscPayload} and is not checked.
 *
 * <h2>Encoding</h2>
 *
 * Writes every byte of the message: fields from the model, {@code sadb_msg_len} and every {@code
 * sadb_ext_len} computed from the content, reserved fields and padding zero. The model is not
 * validated beyond what fits the wire (a test may encode a bad message on purpose); EMSGSIZE is
 * thrown when a length does not fit its 16-bit field or the buffer is too small.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PfKeyCodec {
  /** Extension types this codec decodes into records (others are kept raw). */
  private static final int MAX_DECODED_TYPE = 255;

  private final WireFormat format;

  /** A codec for the default format: little-endian, Linux sockaddrs. */
  public PfKeyCodec() {
    this(WireFormat.DEFAULT);
  }

  /** A codec for this format. */
  public PfKeyCodec(WireFormat format) {
    this.format = Objects.requireNonNull(format, "format");
  }

  /** The wire format this codec reads and writes. */
  public WireFormat format() {
    return format;
  }

  /**
   * Decodes one message that fills {@code bytes} exactly.
   *
   * @throws PfKeyException when the bytes are not a valid message (see the class comment)
   */
  public SadbMessage decode(byte[] bytes) {
    return decode(ByteBuffer.wrap(bytes), 0, bytes.length);
  }

  /**
   * Decodes one message that fills {@code length} bytes at absolute {@code offset} of {@code
   * buffer}. The buffer's position, limit and order are neither used nor changed.
   *
   * @throws PfKeyException when the bytes are not a valid message (see the class comment)
   * @throws IllegalArgumentException when {@code offset} and {@code length} lie outside the buffer
   */
  public SadbMessage decode(ByteBuffer buffer, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
      throw new IllegalArgumentException(
          "offset=" + offset + " length=" + length + " outside buffer limit=" + buffer.limit());
    }
    return new Decoder(buffer, offset, length).message();
  }

  /**
   * The number of bytes {@link #encode} writes for this message.
   *
   * @throws PfKeyException EMSGSIZE when the message or an extension is too long for its 16-bit
   *     length field
   */
  public static int encodedLength(SadbMessage message) {
    long words = SadbMessage.HEADER_LENGTH / 8;
    for (SadbExtension e : message.extensions()) {
      int len = e.len();
      if (len > 0xFFFF && !(e instanceof PromiscPayload)) {
        throw new PfKeyException(
            Errno.EMSGSIZE,
            "extension " + e.exttypeSymbol() + " of " + len + " words exceeds sadb_ext_len=65535");
      }
      words += len;
    }
    if (words > 0xFFFF) {
      throw new PfKeyException(
          Errno.EMSGSIZE, "message of " + words + " words exceeds sadb_msg_len=65535");
    }
    return (int) words * 8;
  }

  /**
   * Encodes a message into a new array.
   *
   * @throws PfKeyException EMSGSIZE when a length does not fit its field
   */
  public byte[] encode(SadbMessage message) {
    byte[] out = new byte[encodedLength(message)];
    encode(message, ByteBuffer.wrap(out), 0);
    return out;
  }

  /**
   * Encodes a message at absolute {@code offset} of {@code buffer}, writing every byte it covers.
   *
   * @return the number of bytes written
   * @throws PfKeyException EMSGSIZE when a length does not fit its field or the buffer is too small
   */
  public int encode(SadbMessage message, ByteBuffer buffer, int offset) {
    int n = encodedLength(message);
    if (offset < 0 || offset > buffer.limit() - n) {
      throw new PfKeyException(
          Errno.EMSGSIZE,
          "buffer too small: message needs "
              + n
              + " bytes at offset "
              + offset
              + ", buffer limit="
              + buffer.limit());
    }
    new Encoder(buffer, offset).message(message, n);
    return n;
  }

  // =================================================================== decoding

  private final class Decoder {
    private final ByteBuffer buf;
    private final int base;
    private final int length;
    private final ByteOrder order = format.byteOrder();
    private final SockaddrLayout layout = format.sockaddrLayout();

    private final SadbMsgFlyweight msg = new SadbMsgFlyweight();
    private final SadbExtFlyweight ext = new SadbExtFlyweight();
    private final SadbSaFlyweight sa = new SadbSaFlyweight();
    private final SadbLifetimeFlyweight lifetime = new SadbLifetimeFlyweight();
    private final SadbAddressFlyweight address = new SadbAddressFlyweight();
    private final SockaddrFlyweight sockaddr = new SockaddrFlyweight();
    private final SadbKeyFlyweight key = new SadbKeyFlyweight();
    private final SadbIdentFlyweight ident = new SadbIdentFlyweight();
    private final SadbSensFlyweight sens = new SadbSensFlyweight();
    private final SadbPropFlyweight prop = new SadbPropFlyweight();
    private final SadbCombFlyweight comb = new SadbCombFlyweight();
    private final SadbSupportedFlyweight supported = new SadbSupportedFlyweight();
    private final SadbAlgFlyweight alg = new SadbAlgFlyweight();
    private final SadbSpirangeFlyweight spirange = new SadbSpirangeFlyweight();
    private final SadbXPolicyFlyweight policy = new SadbXPolicyFlyweight();
    private final SadbXIpsecrequestFlyweight request = new SadbXIpsecrequestFlyweight();
    private final SadbXSa2Flyweight sa2 = new SadbXSa2Flyweight();
    private final SadbXNatTTypeFlyweight natType = new SadbXNatTTypeFlyweight();
    private final SadbXNatTPortFlyweight natPort = new SadbXNatTPortFlyweight();
    private final SadbXPrefFlyweight pref = new SadbXPrefFlyweight();
    private final SadbXSaReplayFlyweight saReplay = new SadbXSaReplayFlyweight();

    Decoder(ByteBuffer buf, int base, int length) {
      this.buf = buf;
      this.base = base;
      this.length = length;
    }

    SadbMessage message() {
      if (length < SadbMsgFlyweight.ENCODED_LENGTH) {
        throw new PfKeyException(
            Errno.EMSGSIZE,
            "message of "
                + length
                + " bytes is shorter than sadb_msg (expected: "
                + SadbMsgFlyweight.ENCODED_LENGTH
                + "+)");
      }
      msg.wrap(buf, base, order);
      int words = msg.len();
      if (words * 8 != length) {
        throw new PfKeyException(
            Errno.EMSGSIZE,
            "sadb_msg_len="
                + words
                + " ("
                + words * 8
                + " bytes) does not match the "
                + length
                + " bytes given");
      }
      if (msg.version() != SadbMessage.PF_KEY_V2) {
        throw new PfKeyException(
            Errno.EINVAL, "sadb_msg_version=" + msg.version() + " (expected: PF_KEY_V2=2)");
      }
      int typeNumber = msg.type();
      MessageType type =
          MessageType.valueOf(typeNumber)
              .filter(t -> t != MessageType.SADB_RESERVED)
              .orElseThrow(
                  () ->
                      new PfKeyException(
                          Errno.EINVAL, "unknown message type sadb_msg_type=" + typeNumber));
      List<SadbExtension> extensions;
      if (type == MessageType.SADB_X_PROMISC && length > SadbMsgFlyweight.ENCODED_LENGTH) {
        // Appendix A, data form: a whole message follows, carried without any checking.
        extensions =
            List.of(
                new PromiscPayload(
                    bytes(
                        SadbMsgFlyweight.ENCODED_LENGTH,
                        length - SadbMsgFlyweight.ENCODED_LENGTH)));
      } else {
        extensions = extensions();
      }
      return new SadbMessage(
          msg.version(),
          type,
          msg.errno(),
          msg.satype(),
          words,
          msg.reserved(),
          msg.seq(),
          msg.pid(),
          extensions);
    }

    private List<SadbExtension> extensions() {
      List<SadbExtension> list = new ArrayList<>();
      boolean[] seen = new boolean[MAX_DECODED_TYPE + 1];
      int srcAt = -1;
      int dstAt = -1;
      AddressExtension src = null;
      AddressExtension dst = null;
      int pos = SadbMsgFlyweight.ENCODED_LENGTH;
      while (pos < length) {
        // The message length is a multiple of 8, so a whole sadb_ext header is always here.
        ext.wrap(buf, base + pos, order);
        int words = ext.len();
        int elen = words * 8;
        int etype = ext.type();
        String name = ExtensionType.symbolOf(etype);
        if (elen == 0) {
          throw new PfKeyException(
              Errno.EINVAL, "extension " + name + " length=0 at offset " + pos);
        }
        if (elen > length - pos) {
          throw new PfKeyException(
              Errno.EINVAL,
              "extension "
                  + name
                  + " length="
                  + words
                  + " ("
                  + elen
                  + " bytes) at offset "
                  + pos
                  + " runs past the end of the message ("
                  + length
                  + " bytes)");
        }
        if (etype == ExtensionType.SADB_EXT_RESERVED.value()) {
          throw new PfKeyException(
              Errno.EINVAL, "extension type SADB_EXT_RESERVED (0) at offset " + pos);
        }
        Optional<ExtensionType> known = ExtensionType.valueOf(etype).filter(PfKeyCodec::decodes);
        SadbExtension e;
        if (known.isPresent()) {
          if (seen[etype]) {
            throw new PfKeyException(
                Errno.EINVAL, "duplicate extension " + name + " at offset " + pos);
          }
          seen[etype] = true;
          e = extension(known.get(), pos, elen);
          if (etype == ExtensionType.SADB_EXT_ADDRESS_SRC.value()) {
            src = (AddressExtension) e;
            srcAt = pos;
          } else if (etype == ExtensionType.SADB_EXT_ADDRESS_DST.value()) {
            dst = (AddressExtension) e;
            dstAt = pos;
          }
        } else {
          e = new UnknownExtension(etype, bytes(pos + 4, elen - 4));
        }
        list.add(e);
        pos += elen;
      }
      if (src != null && dst != null && src.address().family() != dst.address().family()) {
        // §2.3.3: "The SRC and DST addresses ... MUST be in the same protocol family".
        throw new PfKeyException(
            Errno.EINVAL,
            "source and destination of different families: SADB_EXT_ADDRESS_SRC at offset "
                + srcAt
                + " is "
                + src.address().family()
                + ", SADB_EXT_ADDRESS_DST at offset "
                + dstAt
                + " is "
                + dst.address().family());
      }
      return list;
    }

    private SadbExtension extension(ExtensionType type, int pos, int elen) {
      int at = base + pos;
      switch (type) {
        case SADB_EXT_SA:
          need(type, pos, elen, SadbSaFlyweight.ENCODED_LENGTH);
          sa.wrap(buf, at, order);
          return new SaExtension(
              sa.spi(), sa.replay(), sa.state(), sa.auth(), sa.encrypt(), sa.flags());
        case SADB_EXT_LIFETIME_CURRENT:
        case SADB_EXT_LIFETIME_HARD:
        case SADB_EXT_LIFETIME_SOFT:
          need(type, pos, elen, SadbLifetimeFlyweight.ENCODED_LENGTH);
          lifetime.wrap(buf, at, order);
          return new LifetimeExtension(
              type,
              lifetime.allocations(),
              lifetime.bytes(),
              lifetime.addtime(),
              lifetime.usetime());
        case SADB_EXT_ADDRESS_SRC:
        case SADB_EXT_ADDRESS_DST:
        case SADB_EXT_ADDRESS_PROXY:
        case SADB_X_EXT_NAT_T_OA:
          return address(type, pos, elen);
        case SADB_EXT_KEY_AUTH:
        case SADB_EXT_KEY_ENCRYPT:
          return key(type, pos, elen);
        case SADB_EXT_IDENTITY_SRC:
        case SADB_EXT_IDENTITY_DST:
          return identity(type, pos, elen);
        case SADB_EXT_SENSITIVITY:
          return sensitivity(type, pos, elen);
        case SADB_EXT_PROPOSAL:
          return proposal(type, pos, elen);
        case SADB_EXT_SUPPORTED_AUTH:
        case SADB_EXT_SUPPORTED_ENCRYPT:
          return supported(type, pos, elen);
        case SADB_EXT_SPIRANGE:
          return spiRange(type, pos, elen);
        case SADB_X_EXT_KMPRIVATE:
          need(type, pos, elen, SadbXKmprivateFlyweight.ENCODED_LENGTH);
          return new KmPrivateExtension(
              bytes(
                  pos + SadbXKmprivateFlyweight.ENCODED_LENGTH,
                  elen - SadbXKmprivateFlyweight.ENCODED_LENGTH));
        case SADB_X_EXT_POLICY:
          return policy(type, pos, elen);
        case SADB_X_EXT_SA2:
          need(type, pos, elen, SadbXSa2Flyweight.ENCODED_LENGTH);
          sa2.wrap(buf, at, order);
          return new Sa2Extension(sa2.mode(), sa2.sequence(), sa2.reqid());
        case SADB_X_EXT_NAT_T_TYPE:
          need(type, pos, elen, SadbXNatTTypeFlyweight.ENCODED_LENGTH);
          return new NatTTypeExtension(natType.wrap(buf, at, order).type());
        case SADB_X_EXT_NAT_T_SPORT:
        case SADB_X_EXT_NAT_T_DPORT:
          need(type, pos, elen, SadbXNatTPortFlyweight.ENCODED_LENGTH);
          return new NatTPortExtension(type, natPort.wrap(buf, at, order).port());
        case SADB_X_EXT_PREFERENCE:
          need(type, pos, elen, SadbXPrefFlyweight.ENCODED_LENGTH);
          return new ProposalReferenceExtension(pref.wrap(buf, at, order).what());
        case SADB_X_EXT_SA_REPLAY:
          need(type, pos, elen, SadbXSaReplayFlyweight.ENCODED_LENGTH);
          return new SaReplayExtension(saReplay.wrap(buf, at, order).replay());
        default:
          throw new IllegalStateException("not a decoded type: " + type);
      }
    }

    private AddressExtension address(ExtensionType type, int pos, int elen) {
      int head = SadbAddressFlyweight.ENCODED_LENGTH;
      need(type, pos, elen, head + SockaddrFlyweight.FAMILY_HEADER_LENGTH);
      address.wrap(buf, base + pos, order);
      SockAddr sockAddr = sockaddr(pos + head, elen - head, type.name(), pos);
      int bits = sockAddr.family().addressLength() * 8;
      if (address.prefixlen() > bits) {
        throw new PfKeyException(
            Errno.EINVAL,
            type.name()
                + " at offset "
                + pos
                + ": prefixlen="
                + address.prefixlen()
                + " beyond the "
                + bits
                + "-bit "
                + sockAddr.family()
                + " address");
      }
      return new AddressExtension(type, address.proto(), address.prefixlen(), sockAddr);
    }

    /** Reads a sockaddr at message offset {@code pos} with {@code avail} bytes available. */
    private SockAddr sockaddr(int pos, int avail, String where, int extAt) {
      String ctx = where + " at offset " + extAt;
      if (avail < SockaddrFlyweight.FAMILY_HEADER_LENGTH) {
        throw new PfKeyException(Errno.EINVAL, ctx + ": no room for a sockaddr at offset " + pos);
      }
      sockaddr.wrap(buf, base + pos, order).layout(layout);
      int number = sockaddr.familyNumber();
      AddressFamily family =
          layout
              .family(number)
              .orElseThrow(
                  () ->
                      new PfKeyException(
                          Errno.EINVAL,
                          ctx + ": unsupported sa_family=" + number + " at offset " + pos));
      int size = family.sockaddrLength();
      if (avail < size) {
        throw new PfKeyException(
            Errno.EINVAL,
            ctx
                + ": truncated "
                + family
                + " sockaddr at offset "
                + pos
                + ": "
                + avail
                + " bytes (expected: "
                + size
                + ")");
      }
      if (layout == SockaddrLayout.BSD && sockaddr.saLen() != size) {
        throw new PfKeyException(
            Errno.EINVAL,
            ctx + ": sa_len=" + sockaddr.saLen() + " for " + family + " (expected: " + size + ")");
      }
      byte[] addr = new byte[family.addressLength()];
      sockaddr.getAddress(family, addr);
      long scope = family == AddressFamily.AF_INET6 ? sockaddr.scopeId() : 0;
      return new SockAddr(family, addr, sockaddr.port(), scope);
    }

    private KeyExtension key(ExtensionType type, int pos, int elen) {
      int head = SadbKeyFlyweight.ENCODED_LENGTH;
      need(type, pos, elen, head);
      key.wrap(buf, base + pos, order);
      int bits = key.bits();
      if (bits == 0) {
        // §2.3.4: "A value of zero in sadb_key_bits MUST cause an error."
        throw new PfKeyException(
            Errno.EINVAL, type.name() + " at offset " + pos + ": sadb_key_bits=0");
      }
      int avail = elen - head;
      if (bits > avail * 8) {
        throw new PfKeyException(
            Errno.EINVAL,
            type.name()
                + " at offset "
                + pos
                + ": sadb_key_bits="
                + bits
                + " exceed the "
                + avail
                + " bytes of key data");
      }
      return new KeyExtension(type, bits, bytes(pos + head, (bits + 7) / 8));
    }

    private IdentityExtension identity(ExtensionType type, int pos, int elen) {
      int head = SadbIdentFlyweight.ENCODED_LENGTH;
      need(type, pos, elen, head);
      ident.wrap(buf, base + pos, order);
      int start = pos + head;
      int end = start;
      while (end < pos + elen && buf.get(base + end) != 0) {
        end++;
      }
      if (end == pos + elen && end > start) {
        // §2.4: "A null-terminated C-string". Without its NUL the string could not be
        // re-encoded into the same extension, and a C reader would run past it.
        throw new PfKeyException(
            Errno.EINVAL,
            type.name()
                + " at offset "
                + pos
                + ": identity string of "
                + (end - start)
                + " bytes has no NUL within the extension");
      }
      String s = new String(bytes(start, end - start), StandardCharsets.ISO_8859_1);
      return new IdentityExtension(type, ident.type(), ident.id(), s);
    }

    private SensitivityExtension sensitivity(ExtensionType type, int pos, int elen) {
      need(type, pos, elen, SadbSensFlyweight.ENCODED_LENGTH);
      sens.wrap(buf, base + pos, order);
      int sl = sens.sensLen();
      int il = sens.integLen();
      int expected = SadbSensFlyweight.ENCODED_LENGTH + 8 * (sl + il);
      if (expected != elen) {
        throw new PfKeyException(
            Errno.EINVAL,
            type.name()
                + " at offset "
                + pos
                + ": sens_len="
                + sl
                + " integ_len="
                + il
                + " need "
                + expected
                + " bytes, extension has "
                + elen);
      }
      List<Long> sensBits = new ArrayList<>(sl);
      List<Long> integBits = new ArrayList<>(il);
      for (int i = 0; i < sl; i++) {
        sensBits.add(sens.bitmapWord(i));
      }
      for (int i = 0; i < il; i++) {
        integBits.add(sens.bitmapWord(sl + i));
      }
      return new SensitivityExtension(
          sens.dpd(), sens.sensLevel(), sens.integLevel(), sensBits, integBits);
    }

    private ProposalExtension proposal(ExtensionType type, int pos, int elen) {
      int head = SadbPropFlyweight.ENCODED_LENGTH;
      need(type, pos, elen, head);
      int body = elen - head;
      if (body % SadbCombFlyweight.ENCODED_LENGTH != 0) {
        throw new PfKeyException(
            Errno.EINVAL,
            type.name()
                + " at offset "
                + pos
                + ": "
                + body
                + " bytes after sadb_prop are not a whole number of 72-byte sadb_comb");
      }
      prop.wrap(buf, base + pos, order);
      List<ProposalExtension.Comb> combs = new ArrayList<>();
      for (int c = pos + head; c < pos + elen; c += SadbCombFlyweight.ENCODED_LENGTH) {
        comb.wrap(buf, base + c, order);
        combs.add(
            new ProposalExtension.Comb(
                comb.auth(),
                comb.encrypt(),
                comb.flags(),
                comb.authMinbits(),
                comb.authMaxbits(),
                comb.encryptMinbits(),
                comb.encryptMaxbits(),
                comb.softAllocations(),
                comb.hardAllocations(),
                comb.softBytes(),
                comb.hardBytes(),
                comb.softAddtime(),
                comb.hardAddtime(),
                comb.softUsetime(),
                comb.hardUsetime()));
      }
      return new ProposalExtension(prop.replay(), combs);
    }

    private SupportedExtension supported(ExtensionType type, int pos, int elen) {
      int head = SadbSupportedFlyweight.ENCODED_LENGTH;
      need(type, pos, elen, head);
      supported.wrap(buf, base + pos, order);
      // sadb_alg is 8 bytes, so the rest of a 64-bit aligned extension always holds whole entries.
      List<SupportedExtension.Alg> algs = new ArrayList<>();
      for (int a = pos + head; a < pos + elen; a += SadbAlgFlyweight.ENCODED_LENGTH) {
        alg.wrap(buf, base + a, order);
        algs.add(new SupportedExtension.Alg(alg.id(), alg.ivlen(), alg.minbits(), alg.maxbits()));
      }
      return new SupportedExtension(type, algs);
    }

    private SpiRangeExtension spiRange(ExtensionType type, int pos, int elen) {
      need(type, pos, elen, SadbSpirangeFlyweight.ENCODED_LENGTH);
      spirange.wrap(buf, base + pos, order);
      long min = spirange.min();
      long max = spirange.max();
      if (min > max) {
        // §2.3.9: "The maximum MUST be greater than or equal to the minimum."
        throw new PfKeyException(
            Errno.EINVAL,
            String.format(
                "%s at offset %d: min=0x%08x exceeds max=0x%08x", type.name(), pos, min, max));
      }
      return new SpiRangeExtension(min, max);
    }

    private PolicyExtension policy(ExtensionType type, int pos, int elen) {
      int head = SadbXPolicyFlyweight.ENCODED_LENGTH;
      need(type, pos, elen, head);
      policy.wrap(buf, base + pos, order);
      List<PolicyExtension.IpsecRequest> requests = new ArrayList<>();
      int end = pos + elen;
      int rp = pos + head;
      while (rp < end) {
        int avail = end - rp;
        if (avail < SadbXIpsecrequestFlyweight.ENCODED_LENGTH) {
          throw new PfKeyException(
              Errno.EINVAL,
              type.name()
                  + " at offset "
                  + pos
                  + ": "
                  + avail
                  + " trailing bytes at offset "
                  + rp
                  + " are not a sadb_x_ipsecrequest (expected: 16+)");
        }
        request.wrap(buf, base + rp, order);
        int rlen = request.len();
        if (rlen < SadbXIpsecrequestFlyweight.ENCODED_LENGTH || rlen > avail || rlen % 8 != 0) {
          throw new PfKeyException(
              Errno.EINVAL,
              "sadb_x_ipsecrequest at offset "
                  + rp
                  + ": sadb_x_ipsecrequest_len="
                  + rlen
                  + " (expected: a multiple of 8 from 16 to "
                  + avail
                  + ")");
        }
        SockAddr tsrc = null;
        SockAddr tdst = null;
        int room = rlen - SadbXIpsecrequestFlyweight.ENCODED_LENGTH;
        if (room > 0) {
          String where = "sadb_x_ipsecrequest";
          int sp = rp + SadbXIpsecrequestFlyweight.ENCODED_LENGTH;
          tsrc = sockaddr(sp, room, where, rp);
          int dp = sp + tsrc.sockaddrLength();
          tdst = sockaddr(dp, room - tsrc.sockaddrLength(), where, rp);
          int rest = room - tsrc.sockaddrLength() - tdst.sockaddrLength();
          if (tsrc.family() != tdst.family()) {
            throw new PfKeyException(
                Errno.EINVAL,
                "sadb_x_ipsecrequest at offset "
                    + rp
                    + ": endpoints of different families "
                    + tsrc.family()
                    + " and "
                    + tdst.family());
          }
          if (rest >= 8) {
            throw new PfKeyException(
                Errno.EINVAL,
                "sadb_x_ipsecrequest at offset "
                    + rp
                    + ": "
                    + rest
                    + " bytes after the endpoints (expected: padding of at most 7)");
          }
        }
        requests.add(
            new PolicyExtension.IpsecRequest(
                request.proto(), request.mode(), request.level(), request.reqid(), tsrc, tdst));
        rp += rlen;
      }
      return new PolicyExtension(
          policy.type(), policy.dir(), policy.id(), policy.priority(), requests);
    }

    private void need(ExtensionType type, int pos, int elen, int min) {
      if (elen < min) {
        throw new PfKeyException(
            Errno.EINVAL,
            "truncated extension "
                + type.name()
                + " at offset "
                + pos
                + ": "
                + elen
                + " bytes (expected: "
                + min
                + "+)");
      }
    }

    /** Copies {@code n} bytes at message offset {@code pos}. */
    private byte[] bytes(int pos, int n) {
      byte[] out = new byte[n];
      buf.get(base + pos, out, 0, n);
      return out;
    }
  }

  /** Whether the codec decodes this extension type into its own record. */
  static boolean decodes(ExtensionType type) {
    switch (type) {
      case SADB_EXT_RESERVED:
      case SADB_X_EXT_SEC_CTX:
      case SADB_X_EXT_KMADDRESS:
      case SADB_X_EXT_FILTER:
        return false;
      default:
        return type.value() <= MAX_DECODED_TYPE;
    }
  }

  // =================================================================== encoding

  private final class Encoder {
    private final ByteBuffer buf;
    private final int base;
    private final ByteOrder order = format.byteOrder();

    private final SadbMsgFlyweight msg = new SadbMsgFlyweight();
    private final SadbExtFlyweight ext = new SadbExtFlyweight();
    private final SadbSaFlyweight sa = new SadbSaFlyweight();
    private final SadbLifetimeFlyweight lifetime = new SadbLifetimeFlyweight();
    private final SadbAddressFlyweight address = new SadbAddressFlyweight();
    private final SockaddrFlyweight sockaddr = new SockaddrFlyweight();
    private final SadbKeyFlyweight key = new SadbKeyFlyweight();
    private final SadbIdentFlyweight ident = new SadbIdentFlyweight();
    private final SadbSensFlyweight sens = new SadbSensFlyweight();
    private final SadbPropFlyweight prop = new SadbPropFlyweight();
    private final SadbCombFlyweight comb = new SadbCombFlyweight();
    private final SadbSupportedFlyweight supported = new SadbSupportedFlyweight();
    private final SadbAlgFlyweight alg = new SadbAlgFlyweight();
    private final SadbSpirangeFlyweight spirange = new SadbSpirangeFlyweight();
    private final SadbXKmprivateFlyweight kmprivate = new SadbXKmprivateFlyweight();
    private final SadbXPolicyFlyweight policy = new SadbXPolicyFlyweight();
    private final SadbXIpsecrequestFlyweight request = new SadbXIpsecrequestFlyweight();
    private final SadbXSa2Flyweight sa2 = new SadbXSa2Flyweight();
    private final SadbXNatTTypeFlyweight natType = new SadbXNatTTypeFlyweight();
    private final SadbXNatTPortFlyweight natPort = new SadbXNatTPortFlyweight();
    private final SadbXPrefFlyweight pref = new SadbXPrefFlyweight();
    private final SadbXSaReplayFlyweight saReplay = new SadbXSaReplayFlyweight();

    Encoder(ByteBuffer buf, int base) {
      this.buf = buf;
      this.base = base;
      sockaddr.layout(format.sockaddrLayout());
    }

    void message(SadbMessage m, int bytes) {
      msg.wrap(buf, base, order)
          .version(m.version())
          .type(m.type().value())
          .errno(m.errno())
          .satype(m.satype())
          .len(bytes / 8)
          .reserved(m.reserved())
          .seq(m.seq())
          .pid(m.pid());
      int pos = base + SadbMsgFlyweight.ENCODED_LENGTH;
      for (SadbExtension e : m.extensions()) {
        int elen = e.len() * 8;
        extension(e, pos, elen);
        pos += elen;
      }
    }

    private void extension(SadbExtension e, int at, int elen) {
      int words = elen / 8;
      if (e instanceof SaExtension x) {
        sa.wrap(buf, at, order)
            .len(words)
            .exttype(x.exttype())
            .spi(x.spi())
            .replay(x.replay())
            .state(x.state())
            .auth(x.auth())
            .encrypt(x.encrypt())
            .flags(x.flags());
      } else if (e instanceof LifetimeExtension x) {
        lifetime
            .wrap(buf, at, order)
            .len(words)
            .exttype(x.exttype())
            .allocations(x.allocations())
            .bytes(x.bytes())
            .addtime(x.addtime())
            .usetime(x.usetime());
      } else if (e instanceof AddressExtension x) {
        address
            .wrap(buf, at, order)
            .len(words)
            .exttype(x.exttype())
            .proto(x.proto())
            .prefixlen(x.prefixlen())
            .reserved(0);
        int sp = at + SadbAddressFlyweight.ENCODED_LENGTH;
        sockaddr.wrap(buf, sp, order).set(x.address());
        zero(sp + x.address().sockaddrLength(), at + elen);
      } else if (e instanceof KeyExtension x) {
        key.wrap(buf, at, order).len(words).exttype(x.exttype()).bits(x.bits()).reserved(0);
        int kp = at + SadbKeyFlyweight.ENCODED_LENGTH;
        put(kp, x.key());
        zero(kp + x.keyLength(), at + elen);
      } else if (e instanceof IdentityExtension x) {
        ident
            .wrap(buf, at, order)
            .len(words)
            .exttype(x.exttype())
            .type(x.type())
            .reserved(0)
            .id(x.id());
        byte[] s = x.stringBytes();
        int sp = at + SadbIdentFlyweight.ENCODED_LENGTH;
        put(sp, s);
        zero(sp + s.length, at + elen); // the NUL and the padding
      } else if (e instanceof SensitivityExtension x) {
        sens.wrap(buf, at, order)
            .len(words)
            .exttype(x.exttype())
            .dpd(x.dpd())
            .sensLevel(x.sensLevel())
            .sensLen(x.sensBitmap().size())
            .integLevel(x.integLevel())
            .integLen(x.integBitmap().size())
            .reserved(0);
        int i = 0;
        for (long w : x.sensBitmap()) {
          sens.bitmapWord(i++, w);
        }
        for (long w : x.integBitmap()) {
          sens.bitmapWord(i++, w);
        }
      } else if (e instanceof ProposalExtension x) {
        prop.wrap(buf, at, order)
            .len(words)
            .exttype(x.exttype())
            .replay(x.replay())
            .clearReserved();
        int cp = at + SadbPropFlyweight.ENCODED_LENGTH;
        for (ProposalExtension.Comb c : x.combs()) {
          comb.wrap(buf, cp, order)
              .auth(c.auth())
              .encrypt(c.encrypt())
              .flags(c.flags())
              .authMinbits(c.authMinbits())
              .authMaxbits(c.authMaxbits())
              .encryptMinbits(c.encryptMinbits())
              .encryptMaxbits(c.encryptMaxbits())
              .reserved(0)
              .softAllocations(c.softAllocations())
              .hardAllocations(c.hardAllocations())
              .softBytes(c.softBytes())
              .hardBytes(c.hardBytes())
              .softAddtime(c.softAddtime())
              .hardAddtime(c.hardAddtime())
              .softUsetime(c.softUsetime())
              .hardUsetime(c.hardUsetime());
          cp += SadbCombFlyweight.ENCODED_LENGTH;
        }
      } else if (e instanceof SupportedExtension x) {
        supported.wrap(buf, at, order).len(words).exttype(x.exttype()).reserved(0);
        int ap = at + SadbSupportedFlyweight.ENCODED_LENGTH;
        for (SupportedExtension.Alg a : x.algs()) {
          alg.wrap(buf, ap, order)
              .id(a.id())
              .ivlen(a.ivlen())
              .minbits(a.minbits())
              .maxbits(a.maxbits())
              .reserved(0);
          ap += SadbAlgFlyweight.ENCODED_LENGTH;
        }
      } else if (e instanceof SpiRangeExtension x) {
        spirange
            .wrap(buf, at, order)
            .len(words)
            .exttype(x.exttype())
            .min(x.min())
            .max(x.max())
            .reserved(0);
      } else if (e instanceof KmPrivateExtension x) {
        kmprivate.wrap(buf, at, order).len(words).exttype(x.exttype()).reserved(0);
        put(at + SadbXKmprivateFlyweight.ENCODED_LENGTH, x.data());
      } else if (e instanceof PolicyExtension x) {
        policy
            .wrap(buf, at, order)
            .len(words)
            .exttype(x.exttype())
            .type(x.type())
            .dir(x.dir())
            .reserved(0)
            .id(x.id())
            .priority(x.priority());
        int rp = at + SadbXPolicyFlyweight.ENCODED_LENGTH;
        for (PolicyExtension.IpsecRequest r : x.requests()) {
          int rlen = r.encodedLength();
          request
              .wrap(buf, rp, order)
              .len(rlen)
              .proto(r.proto())
              .mode(r.mode())
              .level(r.level())
              .reserved1(0)
              .reqid(r.reqid())
              .reserved2(0);
          if (r.hasEndpoints()) {
            int sp = rp + SadbXIpsecrequestFlyweight.ENCODED_LENGTH;
            sockaddr.wrap(buf, sp, order).set(r.tunnelSource());
            int dp = sp + r.tunnelSource().sockaddrLength();
            sockaddr.wrap(buf, dp, order).set(r.tunnelDestination());
            zero(dp + r.tunnelDestination().sockaddrLength(), rp + rlen);
          }
          rp += rlen;
        }
      } else if (e instanceof Sa2Extension x) {
        sa2.wrap(buf, at, order)
            .len(words)
            .exttype(x.exttype())
            .mode(x.mode())
            .reserved1(0)
            .reserved2(0)
            .sequence(x.sequence())
            .reqid(x.reqid());
      } else if (e instanceof NatTTypeExtension x) {
        natType.wrap(buf, at, order).len(words).exttype(x.exttype()).type(x.type()).clearReserved();
      } else if (e instanceof NatTPortExtension x) {
        natPort.wrap(buf, at, order).len(words).exttype(x.exttype()).port(x.port()).reserved(0);
      } else if (e instanceof ProposalReferenceExtension x) {
        pref.wrap(buf, at, order).len(words).exttype(x.exttype()).what(x.what());
      } else if (e instanceof SaReplayExtension x) {
        saReplay.wrap(buf, at, order).len(words).exttype(x.exttype()).replay(x.replay());
      } else if (e instanceof UnknownExtension x) {
        ext.wrap(buf, at, order).len(words).type(x.exttype());
        put(at + SadbExtFlyweight.ENCODED_LENGTH, x.body());
      } else if (e instanceof PromiscPayload x) {
        put(at, x.message());
      } else {
        throw new IllegalStateException("unhandled extension " + e.getClass());
      }
    }

    private void put(int at, byte[] bytes) {
      buf.put(at, bytes, 0, bytes.length);
    }

    private void zero(int from, int to) {
      for (int i = from; i < to; i++) {
        buf.put(i, (byte) 0);
      }
    }
  }
}
