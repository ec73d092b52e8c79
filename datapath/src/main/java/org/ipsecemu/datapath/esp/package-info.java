/**
 * ESP wire structures (RFC 4303 §2): the {@link org.ipsecemu.datapath.esp.EspHeader} view (SPI,
 * sequence number, IV and ICV positions) and the {@link org.ipsecemu.datapath.esp.EspTrailer} view
 * (padding, pad length, next header, with the default 1, 2, 3, ... padding of §2.4).
 *
 * <p>Only the views live here for now; ESP processing (inbound and outbound) is built on them.
 */
package org.ipsecemu.datapath.esp;
