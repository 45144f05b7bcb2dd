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
    // ESLint's flat config is ESM, which jest's CommonJS runtime cannot load: run the CLI.
    // The probe is an .mjs file: the barrel rule covers every file, and plain
    // JavaScript skips building the TypeScript program (seconds, not twenty).
    const lint = (code: string) =>
      spawnSync(
        process.execPath,
        [path.join(root, "node_modules", "eslint", "bin", "eslint.js"), "--stdin", "--stdin-filename", "scripts/barrel-probe.mjs", "--format", "json"],
        {
          cwd: root,
          input: code,
          encoding: "utf8",
        },
      );
    // Assembled, so that no line of this repository is itself a barrel import (a plain `git grep` finds none).
    const barrel = ["@cdktf", "provider-aws"].join("/");
    const bad = lint(`import { vpc } from "${barrel}";\nexport const v = vpc;\n`);
    const messages = (JSON.parse(bad.stdout) as { messages: { ruleId: string }[] }[])[0].messages;
    expect(messages.map((m) => m.ruleId)).toContain("no-restricted-imports");
    expect(bad.status).toBe(1);
    const good = lint('import { Vpc } from "@cdktf/provider-aws/lib/vpc";\nexport const v = Vpc;\n');
    expect(good.status).toBe(0);
  });
});
