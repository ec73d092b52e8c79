package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.sa.OutboundVerdict;
import org.ipsecemu.datapath.sa.SaContext;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.SecurityAssociation;

/**
 * Test fixture: a Key Engine on a manual clock, a datapath with reproducible IVs on it, a setkey to
 * configure them, one packet context; and the two calls as one-liners that return copies.
 */
final class Lab implements AutoCloseable {
  /** 2024-01-01T00:00:00Z. */
  static final long START = 1_704_067_200_000L;

  final ManualClock clock = new ManualClock(START);
  final KeyEngine engine;
  final Datapath dp;
  final Setkey setkey;
  final PacketContext ctx;

  Lab() {
    this(b -> b);
  }

  /** A lab whose datapath is built by {@code configure} from a builder on the lab's engine. */
  Lab(UnaryOperator<Datapath.Builder> configure) {
    this.engine = KeyEngine.builder().clock(clock).seed(1).build();
    this.dp =
        configure
            .apply(Datapath.builder(engine).transforms(TransformFactory.deterministic(7)))
            .build();
    this.setkey = new Setkey(engine);
    this.ctx = dp.newContext();
  }

  Lab run(String setkeyStatements) {
    setkey.run(setkeyStatements);
    return this;
  }

  /** Outbound; returns the protected packet (a copy), asserting the verdict was ok. */
  byte[] protect(byte[] plain) {
    OutboundVerdict v = dp.outbound(plain.clone(), 0, plain.length, ctx);
    assertThat(v).as("outbound verdict").isEqualTo(OutboundVerdict.OK);
    return ctx.output();
  }

  OutboundVerdict out(byte[] plain) {
    return dp.outbound(plain.clone(), 0, plain.length, ctx);
  }

  /** Inbound on a copy (the packet is processed in place); the result via {@link #ctx}. */
  Verdict in(byte[] packet) {
    return dp.inbound(packet.clone(), 0, packet.length, ctx);
  }

  /** Inbound, asserting ok; returns the delivered packet. */
  byte[] open(byte[] packet) {
    Verdict v = in(packet);
    assertThat(v).as("inbound verdict").isEqualTo(Verdict.OK);
    return ctx.output();
  }

  SecurityAssociation sa(long spi) {
    return engine.associations().stream()
        .filter(s -> s.spiUnsigned() == spi)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no SA spi=0x" + Long.toHexString(spi)));
  }

  SaContext context(long spi) {
    return dp.context(sa(spi));
  }

  @Override
  public void close() {
    dp.close();
    engine.close();
  }
}
