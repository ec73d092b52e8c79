package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChecksumTest {

  @Test
  void sumsTheRfc1071NumericalExample() {
    // RFC 1071 §3 "Numerical Examples": bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2,
    // whose complement 220d is the checksum.
    byte[] data = Hex.bytes("0001f203f4f5f6f7");
    assertThat(Checksum.sum(data, 0, data.length, 0)).isEqualTo(0xddf2);
    assertThat(Checksum.checksum(data, 0, data.length)).isEqualTo(0x220d);
  }

  @Test
  void padsAnOddLastByteWithZeroOnTheRight() {
    // RFC 1071 §4.1: the odd byte is added as the high byte of a word.
    byte[] data = Hex.bytes("0001f203f4f5f6f7ab");
    assertThat(Checksum.sum(data, 0, data.length, 0)).isEqualTo(Checksum.fold(0xddf2L + 0xab00));
  }

  @Test
  void chainsPartialSumsOfEvenPieces() {
    byte[] data = Hex.bytes("0001f203f4f5f6f7");
    int first = Checksum.sum(data, 0, 2, 0);
    assertThat(Checksum.sum(data, 2, 6, first)).isEqualTo(0xddf2);
  }

  @Test
  void updatesIncrementallyAsRfc1624Section4Example() {
    // RFC 1624 §4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000 with eqn. 3
    // (RFC 1141's eqn. 2 would give 0xffff).
    assertThat(Checksum.update16(0xdd2f, 0x5555, 0x3285)).isEqualTo(0x0000);
  }

  @Test
  void verifiesAScapyIpv4HeaderChecksum() {
    // scapy: IP(src='192.0.2.1', dst='192.0.2.2')/TCP(...), header checksum f6cb
    byte[] packet = Hex.bytes("45000028000100004006f6cbc0000201c0000202");
    assertThat(Checksum.sum(packet, 0, 20, 0)).isEqualTo(0xffff);
    packet[10] = 0;
    packet[11] = 0;
    assertThat(Checksum.checksum(packet, 0, 20)).isEqualTo(0xf6cb);
  }

  @Test
  void sumsTheIpv4PseudoHeader() {
    // scapy: IP(src='192.0.2.1', dst='192.0.2.2')/TCP(sport=40000, dport=443, flags='S'),
    // TCP checksum 6de3 over pseudo-header + 20-byte TCP header.
    byte[] p =
        Hex.bytes(
            "45000028000100004006f6cbc0000201c00002029c4001bb0000000000000000500220006de30000");
    int s = Checksum.pseudoHeaderSum4(p, 12, 16, 6, 20);
    assertThat(Checksum.sum(p, 20, 20, s)).isEqualTo(0xffff);
  }

  @Test
  void sumsTheIpv6PseudoHeader() {
    // scapy: IPv6(src='2001:db8::1', dst='2001:db8::2')/ICMPv6EchoRequest(id=1, seq=1),
    // ICMPv6 checksum 2446.
    byte[] p =
        Hex.bytes(
            "6000000000083a4020010db800000000000000000000000120010db80000000000000000000000028000244600010001");
    int s = Checksum.pseudoHeaderSum6(p, 8, 24, 58, 8);
    assertThat(Checksum.sum(p, 40, 8, s)).isEqualTo(0xffff);
  }

  @Property
  void incrementalUpdateAgreesWithRecomputation(
      @ForAll @Size(min = 2, max = 64) byte[] data,
      @ForAll @IntRange(min = 0, max = 0xffff) int newWord,
      @ForAll @IntRange(min = 0, max = 31) int wordIndex) {
    int length = data.length & ~1;
    int at = (wordIndex * 2) % length;
    int before = Checksum.checksum(data, 0, length);
    int oldWord = BigEndian.getU16(data, at);
    BigEndian.putU16(data, at, newWord);
    int after = Checksum.checksum(data, 0, length);
    int incremental = Checksum.update16(before, oldWord, newWord);
    boolean allZero = Checksum.sum(data, 0, length, 0) == 0;
    if (allZero) {
      // The one case with two spellings: recomputation gives 0xffff (sum +0), eqn. 3 gives 0
      // (sum -0, RFC 1624 §3), which receivers accept alike.
      assertThat(after).isEqualTo(0xffff);
      assertThat(incremental).isEqualTo(0);
    } else {
      assertThat(incremental).as("incremental vs recomputed").isEqualTo(after);
    }
  }

  @Property
  void update32IsTwoUpdate16s(
      @ForAll @IntRange(min = 0, max = 0xffff) int checksum,
      @ForAll int oldValue,
      @ForAll int newValue) {
    int viaWords =
        Checksum.update16(
            Checksum.update16(checksum, oldValue >>> 16, newValue >>> 16),
            oldValue & 0xffff,
            newValue & 0xffff);
    assertThat(Checksum.update32(checksum, oldValue, newValue)).isEqualTo(viaWords);
  }
}
