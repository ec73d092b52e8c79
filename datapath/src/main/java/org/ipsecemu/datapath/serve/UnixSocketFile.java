package org.ipsecemu.datapath.serve;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listening Unix domain stream socket bound at a path whose file has mode 0600 from the moment it
 * appears, and which is removed on {@link #close()} if it is still ours.
 *
 * <p>The JDK binds with the process umask and has no way to change it, so the socket is bound in a
 * fresh 0700 directory beside the path, made 0600 there, then renamed into place: no process can
 * connect through a wider mode in between. A stale socket left at the path by a server that died
 * (nobody accepts on it) is replaced, as daemons such as sshd's agent or strongSwan's charon do; a
 * live one, or a file that is not a socket, is an error.
 */
final class UnixSocketFile implements AutoCloseable {
  /** The longest {@code sun_path} Linux accepts (108 bytes with its terminating NUL). */
  static final int MAX_PATH_BYTES = 107;

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final AtomicLong NEXT = new AtomicLong();

  private final Path path;
  private final ServerSocketChannel channel;
  private final Object fileKey;

  private UnixSocketFile(Path path, ServerSocketChannel channel, Object fileKey) {
    this.path = path;
    this.channel = channel;
    this.fileKey = fileKey;
  }

  /**
   * Binds a listening socket at {@code path} with mode 0600.
   *
   * @throws IOException naming the path when it is in use, not a socket, too long, or the directory
   *     is not writable
   */
  static UnixSocketFile bind(Path path) throws IOException {
    Path abs = path.toAbsolutePath().normalize();
    Path parent = Objects.requireNonNull(abs.getParent(), "parent");
    if (abs.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new IOException(
          "socket path too long path=" + abs + " (at most " + MAX_PATH_BYTES + " bytes)");
    }
    removeStale(abs);
    Path dir = parent.resolve(".ie" + ProcessHandle.current().pid() + "." + NEXT.getAndIncrement());
    Path tmp = dir.resolve("s");
    if (tmp.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      return bindInPlace(abs);
    }
    ServerSocketChannel ch = null;
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      ch.bind(UnixDomainSocketAddress.of(tmp));
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      Object key =
          Files.readAttributes(abs, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      return new UnixSocketFile(abs, ch, key);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      Files.deleteIfExists(tmp);
      throw e;
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  /**
   * Binds directly at a path too long for the private directory beside it, then narrows the mode:
   * between the two a peer could connect through the umask's mode, and is still judged by its
   * credentials.
   */
  private static UnixSocketFile bindInPlace(Path abs) throws IOException {
    ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.bind(UnixDomainSocketAddress.of(abs));
      Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rw-------"));
      Object key =
          Files.readAttributes(abs, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      return new UnixSocketFile(abs, ch, key);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Removes a socket at the path that nobody accepts on; fails for anything else there. */
  private static void removeStale(Path path) throws IOException {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new FileAlreadyExistsException(path.toString(), null, "exists and is not a socket");
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      throw new FileAlreadyExistsException(
          path.toString(), null, "a server is already listening on it");
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException refused) {
      Files.deleteIfExists(path); // stale: its server is gone
    }
  }

  /** The path of the socket file. */
  Path path() {
    return path;
  }

  /** The listening channel (blocking). */
  ServerSocketChannel channel() {
    return channel;
  }

  /** Stops listening and removes the socket file if it is still the one bound here. */
  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      try {
        Object now =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
        if (Objects.equals(now, fileKey)) {
          Files.deleteIfExists(path);
        }
      } catch (NoSuchFileException gone) {
        // someone removed it already
      }
    }
  }
}
