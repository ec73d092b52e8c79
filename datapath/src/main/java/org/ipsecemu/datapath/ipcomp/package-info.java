/**
 * IP payload compression (IPComp, RFC 3173) with DEFLATE (RFC 2394): {@link
 * org.ipsecemu.datapath.ipcomp.IpcompProcessor}, inbound decompression with a hard cap on what a
 * packet may inflate to, outbound compression when it saves bytes. SAs are of type
 * SADB_X_SATYPE_IPCOMP (9) with their CPI in the SPI field, as Linux and KAME number them.
 */
package org.ipsecemu.datapath.ipcomp;
