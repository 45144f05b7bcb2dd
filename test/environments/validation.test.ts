import { EnvironmentConfigError, dev, prod, resolveEnvironment, resolveEnvironments, staging, type EnvironmentConfig } from "../../environments";
import type { ConfigIssue } from "../../modules/core/errors";
import { zonesOf } from "../../modules/network";
import { environmentIssues } from "../helpers";

function issuesOf(envs: EnvironmentConfig[]): Map<string, ConfigIssue[]> {
  try {
    resolveEnvironments(envs);
  } catch (err) {
    if (!(err instanceof EnvironmentConfigError)) throw err;
    return new Map(err.errors.map((e) => [e.scope, [...e.issues]]));
  }
  throw new Error("expected the environments to be rejected");
}

function expectEnvIssue(envs: EnvironmentConfig[], env: string, path: string, message: RegExp) {
  const byEnv = issuesOf(envs);
  const issues = byEnv.get(`environment "${env}"`);
  if (!issues) throw new Error(`environment ${env} has no issue; got ${[...byEnv.keys()].join(", ")}`);
  const issue = issues.find((i) => i.path === path);
  if (!issue) throw new Error(`no issue at ${path}; got ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  expect(issue.message).toMatch(message);
  expect(issue.fix.length).toBeGreaterThan(5);
  return issue;
}

const withTags = (env: EnvironmentConfig, tags: Record<string, string>): EnvironmentConfig => ({ ...env, tags });

describe("environment validation", () => {
  it("a missing or empty required tag names the tag and the tagging strategy", () => {
    const { Owner: _owner, ...noOwner } = dev.tags;
    const issue = expectEnvIssue([withTags(dev, noOwner)], "dev", "tags.Owner", /required tag is missing/);
    expect(issue.fix).toMatch(/Environment, Project, Owner, CostCenter, Compliance/);
    expectEnvIssue([withTags(dev, { ...dev.tags, Compliance: " " })], "dev", "tags.Compliance", /missing or empty/);
  });

  it("governance in a region without one of its AWS Config rules asks for the rule to be excluded", () => {
    const zurich = { ...staging, region: "eu-central-2", network: { ...staging.network, availabilityZones: ["eu-central-2a", "eu-central-2b"] } };
    const issue = expectEnvIssue([zurich], "staging", "governance.exclude", /SAGEMAKER_DOMAIN_IN_VPC in eu-central-2/);
    expect(issue.fix).toBe('add "sagemaker-domain-in-vpc" to exclude');
  });

  it("overlapping environment CIDRs are reported on the later environment, naming the earlier", () => {
    const clash = { ...staging, network: { ...staging.network, cidr: "10.10.0.0/16" } };
    const issue = expectEnvIssue([dev, clash, prod], "staging", "network.cidr", /overlaps environment "dev" \(VPC CIDR 10\.10\.0\.0\/16\)/);
    expect(issue.value).toBe("10.10.0.0/16");
    const secondary = { ...staging, network: { ...staging.network, secondaryCidrs: ["10.30.0.0/16"] } };
    expectEnvIssue([dev, prod, secondary], "staging", "network.secondaryCidrs[0]", /overlaps environment "prod"/);
  });

  it("a VPC that overlaps another environment's on-premises range is rejected", () => {
    const onPremClash = { ...dev, network: { ...dev.network, cidr: "172.16.0.0/16" } };
    expectEnvIssue([onPremClash, staging, prod], "staging", "onPremisesCidrs[0]", /overlaps the VPC CIDR 172\.16\.0\.0\/16 of environment "dev"/);
  });

  it("an on-premises range that overlaps the environment's own VPC is rejected", () => {
    expectEnvIssue([{ ...prod, onPremisesCidrs: ["10.30.8.0/24"] }], "prod", "onPremisesCidrs[0]", /overlaps this environment's VPC CIDR/);
  });

  it("network errors carry the network. prefix and the environment name", () => {
    const [own] = prod.network.availabilityZones;
    const foreign = prod.region === "us-west-2" ? "eu-west-1a" : "us-west-2a";
    const bad = { ...prod, network: { ...prod.network, availabilityZones: [own, foreign] } };
    expect(() => resolveEnvironment(bad)).toThrow(
      new RegExp(
        `environment "prod"[\\s\\S]*network\\.availabilityZones\\[1\\]: is not an availability zone of region ${prod.region} \\(got "${foreign}"\\)\\. Fix: use one of ${zonesOf(prod.region)![0]}`,
      ),
    );
  });

  it("an unknown region, a duplicate environment name, a bad bucket and an absolute state path", () => {
    expectEnvIssue([{ ...dev, region: "us-east-9" }], "dev", "region", /not a known AWS region/);
    expectEnvIssue([dev, { ...staging, name: "dev" }], "dev", "name", /used by another environment/);
    expectEnvIssue([{ ...dev, backend: { type: "s3", bucket: "Bad_Bucket", region: "us-east-1" } }], "dev", "backend.bucket", /not a valid S3 bucket name/);
    expectEnvIssue([{ ...dev, backend: { type: "local", path: "/var/state/dev.tfstate" } }], "dev", "backend.path", /absolute/);
  });

  it("shape errors (wrong types, unknown fields) name the field", () => {
    // The misspelled field is reported where the user wrote it, with the field it was meant to be.
    const { network, ...rest } = dev;
    const typo = { ...rest, netwrok: network } as unknown as EnvironmentConfig;
    expect(expectEnvIssue([typo], "dev", "netwrok", /is not a known field/).fix).toBe('did you mean "network"?');
    expect(environmentIssues(typo).find((i) => i.path === "network")).toBeUndefined();
    const wrongType = { ...dev, network: { ...dev.network, nat: "always" } } as unknown as EnvironmentConfig;
    const issue = expectEnvIssue([wrongType], "dev", "network.nat", /Invalid option/i);
    expect(issue.fix).toMatch(/"none", "single", "perAz"/);
  });

  it("security-group and NACL errors carry their section prefix", () => {
    expectEnvIssue(
      [{ ...prod, securityGroups: { inference: { callerGroups: ["notebooks" as never] } } }],
      "prod",
      "securityGroups.inference.callerGroups[0]",
      /not a security group/,
    );
    expectEnvIssue([{ ...prod, networkAcls: { publicIngressPorts: [99999] } }], "prod", "networkAcls.publicIngressPorts[0]", /not a port/);
    expectEnvIssue([{ ...prod, networkAcls: { onPremisesTiers: ["privat" as never] } }], "prod", "networkAcls.onPremisesTiers[0]", /Invalid option/i);
  });

  it("internet egress the security groups allow but the NACLs would block is rejected", () => {
    const env: EnvironmentConfig = {
      ...dev,
      securityGroups: { internetEgress: ["notebook"], internetEgressPorts: [443, 80] },
      networkAcls: { internetEgressPorts: [443] },
    };
    expectEnvIssue([env], "dev", "securityGroups.internetEgressPorts[1]", /blocked by networkAcls.internetEgressPorts/);
    // Left unset, the NACL ports follow the security groups.
    const derived = resolveEnvironment({ ...dev, securityGroups: { internetEgress: ["notebook"], internetEgressPorts: [443, 80] } });
    expect(derived.networkAcls.internetEgressPorts).toEqual([443, 80]);
  });

  it("reports every invalid environment, not just the first", () => {
    const byEnv = issuesOf([withTags(dev, {}), { ...staging, region: "nowhere-1" }, prod]);
    expect([...byEnv.keys()]).toEqual(['environment "dev"', 'environment "staging"']);
  });
});
