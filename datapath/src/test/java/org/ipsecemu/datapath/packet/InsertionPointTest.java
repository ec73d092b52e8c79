package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InsertionPointTest {
  // IPv6 / Hop-by-Hop (PadN) at 40 / Destination Options at 48 / Routing type 2 at 56 / UDP at 80
  static final String HBH_DEST_ROUTING_UDP =
      "60000000 0030 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
          + " 3c00 0104 00000000"
          + " 2b00 1e02 7879 0100"
          + " 1102 0200 00000000 20010db8000000000000000000000099"
          + " 0001 0002 0008 0000";

  // IPv6 / Hop-by-Hop at 40 / Destination Options at 48 (no routing header after it) / UDP at 56
  static final String HBH_DEST_UDP =
      "60000000 0018 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
          + " 3c00 0104 00000000"
          + " 1100 1e02 7879 0100"
          + " 0001 0002 0008 0000";

  private final IpPacket packet = new IpPacket();
  private final InsertionPoint point = new InsertionPoint();

  private ParseResult find(String hex) {
    byte[] p = Hex.bytes(hex);
    assertThat(packet.parse(p, 0, p.length)).isEqualTo(ParseResult.OK);
    return point.find(packet);
  }

  @Test
  void ipv4GoesAfterTheOptions() {
    // IPv4, IHL 6 (a 4-byte Router Alert option), UDP.
    String ipv4 =
        "46000024 0000 0000 4011 0000 c0000201 c0000202 94040000"
            + " 0001 0002 0010 0000 00000000 00000000";
    assertThat(find(ipv4)).isEqualTo(ParseResult.OK);
    assertThat(point.offset()).isEqualTo(24);
    assertThat(point.nextHeaderFieldOffset()).isEqualTo(9);
    assertThat(point.nextHeader()).isEqualTo(17);
  }

  @Test
  void ipv6GoesAfterHopByHopRoutingAndTheDestinationOptionsBeforeRouting() {
    assertThat(find(HBH_DEST_ROUTING_UDP)).isEqualTo(ParseResult.OK);
    assertThat(point.offset()).isEqualTo(80);
    assertThat(point.nextHeaderFieldOffset()).as("the routing header's").isEqualTo(56);
    assertThat(point.nextHeader()).isEqualTo(17);
  }

  @Test
  void ipv6DestinationOptionsWithoutRoutingGoInside() {
    assertThat(find(HBH_DEST_UDP)).isEqualTo(ParseResult.OK);
    assertThat(point.offset()).isEqualTo(48);
    assertThat(point.nextHeaderFieldOffset()).as("the hop-by-hop header's").isEqualTo(40);
    assertThat(point.nextHeader()).isEqualTo(60);
  }

  @Test
  void ipv6WithoutExtensionHeadersGoesAfterTheFixedHeader() {
    String plain =
        "60000000 0008 11 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
            + " 0001 0002 0008 0000";
    assertThat(find(plain)).isEqualTo(ParseResult.OK);
    assertThat(point.offset()).isEqualTo(40);
    assertThat(point.nextHeaderFieldOffset()).isEqualTo(6);
  }

  @Test
  void fragmentHeaderIsRefused() {
    String fragment =
        "60000000 0010 2c 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
            + " 1100 0001 00000005 0001 0002 0008 0000";
    assertThat(find(fragment)).isEqualTo(ParseResult.FRAGMENT_NOT_REASSEMBLED);
  }

  @Test
  void sameInputTwiceGivesTheSameAnswer() {
    find(HBH_DEST_UDP);
    find(HBH_DEST_ROUTING_UDP);
    int offset = point.offset();
    find(HBH_DEST_ROUTING_UDP);
    assertThat(point.offset()).isEqualTo(offset);
  }
}
