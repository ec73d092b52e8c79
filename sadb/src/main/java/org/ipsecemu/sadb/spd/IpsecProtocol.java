package org.ipsecemu.sadb.spd;

/**
 * The IPsec protocols a policy request or an SA is for, with the IP protocol number that carries
 * them and the PF_KEY SA type ({@code sadb_msg_satype}) of their SAs.
 */
public enum IpsecProtocol {
  /** IP Authentication Header (RFC 4302): IP protocol 51, SADB_SATYPE_AH 2. */
  AH(51, 2),
  /** Encapsulating Security Payload (RFC 4303): IP protocol 50, SADB_SATYPE_ESP 3. */
  ESP(50, 3),
  /** IP Payload Compression (RFC 3173): IP protocol 108, SADB_X_SATYPE_IPCOMP 9. */
  IPCOMP(108, 9);

  private final int ipProtocol;
  private final int satype;

  IpsecProtocol(int ipProtocol, int satype) {
    this.ipProtocol = ipProtocol;
    this.satype = satype;
  }

  /** IP protocol number (also {@code sadb_x_ipsecrequest_proto}). */
  public int ipProtocol() {
    return ipProtocol;
  }

  /** The PF_KEY SA type of its SAs. */
  public int satype() {
    return satype;
  }

  /** The protocol with this IP protocol number, or null. */
  public static IpsecProtocol ofIpProtocol(int p) {
    for (IpsecProtocol x : values()) {
      if (x.ipProtocol == p) {
        return x;
      }
    }
    return null;
  }

  /** The protocol whose SAs have this SA type, or null. */
  public static IpsecProtocol ofSatype(int satype) {
    for (IpsecProtocol x : values()) {
      if (x.satype == satype) {
        return x;
      }
    }
    return null;
  }

  /** The SA type for an IP protocol number (50, 51, 108), or -1. Allocation-free. */
  public static int satypeOf(int ipProtocol) {
    switch (ipProtocol) {
      case 50:
        return 3;
      case 51:
        return 2;
      case 108:
        return 9;
      default:
        return -1;
    }
  }
}
