/**
 * The core-library flavours the same sources build and run on
 * (docs/cdk-terrain.md), defined once for every place that switches them:
 *
 *  - cdktf (default): cdktf 0.21, @cdktf/provider-aws and constructs from the
 *    root node_modules (the root package.json and lockfile).
 *  - cdktn: CDK Terrain, the maintained fork. cdktn, @cdktn/provider-aws and
 *    the constructs they accept from flavours/cdktn/node_modules (its own
 *    package.json and lockfile: `npm run flavour:cdktn:install`). The sources
 *    keep importing `cdktf` and `@cdktf/provider-aws/lib/<resource>`; the
 *    import is rewritten where the code is loaded:
 *      - the synth path (scripts/synth-build.js): esbuild's `alias`;
 *      - jest (jest.cdktn.config.js): `moduleNameMapper`;
 *      - plain Node (the jest global setup): `withFlavour`, a resolve hook.
 *
 * One core library per process: a flavour never loads files of the other's
 * core library, provider or constructs (`forbidden`; the synth build and the
 * cdktn test run check it).
 */
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * `alias`: import prefix in the sources -> package of the flavour (with
 * subpaths). `packages`: what the flavour installs, resolved from `dir`.
 * `forbidden`: paths (relative to the repository root, `/`-separated) of the
 * other flavour's packages, which must never load.
 */
const FLAVOURS = {
  cdktf: {
    dir: root,
    outdir: path.join(root, "cdktf.out"),
    buildDir: path.join(root, "dist", "synth"),
    alias: {},
    packages: ["cdktf", "@cdktf/provider-aws", "constructs"],
    forbidden: ["flavours/cdktn/", "node_modules/cdktn/", "node_modules/@cdktn/"],
  },
  cdktn: {
    dir: path.join(root, "flavours", "cdktn"),
    outdir: path.join(root, "cdktf.out", "cdktn"),
    buildDir: path.join(root, "dist", "synth-cdktn"),
    alias: { cdktf: "cdktn", "@cdktf/provider-aws": "@cdktn/provider-aws" },
    packages: ["cdktn", "@cdktn/provider-aws", "constructs"],
    // The root's own copies: cdktf, its provider, and the root's constructs (10.4, outside cdktn's peer range).
    forbidden: ["node_modules/cdktf/", "node_modules/@cdktf/provider-aws/", "node_modules/constructs/"],
  },
};

/** A flavour by name; throws, saying how to install it, when its packages are missing. */
function flavour(name = "cdktf") {
  const f = FLAVOURS[name];
  if (!f) throw new Error(`unknown flavour "${name}": use ${Object.keys(FLAVOURS).join(" or ")}`);
  const missing = f.packages.filter((p) => !fs.existsSync(path.join(f.dir, "node_modules", p, "package.json")));
  if (missing.length > 0) {
    const how = name === "cdktf" ? "npm ci" : `npm run flavour:${name}:install (npm ci --prefix ${path.relative(root, f.dir)})`;
    throw new Error(`the ${name} flavour is not installed (${missing.join(", ")} missing): run ${how}`);
  }
  return { name, ...f };
}

/** The flavour's folder of a package the sources import (`cdktf`, `@cdktf/provider-aws`, `constructs`). */
function packageDir(f, pkg) {
  return path.join(f.dir, "node_modules", f.alias[pkg] ?? pkg);
}

/** Source specifiers the flavour answers itself: its aliases and constructs. */
function mappedPackages(f) {
  return [...Object.keys(f.alias), "constructs"];
}

/** jest's `moduleNameMapper` for a flavour: each package, bare and with a subpath, to the flavour's copy. */
function moduleNameMapper(name) {
  const f = flavour(name);
  const out = {};
  for (const pkg of mappedPackages(f)) {
    const dir = packageDir(f, pkg);
    out[`^${escape(pkg)}$`] = require.resolve(dir);
    out[`^${escape(pkg)}/(.*)$`] = `${dir}/$1`;
  }
  return out;
}

/** A request rewritten to the flavour's copy (an absolute path), or undefined when the flavour does not map it. */
function mapRequest(f, request) {
  for (const pkg of mappedPackages(f)) {
    if (request === pkg) return packageDir(f, pkg);
    if (request.startsWith(`${pkg}/`)) return path.join(packageDir(f, pkg), request.slice(pkg.length + 1));
  }
  return undefined;
}

/**
 * Runs `fn` with Node's module resolution answering the flavour's packages
 * from the flavour's folder (what moduleNameMapper does inside jest), for code
 * loaded outside jest's module registry, such as a global setup.
 */
function withFlavour(name, fn) {
  const f = flavour(name);
  const Module = require("module");
  const original = Module._resolveFilename;
  Module._resolveFilename = function resolveInFlavour(request, ...rest) {
    return original.call(this, mapRequest(f, request) ?? request, ...rest);
  };
  try {
    return fn();
  } finally {
    Module._resolveFilename = original;
  }
}

/** Loaded files (absolute paths) that belong to another flavour's core library, provider or constructs. */
function strays(name, files) {
  const f = FLAVOURS[name];
  return files.filter((file) => {
    const rel = path.relative(root, file).split(path.sep).join("/");
    return f.forbidden.some((prefix) => rel.startsWith(prefix));
  });
}

/**
 * What moves from cdktf to cdktn in code that is not built here: the compiled
 * library (scripts/pack-cdktn.js) and an app that consumes it
 * (scripts/migrate-cdktn.js). This package's own name moves too: its cdktn
 * build is published as ml-network-cdktn.
 */
const CDKTN_RENAMES = { cdktf: "cdktn", "@cdktf/provider-aws": "@cdktn/provider-aws", "ml-network-cdktf": "ml-network-cdktn" };

/** A quoted module specifier of one of the renamed packages, bare or with a subpath (require, import, from, import(), jest config). */
const specifierPattern = (renames) => new RegExp(`(["'\`])(${Object.keys(renames).map(escape).join("|")})((?:/[^"'\`\\s]*)?)\\1`, "g");

/** The text with every quoted specifier of a renamed package rewritten (`"cdktf/lib/x"` -> `"cdktn/lib/x"`). */
function renameImports(text, renames = CDKTN_RENAMES) {
  return text.replace(specifierPattern(renames), (_m, quote, pkg, sub) => `${quote}${renames[pkg]}${sub}${quote}`);
}

/** Quoted specifiers of renamed packages still in a text (none after renameImports). */
function leftoverImports(text, renames = CDKTN_RENAMES) {
  return [...text.matchAll(specifierPattern(renames))].map((m) => m[0]);
}

module.exports = { FLAVOURS, flavour, moduleNameMapper, withFlavour, strays, root, CDKTN_RENAMES, renameImports, leftoverImports };
