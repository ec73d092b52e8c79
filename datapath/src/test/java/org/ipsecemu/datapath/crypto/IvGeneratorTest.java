package org.ipsecemu.datapath.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IvGeneratorTest {

  private static String next(IvGenerator g, int length) {
    byte[] b = new byte[length];
    g.next(b, 0, length);
    return HexFormat.of().formatHex(b);
  }

  @Test
  void seededGeneratorsRepeatTheirSequence() {
    IvGenerator a = IvGenerator.seeded(5);
    IvGenerator b = IvGenerator.seeded(5);
    IvGenerator c = IvGenerator.seeded(6);
    for (int i = 0; i < 5; i++) {
      String x = next(a, 16);
      assertThat(next(b, 16)).isEqualTo(x);
      assertThat(next(c, 16)).isNotEqualTo(x);
    }
  }

  @Test
  void keystreamIvsDoNotRepeat() {
    IvGenerator g = IvGenerator.random();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(next(g, 16))).isTrue();
    }
  }

  @Test
  void keystreamWritesOnlyTheRequestedBytes() {
    byte[] buf = new byte[12];
    IvGenerator.seeded(1).next(buf, 2, 8);
    assertThat(buf[0]).isZero();
    assertThat(buf[1]).isZero();
    assertThat(buf[10]).isZero();
    assertThat(buf[11]).isZero();
    assertThatThrownBy(() -> IvGenerator.seeded(1).next(new byte[32], 0, 17))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void counterCountsBigEndian() {
    IvGenerator g = IvGenerator.counter(0x00000000000000feL);
    assertThat(next(g, 8)).isEqualTo("00000000000000fe");
    assertThat(next(g, 8)).isEqualTo("00000000000000ff");
    assertThat(next(g, 8)).isEqualTo("0000000000000100");
    assertThat(next(g, 4)).as("short: low-order bytes").isEqualTo("00000101");
    assertThat(next(g, 10)).as("long: zero-extended").isEqualTo("00000000000000000102");
  }

  @Test
  void counterWrapsPastTheTopButNeverBackToItsStart() {
    IvGenerator g = IvGenerator.counter(-1L);
    assertThat(next(g, 8)).isEqualTo("ffffffffffffffff");
    assertThat(next(g, 8)).isEqualTo("0000000000000000");
    // A counter that started at 5 and has used every other value: 4 is its last IV.
    CounterIvGenerator nearlyDone = new CounterIvGenerator(5, 3);
    assertThat(next(nearlyDone, 8)).isEqualTo("0000000000000003");
    assertThat(next(nearlyDone, 8)).isEqualTo("0000000000000004");
    assertThatThrownBy(() -> next(nearlyDone, 8))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exhausted");
  }
}
