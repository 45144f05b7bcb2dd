/**
 * Loads what scripts/synth-build.js wrote to dist/synth/: vendor.js first,
 * then the app bundle, whose `require` of a package is answered from
 * vendor.js (Node built-ins, and anything vendor.js lacks, from Node).
 *
 * Both are compiled with a V8 code cache, written after synthesis so it holds
 * the functions synthesis compiled too (without it, compiling the 4 MB vendor
 * bundle and the functions synthesis calls costs about 0.2 s of load and 0.1
 * to 0.2 s of synthesis here). Node 20 has no compile cache of its own
 * (module.enableCompileCache is Node 22), and v8-compile-cache caches only
 * what is compiled before the code runs, which measured no faster here.
 *
 * V8 checks a cache against the source's length only, so a cache file is
 * named by its bundle's content hash (vendor.js: recorded in vendor.json when
 * built; the app bundle: hashed here) and by what else decides the compiled
 * code (Node version, flags): it never meets another build. V8 rejects it on
 * any other mismatch, and a rejected or missing cache is rewritten.
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const Module = require("module");

/** Node's command-line options minus those that cannot change compiled code (scripts to run or preload). */
function codeFlags(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    if (/^(-e|--eval|-p|--print|-r|--require|--import|--loader|--experimental-loader)$/.test(args[i])) i++;
    else if (!/^--(eval|print|require|import|loader|experimental-loader)=/.test(args[i])) out.push(args[i]);
  }
  return out;
}

const flavour = crypto
  .createHash("sha256")
  .update(
    [process.version, process.arch, ...codeFlags(process.execArgv), "\0", ...codeFlags((process.env.NODE_OPTIONS ?? "").split(/\s+/).filter(Boolean))].join(
      "\0",
    ),
  )
  .digest("hex")
  .slice(0, 8);

function compile(file, cacheFileFor) {
  const source = fs.readFileSync(file, "utf8");
  const cacheFile = cacheFileFor(source);
  let cachedData;
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const stale = cacheFile && (!cachedData || script.cachedDataRejected);
  return { script, save: stale ? () => writeCache(cacheFile, script.createCachedData()) : () => {} };
}

function writeCache(cacheFile, data) {
  const prefix = path.basename(cacheFile).split("-")[0];
  const dir = path.dirname(cacheFile);
  // One cache per bundle and flavour: drop those of earlier builds of this bundle.
  for (const f of fs.readdirSync(dir)) {
    if (f.startsWith(`${prefix}-`) && f.endsWith(`-${flavour}.v8cache`) && f !== path.basename(cacheFile)) fs.rmSync(path.join(dir, f), { force: true });
  }
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, cacheFile);
}

function run(script, file, requireFn) {
  const mod = new Module(file, null);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext({ displayErrors: true }).call(mod.exports, mod.exports, requireFn, mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

const cachePath = (file, name, hash) => path.join(path.dirname(file), `${name}-${hash}-${flavour}.v8cache`);
const contentHash = (source) => crypto.createHash("sha256").update(source).digest("hex").slice(0, 16);

/**
 * Loads a build ({ appFile, vendorFile, vendorHash } from
 * synth-build.js) and returns the app's exports and `saveCodeCache()`, to call
 * once the work is done.
 */
function loadSynth(build) {
  // vendor.js: 4 MB, hashed once when built (vendor.json); the app bundle is small enough to hash here.
  const vendorCode = compile(build.vendorFile, () => cachePath(build.vendorFile, "vendor", build.vendorHash));
  const vendor = run(vendorCode.script, build.vendorFile, Module.createRequire(build.vendorFile));
  const nodeRequire = Module.createRequire(build.appFile);
  const appRequire = (id) => (Object.prototype.hasOwnProperty.call(vendor, id) ? vendor[id]() : nodeRequire(id));
  const name = path.basename(build.appFile, ".js");
  const appCode = compile(build.appFile, (source) => cachePath(build.appFile, name, contentHash(source)));
  const exports = run(appCode.script, build.appFile, appRequire);
  return {
    exports,
    saveCodeCache() {
      try {
        vendorCode.save();
        appCode.save();
      } catch (err) {
        // A cache is an optimisation: a read-only or full disk must not fail the synth.
        if (process.env.DEBUG) console.error(`code cache not written: ${err.message}`);
      }
    },
  };
}

module.exports = { loadSynth };
