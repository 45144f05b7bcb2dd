import { Testing } from "cdktf";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import {
  ENDPOINT_PRESETS,
  INTERFACE_CATALOG,
  INTERFACE_SERVICES,
  MlVpcEndpoints,
  awsOwnedBuckets,
  serviceName,
  type VpcEndpointsConfig,
} from "../../modules/endpoints";
import { OUR_ACCOUNT, evaluate } from "../policy-eval";
import { MlVpc, type IMlNetwork } from "../../modules/network";
import { ENVIRONMENTS, prod } from "../../environments";
import { allResources, baseProps, existingNetwork, byPath, ref, resourceList, resources, type TfJson, environmentJson, configIssues } from "../helpers";

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string>> };
const statements = (policy: unknown) => (JSON.parse(policy as string) as { Statement: Statement[] }).Statement;

function synthEndpoints(config: VpcEndpointsConfig, azs = ["us-east-1a", "us-east-1b"]): { text: string; json: TfJson } {
  const text = Testing.synthScope((scope) => {
    const network = new MlVpc(scope, "network", baseProps({ availabilityZones: azs, flowLogs: { destination: "none" } }));
    new MlVpcEndpoints(scope, "endpoints", { network, securityGroupIds: ["sg-0123456789abcdef0"], ...config });
  });
  return { text, json: JSON.parse(text) as TfJson };
}

const endpointOf = (json: TfJson, key: string) => byPath(json, "aws_vpc_endpoint", `endpoints/${key}`);

/** An account of AWS's own (ECR signs pre-signed layer URLs with one), not the caller's. */
const ECR_SERVICE_ACCOUNT = "012345678901";
/**
 * Reads through the S3 gateway in us-east-1 (readsIn gives another region's), with the bucket names as AWS documents them: ECR
 * ("Minimum Amazon S3 bucket permissions for Amazon ECR"), SSM Agent ("SSM Agent communications
 * with AWS managed S3 buckets"), Amazon Linux repositories ("Sample policies for private subnets
 * that access Amazon S3", EMR management guide).
 */
const AWS_OWNED_READS = [
  ["prod-us-east-1-starport-layer-bucket", "sha256/layer"],
  ["amazon-ssm-us-east-1", "latest/linux_amd64/amazon-ssm-agent.rpm"],
  ["aws-ssm-us-east-1", "aws-runpatchbaseline/module.zip"],
  ["us-east-1-birdwatcher-prod", "manifest.json"],
  ["aws-ssm-document-attachments-us-east-1", "pkg.zip"],
  ["patch-baseline-snapshot-us-east-1", "snapshot.json"],
  ["al2023-repos-us-east-1-de612dc2", "core/mirrors/latest/x86_64/mirror.list"],
  ["amazonlinux-2-repos-us-east-1", "2/core/latest/x86_64/mirror.list"],
  ["amazonlinux.us-east-1.amazonaws.com", "2/core/x86_64/repodata/repomd.xml"],
  ["packages.us-east-1.amazonaws.com", "2018.03/main/repodata/repomd.xml"],
  ["repo.us-east-1.amazonaws.com", "latest/main/mirror.list"],
] as const;
const readsIn = (region: string) => AWS_OWNED_READS.map(([bucket, key]) => [bucket.replace("us-east-1", region), key] as const);

