/**
 * What the command-line tools read: names resolve to the current project's
 * stacks before the bundled examples, every target gets a unique name, and
 * the temporary folder of an in-memory synthesis is gone after success and
 * after failure.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { captureOutput } from "../helpers";
import type { App } from "cdktf";
import { MlPlatformStack } from "../../environments";
import { loadTargets, outdirOf, uniqueNames } from "../../bin/targets";
import { cli as check } from "../../bin/check";
import { cli as report } from "../../bin/report";

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** A tiny stack JSON that says which stack it is (a resource named after it). */
const stackJson = (marker: string) => ({
  provider: { aws: [{ region: "us-east-1" }] },
  resource: { aws_sns_topic: { [marker]: { name: marker } } },
});

/** A project folder with synthesized stacks under <outdir>/stacks/<name>/cdk.tf.json. */
function project(stacks: Record<string, unknown>, outdir = "cdktf.out", name?: string): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "targets-"));
  roots.push(base);
  const root = name ? path.join(base, name) : base;
  for (const [stack, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(root, outdir, "stacks", stack), { recursive: true });
    fs.writeFileSync(path.join(root, outdir, "stacks", stack, "cdk.tf.json"), JSON.stringify(json));
  }
  fs.mkdirSync(root, { recursive: true });
  return root;
}

const markerOf = (json: unknown) => Object.keys((json as { resource: { aws_sns_topic: object } }).resource.aws_sns_topic)[0];

const run = captureOutput;

describe("target resolution", () => {
  it("a bare name is the project's stack first; the bundled example only when the project has none (or with example:)", () => {
    const cwd = project({ dev: stackJson("team-dev") });
    const [stack] = loadTargets(["dev"], { cwd });
    expect(stack).toMatchObject({ name: "dev", kind: "stack", file: path.join(cwd, "cdktf.out", "stacks", "dev", "cdk.tf.json") });
    expect(markerOf(stack.json)).toBe("team-dev");

    const empty = project({});
    const [example] = loadTargets(["dev"], { cwd: empty });
    expect(example).toMatchObject({ name: "dev", kind: "example", environment: "dev", label: "example environment dev" });
    expect(Object.keys((example.json as { resource: object }).resource)).toContain("aws_vpc");

    // Both at once: the stack keeps the plain name, the example says what it is.
    expect(loadTargets(["dev", "example:dev"], { cwd }).map((t) => [t.name, t.kind])).toEqual([
      ["dev", "stack"],
      ["example-dev", "example"],
    ]);
  });

  it("respects CDKTF_OUTDIR, then cdktf.json's output", () => {
    const cwd = project({ c: stackJson("from-env") }, "out");
    expect(outdirOf({ cwd, env: { CDKTF_OUTDIR: "out" } })).toBe(path.join(cwd, "out"));
    expect(markerOf(loadTargets(["c"], { cwd, env: { CDKTF_OUTDIR: "out" } })[0].json)).toBe("from-env");
    expect(() => loadTargets(["c"], { cwd, env: {} })).toThrow(/"c" is not a stack of this project \(cdktf\.out\/stacks has none\)/);
    fs.writeFileSync(path.join(cwd, "cdktf.json"), JSON.stringify({ language: "typescript", output: "out" }));
    expect(markerOf(loadTargets(["c"], { cwd, env: {} })[0].json)).toBe("from-env");
  });

  it("takes a .tf.json file or a stack folder, named after the file or the stack folder", () => {
    const cwd = project({ a: stackJson("a") });
    fs.writeFileSync(path.join(cwd, "team.tf.json"), JSON.stringify(stackJson("file")));
    fs.mkdirSync(path.join(cwd, "copied", "billing"), { recursive: true });
    fs.writeFileSync(path.join(cwd, "copied", "billing", "cdk.tf.json"), JSON.stringify(stackJson("billing")));
    const targets = loadTargets(["cdktf.out/stacks/a", "team.tf.json", "copied/billing/cdk.tf.json"], { cwd });
    expect(targets.map((t) => [t.name, t.kind, markerOf(t.json)])).toEqual([
      ["a", "stack", "a"],
      ["team", "file", "file"],
      ["billing", "stack", "billing"],
    ]);
  });

  it("gives targets that share a name the parent folder that tells them apart, and loads the same file once", () => {
    const one = project({ a: stackJson("one") }, "cdktf.out", "team1");
    const two = project({ a: stackJson("two") }, "cdktf.out", "team2");
    const file = (root: string) => path.join(root, "cdktf.out", "stacks", "a", "cdk.tf.json");
    const targets = loadTargets([file(one), file(two), path.dirname(file(one))], { cwd: one });
    expect(targets.map((t) => [t.name, markerOf(t.json)])).toEqual([
      ["a-team1", "one"],
      ["a-team2", "two"],
    ]);
    // Case-insensitive file systems: A and a would share a folder.
    expect(
      uniqueNames([
        { base: "A", parents: ["x"] },
        { base: "a", parents: ["x"] },
      ]),
    ).toEqual(["A", "a-2"]);
  });

  it("says what it found when a name resolves to nothing, and refuses HCL and folders without a stack", async () => {
    const cwd = project({ a: stackJson("a"), b: stackJson("b") });
    fs.mkdirSync(path.join(cwd, "cdktf.out", "stacks", "hcl"));
    fs.writeFileSync(path.join(cwd, "cdktf.out", "stacks", "hcl", "cdk.tf"), "");
    const r = await run(() => check(["qa"], { cwd }));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /"qa" is not a stack of this project \(cdktf\.out\/stacks has a, b\) and is neither an environment \(dev, staging, prod\) nor a file\. Fix:/,
    );
    expect(() => loadTargets(["cdktf.out/stacks/hcl"], { cwd })).toThrow(/holds cdk\.tf \(HCL\); the tools read Terraform JSON/);
    expect(() => loadTargets(["."], { cwd })).toThrow(/is not a stack folder; it holds the stacks a, b in cdktf\.out\/stacks\. Fix: name one of them/);
    expect(() => loadTargets(["missing.tf.json"], { cwd })).toThrow(/"missing\.tf\.json" does not exist/);
    expect(() => loadTargets(["example:qa"], { cwd })).toThrow(/the example environments are dev, staging, prod/);
    fs.writeFileSync(path.join(cwd, "broken.tf.json"), "{ not json");
    expect(() => loadTargets(["hcl"], { cwd })).toThrow(/"cdktf\.out\/stacks\/hcl" holds cdk\.tf \(HCL\)/);
    expect(() => loadTargets(["broken.tf.json"], { cwd })).toThrow(/broken\.tf\.json: not valid JSON/);
    fs.writeFileSync(path.join(cwd, "list.tf.json"), "[]");
    expect(() => loadTargets(["list.tf.json"], { cwd })).toThrow(/list\.tf\.json: JSON, but not Terraform JSON/);
  });
});

