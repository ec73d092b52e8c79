/**
 * ipsec-tools {@code setkey}, the manual keying interface RFC 2367 §1.8 asks every PF_KEY
 * implementation for: its input, its output and its way of talking to the kernel.
 *
 * <ul>
 *   <li>{@link org.ipsecemu.sadb.setkey.SetkeyParser}: {@code setkey -f}/{@code -c} input into
 *       {@link org.ipsecemu.sadb.setkey.SetkeyStatement}s, each with its line and the PF_KEY
 *       messages {@code setkey} sends for it; syntax errors are {@link
 *       org.ipsecemu.sadb.setkey.SetkeySyntaxException}s (EINVAL) naming file, line and token.
 *   <li>{@link org.ipsecemu.sadb.setkey.SetkeyRunner}: runs statements against the Key Engine
 *       through a PF_KEY socket, as bytes, and reports what {@code setkey} would print.
 *   <li>{@link org.ipsecemu.sadb.setkey.SetkeyPrinter}: {@code setkey -D} and {@code -DP} output of
 *       DUMP and SPDDUMP replies, with {@link org.ipsecemu.sadb.setkey.SetkeyNames} (algorithm
 *       names) and {@link org.ipsecemu.sadb.setkey.IpProtocols} (protocol names).
 *   <li>{@link org.ipsecemu.sadb.setkey.SaSpec}: one SA as any key file describes it, and the
 *       SADB_ADD that installs it; {@code org.ipsecemu.sadb.keyfile} reads the other formats into
 *       it.
 * </ul>
 *
 * <p>Where {@code setkey} behaves differently on Linux and BSD this package does what it does on
 * Linux (ipsec-tools 0.8), and each departure from {@code setkey} is written on the class that
 * makes it. Nothing here resolves host or service names.
 */
package org.ipsecemu.sadb.setkey;
