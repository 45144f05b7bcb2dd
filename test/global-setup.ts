/**
 * Synthesizes the three environments once per test run, the way `npm run
 * synth` does (validations and compliance included), so test files that only
 * read the JSON share it instead of each synthesizing it again.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthAll } from "../main";

export default function globalSetup(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-network-test-"));
  synthAll(undefined, outdir);
  process.env.ML_NETWORK_TEST_SYNTH_DIR = outdir;
}
