package org.ipsecemu.datapath.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipsecemu.datapath.crypto.SharedCaptures.Sa;
import org.ipsecemu.sadb.alg.Algorithm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transforms against ESP and AH packets made by other implementations, with their published
 * keys: scapy's {@code scapy.layers.ipsec} (the interop samples) and real captures of Linux with
 * racoon, FreeS/WAN-Openswan KLIPS and tcpdump's test suite. Only the crypto is checked here (ICV,
 * decryption, the ESP trailer's self-describing padding of RFC 4303 §2.4); the full ESP/AH
 * processing is the datapath's own interop test.
 *
 * <p>Reads {@code /work/shared} (system property {@code ipsecemu.shared}) and skips itself when it
 * is absent.
 */
class SharedCapturesInteropTest {

  private static Path shared;

  @BeforeAll
  static void needSharedSamples() {
    shared = SharedCaptures.sharedDir();
    assumeTrue(shared != null, "no ../shared samples in this checkout");
  }

  /** What one ESP packet gave: ICV verdict and, when it verified, the decrypted payload. */
  record Outcome(boolean icvOk, byte[] plain) {}

  /**
   * Runs one ESP packet (from the SPI on) through fresh inbound transforms for its SA: ICV first
   * (RFC 4303 §3.4.4), then decryption of the payload after the IV.
   */
  private static Outcome esp(Sa sa, byte[] esp) {
    TransformFactory f = TransformFactory.standard();
    Algorithm enc = Algorithm.encryptByName(sa.encName()).orElseThrow();
    if (enc == Algorithm.AES_GCM_16) {
      int off = 16;
      int len = esp.length - off - 16;
      try (AeadTransform gcm = f.aead(enc, sa.encKey(), Direction.INBOUND)) {
        boolean ok = gcm.open(esp, 0, 8, esp, 8, esp, off, len, esp, off + len);
        return new Outcome(ok, ok ? Arrays.copyOfRange(esp, off, off + len) : null);
      }
    }
    int icvLength = 0;
    if (sa.authName() != null) {
      Algorithm auth = Algorithm.authByName(sa.authName()).orElseThrow();
      try (IntegrityTransform mac = f.integrity(auth, sa.authKey(), Direction.INBOUND)) {
        icvLength = mac.icvLength();
        if (!mac.verify(esp, 0, esp.length - icvLength, esp, esp.length - icvLength)) {
          return new Outcome(false, null);
        }
      }
    }
    int off = 8 + enc.ivLength();
    int len = esp.length - off - icvLength;
    try (EncryptionTransform cipher = f.encryption(enc, sa.encKey(), Direction.INBOUND)) {
      assertThat(cipher.decrypt(esp, 8, esp, off, len)).as("aligned ciphertext").isTrue();
    }
    return new Outcome(true, Arrays.copyOfRange(esp, off, off + len));
  }

  /** The ESP trailer: padding 1, 2, 3, ... (RFC 4303 §2.4), pad length, next header. */
  private static void assertWellFormedTrailer(byte[] plain, String what) {
    int padLength = plain[plain.length - 2] & 0xff;
    assertThat(padLength).as(what + " pad length").isLessThanOrEqualTo(plain.length - 2);
    for (int i = 0; i < padLength; i++) {
      assertThat(plain[plain.length - 2 - padLength + i] & 0xff)
          .as(what + " pad byte")
          .isEqualTo(i + 1);
    }
    // ICMP, IPv4-in-IPv4 (tunnel), TCP, UDP, IPv6, IPComp.
    assertThat(plain[plain.length - 1] & 0xff).as(what + " next header").isIn(1, 4, 6, 17, 41, 108);
  }

  private static int ipHeaderLength(byte[] ip) {
    return (ip[0] & 0x0f) * 4;
  }

  private static boolean isFragment(byte[] ip) {
    return ((ip[6] & 0x3f) | ip[7]) != 0; // MF flag or a fragment offset
  }

  private static byte[] payloadOf(byte[] ip) {
    return Arrays.copyOfRange(ip, ipHeaderLength(ip), ip.length);
  }

  private static long spi(byte[] header, int at) {
    return ((header[at] & 0xffL) << 24)
        | ((header[at + 1] & 0xff) << 16)
        | ((header[at + 2] & 0xff) << 8)
        | (header[at + 3] & 0xff);
  }

