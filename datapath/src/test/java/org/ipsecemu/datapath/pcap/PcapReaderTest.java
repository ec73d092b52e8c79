package org.ipsecemu.datapath.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ipsecemu.datapath.pcap.Captures.BASE_NSEC;
import static org.ipsecemu.datapath.pcap.Captures.BASE_SEC;
import static org.ipsecemu.datapath.pcap.Captures.BASE_USEC;
import static org.ipsecemu.datapath.pcap.Captures.readAll;
import static org.ipsecemu.datapath.pcap.Captures.resource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads the captures of {@code src/test/resources/pcap} (made by make.py) through libpcap. The
 * expected values are worked out from make.py: a UDP packet with a 10-byte payload is 38 bytes of
 * IPv4 or 58 of IPv6; Ethernet adds 14 bytes, each VLAN tag 4, SLL 16, SLL2 20, NULL/LOOP 4.
 */
class PcapReaderTest {

  /** Checks frame i's IP packet and its make.py timestamp (microsecond files). */
  private static void assertIp(Frame f, int index, int offset, int length, int version) {
    assertThat(f.number()).isEqualTo(index + 1);
    assertThat(f.hasIp()).as("frame %d has IP", index + 1).isTrue();
    assertThat(f.ipOffset()).as("frame %d ip offset", index + 1).isEqualTo(offset);
    assertThat(f.ipLength()).as("frame %d ip length", index + 1).isEqualTo(length);
    assertThat(f.ipVersion()).as("frame %d ip version", index + 1).isEqualTo(version);
    assertThat(f.length()).isEqualTo(offset + length);
    assertMicroTime(f, index);
  }

  private static void assertMicroTime(Frame f, int index) {
    assertThat(f.epochSecond()).isEqualTo(BASE_SEC + index);
    assertThat(f.nanos()).isEqualTo((BASE_USEC + index) * 1000);
  }

  private static void assertNonIp(Frame f, NonIpReason reason, int protocol) {
    assertThat(f.hasIp()).isFalse();
    assertThat(f.nonIpReason()).isEqualTo(reason);
    assertThat(f.linkProtocol()).isEqualTo(protocol);
  }

  @Test
  void readsEthernetWithArpOtherEtherTypesPaddingAndSnaplen() throws Exception {
    Path file = resource("ethernet.pcap");
    try (PcapReader in = PcapReader.open(file)) {
      assertThat(in.linkType()).isEqualTo(LinkType.EN10MB);
      assertThat(in.format()).isEqualTo(CaptureFormat.PCAP);
    }
    List<Frame> frames = readAll(file);
    assertThat(frames).hasSize(6);
    assertIp(frames.get(0), 0, 14, 38, 4);
    assertIp(frames.get(1), 1, 14, 58, 6);
    assertNonIp(frames.get(2), NonIpReason.ARP, 0x0806);
    assertThat(frames.get(2).length()).isEqualTo(42); // 14 + 28 bytes of ARP
    assertNonIp(frames.get(3), NonIpReason.OTHER_ETHERTYPE, 0x88CC);
    Frame padded = frames.get(4);
    assertThat(padded.length()).isEqualTo(60);
    assertThat(padded.ipLength()).isEqualTo(28); // IPv4 + ICMP echo, then 18 bytes of padding
    assertMicroTime(padded, 4);
    Frame cut = frames.get(5);
    assertThat(cut.length()).isEqualTo(96);
    assertThat(cut.originalLength()).isEqualTo(1514);
    assertThat(cut.ipLength()).isEqualTo(82);
    assertThat(cut.ipTruncated()).isTrue();
    assertThat(frames.get(0).originalLength()).isEqualTo(52);
  }

  @Test
  void readsCaptureWrittenByBigEndianHost() throws Exception {
    List<Frame> frames = readAll(resource("ethernet-be.pcap"));
    assertThat(frames).hasSize(2);
    assertIp(frames.get(0), 0, 14, 38, 4);
    assertIp(frames.get(1), 1, 14, 58, 6);
  }

