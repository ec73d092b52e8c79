package org.ipsecemu.sadb.wire;

import java.util.List;

/**
 * The security policy extension of Linux and KAME, SADB_X_EXT_POLICY ({@code struct sadb_x_policy},
 * 16 bytes, followed for IPSEC_POLICY_IPSEC by {@code struct sadb_x_ipsecrequest} entries). This is
 * how {@code setkey} drives the policy database over PF_KEY.
 *
 * <p>Layout as in Linux {@code include/uapi/linux/pfkeyv2.h}: the last 32-bit word is the priority
 * (KAME/FreeBSD call it reserved2).
 *
 * @param type a {@link PolicyType} value
 * @param dir a {@link PolicyDirection} value
 * @param id the policy id (index), unsigned 32-bit
 * @param priority the policy priority, unsigned 32-bit
 * @param requests the IPsec requests, outermost last as {@code setkey} writes them
 */
public record PolicyExtension(
    int type, int dir, long id, long priority, List<IpsecRequest> requests)
    implements SadbExtension {
  /** Checks the widths; copies the requests. */
  public PolicyExtension {
    Checks.u16("type", type);
    Checks.u8("dir", dir);
    Checks.u32("id", id);
    Checks.u32("priority", priority);
    requests = List.copyOf(requests);
  }

  @Override
  public int exttype() {
    return ExtensionType.SADB_X_EXT_POLICY.value();
  }

  @Override
  public int len() {
    int bytes = 16;
    for (IpsecRequest r : requests) {
      bytes += r.encodedLength();
    }
    return bytes / 8;
  }

  /**
   * One IPsec request, {@code struct sadb_x_ipsecrequest} (16 bytes), optionally followed by the SA
   * endpoints as two sockaddrs (source then destination) padded together to 64 bits. Its own length
   * field counts bytes, not 64-bit words.
   *
   * @param proto the IP protocol of the SA: 50 ESP, 51 AH, 108 IPcomp
   * @param mode an {@link IpsecMode} value
   * @param level an {@link IpsecLevel} value
   * @param reqid the request id, unsigned 32-bit
   * @param tunnelSource the SA's source endpoint, or null (then {@code tunnelDestination} is null)
   * @param tunnelDestination the SA's destination endpoint, or null
   */
  public record IpsecRequest(
      int proto,
      int mode,
      int level,
      long reqid,
      SockAddr tunnelSource,
      SockAddr tunnelDestination) {
    /** Checks the widths and that the endpoints are both present or both absent. */
    public IpsecRequest {
      Checks.u16("proto", proto);
      Checks.u8("mode", mode);
      Checks.u8("level", level);
      Checks.u32("reqid", reqid);
      if ((tunnelSource == null) != (tunnelDestination == null)) {
        throw new IllegalArgumentException("tunnel endpoints must be both present or both absent");
      }
    }

    /** A request without endpoints (transport mode as {@code setkey} sends it). */
    public static IpsecRequest of(int proto, IpsecMode mode, IpsecLevel level, long reqid) {
      return new IpsecRequest(proto, mode.value(), level.value(), reqid, null, null);
    }

    /** Whether the request carries SA endpoints. */
    public boolean hasEndpoints() {
      return tunnelSource != null;
    }

    /** The encoded size in bytes ({@code sadb_x_ipsecrequest_len}). */
    public int encodedLength() {
      if (tunnelSource == null) {
        return 16;
      }
      int socks = tunnelSource.sockaddrLength() + tunnelDestination.sockaddrLength();
      return 16 + ((socks + 7) & ~7);
    }
  }
}
