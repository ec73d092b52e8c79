package org.ipsecemu.datapath.pcap;

/**
 * Why a frame carries no IP packet that replay can process. Replay passes such frames through
 * untouched; the names are what its statistics print.
 */
public enum NonIpReason {
  /** ARP or RARP (EtherType 0x0806 / 0x8035). */
  ARP("arp"),
  /** Any other EtherType or SLL protocol, including an 802.3 length field (LLC frames). */
  OTHER_ETHERTYPE("other_ethertype"),
  /** A NULL / LOOP address family other than AF_INET and AF_INET6. */
  OTHER_FAMILY("other_family"),
  /** The frame ends inside its link-layer header (or its VLAN tags). */
  SHORT_LINK_HEADER("short_link_header"),
  /** A raw-IP frame whose first nibble is neither 4 nor 6, or an empty one. */
  UNKNOWN_IP_VERSION("unknown_ip_version");

  private final String label;

  NonIpReason(String label) {
    this.label = label;
  }

  /** The lower-case name used in statistics: {@code other_ethertype}. */
  public String label() {
    return label;
  }
}
