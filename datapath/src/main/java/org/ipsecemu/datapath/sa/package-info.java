/**
 * The datapath's per-SA state and the verdicts: {@link org.ipsecemu.datapath.sa.SaContext},
 * attached to each Key Engine SA on its first packet, holds one {@link
 * org.ipsecemu.datapath.sa.SaContext.Side} per direction (the transforms, built once from the SA's
 * keys and reused for every packet; the anti-replay window inbound; the sequence counter and tunnel
 * header outbound; a lock that serialises that direction's packets) and the SA's {@link
 * org.ipsecemu.datapath.sa.SaCounters}; {@link org.ipsecemu.datapath.sa.Verdict} and {@link
 * org.ipsecemu.datapath.sa.OutboundVerdict} name how each packet ended.
 *
 * <p>ESP and AH processing ({@code org.ipsecemu.datapath.esp}, {@code org.ipsecemu.datapath.ah})
 * and the pipeline ({@code org.ipsecemu.datapath.pipeline}) all build on this package, which is why
 * the verdicts live here rather than in the pipeline.
 */
package org.ipsecemu.datapath.sa;
