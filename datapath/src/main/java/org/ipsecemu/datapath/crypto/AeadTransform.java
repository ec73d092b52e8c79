package org.ipsecemu.datapath.crypto;

/**
 * A combined-mode ESP cipher (AES-GCM-16, RFC 4106) working in place: encryption and integrity in
 * one pass, no separate integrity transform.
 *
 * <p>RFC 4106 in ESP: the key material ends with a 4-byte salt (§8.1) held by the transform; each
 * packet carries an 8-byte explicit IV (§3.1) and the nonce is salt || IV (§4). The additional
 * authenticated data is the ESP header (§5): SPI || sequence number (8 bytes), or with extended
 * sequence numbers SPI || high 32 bits || low 32 bits (12 bytes, the high bits are never sent, so
 * the ESP layer builds those 12 bytes in a scratch array). The 16-byte ICV follows the ciphertext.
 *
 * <p>{@link #open} never throws on bad packet data: it returns {@code false} (the ESP layer counts
 * {@code auth_failed}). After a failed open the bytes of {@code buf[offset, offset+length)} are
 * unspecified (the Bouncy Castle provider has already decrypted them); the packet is dropped
 * anyway.
 */
public interface AeadTransform extends Transform {

  /** Explicit IV bytes per packet (8). */
  int ivLength();

  /** ICV bytes (16 for AES-GCM-16). */
  int icvLength();

  /**
   * OUTBOUND: writes the next IV ({@link #ivLength()} bytes) at {@code dst[offset]}. It comes from
   * a counter, so it never repeats under this transform's key (RFC 4106 §3.1 / §10).
   */
  void nextIv(byte[] dst, int offset);

  /**
   * OUTBOUND: encrypts {@code buf[offset, offset+length)} in place and writes the ICV at {@code
   * icv[icvOffset]} (usually {@code buf[offset+length]}).
   *
   * @throws IllegalStateException on an INBOUND or destroyed transform, or when {@code iv} equals
   *     the IV of the previous seal (GCM must never reuse a nonce under one key)
   * @throws IndexOutOfBoundsException when a range lies outside its array
   */
  void seal(
      byte[] aad,
      int aadOffset,
      int aadLength,
      byte[] iv,
      int ivOffset,
      byte[] buf,
      int offset,
      int length,
      byte[] icv,
      int icvOffset);

  /**
   * INBOUND: checks the ICV at {@code icv[icvOffset]} and decrypts {@code buf[offset,
   * offset+length)} in place.
   *
   * @return true when the ICV matched (compared in constant time); false when it did not or a range
   *     lies outside its array
   * @throws IllegalStateException on an OUTBOUND or destroyed transform
   */
  boolean open(
      byte[] aad,
      int aadOffset,
      int aadLength,
      byte[] iv,
      int ivOffset,
      byte[] buf,
      int offset,
      int length,
      byte[] icv,
      int icvOffset);
}
