package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.ipsecemu.datapath.ah.AhHeader;
import org.ipsecemu.datapath.ah.AhIcvInput;
import org.ipsecemu.datapath.esp.EspHeader;
import org.ipsecemu.datapath.esp.EspTrailer;
import org.ipsecemu.sadb.spd.Flow;

/**
 * Fuzzes the packet parsers a received packet meets before any SA is involved: IP header and IPv6
 * extension chain ({@link IpPacket}), selector extraction ({@link FlowExtractor}), the ESP and AH
 * header checks and the AH ICV input ({@link AhIcvInput}). The committed corpus under {@code
 * PacketParserFuzzTestInputs/} runs as regression tests; {@code JAZZER_FUZZ=1} fuzzes
 * (SECURITY.md).
 *
 * <p>The packet lies at an odd offset inside a larger buffer whose other bytes are guards. Checked:
 * no exception; every offset a parser reports on success lies inside the packet; the MAC is fed
 * only ranges inside the packet (or the feeder's own scratch), no more bytes than the datagram
 * holds; nothing modifies the packet; parsing twice gives the same answer (reused views).
 */
class PacketParserFuzzTest {
  private static final int[] ICV_LENGTHS = {0, 8, 12, 16, 24, 32};
  private static final int[] IV_LENGTHS = {0, 8, 16};
  private static final int[] BLOCK_SIZES = {1, 4, 8, 16};

  private final IpPacket packet = new IpPacket();
  private final FlowExtractor extractor = new FlowExtractor();
  private final AhIcvInput icvInput = new AhIcvInput();
  private final EspHeader esp = new EspHeader();
  private final EspTrailer trailer = new EspTrailer();
  private final AhHeader ah = new AhHeader();
  private final Flow flow = new Flow();

  @FuzzTest(maxDuration = "5m")
  void parsersStayInsideThePacketAndNeverThrow(FuzzedDataProvider data) {
    int slack = data.consumeInt(0, 15);
    int icv = ICV_LENGTHS[data.consumeInt(0, ICV_LENGTHS.length - 1)];
    int iv = IV_LENGTHS[data.consumeInt(0, IV_LENGTHS.length - 1)];
    int block = BLOCK_SIZES[data.consumeInt(0, BLOCK_SIZES.length - 1)];
    int claimedAh = data.consumeInt(-8, 120);
    byte[] bytes = data.consumeRemainingAsBytes();
    byte[] buf = new byte[slack + bytes.length + 7];
    Arrays.fill(buf, (byte) 0x5A);
    System.arraycopy(bytes, 0, buf, slack, bytes.length);
    byte[] before = buf.clone();
    int start = slack;
    int stop = slack + bytes.length;

    ParseResult r = packet.parse(buf, start, bytes.length);
    assertThat(packet.parse(buf, start, bytes.length)).isEqualTo(r);
    assertThat(extractor.extract(buf, start, bytes.length, flow))
        .isIn(r, r.isOk() ? ParseResult.TRANSPORT_TRUNCATED : r);
    if (r.isOk()) {
      int end = packet.end();
      int minHeader = packet.version() == 4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH;
      assertThat(end).isBetween(start + minHeader, stop);
      assertThat(packet.protocolOffset()).isBetween(start + minHeader, end);
      assertThat(packet.protocolFieldOffset()).isBetween(start, packet.protocolOffset() - 1);
      assertThat(buf[packet.protocolFieldOffset()] & 0xff).isEqualTo(packet.protocol());
      int at = packet.protocolOffset();
      if (packet.protocol() == 50) {
        esp.wrap(buf, at, end - at);
        if (esp.validate(iv, icv, block).isOk()) {
          assertThat(esp.payloadOffset(iv)).isBetween(at + EspHeader.LENGTH, end);
          assertThat(esp.icvOffset(icv)).isBetween(esp.payloadOffset(iv), end);
          // As if the ciphertext were the plaintext: the trailer check stays inside it.
          trailer.wrap(buf, esp.payloadOffset(iv), esp.icvOffset(icv));
          if (trailer.check(true).isOk()) {
            assertThat(trailer.padOffset()).isBetween(esp.payloadOffset(iv), esp.icvOffset(icv));
            assertThat(trailer.dataLength()).isBetween(0, esp.icvOffset(icv));
          }
        }
      } else if (packet.protocol() == 51) {
        ah.wrap(buf, at, end - at);
        if (ah.validate(icv, packet.version() == 6).isOk()) {
          assertThat(ah.end()).isBetween(at + AhHeader.FIXED_LENGTH, end);
        }
        feedIcvInput(buf, start, end, at, icv);
      }
    }
    // An AH ICV input at any claimed offset: the feeder must find out itself.
    feedIcvInput(buf, start, stop, start + claimedAh, icv);
    assertThat(buf).isEqualTo(before);
  }

  private void feedIcvInput(byte[] buf, int start, int stop, int ahOffset, int icv) {
    long[] fed = {0};
    ByteSink sink =
        (b, off, len) -> {
          assertThat(len).isNotNegative();
          if (b == buf) {
            assertThat(off).isBetween(start, stop);
            assertThat(off + len).isLessThanOrEqualTo(stop);
          }
          fed[0] += len;
        };
    ParseResult r = icvInput.feed(buf, start, stop - start, ahOffset, icv, sink);
    if (r.isOk()) {
      assertThat(fed[0]).isBetween((long) AhHeader.FIXED_LENGTH + icv, (long) stop - start);
    } else {
      assertThat(fed[0]).isZero();
    }
  }
}
