/**
 * The cross-flavour check (`npm run test:cdktn`): every environment,
 * synthesized here by `scripts/synth.js` on cdktf and on CDK Terrain from the
 * same sources (never from files an earlier run left), has the same resources,
 * data sources and outputs, attribute for attribute, and the same providers,
 * backend, locals, variables and modules. The only differences allowed are
 * listed, with their reasons, in scripts/compare-flavours.js (EXPECTED): the
 * core library's version in the metadata and the hashicorp/aws pin (version,
 * and the short or full form of the same source). One cdktn stack is then
 * validated by `terraform validate` with the real provider
 * (scripts/tf-validate.js), which skips, saying why, without terraform or a
 * plugin, as the Terraform suite does.
 *
 * Both synths run as child processes, so this jest worker loads neither
 * flavour.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS } from "../../environments";

type Diff = { keys: string[]; path: string; a: unknown; b: unknown; expected?: { why: string } };
type StackResult = { name: string; sections: Record<string, { count: number; differing: number }>; diffs: Diff[]; unexpected: Diff[]; topLevel: string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compare = require("../../scripts/compare-flavours.js") as {
  compareOutputs(a: string, b: string): { stacks: StackResult[]; onlyIn: { a: string[]; b: string[] }; ok: boolean };
  report(result: unknown): string[];
  EXPECTED: { keys: string[]; why: string }[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = require("../../scripts/tf-validate.js") as {
  findPlugin: () => { dir: string; version: string } | undefined;
  terraformAvailable: () => boolean;
  validateStacks: (stacks: Record<string, string>) => Promise<{
    results: { name: string; valid: boolean; diagnostics: { severity: string; summary: string; detail: string; address?: string }[] }[];
  }>;
};

const root = path.resolve(__dirname, "../..");
const names = ENVIRONMENTS.map((e) => e.name).sort();

/** `node scripts/synth.js --flavour=<flavour>` into outdir; rejects with its output. */
function synth(flavour: string, outdir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Without ML_NETWORK_FLAVOUR (this run sets it to cdktn): the flag alone decides.
    const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" };
    delete env.ML_NETWORK_FLAVOUR;
    const child = spawn(process.execPath, ["scripts/synth.js", `--flavour=${flavour}`], { cwd: root, env });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`synth on ${flavour} failed (${code}):\n${output}`))));
  });
}

const version = (dir: string, pkg: string) =>
  (JSON.parse(fs.readFileSync(path.join(dir, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;

describe("cdktf and cdktn synthesize the same Terraform", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cross-flavour-"));
  const out = { cdktf: path.join(tmp, "cdktf"), cdktn: path.join(tmp, "cdktn") };
  let result: ReturnType<typeof compare.compareOutputs>;
  const stack = (name: string) => result.stacks.find((s) => s.name === name)!;
  const json = (flavour: "cdktf" | "cdktn", name: string) =>
    JSON.parse(fs.readFileSync(path.join(out[flavour], "stacks", name, "cdk.tf.json"), "utf8")) as {
      "//": { metadata: { version: string } };
      terraform: { required_providers: { aws: { source: string; version: string } } };
    };

  beforeAll(async () => {
    await Promise.all([synth("cdktf", out.cdktf), synth("cdktn", out.cdktn)]);
    result = compare.compareOutputs(out.cdktf, out.cdktn);
    // The report .ci/run prints too (node scripts/compare-flavours.js), shown once here.
    console.log(compare.report(result).join("\n"));
  }, 120000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("both flavours write every environment, and no other stack", () => {
    expect(result.stacks.map((s) => s.name)).toEqual(names);
    expect(result.onlyIn).toEqual({ a: [], b: [] });
  });

  it.each(names)("%s: every resource, data source and output is identical (addresses and attributes)", (name) => {
    const s = stack(name);
    expect(s.sections.resource.count).toBeGreaterThan(100);
    expect(s.sections.data.count).toBeGreaterThan(0);
    expect(s.sections.output.count).toBeGreaterThan(0);
    for (const section of ["resource", "data", "output", "provider", "locals", "variable", "module"]) {
      expect({ section, differing: s.sections[section].differing }).toEqual({ section, differing: 0 });
    }
  });

  it.each(names)("%s: the only differences are the listed ones, in // and terraform", (name) => {
    const s = stack(name);
    expect(s.unexpected.map((d) => `${d.path}: ${JSON.stringify(d.a)} -> ${JSON.stringify(d.b)}`)).toEqual([]);
    expect(s.topLevel.sort()).toEqual(["//", "terraform"]);
    expect(s.diffs.map((d) => d.path).sort()).toEqual(compare.EXPECTED.map((e) => e.keys.join(".")).sort());
  });

  it("records the versions: each flavour's core library in the metadata, and the hashicorp/aws each pins", () => {
    for (const name of names) {
      const a = json("cdktf", name);
      const b = json("cdktn", name);
      expect(a["//"].metadata.version).toBe(version(root, "cdktf"));
      expect(b["//"].metadata.version).toBe(version(path.join(root, "flavours", "cdktn"), "cdktn"));
      // @cdktf/provider-aws 21.22.1 and @cdktn/provider-aws 25.7.0 (docs/cdk-terrain.md).
      expect(a.terraform.required_providers.aws).toEqual({ source: "aws", version: "6.25.0" });
      expect(b.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: "6.66.0" });
    }
  });

  const plugin = tf.findPlugin();
  const reason = !tf.terraformAvailable() ? "no terraform binary on PATH" : !plugin ? "no hashicorp/aws plugin directory found (set TF_PLUGIN_DIR)" : undefined;
  if (reason) console.warn(`terraform validate of the cdktn stack skipped: ${reason}`);
  (reason ? it.skip : it)(
    `prod, synthesized on cdktn, passes terraform validate with hashicorp/aws ${plugin?.version ?? "(none)"}${reason ? ` (skipped: ${reason})` : ""}`,
    async () => {
      const text = fs.readFileSync(path.join(out.cdktn, "stacks", "prod", "cdk.tf.json"), "utf8");
      const { results } = await tf.validateStacks({ prod: text });
      expect(results.map((r) => ({ name: r.name, valid: r.valid, errors: r.diagnostics.filter((d) => d.severity === "error") }))).toEqual([
        { name: "prod", valid: true, errors: [] },
      ]);
    },
    120000,
  );
});
