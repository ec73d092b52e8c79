package org.ipsecemu.datapath.packet;

/**
 * The outcome of checking a packet or one of its headers: {@link #OK}, or the one defect found.
 *
 * <p>The datapath never throws on a bad packet; it returns one of these and the pipeline counts it
 * (as {@code malformed}, or {@code pad_error} for the two ESP padding defects). The {@link
 * #label()} is the stable snake-case name used in statistics and traces.
 */
public enum ParseResult {
  OK("ok", "well-formed"),
  TRUNCATED("truncated", "fewer bytes than the fixed header needs"),
  BAD_VERSION("bad_version", "IP version is neither 4 nor 6 (or not the one expected)"),
  IPV4_BAD_IHL("ipv4_bad_ihl", "IPv4 IHL below 5 (RFC 791 §3.1)"),
  IPV4_OPTIONS_BEYOND_BUFFER("ipv4_options_beyond_buffer", "IPv4 IHL*4 exceeds the buffer"),
  IPV4_BAD_TOTAL_LENGTH("ipv4_bad_total_length", "IPv4 total length below the header length"),
  LENGTH_BEYOND_BUFFER(
      "length_beyond_buffer", "IPv4 total length or IPv6 40+payload length exceeds the buffer"),
  IPV4_BAD_OPTION("ipv4_bad_option", "IPv4 option length below 2 or past the header"),
  IPV6_HOP_BY_HOP_NOT_FIRST(
      "ipv6_hop_by_hop_not_first", "Hop-by-Hop Options header not right after the IPv6 header"),
  EXTENSION_TRUNCATED("extension_truncated", "IPv6 extension header chain runs past the end"),
  IPV6_BAD_OPTION("ipv6_bad_option", "IPv6 option runs past its extension header"),
  IPV6_BAD_ROUTING_HEADER(
      "ipv6_bad_routing_header", "type 0/2 routing header with odd length or too many segments"),
  IPV6_ROUTING_UNPREDICTABLE(
      "ipv6_routing_unpredictable",
      "routing header whose final destination cannot be predicted for the AH ICV"),
  FRAGMENT_NOT_REASSEMBLED("fragment_not_reassembled", "a fragment where a whole packet is needed"),
  TRANSPORT_TRUNCATED("transport_truncated", "upper-layer header too short for its ports"),
  AH_TRUNCATED("ah_truncated", "AH header runs past the end of the packet"),
  AH_BAD_LENGTH("ah_bad_length", "AH payload length does not fit the ICV (RFC 4302 §2.2)"),
  AH_NOT_IN_CHAIN("ah_not_in_chain", "no AH header at the given offset of the header chain"),
  ESP_TRUNCATED("esp_truncated", "ESP packet shorter than header, IV, trailer and ICV"),
  ESP_BAD_ALIGNMENT("esp_bad_alignment", "ESP ciphertext not a multiple of the block size"),
  ESP_BAD_PAD_LENGTH(
      "esp_bad_pad_length", "ESP pad length larger than the payload (RFC 4303 §2.4)"),
  ESP_BAD_PADDING("esp_bad_padding", "ESP padding bytes not 1, 2, 3, ... (RFC 4303 §2.4)");

  private final String label;
  private final String description;

  ParseResult(String label, String description) {
    this.label = label;
    this.description = description;
  }

  /** True for {@link #OK} only. */
  public boolean isOk() {
    return this == OK;
  }

  /** Stable snake-case name for statistics and traces, e.g. {@code ipv4_bad_ihl}. */
  public String label() {
    return label;
  }

  /** One line saying what the defect is, with the rule it breaks. */
  public String description() {
    return description;
  }
}
