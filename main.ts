/**
 * Synthesizes one stack per environment into cdktf.out/stacks/<env>/.
 * Every environment is validated first, together, so a bad config fails
 * before anything is written.
 */
import { App } from "cdktf";
import { ENVIRONMENTS, MlPlatformStack, resolveEnvironments } from "./environments";

export function synthAll(outdir?: string): string[] {
  const resolved = resolveEnvironments(ENVIRONMENTS);
  const app = new App({ outdir, skipValidation: false });
  for (const env of resolved) new MlPlatformStack(app, env);
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
