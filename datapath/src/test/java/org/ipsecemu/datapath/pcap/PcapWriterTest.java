package org.ipsecemu.datapath.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ipsecemu.datapath.pcap.Captures.readAll;
import static org.ipsecemu.datapath.pcap.Captures.resource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Writing captures: verbatim round trips, rebuilt frames, large streams, write errors. */
class PcapWriterTest {
  @TempDir Path dir;

  /** Every capture of make.py that replay reads. */
  private static final String[] READABLE = {
    "ethernet.pcap",
    "ethernet-be.pcap",
    "ethernet-vlan.pcap",
    "ethernet-qinq.pcap",
    "raw12.pcap",
    "raw14.pcap",
    "raw101.pcap",
    "ipv4-228.pcap",
    "ipv6-229.pcap",
    "sll.pcap",
    "sll2.pcap",
    "null-le.pcap",
    "null-be.pcap",
    "loop.pcap",
    "nanos.pcap",
    "nanos.pcapng",
    "ethernet-vlan.pcapng",
  };

  /** Copies a capture frame by frame, unchanged, as replay does with frames it passes through. */
  private Path copy(Path input, String outName) throws CaptureException {
    Path out = dir.resolve(outName);
    try (PcapReader in = PcapReader.open(input);
        PcapWriter w = PcapWriter.createLike(out, in)) {
      for (Frame f = in.next(); f != null; f = in.next()) {
        w.write(f);
      }
      assertThat(w.framesWritten()).isEqualTo(in.framesRead());
    }
    return out;
  }

