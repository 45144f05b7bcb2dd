/** Settings every environment shares. Plain data. */
export const COMMON_TAGS = {
  Project: "ml-platform",
  Owner: "ml-platform-team@example.com",
  CostCenter: "CC-4200",
} as const;

/** The example data centre reached over VPN (RFC 1918, disjoint from every VPC). */
export const ON_PREMISES_CIDRS = ["172.16.0.0/16"];
