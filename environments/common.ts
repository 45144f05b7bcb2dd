/** Settings every environment shares. Plain data. */
export const COMMON_TAGS = {
  Project: "ml-platform",
  Owner: "ml-platform-team@example.com",
  CostCenter: "CC-4200",
} as const;

/** The example data centre reached over VPN (RFC 1918, disjoint from every VPC). */
export const ON_PREMISES_CIDRS = ["172.16.0.0/16"];

/**
 * The standard ML tier layout: /24 public (NAT, load balancers), /20 private
 * (4,091 addresses for notebooks and jobs), /24 isolated (data stores), /20
 * training in one AZ (a cluster placement group spans one AZ).
 */
export const STANDARD_TIERS = {
  public: { prefixLength: 24 },
  private: { prefixLength: 20 },
  isolated: { prefixLength: 24 },
  training: { prefixLength: 20, availabilityZones: ["us-east-1a"] },
};

/**
 * AWS Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04): the public
 * SSM parameter AWS keeps pointed at the latest release. Resolved at deploy.
 */
export { DLAMI_GPU_PARAMETER as GPU_AMI_PARAMETER } from "../modules/blueprints";
