package org.ipsecemu.sadb.wire;

import net.jqwik.api.Arbitrary;

/** Public door to the message generators for tests in other packages. */
public final class TestGenerators {
  private TestGenerators() {}

  /** Valid messages of every type with every extension. */
  public static Arbitrary<SadbMessage> messages() {
    return Messages.messages();
  }
}
