import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Testing } from "cdktf";
import { ENVIRONMENTS, MlPlatformStack, dev, prod, resolveEnvironments, staging, type EnvironmentConfig } from "../../environments";
import { trainingTier } from "../../environments/common";
import { overlaps } from "../../modules/core/cidr";
import { synthAll } from "../../main";
import { resourceList, synthEnvironment, type TfJson, environmentJson } from "../helpers";
import { PER_ENVIRONMENT_CHECKS } from "./per-environment";

const synthesized = new Map(
  ENVIRONMENTS.map((env) => {
    const json = environmentJson(env.name);
    return [env.name, { json, text: JSON.stringify(json) }];
  }),
);
const jsonOf = (name: string): TfJson => synthesized.get(name)!.json;

/** staging with an S3 backend, synthesized once for the tests that need it. */
let s3StagingJson: TfJson | undefined;
const s3Staging = (): TfJson => {
  const env: EnvironmentConfig = {
    ...staging,
    backend: {
      type: "s3",
      bucket: "acme-terraform-state",
      region: "us-east-1",
      kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    },
  };
  return (s3StagingJson ??= synthEnvironment(env).json);
};
const root = path.resolve(__dirname, "../..");
const names = ENVIRONMENTS.map((e) => e.name);

// Every configured environment, whatever their number: a new one in ENVIRONMENTS is checked here without editing this file.
describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s", (name, env) => {
  it.each(Object.entries(PER_ENVIRONMENT_CHECKS))("%s", (_title, check) => check(env, jsonOf(name)));
});

