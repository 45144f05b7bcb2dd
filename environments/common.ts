/**
 * What every environment shares, and the helpers that derive an environment's
 * region-specific values from its own region and AZs, so that an environment
 * file names its region once (see "Adding an environment" in
 * docs/environments.md).
 */
import { ConfigError } from "../modules/core";
import { KNOWN_REGIONS, zonesOf, type SubnetTiersProps, type TrainingTierProps } from "../modules/network";
import type { HybridDnsConfig } from "../modules/hybrid-dns";
import type { PartnerEndpointConfig } from "../modules/partner-endpoints";
import type { SecurityGroupName } from "../modules/security-groups";

/** Settings every environment shares. Plain data. */
export const COMMON_TAGS = {
  Project: "ml-platform",
  Owner: "ml-platform-team@example.com",
  CostCenter: "CC-4200",
} as const;

/** The example data centre reached over VPN (RFC 1918, disjoint from every VPC). */
export const ON_PREMISES_CIDRS = ["172.16.0.0/16"];

/**
 * Hybrid DNS with the example data centre: names of its domain go to its two
 * DNS servers (inside ON_PREMISES_CIDRS), and the environment's own ML names
 * live in a private zone, `<env>.ml.example.com`. The stack adds `inference`
 * and one record per partner endpoint to that zone. Replace the domain and
 * the addresses with yours.
 */
export function exampleHybridDns(environment: string, availabilityZones: readonly string[]): HybridDnsConfig {
  return {
    // Pinned to two AZs (the Resolver's minimum): adding an AZ to the network leaves the endpoints where they are.
    availabilityZones: availabilityZones.slice(0, 2),
    forwardRules: { corp: { domain: "corp.example.com", targets: [{ ip: "172.16.0.10" }, { ip: "172.16.0.11" }] } },
    privateZone: { name: `${environment}.ml.example.com` },
  };
}

/**
 * An example partner service reached through PrivateLink (a vendor feature
 * store): the service name is a placeholder in the format the vendor gives.
 */
export function exampleFeatureStore(region: string, callers: SecurityGroupName[]): PartnerEndpointConfig<SecurityGroupName> {
  return {
    serviceName: `com.amazonaws.vpce.${region}.vpce-svc-0f5e5a1b2c3d4e5f6`,
    purpose: "vendor feature store for training and serving",
    ports: [443],
    callers,
  };
}

/**
 * The first `count` availability zones of `region`, in letter order:
 * `regionZones("us-east-1", 2)` is us-east-1a, us-east-1b;
 * `regionZones("ap-northeast-1", 2)` is ap-northeast-1a, ap-northeast-1c
 * (that region has no b for new accounts). From the offline table of
 * modules/network (regions.ts); no API call. A letter is a name, not a
 * place: AWS maps letters to physical zones per account. List the AZs
 * yourself instead when some matter (where your GPU capacity is, say).
 * Throws a ConfigError for a region the table lacks or too few AZs.
 */
export function regionZones(region: string, count: number): string[] {
  const zones = zonesOf(region);
  const scope = `regionZones(${JSON.stringify(region)}, ${String(count)})`;
  if (!zones) {
    throw new ConfigError(scope, [{ path: "region", value: region, message: "is not a known AWS region", fix: `use one of ${KNOWN_REGIONS.join(", ")}` }]);
  }
  if (!Number.isInteger(count) || count < 1 || count > zones.length) {
    throw new ConfigError(scope, [
      {
        path: "count",
        value: count,
        message: `must be a whole number from 1 to ${zones.length}: ${region} has ${zones.join(", ")}`,
        fix: `ask for 1 to ${zones.length} AZs`,
      },
    ]);
  }
  return zones.slice(0, count);
}

/**
 * The AZ of an environment's single-AZ parts: the training tier (a cluster
 * placement group lives in one AZ), the EFA clusters in it, and interface
 * endpoints kept to one AZ. The first AZ the environment lists, so the NAT
 * gateway of a `single` NAT (which goes to the first public AZ) sits there
 * too and nothing crosses AZs.
 */
export function primaryAz(availabilityZones: readonly string[]): string {
  const first = availabilityZones[0];
  if (first === undefined) {
    throw new ConfigError("primaryAz", [
      { path: "availabilityZones", value: [], message: "is empty", fix: "list the environment's AZs, e.g. regionZones(region, 2)" },
    ]);
  }
  return first;
}

/** The training tier: /20 in the environment's primary AZ (a cluster placement group spans one AZ). */
export function trainingTier(availabilityZones: readonly string[]): TrainingTierProps & { readonly availabilityZones: string[] } {
  return { prefixLength: 20, availabilityZones: [primaryAz(availabilityZones)] };
}

/**
 * The standard ML tier layout for an environment's AZs: /24 public (NAT,
 * load balancers), /20 private (4,091 addresses for notebooks and jobs), /24
 * isolated (data stores) in every AZ, and the /20 training tier in the
 * primary AZ only.
 */
export function standardTiers(availabilityZones: readonly string[]): SubnetTiersProps {
  return {
    public: { prefixLength: 24 },
    private: { prefixLength: 20 },
    isolated: { prefixLength: 24 },
    training: trainingTier(availabilityZones),
  };
}

/**
 * AWS Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04): the public
 * SSM parameter AWS keeps pointed at the latest release. The parameter has
 * the same name in every region and is read at deploy in the stack's region,
 * so no per-region AMI id is written anywhere (an `ami: { id }` would be).
 */
export { DLAMI_GPU_PARAMETER as GPU_AMI_PARAMETER } from "../modules/blueprints";
