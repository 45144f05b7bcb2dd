import { Testing } from "cdktf";
import { ConfigError } from "../../modules/core/errors";
import { MlVpc, type MlVpcProps } from "../../modules/network";
import { baseProps } from "../helpers";

/** Builds an MlVpc and returns the ConfigError it throws. */
function errorOf(props: MlVpcProps): ConfigError {
  try {
    Testing.synthScope((scope) => new MlVpc(scope, "network", props));
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError, but the VPC synthesized");
}

function expectIssue(props: MlVpcProps, path: string, message: RegExp, fix?: RegExp) {
  const err = errorOf(props);
  const issue = err.issues.find((i) => i.path === path);
  if (!issue) throw new Error(`no issue at ${path}; got:\n${err.message}`);
  expect(issue.message).toMatch(message);
  if (fix) expect(issue.fix).toMatch(fix);
  // The message names the construct, the field, the value and the fix.
  expect(err.message).toContain('MlVpc "');
  expect(err.message).toContain(path);
  expect(err.message).toContain("Fix:");
  return issue;
}

const tiers = baseProps().tiers;

describe("MlVpc rejects bad input at synth time", () => {
  it("malformed VPC CIDR", () => {
    expectIssue(baseProps({ cidr: "10.0.0/16" }), "cidr", /not a valid IPv4 CIDR/);
    expectIssue(baseProps({ cidr: "10.0.0.0" }), "cidr", /not IPv4 CIDR notation/);
    expectIssue(baseProps({ cidr: "10.0.1.0/16" }), "cidr", /host bits set/, /use 10\.0\.0\.0\/16/);
  });

  it("VPC prefix outside /16-/28", () => {
    expectIssue(baseProps({ cidr: "10.0.0.0/8" }), "cidr", /\/8; a VPC CIDR block must be \/16 to \/28/);
    expectIssue(baseProps({ cidr: "10.0.0.0/29" }), "cidr", /\/29/);
  });

  it("subnet prefix too small for its tier", () => {
    const issue = expectIssue(
      baseProps({ tiers: { ...tiers, private: { prefixLength: 26 } } }),
      "tiers.private.prefixLength",
      /too small for the private tier/,
      /between 16 and 24/,
    );
    expect(issue.value).toBe(26);
    expectIssue(baseProps({ tiers: { ...tiers, public: { prefixLength: 28 } } }), "tiers.public.prefixLength", /Load Balancer/);
  });

  it("subnet prefix larger than the VPC or than its slot in the plan", () => {
    expectIssue(baseProps({ tiers: { ...tiers, private: { prefixLength: 12 } } }), "tiers.private.prefixLength", /larger than any subnet/);
    expectIssue(baseProps({ tiers: { ...tiers, private: { prefixLength: 18 } } }), "tiers.private.prefixLength", /at most \/20/, /prefixLength 20/);
    expectIssue(baseProps({ cidr: "10.0.0.0/24", tiers: { isolated: { prefixLength: 24 } }, nat: "none" }), "tiers.isolated.prefixLength", /at most \/28/);
  });

  it("explicit subnet CIDR outside the VPC", () => {
    const props = baseProps({ tiers: { ...tiers, isolated: { prefixLength: 24, cidrs: { "us-east-1a": "10.1.0.0/24" } } } });
    expectIssue(props, "tiers.isolated.cidrs.us-east-1a", /outside the VPC CIDR blocks \(10\.0\.0\.0\/16\)/);
  });

  it("explicit subnet CIDR overlapping another subnet", () => {
    const props = baseProps({ tiers: { ...tiers, isolated: { prefixLength: 24, cidrs: { "us-east-1b": "10.0.64.0/24" } } } });
    expectIssue(props, "tiers.isolated.cidrs.us-east-1b", /overlaps the private subnet in us-east-1a \(10\.0\.64\.0\/20\)/);
  });

  it("explicit subnet CIDR for an AZ the tier does not span", () => {
    const props = baseProps({
      tiers: { ...tiers, training: { prefixLength: 20, availabilityZones: ["us-east-1a"], cidrs: { "us-east-1b": "10.0.208.0/20" } } },
    });
    expectIssue(props, "tiers.training.cidrs.us-east-1b", /does not span/);
  });

  it("more AZs than the plan has room for", () => {
    const azs = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e"];
    expectIssue(baseProps({ availabilityZones: azs }), "availabilityZones[4]", /slot 4.*reserves 4 slots/, /azSlots to 8/);
  });

  it("AZ not in the region, malformed, or of another region", () => {
    expectIssue(
      baseProps({ availabilityZones: ["us-east-1a", "us-east-1g"] }),
      "availabilityZones[1]",
      /not an availability zone of region us-east-1/,
      /us-east-1f/,
    );
    expectIssue(baseProps({ availabilityZones: ["us-east-1a", "eu-west-1a"] }), "availabilityZones[1]", /region us-east-1/);
    expectIssue(baseProps({ availabilityZones: ["us-east-1a", "east"] }), "availabilityZones[1]", /not an availability-zone name/);
    expectIssue(baseProps({ region: "us-east-7" }), "region", /not a known AWS region/);
  });

  it("duplicate AZ", () => {
    expectIssue(baseProps({ availabilityZones: ["us-east-1a", "us-east-1a"] }), "availabilityZones[1]", /listed twice/);
  });

  it("NAT without a public tier, and NAT with nothing to serve", () => {
    const noPublic = { private: { prefixLength: 20 } };
    expectIssue(baseProps({ nat: "perAz", tiers: noPublic }), "nat", /needs a public tier/);
    expectIssue(baseProps({ nat: "single", tiers: noPublic }), "nat", /needs a public tier/);
    expectIssue(baseProps({ nat: "single", tiers: { public: { prefixLength: 24 } } }), "nat", /serves the private tier/);
    const lopsided = { public: { prefixLength: 24, availabilityZones: ["us-east-1a"] }, private: { prefixLength: 20 } };
    expectIssue(baseProps({ nat: "perAz", tiers: lopsided }), "nat", /public subnet in us-east-1b/);
  });

  it("training natEgress without NAT, or with per-AZ NAT and a training tier it cannot follow", () => {
    const { tiers } = baseProps();
    const training = { ...tiers.training!, natEgress: true };
    expectIssue(baseProps({ nat: "none", tiers: { ...tiers, training } }), "tiers.training.natEgress", /nat is "none"/, /nat: "single"/);
    expectIssue(
      baseProps({ nat: "perAz", tiers: { ...tiers, training: { prefixLength: 20, natEgress: true } } }),
      "tiers.training.natEgress",
      /one AZ with nat "perAz".*spans us-east-1a, us-east-1b/,
    );
    const publicInA = { ...tiers.public!, availabilityZones: ["us-east-1a"] };
    const trainingInB = { ...training, availabilityZones: ["us-east-1b"] };
    expectIssue(
      baseProps({ nat: "perAz", tiers: { public: publicInA, training: trainingInB } }),
      "tiers.training.natEgress",
      /needs a NAT gateway in us-east-1b/,
    );
    // One NAT for every AZ is the single mode's documented trade-off.
    expect(() =>
      Testing.synthScope((scope) => new MlVpc(scope, "network", baseProps({ nat: "single", tiers: { ...tiers, public: publicInA, training: trainingInB } }))),
    ).not.toThrow();
  });

  it("secondary CIDRs that overlap, and tiers on blocks the VPC does not have", () => {
    expectIssue(baseProps({ secondaryCidrs: ["10.0.128.0/17"] }), "secondaryCidrs[0]", /overlaps VPC CIDR block 10\.0\.0\.0\/16/);
    expectIssue(
      baseProps({ tiers: { ...tiers, training: { prefixLength: 20, cidrBlock: "100.64.0.0/16" } } }),
      "tiers.training.cidrBlock",
      /neither the VPC CIDR/,
    );
  });

  it("flow logs to S3 without a bucket, a malformed KMS key, or an unsupported retention", () => {
    expectIssue(baseProps({ flowLogs: { destination: "s3" } }), "flowLogs.s3BucketArn", /required/);
    expectIssue(baseProps({ flowLogs: { kmsKeyArn: "my-key" } }), "flowLogs.kmsKeyArn", /not a KMS key/);
    expectIssue(baseProps({ flowLogs: { retentionDays: 10 } }), "flowLogs.retentionDays", /not a retention period/, /14, 30/);
    expectIssue(baseProps({ flowLogs: { maxAggregationIntervalSeconds: 300 } }), "flowLogs.maxAggregationIntervalSeconds", /60 or 600/);
  });

  it("unknown fields (typos) and missing tiers", () => {
    const typo = { ...baseProps(), tiers: { ...tiers, privat: { prefixLength: 20 } } } as unknown as MlVpcProps;
    expectIssue(typo, "tiers.privat", /is not a known field/, /did you mean "private"\?/);
    expectIssue(baseProps({ tiers: {}, nat: "none" }), "tiers", /no subnet tier/);
  });

  it("reports all problems of a stage together: shape (types, enums) first, then relations", () => {
    const err = errorOf(baseProps({ cidr: "10.0.0.0/8", availabilityZones: ["us-east-1a", "us-east-1a"], flowLogs: { retentionDays: 2 } }));
    expect(err.issues.map((i) => i.path).sort()).toEqual(["flowLogs.retentionDays"]);
    const semantic = errorOf(baseProps({ cidr: "10.0.0.0/8", availabilityZones: ["us-east-1a", "us-east-1a"] }));
    expect(semantic.issues.map((i) => i.path).sort()).toEqual(["availabilityZones[1]", "cidr"]);
  });
});
