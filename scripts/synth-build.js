/**
 * The synth build: esbuild transpiles the TypeScript app, without type
 * checking, into dist/synth/. Type checking stays in `npm run typecheck`,
 * `npm run lint` and CI; `npm run build` (tsc, with declarations) stays for
 * the package. Two bundles:
 *
 *  - app.js: main.ts (or another entry) and the project's own modules. Rebuilt
 *    on every synth: this is the edit-synth loop, about 0.1 s.
 *  - vendor.js: the packages app.js imports (cdktf, constructs, the provider
 *    classes, zod, ip-num, ...), each behind a function so they load in the
 *    same order as from node_modules. Rebuilt only when app.js imports a
 *    package vendor.js lacks or one of vendor.js's input files changed
 *    (`npm ci`, an upgrade): bundling them takes about a second, and loading
 *    one file instead of some 550 saves about a third of the load time.
 *
 * scripts/synth-load.js runs the result.
 *
 * Two flavours of the same sources (scripts/flavours.js, docs/cdk-terrain.md):
 * cdktf (default) into dist/synth/, and CDK Terrain (`flavour: "cdktn"`) into
 * dist/synth-cdktn/, so the two never share a bundle or a code cache. For
 * cdktn, esbuild's `alias` rewrites `cdktf` and `@cdktf/provider-aws` (with
 * their subpaths) to `cdktn` and `@cdktn/provider-aws` while transpiling, and
 * the vendor bundle resolves packages from flavours/cdktn/ first (its
 * node_modules, then the root's for zod, ip-num, ...), so cdktn, its provider
 * and its constructs come from there. A vendor bundle that took a file of the
 * other flavour's core library, provider or constructs fails the build.
 */
const fs = require("fs");
const path = require("path");
const { isBuiltin } = require("module");
const flavours = require("./flavours");

const root = path.resolve(__dirname, "..");

/** A flavour with its build folder's files. */
function flavourOf(name = "cdktf") {
  const f = flavours.flavour(name);
  return { ...f, outdir: f.buildDir, vendorFile: path.join(f.buildDir, "vendor.js"), vendorMetaFile: path.join(f.buildDir, "vendor.json") };
}

const common = { bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning", absWorkingDir: root, legalComments: "none" };

/** The vendor bundle's metadata if it exists and none of its inputs changed, else null. */
function currentVendor({ vendorFile, vendorMetaFile }) {
  let meta;
  try {
    meta = JSON.parse(fs.readFileSync(vendorMetaFile, "utf8"));
    if (meta.esbuild !== require("esbuild").version || !fs.existsSync(vendorFile)) return null;
    for (const [file, [mtimeMs, size]] of Object.entries(meta.inputs)) {
      const st = fs.statSync(path.join(root, file));
      if (st.mtimeMs !== mtimeMs || st.size !== size) return null;
    }
  } catch {
    return null;
  }
  return meta;
}

async function buildVendor(esbuild, specifiers, flavour) {
  const { outdir, vendorFile, vendorMetaFile } = flavour;
  const contents = `module.exports = {\n${specifiers.map((s) => `  ${JSON.stringify(s)}: () => require(${JSON.stringify(s)}),`).join("\n")}\n};\n`;
  const result = await esbuild.build({
    ...common,
    stdin: { contents, resolveDir: flavour.dir, sourcefile: "vendor-entry.js", loader: "js" },
    outfile: vendorFile,
    metafile: true,
    write: false,
  });
  const [output] = result.outputFiles;
  const inputs = {};
  // The entry, named relative to its resolveDir: not a file.
  const entryName = path.relative(root, path.join(flavour.dir, "vendor-entry.js")).split(path.sep).join("/");
  for (const file of Object.keys(result.metafile.inputs)) {
    if (file === entryName) continue;
    const st = fs.statSync(path.join(root, file));
    inputs[file] = [st.mtimeMs, st.size];
  }
  // One core library, provider and constructs per process: never the other flavour's.
  const strays = flavours.strays(
    flavour.name,
    Object.keys(inputs).map((file) => path.join(root, file)),
  );
  if (strays.length > 0) {
    const shown = strays.slice(0, 5).map((file) => path.relative(root, file));
    throw new Error(`the ${flavour.name} vendor bundle would take files of the other flavour: ${shown.join(", ")}`);
  }
  // Caches of the previous vendor.js are useless now (scripts/synth-load.js keys them by this hash).
  for (const f of fs.readdirSync(outdir)) if (f.startsWith("vendor-") && f.endsWith(".v8cache")) fs.rmSync(path.join(outdir, f), { force: true });
  writeAtomic(vendorFile, output.contents);
  const meta = { esbuild: esbuild.version, flavour: flavour.name, hash: output.hash, specifiers, inputs };
  writeAtomic(vendorMetaFile, JSON.stringify(meta));
  return meta;
}

function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/**
 * Builds dist/synth/<name>.js from an entry (default: main.ts as app.js) and
 * makes sure dist/synth/vendor.js provides every package it imports
 * (dist/synth-cdktn/ for `flavour: "cdktn"`). Returns what
 * scripts/synth-load.js needs.
 */
async function buildSynth({ entry = "main.ts", name = "app", flavour: flavourName = "cdktf" } = {}) {
  const flavour = flavourOf(flavourName);
  const { outdir, vendorFile } = flavour;
  const esbuild = require("esbuild");
  fs.mkdirSync(outdir, { recursive: true });
  const appFile = path.join(outdir, `${name}.js`);
  try {
    const building = esbuild.build({
      ...common,
      entryPoints: [path.resolve(root, entry)],
      outfile: appFile,
      packages: "external",
      // cdktn: `cdktf` -> `cdktn`, `@cdktf/provider-aws/lib/vpc` -> `@cdktn/provider-aws/lib/vpc`, ...
      alias: Object.keys(flavour.alias).length > 0 ? flavour.alias : undefined,
      // No source map: Node does not apply them to code run through vm.Script (synth-load.js), and the
      // bundle stays readable, each file's code under a comment naming it.
      metafile: true,
      write: false,
    });
    // Checked while esbuild (its own process) builds: some 550 stats.
    let vendor = currentVendor(flavour);
    const result = await building;
    const output = result.metafile.outputs[path.relative(root, appFile).split(path.sep).join("/")];
    const specifiers = [...new Set(output.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path))].sort();
    if (!vendor || specifiers.some((s) => !vendor.specifiers.includes(s))) {
      const all = [...new Set([...(vendor?.specifiers ?? []), ...specifiers])].sort();
      vendor = await buildVendor(esbuild, all, flavour);
    }
    for (const file of result.outputFiles) writeAtomic(file.path, file.contents);
    return { flavour: flavour.name, appFile, vendorFile, vendorHash: vendor.hash, vendorSpecifiers: vendor.specifiers };
  } finally {
    // The esbuild service is a child process; end it before synthesis so it holds no memory meanwhile.
    await esbuild.stop();
  }
}

/** What the last build wrote, without building (for the benchmark's "synthesis alone"). */
function lastBuild({ name = "app", flavour: flavourName = "cdktf" } = {}) {
  const { outdir, vendorFile, vendorMetaFile } = flavourOf(flavourName);
  const vendor = JSON.parse(fs.readFileSync(vendorMetaFile, "utf8"));
  const appFile = path.join(outdir, `${name}.js`);
  return { flavour: flavourName, appFile, vendorFile, vendorHash: vendor.hash, vendorSpecifiers: vendor.specifiers };
}

/** The default flavour's build folder (dist/synth). */
const outdir = flavours.FLAVOURS.cdktf.buildDir;

module.exports = { buildSynth, lastBuild, outdir };
