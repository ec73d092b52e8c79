package org.ipsecemu.sadb.keyfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.PfKeyException;

/**
 * Bad input gets a clear error and nothing else: whatever text the parser and the key-file readers
 * are given, they return a result or throw a {@link PfKeyException} (EINVAL) whose message starts
 * with the file name; never an {@code IndexOutOfBoundsException}, {@code NumberFormatException} or
 * the like.
 */
class KeyFileRobustnessTest {

  /** Words of every format, so random text gets deep into the grammars. */
  private static final List<String> VOCABULARY =
      List.of(
          "add",
          "get",
          "delete",
          "deleteall",
          "getspi",
          "flush",
          "dump",
          "spdadd",
          "spdupdate",
          "spddelete",
          "spdflush",
          "spddump",
          "exit",
          ";",
          ";",
          ";",
          "\n",
          "\n",
          "\t",
          " ",
          "[",
          "]",
          "/",
          "\"",
          "#",
          "-P",
          "-m",
          "-r",
          "-u",
          "-f",
          "-E",
          "-A",
          "-C",
          "-R",
          "-lh",
          "-ls",
          "-bh",
          "-bs",
          "-4",
          "-6n",
          "esp",
          "ah",
          "ipcomp",
          "esp-udp",
          "tcp",
          "udp",
          "icmp",
          "icmp6",
          "any",
          "transport",
          "tunnel",
          "in",
          "out",
          "fwd",
          "ipsec",
          "none",
          "discard",
          "prio",
          "high",
          "+",
          "-",
          "esp/tunnel/1.1.1.1-2.2.2.2/require",
          "ah/transport//unique:5",
          "esp/",
          "unique:",
          "3des-cbc",
          "aes-cbc",
          "aes-gcm-16",
          "null",
          "hmac-sha1",
          "hmac-md5",
          "deflate",
          "random-pad",
          "10.0.0.1",
          "10.0.0.2",
          "2001:db8::1",
          "fe80::1%2",
          "::",
          "0.0.0.0/0",
          "24",
          "500",
          "0",
          "1",
          "255",
          "256",
          "65536",
          "4294967296",
          "0x",
          "0x1001",
          "0x1-0x2",
          "0xffffffffff",
          "0x0123456789abcdef0123456789abcdef01234567",
          "0xd5430ec7c2a48c5efd0df1514ff23d0d40495dad3e577976",
          "src",
          "dst",
          "proto",
          "spi",
          "reqid",
          "mode",
          "replay-window",
          "flag",
          "esn",
          "auth-trunc",
          "hmac(sha1)",
          "enc",
          "cbc(aes)",
          "aead",
          "rfc4106(gcm(aes))",
          "encap",
          "type",
          "espinudp",
          "sport",
          "dport",
          "addr",
          "sel",
          "limit",
          "time-hard",
          "lifetime",
          "config:",
          "limit:",
          "soft",
          "hard",
          "(INF)(bytes),",
          "expire",
          "add:",
          "ip",
          "xfrm",
          "state",
          "'",
          "\\",
          "mode=tunnel",
          "spi=1(0x00000001)",
          "reqid=0(0x00000000)",
          "E:",
          "A:",
          "C:",
          "seq=0x0",
          "replay=4",
          "flags=0x0",
          "state=mature",
          "diff:",
          "36000(s)",
          "current:",
          "1(bytes)",
          "allocated:",
          "\"IPv4\"",
          "\"IPv6\"",
          ",",
          "\"0x00001001\"",
          "\"TripleDES-CBC [RFC2451]\"",
          "\"NULL\"",
          "\"*\"",
          "\"64-bit\"",
          "anti-replay",
          "esn",
          "context:",
          "replay_window",
          "deadbeef",
          "NAT",
          "OA=10.0.0.9",
          "No",
          "SAD",
          "entries.");

  @Provide
  Arbitrary<String> tokenSoup() {
    return Arbitraries.of(VOCABULARY)
        .list()
        .ofMaxSize(60)
        .map(
            l -> {
              StringBuilder sb = new StringBuilder();
              for (String w : l) {
                sb.append(w);
                if (!w.isBlank() && Math.floorMod(w.hashCode(), 3) != 0) {
                  sb.append(' ');
                }
              }
              return sb.toString();
            });
  }

