package org.ipsecemu.sadb.alg;

/**
 * Why a key was refused for an algorithm, with a {@code key=value} message the Key Engine can put
 * in its EINVAL error. The message names the algorithm and the rule, never key bytes.
 *
 * @param type the rule the key broke
 * @param message a precise description, e.g. {@code "weak DES key (FIPS 74) alg=des-cbc"}
 */
public record KeyProblem(Type type, String message) {

  /** The rules {@link KeyChecks} applies. */
  public enum Type {
    /** {@code sadb_key_bits} is not one of the algorithm's key lengths. */
    LENGTH,
    /** A DES byte has even parity (FIPS 46-3 wants odd); optional, see {@link KeyChecks}. */
    PARITY,
    /** One of the 4 weak DES keys of FIPS 74. */
    WEAK,
    /** One of the 12 semi-weak DES keys of FIPS 74. */
    SEMI_WEAK,
    /** 3DES with K1 == K2 or K2 == K3: no stronger than single DES (RFC 2451 §2.3). */
    EQUAL_SUBKEYS
  }

  @Override
  public String toString() {
    return type + ": " + message;
  }
}
