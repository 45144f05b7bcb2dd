/**
 * DNS names as HybridDns takes them: forwarded domains, the private zone and
 * its record names. Letters, digits and hyphens only (RFC 1035 labels, a
 * leading digit allowed as RFC 1123 does), so every name works on-premises
 * too; Route 53 itself would accept more characters.
 */
import { Validator } from "ip-num";

/**
 * Route 53, "DNS domain name format" (docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html):
 * each label up to 63 bytes, the name up to 255 bytes including the dots; Route 53 stores letters in lower case.
 * In wire format (RFC 1035 section 3.1) a name of n characters takes n + 2 bytes, so the text may hold 253.
 */
export const MAX_LABEL_LENGTH = 63;
export const MAX_NAME_LENGTH = 253;

const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Lower case, one trailing dot dropped: the form Route 53 stores ("." becomes ""). */
export function normalizeDomain(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/** True for dotted-quad text. */
export function isIpv4(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) && Validator.isValidIPv4String(text)[0];
}

/** What is wrong with a normalized domain name (not the root), or undefined. */
export function domainProblem(name: string): string | undefined {
  if (name === "") return "is empty";
  if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters; a domain name takes at most ${MAX_NAME_LENGTH}`;
  if (isIpv4(name)) return "is an IP address, not a domain name";
  for (const label of name.split(".")) {
    if (label === "") return "has an empty label (two dots in a row, or a leading dot)";
    if (label.length > MAX_LABEL_LENGTH)
      return `has the label "${label.slice(0, 20)}..." of ${label.length} characters; a label takes at most ${MAX_LABEL_LENGTH}`;
    if (!LABEL.test(label)) return `has the label "${label}", which is not letters, digits and inner hyphens`;
  }
  return undefined;
}

/** True when `name` is `parent` or lies below it ("" is the root, above everything). */
export function isWithinDomain(name: string, parent: string): boolean {
  return parent === "" || name === parent || name.endsWith(`.${parent}`);
}

/**
 * Names Resolver answers inside the VPC, which a forwarding rule must not take
 * over. Resolver creates autodefined rules for Amazon EC2 names and for
 * publicly reserved names, and a forwarding rule for the same name overrides
 * them ("Domain names that VPC Resolver creates autodefined system rules
 * for", docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-autodefined-rules.html).
 * amazonaws.com is listed whole: besides the EC2 names below it, the S3 and
 * DynamoDB gateway endpoints and AWS API calls resolve public names there, and
 * the same page asks for a system rule for it whenever "." or "com" is
 * forwarded.
 */
export const RESOLVED_IN_AWS: readonly { readonly domain: string; readonly what: string }[] = [
  { domain: "amazonaws.com", what: "AWS service and EC2 public names, which the VPC's endpoints and instances resolve in AWS" },
  { domain: "compute.internal", what: "EC2 private hostnames (<region>.compute.internal)" },
  { domain: "ec2.internal", what: "EC2 private hostnames in us-east-1" },
  { domain: "compute-1.internal", what: "EC2 private hostnames in us-east-1" },
  { domain: "localhost", what: "a publicly reserved name answered locally (RFC 6303)" },
];

/** Why a forwarded domain (normalized) would take over names Resolver answers in AWS, or undefined. */
export function forwardedDomainConflict(domain: string): string | undefined {
  if (domain === "") return "is the DNS root (.): every query, AWS service names included, would go on-premises";
  const taken = RESOLVED_IN_AWS.find((r) => isWithinDomain(domain, r.domain));
  if (taken) return `lies in ${taken.domain} (${taken.what}); forwarding it on-premises overrides Resolver's own rule`;
  const above = RESOLVED_IN_AWS.find((r) => r.domain === "amazonaws.com" && isWithinDomain(r.domain, domain));
  if (above) return `contains amazonaws.com: AWS service names (the S3 gateway endpoint, AWS APIs) would be resolved on-premises`;
  return undefined;
}
