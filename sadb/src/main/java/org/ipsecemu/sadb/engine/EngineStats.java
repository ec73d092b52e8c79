package org.ipsecemu.sadb.engine;

/**
 * Counters of a Key Engine at one moment, for {@code ipsec-emu} to print and tests to check.
 *
 * @param messagesIn messages sent to the engine
 * @param errors messages answered with an errno (or whose send failed)
 * @param delivered messages queued on sockets
 * @param dropped messages dropped because a socket's queue was full (§1.4)
 * @param softExpires SADB_EXPIRE (soft) sent
 * @param hardExpires SADB_EXPIRE (hard) sent
 * @param acquires SADB_ACQUIRE sent by the engine
 * @param acquireTableFull outbound triggers that found the pending-ACQUIRE table full
 * @param larvalTimeouts LARVAL SAs removed for not being updated in time
 * @param listenerErrors exceptions thrown by {@link SaListener}s (caught and counted)
 * @param sas SAs in the database, LARVAL included
 * @param larval LARVAL SAs
 * @param policies policies in the SPD
 * @param pendingAcquires ACQUIREs awaiting an answer
 * @param sockets open PF_KEY sockets
 */
public record EngineStats(
    long messagesIn,
    long errors,
    long delivered,
    long dropped,
    long softExpires,
    long hardExpires,
    long acquires,
    long acquireTableFull,
    long larvalTimeouts,
    long listenerErrors,
    int sas,
    int larval,
    int policies,
    int pendingAcquires,
    int sockets) {}
