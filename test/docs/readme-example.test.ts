/**
 * The README's example is what a new user copies first: it must run against
 * the package as published (the `ml-network-cdktf` entry) and build what the
 * text around it promises.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { transform } from "sucrase";

const root = path.resolve(__dirname, "../..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

/** The TypeScript block right after the `<!-- readme-example -->` marker. */
function example(): string {
  const match = /<!-- readme-example -->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error("README.md has no ```ts block after <!-- readme-example -->");
  return match[1];
}

/** Runs the example with `ml-network-cdktf` resolved to this checkout; returns the synthesized stacks. */
function runExample(code: string): Record<string, { resource: Record<string, Record<string, Record<string, unknown>>> }> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-example-"));
  const js = transform(code, { transforms: ["typescript", "imports"] }).code;
  // The transpiled example is CommonJS: it gets a require that maps the package name to this checkout.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (id: string): unknown => (id === "ml-network-cdktf" ? require(path.join(root, "index")) : require(id));
  const previous = process.env.CDKTF_OUTDIR;
  process.env.CDKTF_OUTDIR = outdir;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the README's own code is the point
    new Function("require", "exports", js)(load, {});
  } finally {
    if (previous === undefined) delete process.env.CDKTF_OUTDIR;
    else process.env.CDKTF_OUTDIR = previous;
  }
  const stacks = path.join(outdir, "stacks");
  const result = Object.fromEntries(fs.readdirSync(stacks).map((name) => [name, JSON.parse(fs.readFileSync(path.join(stacks, name, "cdk.tf.json"), "utf8"))]));
  fs.rmSync(outdir, { recursive: true, force: true });
  return result;
}

describe("the README example", () => {
  const stacks = runExample(example());
  const resources = stacks["team-ml"].resource;

  it("imports from the package entry and synthesizes one stack", () => {
    expect(example()).toContain('from "ml-network-cdktf"');
    expect(Object.keys(stacks)).toEqual(["team-ml"]);
  });

  it("builds private and isolated subnets in both AZs and no NAT", () => {
    const subnets = Object.values(resources.aws_subnet);
    expect(subnets.map((s) => `${(s.tags as Record<string, string>).Tier} ${s.availability_zone}`).sort()).toEqual([
      "isolated eu-west-1a",
      "isolated eu-west-1b",
      "private eu-west-1a",
      "private eu-west-1b",
    ]);
    expect(resources.aws_nat_gateway).toBeUndefined();
  });

  it("keeps AWS traffic off NAT: gateway endpoints for S3 and DynamoDB, the four interface endpoints with private DNS", () => {
    const endpoints = Object.values(resources.aws_vpc_endpoint);
    const services = endpoints.map((e) => String(e.service_name)).sort();
    expect(services).toEqual(
      [
        "com.amazonaws.eu-west-1.dynamodb",
        "com.amazonaws.eu-west-1.logs",
        "com.amazonaws.eu-west-1.s3",
        "com.amazonaws.eu-west-1.sagemaker.api",
        "com.amazonaws.eu-west-1.sagemaker.runtime",
        "com.amazonaws.eu-west-1.sts",
      ].sort(),
    );
    for (const e of endpoints.filter((x) => x.vpc_endpoint_type === "Interface")) expect(e.private_dns_enabled).toBe(true);
  });

  it("creates the segmented security groups, without EFA unless asked", () => {
    const names = Object.values(resources.aws_security_group).map((g) => String(g.name));
    expect(names.sort()).toEqual(["team-ml-data", "team-ml-inference", "team-ml-notebook", "team-ml-training", "team-ml-vpcEndpoints"]);
  });
});
