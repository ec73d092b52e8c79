package org.ipsecemu.datapath.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ipsecemu.datapath.ah.AhIcvInput;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.setkey.SetkeyStatement;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * An honest IPsec peer for the robustness tests: the SAs it shares with the emulator (installed
 * with setkey statements), and packets protected under them with the JDK's own AES, HMAC and GCM,
 * independent of the code under test. Tests then break exactly one thing in such a packet.
 */
final class Peer {
  static final HexFormat HEX = HexFormat.of();
  static final byte[] CBC_KEY = HEX.parseHex("00112233445566778899aabbccddeeff");
  static final byte[] SHA1_KEY = HEX.parseHex("0102030405060708090a0b0c0d0e0f1011121314");
  static final byte[] CBC_ONLY_KEY = HEX.parseHex("f0e0d0c0b0a090807060504030201000");
  static final byte[] AH_KEY = HEX.parseHex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4");

  /** AES-128 key and the 4-byte salt of RFC 4106. */
  static final byte[] GCM_KEY = HEX.parseHex("feffe9928665731c6d6a8f9467308308cafebabe");

  static final byte[] SHA256_KEY =
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  /** ESP, AES-128-CBC and HMAC-SHA1-96, transport, replay window 64. */
  static final int SPI_CBC_SHA1 = 0x100;

  /** ESP, AES-128-CBC without integrity, tunnel. */
  static final int SPI_CBC_ONLY = 0x101;

  /** AH, HMAC-SHA1-96, transport. */
  static final int SPI_AH = 0x102;

  /** ESP, AES-128-GCM with a 16-byte ICV, tunnel. */
  static final int SPI_GCM = 0x103;

  /** ESP, NULL encryption and HMAC-SHA256-128, transport, between IPv6 hosts. */
  static final int SPI_NULL_SHA256 = 0x104;

  static final byte[] SRC = {(byte) 192, 0, 2, 1};
  static final byte[] DST = {(byte) 192, 0, 2, 2};

  /** An address as the engine's lookups take it. */
  static java.net.InetAddress ip(byte[] a) {
    try {
      return java.net.InetAddress.getByAddress(a);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The SAs, as a key manager would install them with setkey. */
  static final String SETKEY =
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

  private static final List<SetkeyStatement> STATEMENTS = new SetkeyParser("peer").parse(SETKEY);

  private Peer() {}

  /** Installs the SAs through a PF_KEY socket, checking each reply. */
  static void install(PfKeySocket km) {
    for (SetkeyStatement s : STATEMENTS) {
      for (SadbMessage m : s.messages()) {
        assertThat(km.call(m).errno()).isZero();
      }
    }
  }

  /** The engine's SAs, installed from a fresh root socket. */
  static void install(KeyEngine engine) {
    install(engine.open(org.ipsecemu.sadb.engine.Credentials.root(1)));
  }

  /**
   * The ESP header, IV, ciphertext and ICV protecting {@code plain}, which must already hold the
   * padding and the two trailer bytes (so a test can make them lie). For CBC the plaintext is
   * zero-extended to whole blocks.
   */
  static byte[] esp(int spi, int seq, byte[] iv, byte[] plain) throws GeneralSecurityException {
    byte[] head = new byte[8];
    putInt(head, 0, spi);
    putInt(head, 4, seq);
    byte[] esp;
    if (spi == SPI_GCM) {
      byte[] explicitIv = Arrays.copyOf(iv, 8);
      byte[] nonce = new byte[12];
      System.arraycopy(GCM_KEY, 16, nonce, 0, 4);
      System.arraycopy(explicitIv, 0, nonce, 4, 8);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(GCM_KEY, 0, 16, "AES"),
          new GCMParameterSpec(128, nonce));
      gcm.updateAAD(head); // RFC 4106 §5: SPI || sequence number
      return concat(head, concat(explicitIv, gcm.doFinal(plain)));
    }
    byte[] cbcIv = Arrays.copyOf(iv, 16);
    int n = Math.max(16, (plain.length + 15) / 16 * 16);
    Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
    cbc.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(spi == SPI_CBC_SHA1 ? CBC_KEY : CBC_ONLY_KEY, "AES"),
        new IvParameterSpec(cbcIv));
    esp = concat(head, concat(cbcIv, cbc.doFinal(Arrays.copyOf(plain, n))));
    if (spi == SPI_CBC_SHA1) {
      esp = concat(esp, Arrays.copyOf(hmac("HmacSHA1", SHA1_KEY, esp, 0, esp.length), 12));
    }
    return esp;
  }