describe("catalog", () => {
  it("names every service com.amazonaws.<region>.<service>, SageMaker UIs aws.sagemaker.<region>.<service>", () => {
    expect(serviceName("sts", "eu-west-1")).toBe("com.amazonaws.eu-west-1.sts");
    expect(serviceName("sagemaker.api", "us-east-1")).toBe("com.amazonaws.us-east-1.sagemaker.api");
    expect(serviceName("sagemaker.notebook", "us-east-1")).toBe("aws.sagemaker.us-east-1.notebook");
    expect(serviceName("sagemaker.studio", "us-east-1")).toBe("aws.sagemaker.us-east-1.studio");
    for (const s of INTERFACE_SERVICES) expect(serviceName(s, "us-east-1")).toMatch(/^(com\.amazonaws|aws\.sagemaker)\.us-east-1\.[a-z0-9.-]+$/);
  });

  it("covers the services the issue lists, and essentials is the six a private SageMaker job needs", () => {
    for (const s of [
      "sagemaker.api",
      "sagemaker.runtime",
      "ecr.api",
      "ecr.dkr",
      "logs",
      "sts",
      "monitoring",
      "kms",
      "ssm",
      "ssmmessages",
      "ec2messages",
      "secretsmanager",
      "sagemaker.notebook",
      "sagemaker.featurestore-runtime",
      "rekognition",
      "kinesis-streams",
      "elasticloadbalancing",
      "s3",
    ]) {
      expect(INTERFACE_CATALOG).toHaveProperty([s]);
    }
    expect([...ENDPOINT_PRESETS.essentials].sort()).toEqual(["ecr.api", "ecr.dkr", "logs", "sagemaker.api", "sagemaker.runtime", "sts"]);
  });
});

