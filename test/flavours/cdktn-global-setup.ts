/**
 * Global setup of `npm run test:cdktn` (jest.cdktn.config.js): what
 * test/global-setup.ts does, on CDK Terrain. The three environments are
 * synthesized once from the TypeScript sources (through jest's transform, as
 * in the default run) with `cdktf`, `@cdktf/provider-aws` and `constructs`
 * answered from flavours/cdktn/, and shared with the test files. Sets
 * ML_NETWORK_FLAVOUR=cdktn, so the commands tests start (scripts/synth.js, the
 * cdktf.json app) build on cdktn too, and fails if this process loaded any
 * file of cdktf, @cdktf/provider-aws or the root's constructs.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

type Flavours = {
  withFlavour<T>(name: string, fn: () => T): T;
  strays(name: string, files: string[]): string[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flavours = require("../../scripts/flavours.js") as Flavours;

export default function globalSetup(): void {
  process.env.ML_NETWORK_FLAVOUR = "cdktn";
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-network-test-cdktn-"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  flavours.withFlavour("cdktn", () => (require("../../main") as typeof import("../../main")).synthAll(undefined, outdir));
  const strays = flavours.strays("cdktn", Object.keys(require.cache));
  if (strays.length > 0) throw new Error(`the cdktn run loaded files of cdktf or the root's constructs:\n${strays.slice(0, 10).join("\n")}`);
  if (!Object.keys(require.cache).some((f) => f.includes(`${path.sep}flavours${path.sep}cdktn${path.sep}node_modules${path.sep}cdktn${path.sep}`))) {
    throw new Error("the cdktn run's global setup did not load cdktn");
  }
  process.env.ML_NETWORK_TEST_SYNTH_DIR = outdir;
}
