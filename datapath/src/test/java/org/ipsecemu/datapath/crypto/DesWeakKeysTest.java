package org.ipsecemu.datapath.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.alg.KeyChecks;
import org.junit.jupiter.api.Test;

/**
 * The DES weak and semi-weak keys of FIPS 74, checked from what makes them weak rather than from a
 * list: a weak key k is its own inverse, E_k(E_k(x)) = x; the semi-weak keys come in pairs with
 * E_k2(E_k1(x)) = x. Confirms the table of {@link KeyChecks} with the DES of both providers.
 */
class DesWeakKeysTest {

  private static final String[] WEAK = {
    "0101010101010101", "FEFEFEFEFEFEFEFE", "E0E0E0E0F1F1F1F1", "1F1F1F1F0E0E0E0E"
  };

  // FIPS 74: the six semi-weak pairs.
  private static final String[][] SEMI_WEAK_PAIRS = {
    {"01FE01FE01FE01FE", "FE01FE01FE01FE01"},
    {"1FE01FE00EF10EF1", "E01FE01FF10EF10E"},
    {"01E001E001F101F1", "E001E001F101F101"},
    {"1FFE1FFE0EFE0EFE", "FE1FFE1FFE0EFE0E"},
    {"011F011F010E010E", "1F011F010E010E01"},
    {"E0FEE0FEF1FEF1FE", "FEE0FEE0FEF1FEF1"},
  };

  /** One DES block encryption: CBC with a zero IV over one block is ECB. */
  private static byte[] des(CryptoProvider p, String key, byte[] block) {
    byte[] out = block.clone();
    TransformFactory.standard()
        .withProvider(Algorithm.DES_CBC, p)
        .encryption(Algorithm.DES_CBC, HexFormat.of().parseHex(key), Direction.OUTBOUND)
        .encrypt(new byte[8], 0, out, 0, 8);
    return out;
  }

  @Property(tries = 20)
  void weakKeysAreTheirOwnInverse(@ForAll @Size(min = 8, max = 8) byte[] block) {
    for (CryptoProvider p :
        new CryptoProvider[] {CryptoProvider.JCE, CryptoProvider.BOUNCY_CASTLE}) {
      for (String k : WEAK) {
        assertThat(des(p, k, des(p, k, block))).as(k).isEqualTo(block);
      }
    }
  }

  @Property(tries = 20)
  void semiWeakPairsUndoEachOther(@ForAll @Size(min = 8, max = 8) byte[] block) {
    for (CryptoProvider p :
        new CryptoProvider[] {CryptoProvider.JCE, CryptoProvider.BOUNCY_CASTLE}) {
      for (String[] pair : SEMI_WEAK_PAIRS) {
        assertThat(des(p, pair[1], des(p, pair[0], block))).as(pair[0]).isEqualTo(block);
        assertThat(des(p, pair[0], des(p, pair[1], block))).as(pair[1]).isEqualTo(block);
      }
    }
  }

  @Test
  void keyChecksListsExactlyTheseKeys() {
    for (String k : WEAK) {
      assertThat(KeyChecks.isWeakDesKey(HexFormat.of().parseHex(k), 0)).as(k).isTrue();
    }
    for (String[] pair : SEMI_WEAK_PAIRS) {
      for (String k : pair) {
        assertThat(KeyChecks.isSemiWeakDesKey(HexFormat.of().parseHex(k), 0)).as(k).isTrue();
      }
    }
    // An ordinary key is neither, and is not its own inverse.
    byte[] block = HexFormat.of().parseHex("0123456789abcdef");
    assertThat(
            des(
                CryptoProvider.JCE,
                "133457799BBCDFF1",
                des(CryptoProvider.JCE, "133457799BBCDFF1", block)))
        .isNotEqualTo(block);
    assertThat(KeyChecks.isWeakDesKey(HexFormat.of().parseHex("133457799BBCDFF1"), 0)).isFalse();
  }
}
