/**
 * {@code ipsec-emu serve}: the emulated kernel opened to other processes, as in Figure 3 of the
 * McDonald–Phan–Atkinson paper, where a key management daemon in user space speaks PF_KEY to the
 * Key Engine.
 *
 * <ul>
 *   <li>{@link org.ipsecemu.datapath.serve.PfKeyServer}: a Unix domain stream socket whose every
 *       connection is one PF_KEY socket (RFC 2367 §1.3) in the PF_KEY v2 wire format, framed by
 *       {@code sadb_msg_len}; privilege from the peer's {@code SO_PEERCRED} ({@link
 *       org.ipsecemu.datapath.serve.PeerAccess}).
 * </ul>
 *
 * <p>Choices, each explained where it is made: a stream whose lengths cannot be believed is
 * answered and closed, every other defect is answered as a PF_KEY socket would answer it ({@code
 * PfKeyFrames}); an unprivileged peer is refused with EPERM in reply to its first message, since
 * the connection (unlike {@code socket(2)}) has no call to fail; the socket files have mode 0600
 * from the moment they appear ({@code UnixSocketFile}); connections carry made-up pids above
 * Linux's largest, because the JDK does not read the peer's pid.
 */
package org.ipsecemu.datapath.serve;
