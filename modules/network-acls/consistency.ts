/**
 * Proves that network ACLs never block a flow the security groups allow.
 *
 * Security groups are stateful: an allowed connection's replies pass. NACLs
 * are stateless: the request must pass the sender's outbound and the
 * receiver's inbound NACL, and the reply (to the client's ephemeral port) the
 * receiver's outbound and the sender's inbound NACL. Traffic within one
 * subnet never crosses a NACL. Internet egress also crosses the public tier's
 * NACL twice on its way through the NAT gateway.
 */
import { describeRange, replyTo, type PortRange } from "../core/ports";
import type { NetworkSubnet, SubnetTier } from "../network";
import type { RulePeer, RuleSpec } from "../security-groups";
import { naclDecision } from "./evaluate";
import type { NaclRuleSpec } from "./rules";

/** Stand-ins for addresses outside the VPC (NACLs see public IPs of S3, DynamoDB and the internet). */
export const OUTSIDE = {
  s3: "52.216.0.0/15", // an S3 range of us-east-1 (ip-ranges.json)
  dynamodb: "3.218.180.0/22", // a DynamoDB range of us-east-1 (ip-ranges.json)
  internet: "198.51.100.0/24", // TEST-NET-2, any internet address
} as const;

export interface BlockedFlow {
  /** The security-group rule whose traffic is blocked. */
  readonly rule: string;
  /** Which leg and where: `request out of private us-east-1a to 10.0.144.0/24`. */
  readonly leg: string;
  readonly nacl: SubnetTier;
  readonly decidedBy?: string;
}

interface Hop {
  readonly tier: SubnetTier;
  readonly egress: boolean;
  readonly range: PortRange;
  readonly peer: string;
  readonly leg: string;
}

/**
 * A security-group rule of any group: SegmentedSecurityGroups' RuleSpec, or
 * the rules of another module's own group (a load balancer's, a partner
 * endpoint's), named as the caller chooses and placed through `groupTiers`.
 */
export type GroupRule = Omit<RuleSpec, "group" | "peer"> & {
  readonly group: string;
  readonly peer: Exclude<RulePeer, { kind: "group" }> | { readonly kind: "group"; readonly name: string };
};

/**
 * Every blocked leg of every flow the security-group rules allow, for members
 * of each group placed in the tiers `groupTiers` gives (a group it does not
 * list has no members to check). Empty means consistent.
 */