describe("the configured environments", () => {
  it("are listed once each, each in environments/<name>.ts, and documented in docs/environments.md", () => {
    expect(new Set(names).size).toBe(names.length);
    for (const env of ENVIRONMENTS) {
      const file = path.join(root, "environments", `${env.name}.ts`);
      expect({ name: env.name, file: fs.existsSync(file) }).toEqual({ name: env.name, file: true });
      expect(Object.values(jest.requireActual<Record<string, unknown>>(file))).toContain(env);
    }
    // The overview table has a column per environment.
    const header = fs
      .readFileSync(path.join(root, "docs", "environments.md"), "utf8")
      .split("\n")
      .find((l) => l.startsWith("| |"))!;
    const columns = header.split("|").map((c) => c.trim());
    for (const name of names) expect({ name, documented: columns.includes(name) }).toEqual({ name, documented: true });
  });

  it("dev: 2 AZs, one NAT gateway for all, the two private tables and the training table routed through it", () => {
    const json = jsonOf("dev");
    expect(resourceList(json, "aws_nat_gateway")).toHaveLength(1);
    expect(resourceList(json, "aws_subnet").filter((s) => (s.tags as Record<string, string>).Tier === "private")).toHaveLength(2);
    const natRoutes = resourceList(json, "aws_route").filter((r) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(3);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  it("dev without the training tier's NAT route fails synth with the rule and the fix", () => {
    const tiers = { ...dev.network.tiers, training: trainingTier(dev.network.availabilityZones) };
    const [az] = tiers.training.availabilityZones;
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "intent-"));
    expect(() => synthAll([{ ...dev, network: { ...dev.network, tiers } }], outdir)).toThrow(
      new RegExp(
        `MLN-RT-3 .*training-egress-tcp-443-to-0-0-0-0-0.*on tcp 443, but it runs in subnets with no path out: ml-dev-training-${az} \\(.*has no default route\\)[\\s\\S]*Fix: give the tier a route out`,
      ),
    );
    expect(fs.readdirSync(outdir)).toEqual([]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it("staging: 2 AZs, a NAT gateway per AZ", () => {
    const json = jsonOf("staging");
    expect(
      resourceList(json, "aws_nat_gateway")
        .map((n) => (n.tags as Record<string, string>).Name)
        .sort(),
    ).toEqual(staging.network.availabilityZones.map((az) => `ml-staging-nat-${az}`).sort());
  });

  it("prod: 3 AZs, NAT per AZ, 60 s flow-log aggregation and the longest retention", () => {
    const json = jsonOf("prod");
    expect(resourceList(json, "aws_nat_gateway")).toHaveLength(3);
    expect(prod.network.availabilityZones).toHaveLength(3);
    expect(new Set(resourceList(json, "aws_subnet").map((s) => s.availability_zone))).toEqual(new Set(prod.network.availabilityZones));
    expect(synthesized.get("prod")!.text).toHaveResourceWithProperties(FlowLog, { max_aggregation_interval: 60, traffic_type: "ALL" });
    const retention = (name: string) => resourceList(jsonOf(name), "aws_cloudwatch_log_group")[0].retention_in_days as number;
    expect(retention("prod")).toBeGreaterThan(retention("staging"));
    expect(retention("staging")).toBeGreaterThan(retention("dev"));
    expect(synthesized.get("prod")!.text).toHaveResource(CloudwatchLogGroup);
  });

  it("VPC CIDRs are disjoint across environments and from the on-premises ranges", () => {
    const blocks = ENVIRONMENTS.map((e) => [e.name, [e.network.cidr, ...(e.network.secondaryCidrs ?? [])]] as const);
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) {
        for (const a of blocks[i][1]) for (const b of blocks[j][1]) expect(overlaps(a, b)).toBe(false);
      }
    }
    const onPrem = ENVIRONMENTS.flatMap((e) => e.onPremisesCidrs ?? []);
    expect(onPrem.length).toBeGreaterThan(0);
    for (const [, own] of blocks) for (const a of own) for (const b of onPrem) expect(overlaps(a, b)).toBe(false);
  });

  it("prod: no egress rule allows all ports to the internet, and none reaches the internet at all", () => {
    const egress = resourceList(jsonOf("prod"), "aws_vpc_security_group_egress_rule");
    expect(egress.filter((r) => r.cidr_ipv4 === "0.0.0.0/0" || r.cidr_ipv6 === "::/0")).toEqual([]);
    expect(egress.filter((r) => r.ip_protocol === "-1" && !r.referenced_security_group_id)).toEqual([]);
  });

  it("dev opts notebooks and training into HTTPS internet egress; staging notebooks only", () => {
    const internet = (name: string) =>
      resourceList(jsonOf(name), "aws_vpc_security_group_egress_rule")
        .filter((r) => r.cidr_ipv4 === "0.0.0.0/0")
        .map((r) => `${(r.tags as Record<string, string>).Name} ${r.ip_protocol} ${r.from_port}`)
        .sort();
    expect(internet("dev")).toEqual(["ml-dev-notebook-egress-tcp-443-to-0-0-0-0-0 tcp 443", "ml-dev-training-egress-tcp-443-to-0-0-0-0-0 tcp 443"]);
    expect(internet("staging")).toEqual(["ml-staging-notebook-egress-tcp-443-to-0-0-0-0-0 tcp 443"]);
  });
});

describe("Terraform version", () => {
  it("is declared with an S3 backend too", () => {
    const terraform = s3Staging().terraform as { required_version?: string; backend: { s3: { use_lockfile?: boolean } } };
    expect(terraform.backend.s3.use_lockfile).toBe(true);
    expect(terraform.required_version).toBe(">= 1.11.0");
  });
});

describe("S3 backend", () => {
  it("keys the state per environment, encrypts it and locks with S3-native lock files", () => {
    const backend = (s3Staging().terraform as { backend: Record<string, Record<string, unknown>> }).backend;
    expect(backend.local).toBeUndefined();
    expect(backend.s3).toEqual({
      bucket: "acme-terraform-state",
      key: "ml-network/staging/terraform.tfstate",
      region: "us-east-1",
      encrypt: true,
      use_lockfile: true,
      kms_key_id: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    expect(backend.s3.dynamodb_table).toBeUndefined();
  });

  it("accepts a key prefix and a role to assume", () => {
    const env: EnvironmentConfig = {
      ...dev,
      backend: { type: "s3", bucket: "acme-tf", region: "eu-west-1", keyPrefix: "platform/net", roleArn: "arn:aws:iam::111122223333:role/tf" },
    };
    const s3 = (synthEnvironment(env).json.terraform as { backend: { s3: Record<string, unknown> } }).backend.s3;
    expect(s3).toMatchObject({
      key: "platform/net/dev/terraform.tfstate",
      region: "eu-west-1",
      assume_role: { role_arn: "arn:aws:iam::111122223333:role/tf" },
    });
  });
});

describe("main: synthesizing every environment", () => {
  const tmpDirs: string[] = [];
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-"));
    tmpDirs.push(dir);
    return dir;
  };
  afterAll(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("writes cdktf.out/stacks/<env>/cdk.tf.json for each environment, and the manifest", () => {
    // The global setup ran synthAll(ENVIRONMENTS) into this folder, as npm run synth does.
    const outdir = process.env.ML_NETWORK_TEST_SYNTH_DIR ?? tmp();
    if (!process.env.ML_NETWORK_TEST_SYNTH_DIR) expect(synthAll(ENVIRONMENTS, outdir)).toEqual(names);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual([...names].sort());
    for (const env of names) {
      const file = path.join(outdir, "stacks", env, "cdk.tf.json");
      expect(JSON.parse(fs.readFileSync(file, "utf8")).resource.aws_vpc).toBeDefined();
    }
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks).sort()).toEqual([...names].sort());
  });

  it("writes nothing when any environment is invalid", () => {
    const outdir = tmp();
    const broken = { ...prod, network: { ...prod.network, cidr: dev.network.cidr } };
    expect(() => synthAll([dev, staging, broken], outdir)).toThrow(/environment "prod"[\s\S]*network.cidr[\s\S]*overlaps environment "dev"/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  it("a failed synth keeps the previous good output, and a failed first synth creates no folder", () => {
    const outdir = tmp();
    synthAll([dev], outdir);
    const file = path.join(outdir, "stacks", "dev", "cdk.tf.json");
    const good = fs.readFileSync(file, "utf8");
    const broken = { ...dev, network: { ...dev.network, flowLogs: { destination: "none" as const } } };
    expect(() => synthAll([broken], outdir)).toThrow(/MLN-VPC-1/);
    expect(fs.readFileSync(file, "utf8")).toBe(good);
    expect(fs.readdirSync(outdir).sort()).toEqual(["manifest.json", "stacks"]);
    const fresh = path.join(tmp(), "never-created");
    expect(() => synthAll([broken], fresh)).toThrow(/MLN-VPC-1/);
    expect(fs.existsSync(fresh)).toBe(false);
  });

  it("keeps Terraform's own files in a stack folder, replaces the other output format, and drops stacks no longer defined", () => {
    const outdir = tmp();
    synthAll([dev, staging], outdir);
    const devDir = path.join(outdir, "stacks", "dev");
    fs.mkdirSync(path.join(devDir, ".terraform"));
    fs.writeFileSync(path.join(devDir, ".terraform.lock.hcl"), "# lock");
    fs.writeFileSync(path.join(devDir, "cdk.tf"), "# a stale HCL file");
    synthAll([dev], outdir);
    expect(fs.readdirSync(devDir).sort()).toEqual([".terraform", ".terraform.lock.hcl", "cdk.tf.json"]);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["dev"]);
  });

  it("rejects something other than a list of environments with a clear error", () => {
    expect(() => synthAll(dev as never, tmp())).toThrow(/environments: is not a list of environment configurations .*Fix: pass an array/);
  });

  it("validates the shipped environments without error", () => {
    expect(resolveEnvironments(ENVIRONMENTS).map((e) => e.name)).toEqual(names);
  });
});

describe("rendering the stack once for the compliance check and the synthesizer", () => {
  it("reuses the check's JSON for the next call only, and never after a construct was added", () => {
    const { TerraformOutput } = jest.requireActual("cdktf") as typeof import("cdktf");
    const stack = new MlPlatformStack(Testing.app(), dev);
    const checked = stack.renderForCheck();
    expect(stack.toTerraform()).toBe(checked);
    expect(stack.toTerraform()).not.toBe(checked);
    stack.renderForCheck();
    new TerraformOutput(stack, "late", { value: "x" });
    expect((stack.toTerraform() as { output: Record<string, unknown> }).output.late).toBeDefined();
  });
});
