/**
 * The IPsec proposals a hardened site-to-site VPN tunnel offers: set by the
 * VPN module and checked, on any Terraform JSON, by the compliance pack
 * (MLN-VPN-1), so that both always agree.
 */
export const TUNNEL_CRYPTO = {
  ikeVersions: ["ikev2"],
  encryption: ["AES256", "AES256-GCM-16"],
  integrity: ["SHA2-256", "SHA2-384", "SHA2-512"],
  // MODP 2048-8192 (14-18) and ECP 256-521 (19-21). Not 22-24: the RFC 5114
  // groups with short prime-order subgroups (22 has a 1024-bit modulus), which
  // RFC 8247 advises against for IKEv2.
  dhGroups: [14, 15, 16, 17, 18, 19, 20, 21],
} as const;
