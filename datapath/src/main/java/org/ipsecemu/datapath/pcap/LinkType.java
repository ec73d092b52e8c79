package org.ipsecemu.datapath.pcap;

/**
 * The link-layer header types replay reads, with the numbers libpcap reports ({@code
 * pcap_datalink}) and the names libpcap and tcpdump print ({@code pcap_datalink_val_to_name}).
 *
 * <p>Raw IP has three numbers: DLT_RAW is 12 on most systems and 14 on OpenBSD, and the pcap file
 * value LINKTYPE_RAW is 101 (libpcap maps 101 to the system's DLT_RAW when reading).
 */
public enum LinkType {
  /** BSD loopback: a 4-byte address family in the capturing host's byte order. */
  NULL(0, "NULL", "BSD loopback"),
  /** Ethernet II, possibly with 802.1Q / 802.1ad tags. */
  EN10MB(1, "EN10MB", "Ethernet"),
  /** Raw IPv4 or IPv6 with no link header (DLT_RAW on most systems). */
  RAW(12, "RAW", "Raw IP"),
  /** Raw IP, OpenBSD's DLT_RAW number. */
  RAW_OPENBSD(14, "RAW", "Raw IP"),
  /** Raw IP, the pcap file value LINKTYPE_RAW. */
  LINKTYPE_RAW(101, "RAW", "Raw IP"),
  /** OpenBSD loopback: a 4-byte address family in network byte order. */
  LOOP(108, "LOOP", "OpenBSD loopback"),
  /** Linux cooked capture v1 ("any" device): a 16-byte pseudo header. */
  LINUX_SLL(113, "LINUX_SLL", "Linux cooked v1"),
  /** Raw IPv4 only. */
  IPV4(228, "IPV4", "Raw IPv4"),
  /** Raw IPv6 only. */
  IPV6(229, "IPV6", "Raw IPv6"),
  /** Linux cooked capture v2: a 20-byte pseudo header with the interface index. */
  LINUX_SLL2(276, "LINUX_SLL2", "Linux cooked v2");

  private final int value;
  private final String pcapName;
  private final String description;

  LinkType(int value, String pcapName, String description) {
    this.value = value;
    this.pcapName = pcapName;
    this.description = description;
  }

  /** The DLT / LINKTYPE number. */
  public int value() {
    return value;
  }

  /** libpcap's name without the {@code DLT_} prefix, as tcpdump prints it: {@code EN10MB}. */
  public String pcapName() {
    return pcapName;
  }

  /** libpcap's description: {@code Ethernet}, {@code Linux cooked v2}. */
  public String description() {
    return description;
  }

  /** The link type with this number, or {@code null} when replay does not read it. */
  public static LinkType valueOf(int value) {
    for (LinkType t : values()) {
      if (t.value == value) {
        return t;
      }
    }
    return null;
  }

  /** Name and number, as in error messages: {@code EN10MB (1)}. */
  @Override
  public String toString() {
    return pcapName + " (" + value + ")";
  }
}