  @Test
  void readsVlanTaggedEthernet() throws Exception {
    List<Frame> frames = readAll(resource("ethernet-vlan.pcap"));
    assertThat(frames).hasSize(3);
    assertIp(frames.get(0), 0, 18, 38, 4);
    assertIp(frames.get(1), 1, 18, 58, 6);
    assertNonIp(frames.get(2), NonIpReason.ARP, 0x0806);
  }

  @Test
  void readsQinqEthernet() throws Exception {
    List<Frame> frames = readAll(resource("ethernet-qinq.pcap"));
    assertThat(frames).hasSize(2);
    assertIp(frames.get(0), 0, 22, 38, 4);
    assertIp(frames.get(1), 1, 22, 58, 6);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // file, link type libpcap reports, frames
    "raw12.pcap, RAW, 2",
    "raw101.pcap, RAW, 3", // libpcap reads LINKTYPE_RAW as this system's DLT_RAW
    "raw14.pcap, RAW_OPENBSD, 2",
  })
  void readsRawIpInEachNumbering(String name, LinkType type, int count) throws Exception {
    Path file = resource(name);
    try (PcapReader in = PcapReader.open(file)) {
      assertThat(in.linkType()).isEqualTo(type);
    }
    List<Frame> frames = readAll(file);
    assertThat(frames).hasSize(count);
    assertIp(frames.get(0), 0, 0, 38, 4);
    assertIp(frames.get(1), 1, 0, 58, 6);
    if (count == 3) {
      assertNonIp(frames.get(2), NonIpReason.UNKNOWN_IP_VERSION, 5);
    }
  }

  @Test
  void readsIpv4AndIpv6LinkTypes() throws Exception {
    List<Frame> v4 = readAll(resource("ipv4-228.pcap"));
    assertThat(v4).hasSize(1);
    assertThat(v4.get(0).linkType()).isEqualTo(LinkType.IPV4);
    assertIp(v4.get(0), 0, 0, 38, 4);
    List<Frame> v6 = readAll(resource("ipv6-229.pcap"));
    assertThat(v6.get(0).linkType()).isEqualTo(LinkType.IPV6);
    assertIp(v6.get(0), 0, 0, 58, 6);
  }

  @Test
  void readsLinuxCookedCaptures() throws Exception {
    List<Frame> v1 = readAll(resource("sll.pcap"));
    assertThat(v1).hasSize(3);
    assertThat(v1.get(0).linkType()).isEqualTo(LinkType.LINUX_SLL);
    assertIp(v1.get(0), 0, 16, 38, 4);
    assertIp(v1.get(1), 1, 16, 58, 6);
    assertNonIp(v1.get(2), NonIpReason.ARP, 0x0806);
    List<Frame> v2 = readAll(resource("sll2.pcap"));
    assertThat(v2).hasSize(3);
    assertThat(v2.get(0).linkType()).isEqualTo(LinkType.LINUX_SLL2);
    assertIp(v2.get(0), 0, 20, 38, 4);
    assertIp(v2.get(1), 1, 20, 58, 6);
    assertNonIp(v2.get(2), NonIpReason.ARP, 0x0806);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // file, link type, family of the IPv6 frame (make.py)
    "null-le.pcap, NULL, 30",
    "null-be.pcap, NULL, 24",
    "loop.pcap, LOOP, 28",
  })
  void readsBsdLoopbackInBothByteOrders(String name, LinkType type, int inet6) throws Exception {
    List<Frame> frames = readAll(resource(name));
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).linkType()).isEqualTo(type);
    assertIp(frames.get(0), 0, 4, 38, 4);
    assertThat(frames.get(0).linkProtocol()).isEqualTo(2);
    assertIp(frames.get(1), 1, 4, 58, 6);
    assertThat(frames.get(1).linkProtocol()).isEqualTo(inet6);
  }

  @Test
  void readsNanosecondTimestamps() throws Exception {
    for (String name : List.of("nanos.pcap", "nanos.pcapng")) {
      Path file = resource(name);
      try (PcapReader in = PcapReader.open(file)) {
        assertThat(in.format())
            .isEqualTo(name.endsWith("ng") ? CaptureFormat.PCAPNG : CaptureFormat.NSECPCAP);
        assertThat(in.format().nanosecond()).isTrue();
      }
      List<Frame> frames = readAll(file);
      assertThat(frames).hasSize(2);
      assertThat(frames.get(0).epochSecond()).isEqualTo(BASE_SEC);
      assertThat(frames.get(0).nanos()).isEqualTo(BASE_NSEC);
      assertThat(frames.get(1).epochSecond()).isEqualTo(BASE_SEC + 1);
      assertThat(frames.get(1).nanos()).isEqualTo(BASE_NSEC + 1);
      assertThat(frames.get(1).timestamp().toString()).isEqualTo("2023-11-14T22:13:21.123456790Z");
    }
  }

  @Test
  void readsPcapng() throws Exception {
    List<Frame> frames = readAll(resource("ethernet-vlan.pcapng"));
    assertThat(frames).hasSize(3);
    assertIp(frames.get(0), 0, 18, 38, 4);
    assertIp(frames.get(1), 1, 18, 58, 6);
    assertNonIp(frames.get(2), NonIpReason.ARP, 0x0806);
  }

  @Test
  void reusesItsOwnFrameHolder() throws Exception {
    try (PcapReader in = PcapReader.open(resource("ethernet-vlan.pcap"))) {
      Frame first = in.next();
      Frame second = in.next();
      assertThat(second).isSameAs(first);
      assertThat(second.number()).isEqualTo(2);
      assertThat(in.next()).isNotNull();
      assertThat(in.next()).isNull();
      assertThat(in.next()).isNull();
      assertThat(in.framesRead()).isEqualTo(3);
    }
  }

  @Test
  void refusesUnsupportedLinkTypeNamingIt() {
    Path file = resource("ieee802_11.pcap");
    assertThatThrownBy(() -> PcapReader.open(file))
        .isInstanceOf(CaptureException.class)
        .hasMessageStartingWith(file + ": unsupported link type IEEE802_11 (105); replay reads ")
        .hasMessageContaining("EN10MB (1)")
        .hasMessageContaining("LINUX_SLL2 (276)")
        .extracting(e -> ((CaptureException) e).kind())
        .isEqualTo(CaptureException.Kind.UNSUPPORTED_LINK_TYPE);
  }

  @Test
  void refusesMissingFile(@TempDir Path dir) {
    Path file = dir.resolve("nowhere.pcap");
    assertThatThrownBy(() -> PcapReader.open(file))
        .isInstanceOf(CaptureException.class)
        .hasMessage(file + ": no such file")
        .extracting(e -> ((CaptureException) e).kind())
        .isEqualTo(CaptureException.Kind.NO_SUCH_FILE);
  }

  @Test
  void refusesDirectory(@TempDir Path dir) {
    assertThatThrownBy(() -> PcapReader.open(dir))
        .isInstanceOf(CaptureException.class)
        .hasMessage(dir + ": is a directory")
        .extracting(e -> ((CaptureException) e).kind())
        .isEqualTo(CaptureException.Kind.UNREADABLE);
  }

  @Test
  void refusesFileWithoutReadPermission(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret.pcap");
    Files.copy(resource("ethernet.pcap"), file);
    // root reads anything: there the permission check cannot be seen, and the test skips.
    org.junit.jupiter.api.Assumptions.assumeTrue(file.toFile().setReadable(false, false));
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "running as root");
    assertThatThrownBy(() -> PcapReader.open(file))
        .isInstanceOf(CaptureException.class)
        .hasMessage(file + ": permission denied");
  }

  @Test
  void refusesTextFile() {
    Path file = resource("not-a-capture.txt");
    assertThatThrownBy(() -> PcapReader.open(file))
        .isInstanceOf(CaptureException.class)
        .hasMessage(file + ": not a pcap or pcapng capture")
        .extracting(e -> ((CaptureException) e).kind())
        .isEqualTo(CaptureException.Kind.NOT_A_CAPTURE);
  }

  @Test
  void refusesEmptyFile() {
    Path file = resource("empty.pcap");
    assertThatThrownBy(() -> PcapReader.open(file))
        .isInstanceOf(CaptureException.class)
        .hasMessage(file + ": empty file, not a pcap or pcapng capture");
  }

  @Test
  void refusesCaptureCutInItsHeader() {
    Path file = resource("truncated-header.pcap");
    assertThatThrownBy(() -> PcapReader.open(file))
        .isInstanceOf(CaptureException.class)
        .hasMessageStartingWith(file + ": capture cut short in its header (")
        .extracting(e -> ((CaptureException) e).kind())
        .isEqualTo(CaptureException.Kind.TRUNCATED);
  }

  @Test
  void returnsFramesBeforeTheCutThenReportsIt() throws Exception {
    Path file = resource("truncated.pcap");
    List<Long> seen = new ArrayList<>();
    try (PcapReader in = PcapReader.open(file)) {
      assertThatThrownBy(
              () -> {
                for (Frame f = in.next(); f != null; f = in.next()) {
                  seen.add(f.number());
                }
              })
          .isInstanceOf(CaptureException.class)
          .hasMessageStartingWith(file + ": capture cut short after frame 2 (")
          .hasMessageNotContaining("pcap_next_ex")
          .extracting(e -> ((CaptureException) e).kind())
          .isEqualTo(CaptureException.Kind.TRUNCATED);
      assertThat(in.next()).isNull();
    }
    assertThat(seen).containsExactly(1L, 2L);
  }

  @ParameterizedTest
  @CsvSource({
    "ethernet.pcap",
    "ethernet-be.pcap",
    "ethernet-vlan.pcap",
    "ethernet-vlan.pcapng",
    "ethernet-qinq.pcap",
    "nanos.pcap",
    "nanos.pcapng",
    "sll2.pcap",
    "null-be.pcap",
    "raw101.pcap"
  })
  void directPcapNextExReadsWhatPcap4jDispatchReads(String name) throws Exception {
    assertThat(DirectRead.available()).isTrue();
    List<Frame> direct = readEach(resource(name), true);
    List<Frame> dispatch = readEach(resource(name), false);
    assertThat(direct).hasSameSizeAs(dispatch);
    for (int i = 0; i < direct.size(); i++) {
      Frame a = direct.get(i);
      Frame b = dispatch.get(i);
      assertThat(a.number()).isEqualTo(b.number()).isEqualTo(i + 1);
      assertThat(Arrays.copyOf(a.data(), a.length()))
          .as("frame %d", i + 1)
          .isEqualTo(Arrays.copyOf(b.data(), b.length()));
      assertThat(a.originalLength()).isEqualTo(b.originalLength());
      assertThat(a.epochSecond()).isEqualTo(b.epochSecond());
      assertThat(a.nanos()).isEqualTo(b.nanos());
      assertThat(a.hasIp()).isEqualTo(b.hasIp());
    }
  }

  @ParameterizedTest
  @CsvSource({"true", "false"})
  void eitherWayReturnsFramesBeforeTheCutThenReportsIt(boolean direct) throws Exception {
    Path file = resource("truncated.pcap");
    List<Long> seen = new ArrayList<>();
    try (PcapReader in = PcapReader.open(file, direct)) {
      assertThatThrownBy(
              () -> {
                for (Frame f = in.next(); f != null; f = in.next()) {
                  seen.add(f.number());
                }
              })
          .isInstanceOf(CaptureException.class)
          .hasMessageStartingWith(file + ": capture cut short after frame 2 (")
          .extracting(e -> ((CaptureException) e).kind())
          .isEqualTo(CaptureException.Kind.TRUNCATED);
      assertThat(in.next()).isNull();
    }
    assertThat(seen).containsExactly(1L, 2L);
  }

  private static List<Frame> readEach(Path file, boolean direct) throws CaptureException {
    List<Frame> frames = new ArrayList<>();
    try (PcapReader in = PcapReader.open(file, direct)) {
      for (Frame f = in.next(); f != null; f = in.next()) {
        frames.add(f.copy());
      }
    }
    return frames;
  }

  @Test
  void errorMessagesAreOneLine() {
    for (String name : List.of("ieee802_11.pcap", "not-a-capture.txt", "truncated-header.pcap")) {
      assertThatThrownBy(() -> PcapReader.open(resource(name))).hasMessageNotContaining("\n");
    }
  }
}
