/**
 * What the command-line tools read: an environment of this project
 * (synthesized in memory from the current code) or any Terraform JSON file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { ENVIRONMENTS, MlPlatformStack, resolveEnvironments } from "../environments";
import type { TfJsonShape } from "../analysis/tfjson";

export interface Target {
  /** Short name: the environment, or the file name without `.tf.json`. */
  readonly name: string;
  /** For headings: `environment prod`, or the path as given. */
  readonly label: string;
  readonly json: TfJsonShape;
  /** Set for environments, for environment-specific rules. */
  readonly environment?: string;
  readonly onPremisesCidrs?: readonly string[];
}

/** Loads each argument; environments are validated together first, as `npm run synth` does. */
export function loadTargets(args: readonly string[]): Target[] {
  const resolved = args.some((a) => ENVIRONMENTS.some((e) => e.name === a)) ? resolveEnvironments(ENVIRONMENTS) : [];
  return args.map((arg) => {
    const env = resolved.find((e) => e.name === arg);
    if (env) {
      const stack = new MlPlatformStack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "ml-network-")) }), env);
      return {
        name: env.name,
        label: `environment ${env.name}`,
        json: stack.toTerraform(),
        environment: env.name,
        onPremisesCidrs: env.onPremisesCidrs,
      };
    }
    if (fs.existsSync(arg))
      return { name: path.basename(arg).replace(/(\.tf)?\.json$/, ""), label: arg, json: JSON.parse(fs.readFileSync(arg, "utf8")) as TfJsonShape };
    throw new Error(
      `"${arg}" is neither an environment (${ENVIRONMENTS.map((e) => e.name).join(", ")}) nor a file. Fix: name an environment or a path to a .tf.json file`,
    );
  });
}
