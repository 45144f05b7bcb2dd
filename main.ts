/**
 * Synthesizes one stack per environment into cdktf.out/stacks/<env>/.
 * Every environment is validated first, together, so a bad config fails
 * before anything is written; the stacks are written to a staging folder and
 * moved into place only when all of them synthesized, so a failed synth
 * leaves the previous good output (and creates no folder). Terraform's own
 * files in a stack folder (.terraform/, the lock file) survive a synth.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { ENVIRONMENTS, EnvironmentConfigError, MlPlatformStack, resolveEnvironments, type EnvironmentConfig } from "./environments";
import { ConfigError } from "./modules/core";

/** Validates all environments, then synthesizes them; returns their names. */
export function synthAll(environments: readonly EnvironmentConfig[] = ENVIRONMENTS, outdir?: string): string[] {
  if (!Array.isArray(environments)) {
    throw new ConfigError("synthAll", [
      {
        path: "environments",
        value: environments,
        message: "is not a list of environment configurations",
        fix: "pass an array, e.g. synthAll([dev, staging, prod])",
      },
    ]);
  }
  const resolved = resolveEnvironments(environments);
  const target = path.resolve(outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const created = !fs.existsSync(target);
  // Staged inside the target, so the final moves are renames on one file system; hidden, and removed on every exit.
  fs.mkdirSync(target, { recursive: true });
  const staging = fs.mkdtempSync(path.join(target, ".synth-"));
  let published = false;
  try {
    // Validations run below, once per stack, before anything is written; synth need not repeat them.
    const app = new App({ outdir: staging, skipValidation: true });
    const stacks = resolved.map((env) => new MlPlatformStack(app, env));
    // Check every stack (AWS limits, compliance pack) before writing any: nothing half-written.
    const failed = stacks.filter((s) => s.checks().length > 0).map((s) => new ConfigError(`stack "${s.config.name}"`, s.checks()));
    if (failed.length > 0) throw new EnvironmentConfigError(failed);
    // Then cdktf's own validations (the checks above are cached, not run again).
    for (const stack of stacks) stack.runAllValidations();
    app.synth();
    publish(staging, target);
    published = true;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    // A failed first synth leaves no folder behind.
    if (!published && created) fs.rmSync(target, { recursive: true, force: true });
  }
  return resolved.map((e) => e.name);
}

/** Files the synthesizer writes per stack; whatever else a stack folder holds (.terraform, the lock file, plans) stays. */
const STACK_OUTPUTS = ["cdk.tf.json", "cdk.tf", "metadata.json"];

/**
 * Moves the staged stacks and manifest into the target. In each stack
 * folder only the synthesized files are replaced (a stale cdk.tf.json never
 * sits beside a new cdk.tf); Terraform's own files there (`.terraform/`,
 * `.terraform.lock.hcl`) are kept. Folders of stacks that no longer exist are
 * removed.
 */
function publish(staging: string, target: string): void {
  const stagedStacks = path.join(staging, "stacks");
  const stacks = fs.existsSync(stagedStacks) ? fs.readdirSync(stagedStacks) : [];
  // A stack no environment defines any more goes, so pipelines that walk stacks/ see only current ones.
  const current = path.join(target, "stacks");
  for (const old of fs.existsSync(current) ? fs.readdirSync(current) : []) {
    if (!stacks.includes(old)) fs.rmSync(path.join(current, old), { recursive: true, force: true });
  }
  for (const stack of stacks) {
    const to = path.join(target, "stacks", stack);
    fs.mkdirSync(to, { recursive: true });
    for (const file of STACK_OUTPUTS) fs.rmSync(path.join(to, file), { force: true });
    for (const file of fs.readdirSync(path.join(stagedStacks, stack))) fs.renameSync(path.join(stagedStacks, stack, file), path.join(to, file));
  }
  fs.renameSync(path.join(staging, "manifest.json"), path.join(target, "manifest.json"));
}

if (require.main === module) {
  try {
    synthAll();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
