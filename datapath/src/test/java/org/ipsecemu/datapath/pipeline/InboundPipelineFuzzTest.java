package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.Deflater;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ipsecemu.datapath.ah.AhIcvInput;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.datapath.packet.IpPacket;
import org.ipsecemu.datapath.packet.ParseResult;
import org.ipsecemu.datapath.sa.Verdict;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.SecurityAssociation;

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
 *       the JDK's own AES, HMAC and GCM, so that the fuzzer explores everything after the ICV; or
 *       such an ESP packet in UDP to port 4500 (RFC 3948); or the fuzz data as the payload of an
 *       IPComp packet (RFC 3173) for the IPComp SA, deflated here or left as it is, so that it
 *       reaches the inflater and the packet it yields (bombs included: the cap must hold).
 * </ul>
 *
 * <p>Invariants: {@code inbound} never throws and yields exactly one verdict, counted once in the
 * totals; a packet is never accepted unless its outermost ICV verifies with the SA's key, checked
 * here independently with the JDK; a packet built with a valid ICV is never {@code auth_failed} for
 * its outer SA (an ESP or AH packet nested in its plaintext may be); an accepted packet is a
 * well-formed IP packet inside the buffer.
 */
class InboundPipelineFuzzTest {
  private static final int SPI_CBC_SHA1 = Peer.SPI_CBC_SHA1;
  private static final int SPI_CBC_ONLY = Peer.SPI_CBC_ONLY;
  private static final int SPI_AH = Peer.SPI_AH;
  private static final int SPI_GCM = Peer.SPI_GCM;
  private static final int SPI_NULL_SHA256 = Peer.SPI_NULL_SHA256;

  /** The IPComp SA (RFC 3173 has no integrity: nothing to verify, only bounds to keep). */
  private static final int CPI = 0x105;

  private static final String IPCOMP_SA =
      "add 192.0.2.1 192.0.2.2 ipcomp 0x105 -m tunnel -C deflate;";

  @FuzzTest(maxDuration = "5m")
  void oneVerdictPerPacketAndNothingAcceptedWithoutAValidIcv(FuzzedDataProvider data)
      throws GeneralSecurityException {
    KeyEngine engine = KeyEngine.builder().clock(new ManualClock()).seed(1).build();
    Peer.install(engine);
    KeyFiles.setkey(engine, IPCOMP_SA);
    // As replay does: ESP in UDP is taken for any SA, so the UDP-wrapped packets reach the SAs.
    Datapath datapath =
        Datapath.builder(engine)
            .transforms(TransformFactory.deterministic(1))
            .strictUdpEncapsulation(false)
            .build();
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
    if (built && v == Verdict.AUTH_FAILED) {
      // Our ICV verified; only an SA nested inside the tunnel (the fuzzer's own ESP or AH packet
      // in the plaintext) may have failed.
      assertThat(ctx.saCount()).as("SAs used before the failure").isGreaterThan(1);
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
    int which = data.consumeInt(0, 4);
    if (which == 4) {
      return ipcomp(data);
    }
    int seq = data.consumeInt(1, 80);
    byte[] iv = data.consumeBytes(16);
    byte[] plain = data.consumeRemainingAsBytes();
    int spi = which == 0 || which == 3 ? SPI_CBC_SHA1 : which == 1 ? SPI_CBC_ONLY : SPI_GCM;
    byte[] esp = Peer.esp(spi, seq, iv, which == 2 && plain.length < 2 ? new byte[2] : plain);
    if (which == 3) {
      // RFC 3948 §2.2: a UDP header (port 4500 both ways, checksum 0), then the ESP packet.
      byte[] udp = new byte[8 + esp.length];
      udp[0] = udp[2] = (byte) (4500 >> 8);
      udp[1] = udp[3] = (byte) 4500;
      udp[4] = (byte) (udp.length >> 8);
      udp[5] = (byte) udp.length;
      System.arraycopy(esp, 0, udp, 8, esp.length);
      return Peer.ipv4(17, udp);
    }
    return Peer.ipv4(50, esp);
  }

  /** An IPComp packet for the IPComp SA: the fuzz data deflated, or as it is. */
  private static byte[] ipcomp(FuzzedDataProvider data) {
    int next = data.consumeBoolean() ? 4 : data.consumeInt(0, 255);
    boolean deflate = data.consumeBoolean();
    byte[] payload = data.consumeRemainingAsBytes();
    if (deflate) {
      Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      d.setInput(payload);
      d.finish();
      byte[] out = new byte[payload.length + 64];
      int n = d.deflate(out);
      d.end();
      payload = Arrays.copyOf(out, n);
    }
    byte[] ipcomp = new byte[4 + payload.length];
    ipcomp[0] = (byte) next;
    ipcomp[2] = (byte) (CPI >> 8);
    ipcomp[3] = (byte) CPI;
    System.arraycopy(payload, 0, ipcomp, 4, payload.length);
    return Peer.ipv4(108, ipcomp);
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
    if (p.protocol() == 17) {
      at += 8; // ESP in UDP: the ESP packet follows the UDP header
    }
    switch (sa.spi()) {
      case SPI_CBC_SHA1:
        return hmacTrailer("HmacSHA1", Peer.SHA1_KEY, packet, at, end, 12);
      case SPI_NULL_SHA256:
        return hmacTrailer("HmacSHA256", Peer.SHA256_KEY, packet, at, end, 16);
      case SPI_CBC_ONLY:
      case CPI:
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
    byte[] mac = Arrays.copyOf(Peer.hmac(alg, key, packet, at, end - icv - at), icv);
    return MessageDigest.isEqual(mac, Arrays.copyOfRange(packet, end - icv, end));
  }

  private static boolean gcmOpens(byte[] packet, int at, int end) throws GeneralSecurityException {
    if (end - at < 8 + 8 + 16) {
      return false;
    }
    byte[] nonce = new byte[12];
    System.arraycopy(Peer.GCM_KEY, 16, nonce, 0, 4);
    System.arraycopy(packet, at + 8, nonce, 4, 8);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(Peer.GCM_KEY, 0, 16, "AES"),
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
    mac.init(new SecretKeySpec(Peer.AH_KEY, "HmacSHA1"));
    int ipLength = end - p.offset();
    if (!new AhIcvInput().feed(packet, p.offset(), ipLength, at, 12, mac::update).isOk()) {
      return false;
    }
    byte[] icv = Arrays.copyOf(mac.doFinal(), 12);
    return MessageDigest.isEqual(icv, Arrays.copyOfRange(packet, at + 12, at + 24));
  }
}
