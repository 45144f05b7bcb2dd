/**
 * Checks for site-to-site VPN settings: BGP ASNs, customer gateway addresses,
 * tunnel inside CIDRs, routing. Addresses are classified with ip-num.
 */
import { IPv4, Validator } from "ip-num";
import type { ConfigIssue } from "../core/errors";
import { NAME_RULES, SHAPES, nameIssues, nameProblem } from "../core/aws-limits";
import { checkCidr, overlaps, prefixOf, within } from "../core/cidr";
import type { ResolvedVpnConfig } from "./schema";

/** Private ASN ranges (RFC 6996): 16-bit and 32-bit. */
export const PRIVATE_ASN_RANGES: readonly (readonly [number, number])[] = [
  [64512, 65534],
  [4200000000, 4294967294],
];

export function isPrivateAsn(asn: number): boolean {
  return Number.isInteger(asn) && PRIVATE_ASN_RANGES.some(([lo, hi]) => asn >= lo && asn <= hi);
}

/**
 * Tunnel inside CIDRs AWS reserves (Site-to-Site VPN tunnel options): these
 * /30s inside 169.254.0.0/16 cannot be used.
 */
export const RESERVED_INSIDE_CIDRS = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.169.252/30",
];

const CGNAT = "100.64.0.0/10";

