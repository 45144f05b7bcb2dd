/**
 * A platform team's app: a new network for the team's ML work, and the
 * team's existing VPC brought under the same security groups and endpoints,
 * as two stacks in eu-west-1. Both fail synth on a compliance error.
 */
import { Construct } from "constructs";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MlVpc, MlVpcEndpoints, SegmentedSecurityGroups, type IMlNetwork } from "ml-network-cdktf";
import { enforceCompliance } from "ml-network-cdktf/analysis";

const REGION = "eu-west-1";
const TAGS = { Environment: "dev", Project: "team-ml", Owner: "ml-platform@example.com", CostCenter: "CC-4711", Compliance: "internal" };

/** The team's new network: private by default, AWS traffic through endpoints, one NAT for package installs. */
export class TeamNetworkStack extends TerraformStack {
  readonly network: MlVpc;
  readonly groups: SegmentedSecurityGroups;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: REGION, defaultTags: [{ tags: TAGS }] });
    this.network = new MlVpc(this, "network", {
      name: "team-ml",
      cidr: "10.80.0.0/16",
      region: REGION,
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      tiers: { public: { prefixLength: 24 }, private: { prefixLength: 20 }, isolated: { prefixLength: 24 } },
      nat: "single",
    });
    this.groups = new SegmentedSecurityGroups(this, "security-groups", { network: this.network, internetEgress: ["notebook"] });
    new MlVpcEndpoints(this, "endpoints", {
      network: this.network,
      securityGroupIds: [this.groups.ids.vpcEndpoints],
      interface: { services: ["essentials"] },
    });
    enforceCompliance(this);
  }
}

/**
 * The team's existing VPC, described by hand (ids from the console). Only the
 * listed subnets are touched; the gateway endpoints stay off its route tables.
 */
export const LEGACY_VPC: IMlNetwork = {
  name: "team-legacy",
  vpcId: "vpc-0a1b2c3d4e5f60718",
  region: REGION,
  vpcCidrs: ["10.90.0.0/16"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  subnets: [
    { id: "subnet-0a1b2c3d4e5f60711", tier: "private", availabilityZone: "eu-west-1a", cidr: "10.90.0.0/20", routeTableId: "rtb-0a1b2c3d4e5f60711" },
    { id: "subnet-0a1b2c3d4e5f60712", tier: "private", availabilityZone: "eu-west-1b", cidr: "10.90.16.0/20", routeTableId: "rtb-0a1b2c3d4e5f60712" },
  ],
  dnsSupport: true,
  dnsHostnames: true,
};

export class LegacyVpcStack extends TerraformStack {
  readonly groups: SegmentedSecurityGroups;

  constructor(scope: Construct, id: string, network: IMlNetwork = LEGACY_VPC) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: REGION, defaultTags: [{ tags: TAGS }] });
    this.groups = new SegmentedSecurityGroups(this, "security-groups", { network });
    new MlVpcEndpoints(this, "endpoints", {
      network,
      securityGroupIds: [this.groups.ids.vpcEndpoints],
      gateway: { s3: false, dynamodb: false },
      interface: { services: ["sts", "logs"] },
    });
    enforceCompliance(this);
  }
}

if (require.main === module) {
  const app = new App();
  new TeamNetworkStack(app, "team-ml");
  new LegacyVpcStack(app, "team-legacy");
  app.synth();
}
