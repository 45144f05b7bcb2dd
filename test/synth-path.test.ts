/**
 * The synth path of `npm run synth` and the cdktf.json app (scripts/synth.js,
 * synth-build.js, synth-load.js): esbuild's bundles, loaded with their code
 * caches, write byte for byte what synthAll writes from the TypeScript sources
 * (the global setup runs those through jest's own transform), and a
 * TypeScript syntax error fails the build, naming the file and line, before
 * anything runs. Type errors are `npm run typecheck`'s job, not this path's.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.join(__dirname, "..");

/** Every file under dir, relative, sorted. */
function files(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join("/"))
    .sort();
}

describe("the synth path (esbuild, no type check)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "synth-path-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("writes byte for byte the stacks and manifest that synthAll writes from the TypeScript sources", () => {
    let reference = process.env.ML_NETWORK_TEST_SYNTH_DIR;
    if (!reference) {
      reference = path.join(tmp, "reference");
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require("../main") as typeof import("../main")).synthAll(undefined, reference);
    }
    const out = path.join(tmp, "out");
    const run = spawnSync(process.execPath, ["scripts/synth.js"], { cwd: root, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: out } });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(files(out)).toEqual(files(reference));
    for (const f of files(reference))
      expect({ f, same: fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(reference, f))) }).toEqual({ f, same: true });
  });

  it("a syntax error fails the build with the file and line, and writes no bundle", () => {
    const broken = path.join(tmp, "broken.ts");
    fs.writeFileSync(broken, "export const answer: number = ;\n");
    const script = `require("./scripts/synth-build").buildSynth({ entry: ${JSON.stringify(broken)}, name: "brokentest" }).then(() => process.exit(0), () => process.exit(1));`;
    const run = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/broken\.ts:1:\d+/);
    expect(fs.existsSync(path.join(root, "dist", "synth", "brokentest.js"))).toBe(false);
  });
});
