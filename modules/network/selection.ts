/**
 * The one way to pick subnets of a network (like AWS CDK's SubnetSelection):
 * by tier, by AZ, one per AZ. Every module that places something in subnets or
 * attaches to their route tables goes through `selectSubnets`, and the tier
 * lists (public, non-public, compute) are defined here once.
 */
import type { IMlNetwork, NetworkSubnet } from "./index";
import { SUBNET_TIERS, type ResolvedMlVpcProps, type SubnetTier } from "./schema";
import { planSubnets, tierAzs } from "./cidr-plan";

/** Named groups of tiers. */
export const TIER_GROUPS = {
  /** Every tier. */
  all: SUBNET_TIERS,
  /** NAT gateways and load balancers: the only tier with a route to the internet gateway. */
  public: ["public"],
  /** Every tier without a route to the internet gateway. */
  nonPublic: ["private", "isolated", "training"],
  /** Where ML workloads run: notebooks, jobs, inference, training nodes. */
  compute: ["private", "training"],
} as const satisfies Record<string, readonly SubnetTier[]>;

export interface SubnetSelection {
  /** Tiers to select from. @default - every tier */
  readonly tiers?: readonly SubnetTier[];
  /** Only subnets in these AZs. @default - every AZ */
  readonly availabilityZones?: readonly string[];
  /** At most one subnet per AZ: the first in the network's order. @default false */
  readonly onePerAz?: boolean;
}

/** What a selection yields, in the network's subnet order. */
export interface SelectedSubnets {
  readonly subnets: readonly NetworkSubnet[];
  readonly subnetIds: string[];
  /** Distinct AZs of the selected subnets, in order. */
  readonly availabilityZones: string[];
  /** Distinct route tables of the selected subnets, each with a stable name for construct ids. */
  readonly routeTables: { readonly id: string; readonly name: string; readonly tier: SubnetTier }[];
  /** Distinct tiers of the selected subnets, in SUBNET_TIERS order. */
  readonly tiers: SubnetTier[];
}

/** Selects subnets of a network (MlVpc or any IMlNetwork). */
export function selectSubnets(network: IMlNetwork, selection: SubnetSelection = {}): SelectedSubnets {
  const seenAz = new Set<string>();
  const subnets = network.subnets.filter((s) => {
    if (selection.tiers && !selection.tiers.includes(s.tier)) return false;
    if (selection.availabilityZones && !selection.availabilityZones.includes(s.availabilityZone)) return false;
    if (selection.onePerAz) {
      if (seenAz.has(s.availabilityZone)) return false;
      seenAz.add(s.availabilityZone);
    }
    return true;
  });
  const tables = new Map<string, { id: string; name: string; tier: SubnetTier }>();
  for (const s of subnets) {
    if (!tables.has(s.routeTableId))
      tables.set(s.routeTableId, { id: s.routeTableId, name: s.routeTableName ?? `${s.tier}-${s.availabilityZone}`, tier: s.tier });
  }
  return {
    subnets,
    subnetIds: subnets.map((s) => s.id),
    availabilityZones: [...new Set(subnets.map((s) => s.availabilityZone))],
    routeTables: [...tables.values()],
    tiers: SUBNET_TIERS.filter((t) => subnets.some((s) => s.tier === t)),
  };
}

/** AZs per tier present, for validators that only need the layout. */
export function tierLayout(network: IMlNetwork): Partial<Record<SubnetTier, string[]>> {
  return Object.fromEntries(selectSubnets(network).tiers.map((t) => [t, selectSubnets(network, { tiers: [t] }).availabilityZones]));
}

/**
 * The network MlVpc will build from resolved props, before it exists: its
 * subnets with placeholder ids (`<tier>-<az>`), so configuration checks can
 * select subnets the same way the modules will.
 */
export function plannedNetwork(props: ResolvedMlVpcProps): IMlNetwork {
  // The CIDRs come from the plan when the props allow one; the layout (tiers, AZs, route tables) always.
  let cidrs = new Map<string, string>();
  try {
    cidrs = new Map(planSubnets(props).map((s) => [`${s.tier}-${s.availabilityZone}`, s.cidr]));
  } catch {
    // Invalid CIDRs are reported by validateMlVpc; the layout is still known.
  }
  const subnets: NetworkSubnet[] = SUBNET_TIERS.filter((t) => props.tiers[t]).flatMap((tier) =>
    tierAzs(props, tier).map((az) => {
      const table = tier === "private" ? `private-${az}` : tier;
      return { id: `${tier}-${az}`, tier, availabilityZone: az, cidr: cidrs.get(`${tier}-${az}`) ?? "", routeTableId: `rt-${table}`, routeTableName: table };
    }),
  );
  return {
    name: props.name,
    vpcId: "planned",
    region: props.region,
    vpcCidrs: [props.cidr, ...props.secondaryCidrs],
    availabilityZones: props.availabilityZones,
    subnets,
    dnsSupport: true,
    dnsHostnames: true,
  };
}