describe("gateway endpoints", () => {
  const { text, json } = synthEndpoints({});

  it("creates free S3 and DynamoDB gateway endpoints by default, with a perimeter policy", () => {
    expect(text).toHaveResourceWithProperties(VpcEndpoint, { service_name: "com.amazonaws.us-east-1.s3", vpc_endpoint_type: "Gateway" });
    expect(text).toHaveResourceWithProperties(VpcEndpoint, { service_name: "com.amazonaws.us-east-1.dynamodb", vpc_endpoint_type: "Gateway" });
    const policy = endpointOf(json, "gateway-dynamodb").body.policy as string;
    const ours = { "aws:PrincipalAccount": OUR_ACCOUNT, "aws:SecureTransport": "true" };
    expect(evaluate(policy, { action: "dynamodb:GetItem", resource: "arn:aws:dynamodb:us-east-1:111122223333:table/features", context: ours })).toBe("allow");
    expect(
      evaluate(policy, {
        action: "dynamodb:GetItem",
        resource: "arn:aws:dynamodb:us-east-1:444455556666:table/x",
        context: { ...ours, "aws:PrincipalAccount": "444455556666" },
      }),
    ).toBe("implicit deny");
    expect(
      evaluate(policy, {
        action: "dynamodb:GetItem",
        resource: "arn:aws:dynamodb:us-east-1:111122223333:table/features",
        context: { ...ours, "aws:SecureTransport": "false" },
      }),
    ).toBe("explicit deny");
  });

  it("attaches them to every private, isolated and training route table and never to the public one", () => {
    const assocs = resourceList(json, "aws_vpc_endpoint_route_table_association");
    const tables = resources(json, "aws_route_table");
    for (const service of ["s3", "dynamodb"]) {
      const endpoint = ref("aws_vpc_endpoint", endpointOf(json, `gateway-${service}`).name);
      const attached = assocs.filter((a) => a.vpc_endpoint_id === endpoint).map((a) => a.route_table_id);
      const expected = Object.entries(tables)
        .filter(([, t]) => (t.tags as Record<string, string>).Tier !== "public")
        .map(([name]) => ref("aws_route_table", name));
      expect(attached.sort()).toEqual(expected.sort());
    }
  });

  it("limits S3 to the configured buckets while AWS-owned buckets stay readable", () => {
    const limited = endpointOf(synthEndpoints({ policy: { s3BucketArns: ["arn:aws:s3:::acme-ml-data"] } }).json, "gateway-s3").body.policy as string;
    const ours = { "aws:PrincipalAccount": OUR_ACCOUNT, "aws:SecureTransport": "true" };
    expect(evaluate(limited, { action: "s3:PutObject", resource: "arn:aws:s3:::acme-ml-data/run-1/model.tar.gz", context: ours })).toBe("allow");
    expect(evaluate(limited, { action: "s3:GetObject", resource: "arn:aws:s3:::someone-elses-bucket/x", context: ours })).toBe("implicit deny");
    for (const [bucket, key] of AWS_OWNED_READS) {
      expect({
        bucket,
        decision: evaluate(limited, {
          action: "s3:GetObject",
          resource: `arn:aws:s3:::${bucket}/${key}`,
          context: { "aws:SecureTransport": "true", "aws:PrincipalAccount": ECR_SERVICE_ACCOUNT },
        }),
      }).toEqual({ bucket, decision: "allow" });
    }
  });

  // What a node in a private subnet reads from AWS-owned buckets through the gateway, as the ECR, SSM
  // and Amazon Linux documentation names them; the requests are signed by AWS (ECR pre-signed URLs),
  // so they pass with a principal of another account.
  it.each([["default"], ["limited"]])("%s policy: image pulls, the SSM Agent and package installs work; writes and other buckets do not", (variant) => {
    const config = variant === "limited" ? { policy: { s3BucketArns: ["arn:aws:s3:::acme-ml-data"] } } : {};
    const policy = endpointOf(synthEndpoints(config).json, "gateway-s3").body.policy as string;
    const aws = { "aws:SecureTransport": "true", "aws:PrincipalAccount": ECR_SERVICE_ACCOUNT };
    for (const [bucket, key] of AWS_OWNED_READS) {
      expect({ bucket, decision: evaluate(policy, { action: "s3:GetObject", resource: `arn:aws:s3:::${bucket}/${key}`, context: aws }) }).toEqual({
        bucket,
        decision: "allow",
      });
      expect({ bucket, put: evaluate(policy, { action: "s3:PutObject", resource: `arn:aws:s3:::${bucket}/${key}`, context: aws }) }).toEqual({
        bucket,
        put: "implicit deny",
      });
    }
    expect(evaluate(policy, { action: "s3:GetObject", resource: "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/x", context: aws })).toBe("implicit deny");
    expect(
      evaluate(policy, {
        action: "s3:GetObject",
        resource: "arn:aws:s3:::attacker-bucket/payload",
        context: { ...aws, "aws:PrincipalAccount": "444455556666" },
      }),
    ).toBe("implicit deny");
    // Amazon Linux 2's yum and the SSM Agent may read over plain http; your own data may not.
    for (const [bucket, key] of AWS_OWNED_READS) {
      expect({
        bucket,
        http: evaluate(policy, { action: "s3:GetObject", resource: `arn:aws:s3:::${bucket}/${key}`, context: { ...aws, "aws:SecureTransport": "false" } }),
      }).toEqual({ bucket, http: "allow" });
    }
    const ours = { "aws:PrincipalAccount": OUR_ACCOUNT, "aws:SecureTransport": "false" };
    const ownBucket = variant === "limited" ? "arn:aws:s3:::acme-ml-data/x" : "arn:aws:s3:::any-bucket-of-ours/x";
    expect(evaluate(policy, { action: "s3:GetObject", resource: ownBucket, context: ours })).toBe("explicit deny");
  });

  it("names the buckets of China regions with the amazonaws.com.cn suffix", () => {
    expect(awsOwnedBuckets("cn-north-1").map((b) => b.bucket)).toEqual(
      expect.arrayContaining(["amazonlinux.cn-north-1.amazonaws.com.cn", "repo.cn-north-1.amazonaws.com.cn"]),
    );
  });

  it("names the regional exceptions of the SSM buckets", () => {
    const names = (region: string) => awsOwnedBuckets(region).map((b) => b.bucket);
    expect(names("me-south-1")).toEqual(expect.arrayContaining(["patch-baseline-snapshot-me-south-1-uduvl7q8", "aws-patch-manager-me-south-1-a53fc9dce"]));
    expect(names("af-south-1")).toContain("aws-ssm-distributor-file-af-south-1");
    expect(names("af-south-1")).not.toContain("af-south-1-birdwatcher-prod");
    expect(names("us-east-1")).toContain("us-east-1-birdwatcher-prod");
  });

  it("uses the organization as the perimeter when given", () => {
    const org = synthEndpoints({ policy: { organizationId: "o-a1b2c3d4e5" } });
    expect(statements(endpointOf(org.json, "gateway-dynamodb").body.policy)[0].Condition).toEqual({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } });
  });

  it("exposes the prefix-list ids for security-group rules", () => {
    Testing.synthScope((scope) => {
      const network = new MlVpc(scope, "network", baseProps({ flowLogs: { destination: "none" } }));
      const endpoints = new MlVpcEndpoints(scope, "endpoints", { network });
      expect(endpoints.prefixListIds.s3).toEqual(expect.any(String));
      expect(endpoints.prefixListIds.dynamodb).toEqual(expect.any(String));
    });
  });

  it("can be turned off per service", () => {
    const none = synthEndpoints({ gateway: { s3: true, dynamodb: false } });
    expect(resourceList(none.json, "aws_vpc_endpoint").map((e) => e.service_name)).toEqual(["com.amazonaws.us-east-1.s3"]);
  });
});

