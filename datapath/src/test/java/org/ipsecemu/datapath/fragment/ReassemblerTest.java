package org.ipsecemu.datapath.fragment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.fragment.Frag.concat;
import static org.ipsecemu.datapath.fragment.Frag.data;
import static org.ipsecemu.datapath.fragment.Frag.fragment4;
import static org.ipsecemu.datapath.fragment.Frag.fragment6;

import java.time.Duration;
import java.util.Arrays;
import org.ipsecemu.datapath.fragment.Reassembler.Outcome;
import org.ipsecemu.datapath.packet.Checksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reassembly before IPsec (RFC 4303 §3.4.1) of IPv4 (RFC 791) and IPv6 (RFC 8200 §4.5), and the
 * attacks on it: overlaps (RFC 5722), floods of datagrams that never complete, too many fragments,
 * datagrams beyond 65535 bytes, fragments that disagree. Time is the test's own clock.
 */
class ReassemblerTest {
  private final Reassembler r = Reassembler.builder().build();

  private Outcome offer(byte[] p, long now) {
    return r.offer(p, 0, p.length, now);
  }

  private byte[] result() {
    return Arrays.copyOfRange(r.buffer(), r.offset(), r.offset() + r.length());
  }

  /** Offers fragments of one version: 4 or 6. */
  private static byte[] frag(int version, int id, byte[] data, int from, int to, boolean more) {
    return version == 4 ? fragment4(id, data, from, to, more) : fragment6(id, data, from, to, more);
  }

  private static byte[] whole(int version, int id, byte[] data) {
    return version == 4 ? Frag.ipv4(id, new byte[0], data) : Frag.whole6(data);
  }

  @ParameterizedTest(name = "IPv{0}")
  @ValueSource(ints = {4, 6})
  void fragmentsInAnyOrderGiveBackTheDatagram(int v) {
    byte[] d = data(3000, 1);
    assertThat(offer(frag(v, 7, d, 1480, 2960, true), 0)).isEqualTo(Outcome.HELD);
    assertThat(offer(frag(v, 7, d, 2960, 3000, false), 1)).isEqualTo(Outcome.HELD);
    assertThat(r.pendingDatagrams()).isEqualTo(1);
    assertThat(offer(frag(v, 7, d, 0, 1480, true), 2)).isEqualTo(Outcome.COMPLETE);
    assertThat(result()).isEqualTo(whole(v, 7, d));
    assertThat(r.pendingDatagrams()).isZero();
    assertThat(r.pendingBytes()).isZero();
    assertThat(r.count(FragmentEvent.FRAGMENT)).isEqualTo(3);
    assertThat(r.count(FragmentEvent.REASSEMBLED)).isEqualTo(1);
  }

  @Test
  void reassembledIpv4HeaderIsTheFirstFragmentsWithOptionsAndAValidChecksum() {
    byte[] options = {(byte) 0x94, 4, 0, 0}; // Router Alert (copied)
    byte[] d = data(64, 3);
    byte[] first =
        concat(Frag.ipv4Header(Frag.A4, Frag.B4, 50, 9, 0x2000, options, 32), Arrays.copyOf(d, 32));
    byte[] second = fragment4(9, d, 32, 64, false);
    offer(second, 0);
    assertThat(offer(first, 0)).isEqualTo(Outcome.COMPLETE);
    byte[] out = result();
    assertThat(out).isEqualTo(Frag.ipv4(9, options, d));
    assertThat(Checksum.checksum(out, 0, 24)).isZero();
  }

  @Test
  void ipv6FragmentHeaderIsTakenOutAndItsNextHeaderMovesIntoTheHeaderBefore() {
    byte[] d = data(2000, 5);
    offer(fragment6(0x1234, d, 0, 1232, true), 0);
    assertThat(offer(fragment6(0x1234, d, 1232, 2000, false), 0)).isEqualTo(Outcome.COMPLETE);
    byte[] out = result();
    assertThat(out[40]).as("Hop-by-Hop names ESP").isEqualTo((byte) 50);
    assertThat(((out[4] & 0xff) << 8) | (out[5] & 0xff)).isEqualTo(8 + 2000);
    assertThat(out).isEqualTo(Frag.whole6(d));
  }

  @Test
  void notFragmentsAndAtomicFragmentsAreLeftToThePipeline() {
    byte[] whole = Frag.ipv4(1, new byte[0], data(100, 0));
    assertThat(offer(whole, 0)).isEqualTo(Outcome.NOT_FRAGMENT);
    byte[] atomic = Frag.ipv6(44, concat(Frag.fragmentHeader(50, 0, false, 5), data(40, 0)));
    assertThat(offer(atomic, 0)).isEqualTo(Outcome.NOT_FRAGMENT);
    assertThat(offer(new byte[] {0x45, 0, 0}, 0)).isEqualTo(Outcome.NOT_FRAGMENT);
    assertThat(r.count(FragmentEvent.FRAGMENT)).isZero();
    assertThat(r.lastEvent()).isNull();
  }

