package org.ipsecemu.sadb.spd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class FlowTest {

  @Test
  void readsIpv4SelectorsFromPacketOffsets() throws Exception {
    byte[] header = new byte[20];
    header[12] = (byte) 192;
    header[15] = 1;
    header[16] = 10;
    header[19] = 2;
    Flow f = new Flow().set4(header, 12, 16, 17, 5000, 53);
    assertThat(f.family()).isEqualTo(4);
    assertThat(f.source()).isEqualTo(InetAddress.getByName("192.0.0.1"));
    assertThat(f.destination()).isEqualTo(InetAddress.getByName("10.0.0.2"));
    assertThat(f.toString()).isEqualTo("192.0.0.1[5000] 10.0.0.2[53] proto=17");
  }

  @Test
  void reusedFlowForgetsThePreviousIpv6Address() throws Exception {
    Flow f =
        Flow.of(
            InetAddress.getByName("2001:db8::1"), InetAddress.getByName("2001:db8::2"), 6, 1, 2);
    Flow v4 =
        Flow.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2"), 6, 1, 2);
    byte[] pkt = InetAddress.getByName("192.0.2.1").getAddress();
    byte[] both = new byte[8];
    System.arraycopy(pkt, 0, both, 0, 4);
    System.arraycopy(InetAddress.getByName("192.0.2.2").getAddress(), 0, both, 4, 4);
    assertThat(f.set4(both, 0, 4, 6, 1, 2)).isEqualTo(v4).hasSameHashCodeAs(v4);
  }

  @Test
  void copyIsIndependentOfLaterReuse() throws Exception {
    Flow f =
        Flow.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2"), 1, 0, 0);
    Flow kept = f.copy();
    f.set4(new byte[8], 0, 4, 6, 9, 9);
    assertThat(kept.source()).isEqualTo(InetAddress.getByName("192.0.2.1"));
    assertThat(kept).isNotEqualTo(f);
  }

  @Test
  void rejectsMixedFamilies() {
    assertThatThrownBy(
            () ->
                Flow.of(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("::1"), 6, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
