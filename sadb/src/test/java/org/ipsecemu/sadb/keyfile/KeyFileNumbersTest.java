package org.ipsecemu.sadb.keyfile;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Numbers of more digits (or bits) than their field holds, in the key-file readers: each is the
 * line's {@link KeyFileException}, never a {@link NumberFormatException}. Found by {@code
 * SetkeyParserFuzzTest} (an SPI of 25 digits in a {@code setkey -D} dump).
 */
class KeyFileNumbersTest {
  @Test
  void setkeyDumpSpiOfTwentyFiveDigitsIsAnErrorOfItsLine() {
    String dump =
        "192.168.2.101 192.168.2.100 \n"
            + "\tesp mode=tunnel spi=1145689333333333333333372(0x06d42f0c) reqid=16399(0x0000400f)\n";
    assertThatThrownBy(() -> SetkeyDumpReader.read(dump, "dump.txt"))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("dump.txt")
        .hasMessageContaining("dump.txt:2:")
        .hasMessageContaining("number out of range: \"1145689333333333333333372\"");
  }

  @Test
  void setkeyDumpReplayOfTwentyDigitsIsAnErrorOfItsLine() {
    String dump =
        "192.168.2.101 192.168.2.100 \n"
            + "\tesp mode=tunnel spi=1(0x00000001) reqid=1(0x00000001)\n"
            + "\tseq=0x00000000 replay=99999999999999999999 flags=0x00000000 state=mature \n";
    assertThatThrownBy(() -> SetkeyDumpReader.read(dump, "dump.txt"))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("dump.txt:3:");
  }

  @Test
  void xfrmExpireOfTwentyFiveDigitsIsAnErrorOfItsLine() {
    String state =
        "src 192.0.2.1 dst 192.0.2.2\n"
            + "\tproto esp spi 0x00001001 reqid 1 mode tunnel\n"
            + "\tlifetime config:\n"
            + "\t  expire add: soft 1145689333333333333333372(sec), hard 3600(sec)\n";
    assertThatThrownBy(() -> XfrmStateReader.read(state, "xfrm.txt"))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("xfrm.txt:4:");
  }

  @Test
  void setkeyDumpFlagsWiderThan32BitsAreAnErrorOfTheirLine() {
    // Found by SetkeyParserFuzzTest: the SA was read, then its SADB_ADD threw an
    // IllegalArgumentException.
    String dump =
        "192.168.2.101 192.168.2.100 \n"
            + "\tesp mode=tunnel spi=1(0x00000001) reqid=1(0x00000001)\n"
            + "\tE: null \n"
            + "\tA: hmac-md5  8e9559a2 3fb28bdc 2150d2a3 1c2e1e3c\n"
            + "\tseq=0x00000000 replay=4 flags=0x8e9559a23fb28 state=mature \n";
    assertThatThrownBy(() -> SetkeyDumpReader.read(dump, "dump.txt"))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("dump.txt:5:")
        .hasMessageContaining("flags out of range");
  }
}
