/**
 * Human-readable forms of PF_KEY messages: {@link org.ipsecemu.sadb.print.TreePrinter}, a tree of
 * the wire structures with the RFC's symbolic names in the manner of {@code setkey -x}, and {@link
 * org.ipsecemu.sadb.print.PfKeyJson}, a JSON form that can be read back to build a message by hand.
 *
 * <p>Unlike the model's {@code toString}, both show key bytes: they are debugging tools for
 * messages the user already holds.
 */
package org.ipsecemu.sadb.print;
