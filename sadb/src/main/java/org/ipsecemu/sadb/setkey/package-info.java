/**
 * ipsec-tools {@code setkey}: its input syntax ({@link org.ipsecemu.sadb.setkey.SetkeyParser},
 * turning each statement into the PF_KEY messages {@code setkey} sends), its {@code -D} and {@code
 * -DP} output ({@link org.ipsecemu.sadb.setkey.SetkeyPrinter}), and {@link
 * org.ipsecemu.sadb.setkey.SaSpec}, one SA as any key file describes it.
 *
 * <p>RFC 2367 §1.8 asks every PF_KEY implementation for "some sort of manual interface" with all
 * the functionality of the programmatic one; {@code setkey} is that interface on the KAME, BSD and
 * Linux stacks, and this package lets the emulator be driven exactly as they are. Where {@code
 * setkey} behaves differently on Linux and BSD this package does what it does on Linux, and each
 * departure from {@code setkey} is written on the class that makes it.
 */
package org.ipsecemu.sadb.setkey;
