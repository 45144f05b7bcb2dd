/**
 * Rules of the VPC's default network ACL, which holds every subnet that no
 * other NACL claims.
 *
 * `baseline` (the default) is the smallest rule set with which a network of
 * MlVpc's tiers works and the compliance pack passes: all traffic within the
 * VPC, HTTPS out to anywhere (NAT, internet gateway, and the S3 and DynamoDB
 * gateway endpoints, whose public addresses a NACL cannot name), the replies
 * to it, and path-MTU discovery. Nothing from the internet starts a
 * connection: load balancers in the public tier need TierNetworkAcls
 * (`publicIngressPorts`). NACLs are stateless, so replies need rules of their
 * own ("Control subnet traffic with network access control lists", Amazon VPC
 * user guide, docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html).
 */
import { EPHEMERAL_PORTS, ICMP_FRAGMENTATION_NEEDED, type PortRange } from "../core/ports";

/**
 * `baseline`: the rule set above. `allowAll`: AWS's own default (all traffic
 * from and to anywhere), which admits SSH and RDP from the internet and fails
 * MLN-NACL-1 of the compliance pack. `denyAll`: no rules, for when every
 * subnet is associated with a NACL of its own (TierNetworkAcls); MlVpc then
 * checks at synth that each one is.
 */
export type DefaultNetworkAclMode = "baseline" | "allowAll" | "denyAll";
/** Entries the baseline adds beside one per VPC CIDR block, in its larger direction. */
export const BASELINE_FIXED_ENTRIES = 2;

export const DEFAULT_NETWORK_ACL_MODES = ["baseline", "allowAll", "denyAll"] as const satisfies readonly DefaultNetworkAclMode[];

/** An inline entry of aws_default_network_acl. */
export interface DefaultNaclEntry {
  readonly ruleNo: number;
  readonly action: "allow";
  readonly protocol: string;
  readonly cidrBlock: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
}

const ANYWHERE = "0.0.0.0/0";
const HTTPS: PortRange = { protocol: "tcp", from: 443, to: 443 };

function entry(ruleNo: number, range: PortRange, cidrBlock: string): DefaultNaclEntry {
  if (range.protocol === "icmp") {
    // NACL ICMP entries carry type and code; the port fields stay 0.
    return { ruleNo, action: "allow", protocol: "icmp", cidrBlock, fromPort: 0, toPort: 0, icmpType: range.from, icmpCode: range.to };
  }
  if (range.protocol === "all") return { ruleNo, action: "allow", protocol: "-1", cidrBlock, fromPort: 0, toPort: 0 };
  return { ruleNo, action: "allow", protocol: range.protocol, cidrBlock, fromPort: range.from, toPort: range.to };
}

/** The inline ingress and egress entries of the default NACL for a mode. */
export function defaultNaclEntries(mode: DefaultNetworkAclMode, vpcCidrs: readonly string[]): { ingress: DefaultNaclEntry[]; egress: DefaultNaclEntry[] } {
  if (mode === "denyAll") return { ingress: [], egress: [] };
  const all: PortRange = { protocol: "all", from: 0, to: 65535 };
  if (mode === "allowAll") return { ingress: [entry(100, all, ANYWHERE)], egress: [entry(100, all, ANYWHERE)] };
  // Numbered in TierNetworkAcls' categories: 100+ the VPC's blocks, 300 replies, 310 ICMP, 400 HTTPS out.
  const vpc = vpcCidrs.map((cidr, i) => entry(100 + i, all, cidr));
  return {
    ingress: [...vpc, entry(300, EPHEMERAL_PORTS, ANYWHERE), entry(310, ICMP_FRAGMENTATION_NEEDED, ANYWHERE)],
    egress: [...vpc, entry(310, ICMP_FRAGMENTATION_NEEDED, ANYWHERE), entry(400, HTTPS, ANYWHERE)],
  };
}
