/**
 * The ESP/AH packet pipeline on the Key Engine: {@link org.ipsecemu.datapath.pipeline.Datapath}
 * takes raw IP packets in and gives raw IP packets out, with a verdict for every packet; {@link
 * org.ipsecemu.datapath.pipeline.PacketContext} is one thread's reusable working state and result;
 * {@link org.ipsecemu.datapath.pipeline.DatapathStats} the counters at one moment.
 *
 * <h2>Using it</h2>
 *
 * <pre>{@code
 * Datapath dp = Datapath.create(engine);          // or builder(engine).transforms(deterministic(seed))
 * PacketContext ctx = dp.newContext();            // one per thread, reused for every packet
 * Verdict v = dp.inbound(frame, ipOffset, ipLength, ctx);   // in place in frame
 * if (ctx.hasOutput()) deliver(ctx.buffer(), ctx.offset(), ctx.length());
 * OutboundVerdict o = dp.outbound(pkt, 0, pkt.length, ctx); // result in ctx.workBuffer()
 * if (o.isSent()) send(ctx.buffer(), ctx.offset(), ctx.length());
 * dp.releasePending(ctx, this::send);             // after key management acted, or as time passes
 * }</pre>
 *
 * Link layers are the caller's business (pcap replay strips and rebuilds them).
 *
 * <h2>Inbound</h2>
 *
 * For each ESP or AH header (IPv4 after its options, IPv6 after hop-by-hop, routing, destination
 * options and an atomic fragment header): {@code getassocbyspi(destination, SPI, protocol)} (RFC
 * 2367 §1.2; the McDonald–Phan–Atkinson paper's kernel interface), which only returns a MATURE or
 * DYING SA; then ESP or AH processing under the SA ({@code org.ipsecemu.datapath.esp}, {@code
 * org.ipsecemu.datapath.ah}), in this order: lengths, anti-replay check (RFC 4303 §3.4.3), ICV in
 * constant time, decryption, padding (length and the default 1, 2, 3, ... contents, §2.4), and only
 * then the window update; transport-mode headers are peeled in turn (an AH+ESP bundle), tunnel mode
 * yields the inner packet. Last, the inbound policy check ({@code KeyEngine.inboundAllowed}) on the
 * final packet's flow with every SA used: a policy that requires IPsec refuses a packet without it,
 * and an SA whose selectors do not match the packet refuses it. Verdicts ({@link
 * org.ipsecemu.datapath.sa.Verdict}): {@code ok no_sa auth_failed replay malformed pad_error
 * expired policy}.
 *
 * <h2>Outbound</h2>
 *
 * Flow selectors ({@code FlowExtractor}), then {@code getassocbysocket(flow)}: BYPASS sends the
 * packet unchanged, DISCARD drops it ({@code policy}), PENDING (an SADB_ACQUIRE went to key
 * management, RFC 2367 §3.1.6) queues it, NO_KEY_MANAGER and ACQUIRE_FAILED drop it ({@code
 * no_sa}), PROTECT applies the SA bundle innermost first. Sequence numbers start at 1 per SA; the
 * packet that would need 2^32 is dropped as {@code expired} (§3.3.3). CBC IVs come fresh per packet
 * from the SA's generator (AES-CTR keystream: unpredictable, or reproducible with {@code
 * TransformFactory.deterministic(seed)}); GCM IVs from a counter. Padding is the minimum that
 * aligns to the cipher block and to 4 bytes, with the default contents. A packet whose policy
 * requires IPsec never leaves in the clear: every failure drops it.
 *
 * <h2>Lifetimes: which bytes count</h2>
 *
 * Every packet an SA processes is charged to its CURRENT lifetime through {@code
 * SecurityAssociation.charge(n)}, which also sets the CURRENT usetime on first use and, through the
 * engine, sends SADB_EXPIRE when a SOFT or HARD limit is reached (RFC 2367 §2.3.2, §3.1.8). {@code
 * n} is what Linux's xfrm adds to {@code x->curlft.bytes}: {@code skb->len} after {@code
 * x->outer_mode->output} on output ({@code xfrm_output_one}) and after {@code x->type->input} on
 * input ({@code xfrm_input}), which is the same both ways: <b>the payload the SA protects</b>,
 *
 * <ul>
 *   <li>tunnel mode: the inner IP packet, whole (with any TFC padding inbound);
 *   <li>transport mode: the bytes after the IP header and the extension headers that stay in front
 *       of ESP/AH (for an outer SA of a bundle, the inner SA's whole ESP or AH packet);
 *   <li>never the outer or moved IP header, the ESP header, IV, padding, trailer or ICV, nor the AH
 *       header.
 * </ul>
 *
 * Outbound the charge is made before the packet is built (a packet refused by a HARD limit sends
 * nothing and consumes no sequence number); inbound, once the packet verified. A packet that finds
 * its SA past its HARD limit is dropped as {@code expired}; so is a packet that arrives after the
 * engine removed the SA for that reason (the datapath remembers the last {@code expiredMemory}
 * expired SAs, default 256).
 *
 * <h2>Threads and allocation</h2>
 *
 * One {@link org.ipsecemu.datapath.pipeline.Datapath} serves every thread; each thread has its own
 * {@link org.ipsecemu.datapath.pipeline.PacketContext}. Packets of one SA and direction are
 * serialised by that SA's lock (as a kernel holds {@code x->lock}), so replay windows, sequence
 * numbers and counters stay exact; different SAs run in parallel. In steady state the pipeline
 * allocates nothing per packet: lookups, views, the per-SA transforms and the counters are all
 * reused; what the crypto providers themselves allocate is recorded in {@code
 * org.ipsecemu.datapath.crypto}.
 *
 * <h2>Measured</h2>
 *
 * {@code bench/}'s {@code PipelineBench} (JMH, {@code -prof gc}) measures a whole packet each way,
 * counters included; {@code bench/README.md} has the figures, each ESP and AH one against the bare
 * cipher and MAC, and the bytes allocated per packet. The pipeline itself allocates nothing ({@code
 * AllocationTest} holds ESP with AES-CBC/HMAC-SHA1 and AH with HMAC-SHA1 below one byte per
 * packet); AES-GCM allocates inside the JDK's {@code Cipher.init} (see {@code
 * org.ipsecemu.datapath.crypto}).
 *
 * <h2>Choices where the RFCs leave room (as Linux does, unless said)</h2>
 *
 * <ul>
 *   <li>SA lookup uses destination, SPI and protocol only (RFC 4301 §4.1, Linux): a packet from an
 *       unexpected source with a known SPI fails its ICV rather than finding no SA.
 *   <li>ICV before alignment: a ciphertext that is not a whole number of blocks is {@code
 *       malformed} only once the ICV verified, so every forgery reports {@code auth_failed}.
 *   <li>The anti-replay window is {@code sadb_sa_replay} packets (Linux PF_KEY; 0 disables it) and
 *       applies with or without integrity, as Linux; it moves only for packets that pass every
 *       check of ESP or AH processing. Sequence numbers are 32-bit unless the SA has extended
 *       sequence numbers (the BSD flag SADB_X_SAFLAGS_ESN, {@code setkey -esn}, {@code ip xfrm ...
 *       flag esn}): then 64-bit, the high half inferred by RFC 4303 Appendix A3 and covered by the
 *       ICV.
 *   <li>SA mode {@code any} (no SADB_X_EXT_SA2, {@code setkey} without {@code -m}) is transport
 *       mode, as on Linux ({@code pfkey_mode_to_xfrm}) and as the Key Engine's outbound lookup
 *       serves it; a tunnel packet under such an SA comes out as the IP-in-IP packet it then is.
 *   <li>After a tunnel, an inner packet that is itself ESP or AH for an SA of this engine is
 *       processed too (nested tunnels, as Linux reprocesses the reinjected packet); one for no SA
 *       here is delivered as it is, being for another host. Up to {@link
 *       org.ipsecemu.datapath.pipeline.Datapath#MAX_DEPTH} SAs per packet.
 *   <li>IP fragments are not reassembled here (RFC 4303 §3.4.1 requires it before ESP/AH): the
 *       caller does it ({@code org.ipsecemu.datapath.fragment.Reassembler}; replay does it on the
 *       capture's clock); an ESP or AH fragment reaching the pipeline is {@code malformed}.
 *       Transport mode does not protect a fragment outbound; fragmenting after IPsec is the
 *       caller's too ({@code Fragmenter}, replay's {@code --mtu}).
 *   <li>ESP in UDP (RFC 3948, {@code org.ipsecemu.datapath.natt}): UDP to or from port 4500, or on
 *       the ports an SA's NAT-T extensions declare, is taken off its UDP header and processed as
 *       ESP; IKE (the zero non-ESP marker) and NAT-keepalives (one 0xFF byte) are accepted
 *       untouched with no SA ({@code PacketContext.natTraversal()} says which). By default an ESP
 *       packet must come the way its SA says (in UDP or not), as Linux's {@code xfrm_input} wants;
 *       {@code strictUdpEncapsulation(false)} (replay) takes both. After transport-mode ESP in UDP,
 *       TCP and UDP checksums are fixed as RFC 3948 §3.1.2 says. Outbound, an SA with NAT-T
 *       extensions sends its ESP in UDP with checksum zero (IPv4).
 *   <li>IPComp (RFC 3173, {@code org.ipsecemu.datapath.ipcomp}): found by its CPI (the SPI of an
 *       SADB_X_SATYPE_IPCOMP SA), inflated with a hard output cap ({@code ipcompMaxDecompressed},
 *       default 65535: a small packet cannot make the emulator write more); a tunnel-mode ESP SA
 *       whose payload is IPComp hands the packet on to the IPComp SA, as Openswan KLIPS and Linux
 *       send "ESP, IPComp, inner packet". Outbound, compressed only when that saves bytes (§2.2).
 *   <li>Nesting: every ESP, AH or IPComp layer for an SA of this engine is undone in turn (AH over
 *       ESP, ESP in ESP, ESP carrying IPComp), each counted on its own SA, up to {@link
 *       org.ipsecemu.datapath.pipeline.Datapath#MAX_DEPTH} layers; a packet with more is {@code
 *       malformed}, counted on the SA of the first layer past the limit.
 *   <li>The outer IPv4 header checksum is not checked (Linux's {@code ip_rcv} does, before IPsec):
 *       a capture of a host's own packets carries whatever checksum offload left there (the ipdecap
 *       captures of Linux and racoon do), and replaying such captures is a main use.
 *   <li>The padding contents are checked (RFC 4303 §2.4 SHOULD; Linux does not), so a packet with
 *       non-default padding is {@code pad_error}. An ESP dummy packet (Next Header 59, §2.6) is
 *       {@code ok} and delivers nothing.
 *   <li>Inbound tunnel mode carries a CE mark of the outer header in (RFC 6040); outbound the outer
 *       header copies DSCP and ECN, DF from an IPv4 inner packet, the flow label from an IPv6 inner
 *       packet, and gets TTL 64 ({@code OuterHeaderWriter}).
 *   <li>Pending packets wait at most 100 per flow (Linux's {@code XFRM_MAX_QUEUE_LEN}), 1024 flows,
 *       60 s on the engine's clock (Linux's {@code XFRM_QUEUE_TMO_MAX}); they leave through {@code
 *       releasePending}, which runs them through outbound again once the flow is no longer PENDING.
 *   <li>Counters: a packet counts once in the totals; per SA, a packet counts on each SA it went
 *       through with its final verdict, or only on the SA that dropped it.
 * </ul>
 */
package org.ipsecemu.datapath.pipeline;
