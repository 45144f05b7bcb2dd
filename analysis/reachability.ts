/**
 * Offline reachability from the network model, per subnet tier: inbound from
 * the internet, outbound to the internet (IGW or NAT), to S3 and DynamoDB
 * (gateway endpoint or NAT), to each interface endpoint, to on-premises
 * (VPN), and between tiers by security-group flow and port. Routes, NACLs
 * (stateless: request and reply, ephemeral ports) and security groups
 * (stateful) are all taken into account. Every "yes" carries its path; every
 * "no" says what stopped it.
 */
import type { PortRange } from "../modules/core";
import type { ModelSubnet, NetworkModel } from "./model";
import { ALL_TRAFFIC, HTTPS, PathFinder, contains, groupFlowVerdict, groupTiers, type ReachabilityOptions, type Verdict } from "./paths";

import { analyzeDns, analyzeLoadBalancers, type DnsReport, type LoadBalancerReport } from "./reachability-hybrid";

export { naclVerdict, groupTiers, type Verdict, type ReachabilityOptions } from "./paths";
export type { DnsReport, LoadBalancerReport } from "./reachability-hybrid";

export interface GroupFlow {
  readonly from: string;
  readonly to: string;
  readonly ports: string;
  readonly fromTiers: string[];
  readonly toTiers: string[];
  readonly verdict: Verdict;
}

export interface ReachabilityReport {
  readonly tiers: string[];
  /** tier -> destination -> verdict; load balancers appear as `load balancer <name>` (callers through it to inference). */
  readonly matrix: Record<string, Record<string, Verdict>>;
  readonly destinations: string[];
  readonly groupFlows: GroupFlow[];
  /** Hybrid DNS: on-premises through the inbound endpoint, forwarding rules to on-premises servers. */
  readonly dns: DnsReport;
  /** Each load balancer: who reaches it, and whether it reaches its targets. */
  readonly loadBalancers: LoadBalancerReport[];
}

/**
 * Whether one subnet reaches the internet for traffic of `range` (default
 * tcp 443): default route, NAT and its public subnet, every NACL leg both
 * ways. The compliance pack uses it per subnet and per port.
 */
export function internetFrom(model: NetworkModel, subnetAddress: string, range: PortRange = HTTPS): Verdict {
  const subnet = model.subnets.find((s) => s.address === subnetAddress);
  if (!subnet) return { reachable: false, path: [], reason: `${subnetAddress} is not a subnet of the model` };
  return new PathFinder(model).internetOut(subnet, range);
}

export function analyzeReachability(model: NetworkModel, options: ReachabilityOptions = {}): ReachabilityReport {
  const finder = new PathFinder(model, options);
  const { tierOf, tiers, internetIn, internetOut, awsService, interfaceEndpoint, onPremises } = finder;
  const destinations = [
    "internet (inbound)",
    "internet (outbound)",
    "s3",
    "dynamodb",
    ...model.endpoints.filter((e) => e.type === "Interface").map((e) => `endpoint ${e.service}`),
    "on-premises",
  ];
  const loadBalancers = analyzeLoadBalancers(model, finder);
  destinations.push(...loadBalancers.map((lb) => `load balancer ${lb.name}`));
  const matrix: Record<string, Record<string, Verdict>> = {};
  for (const tier of tiers) {
    const subnets = model.subnets.filter((s) => tierOf(s) === tier);
    // A tier reaches a destination if any of its subnets does; the first such subnet's path is shown.
    const anyOf = (f: (s: ModelSubnet) => Verdict): Verdict => subnets.map(f).find((v) => v.reachable) ?? f(subnets[0]);
    matrix[tier] = {
      "internet (inbound)": anyOf(internetIn),
      "internet (outbound)": anyOf((s) => internetOut(s)),
      s3: anyOf((s) => awsService(s, "s3")),
      dynamodb: anyOf((s) => awsService(s, "dynamodb")),
      "on-premises": anyOf(onPremises),
    };
    for (const e of model.endpoints.filter((x) => x.type === "Interface")) matrix[tier][`endpoint ${e.service}`] = anyOf((s) => interfaceEndpoint(s, e));
    for (const lb of loadBalancers) matrix[tier][`load balancer ${lb.name}`] = lb.callers[tier];
  }

  return { tiers, matrix, destinations, groupFlows: groupFlows(model, finder), dns: analyzeDns(model, finder), loadBalancers };
}

function groupFlows(model: NetworkModel, finder: PathFinder): GroupFlow[] {
  const flows: GroupFlow[] = [];
  for (const src of model.securityGroups) {
    for (const rule of src.rules.filter((r) => r.direction === "egress" && r.peer.kind === "sg")) {
      const dst = model.securityGroups.find((g) => g.address === (rule.peer as { address: string }).address);
      if (!dst) continue;
      const ports =
        rule.protocol === "all" ? "all traffic" : rule.from === rule.to ? `${rule.protocol} ${rule.from}` : `${rule.protocol} ${rule.from}-${rule.to}`;
      const range: PortRange = rule.protocol === "all" ? ALL_TRAFFIC : { protocol: rule.protocol as PortRange["protocol"], from: rule.from, to: rule.to };
      const verdict = groupFlowVerdict(model, finder, src, dst, range);
      flows.push({ from: src.name, to: dst.name, ports, fromTiers: groupTiers(model, src), toTiers: groupTiers(model, dst), verdict });
    }
  }
  return flows;
}

/**
 * Whether members of one security group can open `range` (default tcp 443)
 * to members of another: both groups' rules and the NACLs between their
 * subnets. Groups by full name or by their role suffix (`notebook` matches
 * `ml-prod-notebook`). The testing matcher `toAllowFlow` uses it.
 */
export function groupFlow(model: NetworkModel, from: string, to: string, range: PortRange = HTTPS): Verdict {
  const find = (name: string) => model.securityGroups.find((g) => g.name === name) ?? model.securityGroups.find((g) => g.name.endsWith(`-${name}`));
  const src = find(from);
  const dst = find(to);
  const missing = [src ? undefined : from, dst ? undefined : to].filter((x): x is string => x !== undefined);
  if (missing.length > 0 || !src || !dst) {
    return {
      reachable: false,
      path: [],
      reason: `no security group named ${missing.join(" or ")} (groups: ${model.securityGroups.map((g) => g.name).join(", ")})`,
    };
  }
  return groupFlowVerdict(model, new PathFinder(model), src, dst, range);
}

export function isInside(cidr: string, vpcCidrs: readonly string[]): boolean {
  return vpcCidrs.some((v) => contains(v, cidr));
}
