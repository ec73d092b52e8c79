package org.ipsecemu.datapath.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads and writes network-order (big-endian) fields in a {@code byte[]}: IP, ESP and AH fields are
 * all big-endian, and naming the order at every access keeps that visible.
 *
 * <p>Bounds are the caller's business: views check lengths once, then read without re-checking.
 */
public final class BigEndian {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private BigEndian() {}

  /** The unsigned byte at {@code index}. */
  public static int getU8(byte[] buf, int index) {
    return buf[index] & 0xff;
  }

  /** The unsigned 16-bit field at {@code index}. */
  public static int getU16(byte[] buf, int index) {
    return (short) SHORT.get(buf, index) & 0xffff;
  }

  /** The 32-bit field at {@code index}, as a Java {@code int} (sign bit included). */
  public static int getInt(byte[] buf, int index) {
    return (int) INT.get(buf, index);
  }

  /** The 32-bit field at {@code index}, unsigned. */
  public static long getU32(byte[] buf, int index) {
    return getInt(buf, index) & 0xffff_ffffL;
  }

  /** The 64-bit field at {@code index}. */
  public static long getLong(byte[] buf, int index) {
    return (long) LONG.get(buf, index);
  }

  /** Writes the low 8 bits of {@code value} at {@code index}. */
  public static void putU8(byte[] buf, int index, int value) {
    buf[index] = (byte) value;
  }

  /** Writes the low 16 bits of {@code value} at {@code index}. */
  public static void putU16(byte[] buf, int index, int value) {
    SHORT.set(buf, index, (short) value);
  }

  /** Writes {@code value} as 32 bits at {@code index}. */
  public static void putInt(byte[] buf, int index, int value) {
    INT.set(buf, index, value);
  }

  /** Writes {@code value} as 64 bits at {@code index}. */
  public static void putLong(byte[] buf, int index, long value) {
    LONG.set(buf, index, value);
  }
}
