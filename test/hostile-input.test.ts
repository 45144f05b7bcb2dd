/**
 * Hostile input, by category: nothing crashes, every rejection names the
 * field the user wrote, the value as given and a fix that fits, and AWS's
 * limits are enforced on the final names and tags. (The property-style run
 * over random mutations is test/terraform/fuzz.tf.test.ts.)
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { dev, prod, staging, MlPlatformStack, type EnvironmentConfig } from "../environments";
import { synthAll } from "../main";
import { ConfigError, formatIssues, show } from "../modules/core/errors";
import { NAME_RULES, SHAPES, TAG_LIMITS, checkTerraformLimits } from "../modules/core/aws-limits";
import { policyAttachmentKeys } from "../modules/efa-cluster";
import { environmentIssues, environmentJson, resourceList, synthEnvironment } from "./helpers";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "hostile-"));
/** The one issue an environment is rejected with at `at`. */
const issueAt = (env: unknown, at: string) => {
  const issues = environmentIssues(env as EnvironmentConfig);
  const issue = issues.find((i) => i.path === at);
  if (!issue) throw new Error(`no issue at ${at}; got ${issues.map((i) => `${i.path}: ${i.message}`).join(" | ")}`);
  return issue;
};

describe("no crash: repeated entries are dropped, distinct entries get distinct ids", () => {
  it("the same on-premises CIDR, port or managed policy twice synthesizes as if given once", () => {
    const once = environmentJson("prod");
    const twice = synthEnvironment({
      ...prod,
      onPremisesCidrs: ["172.16.0.0/16", "172.16.0.0/16"],
      securityGroups: { ...prod.securityGroups, data: { ports: [5432, 5432, 2049] } },
      networkAcls: { publicIngressPorts: [443, 443, 80] },
      efaClusters: {
        llm: {
          ...prod.efaClusters!.llm,
          additionalPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
        },
      },
    }).json;
    const count = (json: typeof once, type: string) => resourceList(json, type).length;
    expect(count(twice, "aws_network_acl_rule")).toBe(count(once, "aws_network_acl_rule"));
    expect(resourceList(twice, "aws_iam_role_policy_attachment").filter((a) => String(a.policy_arn).endsWith("AmazonS3ReadOnlyAccess"))).toHaveLength(1);
  });

  it("two policies with the same name from different accounts both attach; appending one renames nothing", () => {
    const a = "arn:aws:iam::aws:policy/ReadData";
    const b = "arn:aws:iam::111122223333:policy/ReadData";
    expect(policyAttachmentKeys([a, b])).toEqual([
      ["ReadData", a],
      ["111122223333-ReadData", b],
    ]);
    expect(policyAttachmentKeys([a])).toEqual([["ReadData", a]]);
    const json = synthEnvironment({ ...prod, efaClusters: { llm: { ...prod.efaClusters!.llm, additionalPolicyArns: [a, b] } } }).json;
    expect(resourceList(json, "aws_iam_role_policy_attachment").map((x) => x.policy_arn)).toEqual(expect.arrayContaining([a, b]));
  });

  it("IPv6 CIDRs in security-group rules synthesize (the NACL proof skips them: no IPv6 traffic in these subnets)", () => {
    const env = {
      ...staging,
      securityGroups: {
        ...staging.securityGroups,
        extraRules: [{ group: "notebook" as const, direction: "egress" as const, port: 443, cidr: "2001:db8::/32", description: "IPv6 mirror" }],
      },
    };
    expect(resourceList(synthEnvironment(env).json, "aws_vpc_security_group_egress_rule").some((r) => r.cidr_ipv6 === "2001:db8::/32")).toBe(true);
  });

  it("the error formatter prints any value: circular objects, BigInt, functions, NaN, Infinity", () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(show(circular)).toBe('{"a":1,"self":[circular]}');
    expect(show(10n)).toBe("10n");
    expect(show(function cidr() {})).toBe("a function (cidr)");
    expect([show(NaN), show(Infinity), show(-Infinity), show(undefined)]).toEqual(["NaN", "Infinity", "-Infinity", "nothing"]);
    expect(formatIssues("x", [{ path: "a", value: circular, message: "m", fix: "f" }])).toMatch(/a: m \(got \{"a":1,"self":\[circular\]\}\)\. Fix: f/);
  });

  it("synthAll given something other than a list", () => {
    expect(() => synthAll({} as never, tmp())).toThrow(ConfigError);
  });
});

