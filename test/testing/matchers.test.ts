/**
 * The testing entry as a team uses it: a stack built from the modules, tested
 * with the network matchers (registered by test/setup.ts through setupJest,
 * as a user's setup file does). Every matcher is shown to pass, to fail with
 * a message that names the path or the blocking rule, and to negate.
 */
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { NetworkAclRule } from "@cdktf/provider-aws/lib/network-acl-rule";
import { MlVpc, MlVpcEndpoints, SegmentedSecurityGroups, TierNetworkAcls, suppress } from "../../modules";
import { hasMetadata, terraformJson, toReach } from "../../testing";
import { ENVIRONMENTS, MlPlatformStack } from "../../environments";
import { runPolicies } from "../../analysis";

const TAGS = { Environment: "dev", Project: "p", Owner: "o", CostCenter: "c", Compliance: "none" };

function teamStack(options: { nacls?: boolean; natEgress?: boolean } = {}) {
  const stack = new TerraformStack(Testing.app(), "team");
  new AwsProvider(stack, "aws", { region: "eu-west-1", defaultTags: [{ tags: TAGS }] });
  const network = new MlVpc(stack, "network", {
    name: "team-ml",
    cidr: "10.70.0.0/16",
    region: "eu-west-1",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    tiers: {
      public: { prefixLength: 24 },
      private: { prefixLength: 20 },
      isolated: { prefixLength: 24 },
      training: { prefixLength: 20, availabilityZones: ["eu-west-1a"] },
    },
    nat: "single",
    defaultNetworkAcl: options.nacls ? "denyAll" : "baseline",
  });
  const groups = new SegmentedSecurityGroups(stack, "security-groups", { network, internetEgress: ["notebook"] });
  new MlVpcEndpoints(stack, "endpoints", { network, securityGroupIds: [groups.ids.vpcEndpoints], interface: { services: ["sts", "sagemaker.api"] } });
  const nacls = options.nacls ? new TierNetworkAcls(stack, "nacls", { network }) : undefined;
  return { stack, network, groups, nacls };
}

