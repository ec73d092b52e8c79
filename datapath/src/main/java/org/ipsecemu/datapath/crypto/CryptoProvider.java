package org.ipsecemu.datapath.crypto;

/**
 * The library behind a transform. Both implement every algorithm behind the same interfaces, so
 * switching one algorithm is one entry in {@link TransformFactory}; the defaults come from
 * measurement (see the package documentation).
 */
public enum CryptoProvider {
  /** The JDK's JCE (SunJCE), with its CPU intrinsics for AES, GHASH, SHA and MD5. */
  JCE,
  /** The Bouncy Castle lightweight API ({@code org.bouncycastle.crypto}), pure Java. */
  BOUNCY_CASTLE,
  /** No library at all: NULL encryption (RFC 2410). */
  NONE
}
