package org.ipsecemu.datapath.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Finding the IP packet in frames of every link type, and rebuilding frames around new ones. */
class LinkLayerTest {
  private static final Random RANDOM = new Random(42);

  // --- building blocks, written out by hand from the header layouts ---

  /** An IPv4 packet of {@code total} bytes whose total length field says {@code declared}. */
  static byte[] ipv4(int total, int declared) {
    byte[] p = random(total);
    p[0] = 0x45;
    p[2] = (byte) (declared >> 8);
    p[3] = (byte) declared;
    return p;
  }

  static byte[] ipv4(int total) {
    return ipv4(total, total);
  }

  /** An IPv6 packet of {@code total} bytes whose payload length says {@code declared} - 40. */
  static byte[] ipv6(int total, int declared) {
    byte[] p = random(total);
    p[0] = 0x60;
    p[4] = (byte) ((declared - 40) >> 8);
    p[5] = (byte) (declared - 40);
    return p;
  }

  static byte[] ipv6(int total) {
    return ipv6(total, total);
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  static byte[] macs() {
    return bytes(2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa);
  }

  static byte[] type(int t) {
    return bytes(t >> 8, t);
  }

  static byte[] tag(int vlan, int innerType) {
    return bytes(vlan >> 8, vlan, innerType >> 8, innerType);
  }

  static Frame frame(LinkType type, byte[] data) {
    return new Frame().wrap(type, data, data.length);
  }

  // --- Ethernet ---

  @Test
  void findsIpv4InEthernet() {
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x0800), ipv4(38)));
    assertThat(f.hasIp()).isTrue();
    assertThat(f.ipOffset()).isEqualTo(14);
    assertThat(f.ipLength()).isEqualTo(38);
    assertThat(f.ipVersion()).isEqualTo(4);
    assertThat(f.ipTruncated()).isFalse();
    assertThat(f.linkProtocol()).isEqualTo(0x0800);
  }

  @Test
  void findsIpv6InEthernet() {
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x86DD), ipv6(58)));
    assertThat(f.ipOffset()).isEqualTo(14);
    assertThat(f.ipLength()).isEqualTo(58);
    assertThat(f.ipVersion()).isEqualTo(6);
  }

  @Test
  void leavesEthernetPaddingOutOfTheIpPacket() {
    // 28 bytes of IPv4 padded to the 60-byte Ethernet minimum.
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x0800), ipv4(28), new byte[18]));
    assertThat(f.length()).isEqualTo(60);
    assertThat(f.ipLength()).isEqualTo(28);
    assertThat(f.ipTruncated()).isFalse();
  }

  @Test
  void marksIpPacketCutBySnaplenAsTruncated() {
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x0800), ipv4(82, 1500)));
    assertThat(f.ipLength()).isEqualTo(82);
    assertThat(f.ipTruncated()).isTrue();
  }

  @Test
  void takesTheCapturedBytesWhenIpv4TotalLengthIsZero() {
    // Segmentation offload: the kernel hands the capture a packet with total length 0.
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x0800), ipv4(3000, 0)));
    assertThat(f.ipLength()).isEqualTo(3000);
    assertThat(f.ipTruncated()).isFalse();
  }

  @Test
  void takesTheCapturedBytesForAnIpv6Jumbogram() {
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x86DD), ipv6(100, 40)));
    assertThat(f.ipLength()).isEqualTo(100);
  }

  @Test
  void marksIpHeaderTooShortForItsLengthFieldAsTruncated() {
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x0800), bytes(0x45, 0)));
    assertThat(f.hasIp()).isTrue();
    assertThat(f.ipLength()).isEqualTo(2);
    assertThat(f.ipTruncated()).isTrue();
  }

  @Test
  void passesArpThroughWithItsReason() {
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x0806), random(28)));
    assertThat(f.hasIp()).isFalse();
    assertThat(f.nonIpReason()).isEqualTo(NonIpReason.ARP);
    assertThat(f.linkProtocol()).isEqualTo(0x0806);
    assertThat(f.ipOffset()).isEqualTo(-1);
    assertThat(f.ipVersion()).isZero();
  }

  @Test
  void passesOtherEtherTypesAndLlcThrough() {
    Frame lldp = frame(LinkType.EN10MB, cat(macs(), type(0x88CC), random(20)));
    assertThat(lldp.nonIpReason()).isEqualTo(NonIpReason.OTHER_ETHERTYPE);
    assertThat(lldp.linkProtocol()).isEqualTo(0x88CC);
    // 802.3: a length (46) where the EtherType would be, then LLC.
    Frame llc = frame(LinkType.EN10MB, cat(macs(), type(46), random(46)));
    assertThat(llc.nonIpReason()).isEqualTo(NonIpReason.OTHER_ETHERTYPE);
  }

  @Test
  void rejectsEthernetFrameShorterThanItsHeader() {
    Frame f = frame(LinkType.EN10MB, random(13));
    assertThat(f.nonIpReason()).isEqualTo(NonIpReason.SHORT_LINK_HEADER);
    assertThat(f.linkProtocol()).isEqualTo(-1);
  }

  @Test
  void followsAn8021qTag() {
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x8100), tag(100, 0x86DD), ipv6(58)));
    assertThat(f.ipOffset()).isEqualTo(18);
    assertThat(f.ipVersion()).isEqualTo(6);
    assertThat(f.linkProtocol()).isEqualTo(0x86DD);
  }

  @Test
  void followsQinqTags() {
    Frame ad =
        frame(
            LinkType.EN10MB,
            cat(macs(), type(0x88A8), tag(10, 0x8100), tag(100, 0x0800), ipv4(38)));
    assertThat(ad.ipOffset()).isEqualTo(22);
    assertThat(ad.ipVersion()).isEqualTo(4);
    Frame old =
        frame(
            LinkType.EN10MB,
            cat(macs(), type(0x9100), tag(1, 0x88A8), tag(10, 0x8100), tag(100, 0x0800), ipv4(38)));
    assertThat(old.ipOffset()).isEqualTo(26);
  }

  @Test
  void rejectsFrameEndingInsideAVlanTag() {
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x8100), bytes(0, 100, 0x08)));
    assertThat(f.nonIpReason()).isEqualTo(NonIpReason.SHORT_LINK_HEADER);
  }

  // --- Linux cooked ---

  static byte[] sll(int protocol) {
    return cat(bytes(0, 0, 0, 1, 0, 6), random(8), type(protocol));
  }

  static byte[] sll2(int protocol) {
    return cat(type(protocol), bytes(0, 0, 0, 0, 0, 3, 0, 1, 4, 6), random(8));
  }

  @Test
  void findsIpInLinuxCookedV1() {
    Frame f = frame(LinkType.LINUX_SLL, cat(sll(0x0800), ipv4(38)));
    assertThat(f.ipOffset()).isEqualTo(16);
    assertThat(f.ipVersion()).isEqualTo(4);
    Frame arp = frame(LinkType.LINUX_SLL, cat(sll(0x0806), random(28)));
    assertThat(arp.nonIpReason()).isEqualTo(NonIpReason.ARP);
    Frame tagged = frame(LinkType.LINUX_SLL, cat(sll(0x8100), tag(7, 0x86DD), ipv6(40)));
    assertThat(tagged.ipOffset()).isEqualTo(20);
    assertThat(tagged.ipVersion()).isEqualTo(6);
    assertThat(frame(LinkType.LINUX_SLL, random(15)).nonIpReason())
        .isEqualTo(NonIpReason.SHORT_LINK_HEADER);
  }

  @Test
  void findsIpInLinuxCookedV2() {
    Frame f = frame(LinkType.LINUX_SLL2, cat(sll2(0x86DD), ipv6(58)));
    assertThat(f.ipOffset()).isEqualTo(20);
    assertThat(f.ipVersion()).isEqualTo(6);
    Frame tagged = frame(LinkType.LINUX_SLL2, cat(sll2(0x8100), tag(7, 0x0800), ipv4(20)));
    assertThat(tagged.ipOffset()).isEqualTo(24);
    assertThat(tagged.ipVersion()).isEqualTo(4);
    assertThat(frame(LinkType.LINUX_SLL2, random(19)).nonIpReason())
        .isEqualTo(NonIpReason.SHORT_LINK_HEADER);
  }

  // --- BSD loopback ---

  @Test
  void readsNullFamilyInEitherByteOrder() {
    Frame le = frame(LinkType.NULL, cat(bytes(2, 0, 0, 0), ipv4(38)));
    assertThat(le.ipOffset()).isEqualTo(4);
    assertThat(le.ipVersion()).isEqualTo(4);
    assertThat(le.linkProtocol()).isEqualTo(2);
    Frame be = frame(LinkType.NULL, cat(bytes(0, 0, 0, 30), ipv6(58)));
    assertThat(be.ipVersion()).isEqualTo(6);
    assertThat(be.linkProtocol()).isEqualTo(30);
  }

  @Test
  void acceptsEachBsdValueOfAfInet6() {
    for (int family : new int[] {24, 28, 30}) {
      Frame f = frame(LinkType.LOOP, cat(bytes(0, 0, 0, family), ipv6(40)));
      assertThat(f.ipVersion()).as("family %d", family).isEqualTo(6);
    }
  }

  @Test
  void passesOtherFamiliesThrough() {
    // 23 is AF_IPX on the BSDs (and AF_INET6 only on Windows).
    Frame f = frame(LinkType.NULL, cat(bytes(23, 0, 0, 0), random(30)));
    assertThat(f.nonIpReason()).isEqualTo(NonIpReason.OTHER_FAMILY);
    assertThat(f.linkProtocol()).isEqualTo(23);
    assertThat(frame(LinkType.LOOP, bytes(0, 0, 2)).nonIpReason())
        .isEqualTo(NonIpReason.SHORT_LINK_HEADER);
  }

  // --- raw IP ---

  @Test
  void tellsRawIpVersionByItsFirstNibble() {
    for (LinkType raw :
        new LinkType[] {LinkType.RAW, LinkType.RAW_OPENBSD, LinkType.LINKTYPE_RAW}) {
      assertThat(frame(raw, ipv4(38)).ipVersion()).isEqualTo(4);
      Frame v6 = frame(raw, ipv6(58));
      assertThat(v6.ipVersion()).isEqualTo(6);
      assertThat(v6.ipOffset()).isZero();
      assertThat(v6.ipLength()).isEqualTo(58);
      Frame five = frame(raw, cat(bytes(0x50), random(19)));
      assertThat(five.nonIpReason()).isEqualTo(NonIpReason.UNKNOWN_IP_VERSION);
      assertThat(five.linkProtocol()).isEqualTo(5);
      assertThat(frame(raw, new byte[0]).nonIpReason()).isEqualTo(NonIpReason.UNKNOWN_IP_VERSION);
    }
  }

  @Test
  void takesVersionFromLinkTypeForIpv4AndIpv6LinkTypes() {
    assertThat(frame(LinkType.IPV4, ipv4(38)).ipVersion()).isEqualTo(4);
    assertThat(frame(LinkType.IPV6, ipv6(58)).ipVersion()).isEqualTo(6);
  }

  @Test
  void classifiesOnlyTheCapturedLengthNotTheWholeArray() {
    byte[] data = cat(macs(), type(0x0800), ipv4(38), random(100));
    Frame f = new Frame().wrap(LinkType.EN10MB, data, 30);
    assertThat(f.length()).isEqualTo(30);
    assertThat(f.ipLength()).isEqualTo(16);
    assertThat(f.ipTruncated()).isTrue();
  }

  @Property
  void neverThrowsAndKeepsTheIpPacketInsideTheFrame(
      @ForAll LinkType type, @ForAll @Size(max = 80) byte[] data) {
    Frame f = frame(type, data);
    if (f.hasIp()) {
      assertThat(f.ipOffset()).isBetween(0, data.length);
      assertThat(f.ipOffset() + f.ipLength()).isLessThanOrEqualTo(data.length);
      assertThat(f.ipVersion()).isIn(4, 6);
      assertThat(f.nonIpReason()).isNull();
    } else {
      assertThat(f.nonIpReason()).isNotNull();
      assertThat(f.ipVersion()).isZero();
    }
  }

  // --- rebuilding around a new IP packet ---

  @Test
  void keepsTagsAndSetsInnermostEtherTypeWhenVersionChanges() throws Exception {
    byte[] header = cat(macs(), type(0x88A8), tag(10, 0x8100), tag(100, 0x0800));
    byte[] padding = new byte[6];
    Frame f = frame(LinkType.EN10MB, cat(header, ipv4(28), padding)).number(7);
    byte[] inner = ipv6(60);

    byte[] out = LinkLayer.rebuild(f, inner, 0, inner.length);

    byte[] expectedHeader = cat(macs(), type(0x88A8), tag(10, 0x8100), tag(100, 0x86DD));
    assertThat(out).isEqualTo(cat(expectedHeader, inner));
    Frame back = frame(LinkType.EN10MB, out);
    assertThat(back.ipVersion()).isEqualTo(6);
    assertThat(back.ipOffset()).isEqualTo(22);
    assertThat(back.ipLength()).isEqualTo(60);
  }

  @Test
  void keepsLinkHeaderAsItIsWhenVersionStays() throws Exception {
    byte[] header = cat(macs(), type(0x0800));
    Frame f = frame(LinkType.EN10MB, cat(header, ipv4(28), new byte[18]));
    byte[] esp = ipv4(80);
    assertThat(LinkLayer.rebuild(f, esp, 0, esp.length)).isEqualTo(cat(header, esp));
  }

  @Test
  void takesTheReplacementFromTheGivenSlice() throws Exception {
    Frame f = frame(LinkType.RAW, ipv6(58));
    byte[] inner = ipv4(24);
    byte[] buffer = cat(random(5), inner, random(7));
    assertThat(LinkLayer.rebuild(f, buffer, 5, 24)).isEqualTo(inner);
  }

  @Test
  void setsSllProtocolForNewVersion() throws Exception {
    byte[] v1 = sll(0x86DD);
    Frame f1 = frame(LinkType.LINUX_SLL, cat(v1, ipv6(40)));
    byte[] inner = ipv4(20);
    byte[] out1 = LinkLayer.rebuild(f1, inner, 0, 20);
    assertThat(Arrays.copyOfRange(out1, 0, 14)).isEqualTo(Arrays.copyOfRange(v1, 0, 14));
    assertThat(Arrays.copyOfRange(out1, 14, 16)).isEqualTo(type(0x0800));
    assertThat(Arrays.copyOfRange(out1, 16, 36)).isEqualTo(inner);

    byte[] v2 = sll2(0x0800);
    Frame f2 = frame(LinkType.LINUX_SLL2, cat(v2, ipv4(20)));
    byte[] inner6 = ipv6(40);
    byte[] out2 = LinkLayer.rebuild(f2, inner6, 0, 40);
    assertThat(Arrays.copyOfRange(out2, 0, 2)).isEqualTo(type(0x86DD));
    assertThat(Arrays.copyOfRange(out2, 2, 20)).isEqualTo(Arrays.copyOfRange(v2, 2, 20));
    assertThat(frame(LinkType.LINUX_SLL2, out2).ipVersion()).isEqualTo(6);
  }

  @Test
  void setsNullFamilyInTheFramesByteOrder() throws Exception {
    Frame le = frame(LinkType.NULL, cat(bytes(30, 0, 0, 0), ipv6(40)));
    byte[] inner = ipv4(20);
    assertThat(Arrays.copyOfRange(LinkLayer.rebuild(le, inner, 0, 20), 0, 4))
        .isEqualTo(bytes(2, 0, 0, 0));
    Frame be = frame(LinkType.NULL, cat(bytes(0, 0, 0, 2), ipv4(20)));
    byte[] inner6 = ipv6(40);
    assertThat(Arrays.copyOfRange(LinkLayer.rebuild(be, inner6, 0, 40), 0, 4))
        .isEqualTo(bytes(0, 0, 0, 24));
  }

  @Test
  void usesTheCapturesOwnAfInet6WhenTurningIpv4IntoIpv6() throws Exception {
    Frame holder = new Frame();
    // The capture (macOS, little-endian) showed AF_INET6 = 30 before this IPv4 frame.
    byte[] v6frame = cat(bytes(30, 0, 0, 0), ipv6(40));
    holder.wrap(LinkType.NULL, v6frame, v6frame.length);
    byte[] v4frame = cat(bytes(2, 0, 0, 0), ipv4(20));
    holder.wrap(LinkType.NULL, v4frame, v4frame.length);
    byte[] inner6 = ipv6(40);
    assertThat(Arrays.copyOfRange(LinkLayer.rebuild(holder, inner6, 0, 40), 0, 4))
        .isEqualTo(bytes(30, 0, 0, 0));
  }

  @Test
  void refusesAnIpv6PacketInAnIpv4OnlyLinkType() {
    Frame f = frame(LinkType.IPV4, ipv4(20)).number(3);
    byte[] inner6 = ipv6(40);
    assertThatThrownBy(() -> LinkLayer.rebuild(f, inner6, 0, 40))
        .isInstanceOf(CaptureException.class)
        .hasMessage("frame 3: link type IPV4 (228) cannot carry an IPv6 packet")
        .extracting(e -> ((CaptureException) e).kind())
        .isEqualTo(CaptureException.Kind.LINK_TYPE_MISMATCH);
  }

  @Test
  void refusesToRebuildAFrameWithoutIpOrAroundNonIp() {
    Frame arp = frame(LinkType.EN10MB, cat(macs(), type(0x0806), random(28)));
    byte[] inner = ipv4(20);
    assertThatThrownBy(() -> LinkLayer.rebuild(arp, inner, 0, 20))
        .isInstanceOf(IllegalArgumentException.class);
    Frame ip = frame(LinkType.EN10MB, cat(macs(), type(0x0800), ipv4(20)));
    assertThatThrownBy(() -> LinkLayer.rebuild(ip, bytes(0x50, 0, 0), 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version=5");
    assertThatThrownBy(() -> LinkLayer.rebuild(ip, inner, 10, 20))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rebuildsTheSameFrameTwiceTheSameWay() throws Exception {
    Frame f = frame(LinkType.EN10MB, cat(macs(), type(0x8100), tag(5, 0x0800), ipv4(20)));
    byte[] inner = ipv6(48);
    assertThat(LinkLayer.rebuild(f, inner, 0, 48)).isEqualTo(LinkLayer.rebuild(f, inner, 0, 48));
  }

  @Test
  void copyKeepsTheFrameWhenTheHolderMovesOn() {
    Frame holder = new Frame();
    byte[] first = cat(macs(), type(0x0800), ipv4(20));
    holder.wrap(LinkType.EN10MB, first, first.length).timestamp(5, 6).number(1);
    Frame kept = holder.copy();
    first[0] = 0x7f; // the capture's array changed in place after the copy
    byte[] second = cat(macs(), type(0x0806), random(28));
    holder.wrap(LinkType.EN10MB, second, second.length);
    assertThat(kept.hasIp()).isTrue();
    assertThat(kept.data()[0]).isEqualTo((byte) 2);
    assertThat(kept.epochSecond()).isEqualTo(5);
    assertThat(kept.nanos()).isEqualTo(6);
    assertThat(kept.number()).isEqualTo(1);
  }

  @Test
  void printsFrameInKeyValueForm() {
    Frame f =
        frame(LinkType.EN10MB, cat(macs(), type(0x0806), random(28))).timestamp(17, 5).number(3);
    assertThat(f.toString())
        .isEqualTo(
            "frame=3 time=17.000000005 caplen=42 len=42 link=EN10MB ip=none reason=arp"
                + " protocol=0x806");
  }
}
