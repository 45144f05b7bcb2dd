import { TerraformStack, Testing } from "cdktf";
import { DefaultNetworkAcl } from "@cdktf/provider-aws/lib/default-network-acl";
import { DefaultRouteTable } from "@cdktf/provider-aws/lib/default-route-table";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcIpv4CidrBlockAssociation } from "@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association";
import { MlVpc, TIER_GROUPS, plannedNetwork, selectSubnets } from "../../modules/network";
import { allResources, baseProps, byPath, ref, resourceList, resources, synthVpc } from "../helpers";

describe("MlVpc: VPC and defaults", () => {
  const { text, json } = synthVpc(baseProps());

  it("turns on DNS support and DNS hostnames (interface endpoints need both)", () => {
    expect(text).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.0.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: "ml-test-vpc" },
    });
  });

  it("manages the default security group with no rules at all", () => {
    const [sg] = resourceList(json, "aws_default_security_group");
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toEqual([]);
    expect(text).toHaveResource(DefaultSecurityGroup);
  });

  it("manages the default NACL and the main route table, which keeps no routes", () => {
    expect(text).toHaveResource(DefaultNetworkAcl);
    expect(text).toHaveResourceWithProperties(DefaultRouteTable, { route: [] });
  });

  it("creates no secondary CIDR association unless asked", () => {
    expect(text).not.toHaveResource(VpcIpv4CidrBlockAssociation);
  });

  it("associates secondary CIDRs and creates their subnets after the association", () => {
    const props = baseProps({
      secondaryCidrs: ["100.64.0.0/16"],
      tiers: { ...baseProps().tiers, training: { prefixLength: 18, cidrBlock: "100.64.0.0/16", availabilityZones: ["us-east-1a"] } },
    });
    const out = synthVpc(props);
    expect(out.text).toHaveResourceWithProperties(VpcIpv4CidrBlockAssociation, { cidr_block: "100.64.0.0/16" });
    const assoc = byPath(out.json, "aws_vpc_ipv4_cidr_block_association", "cidr-100-64-0-0-16");
    const training = byPath(out.json, "aws_subnet", "subnet-training-us-east-1a").body;
    expect(training.cidr_block).toBe("100.64.0.0/18");
    expect(training.depends_on).toEqual([`aws_vpc_ipv4_cidr_block_association.${assoc.name}`]);
  });
});

describe("MlVpc: subnet tiers", () => {
  it("creates one subnet per tier per AZ, named and tagged by tier", () => {
    const { json } = synthVpc(baseProps());
    const subnets = resourceList(json, "aws_subnet");
    // public, private, isolated in a and b; training in a only.
    expect(subnets).toHaveLength(7);
    const names = subnets.map((s) => (s.tags as Record<string, string>).Name).sort();
    expect(names).toEqual([
      "ml-test-isolated-us-east-1a",
      "ml-test-isolated-us-east-1b",
      "ml-test-private-us-east-1a",
      "ml-test-private-us-east-1b",
      "ml-test-public-us-east-1a",
      "ml-test-public-us-east-1b",
      "ml-test-training-us-east-1a",
    ]);
    for (const s of subnets) expect((s.tags as Record<string, string>).Tier).toBeDefined();
  });

  it("never auto-assigns public IPs, not even in the public tier, unless opted in", () => {
    const { json } = synthVpc(baseProps());
    for (const s of resourceList(json, "aws_subnet")) expect(s.map_public_ip_on_launch).toBe(false);

    const optedIn = synthVpc(baseProps({ tiers: { ...baseProps().tiers, public: { prefixLength: 24, mapPublicIpOnLaunch: true } } }));
    for (const s of resourceList(optedIn.json, "aws_subnet")) {
      const tier = (s.tags as Record<string, string>).Tier;
      expect(s.map_public_ip_on_launch).toBe(tier === "public");
    }
  });

  it("puts every tier's subnet in the AZ it is named after", () => {
    const { json } = synthVpc(baseProps());
    for (const s of resourceList(json, "aws_subnet")) {
      expect((s.tags as Record<string, string>).Name.endsWith(s.availability_zone as string)).toBe(true);
    }
  });

  it("supports any subset of tiers", () => {
    const { text, json } = synthVpc(baseProps({ nat: "none", tiers: { isolated: { prefixLength: 24 } } }));
    expect(resourceList(json, "aws_subnet")).toHaveLength(2);
    expect(text).not.toHaveResource(InternetGateway);
  });
});

