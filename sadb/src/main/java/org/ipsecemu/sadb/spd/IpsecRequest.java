package org.ipsecemu.sadb.spd;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One request of an {@code ipsec} policy ({@code sadb_x_ipsecrequest}): which protocol, in which
 * mode, between which tunnel endpoints (tunnel mode only), how strongly ({@link IpsecLevel}) and
 * with which reqid (0: none). setkey writes it as {@code esp/tunnel/192.0.2.1-192.0.2.2/require}.
 * Immutable; the endpoint bytes are kept so that matching SAs against it does not allocate.
 */
public final class IpsecRequest {
  private final IpsecProtocol protocol;
  private final IpsecMode mode;
  private final InetAddress tunnelSource;
  private final InetAddress tunnelDestination;
  private final byte[] sourceBytes;
  private final byte[] destinationBytes;
  private final IpsecLevel level;
  private final long reqid;

  /**
   * A request.
   *
   * @param protocol AH, ESP or IPCOMP
   * @param mode transport or tunnel ({@link IpsecMode#ANY} is treated as transport)
   * @param tunnelSource outer source for tunnel mode, else null
   * @param tunnelDestination outer destination for tunnel mode, else null
   * @param level default, use, require or unique
   * @param reqid the request id binding it to SAs of the same reqid (0: any), unsigned 32-bit
   */
  public IpsecRequest(
      IpsecProtocol protocol,
      IpsecMode mode,
      InetAddress tunnelSource,
      InetAddress tunnelDestination,
      IpsecLevel level,
      long reqid) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.level = Objects.requireNonNull(level, "level");
    if ((tunnelSource == null) != (tunnelDestination == null)) {
      throw new IllegalArgumentException("tunnel endpoints must be both present or both absent");
    }
    if (mode == IpsecMode.TUNNEL && tunnelSource == null) {
      throw new IllegalArgumentException("tunnel request without endpoints protocol=" + protocol);
    }
    this.sourceBytes = tunnelSource == null ? null : tunnelSource.getAddress();
    this.destinationBytes = tunnelDestination == null ? null : tunnelDestination.getAddress();
    if (sourceBytes != null && sourceBytes.length != destinationBytes.length) {
      throw new IllegalArgumentException(
          "tunnel endpoints of different families src="
              + tunnelSource
              + " dst="
              + tunnelDestination);
    }
    if (reqid < 0 || reqid > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("reqid=" + reqid);
    }
    this.tunnelSource = tunnelSource;
    this.tunnelDestination = tunnelDestination;
    this.reqid = reqid;
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
  public IpsecRequest withReqid(long id) {
    return new IpsecRequest(protocol, mode, tunnelSource, tunnelDestination, level, id);
  }

  public IpsecProtocol protocol() {
    return protocol;
  }

  public IpsecMode mode() {
    return mode;
  }

  /** Outer source of a tunnel request, or null. */
  public InetAddress tunnelSource() {
    return tunnelSource;
  }

  /** Outer destination of a tunnel request, or null. */
  public InetAddress tunnelDestination() {
    return tunnelDestination;
  }

  public IpsecLevel level() {
    return level;
  }

  /** The reqid, 0 for none. */
  public long reqid() {
    return reqid;
  }

  /** Whether this request's SAs are tunnel-mode SAs between its endpoints. */
  public boolean isTunnel() {
    return mode == IpsecMode.TUNNEL;
  }

  /** Whether the tunnel source equals {@code a[0, len)}; false without endpoints. */
  public boolean tunnelSourceEquals(byte[] a, int len) {
    return sourceBytes != null
        && sourceBytes.length == len
        && Arrays.equals(sourceBytes, 0, len, a, 0, len);
  }

  /** Whether the tunnel destination equals {@code a[0, len)}; false without endpoints. */
  public boolean tunnelDestinationEquals(byte[] a, int len) {
    return destinationBytes != null
        && destinationBytes.length == len
        && Arrays.equals(destinationBytes, 0, len, a, 0, len);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpsecRequest r
        && protocol == r.protocol
        && mode == r.mode
        && level == r.level
        && reqid == r.reqid
        && Objects.equals(tunnelSource, r.tunnelSource)
        && Objects.equals(tunnelDestination, r.tunnelDestination);
  }

  @Override
  public int hashCode() {
    return Objects.hash(protocol, mode, level, reqid, tunnelSource, tunnelDestination);
  }

  /** setkey's notation, e.g. {@code esp/tunnel/192.0.2.1-192.0.2.2/unique:7}. */
  @Override
  public String toString() {
    String ends =
        tunnelSource == null
            ? ""
            : tunnelSource.getHostAddress() + "-" + tunnelDestination.getHostAddress();
    String lvl = level.name().toLowerCase(Locale.ROOT);
    if (reqid != 0) {
      lvl = lvl + ":" + reqid;
    }
    return protocol.name().toLowerCase(Locale.ROOT)
        + "/"
        + mode.name().toLowerCase(Locale.ROOT)
        + "/"
        + ends
        + "/"
        + lvl;
  }
}
