package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.ipsecemu.sadb.print.PfKeyJson;
import org.ipsecemu.sadb.print.TreePrinter;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;

/**
 * Keys in the Key Engine: the engine's only copies are zeroed whenever an SA leaves the database
 * (DELETE, FLUSH, hard expiry, engine close); only GET and DUMP to a requester holding {@link
 * Privilege#READ_KEYS} return them; nothing that prints an SA, the engine or its replies shows
 * them.
 */
class KeyHygieneTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] AUTH = Pf.key(20, 0x1000);
  private static final byte[] ENC = Pf.key(24, 0x1001);

  private final ManualClock clock = new ManualClock();
  private final KeyEngine engine = KeyEngine.builder().clock(clock).seed(1).build();
  private final PfKeySocket root = engine.open(Credentials.root(100));
  private final PfKeySocket keyless =
      engine.open(new Credentials(200, 1000, EnumSet.of(Privilege.KEY_MANAGEMENT)));

  /** The SA's key arrays themselves (not copies), as held by the engine. */
  private static List<byte[]> keyArrays(SecurityAssociation sa) {
    List<byte[]> out = new ArrayList<>();
    out.add(sa.params().authKey);
    out.add(sa.params().encryptKey);
    return out;
  }

  private SecurityAssociation addEsp(SadbMessage add) {
    assertThat(root.call(add).errno()).isZero();
    root.drain();
    keyless.drain();
    SecurityAssociation sa = engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50);
    assertThat(keyArrays(sa)).containsExactly(AUTH, ENC); // the test sees the real arrays
    return sa;
  }

  private static void assertZeroed(SecurityAssociation sa) {
    for (byte[] k : keyArrays(sa)) {
      assertThat(k).isNotEmpty().containsOnly(0);
    }
    assertThat(sa.authKey()).containsOnly(0);
    assertThat(sa.encryptKey()).containsOnly(0);
  }

  @Test
  void keysAreZeroedWhenTheSaExpiresHard() {
    SecurityAssociation sa = addEsp(Pf.addEsp(0x1000, 1, 100, Pf.hard(0, 0, 10, 0)));
    engine.advance(Duration.ofSeconds(10));
    assertThat(engine.associations()).isEmpty();
    assertZeroed(sa);
  }

  @Test
  void keysAreZeroedWhenTheByteLimitExpiresTheSa() {
    SecurityAssociation sa = addEsp(Pf.addEsp(0x1000, 1, 100, Pf.hard(0, 1000, 0, 0)));
    assertThat(sa.charge(999)).isTrue();
    sa.charge(1);
    assertThat(engine.getassocbyspi(Pf.ip(Pf.B), 0x1000, 50)).isNull();
    assertZeroed(sa);
  }

  @Test
  void keysAreZeroedWhenTheEngineCloses() {
    SecurityAssociation sa = addEsp(Pf.addEsp(0x1000, 1, 100));
    engine.close();
    assertZeroed(sa);
  }

  @Test
  void keysSurviveASoftExpiry() {
    SecurityAssociation sa = addEsp(Pf.addEsp(0x1000, 1, 100, Pf.soft(0, 0, 10, 0)));
    engine.advance(Duration.ofSeconds(10));
    assertThat(keyArrays(sa)).containsExactly(AUTH, ENC);
  }

  @Test
  void copiesHandedToTheDatapathAreFreshArrays() {
    SecurityAssociation sa = addEsp(Pf.addEsp(0x1000, 1, 100));
    byte[] copy = sa.authKey();
    java.util.Arrays.fill(copy, (byte) 0);
    assertThat(sa.authKey()).isEqualTo(AUTH);
  }

  @Test
  void dumpToASocketWithoutReadKeysCarriesNoKeys() {
    addEsp(Pf.addEsp(0x1000, 1, 100));
    keyless.send(Pf.base(MessageType.SADB_DUMP, 0, 3, 200));
    List<SadbMessage> dump = keyless.drain();
    assertThat(dump).isNotEmpty();
    for (SadbMessage m : dump) {
      assertThat(m.has(ExtensionType.SADB_EXT_KEY_AUTH)).isFalse();
      assertThat(m.has(ExtensionType.SADB_EXT_KEY_ENCRYPT)).isFalse();
    }
  }

  @Test
  void noReplyButGetAndDumpCarriesKeysEvenToAPrivilegedSocket() {
    PfKeySocket watcher = engine.open(Credentials.root(300));
    root.call(Pf.addEsp(0x1000, 1, 100, Pf.soft(0, 0, 5, 0), Pf.hard(0, 0, 10, 0)));
    root.call(Pf.addEsp(0x1000, 2, 100).withType(MessageType.SADB_UPDATE));
    root.call(Pf.base(MessageType.SADB_REGISTER, Pf.ESP, 3, 100));
    engine.advance(Duration.ofSeconds(10)); // soft, then hard SADB_EXPIRE
    List<SadbMessage> seen = new ArrayList<>(watcher.drain());
    seen.addAll(root.drain());
    assertThat(seen)
        .extracting(SadbMessage::type)
        .contains(MessageType.SADB_ADD, MessageType.SADB_EXPIRE);
    for (SadbMessage m : seen) {
      assertThat(m.keyAuth()).as("%s", m.type()).isEmpty();
      assertThat(m.keyEncrypt()).as("%s", m.type()).isEmpty();
    }
  }

  @Test
  void nothingPrintedAboutTheSaOrTheEngineShowsAKey() {
    SecurityAssociation sa = addEsp(Pf.addEsp(0x1000, 1, 100));
    root.call(
        Pf.spdadd(
            "10.0.0.0",
            24,
            0,
            "10.1.0.0",
            24,
            0,
            255,
            org.ipsecemu.sadb.wire.PolicyDirection.IPSEC_DIR_OUTBOUND,
            org.ipsecemu.sadb.wire.PolicyType.IPSEC_POLICY_IPSEC,
            Pf.transport(50, org.ipsecemu.sadb.wire.IpsecLevel.IPSEC_LEVEL_REQUIRE, 0)));
    SadbMessage add = Pf.addEsp(0x1000, 1, 100);
    StringBuilder printed = new StringBuilder();
    printed.append(sa).append('\n');
    printed.append(engine.stats()).append('\n');
    printed.append(engine.associations()).append('\n');
    printed.append(engine.spd()).append('\n');
    printed.append(engine.getassocbysocket(Flow.of(Pf.ip("10.0.0.1"), Pf.ip("10.1.0.1"), 6, 1, 2)));
    printed.append(root).append(keyless).append('\n');
    printed.append(add).append('\n'); // the request itself, as a record
    printed.append(add.keyAuth().orElseThrow()).append('\n');
    String all = printed.toString().toLowerCase(Locale.ROOT);
    assertThat(all).doesNotContain(HEX.formatHex(AUTH)).doesNotContain(HEX.formatHex(ENC));
    assertThat(all)
        .doesNotContain(HEX.formatHex(AUTH, 0, 8))
        .doesNotContain(HEX.formatHex(ENC, 0, 8));
  }

  @Test
  void printersShowKeysOnlyInTheMessageThatCarriesThem() {
    // setkey -D and the JSON printer print what a GET reply holds; a reply without keys must not
    // gain them from anywhere.
    addEsp(Pf.addEsp(0x1000, 1, 100));
    SadbMessage r = keyless.call(Pf.byId(MessageType.SADB_GET, Pf.ESP, 0x1000, 2, 200));
    String out =
        (new TreePrinter().print(r)
                + PfKeyJson.toJson(r)
                + HEX.formatHex(new PfKeyCodec().encode(r)))
            .toLowerCase(Locale.ROOT);
    assertThat(out)
        .doesNotContain(HEX.formatHex(AUTH, 0, 8))
        .doesNotContain(HEX.formatHex(ENC, 0, 8));
  }
}
