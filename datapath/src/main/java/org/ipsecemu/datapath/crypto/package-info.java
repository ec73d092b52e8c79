/**
 * The crypto transforms of the datapath: per-SA, per-direction objects that ESP and AH call for
 * every packet. The only package that imports Bouncy Castle or JCE crypto classes.
 *
 * <h2>What is here</h2>
 *
 * <ul>
 *   <li>{@link org.ipsecemu.datapath.crypto.EncryptionTransform}: AES-CBC (RFC 3602), DES-CBC (RFC
 *       2405), 3DES-CBC (RFC 2451), NULL (RFC 2410); explicit IV per packet, in place.
 *   <li>{@link org.ipsecemu.datapath.crypto.IntegrityTransform}: HMAC-MD5-96 (RFC 2403),
 *       HMAC-SHA-1-96 (RFC 2404), HMAC-SHA-256-128 (RFC 4868); fed in pieces (AH), with the ESN
 *       high bits appended (RFC 4303 §2.2.1), compared in constant time.
 *   <li>{@link org.ipsecemu.datapath.crypto.AeadTransform}: AES-GCM-16 in ESP (RFC 4106): salt from
 *       the key material, 8-byte IV, AAD = SPI || seq (|| seq high bits, 12 bytes with ESN).
 *   <li>{@link org.ipsecemu.datapath.crypto.TransformFactory}: (algorithm, key, direction) to
 *       transform; the provider table; the IV policy.
 *   <li>{@link org.ipsecemu.datapath.crypto.IvGenerator}: AES-CTR keystream IVs for CBC (random or
 *       seeded for reproducible runs), counters for GCM.
 * </ul>
 *
 * The algorithm facts (sizes, ids, names) come from {@code org.ipsecemu.sadb.alg.Algorithm}; ESP
 * padding is the ESP layer's (pad to {@code max(blockSize, 4)}, RFC 4303 §2.4).
 *
 * <h2>Rules every transform follows</h2>
 *
 * <ul>
 *   <li>Created once per SA and direction; the key schedule runs once. Per packet only the IV
 *       changes. <b>Not thread-safe</b>: one SA direction, one thread at a time.
 *   <li>In place on {@code byte[]} with offsets; inbound calls return {@code false} on bad packet
 *       data (misaligned length, range outside the array, ICV mismatch) and never throw for it.
 *   <li>Own copy of the key; {@code destroy()} zeroes it with every scratch array and drops the
 *       library objects. Java cannot zero the libraries' expanded keys (Bouncy Castle engines, JCE
 *       {@code Cipher}/{@code Mac} internals); they are left to the garbage collector.
 *   <li>No key byte in {@code toString}, exception messages or logs.
 * </ul>
 *
 * <h2>Provider choice, by measurement</h2>
 *
 * <p>Both providers implement every algorithm; {@link
 * org.ipsecemu.datapath.crypto.TransformFactory#defaultProvider} holds the choice, one line per
 * algorithm, and {@code withProvider} switches one. Measured with {@code CryptoThroughput} (a
 * plain-loop tool in this package's tests; the JMH benchmarks in {@code bench/} are the reference)
 * on 1400-byte packets (CBC: 1408, padded), JDK 17.0.15, Bouncy Castle 1.82, best of 3 rounds after
 * warm-up, on the shared 2-core build machine while other builds ran (load average about 8): the
 * absolute figures are low, the ratios are what counts.
 *
 * <pre>
 * case                         JCE MB/s  B/packet    BC MB/s  B/packet   choice
 * aes-cbc encrypt                   369         0         49         0   JCE
 * aes-cbc decrypt                  2312         0         48         0   JCE
 * 3des-cbc encrypt                    7         0          8         0   BC
 * 3des-cbc decrypt                    6         0          9         0   BC
 * des-cbc encrypt                    22         0         26         0   BC
 * des-cbc decrypt                    21         0         28         0   BC
 * hmac-sha1 (compute+compare)       833        40        150         0   JCE
 * hmac-sha256                      1056        48        119         0   JCE
 * hmac-md5                          504        32        248         0   JCE
 * aes-gcm-16 seal                   948      1112         43      4680   JCE
 * aes-gcm-16 open                   724      1128         45      4728   JCE
 * aes-cbc decrypt, JCE Cipher.init per packet (the naive way): 2158 MB/s, 1552 B/packet
 * </pre>
 *
 * Earlier runs on a quieter machine: HMAC-SHA1 JCE 1.8 GB/s vs BC 0.28 GB/s, 3DES-CBC about 22 MB/s
 * with either, AES-GCM JCE 0.4-0.9 GB/s. JCE wins wherever the JDK has CPU intrinsics (AES, GHASH,
 * SHA-1, SHA-256, MD5); DES and 3DES are plain Java in both, and Bouncy Castle's needs no stream
 * tricks.
 *
 * <h2>How allocation is avoided (and where it is not)</h2>
 *
 * <ul>
 *   <li>JCE CBC: {@code Cipher.init} per packet allocates, so the cipher is initialised once and
 *       the IV travels in the data stream (see {@code JceCbcEncryption}); JDK 17's {@code update}
 *       copies its whole input when input and output overlap, so output goes to a scratch array and
 *       is copied back (a 1.4 KB copy costs far less than the copy plus garbage).
 *   <li>Bouncy Castle CBC: {@code ParametersWithIV(null, iv)} keeps the key schedule; blocks go
 *       through {@code processBlock} one by one ({@code processBlocks} copies when in place).
 *       {@code DESedeEngine} allocates a block per {@code processBlock}, so 3DES runs as
 *       E_K3(D_K2(E_K1)) over three {@code DESEngine}s ({@code TripleDesEngine}).
 *   <li>HMAC: the JDK's {@code Mac.doFinal} allocates one digest-sized array per packet, so the JCE
 *       provider's HMAC is Bouncy Castle's {@code HMac} (RFC 2104, allocation-free) running on the
 *       JDK's {@code MessageDigest} ({@code JceDigest}, whose {@code digest(out, offset, length)}
 *       writes into the caller's array): the JDK's intrinsic SHA-1/SHA-256/MD5 at the speed of
 *       {@code Mac}, without the garbage.
 *   <li>AES-GCM: neither library changes a GCM nonce without allocating ({@code Cipher.init} and
 *       {@code GCMParameterSpec}; Bouncy Castle's GCM allocates per block). The JCE path avoids the
 *       JDK's overlap copies and decrypt buffering (ciphertext and ICV in one {@code doFinal} into
 *       scratch), which leaves about 1.1 KB per packet.
 * </ul>
 *
 * A test ({@code TransformLifecycleTest.steadyStatePacketsAllocateNothing}) holds the
 * allocation-free paths to zero bytes per packet.
 *
 * <h2>Choices where real stacks differ</h2>
 *
 * <ul>
 *   <li>HMAC-SHA-256 truncates to 128 bits (RFC 4868). Linux gives an SA added with PF_KEY id 5 a
 *       96-bit ICV; {@code TransformFactory.integrity(alg, key, dir, 12)} reproduces that.
 *   <li>Outbound CBC IVs are unpredictable (AES-CTR keystream of a random generator key) unless the
 *       factory is {@code deterministic(seed)}; GCM IVs are a counter from a random (or seeded)
 *       start, and a transform refuses to seal twice in a row with the same IV.
 *   <li>After a failed GCM open the Bouncy Castle provider leaves decrypted junk in the payload;
 *       the JCE provider leaves the buffer untouched. Either way the packet is dropped.
 * </ul>
 */
package org.ipsecemu.datapath.crypto;
