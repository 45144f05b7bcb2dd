#!/usr/bin/env node
/**
 * Moves an app's code from cdktf to CDK Terrain, in place: every quoted
 * `cdktf`, `@cdktf/provider-aws` and `ml-network-cdktf` specifier (imports,
 * requires, jest config entries such as "ml-network-cdktf/testing/setup")
 * becomes `cdktn`, `@cdktn/provider-aws` and `ml-network-cdktn`
 * (scripts/flavours.js renameImports). TypeScript and JavaScript sources only;
 * node_modules, cdktf.out and declaration files are left alone. package.json
 * is not touched: its dependencies are the other half of the move
 * (docs/cdk-terrain.md).
 *
 *   node scripts/migrate-cdktn.js <app-dir> [--from <source-app-dir>]
 *
 * --from copies the source app's own files into <app-dir> first: everything
 * but node_modules, cdktf.out, flavours/ and build output (declarations, maps,
 * tsbuildinfo, tarballs, and a .js beside a .ts of the same name, which tsc
 * wrote). `.ci/example cdktn` runs it on a copy of examples/team-app. Prints
 * the files it changed; exits 1 when it changed none.
 */
const fs = require("fs");
const path = require("path");
const { renameImports, leftoverImports } = require("./flavours");

const SKIP = new Set(["node_modules", "cdktf.out", ".git"]);

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Copies an app's own files (see above) from `from` into `to`. */
function copyApp(from, to) {
  const generated = (src) => {
    const name = path.basename(src);
    if (/\.(d\.ts|js\.map|tsbuildinfo|tgz)$/.test(name)) return true;
    return name.endsWith(".js") && fs.existsSync(src.replace(/\.js$/, ".ts"));
  };
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(from, src);
      if (rel === "") return true;
      if (SKIP.has(path.basename(src)) || rel === "flavours") return false;
      return fs.statSync(src).isDirectory() || !generated(src);
    },
  });
}

function main(argv) {
  const fromAt = argv.indexOf("--from");
  const from = fromAt >= 0 ? argv[fromAt + 1] : undefined;
  const [dir] = argv.filter((_, i) => i !== fromAt && i !== fromAt + 1);
  if (!dir || (fromAt >= 0 && !from)) {
    console.error("usage: node scripts/migrate-cdktn.js <app-dir> [--from <source-app-dir>]");
    return 2;
  }
  if (from) copyApp(path.resolve(from), path.resolve(dir));
  const changed = [];
  for (const file of sources(path.resolve(dir))) {
    const text = fs.readFileSync(file, "utf8");
    const next = renameImports(text);
    if (next === text) continue;
    fs.writeFileSync(file, next);
    changed.push(path.relative(process.cwd(), file));
    const left = leftoverImports(next);
    if (left.length > 0) throw new Error(`${file}: still imports ${left.join(", ")}`);
  }
  for (const f of changed) console.log(`migrated ${f}`);
  if (changed.length === 0) console.error(`nothing to migrate in ${dir}`);
  return changed.length > 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
