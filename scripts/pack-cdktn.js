#!/usr/bin/env node
/**
 * The library for CDK Terrain apps: ml-network-cdktn, the same compiled
 * package as ml-network-cdktf (npm pack: tsc output, types, bins), with
 *
 *  - every quoted `cdktf`, `@cdktf/provider-aws` and `ml-network-cdktf`
 *    specifier in the JavaScript and the declarations rewritten to `cdktn`,
 *    `@cdktn/provider-aws` and `ml-network-cdktn` (scripts/flavours.js
 *    renameImports), so it loads cdktn and never cdktf;
 *  - peer dependencies on cdktn, @cdktn/provider-aws and constructs in the
 *    versions flavours/cdktn/ pins (`^` of each, and cdktn's own constructs
 *    range), so npm checks them as it checks the cdktf package's.
 *
 * It fails when a renamed specifier is left, or when a provider class the
 * library imports is missing from @cdktn/provider-aws. Why a second package
 * rather than npm aliases or a subpath: docs/cdk-terrain.md.
 *
 *   node scripts/pack-cdktn.js [--pack-destination <dir>] [--from <ml-network-cdktf tarball>]
 *
 * Prints the tarball's file name (ml-network-cdktn-<version>.tgz), as
 * `npm pack` does. Without --from it runs `npm pack` first (which builds).
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { flavour, renameImports, leftoverImports, CDKTN_RENAMES } = require("./flavours");

const root = path.resolve(__dirname, "..");

function run(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { encoding: "utf8", ...options });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${res.status}):\n${res.stdout ?? ""}${res.stderr ?? ""}`);
  return res.stdout;
}

function option(argv, name) {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Every file under dir, absolute. */
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The cdktn package.json from the cdktf one: name, description, peers from flavours/cdktn; no scripts, no dev dependencies. */
function cdktnManifest(pkg, cdktn) {
  const installed = (name) => JSON.parse(fs.readFileSync(path.join(cdktn.dir, "node_modules", name, "package.json"), "utf8"));
  const core = installed("cdktn");
  const out = { ...pkg, name: CDKTN_RENAMES[pkg.name] ?? `${pkg.name}-cdktn` };
  out.description = `${pkg.description} (CDK Terrain build: cdktn instead of cdktf)`;
  out.peerDependencies = {
    "@cdktn/provider-aws": `^${installed("@cdktn/provider-aws").version}`,
    cdktn: `^${core.version}`,
    constructs: core.peerDependencies.constructs,
  };
  delete out.devDependencies;
  // Nothing to build in the staged package: it is packed as it is.
  delete out.scripts;
  return out;
}

/** Rewrites the staged package in place; returns the provider paths the library imports. */
function rewrite(dir) {
  const providerPaths = new Set();
  const left = [];
  for (const file of walk(path.join(dir, "dist"))) {
    if (!/\.(js|d\.ts)$/.test(file)) continue;
    const text = renameImports(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, text);
    for (const l of leftoverImports(text)) left.push(`${path.relative(dir, file)}: ${l}`);
    for (const m of text.matchAll(/["'](@cdktn\/provider-aws\/lib\/[^"']+)["']/g)) providerPaths.add(m[1]);
  }
  if (left.length > 0) throw new Error(`cdktf specifiers left in the cdktn build:\n${left.join("\n")}`);
  return [...providerPaths].sort();
}

function main(argv) {
  const dest = path.resolve(option(argv, "--pack-destination") ?? root);
  const cdktn = flavour("cdktn");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pack-cdktn-"));
  try {
    let tarball = option(argv, "--from");
    if (!tarball) {
      const name = run("npm", ["pack", "--silent", "--pack-destination", work], { cwd: root }).trim().split("\n").pop();
      tarball = path.join(work, name);
    }
    run("tar", ["-xzf", path.resolve(tarball), "-C", work]);
    const dir = path.join(work, "package");
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const manifest = cdktnManifest(pkg, cdktn);
    fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const providerPaths = rewrite(dir);
    const missing = providerPaths.filter((p) => {
      try {
        require.resolve(p, { paths: [cdktn.dir] });
        return false;
      } catch {
        return true;
      }
    });
    if (missing.length > 0) throw new Error(`@cdktn/provider-aws lacks classes the library imports: ${missing.join(", ")}`);
    const readme = path.join(dir, "README.md");
    if (fs.existsSync(readme)) {
      const peers = Object.entries(manifest.peerDependencies).map(([n, v]) => `${n}@"${v}"`);
      const note = [
        `> **${manifest.name}** is the CDK Terrain build of ${pkg.name}: the same modules, loading \`cdktn\` and`,
        `> \`@cdktn/provider-aws\` instead of \`cdktf\` and \`@cdktf/provider-aws\`. Install it with its peers`,
        `> (\`npm install ${peers.join(" ")} ${manifest.name}\`), import it as \`${manifest.name}\` (and`,
        `> \`${manifest.name}/testing\`, ...), and read \`cdktf\` as \`cdktn\` below.`,
        "",
        "",
      ].join("\n");
      fs.writeFileSync(readme, note + fs.readFileSync(readme, "utf8"));
    }
    fs.mkdirSync(dest, { recursive: true });
    const out = run("npm", ["pack", dir, "--silent", "--pack-destination", dest], { cwd: work }).trim().split("\n").pop();
    console.log(out);
    return 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}

module.exports = { cdktnManifest };
