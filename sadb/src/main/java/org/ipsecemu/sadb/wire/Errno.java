package org.ipsecemu.sadb.wire;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The errno values a PF_KEY reply carries in {@code sadb_msg_errno}, with their Linux numbers and
 * {@code strerror} texts (glibc), so replies are byte-exact with Linux and tools can print what
 * {@code setkey} prints ({@code The result of line 3: File exists.}).
 *
 * <p>RFC 2367 §3.1 names EINVAL, ENOMEM, ENOBUFS and EMSGSIZE as the usual errors and each
 * message's section adds its own (EEXIST, ESRCH, EACCES, EPROTONOSUPPORT, EPERM).
 */
public enum Errno {
  /** Operation not permitted (App. A: promiscuous mode without privilege). */
  EPERM(1, "Operation not permitted"),
  /** No such file or directory (Linux: no such policy). */
  ENOENT(2, "No such file or directory"),
  /** No such process (§3.1.2, §3.1.5: the SA was not found). */
  ESRCH(3, "No such process"),
  /** Interrupted system call. */
  EINTR(4, "Interrupted system call"),
  /** Input/output error. */
  EIO(5, "Input/output error"),
  /** No such device or address. */
  ENXIO(6, "No such device or address"),
  /** Argument list too long. */
  E2BIG(7, "Argument list too long"),
  /** Resource temporarily unavailable. */
  EAGAIN(11, "Resource temporarily unavailable"),
  /** Cannot allocate memory (§3.1). */
  ENOMEM(12, "Cannot allocate memory"),
  /** Permission denied (§3.1.2: not the SA's creator). */
  EACCES(13, "Permission denied"),
  /** Bad address. */
  EFAULT(14, "Bad address"),
  /** Device or resource busy. */
  EBUSY(16, "Device or resource busy"),
  /** File exists (§3.1.1, §3.1.3: SPI in use, SA already exists). */
  EEXIST(17, "File exists"),
  /** No such device. */
  ENODEV(19, "No such device"),
  /** Invalid argument (§3.1: various message improprieties). */
  EINVAL(22, "Invalid argument"),
  /** No space left on device. */
  ENOSPC(28, "No space left on device"),
  /** Function not implemented. */
  ENOSYS(38, "Function not implemented"),
  /** Too many levels of symbolic links (Linux: policy nested too deep). */
  ELOOP(40, "Too many levels of symbolic links"),
  /** Protocol error. */
  EPROTO(71, "Protocol error"),
  /** Bad message. */
  EBADMSG(74, "Bad message"),
  /** Message too long (§2.1: sadb_msg_len does not match the bytes given). */
  EMSGSIZE(90, "Message too long"),
  /** Protocol not available. */
  ENOPROTOOPT(92, "Protocol not available"),
  /** Protocol not supported (§3.1.6: no key management registered for the SA type). */
  EPROTONOSUPPORT(93, "Protocol not supported"),
  /** Socket type not supported. */
  ESOCKTNOSUPPORT(94, "Socket type not supported"),
  /** Operation not supported. */
  EOPNOTSUPP(95, "Operation not supported"),
  /** Address family not supported by protocol. */
  EAFNOSUPPORT(97, "Address family not supported by protocol"),
  /** Cannot assign requested address. */
  EADDRNOTAVAIL(99, "Cannot assign requested address"),
  /** No buffer space available (§3.1, spelled ENOBUFFS there). */
  ENOBUFS(105, "No buffer space available"),
  /** Connection timed out. */
  ETIMEDOUT(110, "Connection timed out");

  private static final Map<Integer, Errno> BY_NUMBER = new HashMap<>();

  static {
    for (Errno e : values()) {
      BY_NUMBER.put(e.number, e);
    }
  }

  private final int number;
  private final String strerror;

  Errno(int number, String strerror) {
    this.number = number;
    this.strerror = strerror;
  }

  /** The Linux errno number, as written into {@code sadb_msg_errno}. */
  public int number() {
    return number;
  }

  /** The C library's text for this errno, e.g. {@code File exists}. */
  public String strerror() {
    return strerror;
  }

  /** The errno with this Linux number, or empty. */
  public static Optional<Errno> valueOf(int number) {
    return Optional.ofNullable(BY_NUMBER.get(number));
  }

  /** The symbolic name of an errno number ({@code EEXIST}), or {@code UNKNOWN(n)}. */
  public static String symbolOf(int number) {
    Errno e = BY_NUMBER.get(number);
    return e != null ? e.name() : "UNKNOWN(" + number + ")";
  }

  /**
   * Parses a symbolic name, {@code UNKNOWN(n)} or a number into an errno number.
   *
   * @throws IllegalArgumentException when the text is none of these
   */
  public static int parse(String text) {
    String t = text.trim();
    for (Errno e : values()) {
      if (e.name().equals(t)) {
        return e.number;
      }
    }
    if (t.startsWith("UNKNOWN(") && t.endsWith(")")) {
      t = t.substring("UNKNOWN(".length(), t.length() - 1);
    }
    try {
      return Integer.parseInt(t);
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("unknown errno \"" + text + "\"");
    }
  }
}
