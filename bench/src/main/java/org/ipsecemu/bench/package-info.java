/**
 * JMH benchmarks of the hot paths, each measured against its limit (results and the exact commands
 * in {@code bench/README.md}):
 *
 * <ul>
 *   <li>{@link org.ipsecemu.bench.SadbLookupBench}: the Key Engine's {@code getassocbyspi} (hits at
 *       1,000 to 1,000,000 SAs, misses) and {@code getassocbysocket} (established flows, 10 and
 *       1,000 policies).
 *   <li>{@link org.ipsecemu.bench.EspBench} and {@link org.ipsecemu.bench.AhBench}: ESP and AH
 *       processing of one packet each way, per algorithm and payload size.
 *   <li>{@link org.ipsecemu.bench.CryptoBaselineBench}: the bare cipher and MAC on the same byte
 *       counts, Bouncy Castle and JCE side by side: the limit of each ESP and AH figure, and the
 *       measurement behind the datapath's provider choice.
 *   <li>{@link org.ipsecemu.bench.PipelineBench}: a whole packet from raw bytes to verdict through
 *       the datapath, counters included.
 * </ul>
 *
 * Built into {@code bench/target/benchmarks.jar} by {@code mvn -B -DskipTests package}; run {@code
 * java -jar bench/target/benchmarks.jar -h}. Every benchmark's setup goes through the public API
 * (PF_KEY messages to the Key Engine, the datapath's classes), never through internals.
 */
package org.ipsecemu.bench;
