package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ipsecemu.datapath.ah.AhIcvInput;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.packet.ParseResult;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.setkey.SetkeyStatement;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * Fuzzes the inbound pipeline with SAs installed, so that fuzzed packets reach ICV verification,
 * decryption, the padding check, tunnel decapsulation and the inner packet. The committed corpus
 * under {@code InboundPipelineFuzzTestInputs/} runs as regression tests; {@code JAZZER_FUZZ=1}
 * fuzzes (see SECURITY.md).
 *
 * <p>The first byte picks how the packet is made:
 *
 * <ul>
 *   <li>even: the rest is the IP packet as received, whatever it holds;
 *   <li>odd: the fuzz data is the plaintext (padding and Next Header included) of an ESP packet
 *       that a legitimate peer protects with one of the SAs, encrypted and authenticated here with
 *       the JDK's own AES, HMAC and GCM, so that the fuzzer explores everything after the ICV.
 * </ul>
 *
 * <p>Invariants: {@code inbound} never throws and yields exactly one verdict, counted once in the
 * totals; a packet is never accepted unless its outermost ICV verifies with the SA's key, checked
 * here independently with the JDK; a packet built with a valid ICV is never {@code auth_failed}; an
 * accepted packet is a well-formed IP packet inside the buffer.
 */
class InboundPipelineFuzzTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] CBC_KEY = HEX.parseHex("00112233445566778899aabbccddeeff");
  private static final byte[] SHA1_KEY = HEX.parseHex("0102030405060708090a0b0c0d0e0f1011121314");
  private static final byte[] CBC_ONLY_KEY = HEX.parseHex("f0e0d0c0b0a090807060504030201000");
  private static final byte[] AH_KEY = HEX.parseHex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4");
  private static final byte[] GCM_KEY = HEX.parseHex("feffe9928665731c6d6a8f9467308308cafebabe");
  private static final byte[] SHA256_KEY =
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  private static final int SPI_CBC_SHA1 = 0x100;
  private static final int SPI_CBC_ONLY = 0x101;
  private static final int SPI_AH = 0x102;
  private static final int SPI_GCM = 0x103;
  private static final int SPI_NULL_SHA256 = 0x104;

  /** The SAs, as a key manager would install them with setkey. */
  private static final String SETKEY =
      "add 192.0.2.1 192.0.2.2 esp 0x100 -m transport -r 64 -E aes-cbc 0x"
          + HEX.formatHex(CBC_KEY)
          + " -A hmac-sha1 0x"
          + HEX.formatHex(SHA1_KEY)
          + ";\n"
          + "add 192.0.2.1 192.0.2.2 esp 0x101 -m tunnel -E aes-cbc 0x"
          + HEX.formatHex(CBC_ONLY_KEY)
          + ";\n"
          + "add 192.0.2.1 192.0.2.2 ah 0x102 -m transport -A hmac-sha1 0x"
          + HEX.formatHex(AH_KEY)
          + ";\n"
          + "add 192.0.2.1 192.0.2.2 esp 0x103 -m tunnel -E aes-gcm-16 0x"
          + HEX.formatHex(GCM_KEY)
          + ";\n"
          + "add 2001:db8::1 2001:db8::2 esp 0x104 -m transport -E null -A hmac-sha256 0x"
          + HEX.formatHex(SHA256_KEY)
          + ";\n";

  private static final List<SetkeyStatement> STATEMENTS = new SetkeyParser("fuzz").parse(SETKEY);

  @FuzzTest(maxDuration = "5m")
  void oneVerdictPerPacketAndNothingAcceptedWithoutAValidIcv(FuzzedDataProvider data)
      throws GeneralSecurityException {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).seed(1).build();
    PfKeySocket km = engine.open(Credentials.root(1));
    for (SetkeyStatement s : STATEMENTS) {
      for (SadbMessage m : s.messages()) {
        assertThat(km.call(m).errno()).isZero();
      }
    }
    Datapath datapath =
        Datapath.builder(engine).transforms(TransformFactory.deterministic(1)).build();
    PacketContext ctx = datapath.newContext();

    boolean built = (data.consumeByte() & 1) == 1;
    byte[] packet = built ? sealed(data) : data.consumeRemainingAsBytes();
    int slack = 3;
    byte[] buf = new byte[slack + packet.length + 5];
    System.arraycopy(packet, 0, buf, slack, packet.length);

    long before = total(datapath);
    Verdict v = datapath.inbound(buf, slack, packet.length, ctx);
    assertThat(v).isNotNull();
    assertThat(total(datapath)).isEqualTo(before + 1);
    assertThat(datapath.count(v)).isEqualTo(1);
    if (built) {
      assertThat(v).isNotEqualTo(Verdict.AUTH_FAILED);
    }
    if (v.isOk()) {
      if (ctx.saCount() > 0) {
        assertThat(outermostIcvVerifies(packet, ctx.sa(0)))
            .as("accepted under %s without a valid ICV", ctx.sa(0))
            .isTrue();
      }
      if (ctx.hasOutput()) {
        assertThat(ctx.offset()).isBetween(0, ctx.buffer().length - ctx.length());
        assertThat(new IpPacket().parse(ctx.buffer(), ctx.offset(), ctx.length()))
            .isEqualTo(ParseResult.OK);
      }
    }
    datapath.close();
    engine.close();
  }

  private static long total(Datapath d) {
    long n = 0;
    for (Verdict v : Verdict.values()) {
      n += d.count(v);
    }
    return n;
  }

  // ------------------------------------------------------------------ an honest peer

  /** An IPv4 ESP packet protecting the fuzz data as its plaintext under one of the ESP SAs. */
  private static byte[] sealed(FuzzedDataProvider data) throws GeneralSecurityException {
    int which = data.consumeInt(0, 2);
    int seq = data.consumeInt(1, 80);
    byte[] iv = data.consumeBytes(16);
    iv = Arrays.copyOf(iv, 16);
    byte[] plain = data.consumeRemainingAsBytes();
    int spi = which == 0 ? SPI_CBC_SHA1 : which == 1 ? SPI_CBC_ONLY : SPI_GCM;
    byte[] head = new byte[8];
    putInt(head, 0, spi);
    putInt(head, 4, seq);
    byte[] body;
    if (which == 2) {
      byte[] nonceIv = Arrays.copyOf(iv, 8);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      byte[] nonce = new byte[12];
      System.arraycopy(GCM_KEY, 16, nonce, 0, 4);
      System.arraycopy(nonceIv, 0, nonce, 4, 8);
      gcm.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(GCM_KEY, 0, 16, "AES"),
          new GCMParameterSpec(128, nonce));
      gcm.updateAAD(head);
      body = concat(nonceIv, gcm.doFinal(Arrays.copyOf(plain, Math.max(2, plain.length))));
    } else {
      int n = Math.max(16, (plain.length + 15) / 16 * 16);
      Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
      cbc.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(which == 0 ? CBC_KEY : CBC_ONLY_KEY, "AES"),
          new IvParameterSpec(iv));
      body = concat(iv, cbc.doFinal(Arrays.copyOf(plain, n)));
    }
    byte[] esp = concat(head, body);
    if (which == 0) {
      esp = concat(esp, Arrays.copyOf(hmac("HmacSHA1", SHA1_KEY, esp, 0, esp.length), 12));
    }
    return ipv4(50, esp);
  }

  private static byte[] ipv4(int protocol, byte[] payload) {
    byte[] p = new byte[20 + payload.length];
    p[0] = 0x45;
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    p[8] = 64;
    p[9] = (byte) protocol;
    System.arraycopy(new byte[] {(byte) 192, 0, 2, 1, (byte) 192, 0, 2, 2}, 0, p, 12, 8);
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    p[10] = (byte) (~sum >> 8);
    p[11] = (byte) ~sum;
    System.arraycopy(payload, 0, p, 20, payload.length);
    return p;
  }

  // ------------------------------------------------------------------ the independent check

  /** Whether the packet as received carries a valid ICV for its outermost SA, by the JDK. */
  private static boolean outermostIcvVerifies(byte[] packet, SecurityAssociation sa)
      throws GeneralSecurityException {
    IpPacket p = new IpPacket();
    if (!p.parse(packet, 0, packet.length).isOk()) {
      return false;
    }
    int at = p.protocolOffset();
    int end = p.end();
    switch (sa.spi()) {
      case SPI_CBC_SHA1:
        return hmacTrailer("HmacSHA1", SHA1_KEY, packet, at, end, 12);
      case SPI_NULL_SHA256:
        return hmacTrailer("HmacSHA256", SHA256_KEY, packet, at, end, 16);
      case SPI_CBC_ONLY:
        return true; // no integrity: nothing to verify
      case SPI_GCM:
        return gcmOpens(packet, at, end);
      case SPI_AH:
        return ahVerifies(packet, p, at, end);
      default:
        return false;
    }
  }

  private static boolean hmacTrailer(
      String alg, byte[] key, byte[] packet, int at, int end, int icv)
      throws GeneralSecurityException {
    if (end - at < 8 + icv) {
      return false;
    }
    byte[] mac = Arrays.copyOf(hmac(alg, key, packet, at, end - icv - at), icv);
    return MessageDigest.isEqual(mac, Arrays.copyOfRange(packet, end - icv, end));
  }

  private static boolean gcmOpens(byte[] packet, int at, int end) throws GeneralSecurityException {
    if (end - at < 8 + 8 + 16) {
      return false;
    }
    byte[] nonce = new byte[12];
    System.arraycopy(GCM_KEY, 16, nonce, 0, 4);
    System.arraycopy(packet, at + 8, nonce, 4, 8);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(GCM_KEY, 0, 16, "AES"),
        new GCMParameterSpec(128, nonce));
    gcm.updateAAD(packet, at, 8);
    try {
      gcm.doFinal(packet, at + 16, end - at - 16);
      return true;
    } catch (AEADBadTagException e) {
      return false;
    }
  }

  private static boolean ahVerifies(byte[] packet, IpPacket p, int at, int end)
      throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(AH_KEY, "HmacSHA1"));
    int ipLength = end - p.offset();
    if (!new AhIcvInput().feed(packet, p.offset(), ipLength, at, 12, mac::update).isOk()) {
      return false;
    }
    byte[] icv = Arrays.copyOf(mac.doFinal(), 12);
    return MessageDigest.isEqual(icv, Arrays.copyOfRange(packet, at + 12, at + 24));
  }

  private static byte[] hmac(String alg, byte[] key, byte[] b, int off, int len)
      throws GeneralSecurityException {
    Mac mac = Mac.getInstance(alg);
    mac.init(new SecretKeySpec(key, alg));
    mac.update(b, off, len);
    return mac.doFinal();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
