/**
 * ESP (RFC 4303, packets compatible with RFC 2406): the wire views, {@link
 * org.ipsecemu.datapath.esp.EspHeader} (SPI, sequence number, IV and ICV positions) and {@link
 * org.ipsecemu.datapath.esp.EspTrailer} (padding, pad length, next header, with the default 1, 2,
 * 3, ... padding of §2.4), and the per-packet processing of both directions, {@link
 * org.ipsecemu.datapath.esp.EspProcessor}: inbound §3.4 (replay check, ICV, decryption, padding,
 * window update, transport or tunnel decapsulation), outbound §3.3 (encapsulation, sequence number,
 * padding, IV, encryption, ICV), in place in the packet's buffer.
 */
package org.ipsecemu.datapath.esp;
