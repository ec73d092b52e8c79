/**
 * Key files: the formats in which people keep the keys of captured IPsec traffic, read into one
 * list of {@link org.ipsecemu.sadb.setkey.SaSpec}s ({@link org.ipsecemu.sadb.keyfile.KeyFiles}),
 * each format recognised by its content ({@link org.ipsecemu.sadb.keyfile.KeyFileFormat}): {@code
 * setkey} input, {@code setkey -D} dumps ({@link org.ipsecemu.sadb.keyfile.SetkeyDumpReader}),
 * Linux {@code ip xfrm state} output and commands ({@link
 * org.ipsecemu.sadb.keyfile.XfrmStateReader}), and Wireshark's {@code esp_sa} table, which is also
 * written ({@link org.ipsecemu.sadb.keyfile.WiresharkEspSa}).
 *
 * <p>Every error is a {@link org.ipsecemu.sadb.keyfile.KeyFileException} (EINVAL) naming the file
 * and the line; none shows key bytes. Readers accept what each tool prints in the versions seen in
 * the wild and ignore output lines they do not know, so newer tool versions still read.
 */
package org.ipsecemu.sadb.keyfile;
