package org.ipsecemu.sadb.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A reusable view over one wire structure in a {@link ByteBuffer}, in the manner of Agrona/SBE:
 * {@code wrap} points it at an offset and returns {@code this}, getters read fields in place,
 * setters write them and return {@code this}. Nothing is allocated per access.
 *
 * <p>Host-order fields use the byte order given to {@code wrap}; network-order fields name {@link
 * ByteOrder#BIG_ENDIAN} at the access. The buffer's own order and position are never used or
 * changed. Views check nothing: the codec checks lengths before it wraps.
 *
 * @param <T> the concrete view type, returned by the fluent methods
 */
public abstract class Flyweight<T extends Flyweight<T>> {
  private static final VarHandle SHORT_LE =
      MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_BE =
      MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_BE =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** The buffer viewed. */
  protected ByteBuffer buffer;

  /** Where the structure starts in {@link #buffer}. */
  protected int offset;

  /** The host byte order of multi-octet fields. */
  protected ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  /** Points this view at {@code offset} in {@code buffer}, host order little-endian (x86 Linux). */
  public final T wrap(ByteBuffer buffer, int offset) {
    return wrap(buffer, offset, WireFormat.DEFAULT.byteOrder());
  }

  /** Points this view at {@code offset} in {@code buffer} with this host byte order. */
  @SuppressWarnings("unchecked")
  public final T wrap(ByteBuffer buffer, int offset, ByteOrder hostOrder) {
    this.buffer = Objects.requireNonNull(buffer, "buffer");
    this.offset = offset;
    this.order = Objects.requireNonNull(hostOrder, "hostOrder");
    return (T) this;
  }

  /** The buffer this view reads and writes. */
  public final ByteBuffer buffer() {
    return buffer;
  }

  /** The offset of the structure in the buffer. */
  public final int offset() {
    return offset;
  }

  /** The host byte order in use. */
  public final ByteOrder order() {
    return order;
  }

  /** The size of the fixed part of the structure in bytes ({@code sizeof}). */
  public abstract int encodedLength();

  /** Zeroes the whole fixed part, e.g. before writing it. */
  @SuppressWarnings("unchecked")
  public final T clear() {
    zero(offset, encodedLength());
    return (T) this;
  }

  /** Zeroes {@code length} bytes at absolute {@code index}. */
  protected final void zero(int index, int length) {
    for (int i = 0; i < length; i++) {
      buffer.put(index + i, (byte) 0);
    }
  }

  /** Reads an unsigned byte at absolute {@code index}. */
  protected final int getU8(int index) {
    return buffer.get(index) & 0xFF;
  }

  /** Writes the low 8 bits of {@code value} at absolute {@code index}. */
  protected final void putU8(int index, int value) {
    buffer.put(index, (byte) value);
  }

  /** Reads an unsigned 16-bit value in byte order {@code o}. */
  protected final int getU16(int index, ByteOrder o) {
    short v =
        o == ByteOrder.BIG_ENDIAN
            ? (short) SHORT_BE.get(buffer, index)
            : (short) SHORT_LE.get(buffer, index);
    return Short.toUnsignedInt(v);
  }

  /** Writes the low 16 bits of {@code value} in byte order {@code o}. */
  protected final void putU16(int index, int value, ByteOrder o) {
    if (o == ByteOrder.BIG_ENDIAN) {
      SHORT_BE.set(buffer, index, (short) value);
    } else {
      SHORT_LE.set(buffer, index, (short) value);
    }
  }

  /** Reads an unsigned 32-bit value in byte order {@code o}. */
  protected final long getU32(int index, ByteOrder o) {
    int v =
        o == ByteOrder.BIG_ENDIAN
            ? (int) INT_BE.get(buffer, index)
            : (int) INT_LE.get(buffer, index);
    return Integer.toUnsignedLong(v);
  }

  /** Writes the low 32 bits of {@code value} in byte order {@code o}. */
  protected final void putU32(int index, long value, ByteOrder o) {
    if (o == ByteOrder.BIG_ENDIAN) {
      INT_BE.set(buffer, index, (int) value);
    } else {
      INT_LE.set(buffer, index, (int) value);
    }
  }

  /** Reads a 64-bit value (unsigned, held in a long) in byte order {@code o}. */
  protected final long getU64(int index, ByteOrder o) {
    return o == ByteOrder.BIG_ENDIAN
        ? (long) LONG_BE.get(buffer, index)
        : (long) LONG_LE.get(buffer, index);
  }

  /** Writes a 64-bit value in byte order {@code o}. */
  protected final void putU64(int index, long value, ByteOrder o) {
    if (o == ByteOrder.BIG_ENDIAN) {
      LONG_BE.set(buffer, index, value);
    } else {
      LONG_LE.set(buffer, index, value);
    }
  }
}
