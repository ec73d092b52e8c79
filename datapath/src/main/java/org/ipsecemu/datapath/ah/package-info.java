/**
 * AH (RFC 4302, packets compatible with RFC 2402): the {@link org.ipsecemu.datapath.ah.AhHeader}
 * view; {@link org.ipsecemu.datapath.ah.AhIcvInput}, which feeds a MAC the packet as RFC 4302
 * §3.3.3 says the ICV covers it: IP header fields and options that may change in transit zeroed
 * (IPv4 options classified per Appendix A.1, IPv6 options by their "may change" bit), the routing
 * header and destination address as they will appear at the final destination, and the ICV field
 * zeroed; and {@link org.ipsecemu.datapath.ah.AhProcessor}, the per-packet processing of both
 * directions (§3.3, §3.4) in place in the packet's buffer.
 */
package org.ipsecemu.datapath.ah;