  @Test
  void scapyTransportSamplesDecryptToTheExpectedPayloads() throws IOException {
    Path dir = shared.resolve("interop/esp-transport-v4");
    Map<Long, Sa> sas = SharedCaptures.setkeyAdds(dir.resolve("sa.conf"));
    List<byte[]> packets = SharedCaptures.ipv4Packets(dir.resolve("in.pcap"));
    JsonNode expect =
        new ObjectMapper().readTree(dir.resolve("expect.json").toFile()).get("packets");
    int checked = 0;
    for (JsonNode e : expect) {
      byte[] ip = packets.get(e.get("index").asInt());
      byte[] esp = payloadOf(ip);
      Sa sa = sas.get(spi(esp, 0));
      String what =
          "packet " + e.get("index") + " spi=" + Long.toHexString(sa.spi()) + " " + sa.encName();
      Outcome o = esp(sa, esp);
      assertThat(o.icvOk()).as(what + " ICV").isTrue();
      assertWellFormedTrailer(o.plain(), what);
      byte[] payload = HexFormat.of().parseHex(e.get("payload").asText());
      assertThat(Arrays.copyOf(o.plain(), payload.length)).as(what + " payload").isEqualTo(payload);
      assertThat(o.plain()[o.plain().length - 1] & 0xff).as(what).isEqualTo(e.get("proto").asInt());
      checked++;
    }
    assertThat(checked).isEqualTo(expect.size()).isGreaterThan(0);
  }

