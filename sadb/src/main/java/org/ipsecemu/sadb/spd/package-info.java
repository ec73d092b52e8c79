/**
 * The Security Policy Database (RFC 4301 §4.4.1): flows, selectors, policies with their IPsec
 * requests, and the lookup that outbound {@code getassocbysocket} and inbound policy checks use.
 *
 * <p>The Key Engine changes it when it processes the SADB_X_SPD* messages (Linux and KAME numbers;
 * see {@code org.ipsecemu.sadb.wire}); everyone else reads it. The enums here ({@link
 * org.ipsecemu.sadb.spd.PolicyDirection}, {@link org.ipsecemu.sadb.spd.PolicyAction}, {@link
 * org.ipsecemu.sadb.spd.IpsecMode}, {@link org.ipsecemu.sadb.spd.IpsecLevel}, {@link
 * org.ipsecemu.sadb.spd.IpsecProtocol}) are the domain's view of {@code ipsec.h}'s numbers, for the
 * datapath, which never needs the wire package. Lookups are lock-free and allocation-free; the
 * order is Linux's: lower priority value first, then the order of insertion.
 */
package org.ipsecemu.sadb.spd;
