/**
 * NACL rules per tier, as data. Network ACLs are the coarse, stateless second
 * layer under security groups: they allow whole categories of traffic and
 * must never block a flow the security groups allow, replies included.
 *
 * Rule numbers leave gaps for your own rules: category blocks of 100, entries
 * 10 apart inside a block (entries follow list order, so append new CIDRs).
 *
 *   100+  all traffic with the VPC's own CIDR blocks
 *   200+  all traffic with on-premises ranges (tiers that reach them)
 *   300   TCP ephemeral ports with 0.0.0.0/0: replies to HTTPS sent out
 *         through NAT or to S3/DynamoDB gateway endpoints, whose public
 *         addresses a NACL cannot name. Instances (private, training) get
 *         32768-65535, which leaves out 22 and 3389; the public tier needs
 *         1024-65535 for NAT gateway and load balancer ports.
 *   310   ICMP type 3 code 4 (fragmentation needed) with 0.0.0.0/0, both
 *         ways, on the same tiers: routers on the path tell the sender to
 *         shrink its packets (path-MTU discovery); without it large transfers
 *         through NAT and the internet gateway stall. The VPC user guide asks
 *         for exactly this rule, inbound and outbound, where instances talk
 *         to peers over the internet ("Path MTU Discovery",
 *         docs.aws.amazon.com/vpc/latest/userguide/path_mtu_discovery.html).
 *         With the VPC and on-premises ranges it passes under the all-traffic
 *         rules 100+ and 200+.
 *   400+  public ingress ports (public tier) / internet egress ports
 */
import type { SubnetTier } from "../network";
import { ICMP_FRAGMENTATION_NEEDED, replyPortsFor, rangeId, type PortRange, type Protocol } from "../core/ports";
import { cidrId } from "../core/tags";

export interface NaclRuleSpec {
  /** Construct id, e.g. `private-ingress-all-from-10-30-0-0-16`. */
  readonly id: string;
  readonly tier: SubnetTier;
  readonly egress: boolean;
  readonly ruleNumber: number;
  readonly range: PortRange;
  readonly cidr: string;
  readonly action: "allow" | "deny";
}

export interface NaclPlanInput {
  readonly tiers: readonly SubnetTier[];
  readonly vpcCidrs: readonly string[];
  readonly onPremisesCidrs: readonly string[];
  readonly onPremisesTiers: readonly SubnetTier[];
  readonly publicIngressPorts: readonly number[];
  readonly internetEgressPorts: readonly number[];
  readonly extraRules: readonly {
    readonly tier: SubnetTier;
    readonly egress: boolean;
    readonly ruleNumber: number;
    readonly protocol: Protocol;
    readonly from: number;
    readonly to: number;
    readonly cidr: string;
    readonly action: "allow" | "deny";
  }[];
}

const ANYWHERE = "0.0.0.0/0";
const ALL: PortRange = { protocol: "all", from: 0, to: 65535 };

function spec(tier: SubnetTier, egress: boolean, ruleNumber: number, range: PortRange, cidr: string, action: "allow" | "deny" = "allow"): NaclRuleSpec {
  const dir = egress ? "egress" : "ingress";
  const peer = egress ? "to" : "from";
  return { id: `${tier}-${dir}-${rangeId(range)}-${peer}-${cidrId(cidr)}`, tier, egress, ruleNumber, range, cidr, action };
}

/** The rules of every configured tier. */
export function buildNaclRules(input: NaclPlanInput): NaclRuleSpec[] {
  const rules: NaclRuleSpec[] = [];
  for (const tier of input.tiers) {
    for (const egress of [false, true]) {
      input.vpcCidrs.forEach((cidr, i) => rules.push(spec(tier, egress, 100 + 10 * i, ALL, cidr)));
      if (input.onPremisesTiers.includes(tier)) {
        input.onPremisesCidrs.forEach((cidr, i) => rules.push(spec(tier, egress, 200 + 10 * i, ALL, cidr)));
      }
    }
    if (tier === "isolated") continue; // VPC (and on-premises, if configured) only, both ways.
    // Replies from the internet or AWS public endpoints to connections opened from inside, and
    // path-MTU discovery messages from routers on those paths.
    rules.push(spec(tier, false, 300, replyPortsFor(tier), ANYWHERE));
    rules.push(spec(tier, false, 310, ICMP_FRAGMENTATION_NEEDED, ANYWHERE));
    rules.push(spec(tier, true, 310, ICMP_FRAGMENTATION_NEEDED, ANYWHERE));
    const tcp = (port: number): PortRange => ({ protocol: "tcp", from: port, to: port });
    if (tier === "public") {
      // Load balancers: clients from anywhere, replies back to them.
      input.publicIngressPorts.forEach((port, i) => rules.push(spec(tier, false, 400 + 10 * i, tcp(port), ANYWHERE)));
      rules.push(spec(tier, true, 300, replyPortsFor(tier), ANYWHERE));
    }
    // Egress to the internet (NAT forwards it from the public tier) and to S3/DynamoDB gateway endpoints.
    input.internetEgressPorts.forEach((port, i) => rules.push(spec(tier, true, 400 + 10 * i, tcp(port), ANYWHERE)));
  }
  for (const extra of input.extraRules) {
    const range: PortRange = extra.protocol === "all" ? ALL : { protocol: extra.protocol, from: extra.from, to: extra.to };
    // (For ICMP, from and to are the type and code.)
    rules.push({
      ...spec(extra.tier, extra.egress, extra.ruleNumber, range, extra.cidr, extra.action),
      id: `${extra.tier}-${extra.egress ? "egress" : "ingress"}-rule-${extra.ruleNumber}`,
    });
  }
  return rules;
}
