package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ipsecemu.datapath.crypto.Transform;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.setkey.SetkeyStatement;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keys in the datapath: the transforms built from an SA (which hold the only other copies of its
 * keys) are destroyed when the SA is deleted, flushed, expires or the datapath closes, and nothing
 * the datapath prints (statistics, per-SA context and counters, transforms) shows a key.
 */
class DatapathKeyHygieneTest {
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
    km.drain();
  }

  /** The CBC + HMAC-SHA1 SA both ways (inbound 0x100 to us, outbound 0x100 from us), used once. */
  private SecurityAssociation saInUse(String lifetimes) throws GeneralSecurityException {
    setkey(
        "add 192.0.2.1 192.0.2.2 esp 0x100 -m transport "
            + lifetimes
            + " -E aes-cbc 0x"
            + Peer.HEX.formatHex(Peer.CBC_KEY)
            + " -A hmac-sha1 0x"
            + Peer.HEX.formatHex(Peer.SHA1_KEY)
            + ";\n"
            + "spdadd 192.0.2.1 192.0.2.2 any -P out ipsec esp/transport//require;\n");
    datapath = Datapath.builder(engine).transforms(TransformFactory.deterministic(1)).build();
    PacketContext ctx = datapath.newContext();
    byte[] in =
        Peer.ipv4(
            50, Peer.esp(Peer.SPI_CBC_SHA1, 1, new byte[16], Peer.padded(Peer.udp(4), 17, 16)));
    assertThat(datapath.inbound(in, 0, in.length, ctx)).isEqualTo(Verdict.OK);
    byte[] out = Peer.ipv4(17, Peer.udp(4));
    assertThat(datapath.outbound(out, 0, out.length, ctx)).isEqualTo(OutboundVerdict.OK);
    return engine.getassocbyspi(Peer.ip(Peer.DST), 0x100, 50);
  }

  private static List<Transform> transforms(SaContext c) {
    List<Transform> out = new ArrayList<>();
    for (SaContext.Side s : new SaContext.Side[] {c.inbound(), c.outbound()}) {
      if (s.cipher() != null) {
        out.add(s.cipher());
      }
      if (s.mac() != null) {
        out.add(s.mac());
      }
      if (s.aead() != null) {
        out.add(s.aead());
      }
    }
    return out;
  }

  private void assertDestroyedAfter(SecurityAssociation sa, Runnable removal) {
    List<Transform> built = transforms(datapath.context(sa));
    assertThat(built).hasSize(4); // cipher and MAC, each way
    assertThat(built).noneMatch(Transform::isDestroyed);
    removal.run();
    assertThat(built).allMatch(Transform::isDestroyed);
    assertThat(sa.authKey()).containsOnly(0);
    assertThat(sa.encryptKey()).containsOnly(0);
  }

  @Test
  void transformsAreDestroyedWhenTheSaIsDeleted() throws GeneralSecurityException {
    SecurityAssociation sa = saInUse("");
    assertDestroyedAfter(sa, () -> setkey("delete 192.0.2.1 192.0.2.2 esp 0x100;"));
    byte[] in =
        Peer.ipv4(
            50, Peer.esp(Peer.SPI_CBC_SHA1, 2, new byte[16], Peer.padded(Peer.udp(4), 17, 16)));
    assertThat(datapath.inbound(in, 0, in.length, datapath.newContext())).isEqualTo(Verdict.NO_SA);
  }

  @Test
  void transformsAreDestroyedWhenTheSaIsFlushed() throws GeneralSecurityException {
    SecurityAssociation sa = saInUse("");
    assertDestroyedAfter(sa, () -> setkey("flush;"));
  }

  @Test
  void transformsAreDestroyedWhenTheSaExpires() throws GeneralSecurityException {
    SecurityAssociation sa = saInUse("-lh 60");
    assertDestroyedAfter(sa, () -> engine.advance(Duration.ofSeconds(60)));
    byte[] in =
        Peer.ipv4(
            50, Peer.esp(Peer.SPI_CBC_SHA1, 2, new byte[16], Peer.padded(Peer.udp(4), 17, 16)));
    assertThat(datapath.inbound(in, 0, in.length, datapath.newContext()))
        .isEqualTo(Verdict.EXPIRED);
  }

  @Test
  void transformsAreDestroyedWhenTheEngineCloses() throws GeneralSecurityException {
    SecurityAssociation sa = saInUse("");
    assertDestroyedAfter(sa, engine::close);
  }

  @Test
  void nothingTheDatapathPrintsShowsAKey() throws GeneralSecurityException {
    SecurityAssociation sa = saInUse("");
    SaContext c = datapath.context(sa);
    String printed =
        (datapath.stats()
                + " "
                + c
                + " "
                + c.inbound()
                + " "
                + c.outbound()
                + " "
                + c.counters()
                + " "
                + transforms(c)
                + " "
                + sa)
            .toLowerCase(Locale.ROOT);
    for (byte[] key : new byte[][] {Peer.CBC_KEY, Peer.SHA1_KEY}) {
      // Any 4 consecutive key bytes, in hex.
      for (int i = 0; i + 4 <= key.length; i++) {
        assertThat(printed).doesNotContain(Peer.HEX.formatHex(key, i, i + 4));
      }
    }
  }
}
