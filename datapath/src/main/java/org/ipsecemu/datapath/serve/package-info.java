/**
 * {@code ipsec-emu serve}: the emulated kernel opened to other processes, as in Figure 3 of the
 * McDonald–Phan–Atkinson paper, where a key management daemon in user space speaks PF_KEY to the
 * Key Engine and the engine asks it for SAs with SADB_ACQUIRE when traffic needs them.
 *
 * <ul>
 *   <li>{@link org.ipsecemu.datapath.serve.PfKeyServer}: a Unix domain stream socket whose every
 *       connection is one PF_KEY socket (RFC 2367 §1.3) in the PF_KEY v2 wire format, framed by
 *       {@code sadb_msg_len}; privilege from the peer's {@code SO_PEERCRED} ({@link
 *       org.ipsecemu.datapath.serve.PeerAccess}).
 *   <li>{@link org.ipsecemu.datapath.serve.ControlServer} and {@link
 *       org.ipsecemu.datapath.serve.ControlHandler}: a second socket speaking JSON lines that sends
 *       packets through the datapath ({@code org.ipsecemu.datapath.pipeline}), moves a manual clock
 *       and answers statistics with the replay statistics' field names ({@code StatsJson}).
 * </ul>
 *
 * <p>Choices, each explained where it is made: a stream whose lengths cannot be believed is
 * answered and closed, every other defect is answered as a PF_KEY socket would answer it ({@code
 * PfKeyFrames}); an unprivileged peer is refused with EPERM in reply to its first message, since
 * the connection (unlike {@code socket(2)}) has no call to fail; besides uid 0 the user running the
 * server is privileged, so that it needs no root; the socket files have mode 0600 from the moment
 * they appear ({@code UnixSocketFile}); connections carry made-up pids above Linux's largest,
 * because the JDK does not read the peer's pid; a connection joins the engine when the server
 * accepts it, a little after the client's {@code connect(2)} returns; packets released from the
 * pending queue are reported on the next control answer.
 *
 * <h2>Cost</h2>
 *
 * {@code bench/}'s {@code ServeBenchmark} (JMH, one client, one request in flight), on the shared
 * 2-core build machine, so with wide error bars: an SADB_GET with keys takes about 58 µs over the
 * served socket against 1.6 µs on an in-process engine socket (the difference is the reader and
 * writer threads' hand-offs and the two socket crossings; 4.3 kB allocated per request against 1.2
 * kB); an outbound 64-byte UDP packet on the control socket, ESP with AES-CBC and HMAC-SHA-256,
 * JSON and hex both ways, about 50 µs and 5.7 kB. The server is for key managers and teaching, not
 * for packet rates: measure those with {@code PipelineBenchmark}.
 */
package org.ipsecemu.datapath.serve;
