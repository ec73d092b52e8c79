/**
 * The Security Policy Database (RFC 4301 §4.4.1): flows, selectors, policies with their IPsec
 * requests, and the lookup that outbound {@code getassocbysocket} and inbound policy checks use.
 */
package org.ipsecemu.sadb.spd;
