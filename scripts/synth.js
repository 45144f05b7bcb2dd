#!/usr/bin/env node
/**
 * npm run synth      -> cdktf.out/stacks/<env>/cdk.tf.json
 * npm run synth:hcl  -> cdktf.out/stacks/<env>/cdk.tf, formatted like `terraform fmt`
 * cdktf.json's app   -> `node scripts/synth.js --cdktf`: what the cdktf CLI
 *                       asks for (synth, diff, deploy; HCL with --hcl, which
 *                       the CLI passes as SYNTH_HCL_OUTPUT=true)
 *
 * Transpiles with esbuild, without type checking (that is `npm run
 * typecheck`, `npm run lint` and CI), into dist/synth/ (see synth-build.js),
 * then synthesizes in this process (see synth-load.js). The app writes to a
 * staging folder and replaces cdktf.out/stacks whole only when every stack
 * synthesized (see main.ts): a failed synth keeps the previous output, and no
 * stale cdk.tf.json is left beside a new cdk.tf (Terraform would load both).
 * HCL is formatted to what `terraform fmt` accepts (see hcl-format.js).
 *
 * npm run synth:cdktn -> the same sources on CDK Terrain (`--flavour=cdktn`,
 *                       or ML_NETWORK_FLAVOUR=cdktn), built into
 *                       dist/synth-cdktn/, written to cdktf.out/cdktn/stacks/<env>/
 *                       (CDKTF_OUTDIR still wins); see docs/cdk-terrain.md.
 */
const fs = require("fs");
const path = require("path");
const { buildSynth } = require("./synth-build");
const { loadSynth } = require("./synth-load");
const { FLAVOURS } = require("./flavours");

/**
 * The core library to build on: `--flavour=<name>` (or `--flavour <name>`),
 * else ML_NETWORK_FLAVOUR (which `npm run test:cdktn` sets for the commands
 * its tests start), else cdktf.
 */
function flavourOf(argv, env) {
  const i = argv.findIndex((a) => a === "--flavour" || a.startsWith("--flavour="));
  if (i >= 0) return argv[i].includes("=") ? argv[i].slice("--flavour=".length) : (argv[i + 1] ?? "");
  return env.ML_NETWORK_FLAVOUR || "cdktf";
}
const flavour = flavourOf(process.argv, process.env);
const outdir = path.resolve(process.env.CDKTF_OUTDIR || (FLAVOURS[flavour] ?? FLAVOURS.cdktf).outdir);
/**
 * What a run does: `--hcl` (npm run synth:hcl), or `--cdktf` with the CLI's
 * SYNTH_HCL_OUTPUT (cdktf synth --hcl), write formatted HCL the same way;
 * `--cdktf` prints nothing (the CLI reports).
 */
function modeOf(argv, env) {
  const cdktf = argv.includes("--cdktf");
  return { cdktf, hcl: argv.includes("--hcl") || (cdktf && ["true", "1"].includes(env.SYNTH_HCL_OUTPUT ?? "")) };
}
const { cdktf, hcl } = modeOf(process.argv, process.env);

async function main() {
  let build;
  try {
    build = await buildSynth({ flavour });
  } catch (err) {
    // esbuild has printed the errors with their file and line.
    if (!err.errors) console.error(err instanceof Error ? err.message : err);
    return 1;
  }
  // Read by cdktf when the stacks are created.
  process.env.CDKTF_OUTDIR = outdir;
  process.env.SYNTH_HCL_OUTPUT = hcl ? "true" : "false";
  let app;
  try {
    app = loadSynth(build);
    app.exports.synthAll(undefined, outdir);
  } catch (err) {
    // As main.ts does: the message names the environment, the field, the value and the fix.
    console.error(err instanceof Error ? err.message : err);
    return 1;
  }
  app.saveCodeCache();

  const stacksDir = path.join(outdir, "stacks");
  const stacks = fs.readdirSync(stacksDir).sort();
  const file = hcl ? "cdk.tf" : "cdk.tf.json";
  if (hcl) {
    const { formatHcl } = require("./hcl-format");
    for (const stack of stacks) {
      const target = path.join(stacksDir, stack, file);
      fs.writeFileSync(target, await formatHcl(fs.readFileSync(target, "utf8")));
    }
  }
  if (!cdktf) for (const stack of stacks) console.log(path.relative(process.cwd(), path.join(stacksDir, stack, file)));
  return 0;
}

module.exports = { modeOf, flavourOf };

if (require.main === module) {
  // @cdktf/hcl-tools is Go WebAssembly whose runtime keeps re-arming timers after the work is done:
  // without an explicit exit, `npm run synth:hcl` would wait seconds for nothing.
  const done = (code) => (hcl ? process.exit(code) : (process.exitCode = code));
  main().then(done, (err) => {
    console.error(err);
    done(1);
  });
}
