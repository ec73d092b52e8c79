package org.ipsecemu.sadb.setkey;

import static org.assertj.core.api.Assertions.assertThat;

import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.junit.jupiter.api.Test;

/** Extended sequence numbers travel in {@code sadb_sa_flags} as SADB_X_SAFLAGS_ESN (0x400). */
class SaSpecEsnTest {
  private static SaSpec.Builder esp() {
    return SaSpec.builder(new SourceLocation("t", 1))
        .satype(3)
        .source(SockAddr.parse("192.0.2.1", 0))
        .destination(SockAddr.parse("192.0.2.2", 0))
        .spi(0x1000)
        .encrypt(11, null)
        .auth(2, new byte[16]);
  }

  @Test
  void esnSaIsSentWithTheEsnFlagBesideItsOtherFlags() {
    SadbMessage m = esp().esn(true).flags(0x1).build().toAddMessage(1);
    assertThat(m.sa().orElseThrow().flags()).isEqualTo(0x401L);
    SadbMessage plain = esp().flags(0x1).build().toAddMessage(1);
    assertThat(plain.sa().orElseThrow().flags()).isEqualTo(0x1L);
  }

  @Test
  void messageWithTheEsnFlagReadsBackAsAnEsnSa() {
    SaSpec sent = esp().esn(true).build();
    SaSpec back =
        SaSpec.fromMessage(
            sent.toMessage(MessageType.SADB_ADD, SaState.SADB_SASTATE_MATURE, 0, 1), sent.where());
    assertThat(back.esn()).isTrue();
    assertThat(back.flags()).isZero();
  }

  @Test
  void flagsHoldingTheEsnBitMeanEsn() {
    SaSpec s = esp().flags(0x400).build();
    assertThat(s.esn()).isTrue();
    assertThat(s.flags()).isZero();
    assertThat(s).isEqualTo(esp().esn(true).build());
    assertThat(s.toString()).contains(" esn");
  }
}
