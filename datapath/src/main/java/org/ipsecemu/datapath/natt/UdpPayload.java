package org.ipsecemu.datapath.natt;

/**
 * What a UDP datagram on a NAT traversal port carries (RFC 3948 §2), as {@link EspInUdp#classify}
 * tells it.
 */
public enum UdpPayload {
  /** Not NAT traversal: an ordinary UDP datagram (no NAT-T port, no SA of its ports). */
  NOT_NATT,
  /** A NAT-keepalive (RFC 3948 §2.3): one byte, 0xFF. Passes untouched. */
  KEEPALIVE,
  /**
   * IKE (RFC 3948 §2.2: the 4-byte zero non-ESP marker), or anything too short to be ESP: for the
   * key management daemon. Passes untouched.
   */
  IKE,
  /** ESP (RFC 3948 §2.1): the SPI, never zero, comes right after the UDP header. */
  ESP,
  /**
   * ESP behind the 8-byte zero non-IKE marker of draft-ietf-ipsec-nat-t-ike-00/01 (Linux's {@code
   * UDP_ENCAP_ESPINUDP_NON_IKE}, NAT-T type 1), for an SA that declares that type.
   */
  NON_IKE_ESP;

  /** Whether the datagram carries ESP to decapsulate. */
  public boolean isEsp() {
    return this == ESP || this == NON_IKE_ESP;
  }

  /** The bytes between the IP layer and the ESP header: the UDP header and any marker. */
  public int encapsulationLength() {
    return switch (this) {
      case ESP -> EspInUdp.UDP_HEADER_LENGTH;
      case NON_IKE_ESP -> EspInUdp.UDP_HEADER_LENGTH + EspInUdp.NON_IKE_MARKER_LENGTH;
      default -> 0;
    };
  }
}