  @Test
  void protocolsNotTakenAreLeftAlone() {
    Reassembler espOnly = Reassembler.builder().protocols(p -> p == 50 || p == 51).build();
    byte[] d = data(64, 0);
    byte[] tcp = fragment4(Frag.A4, Frag.B4, 6, 1, d, 0, 32, true);
    assertThat(espOnly.offer(tcp, 0, tcp.length, 0)).isEqualTo(Outcome.NOT_FRAGMENT);
    byte[] esp = fragment4(1, d, 0, 32, true);
    assertThat(espOnly.offer(esp, 0, esp.length, 0)).isEqualTo(Outcome.HELD);
  }

  @ParameterizedTest(name = "IPv{0}")
  @ValueSource(ints = {4, 6})
  void overlappingFragmentsDropTheWholeDatagramAndItsLaterFragments(int v) {
    byte[] d = data(256, 2);
    assertThat(offer(frag(v, 3, d, 0, 128, true), 0)).isEqualTo(Outcome.HELD);
    // RFC 5722: 120..248 overlaps 0..128 by 8 bytes: everything goes.
    assertThat(offer(frag(v, 3, d, 120, 248, true), 0)).isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.OVERLAP);
    assertThat(r.pendingBytes()).isZero();
    // The fragments that would have completed it are dropped as well, until the timeout.
    assertThat(offer(frag(v, 3, d, 128, 256, false), 1000)).isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.LATE);
    assertThat(offer(frag(v, 3, d, 0, 128, true), 2000)).isEqualTo(Outcome.DROPPED);
    assertThat(r.count(FragmentEvent.OVERLAP)).isEqualTo(1);
    assertThat(r.count(FragmentEvent.LATE)).isEqualTo(2);
    assertThat(r.count(FragmentEvent.REASSEMBLED)).isZero();
  }

  @Test
  void aFragmentInsideAnotherIsAnOverlapToo() {
    byte[] d = data(256, 2);
    offer(fragment4(4, d, 0, 192, true), 0);
    assertThat(offer(fragment4(4, d, 64, 128, true), 0)).isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.OVERLAP);
  }

  @Test
  void exactDuplicateIsDroppedAloneAndTheDatagramStillCompletes() {
    byte[] d = data(64, 4);
    byte[] first = fragment4(5, d, 0, 32, true);
    offer(first, 0);
    assertThat(offer(first, 0)).isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.DUPLICATE);
    assertThat(offer(fragment4(5, d, 32, 64, false), 0)).isEqualTo(Outcome.COMPLETE);
    assertThat(result()).isEqualTo(Frag.ipv4(5, new byte[0], d));
  }

  @Test
  void sameRangeWithOtherBytesIsAnOverlapNotADuplicate() {
    byte[] d = data(64, 4);
    offer(fragment4(5, d, 0, 32, true), 0);
    byte[] other = data(64, 99);
    assertThat(offer(fragment4(5, other, 0, 32, true), 0)).isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.OVERLAP);
  }

  @Test
  void datagramsThatNeverCompleteTimeOutOnTheCallersClock() {
    byte[] d = data(64, 4);
    offer(fragment4(1, d, 0, 32, true), 1_000);
    offer(fragment6(1, d, 0, 32, true), 1_000);
    assertThat(r.expire(30_999)).isZero();
    assertThat(r.pendingDatagrams()).isEqualTo(2);
    // IPv4 after 30 s (Linux's ipfrag_time), IPv6 after 60 s (RFC 8200).
    assertThat(r.expire(31_000)).isEqualTo(1);
    assertThat(r.pendingDatagrams()).isEqualTo(1);
    // Its last fragment, too late, starts a datagram of its own that will never complete.
    assertThat(offer(fragment4(1, d, 32, 64, false), 31_001)).isEqualTo(Outcome.HELD);
    assertThat(r.expire(61_000)).isEqualTo(1);
    assertThat(r.expireAll()).isEqualTo(1);
    assertThat(r.count(FragmentEvent.TIMEOUT)).isEqualTo(3);
    assertThat(r.pendingBytes()).isZero();
    assertThat(r.pendingDatagrams()).isZero();
  }

  @Test
  void timeoutsAreConfigurable() {
    Reassembler quick = Reassembler.builder().ipv4Timeout(Duration.ofSeconds(1)).build();
    byte[] f = fragment4(1, data(64, 0), 0, 32, true);
    quick.offer(f, 0, f.length, 0);
    assertThat(quick.expire(999)).isZero();
    assertThat(quick.expire(1000)).isEqualTo(1);
  }

  @Test
  void aFloodOfDatagramsEvictsTheOldestAndKeepsTheCountBounded() {
    Reassembler small = Reassembler.builder().maxDatagrams(4).build();
    byte[] d = data(64, 1);
    for (int id = 0; id < 100; id++) {
      byte[] f = fragment4(id, d, 0, 32, true);
      assertThat(small.offer(f, 0, f.length, id)).isEqualTo(Outcome.HELD);
      assertThat(small.pendingDatagrams()).isLessThanOrEqualTo(4);
    }
    assertThat(small.count(FragmentEvent.EVICTED)).isEqualTo(96);
    // The newest still completes.
    byte[] last = fragment4(99, d, 32, 64, false);
    assertThat(small.offer(last, 0, last.length, 100)).isEqualTo(Outcome.COMPLETE);
    // The oldest does not: its first half was evicted.
    byte[] old = fragment4(0, d, 32, 64, false);
    assertThat(small.offer(old, 0, old.length, 100)).isEqualTo(Outcome.HELD);
  }

  @Test
  void memoryIsBoundedByEvictingTheOldest() {
    Reassembler small = Reassembler.builder().maxBytes(10_000).build();
    byte[] d = data(4000, 1);
    for (int id = 0; id < 20; id++) {
      byte[] f = fragment4(id, d, 0, 2000, true);
      small.offer(f, 0, f.length, 0);
      assertThat(small.pendingBytes()).isLessThanOrEqualTo(10_000);
    }
    assertThat(small.count(FragmentEvent.EVICTED)).isEqualTo(16);
    // A single datagram bigger than the whole bound cannot be held at all.
    Reassembler tiny = Reassembler.builder().maxBytes(1000).build();
    byte[] big = fragment4(1, d, 0, 2000, true);
    assertThat(tiny.offer(big, 0, big.length, 0)).isEqualTo(Outcome.DROPPED);
    assertThat(tiny.lastEvent()).isEqualTo(FragmentEvent.EVICTED);
    assertThat(tiny.pendingBytes()).isZero();
  }

  @Test
  void tooManyFragmentsDropTheDatagram() {
    Reassembler few = Reassembler.builder().maxFragments(8).build();
    byte[] d = data(8 * 20, 1);
    Outcome last = null;
    for (int i = 0; i < 9; i++) {
      byte[] f = fragment4(1, d, i * 8, i * 8 + 8, true);
      last = few.offer(f, 0, f.length, 0);
    }
    assertThat(last).isEqualTo(Outcome.DROPPED);
    assertThat(few.lastEvent()).isEqualTo(FragmentEvent.TOO_MANY_FRAGMENTS);
    assertThat(few.pendingBytes()).isZero();
  }

  @Test
  void pingOfDeathIsTooBig() {
    // Offset 65528 with 16 bytes: the datagram would end at 20 + 65544 > 65535.
    byte[] f =
        concat(Frag.ipv4Header(Frag.A4, Frag.B4, 50, 1, 65528 / 8, new byte[0], 16), data(16, 0));
    assertThat(offer(f, 0)).isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.TOO_BIG);
    byte[] v6 = Frag.ipv6(44, concat(Frag.fragmentHeader(50, 65528, false, 1), data(16, 0)));
    assertThat(offer(v6, 0)).isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.TOO_BIG);
    assertThat(r.count(FragmentEvent.TOO_BIG)).isEqualTo(2);
  }

  @Test
  void fragmentsThatDisagreeOnTheEndDropTheDatagram() {
    byte[] d = data(128, 1);
    offer(fragment4(1, d, 64, 128, false), 0);
    assertThat(offer(fragment4(1, d, 64, 96, false), 0)).isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.INCONSISTENT);
    offer(fragment4(2, d, 32, 64, false), 0);
    assertThat(offer(fragment4(2, d, 64, 96, true), 0))
        .as("data past the end")
        .isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.INCONSISTENT);
  }

  @Test
  void nonFinalFragmentOfOddLengthOrEmptyIsMalformed() {
    byte[] d = data(64, 1);
    assertThat(offer(fragment4(1, d, 0, 30, true), 0)).isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.MALFORMED);
    assertThat(offer(fragment4(1, d, 32, 32, true), 0)).isEqualTo(Outcome.DROPPED);
    assertThat(r.lastEvent()).isEqualTo(FragmentEvent.MALFORMED);
    assertThat(r.pendingDatagrams()).isZero();
  }

  @Test
  void differentIdentificationsOrAddressesAreDifferentDatagrams() {
    byte[] d = data(64, 1);
    offer(fragment4(1, d, 0, 32, true), 0);
    offer(fragment4(Frag.A4, "192.0.2.3", 50, 1, d, 32, 64, false), 0);
    offer(fragment4(2, d, 32, 64, false), 0);
    assertThat(r.pendingDatagrams()).isEqualTo(3);
    assertThat(offer(fragment4(1, d, 32, 64, false), 0)).isEqualTo(Outcome.COMPLETE);
  }

  @Test
  void statsNameEveryEvent() {
    ReassemblyStats s = r.stats();
    assertThat(s.counts().keySet())
        .containsExactly(
            "fragments",
            "reassembled",
            "timeout",
            "evicted",
            "overlap",
            "too_big",
            "too_many_fragments",
            "inconsistent",
            "duplicate",
            "late",
            "malformed");
  }
}
