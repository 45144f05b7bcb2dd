/**
 * TierNetworkAcls: one network ACL per subnet tier, explicitly associated
 * with every subnet of the tier, rules as standalone resources. See rules.ts
 * for the rule layout and numbering.
 */
import { Construct } from "constructs";
import { z } from "zod";
import { uniqueList } from "../core/schema";
import { DEFAULT_ON_PREMISES_TIERS, subnetTierSchema as tier } from "../network/schema";
import { NetworkAcl } from "@cdktf/provider-aws/lib/network-acl";
import { NetworkAclAssociation } from "@cdktf/provider-aws/lib/network-acl-association";
import { NetworkAclRule } from "@cdktf/provider-aws/lib/network-acl-rule";
import { checkCidr, overlaps } from "../core/cidr";
import { resolveProps, type ConfigIssue } from "../core/errors";
import { tagIssues } from "../core/aws-limits";
import { ALL_ICMP, checkPortSpec, type PortSpec, type Protocol } from "../core/ports";
import { suppress } from "../core/suppressions";
import { named } from "../core/tags";
import type { Exact } from "../core/types";
import { assertNetwork, selectSubnets, type IMlNetwork, type SubnetTier } from "../network";
import { buildNaclRules, type NaclRuleSpec } from "./rules";

export { buildNaclRules, type NaclRuleSpec, type NaclPlanInput } from "./rules";
export { evaluateNacl, naclDecision, type NaclEntry, type NaclTraffic, type NaclQuery } from "./evaluate";
export { findBlockedFlows, OUTSIDE, type BlockedFlow, type GroupRule } from "./consistency";

/** A rule of your own. Pick a number in a gap of the built-in layout (e.g. 150, 250). */
export interface NaclExtraRule {
  readonly tier: SubnetTier;
  /** true for outbound. */
  readonly egress: boolean;
  readonly ruleNumber: number;
  /** IP protocol of the rule. @default "tcp" */
  readonly protocol?: Protocol;
  /** Port or range; omitted with protocol `all` and `icmp`. @default - none: required for tcp and udp */
  readonly port?: PortSpec;
  /** ICMP type and code for protocol `icmp`. @default - every ICMP message */
  readonly icmp?: {
    /** ICMP type; -1 for any. */
    readonly type: number;
    /** ICMP code; -1 for any. @default -1 */
    readonly code?: number;
  };
  readonly cidr: string;
  /** Whether matching traffic is allowed or denied. @default "allow" */
  readonly action?: "allow" | "deny";
}

/** Everything but the network and on-premises ranges: the part an environment configures. */
export interface TierNetworkAclsConfig {
  /** Tiers whose NACLs admit on-premises ranges (DEFAULT_ON_PREMISES_TIERS). @default ["private", "training"] */
  readonly onPremisesTiers?: SubnetTier[];
  /** Ports the public tier accepts from anywhere (load balancers). @default [80, 443] */
  readonly publicIngressPorts?: number[];
  /**
   * TCP ports private and training subnets may send to 0.0.0.0/0 (NAT, S3/DynamoDB gateway endpoints). An
   * environment derives them from the security groups' internet egress.
   * @default [443]
   */
  readonly internetEgressPorts?: number[];
  /** Your own rules. @default [] */
  readonly extraRules?: NaclExtraRule[];
  /** Rules per direction AWS allows on a NACL: the quota is 20 unless raised (up to 40). @default 20 */
  readonly maxRulesPerDirection?: number;
}

export interface TierNetworkAclsProps extends TierNetworkAclsConfig {
  readonly network: IMlNetwork;
  /** On-premises ranges reached over VPN. @default - none */
  readonly onPremisesCidrs?: string[];
  /** Extra tags on every NACL. @default - none */
  readonly tags?: Record<string, string>;
}

export const networkAclsConfigSchema = z.strictObject({
  onPremisesTiers: uniqueList(tier).default([...DEFAULT_ON_PREMISES_TIERS]),
  publicIngressPorts: uniqueList(z.number()).default([80, 443]),
  internetEgressPorts: uniqueList(z.number()).default([443]),
  extraRules: uniqueList(
    z.strictObject({
      tier,
      egress: z.boolean(),
      ruleNumber: z.number(),
      protocol: z.enum(["tcp", "udp", "icmp", "all"]).optional(),
      port: z.union([z.number(), z.object({ from: z.number(), to: z.number() })]).optional(),
      icmp: z.strictObject({ type: z.number(), code: z.number().optional() }).optional(),
      cidr: z.string(),
      action: z.enum(["allow", "deny"]).optional(),
    }),
  ).default([]),
  maxRulesPerDirection: z.number().default(20),
});
export type ResolvedNetworkAclsConfig = z.output<typeof networkAclsConfigSchema>;
const configMatchesSchema: Exact<z.input<typeof networkAclsConfigSchema>, TierNetworkAclsConfig> = true;
void configMatchesSchema;