describe("toReach", () => {
  const { stack } = teamStack({ nacls: true });

  it("passes for routes that exist, with the way they take", () => {
    expect(stack).toReach("training", "s3", { via: "gateway endpoint" });
    expect(stack).toReach("private", "s3", { via: "gateway endpoint" });
    expect(stack).toReach("private", "internet", { via: "nat" });
    expect(stack).toReach("private", "sts", { via: "interface endpoint" });
    expect(stack).toReach("internet", "public");
    expect(stack).not.toReach("isolated", "internet");
    expect(stack).not.toReach("training", "internet");
    expect(stack).not.toReach("internet", "private");
  });

  it("fails with what stops the traffic", () => {
    expect(() => expect(stack).toReach("isolated", "internet")).toThrow(/expected isolated to reach internet, but it does not: .*has no default route/);
    expect(() => expect(stack).toReach("private", "internet", { port: 22 })).toThrow(
      /on port 22, but it does not: request blocked by .*nacl.* \(implicit deny\)|no rule matches/,
    );
  });

  it("fails with the path when the way differs, and .not shows the path that exists", () => {
    expect(() => expect(stack).toReach("private", "internet", { via: "internet gateway" })).toThrow(/via internet gateway, but it goes .*aws_nat_gateway\./);
    expect(() => expect(stack).not.toReach("training", "s3")).toThrow(/expected training not to reach s3, but it does: .*aws_vpc_endpoint\./);
  });

  it("says which tiers and destinations exist when the question does not fit", () => {
    expect(() => expect(stack).toReach("gpu", "s3")).toThrow(/"gpu" is not a tier of this network \(tiers: public, private, isolated, training\)/);
    expect(() => expect(stack).toReach("private", "bedrock")).toThrow(/"bedrock" is not a destination \(use internet, s3, dynamodb, on-premises, .*sts/);
    expect(() => expect(stack).toReach("private", "s3", { via: "ferry" as never })).toThrow(/via "ferry" is not one of/);
  });

  it("takes the stack, the string of Testing.synth, or parsed JSON alike", () => {
    const text = Testing.synth(stack);
    expect(text).toReach("private", "s3", { via: "gateway endpoint" });
    expect(JSON.parse(text)).not.toReach("isolated", "internet");
    expect(toReach(text, "private", "sts").pass).toBe(true);
  });
});

describe("toAllowFlow", () => {
  const { stack } = teamStack({ nacls: true });

  it("passes for the matrix's flows, by role or by full name", () => {
    expect(stack).toAllowFlow("notebook", "data", 5432);
    expect(stack).toAllowFlow("team-ml-training", "team-ml-vpcEndpoints", 443);
  });

  it("fails naming the missing rule, and .not shows the rules that allow it", () => {
    expect(() => expect(stack).toAllowFlow("data", "notebook", 5432)).toThrow(/team-ml-data has no egress rule to team-ml-notebook that covers tcp 5432/);
    expect(() => expect(stack).toAllowFlow("notebook", "data", 22)).toThrow(/has no egress rule to team-ml-data that covers tcp 22/);
    expect(() => expect(stack).not.toAllowFlow("notebook", "data", 5432)).toThrow(/not to be allowed, but it is: egress aws_vpc_security_group_egress_rule\./);
    expect(() => expect(stack).toAllowFlow("notebook", "gpu", 443)).toThrow(/no security group named gpu \(groups: .*team-ml-notebook/);
  });

  it("sees a NACL that drops the flow the security groups allow", () => {
    const { stack: blocked, nacls } = teamStack({ nacls: true });
    // A deny for PostgreSQL into the isolated tier, ahead of the VPC allow (rule 100).
    new NetworkAclRule(blocked, "deny-postgres", {
      networkAclId: nacls!.acls.isolated!.id,
      ruleNumber: 90,
      egress: false,
      protocol: "tcp",
      ruleAction: "deny",
      cidrBlock: "10.70.0.0/16",
      fromPort: 5432,
      toPort: 5432,
    });
    expect(() => expect(blocked).toAllowFlow("notebook", "data", 5432)).toThrow(/blocked by .*rule 90 \(deny\)/);
  });
});

describe("toPassCompliance", () => {
  it("passes for the modules' defaults, their recorded suppressions included", () => {
    const { stack } = teamStack();
    expect(stack).toPassCompliance();
  });

  it("fails listing the findings, and says when the JSON lost its suppressions", () => {
    const { stack } = teamStack();
    const synthesized = Testing.synth(stack);
    expect(hasMetadata(JSON.parse(synthesized))).toBe(false);
    expect(hasMetadata(terraformJson(stack))).toBe(true);
    expect(() => expect(synthesized).toPassCompliance()).toThrow(
      /MLN-NACL-1 .*\n[\s\S]*no `\/\/` metadata.*pass the stack itself.*expect\(stack\), not expect\(Testing.synth\(stack\)\)/,
    );
  });

  it("runPolicies itself takes the stack, and says when JSON has lost the suppressions", () => {
    const { stack } = teamStack();
    const fromStack = runPolicies(stack);
    expect(fromStack.errors).toEqual([]);
    expect(fromStack.notes).toEqual([]);
    const fromTestingSynth = runPolicies(JSON.parse(Testing.synth(stack)));
    expect(fromTestingSynth.errors.map((f) => f.rule)).toContain("MLN-NACL-1");
    expect(fromTestingSynth.notes).toEqual([expect.stringMatching(/Testing\.synth strips it.*pass the stack itself/)]);
  });

  it("takes the policy options, such as a team's own required tags", () => {
    const { stack } = teamStack();
    expect(() => expect(stack).toPassCompliance({ requiredTags: ["Team"] })).toThrow(/MLN-TAG-1/);
    suppress(stack, "MLN-TAG-1", "tags come from the account's tag policy");
    expect(stack).toPassCompliance({ requiredTags: ["Team"] });
  });
});

describe("cdktf's matchers are typed and registered by the same setup", () => {
  it("toHaveResource works beside the network matchers", () => {
    const { stack } = teamStack();
    expect(Testing.synth(stack)).toHaveResource(Vpc);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Vpc, { cidr_block: "10.70.0.0/16" });
  });

  it("the shipped environments pass their own network expectations", () => {
    for (const env of ENVIRONMENTS) {
      const stack = new MlPlatformStack(Testing.app(), env);
      expect(stack).toPassCompliance();
      expect(stack).not.toReach("isolated", "internet");
      expect(stack).toReach("private", "s3", { via: "gateway endpoint" });
    }
  });
});