describe("MlVpc: internet gateway and NAT", () => {
  it("creates an internet gateway only when a public tier exists", () => {
    expect(synthVpc(baseProps()).text).toHaveResource(InternetGateway);
    expect(synthVpc(baseProps({ nat: "none", tiers: { private: { prefixLength: 20 } } })).text).not.toHaveResource(InternetGateway);
  });

  it("nat none: no NAT gateway, no EIP, no default route from private subnets", () => {
    const { json } = synthVpc(baseProps({ nat: "none" }));
    expect(resourceList(json, "aws_nat_gateway")).toHaveLength(0);
    expect(resourceList(json, "aws_eip")).toHaveLength(0);
    const routes = resourceList(json, "aws_route");
    expect(routes).toHaveLength(1); // the public route to the internet gateway
    expect(routes[0].gateway_id).toBeDefined();
  });

  it("nat single: one NAT with its own EIP in the first public subnet, used by every private AZ", () => {
    const { json } = synthVpc(baseProps({ nat: "single" }));
    const nats = Object.entries(resources(json, "aws_nat_gateway"));
    expect(nats).toHaveLength(1);
    const publicA = byPath(json, "aws_subnet", "subnet-public-us-east-1a");
    const eip = byPath(json, "aws_eip", "nat-eip-us-east-1a");
    expect(nats[0][1]).toMatchObject({
      subnet_id: ref("aws_subnet", publicA.name),
      allocation_id: ref("aws_eip", eip.name, "allocation_id"),
      connectivity_type: "public",
    });
    expect(eip.body.domain).toBe("vpc");
    for (const az of ["us-east-1a", "us-east-1b"]) {
      const rt = byPath(json, "aws_route_table", `rt-private-${az}`);
      const route = byPath(json, "aws_route", `rt-private-${az}-default`).body;
      expect(route).toMatchObject({
        route_table_id: ref("aws_route_table", rt.name),
        destination_cidr_block: "0.0.0.0/0",
        nat_gateway_id: ref("aws_nat_gateway", nats[0][0]),
      });
    }
  });

  it("nat perAz: each private route table points at the NAT of its own AZ, each NAT in its AZ's public subnet", () => {
    const azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    const { text, json } = synthVpc(baseProps({ availabilityZones: azs }));
    expect(resourceList(json, "aws_nat_gateway")).toHaveLength(3);
    expect(resourceList(json, "aws_eip")).toHaveLength(3);
    for (const az of azs) {
      const nat = byPath(json, "aws_nat_gateway", `nat-${az}`);
      const publicSubnet = byPath(json, "aws_subnet", `subnet-public-${az}`);
      expect(nat.body.subnet_id).toBe(ref("aws_subnet", publicSubnet.name));
      const route = byPath(json, "aws_route", `rt-private-${az}-default`).body;
      expect(route.nat_gateway_id).toBe(ref("aws_nat_gateway", nat.name));
      expect(route.route_table_id).toBe(ref("aws_route_table", byPath(json, "aws_route_table", `rt-private-${az}`).name));
    }
    expect(text).toHaveResourceWithProperties(NatGateway, { tags: { Name: "ml-test-nat-us-east-1c" } });
  });
});