describe("--help", () => {
  it.each([
    ["ml-network-check", check],
    ["ml-network-report", report],
  ] as const)("%s lists the stacks it found and the bundled examples", async (name, command) => {
    const cwd = project({ alpha: stackJson("alpha"), beta: stackJson("beta") });
    const r = await run(() => command(["--help"], { cwd }));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: ${name}`);
    expect(r.out).toMatch(/stacks in cdktf\.out\/stacks: alpha, beta\n/);
    expect(r.out).toMatch(/example environments: dev, staging, prod/);
    const none = await run(() => command(["--help"], { cwd: project({}) }));
    expect(none.out).toMatch(/stacks in cdktf\.out\/stacks: none found/);
  });
});

describe("temporary folders", () => {
  afterEach(() => jest.restoreAllMocks());

  /** Spies on the example synthesis: records the App's output folder while it exists, then synthesizes or fails. */
  function watchSynthesis(fail: boolean): string[] {
    const seen: string[] = [];
    const real = MlPlatformStack.prototype.toTerraform;
    jest.spyOn(MlPlatformStack.prototype, "toTerraform").mockImplementation(function (this: MlPlatformStack) {
      const outdir = (this.node.root as App).outdir;
      if (fs.existsSync(outdir)) seen.push(outdir);
      if (fail) throw new Error("synthesis failed on purpose");
      return real.call(this);
    });
    return seen;
  }

  it("are removed after a successful run", async () => {
    const seen = watchSynthesis(false);
    const r = await run(() => check(["example:dev", "--required-tags", "Environment"], { cwd: project({}) }));
    expect(r.code).toBe(0);
    expect(seen).toHaveLength(1);
    expect(path.dirname(seen[0])).toBe(os.tmpdir());
    expect(fs.existsSync(seen[0])).toBe(false);
  });

  it("are removed when the run fails, with exit code 2 and the reason, and nothing is written", async () => {
    const seen = watchSynthesis(true);
    const out = project({});
    const r = await run(() => report(["example:staging", "--out", path.join(out, "reports")], { cwd: out }));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error: synthesis failed on purpose/);
    expect(seen).toHaveLength(1);
    expect(fs.existsSync(seen[0])).toBe(false);
    expect(fs.existsSync(path.join(out, "reports"))).toBe(false);
  });
});
