/**
 * Flyweight views over raw IP packets held in a {@code byte[]}, and the packet-level helpers the
 * ESP/AH pipeline needs: {@link org.ipsecemu.datapath.packet.Ipv4Header} (with options), {@link
 * org.ipsecemu.datapath.packet.Ipv6Header}, the {@link
 * org.ipsecemu.datapath.packet.Ipv6ExtensionWalker} that finds ESP/AH behind IPv6 extension
 * headers, {@link org.ipsecemu.datapath.packet.IpPacket} (either version, parsed once), the RFC
 * 1071 Internet {@link org.ipsecemu.datapath.packet.Checksum}, flow selector extraction ({@link
 * org.ipsecemu.datapath.packet.FlowExtractor}), tunnel-mode outer headers ({@link
 * org.ipsecemu.datapath.packet.OuterHeaderWriter}, {@link org.ipsecemu.datapath.packet.Ecn}) and
 * transport-mode header rewriting ({@link org.ipsecemu.datapath.packet.TransportMode}).
 *
 * <p>Conventions held throughout the package:
 *
 * <ul>
 *   <li>One buffer type: {@code byte[]} with an offset, so that ciphers can work in place. Every
 *       offset a view returns is an absolute index into that array, never one relative to the
 *       packet start.
 *   <li>All IP fields are big-endian (network order); every access goes through {@link
 *       org.ipsecemu.datapath.packet.BigEndian}, which names the order.
 *   <li>Nothing on the per-packet path allocates: views are reused with {@code wrap}, results are
 *       written into caller-owned objects.
 *   <li>A bad packet never raises an exception: parsing returns a {@link
 *       org.ipsecemu.datapath.packet.ParseResult} that names the defect, for the pipeline to count
 *       as a drop reason.
 *   <li>Views and walkers are mutable and not thread-safe: one instance per thread (or per SA).
 * </ul>
 */
package org.ipsecemu.datapath.packet;
