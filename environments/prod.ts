import { BLUEPRINTS } from "../modules/blueprints";
import { expandServices } from "../modules/endpoints";
import { fromBlueprint } from "./blueprint";
import { COMMON_TAGS, ON_PREMISES_CIDRS, exampleFeatureStore, exampleHybridDns, regionZones } from "./common";

const region = "us-east-1";
const availabilityZones = regionZones(region, 3);

/**
 * prod: the distributed-LLM architecture plus the multi-modal endpoints. Three
 * AZs, a NAT gateway per AZ (no cross-AZ dependency), flow logs aggregated
 * every 60 s for incident response and kept for a year, a Studio domain and
 * guardrails that require network isolation; hybrid DNS, Direct Connect with
 * the VPN as backup, a partner feature store over PrivateLink, and an
 * internal load balancer in front of model serving.
 */
export const prod = fromBlueprint("distributedLlm", {
  name: "prod",
  region,
  tags: { ...COMMON_TAGS, Environment: "prod", Compliance: "soc2" },
  network: {
    cidr: "10.30.0.0/16",
    availabilityZones,
    nat: "perAz",
    flowLogs: { retentionDays: 365, maxAggregationIntervalSeconds: 60 },
  },
  onPremisesCidrs: ON_PREMISES_CIDRS,
  // No internet egress: packages come from private mirrors through endpoints.
  // The inference group has no caller of its own: the load balancer below is its only way in.
  securityGroups: {},
  endpoints: {
    interface: {
      services: expandServices([
        ...BLUEPRINTS.distributedLlm.preset([]).endpoints!.interface!.services!,
        ...BLUEPRINTS.multiModal.preset([]).endpoints!.interface!.services!,
        "monitoring",
        "kms",
        "sagemaker.notebook",
      ]),
    },
  },
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
  // The blueprint's p5.48xlarge cluster (32 EFA interfaces per node), scaled to zero until a run;
  // containerized training needs the IMDS hop limit of 2.
  efaClusters: { llm: { instanceType: "p5.48xlarge", nodes: { max: 4 }, ami: BLUEPRINTS.distributedLlm.preset([]).efaClusters!.llm.ami, imdsHopLimit: 2 } },
  sagemaker: {
    notebooks: { research: { instanceType: "ml.t3.large" } },
    // Pinned to the first two AZs: adding an AZ to the network leaves the domain where it is.
    domain: { availabilityZones: availabilityZones.slice(0, 2) },
    guardrails: { requireNetworkIsolation: true },
  },
  // Drift rules on the account's existing AWS Config recorder (landing zones provide one).
  governance: {},
  hybridDns: exampleHybridDns("prod", availabilityZones),
  // Raw datasets arrive over Direct Connect; the VPN above stays as the backup path (AWS prefers the DX routes).
  directConnect: { gateway: { create: { amazonSideAsn: 64520 } } },
  partnerEndpoints: { partners: { "feature-store": exampleFeatureStore(region, ["training", "inference"]) } },
  // Model serving: an internal ALB for notebooks and on-premises applications. Replace the certificate (ACM, in the
  // environment's region) and the access-log bucket (same region, policy letting ELB write) with yours.
  inferenceIngress: {
    certificateArn: `arn:aws:acm:${region}:111122223333:certificate/8f2c1d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f`,
    accessLogs: { bucket: `ml-prod-lb-logs-111122223333-${region}`, prefix: "inference" },
    callerGroups: ["notebook"],
    callerCidrs: ON_PREMISES_CIDRS,
    deletionProtection: true,
    // Pinned like the Studio domain: a new AZ joins the load balancer only when listed here.
    availabilityZones,
  },
});
