/**
 * Secure by default, and working by default: a network built from MlVpc's
 * defaults (plus the security groups and endpoints with theirs) passes the
 * compliance pack and its tiers reach what they need; a default NACL that
 * leaves a subnet unable to talk fails synth with the fix.
 */
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { NetworkAclAssociation } from "@cdktf/provider-aws/lib/network-acl-association";
import { NetworkAcl } from "@cdktf/provider-aws/lib/network-acl";
import { MlVpc, MlVpcEndpoints, SegmentedSecurityGroups, TierNetworkAcls, type MlVpcProps } from "../../modules";
import { analyzeReachability, buildModel, enforceCompliance, runPolicies } from "../../analysis";

const PROPS: MlVpcProps = {
  name: "team-ml",
  cidr: "10.60.0.0/16",
  region: "eu-west-1",
  availabilityZones: ["eu-west-1a", "eu-west-1b"],
  tiers: { public: { prefixLength: 24 }, private: { prefixLength: 20 }, isolated: { prefixLength: 24 } },
  nat: "single",
};

function teamStack(props: Partial<MlVpcProps> = {}, extra?: (stack: TerraformStack, network: MlVpc) => void) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "team");
  new AwsProvider(stack, "aws", {
    region: "eu-west-1",
    defaultTags: [{ tags: { Environment: "dev", Project: "p", Owner: "o", CostCenter: "c", Compliance: "none" } }],
  });
  const network = new MlVpc(stack, "network", { ...PROPS, ...props });
  const groups = new SegmentedSecurityGroups(stack, "security-groups", { network });
  new MlVpcEndpoints(stack, "endpoints", { network, securityGroupIds: [groups.ids.vpcEndpoints], interface: { services: ["sts", "sagemaker.api"] } });
  extra?.(stack, network);
  return { app, stack, network };
}

describe("MlVpc defaults", () => {
  it("pass the compliance pack: from the internet, the baseline default NACL admits only replies and path-MTU ICMP", () => {
    const { stack } = teamStack();
    const json = stack.toTerraform();
    const result = runPolicies(json);
    expect(result.errors.map((f) => `${f.rule} ${f.address}`)).toEqual([]);
    // The reply range covers 3389: accepted on the record, with its reason, as on the public tier's NACL.
    expect(result.suppressed.map((f) => f.rule)).toEqual(["MLN-NACL-1"]);
    const acl = Object.values(
      (json as { resource: Record<string, Record<string, { ingress: { cidr_block: string; from_port: number; to_port: number; protocol: string }[] }>> })
        .resource.aws_default_network_acl,
    )[0];
    const fromInternet = acl.ingress.filter((e) => e.cidr_block === "0.0.0.0/0");
    // Only replies (ephemeral ports) and path-MTU ICMP: neither covers SSH (22) nor RDP (3389).
    expect(fromInternet.map((e) => `${e.protocol} ${e.from_port}-${e.to_port}`).sort()).toEqual(["icmp 0-0", "tcp 1024-65535"]);
  });

  it("work: private compute reaches S3 through the gateway endpoint and the interface endpoints; isolated reaches nothing outside", () => {
    const { stack } = teamStack();
    const report = analyzeReachability(buildModel(stack.toTerraform() as never));
    const privateTier = report.matrix.private;
    expect(privateTier.s3.reachable).toBe(true);
    expect(privateTier.s3.path.some((p) => p.startsWith("aws_vpc_endpoint"))).toBe(true);
    expect(privateTier["endpoint sts"].reachable).toBe(true);
    expect(privateTier["endpoint sagemaker.api"].reachable).toBe(true);
    expect(privateTier["internet (outbound)"].reachable).toBe(true); // through the single NAT, port 443
    expect(report.matrix.public["internet (inbound)"].reachable).toBe(false);
    expect(report.matrix.isolated["internet (outbound)"].reachable).toBe(false);
  });

  it("allowAll (AWS's own default) is the documented opt-out that the pack rejects", () => {
    const { stack } = teamStack({ defaultNetworkAcl: "allowAll" });
    expect(runPolicies(stack.toTerraform()).errors.map((f) => f.rule)).toContain("MLN-NACL-1");
  });
});

describe('defaultNetworkAcl: "denyAll"', () => {
  it("fails synth, naming the subnets and the fix, when no NACL of its own claims them", () => {
    const { stack } = teamStack({ defaultNetworkAcl: "denyAll" });
    expect(() => stack.runAllValidations()).toThrow(
      /defaultNetworkAcl: leaves public-eu-west-1a, public-eu-west-1b, private-eu-west-1a, private-eu-west-1b, isolated-eu-west-1a, isolated-eu-west-1b on a default NACL without rules.*Fix: give every tier its own NACL \(new TierNetworkAcls/s,
    );
  });

  it("passes with TierNetworkAcls, which associate every subnet", () => {
    const { stack } = teamStack({ defaultNetworkAcl: "denyAll" }, (s, network) => new TierNetworkAcls(s, "nacls", { network }));
    expect(() => stack.runAllValidations()).not.toThrow();
    enforceCompliance(stack);
    expect(() => stack.runAllValidations()).not.toThrow();
  });

  it("counts your own NACLs, by association or by subnet_ids, and names only the subnets left", () => {
    const { stack } = teamStack({ defaultNetworkAcl: "denyAll" }, (s, network) => {
      const acl = new NetworkAcl(s, "own", {
        vpcId: network.vpcId,
        subnetIds: [network.subnetResources["public-eu-west-1a"].id, network.subnetResources["public-eu-west-1b"].id],
      });
      for (const key of ["private-eu-west-1a", "private-eu-west-1b", "isolated-eu-west-1a"]) {
        new NetworkAclAssociation(s, `own-${key}`, { networkAclId: acl.id, subnetId: network.subnetResources[key].id });
      }
    });
    expect(() => stack.runAllValidations()).toThrow(/leaves isolated-eu-west-1b on a default NACL without rules: nothing reaches or leaves that subnet/);
  });
});

describe("baseline and the NACL quota", () => {
  it("rejects more CIDR blocks than the default NACL's 20 rules per direction can hold", () => {
    const secondaryCidrs = Array.from({ length: 18 }, (_, i) => `10.${61 + i}.0.0/16`);
    expect(() => teamStack({ secondaryCidrs })).toThrow(/defaultNetworkAcl: needs 21 rules per direction for 19 CIDR blocks/);
  });
});

// Keeps the app type referenced for readers: every helper returns the app the stack lives in.
export type { App };