/** The rule specs a configuration produces, for a network with the given tiers. */
export function planNetworkAcls(
  cfg: ResolvedNetworkAclsConfig,
  tiers: readonly SubnetTier[],
  vpcCidrs: readonly string[],
  onPremisesCidrs: readonly string[],
): NaclRuleSpec[] {
  return buildNaclRules({
    tiers,
    vpcCidrs,
    onPremisesCidrs,
    onPremisesTiers: cfg.onPremisesTiers,
    publicIngressPorts: cfg.publicIngressPorts,
    internetEgressPorts: cfg.internetEgressPorts,
    extraRules: cfg.extraRules.map((r) => {
      const protocol = r.protocol ?? "tcp";
      const port = r.port ?? 0;
      const [from, to] =
        protocol === "icmp" ? [r.icmp?.type ?? ALL_ICMP.from, r.icmp?.code ?? ALL_ICMP.to] : typeof port === "number" ? [port, port] : [port.from, port.to];
      return { tier: r.tier, egress: r.egress, ruleNumber: r.ruleNumber, protocol, from, to, cidr: r.cidr, action: r.action ?? "allow" };
    }),
  });
}

export function validateNetworkAcls(
  cfg: ResolvedNetworkAclsConfig,
  tiers: readonly SubnetTier[],
  vpcCidrs: readonly string[],
  onPremisesCidrs: readonly string[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, value: unknown, message: string, fix: string) => issues.push({ path, value, message, fix });
  cfg.publicIngressPorts.forEach((p, i) => issues.push(...checkPortSpec(`publicIngressPorts[${i}]`, p)));
  cfg.internetEgressPorts.forEach((p, i) => issues.push(...checkPortSpec(`internetEgressPorts[${i}]`, p)));
  cfg.extraRules.forEach((r, i) => {
    const path = `extraRules[${i}]`;
    if (!Number.isInteger(r.ruleNumber) || r.ruleNumber < 1 || r.ruleNumber > 32766) {
      add(`${path}.ruleNumber`, r.ruleNumber, "is not a NACL rule number (1-32766)", "pick a number in a gap of the built-in layout, e.g. 150");
    }
    const protocol = r.protocol ?? "tcp";
    if (protocol === "icmp") {
      if (r.port !== undefined)
        add(`${path}.port`, r.port, "is set, but ICMP has no ports", "remove port; pick messages with icmp: { type, code } (e.g. { type: 3, code: 4 })");
      if (r.icmp && (!isIcmpNumber(r.icmp.type) || (r.icmp.code !== undefined && !isIcmpNumber(r.icmp.code))))
        add(`${path}.icmp`, r.icmp, "has a type or code outside -1..255", "use ICMP numbers 0-255, or -1 for any");
    } else {
      if (r.icmp !== undefined) add(`${path}.icmp`, r.icmp, `is set, but protocol is ${protocol}`, 'set protocol: "icmp", or remove icmp');
      if (protocol !== "all") {
        if (r.port === undefined) add(`${path}.port`, undefined, "is required unless protocol is all or icmp", "give a port or range");
        else issues.push(...checkPortSpec(`${path}.port`, r.port));
      }
    }
    const c = checkCidr(r.cidr);
    if (!c.ok) add(`${path}.cidr`, r.cidr, c.reason, 'use an IPv4 network in CIDR notation, e.g. "10.0.0.0/16"');
    if (!tiers.includes(r.tier)) add(`${path}.tier`, r.tier, "is not a tier of this network", `use one of ${tiers.join(", ")}`);
  });
  if (!Number.isInteger(cfg.maxRulesPerDirection) || cfg.maxRulesPerDirection < 1 || cfg.maxRulesPerDirection > MAX_NACL_RULES_PER_DIRECTION) {
    add(
      "maxRulesPerDirection",
      cfg.maxRulesPerDirection,
      `is outside 1-${MAX_NACL_RULES_PER_DIRECTION}: AWS allows 20 rules per direction by default and at most ${MAX_NACL_RULES_PER_DIRECTION} after a quota increase ("Amazon VPC quotas", network ACLs)`,
      "use 20, or your raised quota up to 40",
    );
  }
  if (issues.length > 0) return issues;

  // Built-in and extra rules must not share a number; each direction must fit the quota.
  const rules = planNetworkAcls(cfg, tiers, vpcCidrs, onPremisesCidrs);
  const seen = new Map<string, NaclRuleSpec>();
  for (const r of rules) {
    const key = `${r.tier}/${r.egress}/${r.ruleNumber}`;
    const other = seen.get(key);
    if (other) {
      const i = cfg.extraRules.findIndex((x) => x.tier === r.tier && x.egress === r.egress && x.ruleNumber === r.ruleNumber);
      add(
        `extraRules[${Math.max(i, 0)}].ruleNumber`,
        r.ruleNumber,
        `is already used by rule ${other.id} of the ${r.tier} NACL`,
        "pick a free number, e.g. one ending in 5 or 50",
      );
    }
    seen.set(key, r);
  }
  for (const t of tiers) {
    for (const egress of [false, true]) {
      const count = rules.filter((r) => r.tier === t && r.egress === egress).length;
      // The quota counts the default deny rule (*) too ("Amazon VPC quotas", network ACLs).
      if (count + 1 > cfg.maxRulesPerDirection) {
        add(
          "maxRulesPerDirection",
          cfg.maxRulesPerDirection,
          `is exceeded by the ${t} NACL's ${count} ${egress ? "outbound" : "inbound"} rules plus the default deny rule, which the quota counts`,
          "summarize CIDRs, or raise the AWS quota and this limit (at most 40)",
        );
      }
    }
  }
  onPremisesCidrs.forEach((cidr, i) => {
    const clash = vpcCidrs.find((v) => checkCidr(cidr).ok && overlaps(v, cidr));
    if (clash) add(`onPremisesCidrs[${i}]`, cidr, `overlaps the VPC CIDR ${clash}`, "declare on-premises ranges that do not overlap the VPC");
  });
  return issues;
}

