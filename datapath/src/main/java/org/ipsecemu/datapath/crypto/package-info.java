/**
 * The crypto transforms of the datapath: per-SA, per-direction objects that ESP and AH call for
 * every packet. (Provider measurements: to be filled in.)
 */
package org.ipsecemu.datapath.crypto;
