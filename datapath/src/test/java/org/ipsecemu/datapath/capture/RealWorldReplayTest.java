package org.ipsecemu.datapath.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ipsecemu.datapath.fragment.Fragmenter;
import org.ipsecemu.datapath.fragment.Reassembler;
import org.ipsecemu.datapath.packet.BigEndian;
import org.ipsecemu.datapath.packet.Checksum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What real captures need of a replay beyond plain ESP and AH, on the bundled samples made into
 * such captures here: ESP fragmented after encryption (reassembled before IPsec, on the capture's
 * clock), protected packets fragmented at an MTU after IPsec ({@code --mtu}), and ESP in UDP 4500
 * that the key file does not declare (with IKE and NAT-keepalives around it), with one and with
 * several threads. The third-party captures themselves are checked by {@code captures_check.py}
 * from {@code .ci/run}.
 */
class RealWorldReplayTest {
  private static final String SAMPLE = "esp-3des-sha1-tunnel-v4";

  @TempDir Path dir;

  private static KeyFileSet keys(String name) throws ReplayException {
    return KeyFileSet.read(List.of(TestCaptures.pcaps().resolve(name + ".conf")));
  }

  private static List<byte[]> sample(String suffix) throws Exception {
    return TestCaptures.ipPackets(TestCaptures.pcaps().resolve(SAMPLE + suffix + ".pcap"));
  }

  private Path write(String name, List<byte[]> ipPackets) throws Exception {
    List<byte[]> frames = new ArrayList<>();
    for (byte[] p : ipPackets) {
      frames.add(TestCaptures.ethernet(p));
    }
    Path in = dir.resolve(name);
    TestCaptures.writePcap(
        in, 1, frames, TestCaptures.times(frames.size(), 1_700_000_000_000L, 10));
    return in;
  }