const isIcmpNumber = (n: number) => Number.isInteger(n) && n >= -1 && n <= 255;

/** Rules per direction a NACL may hold after a quota increase ("Amazon VPC quotas", docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html). */
export const MAX_NACL_RULES_PER_DIRECTION = 40;

export class TierNetworkAcls extends Construct {
  /** NACLs by tier. */
  readonly acls: Readonly<Partial<Record<SubnetTier, NetworkAcl>>>;
  readonly rules: readonly NaclRuleSpec[];

  constructor(scope: Construct, id: string, props: TierNetworkAclsProps) {
    super(scope, id);
    const { network, onPremisesCidrs = [], tags: extraTags, ...rest } = props;
    assertNetwork(network, `TierNetworkAcls "${this.node.path}"`);
    const tiers = selectSubnets(network).tiers;
    const cfg = resolveProps("TierNetworkAcls", this.node.path, networkAclsConfigSchema, rest, (c) => [
      ...validateNetworkAcls(c, tiers, network.vpcCidrs, onPremisesCidrs),
      ...tagIssues(extraTags, "tags", ["Name", "Tier"]),
    ]);
    const tags = extraTags ?? {};

    const acls: Partial<Record<SubnetTier, NetworkAcl>> = {};
    // One id token per NACL: every token costs a resolution pass at synth.
    const aclIds: Partial<Record<SubnetTier, string>> = {};
    for (const t of tiers) {
      const acl = new NetworkAcl(this, t, { vpcId: network.vpcId, tags: named(`${network.name}-${t}`, tags, { Tier: t }) });
      acls[t] = acl;
      aclIds[t] = acl.id;
      for (const subnet of selectSubnets(network, { tiers: [t] }).subnets) {
        new NetworkAclAssociation(this, `${t}-${subnet.availabilityZone}`, { networkAclId: aclIds[t], subnetId: subnet.id });
      }
    }
    this.acls = acls;

    this.rules = planNetworkAcls(cfg, tiers, network.vpcCidrs, onPremisesCidrs);
    for (const r of this.rules) {
      const ports =
        r.range.protocol === "all"
          ? { protocol: "-1", fromPort: 0, toPort: 0 }
          : r.range.protocol === "icmp"
            ? { protocol: "icmp", icmpType: r.range.from, icmpCode: r.range.to, fromPort: 0, toPort: 0 }
            : { protocol: r.range.protocol, fromPort: r.range.from, toPort: r.range.to };
      const rule = new NetworkAclRule(this, r.id, {
        networkAclId: aclIds[r.tier]!,
        egress: r.egress,
        ruleNumber: r.ruleNumber,
        ruleAction: r.action,
        cidrBlock: r.cidr,
        ...ports,
      });
      if (r.tier === "public" && !r.egress && r.ruleNumber === 300) {
        suppress(
          rule,
          "MLN-NACL-1",
          "NAT gateway and load balancer replies arrive on ports 1024-65535, 3389 included; no security group opens 22 or 3389 (MLN-SG-2 cannot be suppressed)",
        );
      }
    }
  }
}
