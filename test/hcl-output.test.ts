/**
 * HCL output, from the real commands: `npm run synth:hcl` (scripts/synth.js
 * --hcl) and the cdktf.json app as `cdktf synth --hcl` runs it (the app with
 * SYNTH_HCL_OUTPUT=true, then the CLI's own @cdktf/hcl-tools pass). The HCL
 * must parse, describe the same resources as the JSON, and be formatted the
 * way `terraform fmt -check` wants (checked with the real binary where one is
 * installed); HCL written over JSON leaves no stale cdk.tf.json.
 *
 * Formatting and parsing run in child processes: @cdktf/hcl-tools and
 * @cdktf/hcl2json are Go WebAssembly, whose runtime keeps re-arming timers
 * after the work is done; in the jest worker they kept it from exiting ("A
 * worker process has failed to exit gracefully").
 */
import { spawn, spawnSync, type SpawnOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS } from "../environments";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unwrapInterpolations } = require("../scripts/hcl-format.js") as { unwrapInterpolations: (text: string) => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { modeOf } = require("../scripts/synth.js") as { modeOf: (argv: string[], env: Record<string, string | undefined>) => { cdktf: boolean; hcl: boolean } };

const root = path.join(__dirname, "..");
const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
const hasTerraform = terraform.status === 0;
const names = ENVIRONMENTS.map((e) => [e.name]);

/** Runs a command to completion (asynchronously, so two can share the machine's cores); rejects with its output. */
function run(command: string, args: string[], options: SpawnOptions & { env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, ...options, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...options.env } });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${code}):\n${output}`))));
  });
}

/** In a child process: apply the CLI's formatting pass (optional), then parse every file with @cdktf/hcl2json. */
function parseFiles(files: string[], cliFormat: string[], outFile: string): Record<string, unknown> {
  const script = `
    const fs = require("fs");
    (async () => {
      const { format } = require("@cdktf/hcl-tools");
      for (const f of ${JSON.stringify(cliFormat)}) fs.writeFileSync(f, await format(fs.readFileSync(f, "utf8")));
      const { parse } = require("@cdktf/hcl2json");
      const out = {};
      for (const f of ${JSON.stringify(files)}) out[f] = await parse("cdk.tf", fs.readFileSync(f, "utf8"));
      fs.writeFileSync(${JSON.stringify(outFile)}, JSON.stringify(out));
      process.exit(0); // the Go runtimes would keep the process alive for seconds
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const res = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`parsing HCL failed:\n${res.stderr}`);
  return JSON.parse(fs.readFileSync(outFile, "utf8"));
}

