/**
 * Synthesizes one stack per environment into cdktf.out/stacks/<env>/.
 * Every environment is validated first, together, so a bad config fails
 * before anything is written; the stacks are written to a staging folder and
 * moved into place only when all of them synthesized, so a failed synth
 * leaves the previous good output (and creates no folder).
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { ENVIRONMENTS, MlPlatformStack, resolveEnvironments, type EnvironmentConfig } from "./environments";

/** Validates all environments, then synthesizes them; returns their names. */
export function synthAll(environments: readonly EnvironmentConfig[] = ENVIRONMENTS, outdir?: string): string[] {
  const resolved = resolveEnvironments(environments);
  const target = path.resolve(outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  // A sibling of the target, so the final move is a rename on the same file system.
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}-synth-`));
  try {
    // Validations run below, once per stack, before anything is written; synth need not repeat them.
    const app = new App({ outdir: staging, skipValidation: true });
    const stacks = resolved.map((env) => new MlPlatformStack(app, env));
    // Validate every stack (compliance included) before writing any: nothing half-written.
    const failures: string[] = [];
    for (const stack of stacks) {
      try {
        stack.runAllValidations();
      } catch (err) {
        failures.push(`stack "${stack.config.name}": ${(err as Error).message}`);
      }
    }
    if (failures.length > 0) throw new Error(failures.join("\n\n"));
    app.synth();
    publish(staging, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return resolved.map((e) => e.name);
}

/** Replaces the target's stacks folder and manifest with the staged ones. */
function publish(staging: string, target: string): void {
  fs.mkdirSync(target, { recursive: true });
  for (const entry of ["stacks", "manifest.json"]) {
    fs.rmSync(path.join(target, entry), { recursive: true, force: true });
    fs.renameSync(path.join(staging, entry), path.join(target, entry));
  }
}

if (require.main === module) {
  try {
    synthAll();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
