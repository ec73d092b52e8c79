package org.ipsecemu.sadb.spd;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One request of an {@code ipsec} policy ({@code sadb_x_ipsecrequest}): which protocol, in which
 * mode, between which tunnel endpoints (tunnel mode only), how strongly ({@link IpsecLevel}) and
 * with which reqid (0: none). setkey writes it as {@code esp/tunnel/192.0.2.1-192.0.2.2/require}.
 *
 * @param protocol AH, ESP or IPCOMP
 * @param mode transport or tunnel ({@link IpsecMode#ANY} is treated as transport)
 * @param tunnelSource outer source for tunnel mode, else null
 * @param tunnelDestination outer destination for tunnel mode, else null
 * @param level default, use, require or unique
 * @param reqid the request id binding it to SAs of the same reqid (0: any)
 */
public record IpsecRequest(
    IpsecProtocol protocol,
    IpsecMode mode,
    InetAddress tunnelSource,
    InetAddress tunnelDestination,
    IpsecLevel level,
    int reqid) {

  public IpsecRequest {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(level, "level");
    if (mode == IpsecMode.TUNNEL && (tunnelSource == null || tunnelDestination == null)) {
      throw new IllegalArgumentException("tunnel request without endpoints protocol=" + protocol);
    }
    if (tunnelSource != null
        && tunnelDestination != null
        && tunnelSource.getAddress().length != tunnelDestination.getAddress().length) {
      throw new IllegalArgumentException(
          "tunnel endpoints of different families src="
              + tunnelSource
              + " dst="
              + tunnelDestination);
    }
  }

  /** A transport-mode request. */
  public static IpsecRequest transport(IpsecProtocol protocol, IpsecLevel level) {
    return new IpsecRequest(protocol, IpsecMode.TRANSPORT, null, null, level, 0);
  }

  /** A tunnel-mode request between two endpoints. */
  public static IpsecRequest tunnel(
      IpsecProtocol protocol, InetAddress src, InetAddress dst, IpsecLevel level) {
    return new IpsecRequest(protocol, IpsecMode.TUNNEL, src, dst, level, 0);
  }

  /** This request with another reqid. */
  public IpsecRequest withReqid(int id) {
    return new IpsecRequest(protocol, mode, tunnelSource, tunnelDestination, level, id);
  }

  /** Whether this request's SAs are tunnel-mode SAs between its endpoints. */
  public boolean isTunnel() {
    return mode == IpsecMode.TUNNEL;
  }

  /** setkey's notation, e.g. {@code esp/tunnel/192.0.2.1-192.0.2.2/unique:7}. */
  @Override
  public String toString() {
    String ends =
        tunnelSource == null
            ? ""
            : tunnelSource.getHostAddress() + "-" + tunnelDestination.getHostAddress();
    String lvl = level.name().toLowerCase(java.util.Locale.ROOT);
    if (reqid != 0) {
      lvl = lvl + ":" + reqid;
    }
    return protocol.name().toLowerCase(java.util.Locale.ROOT)
        + "/"
        + mode.name().toLowerCase(java.util.Locale.ROOT)
        + "/"
        + ends
        + "/"
        + lvl;
  }
}
