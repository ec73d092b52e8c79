package org.ipsecemu.datapath.fragment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ipsecemu.datapath.fragment.Frag.concat;
import static org.ipsecemu.datapath.fragment.Frag.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ipsecemu.datapath.fragment.Fragmenter.Outcome;
import org.ipsecemu.datapath.packet.Checksum;
import org.junit.jupiter.api.Test;

/**
 * Fragmentation after IPsec (RFC 4303 §3.3.5): the fragments follow RFC 791 and RFC 8200 §4.5, and
 * the reassembler, given them in any order, gives back the packet.
 */
class FragmenterTest {
  private static List<byte[]> run(Fragmenter f, byte[] p, Outcome expected) {
    List<byte[]> out = new ArrayList<>();
    assertThat(f.fragment(p, 0, p.length, (b, o, l) -> out.add(Arrays.copyOfRange(b, o, o + l))))
        .isEqualTo(expected);
    return out;
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  @Test
  void packetsWithinTheMtuAreLeftAlone() {
    byte[] p = Frag.ipv4(1, new byte[0], data(1480, 0));
    assertThat(run(new Fragmenter(1500, 0), p, Outcome.NOT_NEEDED)).isEmpty();
  }

  @Test
  void ipv4FragmentsCarryMultiplesOfEightAndOnlyCopiedOptionsAfterTheFirst() {
    // Router Alert (type 0x94, copied) and a Timestamp-like option without the copied bit.
    byte[] options = {(byte) 0x94, 4, 0, 0, 0x44, 4, 5, 0};
    byte[] p = Frag.ipv4(0x4242, options, data(3000, 1));
    List<byte[]> frags = run(new Fragmenter(1500, 0), p, Outcome.FRAGMENTED);
    assertThat(frags).hasSize(3);
    int expectedOffset = 0;
    for (int i = 0; i < frags.size(); i++) {
      byte[] f = frags.get(i);
      int h = (f[0] & 0xf) * 4;
      assertThat(f.length).isLessThanOrEqualTo(1500);
      assertThat(u16(f, 2)).isEqualTo(f.length);
      assertThat(u16(f, 4)).as("identification").isEqualTo(0x4242);
      boolean last = i == frags.size() - 1;
      assertThat(u16(f, 6) & 0x2000).isEqualTo(last ? 0 : 0x2000);
      assertThat((u16(f, 6) & 0x1fff) * 8).isEqualTo(expectedOffset);
      if (!last) {
        assertThat((f.length - h) % 8).isZero();
      }
      assertThat(h).isEqualTo(i == 0 ? 28 : 24);
      if (i > 0) {
        assertThat(Arrays.copyOfRange(f, 20, 24)).isEqualTo(new byte[] {(byte) 0x94, 4, 0, 0});
      }
      assertThat(Checksum.checksum(f, 0, h)).isZero();
      expectedOffset += f.length - h;
    }
    assertThat(expectedOffset).isEqualTo(3000);
  }

  @Test
  void ipv4WithDontFragmentIsRefused() {
    byte[] p =
        concat(Frag.ipv4Header(Frag.A4, Frag.B4, 50, 1, 0x4000, new byte[0], 2000), data(2000, 0));
    Fragmenter f = new Fragmenter(1500, 0);
    assertThat(run(f, p, Outcome.DONT_FRAGMENT)).isEmpty();
    assertThat(f.dontFragmentRefused()).isEqualTo(1);
  }

  @Test
  void ipv6FragmentsRepeatTheUnfragmentablePartAndCountTheirIdentification() {
    byte[] p = Frag.whole6(data(3000, 2));
    Fragmenter f = new Fragmenter(1280, 77);
    List<byte[]> frags = run(f, p, Outcome.FRAGMENTED);
    assertThat(frags).hasSize(3);
    for (byte[] x : frags) {
      assertThat(x.length).isLessThanOrEqualTo(1280);
      assertThat(x[40]).as("Hop-by-Hop names the Fragment header").isEqualTo((byte) 44);
      assertThat(x[48]).as("the Fragment header names ESP").isEqualTo((byte) 50);
      assertThat(Arrays.copyOfRange(x, 52, 56)).isEqualTo(new byte[] {0, 0, 0, 77});
      assertThat(u16(x, 4)).isEqualTo(x.length - 40);
    }
    List<byte[]> again = run(f, p, Outcome.FRAGMENTED);
    assertThat(again.get(0)[55]).isEqualTo((byte) 78);
    assertThat(f.packetsFragmented()).isEqualTo(2);
    assertThat(f.fragmentsMade()).isEqualTo(6);
  }

  @Test
  void anMtuTooSmallForIpv6OrAFragmentAlreadyIsMalformed() {
    assertThat(run(new Fragmenter(576, 0), Frag.whole6(data(1000, 0)), Outcome.MALFORMED))
        .isEmpty();
    byte[] fragment = Frag.fragment6(1, data(3000, 0), 0, 1600, true);
    assertThat(run(new Fragmenter(1280, 0), fragment, Outcome.MALFORMED)).isEmpty();
  }

  @Property(tries = 200)
  void fragmentsReassembleToThePacketInAnyOrder(
      @ForAll @IntRange(min = 1, max = 20000) int size,
      @ForAll @IntRange(min = 576, max = 9000) int mtu,
      @ForAll boolean ipv6,
      @ForAll long seed) {
    byte[] p =
        ipv6 ? Frag.whole6(data(size, (int) seed)) : Frag.ipv4(9, new byte[0], data(size, 3));
    Fragmenter f = new Fragmenter(ipv6 ? Math.max(mtu, 1280) : mtu, (int) seed);
    List<byte[]> frags = new ArrayList<>();
    Outcome o =
        f.fragment(
            p, 0, p.length, (b, off, len) -> frags.add(Arrays.copyOfRange(b, off, off + len)));
    if (o == Outcome.NOT_NEEDED) {
      assertThat(p.length).isLessThanOrEqualTo(ipv6 ? Math.max(mtu, 1280) : mtu);
      return;
    }
    assertThat(o).isEqualTo(Outcome.FRAGMENTED);
    Collections.shuffle(frags, new Random(seed));
    Reassembler r = Reassembler.builder().build();
    int complete = 0;
    for (byte[] x : frags) {
      Reassembler.Outcome ro = r.offer(x, 0, x.length, 0);
      if (ro == Reassembler.Outcome.COMPLETE) {
        complete++;
        assertThat(Arrays.copyOfRange(r.buffer(), 0, r.length())).isEqualTo(p);
      } else {
        assertThat(ro).isEqualTo(Reassembler.Outcome.HELD);
      }
    }
    assertThat(complete).isEqualTo(1);
  }
}