  /**
   * The IPv4 fragments of {@code packet} at {@code mtu}, as a sender's IP layer would make them.
   */
  private static List<byte[]> fragments(byte[] packet, int mtu) {
    List<byte[]> out = new ArrayList<>();
    Fragmenter f = new Fragmenter(mtu, 0);
    Fragmenter.Outcome o =
        f.fragment(
            packet,
            0,
            packet.length,
            (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len)));
    assertThat(o).isEqualTo(Fragmenter.Outcome.FRAGMENTED);
    return out;
  }

  @Test
  void espFragmentedAfterEncryptionIsReassembledThenDecrypted() throws Exception {
    List<byte[]> esp = sample("");
    List<byte[]> plain = sample(".plain");
    List<byte[]> frames = new ArrayList<>();
    int pieces = 0;
    for (int i = 0; i < esp.size(); i++) {
      List<byte[]> f = fragments(esp.get(i), 68);
      if (i % 2 == 1) {
        java.util.Collections.reverse(f); // the last fragment first: order must not matter
      }
      pieces += f.size();
      frames.addAll(f);
    }
    Path out = dir.resolve("out.pcap");
    for (int threads : new int[] {1, 2}) {
      ReplayReport r =
          CaptureReplay.builder(keys(SAMPLE))
              .output(out)
              .threads(threads)
              .build()
              .run(write("frags.pcap", frames));
      assertThat(TestCaptures.ipPackets(out))
          .as("threads %d", threads)
          .containsExactlyElementsOf(plain);
      assertThat(r.inbound().get("ok")).isEqualTo(esp.size());
      assertThat(r.packets().get("fragments")).isEqualTo(pieces - esp.size());
      assertThat(r.reassembly().get("reassembled")).isEqualTo(esp.size());
      assertThat(r.reassembly().get("fragments")).isEqualTo(pieces);
      assertThat(r.toJson()).contains("\"reassembly\"");
    }
  }

  @Test
  void fragmentsThatNeverCompleteAreCountedAndOverlapsDropped() throws Exception {
    List<byte[]> esp = sample("");
    List<byte[]> first = fragments(esp.get(0), 68);
    List<byte[]> second = fragments(esp.get(1), 68);
    List<byte[]> frames = new ArrayList<>();
    frames.add(first.get(0)); // never completed
    // The second datagram with an overlapping copy of its first fragment (other bytes, RFC 5722).
    byte[] overlap = second.get(0).clone();
    overlap[overlap.length - 1] ^= 1;
    frames.add(second.get(0));
    frames.add(overlap);
    frames.addAll(second.subList(1, second.size()));
    frames.add(esp.get(2)); // whole: decrypted as usual
    Path out = dir.resolve("out.pcap");
    ReplayReport r =
        CaptureReplay.builder(keys(SAMPLE)).output(out).build().run(write("bad.pcap", frames));
    assertThat(TestCaptures.ipPackets(out)).containsExactly(sample(".plain").get(2));
    assertThat(r.reassembly().get("pending_at_end")).isEqualTo(1);
    assertThat(r.reassembly().get("overlap")).isEqualTo(1);
    assertThat(r.reassembly().get("reassembled")).isZero();
    assertThat(r.inbound().get("ok")).isEqualTo(1);
    assertThat(r.packets().get("fragments")).isEqualTo(frames.size() - 1);
  }

  @Test
  void mtuFragmentsProtectedPacketsAfterIpsecAndTheyReassembleAndDecrypt() throws Exception {
    Path in = TestCaptures.pcaps().resolve("outbound-policies.pcap");
    Path out = dir.resolve("out.pcap");
    int mtu = 96;
    ReplayReport r =
        CaptureReplay.builder(keys("outbound-policies"))
            .output(out)
            .seed(1L)
            .mtu(mtu)
            .build()
            .run(in);
    assertThat(r.outbound().get("ok")).isEqualTo(5);
    List<byte[]> written = TestCaptures.ipPackets(out);
    long fragments = r.fragmentation().get("fragments");
    assertThat(r.fragmentation().get("packets")).isEqualTo(5);
    assertThat(written).hasSize((int) (fragments + 1)); // and the bypassed packet
    Reassembler reassembler = Reassembler.builder().build();
    List<byte[]> esp = new ArrayList<>();
    for (byte[] p : written) {
      assertThat(p.length).isLessThanOrEqualTo(mtu);
      if (reassembler.offer(p, 0, p.length, 0) == Reassembler.Outcome.COMPLETE) {
        esp.add(
            Arrays.copyOfRange(
                reassembler.buffer(),
                reassembler.offset(),
                reassembler.offset() + reassembler.length()));
      }
    }
    // Without an MTU the same replay (same seed, so the same IVs) gives these very ESP packets.
    Path whole = dir.resolve("whole.pcap");
    CaptureReplay.builder(keys("outbound-policies")).output(whole).seed(1L).build().run(in);
    List<byte[]> unfragmented = TestCaptures.ipPackets(whole).subList(0, 5);
    assertThat(esp).hasSize(5);
    for (int i = 0; i < 5; i++) {
      // Reassembly gives back the header the fragmenter split (identification, flags, checksum).
      assertThat(esp.get(i)).as("packet %d", i).isEqualTo(unfragmented.get(i));
    }
  }

  @Test
  void protectedPacketsTooBigWithDontFragmentAreDroppedAndCountedNotOk() throws Exception {
    List<byte[]> clear =
        TestCaptures.ipPackets(TestCaptures.pcaps().resolve("outbound-policies.pcap"));
    List<byte[]> df = new ArrayList<>();
    for (byte[] p : clear) {
      byte[] q = p.clone();
      q[6] |= 0x40; // DF, which the tunnel's outer header copies (Linux's default)
      BigEndian.putU16(q, 10, 0);
      BigEndian.putU16(q, 10, ~Checksum.sum(q, 0, (q[0] & 0xf) * 4, 0) & 0xffff);
      df.add(q);
    }
    ReplayReport r =
        CaptureReplay.builder(keys("outbound-policies")).mtu(96).build().run(write("df.pcap", df));
    assertThat(r.outboundDropped().get("dont_fragment")).isEqualTo(5);
    assertThat(r.outbound().get("ok")).isZero();
    assertThat(r.fragmentation().get("packets")).isZero();
    assertThat(
            r.outbound().get("ok")
                + r.outbound().get("bypass")
                + r.outbound().get("discard")
                + r.outbound().get("dropped"))
        .isEqualTo(r.packets().get("outbound"));
  }

  /** {@code esp} (IPv4, no options) with a UDP header on port 4500 put between IP and ESP. */
  private static byte[] inUdp(byte[] esp, int sport, int dport) {
    byte[] p = new byte[esp.length + 8];
    System.arraycopy(esp, 0, p, 0, 20);
    System.arraycopy(esp, 20, p, 28, esp.length - 20);
    p[9] = 17;
    BigEndian.putU16(p, 2, p.length);
    BigEndian.putU16(p, 10, 0);
    BigEndian.putU16(p, 10, ~Checksum.sum(p, 0, 20, 0) & 0xffff);
    BigEndian.putU16(p, 20, sport);
    BigEndian.putU16(p, 22, dport);
    BigEndian.putU16(p, 24, p.length - 20);
    return p;
  }

  @Test
  void espInUdp4500IsDecryptedThoughTheKeyFileDoesNotSaySoAndIkeAndKeepalivesPass()
      throws Exception {
    List<byte[]> esp = sample("");
    List<byte[]> plain = sample(".plain");
    byte[] header = Arrays.copyOf(esp.get(0), 20);
    byte[] keepalive = inUdp(concat(header, new byte[] {(byte) 0xff}), 4500, 4500);
    byte[] ike =
        inUdp(concat(header, new byte[] {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), 4500, 4500);
    List<byte[]> frames = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    frames.add(keepalive);
    expected.add(keepalive);
    for (int i = 0; i < esp.size(); i++) {
      frames.add(inUdp(esp.get(i), 4500, i % 2 == 0 ? 4500 : 34567));
      expected.add(plain.get(i));
      if (i == 1) {
        frames.add(ike);
        expected.add(ike);
      }
    }
    Path out = dir.resolve("out.pcap");
    for (int threads : new int[] {1, 3}) {
      ReplayReport r =
          CaptureReplay.builder(keys(SAMPLE))
              .output(out)
              .threads(threads)
              .build()
              .run(write("udp.pcap", frames));
      assertThat(TestCaptures.ipPackets(out))
          .as("threads %d", threads)
          .containsExactlyElementsOf(expected);
      assertThat(r.inbound().get("ok")).isEqualTo(frames.size());
      assertThat(r.packets().get("inbound")).isEqualTo(frames.size());
      assertThat(r.sas().stream().mapToLong(ReplayReport.SaReport::packets).sum())
          .isEqualTo(esp.size());
    }
  }

  @Test
  void espInUdpOnThePortsAnSaDeclaresIsDecryptedAndOtherPortsAreLeftAlone() throws Exception {
    String conf =
        java.nio.file.Files.readString(TestCaptures.pcaps().resolve(SAMPLE + ".conf"))
            .replace("add 192.0.2.1 192.0.2.2 esp ", "add 192.0.2.1[4501] 192.0.2.2[4501] esp-udp ")
            .replace(
                "add 192.0.2.2 192.0.2.1 esp ", "add 192.0.2.2[4501] 192.0.2.1[4501] esp-udp ");
    assertThat(conf).contains("esp-udp 0x1001").contains("esp-udp 0x2001");
    Path keys = dir.resolve("udp.conf");
    java.nio.file.Files.writeString(keys, conf);
    List<byte[]> esp = sample("");
    List<byte[]> frames = new ArrayList<>();
    for (byte[] p : esp) {
      frames.add(inUdp(p, 4501, 4501));
    }
    byte[] otherPorts = inUdp(esp.get(0), 4501, 4502);
    frames.add(otherPorts);
    List<byte[]> expected = new ArrayList<>(sample(".plain"));
    expected.add(otherPorts); // not NAT-T: an ordinary datagram, bypassed unchanged
    Path out = dir.resolve("out.pcap");
    for (int threads : new int[] {1, 2}) {
      ReplayReport r =
          CaptureReplay.builder(KeyFileSet.read(List.of(keys)))
              .output(out)
              .threads(threads)
              .build()
              .run(write("ports.pcap", frames));
      assertThat(TestCaptures.ipPackets(out))
          .as("threads %d", threads)
          .containsExactlyElementsOf(expected);
      assertThat(r.inbound().get("ok")).isEqualTo(esp.size());
      assertThat(r.outbound().get("bypass")).isEqualTo(1);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    BigEndian.putU16(c, 2, c.length);
    return c;
  }
}