  /** The pcap file header's magic and link type, read by hand (24 bytes, either byte order). */
  private static int[] pcapHeader(Path file) throws IOException {
    ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(file), 0, 24);
    int magic = h.order(ByteOrder.BIG_ENDIAN).getInt(0);
    if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
      h.order(ByteOrder.LITTLE_ENDIAN);
      magic = h.getInt(0);
    }
    return new int[] {magic, h.getInt(20)};
  }

  static Stream<String> readable() {
    return Stream.of(READABLE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readable")
  void copiesEveryFrameWithItsBytesAndTimestamp(String name) throws Exception {
    Path input = resource(name);
    Path output = copy(input, "out.pcap");

    List<Frame> before = readAll(input);
    List<Frame> after = readAll(output);
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      Frame a = before.get(i);
      Frame b = after.get(i);
      assertThat(b.data()).as("frame %d bytes", i + 1).isEqualTo(a.data());
      assertThat(b.epochSecond()).as("frame %d seconds", i + 1).isEqualTo(a.epochSecond());
      assertThat(b.nanos()).as("frame %d nanoseconds", i + 1).isEqualTo(a.nanos());
    }
    try (PcapReader in = PcapReader.open(input);
        PcapReader out = PcapReader.open(output)) {
      // Raw IP in any numbering is written as LINKTYPE_RAW, which libpcap reads as DLT_RAW.
      boolean raw = in.linkType().pcapName().equals("RAW");
      assertThat(out.linkType()).isEqualTo(raw ? LinkType.RAW : in.linkType());
      assertThat(out.format())
          .isEqualTo(in.format().nanosecond() ? CaptureFormat.NSECPCAP : CaptureFormat.PCAP);
    }
  }

  @Test
  void keepsThePcapLinkTypeValueExceptRawWhichBecomesLinktypeRaw() throws Exception {
    for (String name : READABLE) {
      if (name.endsWith(".pcapng")) {
        continue;
      }
      int inputType = pcapHeader(resource(name))[1];
      int outputType = pcapHeader(copy(resource(name), name))[1];
      int expected = (inputType == 12 || inputType == 14) ? 101 : inputType;
      assertThat(outputType).as(name).isEqualTo(expected);
    }
  }

  @Test
  void writesNanosecondPcapForNanosecondInputAndMicrosecondOtherwise() throws Exception {
    assertThat(pcapHeader(copy(resource("nanos.pcap"), "n.pcap"))[0]).isEqualTo(0xA1B23C4D);
    assertThat(pcapHeader(copy(resource("nanos.pcapng"), "ng.pcap"))[0]).isEqualTo(0xA1B23C4D);
    assertThat(pcapHeader(copy(resource("ethernet.pcap"), "u.pcap"))[0]).isEqualTo(0xA1B2C3D4);
  }

  @Test
  void microsecondOutputDropsNanosecondsBelowTheMicrosecond() throws Exception {
    Path out = dir.resolve("micro.pcap");
    try (PcapReader in = PcapReader.open(resource("nanos.pcap"));
        PcapWriter w = PcapWriter.create(out, in.linkType(), false)) {
      for (Frame f = in.next(); f != null; f = in.next()) {
        w.write(f);
      }
    }
    List<Frame> frames = readAll(out);
    assertThat(frames.get(0).nanos()).isEqualTo(123_456_000);
    assertThat(frames.get(1).nanos()).isEqualTo(123_456_000);
  }

  @Test
  void keepsTheOriginalLengthOfAFrameCutBySnaplen() throws Exception {
    assertThat(DirectDump.available()).isTrue();
    List<Frame> frames = readAll(copy(resource("ethernet.pcap"), "cut.pcap"));
    assertThat(frames.get(5).length()).isEqualTo(96);
    assertThat(frames.get(5).originalLength()).isEqualTo(1514);
  }

  @Test
  void pcap4jDumperFallbackWritesTheSameFile() throws Exception {
    // dumpRaw records len = caplen, so compare captures where no frame was cut.
    for (String name : List.of("ethernet-vlan.pcap", "nanos.pcap", "sll2.pcap", "null-be.pcap")) {
      Path direct = copy(resource(name), "direct-" + name);
      Path fallback = dir.resolve("fallback-" + name);
      try (PcapReader in = PcapReader.open(resource(name));
          PcapWriter w =
              PcapWriter.create(fallback, in.linkType(), in.format().nanosecond(), false)) {
        for (Frame f = in.next(); f != null; f = in.next()) {
          w.write(f);
        }
      }
      assertThat(Files.readAllBytes(fallback)).as(name).isEqualTo(Files.readAllBytes(direct));
    }
  }

  @Test
  void writesOnlyTheCapturedLengthOfALongerArray() throws Exception {
    Path out = dir.resolve("part.pcap");
    byte[] buffer = LinkLayerTest.cat(LinkLayerTest.ipv4(20), LinkLayerTest.random(30));
    for (boolean direct : new boolean[] {true, false}) {
      try (PcapWriter w = PcapWriter.create(out, LinkType.RAW, false, direct)) {
        w.writeRaw(buffer, 20, 20, 10, 5_000);
      }
      Frame f = readAll(out).get(0);
      assertThat(f.data()).isEqualTo(Arrays.copyOf(buffer, 20));
      assertThat(f.epochSecond()).isEqualTo(10);
      assertThat(f.nanos()).isEqualTo(5_000);
    }
  }

  @Test
  void refusesTimestampPcapCannotHold() throws Exception {
    Path out = dir.resolve("late.pcap");
    byte[] ip = LinkLayerTest.ipv4(20);
    try (PcapWriter w = PcapWriter.create(out, LinkType.RAW, true)) {
      assertThatThrownBy(() -> w.writeRaw(ip, 20, 20, 1L << 31, 0))
          .isInstanceOf(CaptureException.class)
          .hasMessage(out + ": timestamp 2147483648.0 outside pcap's range (1970-2038)");
      assertThatThrownBy(() -> w.writeRaw(ip, 20, 20, -1, 0)).isInstanceOf(CaptureException.class);
      w.writeRaw(ip, 20, 20, Integer.MAX_VALUE, 999_999_999);
    }
    Frame last = readAll(out).get(0);
    assertThat(last.epochSecond()).isEqualTo(Integer.MAX_VALUE);
    assertThat(last.nanos()).isEqualTo(999_999_999);
  }

  @Test
  void writesFramesRebuiltAroundNewIpPacketsOfAnotherVersion() throws Exception {
    Path out = dir.resolve("rebuilt.pcap");
    byte[] inner6 = LinkLayerTest.ipv6(48);
    byte[] inner4 = LinkLayerTest.ipv4(30);
    try (PcapReader in = PcapReader.open(resource("ethernet-vlan.pcap"));
        PcapWriter w = PcapWriter.createLike(out, in)) {
      Frame f = in.next(); // IPv4 in VLAN 100: becomes IPv6
      w.writeReplacingIp(f, inner6, 0, inner6.length);
      f = in.next(); // IPv6 in VLAN 200: becomes IPv4
      w.writeReplacingIp(f, inner4, 0, inner4.length);
      w.write(in.next()); // ARP, as it was
    }
    List<Frame> frames = readAll(out);
    assertThat(frames).hasSize(3);
    Frame a = frames.get(0);
    assertThat(a.ipVersion()).isEqualTo(6);
    assertThat(a.ipOffset()).isEqualTo(18);
    assertThat(a.length()).isEqualTo(18 + 48);
    assertThat(a.data()[15]).isEqualTo((byte) 100); // VLAN id kept (low byte of the TCI)
    assertThat(a.epochSecond()).isEqualTo(Captures.BASE_SEC);
    assertThat(a.nanos()).isEqualTo(Captures.BASE_USEC * 1000);
    Frame b = frames.get(1);
    assertThat(b.ipVersion()).isEqualTo(4);
    assertThat(b.data()[15]).isEqualTo((byte) 200);
    assertThat(b.epochSecond()).isEqualTo(Captures.BASE_SEC + 1);
    assertThat(frames.get(2).nonIpReason()).isEqualTo(NonIpReason.ARP);
  }

  @Test
  void refusesFrameOfAnotherLinkType() throws Exception {
    byte[] ip = LinkLayerTest.ipv4(20);
    Frame raw = new Frame().wrap(LinkType.RAW, ip, ip.length);
    try (PcapWriter w = PcapWriter.create(dir.resolve("e.pcap"), LinkType.EN10MB, false)) {
      assertThatThrownBy(() -> w.write(raw))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("frame of link type RAW (12) written to a EN10MB (1) capture");
    }
  }

  @Test
  void refusesOutputInMissingDirectory() {
    Path out = dir.resolve("missing").resolve("out.pcap");
    assertThatThrownBy(() -> PcapWriter.create(out, LinkType.EN10MB, false))
        .isInstanceOf(CaptureException.class)
        .hasMessageContaining(out.toString())
        .hasMessageContaining("No such file or directory")
        .extracting(e -> ((CaptureException) e).kind())
        .isEqualTo(CaptureException.Kind.WRITE_FAILED);
  }

  @Test
  void refusesOutputThatIsADirectory() {
    assertThatThrownBy(() -> PcapWriter.create(dir, LinkType.EN10MB, false))
        .isInstanceOf(CaptureException.class)
        .hasMessage(dir + ": is a directory");
  }

  @Test
  void streamsTwoHundredThousandFramesThroughOneHolder() throws Exception {
    // Written and read one frame at a time; nothing here holds more than the current frame.
    int count = 200_000;
    Path big = dir.resolve("big.pcap");
    byte[] header = {2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa, 0x08, 0x00};
    try (PcapWriter w = PcapWriter.create(big, LinkType.EN10MB, true)) {
      for (int i = 0; i < count; i++) {
        byte[] frame = LinkLayerTest.cat(header, LinkLayerTest.ipv4(40));
        frame[30] = (byte) (i >>> 24); // frame number in the source address
        frame[31] = (byte) (i >>> 16);
        frame[32] = (byte) (i >>> 8);
        frame[33] = (byte) i;
        w.writeRaw(
            frame, frame.length, frame.length, 1_000_000L + i / 1000, (i % 1000) * 1_000_000 + 7);
      }
      assertThat(w.framesWritten()).isEqualTo(count);
    }
    long frames = 0;
    long ipBytes = 0;
    try (PcapReader in = PcapReader.open(big)) {
      Frame holder = null;
      for (Frame f = in.next(); f != null; f = in.next()) {
        if (holder == null) {
          holder = f;
        }
        assertThat(f).isSameAs(holder);
        int n = ByteBuffer.wrap(f.data(), 30, 4).getInt();
        if (n != frames || f.nanos() != (n % 1000) * 1_000_000 + 7) {
          throw new AssertionError("frame " + (frames + 1) + " out of order: " + f);
        }
        frames++;
        ipBytes += f.ipLength();
      }
      assertThat(in.framesRead()).isEqualTo(count);
    }
    assertThat(frames).isEqualTo(count);
    assertThat(ipBytes).isEqualTo(40L * count);
  }

  // --- checked by an independent reader: Wireshark's tshark (optional) ---

  private static boolean hasTshark() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, "tshark"))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> tshark(Path file, String... fields) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields"));
    for (String f : fields) {
      cmd.add("-e");
      cmd.add(f);
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("tshark exit status for " + file).isZero();
    return out.lines().toList();
  }

  @Test
  void tsharkSeesTheSameFramesInACopy() throws Exception {
    Assumptions.assumeTrue(hasTshark(), "tshark is not installed");
    for (String name : READABLE) {
      Path input = resource(name);
      Path output = copy(input, name + ".out.pcap");
      String[] fields = {"frame.time_epoch", "frame.cap_len", "frame.protocols", "data.data"};
      List<String> expected = tshark(input, fields);
      assertThat(expected).as(name).isNotEmpty();
      assertThat(tshark(output, fields)).as(name).isEqualTo(expected);
    }
  }

  @Test
  void tsharkDecodesRebuiltFramesByTheirNewVersion() throws Exception {
    Assumptions.assumeTrue(hasTshark(), "tshark is not installed");
    byte[] inner6 = LinkLayerTest.ipv6(40);
    inner6[6] = 59; // next header: none
    byte[] inner4 = LinkLayerTest.ipv4(20);
    inner4[8] = 64; // TTL
    inner4[9] = (byte) 253; // protocol: experimentation
    for (String name : List.of("ethernet-qinq.pcap", "sll.pcap", "sll2.pcap", "null-le.pcap")) {
      Path out = dir.resolve(name + ".rebuilt.pcap");
      try (PcapReader in = PcapReader.open(resource(name));
          PcapWriter w = PcapWriter.createLike(out, in)) {
        Frame f = in.next(); // IPv4: becomes IPv6
        w.writeReplacingIp(f, inner6, 0, inner6.length);
        f = in.next(); // IPv6: becomes IPv4
        w.writeReplacingIp(f, inner4, 0, inner4.length);
      }
      List<String> protocols = tshark(out, "frame.protocols");
      assertThat(protocols).as(name).hasSize(2);
      assertThat(protocols.get(0)).as(name).endsWith(":ipv6");
      assertThat(protocols.get(1)).as(name).matches(".*:ip(:data)?$");
    }
  }
}
