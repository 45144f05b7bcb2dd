/**
 * ELB security policies (the `ssl_policy` of HTTPS and TLS listeners) that
 * accept TLS 1.2 and later only, and the names of those that still accept
 * TLS 1.0 or 1.1.
 *
 * Sources: "Security policies for your Application Load Balancer"
 * (docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html)
 * and "Security policies for your Network Load Balancer"
 * (docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html):
 * AWS recommends ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 (the console's
 * default for new listeners); listeners created through the API, CloudFormation
 * or Terraform without a policy get ELBSecurityPolicy-2016-08, which accepts
 * TLS 1.0 and 1.1, so the policy is always set here. Policy names carry their
 * lowest TLS version: `TLS13-1-2-...` accepts TLS 1.2 and 1.3, `TLS13-1-3-...`
 * TLS 1.3 only, `TLS-1-2-...` and `FS-1-2-...` TLS 1.2 only; `TLS13-1-0-`,
 * `TLS13-1-1-`, `TLS-1-1-`, `FS-1-1-`, `FS-2018-06`, `2016-08`, `2015-05` and
 * `TLS-1-0-2015-04` accept TLS 1.0 or 1.1.
 */

/** The current AWS recommendation: TLS 1.2 and 1.3 with hybrid post-quantum key exchange (ML-KEM), restricted ciphers. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/** Predefined policies that accept TLS 1.2 and later only, for both ALB (HTTPS) and NLB (TLS) listeners. */
export const TLS12_SSL_POLICIES: readonly string[] = [
  // TLS 1.3 and 1.2, post-quantum hybrid key exchange (2025-09).
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  // FIPS, post-quantum.
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
  // TLS 1.3 and 1.2 (2021-06).
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  // FIPS (2023-04).
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  // TLS 1.2 only, older.
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
];

/** Names of predefined policies that accept TLS 1.0 or 1.1: never allowed, whatever the escape says. */
const BELOW_TLS12 = [
  /^ELBSecurityPolicy-TLS13-1-[01]-/,
  /^ELBSecurityPolicy-TLS-1-[01]-/,
  /^ELBSecurityPolicy-FS-1-1-/,
  /^ELBSecurityPolicy-FS-\d{4}-\d{2}$/,
  /^ELBSecurityPolicy-\d{4}-\d{2}$/,
];

/** True when a policy's name says it accepts TLS 1.0 or 1.1. */
export function acceptsBelowTls12(policy: string): boolean {
  return BELOW_TLS12.some((re) => re.test(policy));
}
