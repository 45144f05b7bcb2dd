/**
 * `terraform validate` with the real hashicorp/aws provider from a local
 * plugin directory: no network needed. Runs in `.ci/run` (npm run
 * test:terraform) and skips, saying why, where there is no terraform binary
 * or no plugin (set TF_PLUGIN_DIR).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS, prod, staging, type EnvironmentConfig } from "../../environments";
import { synthAll } from "../../main";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EfaCluster, MlVpc, MlVpcEndpoints, SegmentedSecurityGroups } from "../../modules";

/**
 * A team's stack from the library's defaults and its extension points: the
 * baseline default NACL (inline ICMP entries), a custom interface service,
 * and an EFA type the table lacks, laid out from `instanceSpec`.
 */
function libraryStack(): string {
  const stack = new TerraformStack(Testing.app(), "library");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const network = new MlVpc(stack, "network", {
    name: "team-ml",
    cidr: "10.140.0.0/16",
    region: "eu-west-1",
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    tiers: { public: { prefixLength: 24 }, private: { prefixLength: 20 }, training: { prefixLength: 20, availabilityZones: ["eu-west-1a"] } },
    nat: "single",
  });
  const groups = new SegmentedSecurityGroups(stack, "security-groups", { network, efa: true });
  new MlVpcEndpoints(stack, "endpoints", {
    network,
    securityGroupIds: [groups.ids.vpcEndpoints],
    interface: {
      services: ["sts", "bedrock-agents"],
      customServices: { "bedrock-agents": { suffix: "bedrock-agent-runtime", purpose: "Bedrock agents called from training jobs" } },
    },
  });
  new EfaCluster(stack, "cluster", {
    network,
    name: "next",
    securityGroupId: groups.ids.efa,
    instanceType: "p6-b200.48xlarge",
    instanceSpec: { efaInterfaces: 8, networkCards: 8, family: "gpu" },
    nodes: { max: 2 },
    ami: { ssmParameter: "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id" },
  });
  return JSON.stringify(stack.toTerraform());
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = require("../../scripts/tf-validate.js") as {
  findPlugin: () => { dir: string; version: string } | undefined;
  terraformAvailable: () => boolean;
  validateStacks: (stacks: Record<string, string>) => Promise<{
    results: { name: string; valid: boolean; applied: string[]; diagnostics: { severity: string; summary: string; detail: string; address?: string }[] }[];
  }>;
  validationCopy: (text: string, version: string) => { json: { terraform: { required_providers: { aws: { version: string } } } }; applied: string[] };
};

const plugin = tf.findPlugin();
const reason = !tf.terraformAvailable() ? "no terraform binary on PATH" : !plugin ? "no hashicorp/aws plugin directory found (set TF_PLUGIN_DIR)" : undefined;

function synthesize(envs: readonly EnvironmentConfig[]): Record<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-validate-synth-"));
  try {
    synthAll(envs, outdir);
    return Object.fromEntries(envs.map((e) => [e.name, fs.readFileSync(path.join(outdir, "stacks", e.name, "cdk.tf.json"), "utf8")]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe("the validation copy", () => {
  const text = JSON.stringify({
    terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } } },
    resource: { x: { y: { name: "${data.aws_region.r.region}" } } },
  });

  it("maps the 6.x-only aws_region attribute and pins an older plugin's version", () => {
    const copy = tf.validationCopy(text, "5.100.0");
    expect(JSON.stringify(copy.json)).toContain("${data.aws_region.r.name}");
    expect(copy.json.terraform.required_providers.aws.version).toBe("5.100.0");
    expect(copy.applied).toHaveLength(1);
  });

  it("maps nothing for a 6.x plugin", () => {
    const copy = tf.validationCopy(text, "6.25.0");
    expect(JSON.stringify(copy.json)).toContain("${data.aws_region.r.region}");
    expect(copy.applied).toEqual([]);
  });
});

if (reason) {
  // Reported as skipped (not passed), with the reason in its name and on the console.
  console.warn(`offline terraform validate skipped: ${reason}`);
  it.skip(`terraform validate with the offline provider (skipped: ${reason})`, () => undefined);
}

(reason ? describe.skip : describe)(`terraform validate with hashicorp/aws ${plugin?.version ?? "(none)"} from ${plugin?.dir ?? "(none)"}`, () => {
  let results: Awaited<ReturnType<typeof tf.validateStacks>>["results"] = [];
  let roles: string[] = [];
  beforeAll(async () => {
    const stacks = synthesize(ENVIRONMENTS);
    // Features the shipped environments do not use, so their Terraform is validated too.
    const variants = synthesize([
      {
        ...prod,
        name: "prod-capacity-block",
        network: { ...prod.network, cidr: "10.130.0.0/16" },
        efaClusters: { llm: { ...prod.efaClusters!.llm, capacityReservation: { id: "cr-0123456789abcdef0", capacityBlock: true } } },
      },
      {
        ...staging,
        name: "staging-s3-state",
        network: { ...staging.network, cidr: "10.120.0.0/16" },
        backend: { type: "s3", bucket: "acme-terraform-state", region: "us-east-1", roleArn: "arn:aws:iam::111122223333:role/terraform" },
      },
    ]);
    const json = JSON.parse(stacks.prod) as { resource: { aws_iam_role: Record<string, { name: string }> } };
    roles = Object.keys(json.resource.aws_iam_role);
    json.resource.aws_iam_role[roles[0]].name = "r".repeat(70);
    results = (await tf.validateStacks({ ...stacks, ...variants, library: libraryStack(), planted: JSON.stringify(json) })).results;
  }, 300000);
  const result = (name: string) => results.find((r) => r.name === name)!;

  it.each([...ENVIRONMENTS.map((e) => e.name), "prod-capacity-block", "staging-s3-state", "library"])("%s is valid Terraform for the real provider", (name) => {
    expect({ name, valid: result(name).valid, errors: result(name).diagnostics.filter((d) => d.severity === "error") }).toEqual({
      name,
      valid: true,
      errors: [],
    });
  });

  it("rejects a planted error: an IAM role name of 70 characters (AWS allows 64)", () => {
    const r = result("planted");
    expect(r.valid).toBe(false);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: "error",
        summary: expect.stringMatching(/expected length of name to be in the range \(1 - 64\)/),
        address: `aws_iam_role.${roles[0]}`,
      }),
    ]);
  });
});
