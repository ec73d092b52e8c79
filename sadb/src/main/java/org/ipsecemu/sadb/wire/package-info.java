/**
 * The PF_KEY v2 wire format (RFC 2367): constants, the immutable message model, flyweights over the
 * wire structures, and the codec between them.
 *
 * <h2>What is here</h2>
 *
 * <ul>
 *   <li>Constants enums carrying the RFC's numbers and symbolic names: {@link
 *       org.ipsecemu.sadb.wire.MessageType}, {@link org.ipsecemu.sadb.wire.ExtensionType}, {@link
 *       org.ipsecemu.sadb.wire.SaType}, {@link org.ipsecemu.sadb.wire.SaState}, {@link
 *       org.ipsecemu.sadb.wire.AuthAlgorithm}, {@link org.ipsecemu.sadb.wire.EncryptAlgorithm},
 *       {@link org.ipsecemu.sadb.wire.CompressionAlgorithm}, {@link
 *       org.ipsecemu.sadb.wire.IdentityType}, {@link org.ipsecemu.sadb.wire.SaFlag}, and the
 *       Linux/KAME policy values ({@link org.ipsecemu.sadb.wire.PolicyType}, {@link
 *       org.ipsecemu.sadb.wire.PolicyDirection}, {@link org.ipsecemu.sadb.wire.IpsecMode}, {@link
 *       org.ipsecemu.sadb.wire.IpsecLevel}). Fields that may hold numbers these enums do not name
 *       are kept as {@code int} in the model; each enum's {@code symbolOf(int)} prints them, as
 *       {@code UNKNOWN(200)} when unnamed, and {@code parse(String)} reads either form back.
 *   <li>{@link org.ipsecemu.sadb.wire.Errno} and {@link org.ipsecemu.sadb.wire.PfKeyException}: the
 *       one error type of the control plane.
 *   <li>The model: {@link org.ipsecemu.sadb.wire.SadbMessage} and one record per extension under
 *       the sealed {@link org.ipsecemu.sadb.wire.SadbExtension}.
 *   <li>{@link org.ipsecemu.sadb.wire.WireFormat}: byte order and sockaddr layout (default: x86
 *       Linux, little-endian, no {@code sa_len}).
 *   <li>Flyweights, one per wire structure ({@code Sadb…Flyweight}, {@link
 *       org.ipsecemu.sadb.wire.SockaddrFlyweight}): views over a {@code ByteBuffer} at an offset,
 *       the RFC's struct in their Javadoc, fields read and written in place.
 *   <li>{@link org.ipsecemu.sadb.wire.PfKeyCodec}: bytes to model with every check the RFC requires
 *       (reporting its errno), model to bytes.
 * </ul>
 *
 * <h2>Numbers chosen here</h2>
 *
 * The Arkko draft (draft-arkko-pfkey-reference-00) defines SADB_X_QUERY and the Proposal Reference
 * extension without numbers. This package gives both the value 240 ({@link
 * org.ipsecemu.sadb.wire.MessageType#SADB_X_QUERY}, {@link
 * org.ipsecemu.sadb.wire.ExtensionType#SADB_X_EXT_PREFERENCE}): the headers of Linux, FreeBSD,
 * NetBSD, OpenBSD and illumos allocate both name spaces upward from small numbers and reach at most
 * 24 (message types; 30 with HIP patches) and 40 (extension types, OpenBSD), so 240 collides with
 * none of them and fits the 8-bit message type field.
 *
 * <h2>Choices where the RFC is silent</h2>
 *
 * <ul>
 *   <li>The security-policy messages and extensions use Linux's numbers and Linux's {@code struct
 *       sadb_x_policy} (last word = priority) and 16-byte {@code struct sadb_x_ipsecrequest}, whose
 *       length counts bytes and whose optional endpoints are two sockaddrs padded together.
 *   <li>Reserved fields are written as zero and not kept, except {@code sadb_msg_reserved}, which
 *       Linux uses. So are {@code sin_zero} and {@code sin6_flowinfo}, which §2.3.3 requires to be
 *       zero; the IPv6 scope id is kept.
 *   <li>A sockaddr of a family other than AF_INET and AF_INET6 is rejected with EINVAL, as Linux
 *       does ({@code verify_address_len}).
 *   <li>Padding after variable-length data (key, identity string, sockaddr) and bytes beyond a
 *       fixed-size structure are accepted and dropped, as Linux does; arrays of fixed-size entries
 *       (combinations, algorithms, bitmaps, IPsec requests) must fill their extension exactly. The
 *       model is therefore canonical: encoding a decoded message gives the canonical bytes, which
 *       equal the input whenever the input was canonical.
 *   <li>Extensions the codec does not decode are not checked for duplicates (§2.3 says to ignore
 *       them), and keep their order among the others.
 *   <li>The data form of SADB_X_PROMISC (a whole message after the header) is kept raw as {@link
 *       org.ipsecemu.sadb.wire.PromiscPayload}, unchecked, as Appendix A prescribes.
 *   <li>Identity strings are read up to their NUL as ISO-8859-1, so every byte survives.
 * </ul>
 */
package org.ipsecemu.sadb.wire;
