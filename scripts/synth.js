#!/usr/bin/env node
/**
 * npm run synth      -> cdktf.out/stacks/<env>/cdk.tf.json
 * npm run synth:hcl  -> cdktf.out/stacks/<env>/cdk.tf, formatted like `terraform fmt`
 *
 * Runs the compiled app directly (no CLI start-up, no network). The app
 * writes to a staging folder and replaces cdktf.out/stacks whole only when
 * every stack synthesized (see main.ts): a failed synth keeps the previous
 * output, and no stale cdk.tf.json is left beside a new cdk.tf (Terraform
 * would load both). HCL is formatted to what `terraform fmt` accepts (see
 * hcl-format.js).
 */
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const outdir = process.env.CDKTF_OUTDIR || path.join(root, "cdktf.out");
const hcl = process.argv.includes("--hcl");

const run = spawnSync(process.execPath, [path.join(root, "dist", "main.js")], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, CDKTF_OUTDIR: outdir, SYNTH_HCL_OUTPUT: hcl ? "true" : "false" },
});
if (run.status !== 0) process.exit(run.status ?? 1);

async function main() {
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
  for (const stack of stacks) {
    console.log(path.relative(process.cwd(), path.join(stacksDir, stack, file)));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