describe("clear errors: the field as written, the value as given, a fix that fits", () => {
  it("a number given as a string", () => {
    const issue = issueAt({ ...staging, securityGroups: { data: { ports: ["5432"] } } }, "securityGroups.data.ports[0]");
    expect(issue).toMatchObject({ value: "5432", message: "expected a number, got string", fix: "write 5432 as a number, without quotes" });
  });

  it("a misspelled key inside a list item is named, with the key it was meant to be, and not reported again as missing", () => {
    const issues = environmentIssues({ ...staging, onPremisesAccess: [{ group: "notebook", prot: 443, description: "x" }] } as never);
    expect(issues).toEqual([
      expect.objectContaining({ path: "onPremisesAccess[0].prot", value: 443, message: "is not a known field", fix: 'did you mean "port"?' }),
    ]);
  });

  it("NaN and Infinity are shown as written, with a fix for a finite number", () => {
    const issue = issueAt({ ...prod, efaClusters: { llm: { ...prod.efaClusters!.llm, imdsHopLimit: Infinity } } }, "efaClusters.llm.imdsHopLimit");
    expect(issue).toMatchObject({ message: "expected a number, got Infinity", fix: "use a finite number" });
    expect(new ConfigError("x", [issue]).message).toContain("(got Infinity)");
  });

  it("an optional field set to null is not called required; a missing required field is", () => {
    expect(issueAt({ ...prod, efaClusters: { llm: { ...prod.efaClusters!.llm, imdsHopLimit: null } } }, "efaClusters.llm.imdsHopLimit").fix).toBe(
      "remove it to use the default, or give a number",
    );
    const { instanceType: _dropped, ...noType } = prod.efaClusters!.llm;
    void _dropped;
    expect(issueAt({ ...prod, efaClusters: { llm: noType } }, "efaClusters.llm.instanceType").fix).toBe("set this required field (a string)");
  });

  it("a list item of the wrong shape gets the problems of the shape it resembles most, not 'invalid union'", () => {
    const issues = environmentIssues({
      ...staging,
      securityGroups: { extraRules: [{ group: "notebook", direction: "egress", port: 443, cidr: "10.0.0.0/8", descripton: "typo" }] },
    } as never);
    expect(issues).toEqual([expect.objectContaining({ path: "securityGroups.extraRules[0].descripton", fix: 'did you mean "description"?' })]);
  });

  it("keys JavaScript reserves (__proto__ as a key, or as a literal that sets the prototype) are named, not silently lost", () => {
    expect(issueAt({ ...prod, efaClusters: JSON.parse('{"__proto__": {}}') }, "efaClusters.__proto__").message).toMatch(/reserves/);
    expect(issueAt({ ...prod, efaClusters: { __proto__: prod.efaClusters!.llm } }, "efaClusters.__proto__").message).toMatch(/entry is lost/);
    expect(issueAt({ ...prod, sagemaker: { notebooks: { constructor: {} } } }, "sagemaker.notebooks.constructor").fix).toMatch(/rename/);
  });
});

