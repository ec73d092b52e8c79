/**
 * The Key Engine of RFC 2367 (PF_KEY v2) and of the McDonald–Phan–Atkinson paper: in-memory PF_KEY
 * sockets, the SA database with its states and lifetimes, REGISTER/ACQUIRE/EXPIRE/DUMP, the clock
 * and its timers, and the two kernel-internal calls the datapath uses, {@code getassocbyspi}
 * (inbound) and {@code getassocbysocket} (outbound).
 *
 * <h2>Driving it as a key manager (setkey, racoon, the demo)</h2>
 *
 * {@link org.ipsecemu.sadb.engine.KeyEngine#open(Credentials)} gives a {@link
 * org.ipsecemu.sadb.engine.PfKeySocket}; send {@link org.ipsecemu.sadb.wire.SadbMessage}s or raw
 * bytes and read what comes back. {@code send} is synchronous, so {@link
 * org.ipsecemu.sadb.engine.PfKeySocket#call} (send, then take the reply with the request's type,
 * seq and pid) is all a {@code setkey} statement needs; a DUMP or SPDDUMP is read with {@code
 * receive()} until the message whose seq is 0. Errors come back as a base header with {@code
 * sadb_msg_errno} ({@link org.ipsecemu.sadb.wire.Errno} has the strerror text); a bad base header
 * makes {@code send} throw {@link org.ipsecemu.sadb.wire.PfKeyException}.
 *
 * <h2>The contract with the datapath</h2>
 *
 * <ul>
 *   <li>{@link org.ipsecemu.sadb.engine.KeyEngine#getassocbyspi(byte[], int, int, int, int)}: the
 *       usable (MATURE or DYING) SA for (destination address in the packet buffer, SPI, IP protocol
 *       50/51/108), or null. Lock-free, constant time, no allocation.
 *   <li>{@link org.ipsecemu.sadb.engine.KeyEngine#getassocbysocket(org.ipsecemu.sadb.spd.Flow)}: an
 *       {@link org.ipsecemu.sadb.engine.OutboundResult}: BYPASS, DISCARD, PROTECT with the SA
 *       bundle in processing order (index 0 innermost, applied first), PENDING with the ACQUIRE's
 *       seq, NO_KEY_MANAGER, or ACQUIRE_FAILED. Cached per flow: no allocation once a flow's SAs
 *       exist.
 *   <li>{@link org.ipsecemu.sadb.engine.KeyEngine#inboundAllowed}: the inbound policy check after
 *       decapsulation (false is the {@code policy} verdict).
 *   <li>{@link org.ipsecemu.sadb.engine.SecurityAssociation}: what the datapath reads (type, SPI,
 *       addresses, mode, reqid, replay window, algorithms, key copies), per-packet {@link
 *       org.ipsecemu.sadb.engine.SecurityAssociation#charge(long)} (lock-free, exact, sends
 *       SADB_EXPIRE through the engine when a limit is reached, says whether the packet may use the
 *       SA), and an attachment slot for transforms, replay window and sequence counter.
 *   <li>{@link org.ipsecemu.sadb.engine.SaListener}: added (build transforms), stateChanged,
 *       removed (destroy transforms; the engine zeroes its keys right after).
 * </ul>
 *
 * <h2>Time</h2>
 *
 * An {@link org.ipsecemu.sadb.engine.EngineClock} gives epoch milliseconds: the system clock by
 * default, or a {@link org.ipsecemu.sadb.engine.ManualClock} that pcap replay moves to capture
 * timestamps with {@link org.ipsecemu.sadb.engine.KeyEngine#advanceTo(long)} (which runs every
 * timer due on the way, in time order). With the system clock, {@link
 * org.ipsecemu.sadb.engine.KeyEngine#startTicker} runs the timers from a daemon thread. Byte and
 * allocation limits act at once through {@code charge} and allocation; time limits act when the
 * timers run.
 *
 * <h2>Choices</h2>
 *
 * Where RFC 2367 leaves a choice the engine does what Linux {@code net/key/af_key.c} does, and each
 * such choice is a field of {@link org.ipsecemu.sadb.engine.EngineProfile} (with the reasons), so
 * another behaviour profile can be added without touching the engine. Other decisions, each written
 * where it is made:
 *
 * <ul>
 *   <li>SAs are identified by (type, destination, SPI) as in Linux; DELETE, GET and UPDATE also
 *       require the source to match unless they give the unspecified address (§3.1.4).
 *   <li>A HARD expiry removes the SA at once (as Linux), so a DEAD SA is never found again: UPDATE
 *       of it answers ESRCH; submitting {@code sadb_sa_state} DEAD or DYING is EINVAL.
 *   <li>A LARVAL SA timing out is removed with an SADB_EXPIRE (hard), as Linux does for its acquire
 *       states.
 *   <li>Replies go where §3.1 says: GETSPI, UPDATE, ADD, DELETE, FLUSH, EXPIRE, SPDADD/UPDATE/
 *       DELETE/FLUSH and X_QUERY to all sockets; REGISTER and ACQUIRE to registered sockets; GET,
 *       DUMP, SPDGET, SPDDUMP to the requester. Linux differs in two places the RFC does not leave
 *       open, and the engine follows the RFC there: Linux answers GETSPI to the sender only and
 *       sends EXPIRE to registered sockets only. DUMP of nothing is ENOENT and a second DUMP while
 *       one runs is EBUSY (Linux).
 *   <li>REGISTER for UNSPEC lists the algorithms without registering, and a second REGISTER for the
 *       same type is EEXIST (Linux). The SUPPORTED lists: AH gets the integrity algorithms, ESP and
 *       UNSPEC both lists, IPcomp none (its compression algorithms have no sadb_alg).
 *   <li>SADB_EXPIRE from a process is relayed to all for SA types the kernel does not implement
 *       (OSPF, RIP...: §3.1.8 "the user-level protocol SHOULD issue"), EINVAL for AH, ESP, IPcomp.
 *   <li>The key-management failure form of SADB_ACQUIRE is relayed to all sockets (§5.1) and makes
 *       the flow's answer ACQUIRE_FAILED until the ACQUIRE expires (Linux's acquire state in
 *       error); Linux relays nothing.
 *   <li>NAT traversal (RFC 3948) is declared with Linux's extensions SADB_X_EXT_NAT_T_TYPE (20),
 *       _SPORT (21), _DPORT (22) and _OA (23), kept for GET and DUMP and read once into {@link
 *       org.ipsecemu.sadb.engine.SecurityAssociation#udpEncapsulation()}: ESP only, types 1 and 2,
 *       else EINVAL (as Linux's {@code xfrm} state initialisation refuses them).
 *   <li>Extended sequence numbers (RFC 4303 §2.2.1) are the BSD flag SADB_X_SAFLAGS_ESN (0x400) in
 *       {@code sadb_sa_flags} ({@link org.ipsecemu.sadb.engine.SecurityAssociation#esn()}): Linux's
 *       PF_KEY cannot say ESN at all. On an IPComp SA, which has no sequence number, it is EINVAL.
 *   <li>IPComp SAs (SADB_X_SATYPE_IPCOMP, RFC 3173) are found by their CPI in the SPI field with
 *       protocol 108. An inbound policy's IPComp request is met whether or not the packet used
 *       IPComp: RFC 3173 §2.2 sends incompressible datagrams without it.
 * </ul>
 */
package org.ipsecemu.sadb.engine;
