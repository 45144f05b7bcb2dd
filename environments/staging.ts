import type { EnvironmentConfig } from "./config";
import { COMMON_TAGS, GPU_AMI_PARAMETER, ON_PREMISES_CIDRS, exampleFeatureStore, exampleHybridDns, primaryAz, regionZones, standardTiers } from "./common";

const region = "us-east-1";
const availabilityZones = regionZones(region, 2);

/** staging: two AZs, a NAT gateway per AZ, hybrid DNS and a partner feature store, like prod but smaller. */
export const staging: EnvironmentConfig = {
  name: "staging",
  region,
  tags: { ...COMMON_TAGS, Environment: "staging", Compliance: "internal" },
  network: {
    cidr: "10.20.0.0/16",
    availabilityZones,
    tiers: standardTiers(availabilityZones),
    nat: "perAz",
    flowLogs: { retentionDays: 90 },
  },
  onPremisesCidrs: ON_PREMISES_CIDRS,
  securityGroups: {
    internetEgress: ["notebook"],
    inference: { callerGroups: ["notebook"] },
  },
  endpoints: { interface: { services: ["essentials", "monitoring", "kms", "ssm"] } },
  // The example data centre: RFC 5737 documentation address, private ASN. Replace with your device's.
  vpn: {
    customerGateways: {
      dc1: { ipAddress: "203.0.113.10", bgpAsn: 65010, deviceName: "dc1-edge-firewall" },
    },
  },
  onPremisesAccess: [
    { group: "notebook", port: 443, description: "data scientists on the corporate network open notebooks" },
    { group: "training", direction: "egress", port: 5432, description: "training reads raw data from the on-premises PostgreSQL" },
  ],
  // A small cluster to rehearse distributed jobs: one EFA per node, idle by default.
  efaClusters: {
    rehearsal: { instanceType: "g5.48xlarge", availabilityZone: primaryAz(availabilityZones), nodes: { max: 2 }, ami: { ssmParameter: GPU_AMI_PARAMETER } },
  },
  sagemaker: { notebooks: { research: {} } },
  // On-premises names resolve from the VPC, and VPC names from on-premises, through Route 53 Resolver.
  hybridDns: exampleHybridDns("staging", availabilityZones),
  partnerEndpoints: { partners: { "feature-store": exampleFeatureStore(region, ["notebook", "training"]) } },
  // Drift rules on the account's existing AWS Config recorder (landing zones provide one).
  governance: {},
};
