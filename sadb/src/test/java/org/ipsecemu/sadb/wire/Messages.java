package org.ipsecemu.sadb.wire;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of valid messages: every extension the codec decodes, in every form. */
final class Messages {
  private Messages() {}

  static Arbitrary<WireFormat> formats() {
    return Combinators.combine(
            Arbitraries.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN),
            Arbitraries.of(SockaddrLayout.class))
        .as(WireFormat::new);
  }

  static Arbitrary<Integer> u8() {
    return Arbitraries.integers().between(0, 0xFF);
  }

  static Arbitrary<Integer> u16() {
    return Arbitraries.integers().between(0, 0xFFFF);
  }

  static Arbitrary<Long> u32() {
    return Arbitraries.longs().between(0, 0xFFFF_FFFFL).edgeCases(c -> c.add(0xFFFF_FFFFL));
  }

  static Arbitrary<Long> u64() {
    return Arbitraries.longs();
  }

  static Arbitrary<byte[]> bytes(int min, int max) {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
  }

  static Arbitrary<SockAddr> sockaddr(AddressFamily family) {
    Arbitrary<Long> scope = family == AddressFamily.AF_INET ? Arbitraries.just(0L) : u32();
    return Combinators.combine(bytes(family.addressLength(), family.addressLength()), u16(), scope)
        .as((a, port, s) -> new SockAddr(family, a, port, s));
  }

  static Arbitrary<AddressExtension> address(ExtensionType kind, AddressFamily family) {
    return Combinators.combine(
            u8(), Arbitraries.integers().between(0, family.addressLength() * 8), sockaddr(family))
        .as((proto, prefix, sa) -> new AddressExtension(kind, proto, prefix, sa));
  }

  static Arbitrary<SadbExtension> extension(ExtensionType kind) {
    return anyExtension(kind).map(e -> (SadbExtension) e);
  }

  private static Arbitrary<? extends SadbExtension> anyExtension(ExtensionType kind) {
    switch (kind) {
      case SADB_EXT_SA:
        return Combinators.combine(u32(), u8(), u8(), u8(), u8(), u32()).as(SaExtension::new);
      case SADB_EXT_LIFETIME_CURRENT:
      case SADB_EXT_LIFETIME_HARD:
      case SADB_EXT_LIFETIME_SOFT:
        return Combinators.combine(u32(), u64(), u64(), u64())
            .as((a, b, c, d) -> new LifetimeExtension(kind, a, b, c, d));
      case SADB_EXT_ADDRESS_PROXY:
      case SADB_X_EXT_NAT_T_OA:
        return Arbitraries.of(AddressFamily.class).flatMap(f -> address(kind, f));
      case SADB_EXT_KEY_AUTH:
      case SADB_EXT_KEY_ENCRYPT:
        return bytes(1, 64)
            .flatMap(
                k ->
                    Arbitraries.integers()
                        .between(k.length * 8 - 7, k.length * 8)
                        .map(bits -> new KeyExtension(kind, bits, k)));
      case SADB_EXT_IDENTITY_SRC:
      case SADB_EXT_IDENTITY_DST:
        return Combinators.combine(
                u16(),
                u64(),
                Arbitraries.strings().withCharRange((char) 1, (char) 0xFF).ofMaxLength(40))
            .as((t, id, s) -> new IdentityExtension(kind, t, id, s));
      case SADB_EXT_SENSITIVITY:
        return Combinators.combine(
                u32(), u8(), u8(), u64().list().ofMaxSize(5), u64().list().ofMaxSize(5))
            .as(SensitivityExtension::new);
      case SADB_EXT_PROPOSAL:
        return Combinators.combine(u8(), comb().list().ofMaxSize(4)).as(ProposalExtension::new);
      case SADB_EXT_SUPPORTED_AUTH:
      case SADB_EXT_SUPPORTED_ENCRYPT:
        return Combinators.combine(u8(), u8(), u16(), u16())
            .as(SupportedExtension.Alg::new)
            .list()
            .ofMaxSize(12)
            .map(algs -> new SupportedExtension(kind, algs));
      case SADB_EXT_SPIRANGE:
        return Combinators.combine(u32(), u32())
            .as((a, b) -> new SpiRangeExtension(Math.min(a, b), Math.max(a, b)));
      case SADB_X_EXT_KMPRIVATE:
        return bytes(0, 40).map(KmPrivateExtension::new);
      case SADB_X_EXT_POLICY:
        return Combinators.combine(u16(), u8(), u32(), u32(), request().list().ofMaxSize(4))
            .as(PolicyExtension::new);
      case SADB_X_EXT_SA2:
        return Combinators.combine(u8(), u32(), u32()).as(Sa2Extension::new);
      case SADB_X_EXT_NAT_T_TYPE:
        return u8().map(NatTTypeExtension::new);
      case SADB_X_EXT_NAT_T_SPORT:
      case SADB_X_EXT_NAT_T_DPORT:
        return u16().map(p -> new NatTPortExtension(kind, p));
      case SADB_X_EXT_PREFERENCE:
        return u32().map(ProposalReferenceExtension::new);
      default:
        throw new IllegalArgumentException(kind.name());
    }
  }

  static Arbitrary<ProposalExtension.Comb> comb() {
    Arbitrary<Integer> u16 = u16();
    return Combinators.combine(
            Combinators.combine(u8(), u8(), u16, u16, u16, u16, u16).as(List::of),
            Combinators.combine(u32(), u32(), u64(), u64(), u64(), u64(), u64(), u64())
                .as(List::of))
        .as(
            (a, b) ->
                new ProposalExtension.Comb(
                    (Integer) a.get(0),
                    (Integer) a.get(1),
                    (Integer) a.get(2),
                    (Integer) a.get(3),
                    (Integer) a.get(4),
                    (Integer) a.get(5),
                    (Integer) a.get(6),
                    (Long) b.get(0),
                    (Long) b.get(1),
                    (Long) b.get(2),
                    (Long) b.get(3),
                    (Long) b.get(4),
                    (Long) b.get(5),
                    (Long) b.get(6),
                    (Long) b.get(7)));
  }

  static Arbitrary<PolicyExtension.IpsecRequest> request() {
    Arbitrary<PolicyExtension.IpsecRequest> bare =
        Combinators.combine(u16(), u8(), u8(), u32())
            .as((p, m, l, r) -> new PolicyExtension.IpsecRequest(p, m, l, r, null, null));
    Arbitrary<PolicyExtension.IpsecRequest> tunnel =
        Arbitraries.of(AddressFamily.class)
            .flatMap(
                f ->
                    Combinators.combine(u16(), u8(), u8(), u32(), sockaddr(f), sockaddr(f))
                        .as(PolicyExtension.IpsecRequest::new));
    return Arbitraries.oneOf(bare, tunnel);
  }

  static Arbitrary<UnknownExtension> unknown() {
    Arbitrary<Integer> type =
        Arbitraries.oneOf(
            Arbitraries.integers().between(24, 239), Arbitraries.integers().between(241, 0xFFFF));
    return Combinators.combine(type, bytes(0, 30)).as(UnknownExtension::new);
  }

  /** Extension types decoded into records, except SRC/DST (chosen together, same family). */
  private static final List<ExtensionType> SINGLE =
      List.of(
          ExtensionType.SADB_EXT_SA,
          ExtensionType.SADB_EXT_LIFETIME_CURRENT,
          ExtensionType.SADB_EXT_LIFETIME_HARD,
          ExtensionType.SADB_EXT_LIFETIME_SOFT,
          ExtensionType.SADB_EXT_ADDRESS_PROXY,
          ExtensionType.SADB_EXT_KEY_AUTH,
          ExtensionType.SADB_EXT_KEY_ENCRYPT,
          ExtensionType.SADB_EXT_IDENTITY_SRC,
          ExtensionType.SADB_EXT_IDENTITY_DST,
          ExtensionType.SADB_EXT_SENSITIVITY,
          ExtensionType.SADB_EXT_PROPOSAL,
          ExtensionType.SADB_EXT_SUPPORTED_AUTH,
          ExtensionType.SADB_EXT_SUPPORTED_ENCRYPT,
          ExtensionType.SADB_EXT_SPIRANGE,
          ExtensionType.SADB_X_EXT_KMPRIVATE,
          ExtensionType.SADB_X_EXT_POLICY,
          ExtensionType.SADB_X_EXT_SA2,
          ExtensionType.SADB_X_EXT_NAT_T_TYPE,
          ExtensionType.SADB_X_EXT_NAT_T_SPORT,
          ExtensionType.SADB_X_EXT_NAT_T_DPORT,
          ExtensionType.SADB_X_EXT_NAT_T_OA,
          ExtensionType.SADB_X_EXT_PREFERENCE);

  /** A list of extensions as a valid message may hold them: each type once, SRC/DST alike. */
  static Arbitrary<List<SadbExtension>> extensions() {
    Arbitrary<List<SadbExtension>> singles =
        Arbitraries.subsetOf(SINGLE)
            .flatMap(
                types -> {
                  List<Arbitrary<SadbExtension>> parts = new ArrayList<>();
                  types.forEach(t -> parts.add(extension(t)));
                  return Combinators.combine(parts)
                      .as(l -> (List<SadbExtension>) new ArrayList<>(l));
                });
    Arbitrary<List<SadbExtension>> endpoints =
        Arbitraries.of(AddressFamily.class)
            .flatMap(
                f ->
                    Arbitraries.oneOf(
                        Arbitraries.just(List.<SadbExtension>of()),
                        address(ExtensionType.SADB_EXT_ADDRESS_SRC, f).map(List::<SadbExtension>of),
                        address(ExtensionType.SADB_EXT_ADDRESS_DST, f).map(List::<SadbExtension>of),
                        Combinators.combine(
                                address(ExtensionType.SADB_EXT_ADDRESS_SRC, f),
                                address(ExtensionType.SADB_EXT_ADDRESS_DST, f))
                            .as(List::<SadbExtension>of)));
    Arbitrary<List<UnknownExtension>> unknowns = unknown().list().ofMaxSize(2);
    return Combinators.combine(singles, endpoints, unknowns, Arbitraries.randoms())
        .as(
            (s, e, u, random) -> {
              List<SadbExtension> all = new ArrayList<>(s);
              all.addAll(e);
              all.addAll(u);
              Collections.shuffle(all, random);
              return all;
            });
  }

  /** Valid messages of every type; SADB_X_PROMISC either bare or carrying a payload. */
  static Arbitrary<SadbMessage> messages() {
    Arbitrary<MessageType> types =
        Arbitraries.of(MessageType.class)
            .filter(t -> t != MessageType.SADB_RESERVED && t != MessageType.SADB_X_PROMISC);
    Arbitrary<SadbMessage> ordinary =
        Combinators.combine(types, u8(), u8(), u16(), u32(), u32(), extensions())
            .as(
                (t, errno, satype, reserved, seq, pid, ext) ->
                    new SadbMessage(2, t, errno, satype, reserved, seq, pid, ext));
    Arbitrary<SadbMessage> promisc =
        Combinators.combine(
                u8(),
                u32(),
                u32(),
                Arbitraries.oneOf(
                    Arbitraries.just(List.<SadbExtension>of()),
                    bytes(1, 64).map(b -> List.<SadbExtension>of(new PromiscPayload(b)))))
            .as(
                (satype, seq, pid, ext) ->
                    new SadbMessage(2, MessageType.SADB_X_PROMISC, 0, satype, 0, seq, pid, ext));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(9, ordinary), net.jqwik.api.Tuple.of(1, promisc));
  }
}
