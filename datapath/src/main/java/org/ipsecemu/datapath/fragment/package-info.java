/**
 * IP fragments around IPsec: {@link org.ipsecemu.datapath.fragment.Reassembler} puts received
 * fragments back together before ESP/AH processing (RFC 4303 §3.4.1, RFC 4302 §3.4.1), with every
 * resource bounded and every outcome counted ({@link org.ipsecemu.datapath.fragment.FragmentEvent},
 * {@link org.ipsecemu.datapath.fragment.ReassemblyStats}); {@link
 * org.ipsecemu.datapath.fragment.Fragmenter} cuts a protected packet larger than the MTU into
 * fragments after ESP/AH processing (RFC 4303 §3.3.5).
 *
 * <p>Both work on raw IP packets (IPv4 and IPv6) and leave link layers to the caller: a capture
 * replay offers every received packet to the reassembler before the pipeline, and gives every sent
 * packet to the fragmenter after it. Time is the caller's (capture timestamps), never the wall
 * clock. The choices where RFCs and stacks differ are written in each class.
 */
package org.ipsecemu.datapath.fragment;