describe("interface endpoints", () => {
  const { json } = synthEndpoints({ interface: { services: ["essentials", "ssm", "sagemaker.notebook"] } });

  it("places one network interface per AZ of the private tier, private DNS on, the given group attached", () => {
    const sts = endpointOf(json, "interface-sts");
    expect(sts.body).toMatchObject({ vpc_endpoint_type: "Interface", private_dns_enabled: true, security_group_ids: ["sg-0123456789abcdef0"] });
    const assocs = resourceList(json, "aws_vpc_endpoint_subnet_association").filter((a) => a.vpc_endpoint_id === ref("aws_vpc_endpoint", sts.name));
    const privateSubnets = ["us-east-1a", "us-east-1b"].map((az) => ref("aws_subnet", byPath(json, "aws_subnet", `network/subnet-private-${az}`).name));
    expect(assocs.map((a) => a.subnet_id).sort()).toEqual(privateSubnets.sort());
  });

  it("expands presets and gives policies only to services that accept them", () => {
    const endpoints = resourceList(json, "aws_vpc_endpoint").filter((e) => e.vpc_endpoint_type === "Interface");
    expect(endpoints).toHaveLength(6 + 3 + 1);
    for (const e of endpoints) {
      const service = Object.keys(INTERFACE_CATALOG).find((s) => e.service_name === serviceName(s as never, "us-east-1"))!;
      const supported = (INTERFACE_CATALOG as Record<string, { policySupported: boolean }>)[service].policySupported;
      expect({ service, policy: e.policy !== undefined }).toEqual({ service, policy: supported });
    }
    const [allow, ...rest] = statements(endpointOf(json, "interface-ecr-api").body.policy);
    expect(allow.Condition).toEqual({ StringEquals: { "aws:PrincipalAccount": expect.any(String) } });
    expect(rest).toEqual([]); // TLS-only service: no SecureTransport deny needed
  });

  it("can sit in one AZ to save cost", () => {
    const oneAz = synthEndpoints({ interface: { services: ["sts"], availabilityZones: ["us-east-1b"] } });
    expect(resourceList(oneAz.json, "aws_vpc_endpoint_subnet_association")).toHaveLength(1);
  });

  it("S3 through PrivateLink keeps in-VPC traffic on the gateway and is created after it", () => {
    const s3 = synthEndpoints({ interface: { services: ["s3"] } });
    const iface = endpointOf(s3.json, "interface-s3").body;
    expect(iface.dns_options).toEqual({ private_dns_only_for_inbound_resolver_endpoint: true });
    expect(iface.depends_on).toEqual([`aws_vpc_endpoint.${endpointOf(s3.json, "gateway-s3").name}`]);
  });

  it("a custom policy replaces the default for its service", () => {
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Resource: "*" }] });
    const custom = synthEndpoints({ interface: { services: ["sts"] }, policy: { custom: { sts: policy } } });
    expect(statements(endpointOf(custom.json, "interface-sts").body.policy)).toEqual([
      { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Resource: "*" },
    ]);
  });

  it("adding an AZ or a service adds resources and changes none", () => {
    const before = allResources(synthEndpoints({ interface: { services: ["essentials"] } }, ["us-east-1a", "us-east-1b"]).json);
    const after = allResources(synthEndpoints({ interface: { services: ["essentials", "kms"] } }, ["us-east-1a", "us-east-1b", "us-east-1c"]).json);
    for (const [address, body] of before) expect(after.get(address)).toEqual(body);
  });
});

