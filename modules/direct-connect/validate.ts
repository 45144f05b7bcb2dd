/**
 * Checks for a Direct Connect gateway and its association with the virtual
 * private gateway: the Amazon-side ASN, the gateway's name or existing id,
 * the allowed prefixes against the VPC CIDRs, and the tiers that learn routes.
 * Pure functions of the resolved config and a view of the network, so the
 * environment loader can call them before anything is built.
 */
import { Token } from "cdktf";
import type { ConfigIssue } from "../core/errors";
import { nameIssues } from "../core/aws-limits";
import { checkCidr, within } from "../core/cidr";
import type { SubnetTier } from "../network";
import { isPrivateAsn, PRIVATE_ASN_RANGES } from "../vpn";
import { DEFAULT_DX_GATEWAY_ASN, type ResolvedDirectConnectGatewayConfig } from "./schema";

/**
 * Direct Connect gateway ids are UUIDs. The API publishes no pattern
 * (the model types the id as a plain string); every id in AWS's examples has
 * this shape, e.g. "abcd1234-dcba-5678-be23-cdef9876ab45" (Direct Connect API
 * Reference, DescribeDirectConnectGateways, directConnectGatewayId) and
 * "5f294f92-bafb-4011-916d-9b0bdexample" (AWS CLI reference,
 * create-direct-connect-gateway, with its last characters masked).
 */
export const DX_GATEWAY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Virtual private gateway ids: vgw- and 8 (before 2016) or 17 hex characters ("Resource IDs", docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html). */
export const VGW_ID = /^vgw-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * At most this many allowed prefixes per association. AWS publishes no quota
 * for the allowed prefixes of a virtual private gateway association; the one
 * it publishes for prefixes from AWS to on-premises is 20 per transit gateway
 * ("AWS Direct Connect quotas", docs.aws.amazon.com/directconnect/latest/UserGuide/limits.html),
 * used here as the conservative bound. A valid list holds one prefix per VPC
 * CIDR at most anyway (each must cover a VPC CIDR).
 */
export const MAX_ALLOWED_PREFIXES = 20;

const ASN_FIX = `use a private ASN: ${PRIVATE_ASN_RANGES.map(([lo, hi]) => `${lo}-${hi}`).join(" or ")}`;

/** The name a new gateway gets: the one given, else `<network>-dx`. */
export function dxGatewayName(cfg: ResolvedDirectConnectGatewayConfig, networkName: string): string | undefined {
  return "create" in cfg.gateway ? (cfg.gateway.create.name ?? `${networkName}-dx`) : undefined;
}

/** The prefixes the association allows: the ones given, else the VPC CIDRs. */
export function allowedPrefixesOf(cfg: ResolvedDirectConnectGatewayConfig, vpcCidrs: readonly string[]): string[] {
  return cfg.allowedPrefixes ?? [...vpcCidrs];
}

function gatewayIssues(cfg: ResolvedDirectConnectGatewayConfig, networkName: string | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if ("existingId" in cfg.gateway) {
    const id = cfg.gateway.existingId;
    if (!Token.isUnresolved(id) && !DX_GATEWAY_ID.test(id))
      issues.push({
        path: "gateway.existingId",
        value: id,
        message: "is not a Direct Connect gateway id (a UUID such as abcd1234-dcba-5678-be23-cdef9876ab45)",
        fix: "copy the id from the Direct Connect console or `aws directconnect describe-direct-connect-gateways`, or create one with { create: {} }",
      });
    return issues;
  }
  const { name, amazonSideAsn } = cfg.gateway.create;
  // "The ASN must be in the private range of 64,512 to 65,534 or 4,200,000,000 to 4,294,967,294" (Direct Connect API
  // Reference, CreateDirectConnectGateway, amazonSideAsn): both the 16-bit and the 32-bit private ranges, as for the VGW.
  // It is not compared with the virtual private gateway's ASN: AWS requires different ASNs for a transit gateway and its
  // Direct Connect gateway ("Create a transit virtual interface to the Direct Connect gateway", create-transit-vif-for-gateway.html),
  // but a virtual private gateway used with a Direct Connect gateway "can be set to any permitted value" unless a dynamic VPN
  // needs it, since "The Direct Connect gateway advertises all connected VPCs over the ASN assigned to it"
  // ("Create a virtual private gateway", docs.aws.amazon.com/directconnect/latest/UserGuide/create-virtual-private-gateway.html).
  if (!isPrivateAsn(amazonSideAsn))
    issues.push({
      path: "gateway.create.amazonSideAsn",
      value: amazonSideAsn,
      message: "is not a private ASN, which the Amazon side of a Direct Connect gateway needs",
      fix: `${ASN_FIX} (default ${DEFAULT_DX_GATEWAY_ASN})`,
    });
  if (name !== undefined)
    issues.push(...nameIssues([{ name, rule: "dxGateway", path: "gateway.create.name", value: name, fix: "use up to 100 letters, digits and hyphens" }]));
  else if (networkName !== undefined)
    issues.push(...nameIssues([{ name: `${networkName}-dx`, rule: "dxGateway", path: "gateway.create", value: networkName, fix: "set gateway.create.name" }]));
  return issues;
}