  @Test
  void scapyNegativeSamplesFailOnlyWhereTheIcvIsBad() throws IOException {
    Path dir = shared.resolve("interop/esp-negative");
    Map<Long, Sa> sas = SharedCaptures.setkeyAdds(dir.resolve("sa.conf"));
    List<byte[]> packets = SharedCaptures.ipv4Packets(dir.resolve("in.pcap"));
    JsonNode expect =
        new ObjectMapper().readTree(dir.resolve("expect.json").toFile()).get("packets");
    int checked = 0;
    for (JsonNode e : expect) {
      String verdict = e.get("verdict").asText();
      byte[] esp = payloadOf(packets.get(e.get("index").asInt()));
      Sa sa = esp.length >= 8 ? sas.get(spi(esp, 0)) : null;
      if (sa == null || !(verdict.equals("ok") || verdict.equals("auth_failed"))) {
        continue; // no SA, replay, malformed: not a crypto matter
      }
      assertThat(esp(sa, esp).icvOk())
          .as("packet " + e.get("index") + " " + verdict)
          .isEqualTo(verdict.equals("ok"));
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(8);
  }

  // Captures and their keys (see /work/shared/captures/README.md).
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "captures/ipdecap/3des-cbc_hmac-sha1.cap, captures/ipdecap/3des-cbc_hmac-sha1.cap.keys",
    "captures/ipdecap/3des-cbc_null.cap, captures/ipdecap/3des-cbc_null.cap.keys",
    "captures/ipdecap/aes-cbc_hmac-sha1.cap, captures/ipdecap/aes-cbc_hmac-sha1.cap.keys",
    "captures/ipdecap/aes192-cbc_hmac-sha1.cap, captures/ipdecap/aes192-cbc_hmac-sha1.cap.keys",
    "captures/ipdecap/aes256-cbc_hmac-sha1.cap, captures/ipdecap/aes256-cbc_hmac-sha1.cap.keys",
    "captures/ipdecap/des-cbc_hmac-md5.cap, captures/ipdecap/des-cbc_hmac-md5.cap.keys",
    "captures/ipdecap/null_hmac-md5.cap, captures/ipdecap/null_hmac-md5.cap.keys",
    "captures/openswan/02-east-west-transport.pcap, captures/openswan/02-east-west-transport.conf",
    "captures/openswan/08-sunrise-sunset-aes128.pcap, captures/openswan/08-sunrise-sunset-aes128.conf",
    "captures/openswan/08-sunrise-sunset-esp-sha1.pcap, captures/openswan/08-sunrise-sunset-esp-sha1.conf",
    "captures/openswan/08-sunrise-sunset-esp-noauth.pcap, captures/openswan/08-sunrise-sunset-esp-noauth.conf",
    "captures/openswan/08-east-west-esp-ipcomp.pcap, captures/openswan/08-east-west-esp-ipcomp.conf",
    "captures/tcpdump/08-sunrise-sunset-aes.pcap, captures/tcpdump/08-sunrise-sunset-aes.conf",
    "captures/tcpdump/08-sunrise-sunset-esp2.pcap, captures/tcpdump/08-sunrise-sunset-esp2.conf",
  })
  void realCapturesVerifyAndDecryptWithTheirPublishedKeys(String capture, String keys)
      throws IOException {
    Path keyFile = shared.resolve(keys);
    Map<Long, Sa> sas =
        keys.endsWith(".keys")
            ? SharedCaptures.setkeyDump(keyFile)
            : SharedCaptures.setkeyAdds(keyFile);
    int checked = 0;
    int index = 0;
    for (byte[] ip : SharedCaptures.ipv4Packets(shared.resolve(capture))) {
      index++;
      if (ip == null || (ip[9] & 0xff) != 50 || isFragment(ip)) {
        continue; // not ESP, or a fragment (reassembly is the datapath's job)
      }
      byte[] esp = payloadOf(ip);
      Sa sa = sas.get(spi(esp, 0));
      if (sa == null) {
        continue;
      }
      String what = capture + " frame " + index + " " + sa.encName() + "/" + sa.authName();
      Outcome o = esp(sa, esp);
      assertThat(o.icvOk()).as(what + " ICV").isTrue();
      assertWellFormedTrailer(o.plain(), what);
      checked++;
    }
    assertThat(checked).as("ESP packets with keys in " + capture).isGreaterThan(0);
  }

  /**
   * AH ICVs (RFC 4302 §3.3.3): IPv4 header with the mutable fields zeroed (TOS, flags and fragment
   * offset, TTL, checksum; none of these samples has options), the AH header with its ICV field as
   * zeros, then the payload. Exercises feeding in pieces and {@code updateZeros}.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "interop/ah-basic/in.pcap, interop/ah-basic/sa.conf",
    "captures/openswan/08-sunrise-sunset-ah-md5.pcap, captures/openswan/08-sunrise-sunset-ah-md5.conf",
    "captures/openswan/08-sunrise-sunset-ah-sha1.pcap, captures/openswan/08-sunrise-sunset-ah-sha1.conf",
  })
  void ahIcvsVerifyWhenFedInPieces(String capture, String keys) throws IOException {
    Map<Long, Sa> sas = SharedCaptures.setkeyAdds(shared.resolve(keys));
    int checked = 0;
    for (byte[] ip : SharedCaptures.ipv4Packets(shared.resolve(capture))) {
      if (ip == null || (ip[9] & 0xff) != 51 || ipHeaderLength(ip) != 20) {
        continue;
      }
      int ah = 20;
      Sa sa = sas.get(spi(ip, ah + 4));
      if (sa == null) {
        continue;
      }
      int icvLength = ((ip[ah + 1] & 0xff) + 2) * 4 - 12;
      byte[] header = Arrays.copyOf(ip, 20);
      header[1] = 0; // TOS
      header[6] = 0; // flags, fragment offset
      header[7] = 0;
      header[8] = 0; // TTL
      header[10] = 0; // checksum
      header[11] = 0;
      Algorithm auth = Algorithm.authByName(sa.authName()).orElseThrow();
      try (IntegrityTransform mac =
          TransformFactory.standard().integrity(auth, sa.authKey(), Direction.INBOUND)) {
        assertThat(mac.icvLength()).isEqualTo(icvLength);
        mac.update(header, 0, 20);
        mac.update(ip, ah, 12);
        mac.updateZeros(icvLength);
        mac.update(ip, ah + 12 + icvLength, ip.length - ah - 12 - icvLength);
        assertThat(mac.verify(ip, ah + 12))
            .as(capture + " spi=" + Long.toHexString(sa.spi()))
            .isTrue();
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(0);
  }

  @Test
  void everyAlgorithmNameInTheSamplesIsKnown() throws IOException {
    Set<String> seen = new java.util.TreeSet<>();
    try (var files = Files.walk(shared.toRealPath())) { // ../shared may be a symlink (worktrees)
      for (Path p : (Iterable<Path>) files::iterator) {
        String n = p.getFileName().toString();
        if (n.endsWith(".conf")) {
          SharedCaptures.setkeyAdds(p).values().forEach(sa -> addNames(seen, sa));
        } else if (n.endsWith(".keys")) {
          SharedCaptures.setkeyDump(p).values().forEach(sa -> addNames(seen, sa));
        }
      }
    }
    for (String name : seen) {
      assertThat(Algorithm.byName(name)).as(name).isPresent();
    }
    assertThat(seen).contains("rijndael-cbc", "aes-gcm-16", "hmac-sha256", "3des-cbc", "null");
  }

  private static void addNames(Set<String> seen, Sa sa) {
    if (sa.proto().equals("esp") || sa.proto().equals("ah")) {
      if (sa.encName() != null) {
        seen.add(sa.encName());
      }
      if (sa.authName() != null) {
        seen.add(sa.authName());
      }
    }
  }
}
