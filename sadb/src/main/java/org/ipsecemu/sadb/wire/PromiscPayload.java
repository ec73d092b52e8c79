package org.ipsecemu.sadb.wire;

import java.util.Arrays;

/**
 * The payload of a data-form SADB_X_PROMISC message (RFC 2367 Appendix A): a whole PF_KEY message
 * following the base header, "sent without any processing of their contents (including sanity
 * checking)". Not an extension on the wire (it has no {@code sadb_ext} header), but it stands in
 * the extension list so the model stays one header plus a list.
 *
 * <p>Kept raw, because the embedded message may be deliberately malformed; decode it separately
 * when needed. The constructor pads it with zeros to a multiple of 8 bytes.
 *
 * @param message the embedded message bytes (a copy is kept and returned)
 */
public record PromiscPayload(byte[] message) implements SadbExtension {
  /** Copies and pads the message. */
  public PromiscPayload {
    message = Checks.padded(message, 0);
  }

  /** A copy of the embedded message bytes. */
  @Override
  public byte[] message() {
    return message.clone();
  }

  /** {@code SADB_EXT_RESERVED} (0): the payload has no extension type of its own. */
  @Override
  public int exttype() {
    return ExtensionType.SADB_EXT_RESERVED.value();
  }

  /** The payload length in 64-bit words (no extension header). */
  @Override
  public int len() {
    return message.length / 8;
  }

  @Override
  public String exttypeSymbol() {
    return "SADB_X_PROMISC_PAYLOAD";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromiscPayload p && Arrays.equals(message, p.message);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(message);
  }

  @Override
  public String toString() {
    return "PromiscPayload[message=<" + message.length + " bytes>]";
  }
}
