/**
 * NAT traversal: ESP in UDP (RFC 3948) as the pipeline uses it, {@link
 * org.ipsecemu.datapath.natt.EspInUdp} (classify a UDP datagram on the NAT-T port, take the UDP
 * header off, put one on, fix transport-mode checksums) and {@link
 * org.ipsecemu.datapath.natt.UdpPayload} (what such a datagram carries). SAs declare their
 * encapsulation with Linux's NAT-T PF_KEY extensions ({@code
 * org.ipsecemu.sadb.engine.UdpEncapsulation}).
 */
package org.ipsecemu.datapath.natt;
