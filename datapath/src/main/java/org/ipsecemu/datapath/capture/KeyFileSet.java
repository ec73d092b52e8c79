package org.ipsecemu.datapath.capture;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ipsecemu.sadb.engine.KeyEngine;
import org.ipsecemu.sadb.engine.PfKeySocket;
import org.ipsecemu.sadb.keyfile.KeyFileFormat;
import org.ipsecemu.sadb.keyfile.KeyFiles;
import org.ipsecemu.sadb.setkey.SaSpec;
import org.ipsecemu.sadb.setkey.SetkeyOperation;
import org.ipsecemu.sadb.setkey.SetkeyParser;
import org.ipsecemu.sadb.setkey.SetkeyRunner;
import org.ipsecemu.sadb.setkey.SetkeyStatement;
import org.ipsecemu.sadb.wire.PfKeyException;
import org.ipsecemu.sadb.wire.SadbMessage;

/**
 * The key files of a replay ({@code --sa FILE}, in order): read and checked whole before the
 * capture is opened, so that a bad line stops the replay before it starts, and installed into the
 * Key Engine at the capture's first packet ({@link #install}).
 *
 * <p>Each file's format is recognised by its content ({@link KeyFileFormat}). A {@code setkey} file
 * runs statement by statement, as {@code setkey -f} would: its {@code add}s install SAs, its {@code
 * spdadd}s install the policies outbound packets are matched against, and {@code flush}, {@code
 * spdflush}, {@code delete} act in their turn. The other formats ({@code setkey -D} dumps, {@code
 * ip xfrm state} output or commands, Wireshark's {@code esp_sa}) hold SAs only, each sent as an
 * SADB_ADD. Every message crosses a PF_KEY socket as bytes, as a key manager's would.
 */
public final class KeyFileSet {
  /** The {@code sadb_msg_pid} of the messages that install the keys, and of their socket. */
  public static final long PID = 1;

  private final List<KeyFile> files;
  private final List<String> warnings;

  private KeyFileSet(List<KeyFile> files) {
    this.files = List.copyOf(files);
    List<String> w = new ArrayList<>();
    for (KeyFile f : files) {
      List<SaSpec> sas = new ArrayList<>(f.sas());
      for (SetkeyStatement s : f.statements()) {
        if (s.operation() == SetkeyOperation.ADD && s.sa() != null) {
          sas.add(s.sa());
        }
      }
      for (SaSpec sa : sas) {
        String spi = String.format("SPI 0x%08x", sa.spi());
        if (sa.esn()) {
          w.add(
              sa.where()
                  + ": "
                  + spi
                  + " uses extended sequence numbers, which replay does not handle yet: its"
                  + " packets will fail their ICV");
        }
        if (sa.natTraversal() != null) {
          w.add(
              sa.where()
                  + ": "
                  + spi
                  + " is ESP in UDP (NAT traversal), which replay does not unwrap yet: its"
                  + " packets pass as UDP");
        }
      }
    }
    this.warnings = List.copyOf(w);
  }

  /**
   * What the key files ask that replay cannot do yet (extended sequence numbers, ESP in UDP), one
   * line each, naming the file, the line and the SPI; empty when nothing.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** One key file: its name, format, and its statements (setkey) or SAs (other formats). */
  private record KeyFile(
      String name, KeyFileFormat format, List<SetkeyStatement> statements, List<SaSpec> sas) {}

  /**
   * Reads and parses the files.
   *
   * @throws ReplayException for a missing or unreadable file, or the first bad line (its message
   *     starts with {@code file:line:})
   */
  public static KeyFileSet read(List<Path> paths) throws ReplayException {
    long pid = PID;
    List<KeyFile> out = new ArrayList<>();
    for (Path p : paths) {
      String name = p.toString();
      String text = readText(p);
      KeyFileFormat format = KeyFileFormat.detect(text);
      if (format == KeyFileFormat.SETKEY) {
        List<SetkeyStatement> statements = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (SetkeyParser.Item item : new SetkeyParser(name).pid(pid).parseAll(text)) {
          if (item.error() != null) {
            errors.add(item.error().getMessage());
          } else {
            statements.add(item.statement());
          }
        }
        if (!errors.isEmpty()) {
          throw new ReplayException(
              errors.get(0)
                  + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more bad lines)" : ""));
        }
        out.add(new KeyFile(name, format, statements, List.of()));
      } else {
        try {
          out.add(new KeyFile(name, format, List.of(), KeyFiles.read(text, name, format)));
        } catch (PfKeyException e) {
          throw new ReplayException(e.getMessage());
        }
      }
    }
    return new KeyFileSet(out);
  }

  private static String readText(Path p) throws ReplayException {
    try {
      if (Files.isDirectory(p)) {
        throw new ReplayException(p + ": is a directory, not a key file");
      }
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ReplayException(p + ": no such key file");
    } catch (MalformedInputException e) {
      throw new ReplayException(p + ": not a text key file (not UTF-8)");
    } catch (IOException e) {
      throw new ReplayException(p + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  /** The files' names and formats, for the summary: {@code sa.conf (setkey)}. */
  public List<String> describe() {
    List<String> d = new ArrayList<>();
    for (KeyFile f : files) {
      d.add(f.name() + " (" + f.format().label() + ")");
    }
    return d;
  }

  /**
   * Runs every file against the engine through {@code socket}, in order.
   *
   * @throws ReplayException at the first statement or SA the engine refuses, naming its file and
   *     line and the engine's error ({@code sa.conf:3: the Key Engine refused add: Invalid
   *     argument})
   */
  public void install(KeyEngine engine, PfKeySocket socket) throws ReplayException {
    for (KeyFile f : files) {
      if (f.format() == KeyFileFormat.SETKEY) {
        Failure failure = new Failure();
        SetkeyRunner runner = new SetkeyRunner(socket, engine.codec(), failure);
        for (SetkeyStatement s : f.statements()) {
          if (s.operation() == SetkeyOperation.EXIT) {
            break;
          }
          if (!runner.run(s) || failure.text != null) {
            throw new ReplayException(
                s.where()
                    + ": the Key Engine refused "
                    + s.operation().name().toLowerCase(java.util.Locale.ROOT)
                    + ": "
                    + (failure.text == null ? "no reply" : failure.text));
          }
        }
      } else {
        for (SaSpec sa : f.sas()) {
          SadbMessage reply;
          try {
            reply = socket.call(sa.toAddMessage(socket.pid()));
          } catch (PfKeyException e) {
            throw new ReplayException(
                sa.where() + ": the Key Engine refused the SA: " + e.errno().strerror());
          }
          if (reply == null || reply.errno() != 0) {
            throw new ReplayException(
                sa.where()
                    + ": the Key Engine refused the SA (spi "
                    + String.format("0x%08x", sa.spi())
                    + "): "
                    + (reply == null ? "no reply" : SetkeyRunner.strerror(reply.errno())));
          }
        }
      }
    }
  }

  /** Remembers the first failure a runner reports. */
  private static final class Failure implements SetkeyRunner.Listener {
    String text;

    @Override
    public void failed(SetkeyStatement s, int errno, String text) {
      if (this.text == null) {
        this.text = text;
      }
    }
  }
}