  /**
   * {@code data} followed by the default padding 1, 2, 3, ... to {@code block}, and the trailer.
   */
  static byte[] padded(byte[] data, int nextHeader, int block) {
    int pad = Math.floorMod(-(data.length + 2), block);
    byte[] out = Arrays.copyOf(data, data.length + pad + 2);
    for (int i = 0; i < pad; i++) {
      out[data.length + i] = (byte) (i + 1);
    }
    out[out.length - 2] = (byte) pad;
    out[out.length - 1] = (byte) nextHeader;
    return out;
  }

  /** An IPv4 packet from {@link #SRC} to {@link #DST}, with a correct header checksum. */
  static byte[] ipv4(int protocol, byte[] payload) {
    return ipv4(SRC, DST, protocol, payload);
  }

  static byte[] ipv4(byte[] src, byte[] dst, int protocol, byte[] payload) {
    byte[] p = new byte[20 + payload.length];
    p[0] = 0x45;
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    p[8] = 64;
    p[9] = (byte) protocol;
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    System.arraycopy(payload, 0, p, 20, payload.length);
    checksum(p);
    return p;
  }

  /** Recomputes the IPv4 header checksum in place. */
  static void checksum(byte[] p) {
    p[10] = 0;
    p[11] = 0;
    int ihl = (p[0] & 0xf) * 4;
    int sum = 0;
    for (int i = 0; i < ihl; i += 2) {
      sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    p[10] = (byte) (~sum >> 8);
    p[11] = (byte) ~sum;
  }

  /** Sets the IPv4 total length to the array's length and fixes the checksum. */
  static byte[] fixLength(byte[] p) {
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    checksum(p);
    return p;
  }

  /** A UDP datagram of {@code n} payload bytes (checksum 0). */
  static byte[] udp(int n) {
    byte[] u = new byte[8 + n];
    u[1] = 7;
    u[3] = 7;
    u[4] = (byte) (u.length >> 8);
    u[5] = (byte) u.length;
    for (int i = 0; i < n; i++) {
      u[8 + i] = (byte) i;
    }
    return u;
  }

  /**
   * An AH transport-mode IPv4 packet around {@code upper}, its ICV computed with the JDK's HMAC.
   */
  static byte[] ah(int spi, int seq, int nextHeader, byte[] upper) throws GeneralSecurityException {
    byte[] ah = new byte[24 + upper.length];
    ah[0] = (byte) nextHeader;
    ah[1] = 4; // (12 + 12) / 4 - 2
    putInt(ah, 4, spi);
    putInt(ah, 8, seq);
    System.arraycopy(upper, 0, ah, 24, upper.length);
    byte[] p = ipv4(51, ah);
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(AH_KEY, "HmacSHA1"));
    assertThat(new AhIcvInput().feed(p, 0, p.length, 20, 12, mac::update).isOk()).isTrue();
    System.arraycopy(mac.doFinal(), 0, p, 32, 12);
    return p;
  }

  static byte[] hmac(String alg, byte[] key, byte[] b, int off, int len)
      throws GeneralSecurityException {
    Mac mac = Mac.getInstance(alg);
    mac.init(new SecretKeySpec(key, alg));
    mac.update(b, off, len);
    return mac.doFinal();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