/**
 * Allowed prefixes of a virtual private gateway association filter what the
 * gateway advertises, and the gateway advertises whole VPC CIDRs: "You must
 * set the prefixes to a range that is the same or wider than the VPC CIDR
 * block"; a narrower prefix (10.0.0.0/24 for a 10.0.0.0/16 VPC) lets no route
 * through ("Allowed prefixes interactions for AWS Direct Connect gateways",
 * Virtual private gateway associations,
 * docs.aws.amazon.com/directconnect/latest/UserGuide/allowed-to-prefixes.html).
 * So every prefix must hold a VPC CIDR, and every VPC CIDR must lie in a prefix.
 */
function prefixIssues(cfg: ResolvedDirectConnectGatewayConfig, vpcCidrs: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, value: unknown, message: string, fix: string) => issues.push({ path, value, message, fix });
  const prefixes = allowedPrefixesOf(cfg, vpcCidrs);
  if (cfg.allowedPrefixes !== undefined && prefixes.length === 0) {
    add("allowedPrefixes", [], "is empty: the association would advertise no VPC CIDR over Direct Connect", "leave it out to allow the VPC CIDRs");
    return issues;
  }
  if (prefixes.length > MAX_ALLOWED_PREFIXES)
    add(
      "allowedPrefixes",
      prefixes,
      `holds ${prefixes.length} prefixes; this library allows at most ${MAX_ALLOWED_PREFIXES} per association`,
      "allow wider prefixes that each cover several VPC CIDRs",
    );
  const valid: string[] = [];
  (cfg.allowedPrefixes ?? []).forEach((prefix, i) => {
    const path = `allowedPrefixes[${i}]`;
    const c = checkCidr(prefix);
    if (!c.ok) {
      add(path, prefix, c.reason, 'use an IPv4 network in CIDR notation that holds a VPC CIDR, e.g. "10.0.0.0/16"');
      return;
    }
    valid.push(prefix);
    if (vpcCidrs.some((vpc) => within(vpc, prefix))) return;
    const wider = vpcCidrs.find((vpc) => within(prefix, vpc));
    if (wider)
      add(
        path,
        prefix,
        `is narrower than the VPC CIDR ${wider}; the gateway advertises whole VPC CIDRs, so this prefix lets no route through`,
        `allow ${wider} or a wider prefix`,
      );
    else add(path, prefix, `holds no VPC CIDR (${vpcCidrs.join(", ")}); it lets no route through`, "allow the VPC CIDRs or prefixes that hold them");
  });
  if (cfg.allowedPrefixes !== undefined && valid.length === cfg.allowedPrefixes.length) {
    for (const vpc of vpcCidrs.filter((v) => !valid.some((p) => within(v, p))))
      add(
        "allowedPrefixes",
        cfg.allowedPrefixes,
        `leaves the VPC CIDR ${vpc} out: on-premises networks would not learn it over Direct Connect`,
        `add ${vpc} (or a prefix that holds it)`,
      );
  }
  return issues;
}

/**
 * Every issue of a Direct Connect gateway config: `vpcCidrs` and `tiers` (the
 * tiers the network has, e.g. `selectSubnets(network).tiers`) describe the
 * network; `networkName` names the default gateway.
 */
export function validateDirectConnectGateway(
  cfg: ResolvedDirectConnectGatewayConfig,
  vpcCidrs: readonly string[],
  networkName?: string,
  tiers?: readonly SubnetTier[],
): ConfigIssue[] {
  const issues = [...gatewayIssues(cfg, networkName), ...prefixIssues(cfg, vpcCidrs)];
  if (tiers !== undefined)
    cfg.propagateToTiers.forEach((tier, i) => {
      if (!tiers.includes(tier))
        issues.push({
          path: `propagateToTiers[${i}]`,
          value: tier,
          message: `has no subnets in this network (tiers: ${tiers.join(", ") || "none"}), so no route table would learn routes`,
          fix: `use one of ${tiers.join(", ")}, or remove it`,
        });
    });
  return issues;
}

/**
 * The choice between a new and an existing gateway, checked on the input as
 * written: with both or neither, the union's own error would point at the
 * wrong field. Returns the issues and the input to resolve instead (the
 * existing gateway kept, so the rest is still checked).
 */
export function gatewayChoice(gateway: unknown): { issues: ConfigIssue[]; gateway: unknown } {
  if (gateway === null || typeof gateway !== "object" || Array.isArray(gateway)) return { issues: [], gateway };
  const keys = Object.keys(gateway);
  const fix = 'write { create: { name, amazonSideAsn } } to create a gateway, or { existingId: "<id>" } to associate an existing one';
  if (keys.includes("create") && keys.includes("existingId"))
    return {
      issues: [{ path: "gateway", value: gateway, message: "sets both create and existingId: a gateway is either created here or an existing one", fix }],
      gateway: { existingId: (gateway as { existingId: unknown }).existingId },
    };
  if (keys.length === 0) return { issues: [{ path: "gateway", value: gateway, message: "names neither create nor existingId", fix }], gateway: undefined };
  return { issues: [], gateway };
}

/** Issues of the virtual private gateway id a construct is given (a reference to one synthesized in the stack passes). */
export function virtualPrivateGatewayIdIssues(id: unknown): ConfigIssue[] {
  if (typeof id === "string" && (Token.isUnresolved(id) || VGW_ID.test(id))) return [];
  return [
    {
      path: "virtualPrivateGatewayId",
      value: id,
      message: id === undefined ? "is required: the association needs the VPC's virtual private gateway" : "is not a virtual private gateway id",
      fix: "pass SiteToSiteVpn's vpnGateway.id, or the vgw- id of the gateway attached to the VPC (e.g. vgw-0123456789abcdef0)",
    },
  ];
}
