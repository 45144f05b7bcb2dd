/**
 * The hybrid and serving parts of an environment (hybrid DNS, Direct Connect,
 * partner PrivateLink, the inference load balancer), checked against the rest
 * of it before anything is built: each module's own validator on the planned
 * network, plus what only the environment knows (a VPN to carry on-premises
 * traffic, the security groups that may call, the inference group's other
 * callers, the NACLs the traffic crosses).
 */
import { z } from "zod";
import { checkCidr, overlaps, prefixIssues, uniqueList, type ConfigIssue, type PortSpec } from "../modules/core";
import { selectSubnets, type IMlNetwork, type SubnetTier } from "../modules/network";
import type { NaclRuleSpec } from "../modules/network-acls";
import { hybridDnsConfigSchema, normalizeDomain, validateHybridDns } from "../modules/hybrid-dns";
import { directConnectGatewayConfigSchema, gatewayChoice, validateDirectConnectGateway, type DirectConnectGatewayConfig } from "../modules/direct-connect";
import { partnerEndpointsConfigSchema, partnerViewOf, validatePartnerEndpoints } from "../modules/partner-endpoints";
import {
  callerCidrsOf,
  inferenceLoadBalancerConfigSchema,
  loadBalancerTier,
  validateInferenceLoadBalancer,
  type InferenceLoadBalancerConfig,
} from "../modules/inference-ingress";
import type { SecurityGroupName } from "../modules/security-groups";

/** Direct Connect in an environment: the VPN's virtual private gateway already propagates the routes DX learns. */
export type EnvironmentDirectConnect = Omit<DirectConnectGatewayConfig, "propagateToTiers">;

/** The inference load balancer in an environment: its callers are security groups of the environment, by name. */
export interface InferenceIngressConfig extends InferenceLoadBalancerConfig {
  /**
   * Security groups of this environment whose members may call the load
   * balancer (e.g. `notebook`), beside `callerCidrs`. With none, and no
   * callerCidrs, the VPC's CIDRs may call an internal load balancer.
   * @default []
   */
  readonly callerGroups?: SecurityGroupName[];
}

export const hybridSchemas = {
  hybridDns: hybridDnsConfigSchema.optional(),
  directConnect: directConnectGatewayConfigSchema.omit({ propagateToTiers: true }).optional(),
  partnerEndpoints: partnerEndpointsConfigSchema.optional(),
  inferenceIngress: inferenceLoadBalancerConfigSchema.extend({ callerGroups: uniqueList(z.string()).default([]) }).optional(),
};

type Resolved<K extends keyof typeof hybridSchemas> = z.output<(typeof hybridSchemas)[K]>;

/**
 * `directConnect.gateway` checked as written, before the schema parses it:
 * with both `create` and `existingId`, or neither, the union's own error would
 * name the wrong field. Returns the input to parse and the issues.
 */
export function directConnectChoice<T extends { readonly directConnect?: unknown }>(raw: T): { input: T; issues: ConfigIssue[] } {
  const dx = raw?.directConnect;
  if (dx === null || typeof dx !== "object" || !("gateway" in dx)) return { input: raw, issues: [] };
  const choice = gatewayChoice(dx.gateway);
  if (choice.issues.length === 0) return { input: raw, issues: [] };
  return { input: { ...raw, directConnect: { ...dx, gateway: choice.gateway } }, issues: prefixIssues("directConnect", choice.issues) };
}

/** What the checks need of the environment, resolved. */
export interface HybridCheckInput {
  readonly namePrefix: string;
  readonly planned: IMlNetwork;
  readonly vpcCidrs: readonly string[];
  /** The valid on-premises ranges. */
  readonly onPremisesCidrs: readonly string[];
  readonly hasVpn: boolean;
  /** Tiers whose route tables learn on-premises routes (the VPN's propagateToTiers, resolved). */
  readonly onPremisesRouteTiers: readonly SubnetTier[];
  /** Security groups the environment creates. */
  readonly groups: readonly string[];
  /** Every rule the inference group admits besides the load balancer: its configured callers and on-premises access. */
  readonly inference: { readonly servingPorts: readonly PortSpec[]; readonly callerGroups: readonly string[]; readonly callerCidrs: readonly string[] };
  /** Full service names of the custom interface endpoints (`endpoints.interface.customServices`). */
  readonly customServiceNames: readonly string[];
  readonly naclRules: readonly NaclRuleSpec[];
  readonly hybridDns?: Resolved<"hybridDns">;
  readonly directConnect?: Resolved<"directConnect">;
  readonly partnerEndpoints?: Resolved<"partnerEndpoints">;
  readonly inferenceIngress?: Resolved<"inferenceIngress">;
}

