package org.ipsecemu.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.engine.Credentials;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.ManualClock;
import org.ipsecemu.sadb.engine.OutboundResult;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.engine.SecurityAssociation;
import org.ipsecemu.sadb.print.TreePrinter;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.spd.Flow;
import org.ipsecemu.sadb.wire.AddressExtension;
import org.ipsecemu.sadb.wire.ExtensionType;
import org.ipsecemu.sadb.wire.IpsecMode;
import org.ipsecemu.sadb.wire.KeyExtension;
import org.ipsecemu.sadb.wire.LifetimeExtension;
import org.ipsecemu.sadb.wire.MessageType;
import org.ipsecemu.sadb.wire.PfKeyCodec;
import org.ipsecemu.sadb.wire.ProposalExtension;
import org.ipsecemu.sadb.wire.Sa2Extension;
import org.ipsecemu.sadb.wire.SaExtension;
import org.ipsecemu.sadb.wire.SaState;
import org.ipsecemu.sadb.wire.SaType;
import org.ipsecemu.sadb.wire.SadbExtension;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.ipsecemu.sadb.wire.SockAddr;
import org.ipsecemu.sadb.wire.SpiRangeExtension;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ipsec-emu demo}: the story of RFC 2367 §5.1 told by the emulator itself. A small key
 * management daemon (KMD) in this process registers for ESP and AH; an outbound packet finds no SA
 * and the Key Engine sends SADB_ACQUIRE; the KMD reserves an inbound SPI with SADB_GETSPI,
 * "negotiates", completes that SA with SADB_UPDATE and installs the peer's with SADB_ADD; traffic
 * is charged to the SAs until the SOFT byte limit brings an SADB_EXPIRE, and simulated time brings
 * the HARD one; the next packet asks again.
 *
 * <p>Every message crosses a PF_KEY socket as bytes and is printed decoded with a one-line
 * explanation. Time is a manual clock and the engine's SPI generator is seeded, so the output is
 * the same on every run. The keys are made up from a fixed seed: this is a demonstration, not a key
 * exchange (the RFC tells the story with AH; ESP goes the same way).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Tell the story of RFC 2367 §5.1 with the emulator's Key Engine and a small built-in key"
          + " management daemon: REGISTER, ACQUIRE, GETSPI, UPDATE, ADD, traffic, soft and hard"
          + " EXPIRE, each PF_KEY message printed decoded with what it means.",
      "Time is simulated (a manual clock), so the story takes about a minute of its own time and"
          + " an instant of yours, and the output is the same on every run."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--brief", description = "Print only the explanations, not the decoded messages.")
  boolean brief;

  @Option(
      names = "--time",
      paramLabel = "INSTANT",
      defaultValue = "2024-01-01T00:00:00Z",
      description = "Where the simulated clock starts (default: ${DEFAULT-VALUE}).")
  Instant start;

  private static final long KMD_PID = 500;
  private static final long ADMIN_PID = 400;
  private static final String LOCAL = "10.0.0.1";
  private static final String PEER = "10.0.0.2";
  private static final long PEER_SPI = 0x0000b001L;
  private static final int PACKET_BYTES = 1000;
  private static final long SOFT_BYTES = 4000;
  private static final long HARD_SECONDS = 60;

  private PrintWriter out;
  private ManualClock clock;
  private PfKeyCodec codec;
  private final TreePrinter tree = new TreePrinter();

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    clock = new ManualClock(start.toEpochMilli());
    try (KeyEngine engine = KeyEngine.builder().clock(clock).seed(2367).build();
        PfKeySocket admin = engine.open(Credentials.root(ADMIN_PID))) {
      codec = engine.codec();
      story(engine, admin);
    }
    out.flush();
    return 0;
  }

  private void story(KeyEngine engine, PfKeySocket admin) throws Exception {
    out.println(
        "RFC 2367 §5.1 in the emulator: a key management daemon (KMD, pid "
            + KMD_PID
            + ") and the Key Engine.");
    out.println("Simulated time starts at " + start + "; [+s] is the time since.");

    heading("0. An administrator installs the policy (setkey, pid " + ADMIN_PID + ")");
    SadbMessage spdadd =
        new SetkeyParser("demo")
            .pid(ADMIN_PID)
            .parse("spdadd " + LOCAL + " " + PEER + " tcp -P out ipsec esp/transport//require;")
            .get(0)
            .messages()
            .get(0);
    send(
        admin,
        "setkey",
        spdadd,
        "TCP from " + LOCAL + " to " + PEER + " must be protected by an ESP transport SA");
    receiveAll(admin, "setkey", "the policy is in the SPD");

    heading("1. The KMD starts and registers for ESP and AH (§3.1.7)");
    try (PfKeySocket kmd = engine.open(Credentials.root(KMD_PID))) {
      kmdStory(engine, admin, kmd);
    }
  }

  private void kmdStory(KeyEngine engine, PfKeySocket admin, PfKeySocket kmd) throws Exception {
    long seq = 1;
    for (SaType t : List.of(SaType.SADB_SATYPE_ESP, SaType.SADB_SATYPE_AH)) {
      String name = t == SaType.SADB_SATYPE_ESP ? "ESP" : "AH";
      send(
          kmd,
          "KMD",
          SadbMessage.of(MessageType.SADB_REGISTER, t, seq++, KMD_PID),
          "the KMD can negotiate " + name + " SAs: send it ACQUIREs for them");
      receiveAll(kmd, "KMD", "the algorithms the kernel supports for " + name);
    }

    heading("2. A packet needs an SA that does not exist (§3.1.6)");
    Flow flow = Flow.of(InetAddress.getByName(LOCAL), InetAddress.getByName(PEER), 6, 40000, 80);
    OutboundResult r = engine.getassocbysocket(flow);
    note(
        "outbound packet "
            + flow
            + ": getassocbysocket says "
            + r.kind()
            + (r.kind() == OutboundResult.Kind.PENDING
                ? " (ACQUIRE seq " + r.acquireSeq() + ")"
                : ""));
    List<SadbMessage> got =
        receiveAll(kmd, "KMD", "the kernel asks for an ESP SA for this flow, with a proposal");
    SadbMessage acquire = find(got, MessageType.SADB_ACQUIRE);
    receiveAll(admin, null, null);

    heading("3. The KMD reserves the SPI of the inbound SA (§3.1.1)");
    SockAddr local = SockAddr.parse(LOCAL, 0);
    SockAddr peer = SockAddr.parse(PEER, 0);
    SadbMessage getspi =
        new SadbMessage(
            SadbMessage.PF_KEY_V2,
            MessageType.SADB_GETSPI,
            0,
            SaType.SADB_SATYPE_ESP.value(),
            0,
            acquire.seq(),
            KMD_PID,
            List.of(
                AddressExtension.host(ExtensionType.SADB_EXT_ADDRESS_SRC, peer),
                AddressExtension.host(ExtensionType.SADB_EXT_ADDRESS_DST, local),
                new SpiRangeExtension(0x1000, 0x1fff)));
    send(
        kmd,
        "KMD",
        getspi,
        "an SPI between 0x1000 and 0x1fff for the SA from "
            + PEER
            + " to "
            + LOCAL
            + ", with the ACQUIRE's seq");
    got = receiveAll(kmd, "KMD", "the SPI, held by a LARVAL SA until the KMD completes it");
    long inboundSpi = find(got, MessageType.SADB_GETSPI).sa().orElseThrow().spi();
    receiveAll(admin, null, null);

    heading("4. Negotiation with the peer, then the keys (§3.1.2, §3.1.3)");
    ProposalExtension.Comb comb =
        acquire.proposal().orElseThrow().combs().get(0); // the kernel's first choice
    Algorithm enc = Algorithm.encrypt(comb.encrypt()).orElseThrow();
    Algorithm auth = comb.auth() == 0 ? null : Algorithm.auth(comb.auth()).orElseThrow();
    clock.advance(Duration.ofMillis(200));
    note(
        "the KMD and the peer agree on the proposal's first combination: "
            + enc.setkeyName()
            + (auth == null ? "" : " with " + auth.setkeyName())
            + "; the peer picks SPI 0x"
            + String.format("%08x", PEER_SPI)
            + " for the outbound SA (keys made up from a fixed seed: this is a demo)");
    SplittableRandom keys = new SplittableRandom(5);
    SadbMessage update =
        saMessage(
            MessageType.SADB_UPDATE, acquire.seq(), inboundSpi, peer, local, enc, auth, comb, keys);
    send(kmd, "KMD", update, "completes the LARVAL inbound SA: algorithms, keys, lifetimes");
    receiveAll(kmd, "KMD", "the SA is MATURE; the reply to all leaves the keys out");
    receiveAll(admin, null, null);
    SadbMessage add =
        saMessage(
            MessageType.SADB_ADD, acquire.seq(), PEER_SPI, local, peer, enc, auth, comb, keys);
    send(
        kmd,
        "KMD",
        add,
        "adds the outbound SA with the peer's SPI; the ACQUIRE's seq binds it to the request");
    receiveAll(kmd, "KMD", "the outbound SA is MATURE; the ACQUIRE is answered");
    receiveAll(admin, null, null);

    heading("5. Traffic (getassocbysocket out, getassocbyspi in)");
    for (int i = 1; i <= 5; i++) {
      clock.advance(Duration.ofMillis(100));
      OutboundResult o = engine.getassocbysocket(flow);
      if (o.kind() != OutboundResult.Kind.PROTECT) {
        note("packet " + i + ": " + o.kind());
        continue;
      }
      SecurityAssociation out = o.sa(0);
      boolean sent = out.charge(PACKET_BYTES);
      SecurityAssociation in =
          engine.getassocbyspi(InetAddress.getByName(LOCAL), (int) inboundSpi, 50);
      boolean back = in != null && in.charge(PACKET_BYTES / 2);
      note(
          String.format(
              "packet %d: %d bytes out on SPI 0x%08x (%s, %d of SOFT %d bytes), reply %d bytes in"
                  + " on SPI 0x%08x%s",
              i,
              PACKET_BYTES,
              out.spiUnsigned(),
              out.state().name().substring("SADB_SASTATE_".length()),
              out.bytes(),
              SOFT_BYTES,
              PACKET_BYTES / 2,
              inboundSpi,
              sent && back ? "" : " (refused)"));
      receiveAll(
          kmd,
          "KMD",
          "SOFT byte limit reached: the SA is DYING; time for the KMD to negotiate a new one"
              + " (§3.1.8)");
      receiveAll(admin, null, null);
    }

    heading("6. Time passes: the HARD lifetime ends (§3.1.8)");
    engine.advance(Duration.ofSeconds(HARD_SECONDS));
    note("the clock advances " + HARD_SECONDS + " s");
    receiveAll(kmd, "KMD", "HARD lifetime over: the SA is DEAD and removed");
    receiveAll(admin, null, null);

    heading("7. The next packet asks again");
    OutboundResult again = engine.getassocbysocket(flow);
    note(
        "outbound packet "
            + flow
            + ": getassocbysocket says "
            + again.kind()
            + (again.kind() == OutboundResult.Kind.PENDING
                ? " (ACQUIRE seq " + again.acquireSeq() + ")"
                : ""));
    receiveAll(kmd, "KMD", "a new ACQUIRE: the story starts over");
    out.println();
    out.println(
        "That is §5.1: REGISTER, ACQUIRE, GETSPI, UPDATE, ADD, EXPIRE (soft, then hard), ACQUIRE.");
  }

  /** UPDATE or ADD for one SA, with the comb's algorithms, made-up keys and short lifetimes. */
  private static SadbMessage saMessage(
      MessageType type,
      long seq,
      long spi,
      SockAddr src,
      SockAddr dst,
      Algorithm enc,
      Algorithm auth,
      ProposalExtension.Comb comb,
      SplittableRandom keys) {
    List<SadbExtension> ext = new ArrayList<>();
    ext.add(
        new SaExtension(
            spi,
            32,
            SaState.SADB_SASTATE_MATURE.value(),
            auth == null ? 0 : auth.id(),
            enc.id(),
            0));
    ext.add(new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_HARD, 0, 0, HARD_SECONDS, 0));
    ext.add(new LifetimeExtension(ExtensionType.SADB_EXT_LIFETIME_SOFT, 0, SOFT_BYTES, 0, 0));
    ext.add(AddressExtension.host(ExtensionType.SADB_EXT_ADDRESS_SRC, src));
    ext.add(AddressExtension.host(ExtensionType.SADB_EXT_ADDRESS_DST, dst));
    if (auth != null) {
      ext.add(key(ExtensionType.SADB_EXT_KEY_AUTH, comb.authMinbits(), keys));
    }
    if (!enc.isKeyless()) {
      ext.add(key(ExtensionType.SADB_EXT_KEY_ENCRYPT, comb.encryptMinbits(), keys));
    }
    ext.add(new Sa2Extension(IpsecMode.IPSEC_MODE_TRANSPORT.value(), 0, 0));
    return new SadbMessage(
        SadbMessage.PF_KEY_V2, type, 0, SaType.SADB_SATYPE_ESP.value(), 0, seq, KMD_PID, ext);
  }

  private static KeyExtension key(ExtensionType kind, int bits, SplittableRandom r) {
    byte[] k = new byte[bits / 8];
    r.nextBytes(k);
    return KeyExtension.of(kind, k);
  }

  private static SadbMessage find(List<SadbMessage> got, MessageType type) {
    for (SadbMessage m : got) {
      if (m.type() == type) {
        return m;
      }
    }
    throw new IllegalStateException("the Key Engine sent no " + type + "; got " + got);
  }

  // ------------------------------------------------------------------ printing

  private String t() {
    return String.format("[+%.3fs]", (clock.currentTimeMillis() - start.toEpochMilli()) / 1000.0);
  }

  private void heading(String h) {
    out.println();
    out.println("== " + h);
  }

  private void note(String text) {
    out.println(t() + " " + text);
  }

  private void send(PfKeySocket s, String who, SadbMessage m, String why) {
    out.println(t() + " " + who + " -> kernel: " + m.type() + " " + satype(m) + "— " + why);
    if (!brief) {
      out.print(tree.print(m));
    }
    s.send(codec.encode(m));
  }

  /**
   * Reads everything queued on a socket (as bytes, decoded) and prints it when {@code who} is
   * given; {@code why} explains a message the first time it is printed.
   */
  private List<SadbMessage> receiveAll(PfKeySocket s, String who, String why) {
    List<SadbMessage> got = new ArrayList<>();
    for (byte[] b = s.receiveBytes(); b != null; b = s.receiveBytes()) {
      SadbMessage m = codec.decode(b);
      got.add(m);
      if (who != null) {
        out.println(
            t() + " kernel -> " + who + ": " + m.type() + " " + satype(m) + what(m) + "— " + why);
        if (!brief) {
          out.print(tree.print(m));
        }
      }
    }
    return got;
  }

  private static String satype(SadbMessage m) {
    return m.satype() == 0 ? "" : "(" + SaType.symbolOf(m.satype()) + ") ";
  }

  /** A few words on what a received message is, from its contents. */
  private static String what(SadbMessage m) {
    if (m.errno() != 0) {
      return "errno=" + m.errno() + " ";
    }
    if (m.type() == MessageType.SADB_EXPIRE) {
      return (m.lifetimeHard().isPresent() ? "HARD" : "SOFT")
          + m.sa().map(s -> String.format(" spi=0x%08x ", s.spi())).orElse(" ");
    }
    if (m.type() == MessageType.SADB_ACQUIRE) {
      return "seq=" + m.seq() + " ";
    }
    if (m.type() == MessageType.SADB_GETSPI) {
      return m.sa().map(s -> String.format("spi=0x%08x ", s.spi())).orElse("");
    }
    return "";
  }
}
