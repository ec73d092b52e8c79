/**
 * Capture replay, the tool's main job: a pcap or pcapng capture through the ESP/AH datapath and a
 * fresh Key Engine, decrypted or encrypted captures out. {@link
 * org.ipsecemu.datapath.capture.KeyFileSet} reads the key files, {@link
 * org.ipsecemu.datapath.capture.CaptureReplay} replays, {@link
 * org.ipsecemu.datapath.capture.ReplayReport} counts (statistics JSON and a summary table).
 *
 * <h2>What happens to each frame</h2>
 *
 * <ul>
 *   <li>A frame without an IP packet (ARP, ...) is written unchanged.
 *   <li>IP fragments (directions {@code auto} and {@code in}) are reassembled first, as RFC 4303
 *       §3.4.1 asks, on the capture's clock ({@code org.ipsecemu.datapath.fragment.Reassembler}:
 *       Linux's bounds and timeouts, RFC 5722 overlaps dropped): a fragment is written nowhere, and
 *       the datagram takes the frame of the fragment that completed it (as tshark shows it); what
 *       was never completed is counted {@code reassembly.pending_at_end}.
 *   <li>Direction {@code auto}: a packet whose first header past IP (IPv6: past the extension
 *       headers) is ESP, AH or IPComp goes inbound, and so does UDP to or from port 4500 or on the
 *       NAT-T ports an SA declares (ESP in UDP, IKE, NAT-keepalives: RFC 3948), any other outbound.
 *       {@code in} / {@code out} send every IP packet one way. The replay's datapath takes ESP in
 *       UDP for any SA, declared so by the key file or not ({@code strictUdpEncapsulation(false)}):
 *       key files seldom say it, and Wireshark's {@code esp_sa} cannot. IKE and keepalives are
 *       written unchanged.
 *   <li>Inbound ({@code Datapath.inbound}): accepted packets are replaced by their decapsulated
 *       form (transport: the rebuilt IP packet; tunnel: the inner packet) in a frame rebuilt around
 *       it ({@code LinkLayer.rebuild}); a packet that came in the clear and that policy allows is
 *       written unchanged; dropped packets are left out, or written unchanged with {@code
 *       --keep-dropped}; an ESP dummy packet (next header 59) is accepted and leaves nothing.
 *   <li>Outbound ({@code Datapath.outbound}): protected packets are replaced by their ESP/AH form,
 *       bypassed ones (a {@code none} policy, or no policy) written unchanged, discarded and
 *       dropped ones left out (unchanged with {@code --keep-dropped}).
 *   <li>A packet that needs an SA nobody keyed makes the Key Engine send SADB_ACQUIRE to the
 *       replay's own key manager socket (registered for ESP and AH, as racoon would be), which
 *       never answers: the datapath holds the packet; it is dropped after 60 s of capture time
 *       (Linux's {@code XFRM_QUEUE_TMO_MAX}) or at the end of the capture. A user sees it counted
 *       under {@code outbound.acquire}, {@code outbound.queued} and {@code outbound.dropped}
 *       ({@code queue_timeout} or {@code pending_at_end} in {@code outbound_dropped}), and the
 *       ACQUIRE under {@code pfkey.acquire}; the packet is not in the output (with {@code
 *       --keep-dropped} it is written unchanged where it was). Should an SA arrive (it cannot in a
 *       replay), the held packets would be written after the packet whose processing let them go.
 *   <li>A packet cut short by the capture's snapshot length is processed inbound (where it fails
 *       its checks) but, having no whole payload to protect, is written unchanged outbound and
 *       counted as {@code truncated}.
 * </ul>
 *
 * <p>The output has the input's link type and timestamps (see {@code org.ipsecemu.datapath.pcap}
 * for how frames are rebuilt) and the input's order.
 *
 * <h2>Keys and time</h2>
 *
 * The key files are read and parsed before the capture is opened, so a bad line stops the replay
 * before it starts, with its file and line. They are installed through a PF_KEY socket at the
 * capture's first packet: the engine's clock then follows the capture's timestamps (never going
 * back; a frame stamped earlier than the one before it is taken at the later time), and the timers
 * due on the way run at their own time, so lifetimes in seconds expire as they would have during
 * the capture. DES and 3DES keys are accepted whatever their parity bits, as Linux accepts them
 * (the ipdecap captures' key files have such keys); {@code desParityCheck(true)} ({@code
 * --des-parity}) refuses them as RFC 2367 §3.1.2 suggests. Wireshark's {@code esp_sa} table names
 * no mode, so its SAs have mode {@code any}, which Linux and the datapath treat as transport: a
 * tunnel-mode packet under such an SA comes out as the IP-in-IP packet it then is.
 *
 * <h2>Threads</h2>
 *
 * With one thread the reading thread does everything, packet after packet: advance the clock to the
 * packet's time, process it, let the pending queues go on, write. With N workers the reading thread
 * classifies each packet, finds the SAs it will touch (inbound: the SA of its first ESP or AH
 * header, and the ESP SA behind an AH header; outbound: the SA bundle the policy gives, or the
 * queue of packets waiting for an SA) and hands it to the worker that owns those SAs (new SAs are
 * dealt to the workers in turn); a packet touching no SA goes to any worker. Each worker processes
 * its packets in order with its own context, so every SA sees its packets in input order; a ring of
 * slots puts the results back in input order for writing (a reorder buffer of {@value
 * org.ipsecemu.datapath.capture.CaptureReplay#RING_PER_WORKER} frames per worker: memory stays
 * constant whatever the capture's size). With workers, the output file is written by a thread of
 * its own, which the reading thread hands the results to in input order: writing a frame (libpcap's
 * {@code pcap_dump}, the file system) costs about as much as decrypting it, and left on the reading
 * thread it made that thread the bottleneck, so that two workers gave no gain on two cores.
 *
 * <p>The result is that of one thread: every packet reads its own capture time from the engine's
 * clock ({@code ReplayClock}), and a packet waits for everything before it to finish (then runs on
 * the reading thread) when a Key Engine timer is due by its time, when a held packet's wait ends by
 * then, when the packets in flight span more than the shortest time in which processing could make
 * a timer due (the shortest usetime lifetime, the ACQUIRE and queue timeouts), when its SAs belong
 * to several workers (they are then given to one), or, if some SA has an allocation limit, for
 * every outbound packet. With deterministic IVs ({@code --seed}) the output is byte for byte that
 * of one thread. What the reading thread cannot see is an SA reached only inside another SA's
 * decrypted payload (a tunnel nested in a tunnel): its packets keep their order as long as they
 * come through one outer SA, as they do between two gateways.
 *
 * <h2>Measured</h2>
 *
 * On the shared 2-core build machine (JDK 17, load average 2 to 7, so read the figures as rough):
 *
 * <ul>
 *   <li>1,000,000 ESP packets with random SPIs nobody knows (a 122 MB pcap): 6.9 s with {@code
 *       -Xmx48m} (about 145,000 packets/s), 110 MB resident at most, alike with one and two
 *       threads: memory does not grow with the capture.
 *   <li>100,000 ESP tunnel packets, AES-128-CBC with HMAC-SHA1-96, 1400-byte payloads, four SAs,
 *       decrypted and written: 2.9 to 3.7 s with one thread (27,000 to 35,000 packets/s). Reading
 *       the capture alone (every packet bypassed, nothing written) takes 1.6 s: the reading thread
 *       (pcap4j over libpcap) is half the work, so two or four workers gave no gain on two cores.
 *   <li>Since reading goes through {@code pcap_next_ex} directly, workers have a writing thread and
 *       are woken per batch: 1,000,000 such packets (8 SAs, files on tmpfs, both cores free) in 8.5
 *       s with one thread and 7.0 s with two (about 1.2 times; 1.03 before). The reading thread,
 *       not the ESP work, is still the longest stage; {@code bench/README.md} has the figures.
 * </ul>
 *
 * <h2>Real-world traffic</h2>
 *
 * Reassembly happens on the reading thread, between reading and classifying, so workers only ever
 * see whole datagrams. ESP in UDP, IPComp, nested tunnels and extended sequence numbers are the
 * datapath's ({@code org.ipsecemu.datapath.pipeline}); the reading thread finds the SA of ESP in
 * UDP by the SPI after the UDP header, so its packets keep their order on one worker. With an MTU
 * ({@code mtu(int)}, {@code --mtu}), protected packets larger than it are fragmented after IPsec
 * (RFC 4303 §3.3.5), each fragment a frame of its own; IPv6 fragment identifications come from a
 * counter per processing thread, so with several threads they depend on which worker took the
 * packet (nothing else does). The third-party captures of {@code ../shared/captures} replay as
 * tshark decrypts them: {@code datapath/src/test/interop/captures_check.py}, run by {@code
 * .ci/run}, checks it packet by packet (see the README's section on real-world captures).
 */
package org.ipsecemu.datapath.capture;