describe("MlVpcEndpoints rejects bad input", () => {
  const issues = (config: VpcEndpointsConfig, network?: IMlNetwork) =>
    configIssues(() =>
      network
        ? Testing.synthScope((scope) => new MlVpcEndpoints(scope, "endpoints", { network, securityGroupIds: ["sg-1"], ...config }))
        : synthEndpoints(config),
    );

  it("an unknown service, with the closest catalog names", () => {
    const [issue] = issues({ interface: { services: ["sagemaker-api" as never] } });
    expect(issue).toMatchObject({ path: "interface.services[0]", value: "sagemaker-api" });
    expect(issue.fix).toMatch(/did you mean "sagemaker\.api"/);
    expect(issues({ interface: { services: ["ecr" as never] } })[0].fix).toMatch(/"ecr\.api"|"ecr\.dkr"/);
  });

  it("interface endpoints while DNS support or hostnames are off", () => {
    const noDns = existingNetwork({ name: "legacy", dnsHostnames: false });
    expect(issues({ interface: { services: ["sts"] } }, noDns)[0].message).toMatch(/DNS support and DNS hostnames/);
  });

  it("a tier with no subnets", () => {
    const privateOnly = existingNetwork({ name: "xy", region: undefined });
    expect(issues({ interface: { services: ["sts"], tier: "isolated" } }, privateOnly)[0]).toMatchObject({
      path: "interface.tier",
      message: expect.stringMatching(/no subnets/),
    });
    expect(issues({ gateway: { tiers: ["training"] } }, privateOnly)[0]).toMatchObject({ path: "gateway.tiers[0]" });
    expect(issues({ interface: { services: ["sts"], availabilityZones: ["us-east-1c"] } })[0].path).toBe("interface.availabilityZones[0]");
  });

  it("an endpoint policy that is not valid JSON, or not an IAM policy document", () => {
    const at = (text: string) => issues({ interface: { services: ["sts"] }, policy: { custom: { sts: text } } })[0];
    expect(at("{not json").message).toMatch(/not valid JSON/);
    expect(at(JSON.stringify({ Statement: [] })).message).toMatch(/Version/);
    expect(at(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] })).message).toMatch(/no Principal/);
    expect(at(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Maybe", Principal: "*", Action: "*", Resource: "*" }] })).message).toMatch(
      /Effect/,
    );
  });

  it("a custom policy for a service that takes none or is not configured; bad org ids and bucket ARNs; S3 interface without the gateway", () => {
    const ok = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] });
    expect(issues({ interface: { services: ["ssm"] }, policy: { custom: { ssmmessages: ok } } })[0].message).toMatch(/does not accept endpoint policies/);
    expect(issues({ policy: { custom: { kms: ok } } })[0].message).toMatch(/not one of this network's interface endpoints/);
    expect(issues({ policy: { organizationId: "org-1" } })[0].path).toBe("policy.organizationId");
    expect(issues({ policy: { s3BucketArns: ["arn:aws:s3:::bucket/key"] } })[0].path).toBe("policy.s3BucketArns[0]");
    expect(issues({ gateway: { s3: false }, interface: { services: ["s3"] } })[0].message).toMatch(/without the S3 gateway endpoint/);
  });
});

