/**
 * Synthesizes one stack per environment into cdktf.out/stacks/<env>/.
 * Every environment is validated first, together, so a bad config fails
 * before anything is written.
 */
import { App } from "cdktf";
import { ENVIRONMENTS, MlPlatformStack, resolveEnvironments, type EnvironmentConfig } from "./environments";

/** Validates all environments, then synthesizes them; returns their names. */
export function synthAll(environments: readonly EnvironmentConfig[] = ENVIRONMENTS, outdir?: string): string[] {
  const resolved = resolveEnvironments(environments);
  // Validations run below, once per stack, before anything is written; synth need not repeat them.
  const app = new App({ outdir, skipValidation: true });
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
  return resolved.map((e) => e.name);
}

if (require.main === module) {
  try {
    synthAll();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
