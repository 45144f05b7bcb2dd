import type { EnvironmentConfig } from "./config";
import { COMMON_TAGS, GPU_AMI_PARAMETER, ON_PREMISES_CIDRS, STANDARD_TIERS } from "./common";

/**
 * prod: three AZs, a NAT gateway per AZ (no cross-AZ dependency), flow logs
 * aggregated every 60 s for incident response and kept for a year.
 */
export const prod: EnvironmentConfig = {
  name: "prod",
  region: "us-east-1",
  tags: { ...COMMON_TAGS, Environment: "prod", Compliance: "soc2" },
  network: {
    cidr: "10.30.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    tiers: STANDARD_TIERS,
    nat: "perAz",
    flowLogs: { retentionDays: 365, maxAggregationIntervalSeconds: 60 },
  },
  onPremisesCidrs: ON_PREMISES_CIDRS,
  // No internet egress: packages come from private mirrors through endpoints.
  securityGroups: {
    inference: { callerGroups: ["notebook"] },
  },
  endpoints: { interface: { services: ["essentials", "monitoring", "kms", "ssm", "sagemaker.notebook"] } },
  // The example data centre: RFC 5737 documentation address, private ASN. Replace with your device's.
  vpn: {
    customerGateways: {
      dc1: { ipAddress: "203.0.113.10", bgpAsn: 65010, deviceName: "dc1-edge-firewall", tunnelInsideCidrs: ["169.254.20.0/30", "169.254.20.4/30"] },
    },
  },
  onPremisesAccess: [
    { group: "notebook", port: 443, description: "data scientists on the corporate network open notebooks" },
    { group: "training", direction: "egress", port: 5432, description: "training reads raw data from the on-premises PostgreSQL" },
  ],
  // LLM training: p5.48xlarge with 32 EFA interfaces each; scaled to zero until a run.
  efaClusters: {
    llm: { instanceType: "p5.48xlarge", availabilityZone: "us-east-1a", nodes: { max: 4 }, ami: { ssmParameter: GPU_AMI_PARAMETER }, imdsHopLimit: 2 },
  },
};