export function findBlockedFlows(
  sgRules: readonly GroupRule[],
  naclRules: readonly NaclRuleSpec[],
  subnets: readonly NetworkSubnet[],
  groupTiers: Readonly<Record<string, readonly SubnetTier[]>>,
): BlockedFlow[] {
  const placed = (group: string) => subnets.filter((s) => (groupTiers[group] ?? []).includes(s.tier));
  const hasNacl = (tier: SubnetTier) => naclRules.some((r) => r.tier === tier);
  const publicSubnets = subnets.filter((s) => s.tier === "public");
  const blocked: BlockedFlow[] = [];
  // Replies go to the client's ephemeral port: instances in private tiers, NAT and load balancers in public.
  const reply = (range: PortRange, clientTier: string): PortRange => replyTo(range, clientTier);

  const check = (rule: GroupRule, hops: Hop[]) => {
    for (const hop of hops) {
      if (!hasNacl(hop.tier)) continue;
      const decision = naclDecision(naclRules, { tier: hop.tier, egress: hop.egress, range: hop.range, peerCidr: hop.peer });
      if (decision.action !== "allow") {
        blocked.push({ rule: rule.id, leg: hop.leg, nacl: hop.tier, decidedBy: decision.rule?.id ?? "no matching rule (implicit deny)" });
      }
    }
  };
  // One port stands for a range when checking (NACL rules allow whole categories).
  const probe = (range: PortRange): PortRange[] =>
    range.protocol === "all"
      ? [range]
      : range.from === range.to
        ? [range]
        : [
            { ...range, to: range.from },
            { ...range, from: range.to },
          ];

  for (const rule of sgRules) {
    if (rule.direction !== "egress" && !(rule.direction === "ingress" && rule.peer.kind === "cidr")) continue;
    // An IPv6 peer carries no traffic in these IPv4-only subnets (no IPv6 CIDR, no IPv6 NACL rules): nothing to prove.
    if (rule.peer.kind === "cidr" && rule.peer.cidr.includes(":")) continue;
    for (const range of probe(rule.range)) {
      const label = describeRange(range);
      if (rule.direction === "ingress" && rule.peer.kind === "cidr") {
        // Clients in a CIDR connect in: receiver's inbound, and replies out.
        for (const dst of placed(rule.group)) {
          // A client range inside the VPC is checked per subnet it covers; NACLs do not apply within one subnet.
          check(rule, [
            {
              tier: dst.tier,
              egress: false,
              range,
              peer: rule.peer.cidr,
              leg: `request ${label} into ${dst.tier} ${dst.availabilityZone} from ${rule.peer.cidr}`,
            },
            {
              tier: dst.tier,
              egress: true,
              range: reply(range, "private"),
              peer: rule.peer.cidr,
              leg: `reply out of ${dst.tier} ${dst.availabilityZone} to ${rule.peer.cidr}`,
            },
          ]);
        }
        continue;
      }
      const peer = rule.peer;
      for (const src of placed(rule.group)) {
        const out = (to: string, what: string): Hop[] => [
          { tier: src.tier, egress: true, range, peer: to, leg: `request ${label} out of ${src.tier} ${src.availabilityZone} to ${what}` },
          { tier: src.tier, egress: false, range: reply(range, src.tier), peer: to, leg: `reply into ${src.tier} ${src.availabilityZone} from ${what}` },
        ];
        if (peer.kind === "group") {
          for (const dst of placed(peer.name)) {
            if (dst.id === src.id) continue;
            check(rule, [
              ...out(dst.cidr, `${dst.tier} ${dst.availabilityZone}`),
              {
                tier: dst.tier,
                egress: false,
                range,
                peer: src.cidr,
                leg: `request ${label} into ${dst.tier} ${dst.availabilityZone} from ${src.tier} ${src.availabilityZone}`,
              },
              {
                tier: dst.tier,
                egress: true,
                range: reply(range, src.tier),
                peer: src.cidr,
                leg: `reply out of ${dst.tier} ${dst.availabilityZone} to ${src.tier} ${src.availabilityZone}`,
              },
            ]);
          }
        } else if (peer.kind === "prefixList") {
          check(rule, out(OUTSIDE[peer.service], `${peer.service} (${OUTSIDE[peer.service]})`));
        } else if (peer.kind === "cidr") {
          const target = peer.cidr.endsWith("/0") ? OUTSIDE.internet : peer.cidr;
          check(rule, out(target, target));
          if (peer.cidr.endsWith("/0") && src.tier !== "public") {
            // Through the NAT gateway in a public subnet.
            for (const nat of publicSubnets.filter((p) => p.availabilityZone === src.availabilityZone).slice(0, 1)) {
              check(rule, [
                { tier: "public", egress: false, range, peer: src.cidr, leg: `NAT: request ${label} into public ${nat.availabilityZone} from ${src.tier}` },
                { tier: "public", egress: true, range, peer: target, leg: `NAT: request ${label} out of public ${nat.availabilityZone} to the internet` },
                {
                  tier: "public",
                  egress: false,
                  range: reply(range, "public"),
                  peer: target,
                  leg: `NAT: reply into public ${nat.availabilityZone} from the internet`,
                },
                {
                  tier: "public",
                  egress: true,
                  range: reply(range, src.tier),
                  peer: src.cidr,
                  leg: `NAT: reply out of public ${nat.availabilityZone} to ${src.tier}`,
                },
              ]);
            }
          }
        }
      }
    }
  }
  return blocked;
}