describe("MlVpc: route tables", () => {
  const { json } = synthVpc(baseProps());

  it("shares one public route table whose only route goes to the internet gateway", () => {
    const rt = byPath(json, "aws_route_table", "rt-public");
    const igw = Object.keys(resources(json, "aws_internet_gateway"))[0];
    const routes = resourceList(json, "aws_route").filter((r) => r.route_table_id === ref("aws_route_table", rt.name));
    expect(routes).toEqual([expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway", igw) })]);
  });

  it("gives isolated and training tables no route at all (no route out of the VPC)", () => {
    for (const tier of ["isolated", "training"]) {
      const rt = byPath(json, "aws_route_table", `rt-${tier}`);
      expect(resourceList(json, "aws_route").filter((r) => r.route_table_id === ref("aws_route_table", rt.name))).toHaveLength(0);
      expect(rt.body.route).toBeUndefined();
    }
  });

  it("routes the training tier through the NAT of its AZ only with natEgress, adding one route and changing nothing else", () => {
    const tiers = baseProps().tiers;
    const opted = synthVpc(baseProps({ tiers: { ...tiers, training: { ...tiers.training!, natEgress: true } } })).json;
    const rt = byPath(opted, "aws_route_table", "rt-training");
    const nat = byPath(opted, "aws_nat_gateway", "nat-us-east-1a");
    const routes = resourceList(opted, "aws_route").filter((r) => r.route_table_id === ref("aws_route_table", rt.name));
    expect(routes).toEqual([expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", nat_gateway_id: ref("aws_nat_gateway", nat.name) })]);
    const before = allResources(json);
    const after = allResources(opted);
    for (const [address, body] of before) expect({ address, body: after.get(address) }).toEqual({ address, body });
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual([expect.stringMatching(/^aws_route\.network_rt-training-default_/)]);
  });

  it("associates every subnet explicitly with exactly one route table of its own tier", () => {
    const subnets = resources(json, "aws_subnet");
    const assocs = resourceList(json, "aws_route_table_association");
    expect(assocs).toHaveLength(Object.keys(subnets).length);
    for (const [name, subnet] of Object.entries(subnets)) {
      const mine = assocs.filter((a) => a.subnet_id === ref("aws_subnet", name));
      expect(mine).toHaveLength(1);
      const tableName = /aws_route_table\.([^.]+)\.id/.exec(mine[0].route_table_id as string)![1];
      const table = resources(json, "aws_route_table")[tableName];
      expect((table.tags as Record<string, string>).Tier).toBe((subnet.tags as Record<string, string>).Tier);
    }
  });
});

describe("MlVpc: the IMlNetwork handle", () => {
  it("exposes subnets and route tables by tier and AZ for other modules", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const vpc = new MlVpc(stack, "network", baseProps({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] }));
    expect(vpc.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(vpc.vpcCidrs).toEqual(["10.0.0.0/16"]);
    expect(vpc.dnsSupport && vpc.dnsHostnames).toBe(true);
    expect(vpc.selectSubnets({ tiers: ["private"] }).subnets.map((s) => [s.availabilityZone, s.cidr])).toEqual([
      ["us-east-1a", "10.0.64.0/20"],
      ["us-east-1b", "10.0.80.0/20"],
      ["us-east-1c", "10.0.96.0/20"],
    ]);
    expect(selectSubnets(vpc, { tiers: ["training"] }).subnetIds).toHaveLength(1);
    // private: one table per AZ; isolated and training: one shared table each.
    expect(vpc.selectSubnets({ tiers: ["private"] }).routeTables).toHaveLength(3);
    expect(selectSubnets(vpc, { tiers: ["isolated", "training"] }).routeTables.map((t) => t.name)).toEqual(["isolated", "training"]);
    expect(selectSubnets(vpc, { tiers: TIER_GROUPS.compute, availabilityZones: ["us-east-1b"] }).subnets.map((s) => s.tier)).toEqual(["private"]);
    expect(selectSubnets(vpc, { tiers: TIER_GROUPS.nonPublic, onePerAz: true }).availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(selectSubnets(vpc, { tiers: TIER_GROUPS.nonPublic, onePerAz: true }).subnets).toHaveLength(3);
    expect(selectSubnets(vpc).tiers).toEqual(["public", "private", "isolated", "training"]);
    expect(Object.keys(vpc.natGateways)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
  });

  it("the planned network the configuration checks select from matches the network MlVpc builds", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const vpc = new MlVpc(stack, "network", baseProps());
    const planned = plannedNetwork(vpc.config);
    const shape = (subnets: readonly { tier: string; availabilityZone: string; cidr: string; routeTableName?: string }[]) =>
      subnets.map((s) => `${s.tier} ${s.availabilityZone} ${s.cidr} ${s.routeTableName}`);
    expect(shape(planned.subnets)).toEqual(shape(vpc.subnets));
  });

  it("exports Subnet ids that resolve to the synthesized subnets", () => {
    const text = Testing.synthScope((scope) => {
      const vpc = new MlVpc(scope, "network", baseProps());
      expect(vpc.subnetResources["private-us-east-1a"]).toBeInstanceOf(Subnet);
    });
    expect(text).toHaveResource(Subnet);
  });
});
