/**
 * Anti-replay (RFC 4303 §3.4.3, RFC 4302 §3.4.3): the sliding receive {@link
 * org.ipsecemu.datapath.replay.ReplayWindow} over 64-bit sequence numbers, its {@link
 * org.ipsecemu.datapath.replay.ReplayCheck} outcomes, and the inference of the unsent high 32 bits
 * of an extended sequence number (RFC 4303 Appendix A3).
 */
package org.ipsecemu.datapath.replay;
