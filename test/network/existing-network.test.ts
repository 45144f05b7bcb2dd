/**
 * Existing VPCs are not trusted blindly: a plain network object handed to
 * the modules is checked like MlVpc props before anything is placed in it.
 */
import { TerraformStack, Testing } from "cdktf";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ConfigError, MlVpc, SegmentedSecurityGroups, SiteToSiteVpn, TierNetworkAcls, networkIssues, type IMlNetwork } from "../../modules";

const EXISTING: IMlNetwork = {
  name: "legacy-ml",
  vpcId: "vpc-0123456789abcdef0",
  region: "eu-west-1",
  vpcCidrs: ["10.50.0.0/16"],
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  subnets: [
    { id: "subnet-0aaaaaaaaaaaaaaa1", tier: "private", availabilityZone: "eu-west-1a", cidr: "10.50.0.0/20", routeTableId: "rtb-0aaaaaaaaaaaaaaa1" },
    { id: "subnet-0bbbbbbbbbbbbbbb2", tier: "private", availabilityZone: "eu-west-1b", cidr: "10.50.16.0/20", routeTableId: "rtb-0bbbbbbbbbbbbbbb2" },
    { id: "subnet-1234abcd", tier: "isolated", availabilityZone: "eu-west-1a", cidr: "10.50.64.0/24", routeTableId: "rtb-1234abcd" },
  ],
  dnsSupport: true,
  dnsHostnames: true,
};

const describeIssues = (network: IMlNetwork) => networkIssues(network).map((i) => `${i.path}: ${i.message}`);

describe("networkIssues on an existing VPC", () => {
  it("accepts a well-formed network, with short (8) and long (17) ids", () => {
    expect(describeIssues(EXISTING)).toEqual([]);
  });

  it("finds an AZ of another region, a subnet outside the VPC, a subnet in an AZ the network does not list", () => {
    const bad: IMlNetwork = {
      ...EXISTING,
      availabilityZones: ["eu-west-1a", "us-east-1b"],
      subnets: [
        { ...EXISTING.subnets[0], cidr: "10.60.0.0/20" },
        { ...EXISTING.subnets[1], availabilityZone: "eu-west-1c" },
      ],
    };
    expect(describeIssues(bad)).toEqual([
      "availabilityZones[1]: is not an availability zone of region eu-west-1",
      "subnets[0].cidr: lies outside the VPC CIDR blocks (10.50.0.0/16)",
      "subnets[1].availabilityZone: is not one of the network's availabilityZones",
    ]);
  });

  it("judges ids by shape, tiers by name, CIDRs by form and overlap, and each subnet once", () => {
    const bad: IMlNetwork = {
      ...EXISTING,
      vpcId: "vpc-123",
      subnets: [
        { ...EXISTING.subnets[0], id: "sub-0aaaaaaaaaaaaaaa1", routeTableId: "rt-1" },
        { ...EXISTING.subnets[1], id: "subnet-0aaaaaaaaaaaaaaa1", tier: "gpu" as never, cidr: "10.50.8.0/21" },
        { ...EXISTING.subnets[2], cidr: "10.50.64.1/24" },
      ],
    };
    expect(describeIssues(bad)).toEqual([
      "vpcId: is not a VPC id",
      "subnets[0].id: is not a subnet id",
      "subnets[0].routeTableId: is not a route table id",
      "subnets[1].tier: is not a subnet tier",
      "subnets[1].cidr: overlaps subnets[0] (10.50.0.0/20)",
      expect.stringMatching(/^subnets\[2\]\.cidr: .*/),
    ]);
    const dup = networkIssues({ ...EXISTING, subnets: [EXISTING.subnets[0], EXISTING.subnets[0]] });
    expect(dup.map((i) => i.message)).toContain("is the same subnet as subnets[0]");
  });

  it("does not judge tokens: references to a data source resolve at deploy time", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const vpc = new DataAwsVpc(stack, "vpc", { id: "vpc-0123456789abcdef0" });
    expect(describeIssues({ ...EXISTING, vpcId: vpc.id, vpcCidrs: [vpc.cidrBlock] })).toEqual([]);
  });

  it("passes MlVpc, whose ids are tokens and whose props were checked already", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    const vpc = new MlVpc(stack, "net", {
      name: "ml-x",
      cidr: "10.9.0.0/16",
      region: "eu-west-1",
      availabilityZones: ["eu-west-1a"],
      tiers: { private: { prefixLength: 20 } },
    });
    expect(describeIssues(vpc)).toEqual([]);
  });
});

describe("the modules check the network before they place anything", () => {
  const bad: IMlNetwork = { ...EXISTING, subnets: [{ ...EXISTING.subnets[0], cidr: "10.60.0.0/20" }] };
  const build = (make: (stack: TerraformStack, network: IMlNetwork) => void) => () => {
    const stack = new TerraformStack(Testing.app(), "t");
    make(stack, bad);
  };

  it.each([
    ["SegmentedSecurityGroups", build((s, network) => new SegmentedSecurityGroups(s, "sg", { network }))],
    ["TierNetworkAcls", build((s, network) => new TierNetworkAcls(s, "nacls", { network }))],
    [
      "SiteToSiteVpn",
      build(
        (s, network) =>
          new SiteToSiteVpn(s, "vpn", { network, onPremisesCidrs: ["172.16.0.0/16"], customerGateways: { dc1: { ipAddress: "203.0.113.10", bgpAsn: 65010 } } }),
      ),
    ],
  ])("%s throws a ConfigError at network.subnets[0].cidr", (kind, make) => {
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(
      new RegExp(
        `${kind} "t/\\w+".*\\n\\s+- network\\.subnets\\[0\\]\\.cidr: lies outside the VPC CIDR blocks \\(10\\.50\\.0\\.0/16\\) \\(got "10\\.60\\.0\\.0/20"\\)`,
      ),
    );
  });
});
