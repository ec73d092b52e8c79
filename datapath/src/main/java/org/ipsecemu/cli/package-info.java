/**
 * The {@code ipsec-emu} command line (picocli): thin subcommands over the sadb and datapath
 * libraries.
 */
package org.ipsecemu.cli;
