/**
 * The Key Engine of RFC 2367 (PF_KEY v2) and of the McDonald–Phan–Atkinson paper: in-memory PF_KEY
 * sockets, the SA database with its states and lifetimes, REGISTER/ACQUIRE/EXPIRE/DUMP, the clock
 * and its timers, and the two kernel-internal calls the datapath uses, {@code getassocbyspi}
 * (inbound) and {@code getassocbysocket} (outbound).
 *
 * <p>Where RFC 2367 leaves a choice the engine does what Linux {@code net/key/af_key.c} does, and
 * every such choice is a field of the engine profile, so that another behaviour profile can be
 * added without touching the engine.
 */
package org.ipsecemu.sadb.engine;
