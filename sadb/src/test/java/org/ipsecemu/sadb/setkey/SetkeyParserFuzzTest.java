package org.ipsecemu.sadb.setkey;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.ipsecemu.sadb.keyfile.KeyFileFormat;
import org.ipsecemu.sadb.keyfile.KeyFiles;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * Fuzzes the text a key manager or a user hands the emulator: {@code setkey} input ({@link
 * SetkeyParser}) and every key-file reader ({@link KeyFiles}: setkey, {@code setkey -D}, {@code ip
 * xfrm state}, Wireshark's {@code esp_sa}). The committed corpus under {@code
 * SetkeyParserFuzzTestInputs/} runs as regression tests; {@code JAZZER_FUZZ=1} fuzzes
 * (SECURITY.md).
 *
 * <p>The first byte picks the reader (0: setkey statements; 1: key file, format detected; 2..5: one
 * format forced), the rest is the text as UTF-8. Checked:
 *
 * <ul>
 *   <li>{@code parseAll} never throws; every item is a statement or a {@link SetkeySyntaxException}
 *       (EINVAL) naming a line of the input; {@code parse} agrees with it.
 *   <li>Every message a statement produces is valid on the wire: it encodes, and decodes back to
 *       itself.
 *   <li>A key-file reader returns SAs or throws a {@link PfKeyException}; an SA's {@code toString}
 *       never shows its keys, and it turns into an SADB_ADD that survives the codec.
 * </ul>
 */
class SetkeyParserFuzzTest {
  private static final PfKeyCodec CODEC = new PfKeyCodec();
  private static final KeyFileFormat[] FORMATS = KeyFileFormat.values();

  @FuzzTest(maxDuration = "5m")
  void parsesOrReportsALineAndProducesWireValidMessages(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    int lines = (int) text.chars().filter(c -> c == '\n').count() + 1;
    int mode = (input[0] & 0xFF) % (2 + FORMATS.length);
    if (mode == 0) {
      setkey(text, lines);
    } else {
      keyFile(text, mode == 1 ? null : FORMATS[mode - 2]);
    }
  }

  private static void setkey(String text, int lines) {
    SetkeyParser parser = new SetkeyParser("fuzz.conf");
    List<SetkeyParser.Item> items = parser.parseAll(text);
    SetkeySyntaxException first = null;
    for (SetkeyParser.Item item : items) {
      assertThat(item.statement() == null).isNotEqualTo(item.error() == null);
      if (item.error() != null) {
        SetkeySyntaxException e = item.error();
        assertThat(e.errno()).isEqualTo(Errno.EINVAL);
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.line()).isBetween(1, lines);
        first = first == null ? e : first;
        continue;
      }
      SetkeyStatement s = item.statement();
      assertThat(s.line()).isBetween(1, lines);
      for (SadbMessage m : s.messages()) {
        assertThat(CODEC.decode(CODEC.encode(m))).isEqualTo(m);
      }
      if (s.sa() != null) {
        checkSa(s.sa());
      }
    }
    try {
      assertThat(new SetkeyParser("fuzz.conf").parse(text)).hasSize(items.size());
      assertThat(first).isNull();
    } catch (SetkeySyntaxException e) {
      assertThat(first).isNotNull();
      assertThat(e.getMessage()).isEqualTo(first.getMessage());
    }
  }

  private static void keyFile(String text, KeyFileFormat format) {
    List<SaSpec> sas;
    try {
      sas =
          format == null
              ? KeyFiles.read(text, "fuzz.keys").sas()
              : KeyFiles.read(text, "fuzz.keys", format);
    } catch (PfKeyException e) {
      assertThat(e.errno()).isNotNull();
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    for (SaSpec sa : sas) {
      checkSa(sa);
    }
  }

  private static void checkSa(SaSpec sa) {
    String printed = sa.toString().toLowerCase(Locale.ROOT);
    for (byte[] key : new byte[][] {sa.authKey(), sa.encryptKey()}) {
      if (key != null && key.length >= 4) {
        assertThat(printed).doesNotContain(HexFormat.of().formatHex(key));
      }
    }
    SadbMessage add;
    try {
      add = sa.toMessage(MessageType.SADB_ADD, SaState.SADB_SASTATE_MATURE, 1, 1);
    } catch (PfKeyException e) {
      return; // an SA PF_KEY cannot carry (reported, not thrown as anything else)
    }
    assertThat(CODEC.decode(CODEC.encode(add))).isEqualTo(add);
  }
}
