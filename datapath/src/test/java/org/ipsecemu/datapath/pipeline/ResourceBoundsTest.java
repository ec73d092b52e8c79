package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.time.Duration;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.setkey.SetkeyStatement;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every queue of the datapath is bounded: packets held while an SA is negotiated (per flow and in
 * flows) and the memory of expired SAs. The Key Engine's own bounds (socket receive queues, pending
 * ACQUIREs, larval SAs, sockets, policies) are tested with the engine ({@code PfKeySocketTest},
 * {@code AcquireAndOutboundTest}, {@code SaMessagesTest}, {@code SpdMessagesTest}).
 */
class ResourceBoundsTest {
  private final ManualClock clock = new ManualClock();
  private final KeyEngine engine = KeyEngine.builder().clock(clock).seed(1).build();
  private final PfKeySocket km = engine.open(Credentials.root(1));
  private Datapath datapath;

  @AfterEach
  void close() {
    datapath.close();
    engine.close();
  }

  private void setkey(String text) {
    for (SetkeyStatement s : new SetkeyParser("test").parse(text)) {
      for (SadbMessage m : s.messages()) {
        assertThat(km.call(m).errno()).isZero();
      }
    }
  }

  /** A key manager registered for ESP, and a policy that needs an SA nobody has made yet. */
  private void negotiating() {
    assertThat(
            km.call(
                    new SadbMessage(
                        SadbMessage.PF_KEY_V2,
                        MessageType.SADB_REGISTER,
                        0,
                        3,
                        0,
                        1,
                        1,
                        java.util.List.of()))
                .errno())
        .isZero();
    setkey("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec esp/transport//require;");
  }

  private static byte[] packet(int host) {
    return Peer.ipv4(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 1, (byte) host}, 17, Peer.udp(8));
  }

  private OutboundVerdict send(byte[] p) {
    return datapath.outbound(p, 0, p.length, datapath.newContext());
  }

  @Test
  void aFlowWaitingForItsSaHoldsAtMostQueueLengthPackets() {
    negotiating();
    datapath = Datapath.builder(engine).queueLength(3).build();
    for (int i = 0; i < 3; i++) {
      assertThat(send(packet(1))).isEqualTo(OutboundVerdict.QUEUED);
    }
    assertThat(send(packet(1))).isEqualTo(OutboundVerdict.QUEUE_FULL);
    assertThat(send(packet(1))).isEqualTo(OutboundVerdict.QUEUE_FULL);
    assertThat(datapath.pendingPackets()).isEqualTo(3);
    assertThat(datapath.count(OutboundVerdict.QUEUE_FULL)).isEqualTo(2);
  }

  @Test
  void atMostQueuedFlowsFlowsHoldPackets() {
    negotiating();
    datapath = Datapath.builder(engine).queueLength(100).queuedFlows(2).build();
    assertThat(send(packet(1))).isEqualTo(OutboundVerdict.QUEUED);
    assertThat(send(packet(2))).isEqualTo(OutboundVerdict.QUEUED);
    assertThat(send(packet(3))).isEqualTo(OutboundVerdict.QUEUE_FULL);
    assertThat(send(packet(1))).isEqualTo(OutboundVerdict.QUEUED);
    assertThat(datapath.pendingPackets()).isEqualTo(3);
  }

  @Test
  void heldPacketsLeaveAfterTheirTimeoutAndFreeTheQueue() {
    negotiating();
    datapath = Datapath.builder(engine).queueLength(2).queueTimeout(Duration.ofSeconds(5)).build();
    send(packet(1));
    send(packet(1));
    clock.advance(Duration.ofSeconds(6));
    datapath.releasePending(datapath.newContext(), (buf, off, len) -> {});
    assertThat(datapath.pendingPackets()).isZero();
    assertThat(datapath.count(OutboundVerdict.QUEUE_TIMEOUT)).isEqualTo(2);
  }

  @Test
  void theMemoryOfExpiredSasIsBounded() throws GeneralSecurityException {
    StringBuilder sas = new StringBuilder();
    for (int spi = 0x100; spi < 0x103; spi++) {
      sas.append("add 192.0.2.1 192.0.2.2 esp 0x")
          .append(Integer.toHexString(spi))
          .append(" -m transport -lh ")
          .append(10 * (spi - 0xff))
          .append(" -E aes-cbc 0x")
          .append(Peer.HEX.formatHex(Peer.CBC_KEY))
          .append(" -A hmac-sha1 0x")
          .append(Peer.HEX.formatHex(Peer.SHA1_KEY))
          .append(";\n");
    }
    setkey(sas.toString());
    datapath =
        Datapath.builder(engine)
            .transforms(TransformFactory.deterministic(1))
            .expiredMemory(2)
            .build();
    engine.advance(Duration.ofSeconds(30)); // 0x100, 0x101, 0x102 expire in this order
    assertThat(engine.associations()).isEmpty();
    assertThat(inbound(0x100)).isEqualTo(Verdict.NO_SA); // forgotten: the ring holds two
    assertThat(inbound(0x101)).isEqualTo(Verdict.EXPIRED);
    assertThat(inbound(0x102)).isEqualTo(Verdict.EXPIRED);
  }

  private Verdict inbound(int spi) throws GeneralSecurityException {
    byte[] p =
        Peer.ipv4(
            50, Peer.esp(Peer.SPI_CBC_SHA1, 1, new byte[16], Peer.padded(Peer.udp(4), 17, 16)));
    Peer.putInt(p, 20, spi);
    return datapath.inbound(p, 0, p.length, datapath.newContext());
  }
}