/**
 * Groups that never call out to a service, and why: vpcEndpoints only
 * receives, and data has no egress at all (databases and file systems).
 */
const NOT_CALLERS: Readonly<Record<string, string>> = { vpcEndpoints: "interface endpoints only receive", data: "data stores have no egress" };

/** The issue of naming a group that calls no service as a caller, at `path`; undefined for any other group. */
function notCallerIssue(path: string, group: string, fix: string): ConfigIssue | undefined {
  const why = Object.hasOwn(NOT_CALLERS, group) ? NOT_CALLERS[group] : undefined;
  return why === undefined ? undefined : { path, value: group, message: `is a group that calls no service (${why})`, fix };
}

/** Every problem of the hybrid and serving parts of an environment. */
export function hybridIssues(input: HybridCheckInput): ConfigIssue[] {
  return [...hybridDnsIssues(input), ...directConnectIssues(input), ...partnerIssues(input), ...inferenceIngressIssues(input)];
}

const NO_VPN_FIX = "configure vpn (the site-to-site VPN creates the virtual private gateway; add directConnect for a dedicated line, with the VPN as backup)";

function hybridDnsIssues(input: HybridCheckInput): ConfigIssue[] {
  const cfg = input.hybridDns;
  if (!cfg) return [];
  const issues: ConfigIssue[] = [];
  if (!input.hasVpn)
    issues.push({
      path: "hybridDns",
      value: "(no vpn)",
      message: "resolves names with the on-premises network, but the environment has no path to it",
      fix: NO_VPN_FIX,
    });
  // The module reports the on-premises ranges under their own top-level field.
  const own = validateHybridDns(cfg, input.planned, input.onPremisesCidrs, { naclRules: input.naclRules });
  issues.push(...own.map((i) => (i.path.startsWith("onPremisesCidrs") ? i : prefixIssues("hybridDns", [i])[0])));
  if (input.hasVpn && !input.onPremisesRouteTiers.includes(cfg.tier))
    issues.push({
      path: "hybridDns.tier",
      value: cfg.tier,
      message: `has no route to on-premises: VPN routes reach only the ${input.onPremisesRouteTiers.join(", ") || "(no)"} route tables, so queries and replies to on-premises would be lost`,
      fix: `place the endpoints in ${input.onPremisesRouteTiers.join(" or ") || "a tier that learns VPN routes"}, or add "${cfg.tier}" to vpn.propagateToTiers (and networkAcls.onPremisesTiers)`,
    });
  if (cfg.privateZone) issues.push(...zoneNameIssues(input));
  return issues;
}

/**
 * The stack names the load balancer `inference.<zone>` and each partner
 * endpoint `<partner>.<zone>`: a record of the user's, or a partner called
 * `inference`, must not take one of those names (Route 53 refuses a CNAME
 * beside other records of the same name).
 */
function zoneNameIssues(input: HybridCheckInput): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const given = new Map<string, string>();
  if (input.inferenceIngress) given.set("inference", "the inference load balancer");
  for (const name of Object.keys(input.partnerEndpoints?.partners ?? {})) {
    if (given.has(name))
      issues.push({
        path: `partnerEndpoints.partners.${name}`,
        value: name,
        message: `would be named ${name}.<private zone>, the name the environment gives ${given.get(name)}`,
        fix: "rename the partner",
      });
    else given.set(name, `the endpoint of partner "${name}"`);
  }
  for (const label of Object.keys(input.hybridDns?.privateZone?.records ?? {})) {
    const owner = given.get(normalizeDomain(label));
    if (owner)
      issues.push({
        path: `hybridDns.privateZone.records.${label}`,
        value: label,
        message: `is the name the environment gives ${owner} in this zone`,
        fix: "remove the record (the environment keeps it pointed at the right target), or rename it",
      });
  }
  return issues;
}

