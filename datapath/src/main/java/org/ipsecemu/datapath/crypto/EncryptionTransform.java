package org.ipsecemu.datapath.crypto;

/**
 * A confidentiality-only ESP cipher (CBC mode with an explicit per-packet IV, or NULL) working in
 * place on a packet buffer.
 *
 * <p>ESP layout (RFC 4303 §2): the IV sits right before the ciphertext, {@code [SPI][seq][IV]
 * [ciphertext...][ICV]}, but the IV may be anywhere: it is passed separately. Padding to {@link
 * #blockSize()} is the ESP layer's job; this transform only checks the length.
 *
 * <p>Inbound methods never throw on bad packet data: they return {@code false}, and the ESP layer
 * counts a drop. Outbound misuse (wrong length or offsets built by our own code) throws.
 */
public interface EncryptionTransform extends Transform {

  /** Explicit IV bytes per packet (16 for AES-CBC, 8 for DES/3DES, 0 for NULL). */
  int ivLength();

  /** The ciphertext must be a multiple of this many bytes (16, 8, or 1 for NULL). */
  int blockSize();

  /**
   * OUTBOUND: writes a fresh IV of {@link #ivLength()} bytes at {@code dst[offset]}, from this
   * transform's {@link IvGenerator} (unpredictable, RFC 3602 §2.1; or reproducible from a seed).
   */
  void nextIv(byte[] dst, int offset);

  /**
   * OUTBOUND: encrypts {@code buf[offset, offset+length)} in place under the IV at {@code
   * iv[ivOffset]}.
   *
   * @throws IllegalArgumentException when {@code length} is not a multiple of {@link #blockSize()}
   * @throws IndexOutOfBoundsException when a range lies outside its array
   * @throws IllegalStateException on an INBOUND or destroyed transform
   */
  void encrypt(byte[] iv, int ivOffset, byte[] buf, int offset, int length);

  /**
   * INBOUND: decrypts {@code buf[offset, offset+length)} in place under the IV at {@code
   * iv[ivOffset]}. The IV bytes are left unchanged.
   *
   * @return false, with {@code buf} unchanged, when {@code length} is not a multiple of {@link
   *     #blockSize()} or a range lies outside its array (a malformed packet)
   * @throws IllegalStateException on an OUTBOUND or destroyed transform
   */
  boolean decrypt(byte[] iv, int ivOffset, byte[] buf, int offset, int length);
}