describe("endpoints in the environments", () => {
  const envs = new Map(ENVIRONMENTS.map((e) => [e.name, environmentJson(e.name)]));
  // MlVpcEndpoints' own resources (partner endpoints have their own module and tests).
  const own = (name: string) => (r: Record<string, unknown>) => (r["//"] as { metadata: { path: string } }).metadata.path.startsWith(`${name}/endpoints/`);
  const interfaceServices = (name: string) =>
    resourceList(envs.get(name)!, "aws_vpc_endpoint")
      .filter(own(name))
      .filter((e) => e.vpc_endpoint_type === "Interface")
      .map((e) => (e.service_name as string).replace(/^com\.amazonaws\.[a-z0-9-]+\.|^aws\.sagemaker\.[a-z0-9-]+\./, ""))
      .sort();

  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: every non-public route table has the S3 and DynamoDB gateway endpoints", (name) => {
    const json = envs.get(name)!;
    const assocs = resourceList(json, "aws_vpc_endpoint_route_table_association");
    for (const [tableName, table] of Object.entries(resources(json, "aws_route_table"))) {
      if ((table.tags as Record<string, string>).Tier === "public") continue;
      const attached = assocs.filter((a) => a.route_table_id === ref("aws_route_table", tableName)).map((a) => a.vpc_endpoint_id);
      const services = attached.map((id) => resources(json, "aws_vpc_endpoint")[/aws_vpc_endpoint\.([^.]+)\.id/.exec(id as string)![1]].service_name);
      const region = ENVIRONMENTS.find((e) => e.name === name)!.region;
      expect(services.sort()).toEqual([`com.amazonaws.${region}.dynamodb`, `com.amazonaws.${region}.s3`]);
    }
  });

  it.each(ENVIRONMENTS.map((e) => [e.name]))(
    "%s: a training node behind the S3 gateway can pull its image from ECR, run the SSM Agent and install packages",
    (name) => {
      const region = ENVIRONMENTS.find((e) => e.name === name)!.region;
      const s3 = resourceList(envs.get(name)!, "aws_vpc_endpoint").find(
        (e) => e.service_name === `com.amazonaws.${region}.s3` && e.vpc_endpoint_type === "Gateway",
      )!;
      for (const [bucket, key] of readsIn(region)) {
        const decision = evaluate(s3.policy as string, {
          action: "s3:GetObject",
          resource: `arn:aws:s3:::${bucket}/${key}`,
          context: { "aws:SecureTransport": "true", "aws:PrincipalAccount": ECR_SERVICE_ACCOUNT },
        });
        expect({ bucket, decision }).toEqual({ bucket, decision: "allow" });
      }
    },
  );

  it("dev: essentials (and the multi-modal Rekognition endpoint) in one AZ", () => {
    expect(interfaceServices("dev")).toEqual(["ecr.api", "ecr.dkr", "logs", "rekognition", "sagemaker.api", "sagemaker.runtime", "sts"]);
    expect(resourceList(envs.get("dev")!, "aws_vpc_endpoint_subnet_association").filter(own("dev"))).toHaveLength(7);
  });

  it("staging: essentials plus monitoring, kms and the ssm family in every AZ", () => {
    expect(interfaceServices("staging")).toEqual([
      "ec2messages",
      "ecr.api",
      "ecr.dkr",
      "kms",
      "logs",
      "monitoring",
      "sagemaker.api",
      "sagemaker.runtime",
      "ssm",
      "ssmmessages",
      "sts",
    ]);
    expect(resourceList(envs.get("staging")!, "aws_vpc_endpoint_subnet_association").filter(own("staging"))).toHaveLength(11 * 2);
  });

  it("prod: adds the notebook and multi-modal endpoints; all sit in three AZs, private DNS on, only the vpcEndpoints group attached", () => {
    const json = envs.get("prod")!;
    expect(interfaceServices("prod")).toEqual(expect.arrayContaining(["notebook", "rekognition", "sagemaker.api", "sagemaker.runtime"]));
    const sg = ref("aws_security_group", byPath(json, "aws_security_group", "security-groups/vpcEndpoints").name);
    const assocs = resourceList(json, "aws_vpc_endpoint_subnet_association");
    for (const [name, e] of Object.entries(resources(json, "aws_vpc_endpoint"))) {
      if (e.vpc_endpoint_type !== "Interface" || !own("prod")(e)) continue;
      expect(e).toMatchObject({ private_dns_enabled: true, security_group_ids: [sg] });
      const subnets = assocs.filter((a) => a.vpc_endpoint_id === ref("aws_vpc_endpoint", name)).map((a) => a.subnet_id as string);
      const azs = subnets.map((id) => resources(json, "aws_subnet")[/aws_subnet\.([^.]+)\.id/.exec(id)![1]].availability_zone);
      expect(azs.sort()).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    }
    expect(prod.endpoints?.interface?.services).toContain("sagemaker.notebook");
  });
});
