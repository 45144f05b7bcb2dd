/**
 * The CIDR plan: where every subnet of every tier and AZ sits.
 *
 * The primary VPC CIDR is cut into four equal tier blocks in a fixed order
 * (public, private, isolated, training), whether or not a tier is configured.
 * Each tier block is cut into `azSlots` equal AZ blocks, and an AZ always
 * takes the block of its letter (a=0, b=1, ...). A subnet is the first
 * `prefixLength` range of its AZ block. A tier placed on a secondary CIDR owns
 * that whole block, cut into AZ blocks the same way.
 *
 * Every CIDR therefore depends only on the tier name, the AZ letter and the
 * tier's prefix length: adding an AZ or a tier never moves an existing subnet.
 * The rest of each AZ block stays free for growth.
 *
 * Example, 10.0.0.0/16 with 4 AZ slots: tier blocks are /18, AZ blocks /20;
 * public /24 in us-east-1b is 10.0.16.0/24, private /20 in us-east-1a is
 * 10.0.64.0/20.
 */
import { firstSubnet, nthBlock, prefixOf, within } from "../core/cidr";
import { azSlot } from "./regions";
import { SUBNET_TIERS, type ResolvedMlVpcProps, type SubnetTier } from "./schema";

/** Fixed position of each tier's block in the primary CIDR. Never reorder. */
export const TIER_BLOCK_INDEX: Readonly<Record<SubnetTier, number>> = {
  public: 0,
  private: 1,
  isolated: 2,
  training: 3,
};
/** The primary CIDR holds 2^2 = 4 tier blocks. */
export const TIER_BLOCK_BITS = 2;

export interface PlannedSubnet {
  readonly tier: SubnetTier;
  readonly availabilityZone: string;
  readonly cidr: string;
  /** `planned` from the slots above, or `explicit` from `tiers.<tier>.cidrs`. */
  readonly origin: "planned" | "explicit";
  /** The VPC CIDR block the subnet belongs to. */
  readonly vpcCidrBlock: string;
}

/** AZs a tier spans: its own list, or every AZ of the VPC. */
export function tierAzs(props: ResolvedMlVpcProps, tier: SubnetTier): string[] {
  return props.tiers[tier]?.availabilityZones ?? props.availabilityZones;
}

/** Block a tier is carved from, and the prefix length of that block. */
export function tierBlock(props: ResolvedMlVpcProps, tier: SubnetTier): { cidr: string; source: string } {
  const source = props.tiers[tier]?.cidrBlock ?? props.cidr;
  if (source !== props.cidr) return { cidr: source, source };
  return { cidr: nthBlock(props.cidr, TIER_BLOCK_BITS, TIER_BLOCK_INDEX[tier]), source };
}

export function azSlotBits(props: ResolvedMlVpcProps): number {
  return Math.log2(props.azSlots);
}

/** The largest subnet (smallest prefix length) a tier can plan. */
export function largestPlannablePrefix(props: ResolvedMlVpcProps, tier: SubnetTier): number {
  return prefixOf(tierBlock(props, tier).cidr) + azSlotBits(props);
}

/** The planned CIDR of one tier in one AZ, ignoring explicit overrides. */
export function plannedCidr(props: ResolvedMlVpcProps, tier: SubnetTier, az: string): string {
  const tierCfg = props.tiers[tier];
  if (!tierCfg) throw new Error(`tier ${tier} is not configured`);
  const azBlock = nthBlock(tierBlock(props, tier).cidr, azSlotBits(props), azSlot(az));
  return firstSubnet(azBlock, tierCfg.prefixLength);
}

/** Every subnet of the VPC, by tier (fixed order) then AZ (configured order). Assumes validated props. */
export function planSubnets(props: ResolvedMlVpcProps): PlannedSubnet[] {
  const vpcBlocks = [props.cidr, ...props.secondaryCidrs];
  const result: PlannedSubnet[] = [];
  for (const tier of SUBNET_TIERS) {
    const tierCfg = props.tiers[tier];
    if (!tierCfg) continue;
    for (const az of tierAzs(props, tier)) {
      const explicit = tierCfg.cidrs?.[az];
      const cidr = explicit ?? plannedCidr(props, tier, az);
      const vpcCidrBlock = vpcBlocks.find((block) => within(cidr, block)) ?? props.cidr;
      result.push({ tier, availabilityZone: az, cidr, origin: explicit ? "explicit" : "planned", vpcCidrBlock });
    }
  }
  return result;
}
