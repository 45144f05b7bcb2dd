/**
 * House rule: deep provider imports only. The barrel import of
 * @cdktf/provider-aws loads every resource class (~10x synth time and memory).
 */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";

const root = path.resolve(__dirname, "../..");
const SKIP = new Set(["node_modules", "dist", "cdktf.out", ".git", "coverage"]);
const BARREL = /(from\s+|require\(\s*|import\(\s*)["']@cdktf\/provider-aws\/?(lib\/?)?["']/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

describe("deep provider imports", () => {
  it("no source file imports the @cdktf/provider-aws barrel", () => {
    const files = sourceFiles(root);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => BARREL.test(fs.readFileSync(f, "utf8")));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });

  it("the lint rule rejects a barrel import and accepts a deep one", () => {
    // ESLint's flat config is ESM, which jest's CommonJS runtime cannot load: one child process lints both probes
    // (loading ESLint and the config is most of the cost). The probes are .mjs files: the barrel rule covers every
    // file, and plain JavaScript skips building the TypeScript program (seconds, not twenty).
    // Assembled, so that no line of this repository is itself a barrel import (a plain `git grep` finds none).
    const barrel = ["@cdktf", "provider-aws"].join("/");
    const probes = {
      bad: `import { vpc } from "${barrel}";\nexport const v = vpc;\n`,
      good: 'import { Vpc } from "@cdktf/provider-aws/lib/vpc";\nexport const v = Vpc;\n',
    };
    const script = `
      import { ESLint } from "eslint";
      const eslint = new ESLint({ cwd: process.cwd() });
      const probes = ${JSON.stringify(probes)};
      const out = {};
      for (const [name, code] of Object.entries(probes)) {
        const [result] = await eslint.lintText(code, { filePath: "scripts/barrel-probe-" + name + ".mjs" });
        out[name] = result.messages.map((m) => m.ruleId);
      }
      console.log(JSON.stringify(out));`;
    const res = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(res.stderr).toBe("");
    const rules = JSON.parse(res.stdout) as { bad: string[]; good: string[] };
    expect(rules.bad).toContain("no-restricted-imports");
    expect(rules.good).toEqual([]);
  });
});
