package org.ipsecemu.sadb.keyfile;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.ipsecemu.sadb.setkey.SetkeyNames;
import org.ipsecemu.sadb.setkey.SourceLocation;
import org.ipsecemu.sadb.wire.AddressFamily;
import org.ipsecemu.sadb.wire.SockAddr;

/** Small readers shared by the key-file formats: addresses, numbers, algorithm names, hex. */
final class KeyFileText {
  private KeyFileText() {}

  /** The number of a {@code setkey -D} encryption name (or a bare number, as it prints those). */
  static int setkeyEncrypt(String name, SourceLocation at) {
    return SetkeyNames.encrypt(name)
        .orElseThrow(
            () -> new KeyFileException(at, "unknown encryption algorithm \"" + name + "\""));
  }

  /** The number of a {@code setkey -D} authentication name (or a bare number). */
  static int setkeyAuth(String name, SourceLocation at) {
    return SetkeyNames.auth(name)
        .orElseThrow(
            () -> new KeyFileException(at, "unknown authentication algorithm \"" + name + "\""));
  }

  /**
   * A numeric address literal; never resolves names.
   *
   * @throws IllegalArgumentException when it is not one
   */
  static SockAddr address(String literal, int port) {
    InetAddress a = SockAddr.parseAddress(literal);
    byte[] b = a.getAddress();
    if (literal.indexOf(':') >= 0 && b.length == 4) {
      // ::ffff:a.b.c.d stays an IPv6 address.
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xFF;
      mapped[11] = (byte) 0xFF;
      System.arraycopy(b, 0, mapped, 12, 4);
      return new SockAddr(AddressFamily.AF_INET6, mapped, port, 0);
    }
    return new SockAddr(
        a instanceof Inet6Address ? AddressFamily.AF_INET6 : AddressFamily.AF_INET, b, port, 0);
  }

  /** Whether an address is all zeros (0.0.0.0 or ::), which {@code ip xfrm} prints for "none". */
  static boolean isZero(SockAddr a) {
    for (byte x : a.address()) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A key written as {@code 0x}-hex (an odd digit count gets a leading zero nibble) or, without
   * {@code 0x}, as the bytes of the text. {@code 0x} alone or an empty text is no key (null).
   */
  static byte[] key(String text, SourceLocation at, String what) {
    if (text.isEmpty() || text.equalsIgnoreCase("0x")) {
      return null;
    }
    if (text.startsWith("0x") || text.startsWith("0X")) {
      String d = text.substring(2);
      if (!d.matches("[0-9A-Fa-f]+")) {
        throw new KeyFileException(at, "bad hex in " + what);
      }
      return HexFormat.of().parseHex(d.length() % 2 == 1 ? "0" + d : d);
    }
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** An unsigned number, decimal or {@code 0x}-hex, up to {@code max}. */
  static long unsigned(String text, long max, SourceLocation at, String what) {
    try {
      long v =
          text.startsWith("0x") || text.startsWith("0X")
              ? Long.parseUnsignedLong(text.substring(2), 16)
              : Long.parseLong(text);
      if (v < 0 || v > max) {
        throw new KeyFileException(at, what + " out of range 0.." + max + " value=" + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new KeyFileException(at, "bad " + what + " \"" + text + "\"");
    }
  }

  /** An unsigned hex number (digits only, no {@code 0x}) up to {@code max}. */
  static long hex(String digits, long max, SourceLocation at, String what) {
    try {
      long v = Long.parseUnsignedLong(digits, 16);
      if (v < 0 || v > max) {
        throw new KeyFileException(at, what + " out of range 0.." + max + " value=0x" + digits);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new KeyFileException(at, "bad " + what + " \"0x" + digits + "\"");
    }
  }
}