  /** Valid files of each format, with one random cut, duplication or insertion. */
  @Provide
  Arbitrary<String> mutatedFile() {
    List<String> files =
        List.of(
            "add 192.0.2.1 192.0.2.2 esp 0x1001 -m tunnel -r 32 -lh 60 -E 3des-cbc"
                + " 0xd5430ec7c2a48c5efd0df1514ff23d0d40495dad3e577976"
                + " -A hmac-sha1 0xe41f8cac02a356acb6c9cea49d55b0f889e128f4;\n"
                + "spdadd 10.0.0.0/24[any] 10.0.1.0/24[80] tcp -P out prio high + 2 ipsec\n"
                + " esp/tunnel/192.0.2.1-192.0.2.2/unique:7;\n",
            "192.168.2.101 192.168.2.100 \n"
                + "\tesp mode=tunnel spi=6386485(0x00617335) reqid=16391(0x00004007)\n"
                + "\tE: 3des-cbc  93bbda19 234a5a0c a37f7613 4622c76d 410a3ea8 8dfe5538\n"
                + "\tA: hmac-sha1  d1be42b5 12d1f98b 0e2f2d76 9a6d35f1 7139a2a4\n"
                + "\tseq=0x00001b81 replay=4 flags=0x00000000 state=mature \n"
                + "\tdiff: 305(s)\thard: 36000(s)\tsoft: 28800(s)\n",
            "src 192.0.2.1 dst 192.0.2.2\n"
                + "\tproto esp spi 0x00001001 reqid 1 mode tunnel\n"
                + "\treplay-window 32 flag af-unspec esn\n"
                + "\tauth-trunc hmac(sha1) 0xe41f8cac02a356acb6c9cea49d55b0f889e128f4 96\n"
                + "\tenc cbc(aes) 0x00112233445566778899aabbccddeeff\n"
                + "\tencap type espinudp sport 4500 dport 4500 addr 0.0.0.0\n"
                + "\tlifetime config:\n\t  limit: soft (INF)(bytes), hard 5(bytes)\n",
            "\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x00001001\",\"TripleDES-CBC [RFC2451]\","
                + "\"0xd5430ec7c2a48c5efd0df1514ff23d0d40495dad3e577976\","
                + "\"HMAC-SHA-1-96 [RFC2404]\",\"0xe41f8cac02a356acb6c9cea49d55b0f889e128f4\"\n");
    return Arbitraries.of(files)
        .flatMap(
            f ->
                Arbitraries.integers()
                    .between(0, f.length())
                    .flatMap(
                        a ->
                            Arbitraries.integers()
                                .between(a, f.length())
                                .flatMap(
                                    b ->
                                        Arbitraries.of(VOCABULARY)
                                            .flatMap(
                                                w ->
                                                    Arbitraries.of(
                                                        f.substring(0, a) + f.substring(b),
                                                        f.substring(0, b) + f.substring(a),
                                                        f.substring(0, a) + w + f.substring(a),
                                                        f.substring(0, a)
                                                            + " "
                                                            + w
                                                            + " "
                                                            + f.substring(b))))));
  }

  private static void readsOrRefusesCleanly(String text) {
    try {
      KeyFiles.read(text, "fuzz.txt");
    } catch (PfKeyException e) {
      assertThat(e.errno()).isEqualTo(Errno.EINVAL);
      assertThat(e.getMessage()).startsWith("fuzz.txt:");
    }
    try {
      new SetkeyParser("fuzz.txt").parseAll(text);
    } catch (PfKeyException e) {
      throw new AssertionError("parseAll must report errors as items, not throw", e);
    }
    for (KeyFileFormat f : KeyFileFormat.values()) {
      try {
        KeyFiles.read(text, "fuzz.txt", f);
      } catch (PfKeyException e) {
        assertThat(e.getMessage()).startsWith("fuzz.txt:");
      }
    }
  }

  @Property(tries = 2000)
  void randomTokensGiveSAsOrAClearError(@ForAll("tokenSoup") String text) {
    readsOrRefusesCleanly(text);
  }

  @Property(tries = 2000)
  void damagedFilesGiveSAsOrAClearError(@ForAll("mutatedFile") String text) {
    readsOrRefusesCleanly(text);
  }

  @Property(tries = 500)
  void anyStringAtAll(@ForAll String text) {
    readsOrRefusesCleanly(text);
  }

  /** Numbers too big for their fields, found escaping as NumberFormatException before. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        DUMP_HEAD + "\tseq=0x0 replay=99999999999 flags=0x0 state=mature \n",
        "10.0.0.1 10.0.0.2 \n\tesp mode=tunnel spi=99999999999999999999(0x1) reqid=0(0x0)\n",
        "10.0.0.1 10.0.0.2 \n\tesp mode=tunnel spi=1(0x1ffffffffffffffff) reqid=0(0x0)\n",
        DUMP_HEAD + "\tdiff: 1(s)\thard: 99999999999999999999(s)\tsoft: 1(s)\n",
        DUMP_HEAD + "\tseq=0x0 replay=1 flags=0x99999999999999999 state=mature \n",
        "src 1.1.1.1 dst 2.2.2.2\n\tproto esp spi 1 reqid 0 mode transport\n\tlifetime config:\n"
            + "\t  expire add: soft 99999999999999999999(sec), hard 1(sec)\n",
        "src 1.1.1.1 dst 2.2.2.2\n\tproto esp spi 1 reqid 0 mode transport\n"
            + "\tanti-replay esn context:\n\t replay_window 99999999999999999999, bitmap-length 4\n",
        "\"IPv4\",\"1.1.1.1\",\"2.2.2.2\",\"1\",\"NULL\",\"\\xZZ\"\n"
      })
  void oversizedNumbersAreAClearError(String text) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeyFiles.read(text, "big.txt"))
        .isInstanceOf(PfKeyException.class)
        .hasMessageStartingWith("big.txt:");
  }

  private static final String DUMP_HEAD =
      "10.0.0.1 10.0.0.2 \n\tesp mode=tunnel spi=1(0x00000001) reqid=0(0x00000000)\n";
}
