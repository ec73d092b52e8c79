package org.ipsecemu.sadb.wire;

/**
 * The Linux NAT traversal port extension (Linux include/uapi/linux/pfkeyv2.h); the port is in
 * network byte order.
 *
 * <pre>{@code
 * struct sadb_x_nat_t_port {
 *     __u16  sadb_x_nat_t_port_len;
 *     __u16  sadb_x_nat_t_port_exttype;
 *     __be16 sadb_x_nat_t_port_port;
 *     __u16  sadb_x_nat_t_port_reserved;
 * };
 * // sizeof(struct sadb_x_nat_t_port) == 8
 * }</pre>
 */
public final class SadbXNatTPortFlyweight extends Flyweight<SadbXNatTPortFlyweight> {
  /** Offset of {@code sadb_x_nat_t_port_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_x_nat_t_port_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_x_nat_t_port_port}. */
  public static final int PORT_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_x_nat_t_port_reserved}. */
  public static final int RESERVED_OFFSET = PORT_OFFSET + 2;

  /** {@code sizeof(struct sadb_x_nat_t_port)}. */
  public static final int ENCODED_LENGTH = RESERVED_OFFSET + 2;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_x_nat_t_port_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_x_nat_t_port_len}. */
  public SadbXNatTPortFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_nat_t_port_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_x_nat_t_port_exttype}. */
  public SadbXNatTPortFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_nat_t_port_port} (network byte order). */
  public int port() {
    return getU16(offset + PORT_OFFSET, java.nio.ByteOrder.BIG_ENDIAN);
  }

  /** Writes {@code sadb_x_nat_t_port_port} (network byte order). */
  public SadbXNatTPortFlyweight port(int value) {
    putU16(offset + PORT_OFFSET, value, java.nio.ByteOrder.BIG_ENDIAN);
    return this;
  }

  /** Reads {@code sadb_x_nat_t_port_reserved}. */
  public int reserved() {
    return getU16(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_x_nat_t_port_reserved}. */
  public SadbXNatTPortFlyweight reserved(int value) {
    putU16(offset + RESERVED_OFFSET, value, order);
    return this;
  }
}
