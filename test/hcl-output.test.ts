/**
 * `npm run synth:hcl`: the HCL must parse, describe the same resources as the
 * JSON, and be formatted the way `terraform fmt -check` wants (checked with
 * the real binary where one is installed).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "@cdktf/hcl2json";
import { ENVIRONMENTS } from "../environments";
import { synthAll } from "../main";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { formatHcl, unwrapInterpolations } = require("../scripts/hcl-format.js") as {
  formatHcl: (text: string) => Promise<string>;
  unwrapInterpolations: (text: string) => string;
};

const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
const hasTerraform = terraform.status === 0;

function synthTo(outdir: string, hcl: boolean) {
  const before = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = hcl ? "true" : "false";
  try {
    synthAll(ENVIRONMENTS, outdir);
  } finally {
    if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = before;
  }
}

describe("HCL output", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hcl-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const hclDir = path.join(root, "hcl");

  // The JSON the global setup wrote (or a fresh synth when run alone).
  const jsonDir = process.env.ML_NETWORK_TEST_SYNTH_DIR ?? path.join(root, "json");

  beforeAll(async () => {
    synthTo(hclDir, true);
    if (!process.env.ML_NETWORK_TEST_SYNTH_DIR) synthTo(jsonDir, false);
    for (const env of ENVIRONMENTS) {
      const file = path.join(hclDir, "stacks", env.name, "cdk.tf");
      fs.writeFileSync(file, await formatHcl(fs.readFileSync(file, "utf8")));
    }
  });

  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: cdk.tf parses and declares exactly the resources of cdk.tf.json", async (name) => {
    const hcl = (await parse("cdk.tf", fs.readFileSync(path.join(hclDir, "stacks", name, "cdk.tf"), "utf8"))) as {
      resource: Record<string, Record<string, unknown>>;
    };
    const json = JSON.parse(fs.readFileSync(path.join(jsonDir, "stacks", name, "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, unknown>>;
    };
    const addresses = (r: Record<string, Record<string, unknown>>) =>
      Object.entries(r).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)).sort();
    expect(addresses(hcl.resource)).toEqual(addresses(json.resource));
  });

  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: the terraform block keeps required_version (cdktf renders it as a key list)", async (name) => {
    const text = fs.readFileSync(path.join(hclDir, "stacks", name, "cdk.tf"), "utf8");
    const hcl = (await parse("cdk.tf", text)) as { terraform: { required_version: string }[] };
    expect(hcl.terraform[0].required_version).toBe(">= 1.11.0");
    expect(text).not.toMatch(/^\s*0 = /m);
  });

  it("writes policies as heredocs, so their quotes need no escaping", () => {
    const text = fs.readFileSync(path.join(hclDir, "stacks", "prod", "cdk.tf"), "utf8");
    expect(text).toMatch(/policy\s+= <<EOF\n\{\n {2}"Version": "2012-10-17"/);
  });

  it("unwraps interpolation-only strings outside heredocs only", () => {
    const input = ['  vpc_id = "${aws_vpc.x.id}"', "  policy = <<EOF", '{"a": "${data.x.y}"}', "EOF", '  b = "arn:${x.y}"'].join("\n");
    expect(unwrapInterpolations(input).split("\n")).toEqual([
      "  vpc_id = aws_vpc.x.id",
      "  policy = <<EOF",
      '{"a": "${data.x.y}"}',
      "EOF",
      '  b = "arn:${x.y}"',
    ]);
  });

  (hasTerraform ? it : it.skip).each(ENVIRONMENTS.map((e) => [e.name]))("%s: terraform fmt -check accepts cdk.tf", (name) => {
    const run = spawnSync("terraform", ["fmt", "-check", "-diff", "-no-color", "."], {
      cwd: path.join(hclDir, "stacks", name),
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
    expect({ status: run.status, diff: run.stdout }).toEqual({ status: 0, diff: "" });
  });

  if (!hasTerraform) {
    it("terraform fmt -check: skipped, no terraform binary on PATH", () => {
      console.warn("terraform not found: the fmt -check tests were skipped; install Terraform >= 1.5 to run them");
    });
  }
});
