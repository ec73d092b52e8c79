/**
 * AH wire structures (RFC 4302): the {@link org.ipsecemu.datapath.ah.AhHeader} view, and {@link
 * org.ipsecemu.datapath.ah.AhIcvInput}, which feeds a MAC the packet as RFC 4302 §3.3.3 says the
 * ICV covers it: IP header fields and options that may change in transit zeroed (IPv4 options
 * classified per Appendix A.1, IPv6 options by their "may change" bit), the routing header and
 * destination address as they will appear at the final destination, and the ICV field zeroed.
 *
 * <p>Only the view and the ICV input live here for now; AH processing is built on them.
 */
package org.ipsecemu.datapath.ah;