/** Why an address cannot be a customer gateway's public IPv4, or undefined when it can. */
export function customerGatewayIpProblem(ip: string): string | undefined {
  const [valid] = Validator.isValidIPv4String(ip);
  if (!valid || !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return "is not an IPv4 address";
  const addr = IPv4.fromString(ip);
  // RFC 5737 documentation ranges pass, so examples can be synthesized; they never route.
  if (addr.isDocumentation()) return undefined;
  if (addr.isPrivate()) return "is a private (RFC 1918) address; the customer gateway needs its public IPv4 address";
  if (within(`${ip}/32`, CGNAT)) return "is a carrier-grade NAT (100.64.0.0/10) address, not reachable from AWS";
  if (addr.isLoopback() || addr.isLinkLocal() || addr.isMulticast() || addr.isBroadcast() || addr.isUnspecified() || addr.isReserved()) {
    return "is a reserved, loopback, link-local or multicast address";
  }
  return undefined;
}

export function insideCidrProblem(cidr: string): string | undefined {
  const c = checkCidr(cidr);
  if (!c.ok) return c.reason;
  if (prefixOf(cidr) !== 30) return "is not a /30";
  if (!within(cidr, "169.254.0.0/16")) return "is not inside 169.254.0.0/16";
  const reserved = RESERVED_INSIDE_CIDRS.find((r) => r === cidr);
  if (reserved) return "is one of the /30s AWS reserves";
  return undefined;
}

export function validateVpn(cfg: ResolvedVpnConfig, vpcCidrs: readonly string[], onPremisesCidrs: readonly string[], networkName?: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, value: unknown, message: string, fix: string) => issues.push({ path, value, message, fix });
  // CloudWatch Logs takes a key ARN for a log group.
  if (cfg.logs.kmsKeyArn !== undefined && !SHAPES.kmsKeyArn.re.test(cfg.logs.kmsKeyArn)) {
    add(
      "logs.kmsKeyArn",
      cfg.logs.kmsKeyArn,
      "is not a KMS key ARN (CloudWatch Logs takes the key's ARN, not an alias or id)",
      `use ${SHAPES.kmsKeyArn.example}, or omit it to create a key`,
    );
  }
  if (networkName !== undefined) {
    issues.push(
      ...nameIssues([
        { name: `alias/${networkName}/vpn-logs`, rule: "kmsAlias", path: "", value: networkName, fix: "shorten the network's name prefix" },
        ...Object.keys(cfg.customerGateways).map((name) => ({
          name: `/ml-network/${networkName}/vpn/${name}`,
          rule: "logGroup" as const,
          path: `customerGateways.${name}`,
          value: name,
          fix: "shorten the gateway name",
        })),
      ]),
    );
  }
  const asnFix = "use a private ASN: 64512-65534 or 4200000000-4294967294";

  if (!isPrivateAsn(cfg.amazonSideAsn))
    add("amazonSideAsn", cfg.amazonSideAsn, "is not a private ASN, which the Amazon side of a virtual private gateway needs", `${asnFix} (default 64512)`);

  const names = Object.keys(cfg.customerGateways);
  if (names.length === 0) add("customerGateways", {}, "has no customer gateway", 'add one, e.g. { dc1: { ipAddress: "203.0.113.10", bgpAsn: 65010 } }');
  const seenIps = new Map<string, string>();
  const insideSeen = new Map<string, string>();
  for (const [name, gw] of Object.entries(cfg.customerGateways)) {
    const base = `customerGateways.${name}`;
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) add(base, name, "is not a short lower-case name", 'use a name such as "dc1" or "frankfurt-dc"');
    if (gw.deviceName !== undefined) {
      const problem = nameProblem(NAME_RULES.customerGatewayDevice, gw.deviceName);
      if (problem) add(`${base}.deviceName`, gw.deviceName, problem, "shorten the device name");
    }
    const ipProblem = customerGatewayIpProblem(gw.ipAddress);
    if (ipProblem) add(`${base}.ipAddress`, gw.ipAddress, ipProblem, "use the public IPv4 address of the on-premises VPN device");
    const other = seenIps.get(gw.ipAddress);
    if (other)
      add(
        `${base}.ipAddress`,
        gw.ipAddress,
        `is already used by customer gateway "${other}"`,
        "give each customer gateway its own device address, or add tunnels to the existing one",
      );
    seenIps.set(gw.ipAddress, name);
    if (cfg.routing === "dynamic" || gw.bgpAsn !== undefined) {
      if (gw.bgpAsn === undefined) add(`${base}.bgpAsn`, undefined, "is required for dynamic (BGP) routing", asnFix);
      else if (!isPrivateAsn(gw.bgpAsn)) add(`${base}.bgpAsn`, gw.bgpAsn, "is not a private ASN", asnFix);
      else if (gw.bgpAsn === cfg.amazonSideAsn)
        add(
          `${base}.bgpAsn`,
          gw.bgpAsn,
          "equals the Amazon-side ASN; BGP needs different ASNs on each side",
          "use another ASN on the customer side, or change amazonSideAsn",
        );
    }
    gw.tunnelInsideCidrs?.forEach((cidr, i) => {
      const path = `${base}.tunnelInsideCidrs[${i}]`;
      const problem = insideCidrProblem(cidr);
      if (problem) {
        add(path, cidr, problem, "use a /30 in 169.254.0.0/16 outside the reserved ones (169.254.0-5.0/30, 169.254.169.252/30), e.g. 169.254.10.0/30");
        return;
      }
      const clash = [...insideSeen.entries()].find(([c]) => overlaps(c, cidr));
      if (clash) add(path, cidr, `is already used by ${clash[1]}`, "give every tunnel of the gateway its own /30");
      insideSeen.set(cidr, `${name} tunnel ${i + 1}`);
    });
    if (cfg.routing === "static") {
      const routes = gw.staticRoutes ?? onPremisesCidrs;
      if (routes.length === 0)
        add(
          `${base}.staticRoutes`,
          [],
          "is empty: static routing with no routes sends nothing over the VPN",
          "list the on-premises CIDRs behind this gateway, or set onPremisesCidrs, or use dynamic routing",
        );
      routes.forEach((route, i) => {
        const c = checkCidr(route);
        if (!c.ok) {
          add(`${base}.staticRoutes[${i}]`, route, c.reason, 'use a network in CIDR notation, e.g. "172.16.0.0/16"');
          return;
        }
        const vpc = vpcCidrs.find((v) => overlaps(v, route));
        if (vpc) add(`${base}.staticRoutes[${i}]`, route, `overlaps the VPC CIDR ${vpc}`, "route only on-premises ranges over the VPN");
      });
    } else if (gw.staticRoutes !== undefined) {
      add(
        `${base}.staticRoutes`,
        gw.staticRoutes,
        "is set while routing is dynamic; BGP learns the routes and these would be ignored",
        'remove them, or set routing: "static"',
      );
    }
  }
  onPremisesCidrs.forEach((cidr, i) => {
    const vpc = vpcCidrs.find((v) => checkCidr(cidr).ok && overlaps(v, cidr));
    if (vpc)
      add(
        `onPremisesCidrs[${i}]`,
        cidr,
        `overlaps the VPC CIDR ${vpc}; routes to on-premises would shadow the VPC`,
        "re-address the VPC or declare the exact on-premises ranges",
      );
  });
  return issues;
}
