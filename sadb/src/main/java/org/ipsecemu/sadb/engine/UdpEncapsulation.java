package org.ipsecemu.sadb.engine;

import java.net.InetAddress;
import org.ipsecemu.sadb.wire.NatTraversalType;

/**
 * The UDP encapsulation of an ESP SA (NAT traversal, RFC 3948) as key management declared it with
 * Linux's PF_KEY extensions: SADB_X_EXT_NAT_T_TYPE, SADB_X_EXT_NAT_T_SPORT, SADB_X_EXT_NAT_T_DPORT
 * and SADB_X_EXT_NAT_T_OA. The datapath sends this SA's packets in UDP from {@link #sourcePort()}
 * to {@link #destinationPort()} and expects them in UDP.
 *
 * @param type a {@link NatTraversalType} value: 2 ({@code UDP_ENCAP_ESPINUDP}, RFC 3948) or 1
 *     ({@code UDP_ENCAP_ESPINUDP_NON_IKE}, the draft's 8-byte non-IKE marker)
 * @param sourcePort the UDP source port of the SA's packets; 0 when not given
 * @param destinationPort the UDP destination port; 0 when not given
 * @param originalAddress the peer's address before NAT (NAT-OA, RFC 3947), or null
 */
public record UdpEncapsulation(
    int type, int sourcePort, int destinationPort, InetAddress originalAddress) {

  /** The IKE NAT traversal port (RFC 3947 §4, RFC 3948 §2): used when an SA gives no port. */
  public static final int DEFAULT_PORT = 4500;

  /** Checks the widths. */
  public UdpEncapsulation {
    if (type < 0 || type > 255) {
      throw new IllegalArgumentException("nat-t type=" + type + " out of range 0..255");
    }
    if (sourcePort < 0 || sourcePort > 0xffff || destinationPort < 0 || destinationPort > 0xffff) {
      throw new IllegalArgumentException(
          "nat-t sport=" + sourcePort + " dport=" + destinationPort + " out of range 0..65535");
    }
  }

  /** Whether this is RFC 3948 ESP-in-UDP (type 2), as opposed to the old non-IKE variant. */
  public boolean isEspInUdp() {
    return type == NatTraversalType.UDP_ENCAP_ESPINUDP.value();
  }

  /** The UDP source port to send from: {@link #sourcePort()}, or 4500 when not given. */
  public int effectiveSourcePort() {
    return sourcePort == 0 ? DEFAULT_PORT : sourcePort;
  }

  /** The UDP destination port to send to: {@link #destinationPort()}, or 4500 when not given. */
  public int effectiveDestinationPort() {
    return destinationPort == 0 ? DEFAULT_PORT : destinationPort;
  }

  @Override
  public String toString() {
    return "encap "
        + NatTraversalType.symbolOf(type)
        + " sport="
        + sourcePort
        + " dport="
        + destinationPort
        + (originalAddress == null ? "" : " oa=" + originalAddress.getHostAddress());
  }
}