function directConnectIssues(input: HybridCheckInput): ConfigIssue[] {
  const cfg = input.directConnect;
  if (!cfg) return [];
  const issues: ConfigIssue[] = [];
  if (!input.hasVpn)
    issues.push({
      path: "directConnect",
      value: "(no vpn)",
      message: "associates a Direct Connect gateway with the VPN's virtual private gateway, but vpn is not configured",
      fix: "configure vpn: it creates the virtual private gateway and stays as the backup path when the Direct Connect link is down",
    });
  const tiers = selectSubnets(input.planned).tiers;
  issues.push(...prefixIssues("directConnect", validateDirectConnectGateway({ ...cfg, propagateToTiers: [] }, input.vpcCidrs, input.namePrefix, tiers)));
  return issues;
}

function partnerIssues(input: HybridCheckInput): ConfigIssue[] {
  const cfg = input.partnerEndpoints;
  if (!cfg) return [];
  const issues = prefixIssues("partnerEndpoints", validatePartnerEndpoints(cfg, partnerViewOf(input.planned), input.groups));
  for (const [name, partner] of Object.entries(cfg.partners)) {
    partner.callers.forEach((caller, i) => {
      const issue = notCallerIssue(
        `partnerEndpoints.partners.${name}.callers[${i}]`,
        caller,
        "name the groups whose members call the partner, e.g. training or inference",
      );
      if (issue) issues.push(issue);
    });
    const custom = input.customServiceNames.find((s) => s.toLowerCase() === partner.serviceName.toLowerCase());
    if (custom)
      issues.push({
        path: `partnerEndpoints.partners.${name}.serviceName`,
        value: partner.serviceName,
        message: "is also an interface endpoint of endpoints.interface.customServices: two endpoints to one service cost twice and, with private DNS, collide",
        fix: "keep it in one place: partnerEndpoints for a partner's service (its own security group), customServices otherwise",
      });
  }
  return issues;
}

function inferenceIngressIssues(input: HybridCheckInput): ConfigIssue[] {
  const cfg = input.inferenceIngress;
  if (!cfg) return [];
  const { callerGroups, ...lb } = cfg;
  const issues: ConfigIssue[] = [];
  callerGroups.forEach((group, i) => {
    const path = `inferenceIngress.callerGroups[${i}]`;
    const fix = "name the groups whose members call the model, e.g. notebook";
    const issue = !input.groups.includes(group)
      ? { path, value: group, message: "is not a security group of this environment", fix: `use one of ${input.groups.join(", ")}` }
      : group === "inference"
        ? { path, value: group, message: "is the group behind the load balancer", fix }
        : notCallerIssue(path, group, fix);
    if (issue) issues.push(issue);
  });
  // Replies to on-premises callers leave through the load balancer's route tables.
  const tier = loadBalancerTier(lb);
  const onPremCallers = callerCidrsOf(lb, input.vpcCidrs, callerGroups.length > 0).filter((c) =>
    input.onPremisesCidrs.some((o) => checkCidr(c).ok && overlaps(c, o)),
  );
  if (input.hasVpn && onPremCallers.length > 0 && !input.onPremisesRouteTiers.includes(tier))
    issues.push({
      path: "inferenceIngress.callerCidrs",
      value: onPremCallers,
      message: `admits on-premises callers, but the ${tier} route tables have no route back to on-premises (VPN routes reach ${input.onPremisesRouteTiers.join(", ") || "none"})`,
      fix: `add "${tier}" to vpn.propagateToTiers, or remove the on-premises ranges`,
    });
  // The ids exist only at deploy: an id of the right shape stands in, so only the names are checked here.
  const placeholders = Object.fromEntries(callerGroups.map((g) => [g, "sg-00000000000000000"]));
  const own = validateInferenceLoadBalancer(lb, input.planned, { callerGroups: placeholders, inferenceGroup: input.inference });
  for (const i of own) {
    if (i.path === "inferenceSecurityGroupId")
      issues.push({
        ...i,
        path: "securityGroups.inference",
        fix: "remove securityGroups.inference.callerGroups and callerCidrs (and onPremisesAccess to the inference group): list the callers in inferenceIngress.callerGroups and callerCidrs",
      });
    else issues.push(...prefixIssues("inferenceIngress", [i]));
  }
  return issues;
}