describe("AWS's limits, enforced at synth", () => {
  const long = "ml-" + "p".repeat(37); // the longest name prefix: 40 characters

  it("names that exceed AWS limits once prefixes are added: IAM role, SageMaker notebook, device name", () => {
    expect(issueAt({ ...prod, namePrefix: long, efaClusters: { ["c".repeat(21)]: prod.efaClusters!.llm } }, `efaClusters.${"c".repeat(21)}`)).toMatchObject({
      message: expect.stringMatching(/IAM role name ".*-node", which is 67 characters; an IAM role name takes at most 64/),
      fix: "shorten the cluster name to at most 18 characters, or the network's name prefix",
    });
    expect(issueAt({ ...prod, namePrefix: long, sagemaker: { notebooks: { ["n".repeat(23)]: {} } } }, `sagemaker.notebooks.${"n".repeat(23)}`).message).toMatch(
      /SageMaker notebook instance name .* 64 characters; .* at most 63/,
    );
    expect(
      issueAt(
        { ...staging, vpn: { customerGateways: { dc1: { ...staging.vpn!.customerGateways.dc1, deviceName: "d".repeat(256) } } } },
        "vpn.customerGateways.dc1.deviceName",
      ).message,
    ).toMatch(/256 characters; .* at most 255/);
  });

  it("tags: key and value lengths, the aws: prefix, characters, and 50 per resource with the tags the modules add", () => {
    expect(issueAt({ ...dev, tags: { ...dev.tags, ["k".repeat(129)]: "v" } }, `tags.${"k".repeat(129)}`).message).toMatch(
      /129 characters; AWS allows 1 to 128/,
    );
    expect(issueAt({ ...dev, tags: { ...dev.tags, Owner: "o".repeat(257) } }, "tags.Owner").message).toMatch(/257 characters; AWS allows 256/);
    expect(issueAt({ ...dev, tags: { ...dev.tags, "aws:team": "ml" } }, "tags.aws:team").message).toMatch(/reserves/);
    expect(issueAt({ ...dev, tags: { ...dev.tags, Team: "ml|infra" } }, "tags.Team").message).toMatch(/characters/);
    const many = { ...dev.tags, ...Object.fromEntries(Array.from({ length: 44 }, (_, i) => [`t${i}`, "v"])) };
    expect(issueAt({ ...dev, tags: many }, "tags")).toMatchObject({
      message: expect.stringMatching(/make 51 tags on a resource with the Name, Tier the modules add; AWS allows 50/),
      fix: "drop 1 tag",
    });
  });

  it("S3 backend values Terraform or S3 would refuse", () => {
    const s3 = (over: Record<string, unknown>) => ({ ...dev, backend: { type: "s3", bucket: "acme-state", region: "us-east-1", ...over } });
    expect(issueAt(s3({ keyPrefix: "net//ml" }), "backend.keyPrefix").message).toMatch(/"\/\/"/);
    expect(issueAt(s3({ keyPrefix: "/net" }), "backend.keyPrefix").message).toMatch(/starts or ends with "\/"/);
    expect(issueAt(s3({ bucket: "acme..state" }), "backend.bucket").message).toMatch(/two dots in a row/);
    expect(issueAt(s3({ bucket: "192.168.1.1" }), "backend.bucket").message).toMatch(/IP address/);
    expect(issueAt(s3({ roleArn: "terraform" }), "backend.roleArn").fix).toContain(SHAPES.iamRoleArn.example);
    expect(issueAt(s3({ kmsKeyId: "my-key" }), "backend.kmsKeyId").message).toMatch(/not a KMS key id, alias or ARN/);
    expect(() => synthEnvironment(s3({ kmsKeyId: "alias/terraform-state", roleArn: "arn:aws:iam::111122223333:role/tf" }) as EnvironmentConfig)).not.toThrow();
  });

  it("a secondary VPC CIDR AWS would refuse beside the primary", () => {
    expect(issueAt({ ...dev, network: { ...dev.network, secondaryCidrs: ["192.168.0.0/20"] } }, "network.secondaryCidrs[0]").message).toMatch(
      /another RFC 1918 range/,
    );
    expect(issueAt({ ...dev, network: { ...dev.network, secondaryCidrs: ["198.19.0.0/20"] } }, "network.secondaryCidrs[0]").message).toMatch(
      /198\.19\.0\.0\/16/,
    );
    expect(() => synthEnvironment({ ...dev, network: { ...dev.network, secondaryCidrs: ["100.64.0.0/20"] } })).not.toThrow();
  });

  it("NACLs: a quota beyond 40, and rules that do not fit with the default deny rule the quota counts", () => {
    expect(issueAt({ ...dev, networkAcls: { maxRulesPerDirection: 41 } }, "networkAcls.maxRulesPerDirection").message).toMatch(/outside 1-40/);
    const rules = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ tier: "isolated" as const, egress: false, ruleNumber: 1000 + i, port: 5432, cidr: `192.168.${i}.0/24` }));
    // The isolated NACL has one built-in inbound rule (the VPC CIDR): 18 more make 19, plus the default deny, 20.
    expect(() => synthEnvironment({ ...dev, networkAcls: { extraRules: rules(18) } })).not.toThrow();
    expect(issueAt({ ...dev, networkAcls: { extraRules: rules(19) } }, "networkAcls.maxRulesPerDirection").message).toMatch(
      /20 inbound rules plus the default deny rule/,
    );
  });

  it("ICMP rules with port numbers, in NACLs, security groups and on-premises access", () => {
    expect(
      issueAt(
        { ...dev, networkAcls: { extraRules: [{ tier: "private", egress: false, ruleNumber: 150, protocol: "icmp", port: 8, cidr: "10.0.0.0/8" }] } },
        "networkAcls.extraRules[0].port",
      ).message,
    ).toMatch(/ICMP has no ports/);
    expect(
      issueAt(
        {
          ...dev,
          securityGroups: {
            ...dev.securityGroups,
            extraRules: [{ group: "notebook", direction: "egress", protocol: "icmp", port: 8, cidr: "10.0.0.0/8", description: "ping" }],
          },
        },
        "securityGroups.extraRules[0].port",
      ).fix,
    ).toMatch(/\{ from: <type>, to: <code> \}/);
    expect(
      issueAt({ ...staging, onPremisesAccess: [{ group: "notebook", port: 8, protocol: "icmp", description: "ping" }] }, "onPremisesAccess[0].port").message,
    ).toMatch(/ICMP has none/);
    const ping = synthEnvironment({
      ...dev,
      securityGroups: {
        ...dev.securityGroups,
        extraRules: [{ group: "notebook", direction: "egress", protocol: "icmp", cidr: "10.10.0.0/16", description: "any ICMP within the VPC" }],
      },
    }).json;
    expect(resourceList(ping, "aws_vpc_security_group_egress_rule").find((r) => r.ip_protocol === "icmp")).toMatchObject({ from_port: -1, to_port: -1 });
  });

  it("identifiers checked for shape: prefix lists, ARNs, KMS keys, device names; instance types against the list, with did you mean", () => {
    expect(
      issueAt({ ...dev, securityGroups: { ...dev.securityGroups, prefixListIds: { s3: "com.amazonaws.us-east-1.s3" } } }, "securityGroups.prefixListIds.s3")
        .message,
    ).toBe("is not a prefix list id");
    const cluster = (over: Record<string, unknown>) => ({ ...prod, efaClusters: { llm: { ...prod.efaClusters!.llm, ...over } } });
    expect(issueAt(cluster({ capacityReservation: { resourceGroupArn: "my-group" } }), "efaClusters.llm.capacityReservation.resourceGroupArn").message).toMatch(
      /resource group ARN/,
    );
    expect(issueAt(cluster({ rootVolume: { kmsKeyId: "key" } }), "efaClusters.llm.rootVolume.kmsKeyId").message).toMatch(/KMS key/);
    expect(issueAt(cluster({ rootVolume: { deviceName: "sda1" } }), "efaClusters.llm.rootVolume.deviceName").message).toMatch(/EBS device name/);
    expect(issueAt(cluster({ instanceType: "p5.48xlarg" }), "efaClusters.llm.instanceType").fix).toMatch(/^did you mean "p5\.48xlarge"/);
    expect(
      issueAt({ ...dev, sagemaker: { notebooks: { research: { instanceType: "ml.g5.xlarg" } } } }, "sagemaker.notebooks.research.instanceType").fix,
    ).toMatch(/^did you mean "ml\.g5\.xlarge"/);
    // A Studio-only type is not a notebook type.
    expect(
      issueAt({ ...dev, sagemaker: { notebooks: { research: { instanceType: "ml.t3.micro" } } } }, "sagemaker.notebooks.research.instanceType").message,
    ).toMatch(/notebook instances accept/);
    expect(
      issueAt({ ...dev, network: { ...dev.network, flowLogs: { kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:alias/logs" } } }, "network.flowLogs.kmsKeyArn")
        .message,
    ).toMatch(/CloudWatch Logs takes the key's ARN/);
  });

  it("the final JSON is checked too: names and tags after prefixes and the provider's default tags", () => {
    const json = {
      provider: { aws: [{ default_tags: [{ tags: Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`d${i}`, "v"])) }] }] },
      resource: {
        aws_iam_role: { r: { name: "r".repeat(65), tags: { Name: "n", Team: "t" } } },
        aws_autoscaling_group: { g: { name: "a:b", tag: [{ key: "aws:x", value: "v", propagate_at_launch: true }] } },
        aws_subnet: { s: { tags: { Name: "ok" } } },
      },
    };
    const breaches = checkTerraformLimits(json);
    expect(breaches.map((b) => `${b.address} ${b.field}`)).toEqual([
      "aws_iam_role.r name",
      "aws_iam_role.r tags",
      "aws_autoscaling_group.g name",
      "aws_autoscaling_group.g tag.aws:x",
    ]);
    expect(breaches[0].source).toBe(NAME_RULES.iamRole.source);
    expect(breaches[1]).toMatchObject({ value: 51, message: expect.stringMatching(/51 tags .* default tags included/), source: TAG_LIMITS.source });
  });

  it("a resource a user adds to the stack is checked at synth as well", () => {
    const stack = new MlPlatformStack(Testing.app(), dev);
    new IamRole(stack, "my-role", { name: "x".repeat(70), assumeRolePolicy: "{}" });
    expect(() => Testing.synth(stack as TerraformStack, true)).toThrow(
      /aws-limits: aws_iam_role\.my-role \(dev\/my-role\): name "x{70}" is 70 characters; an IAM role name takes at most 64\. Source: IAM and AWS STS quotas.*Fix: shorten/,
    );
    void AwsProvider;
  });
});