describe("HCL output", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hcl-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const npmDir = path.join(tmp, "npm");
  const cliDir = path.join(tmp, "cli");
  const hclFile = (dir: string, name: string) => path.join(dir, "stacks", name, "cdk.tf");
  let parsed: Record<string, unknown> = {};
  let jsonBeforeHcl: string[] = [];

  // The JSON the global setup wrote (or a fresh synth when run alone).
  const jsonDir = process.env.ML_NETWORK_TEST_SYNTH_DIR ?? path.join(tmp, "json");

  beforeAll(async () => {
    if (!process.env.ML_NETWORK_TEST_SYNTH_DIR) await run(process.execPath, ["scripts/synth.js"], { env: { CDKTF_OUTDIR: jsonDir } });
    // cdktf synth --hcl over the output of an earlier cdktf synth: the app as cdktf-cli's SynthStack runs it.
    fs.cpSync(jsonDir, cliDir, { recursive: true });
    jsonBeforeHcl = ENVIRONMENTS.filter((e) => fs.existsSync(path.join(cliDir, "stacks", e.name, "cdk.tf.json"))).map((e) => e.name);
    const app = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8")).app as string;
    const cliEnv = {
      CDKTF_OUTDIR: cliDir,
      CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
      CDKTF_CONTEXT_JSON: JSON.stringify({ cdktfRelativeModules: [] }),
    };
    // One real run: the cdktf.json app as the CLI runs it. npm run synth:hcl takes the same path (modeOf, below).
    await run(app, [], { shell: true, env: { ...cliEnv, SYNTH_HCL_OUTPUT: "true" } });
    fs.cpSync(cliDir, npmDir, { recursive: true });
    const npmFiles = ENVIRONMENTS.map((e) => hclFile(npmDir, e.name));
    const cliFiles = ENVIRONMENTS.map((e) => hclFile(cliDir, e.name));
    // The CLI's own formatting pass runs over its copy; both are compared byte for byte below.
    parsed = parseFiles(npmFiles, cliFiles, path.join(tmp, "parsed.json"));
  });

  it("npm run synth:hcl and cdktf synth --hcl take the same path", () => {
    expect(modeOf(["node", "synth.js", "--hcl"], {})).toEqual({ cdktf: false, hcl: true });
    expect(modeOf(["node", "synth.js", "--cdktf"], { SYNTH_HCL_OUTPUT: "true" })).toEqual({ cdktf: true, hcl: true });
    expect(modeOf(["node", "synth.js", "--cdktf"], {})).toEqual({ cdktf: true, hcl: false });
    expect(modeOf(["node", "synth.js"], { SYNTH_HCL_OUTPUT: "true" })).toEqual({ cdktf: false, hcl: false });
  });

  it.each(names)("%s: cdk.tf parses and declares exactly the resources of cdk.tf.json", (name) => {
    const hcl = parsed[hclFile(npmDir, name)] as { resource: Record<string, Record<string, unknown>> };
    const json = JSON.parse(fs.readFileSync(path.join(jsonDir, "stacks", name, "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, unknown>>;
    };
    const addresses = (r: Record<string, Record<string, unknown>>) =>
      Object.entries(r)
        .flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`))
        .sort();
    expect(addresses(hcl.resource)).toEqual(addresses(json.resource));
  });

  it.each(names)("%s: the terraform block keeps required_version (cdktf renders it as a key list)", (name) => {
    const text = fs.readFileSync(hclFile(npmDir, name), "utf8");
    const hcl = parsed[hclFile(npmDir, name)] as { terraform: { required_version: string }[] };
    expect(hcl.terraform[0].required_version).toBe(">= 1.11.0");
    expect(text).not.toMatch(/^\s*0 = /m);
  });

  it("writes policies as heredocs, so their quotes need no escaping", () => {
    const text = fs.readFileSync(hclFile(npmDir, "prod"), "utf8");
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

  it.each(names)("%s: the cdktf.json app's HCL survives the CLI's own formatting pass unchanged, and no stale cdk.tf.json sits beside it", (name) => {
    expect(jsonBeforeHcl).toContain(name);
    expect(fs.readdirSync(path.join(cliDir, "stacks", name)).filter((f) => f.startsWith("cdk."))).toEqual(["cdk.tf"]);
    expect(fs.readFileSync(hclFile(cliDir, name), "utf8")).toBe(fs.readFileSync(hclFile(npmDir, name), "utf8"));
  });

  const fmtCheck = (dir: string) => {
    const res = spawnSync("terraform", ["fmt", "-check", "-diff", "-no-color", "."], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
    return { status: res.status, diff: res.stdout };
  };
  (hasTerraform ? it : it.skip).each(names)("%s: terraform fmt -check accepts cdk.tf from npm run synth:hcl and from the cdktf.json app", (name) => {
    expect(fmtCheck(path.join(npmDir, "stacks", name))).toEqual({ status: 0, diff: "" });
    expect(fmtCheck(path.join(cliDir, "stacks", name))).toEqual({ status: 0, diff: "" });
  });

  if (!hasTerraform) {
    it("terraform fmt -check: skipped, no terraform binary on PATH", () => {
      console.warn("terraform not found: the fmt -check tests were skipped; install Terraform >= 1.5 to run them");
    });
  }
});
