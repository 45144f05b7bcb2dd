/**
 * The Terraform suites (`npm run test:terraform`), kept apart from the unit
 * tests because they start terraform:
 *
 * - offline-validate.tf.test.ts: `terraform validate` with the real
 *   hashicorp/aws provider from a local plugin directory (no network); skips,
 *   saying why, without terraform or a plugin. Runs in .ci/run.
 * - fuzz.tf.test.ts: random mutations of the environments either synthesize
 *   Terraform the provider validates or fail with a clear error, never crash.
 * - validate.tf.test.ts: `terraform init` from the registry, opt-in with
 *   RUN_TERRAFORM_TESTS=1 on a machine with network.
 */
const base = require("./jest.config.js");
module.exports = {
  ...base,
  globalSetup: undefined,
  globalTeardown: undefined,
  testMatch: ["**/*.tf.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  testTimeout: 600000,
};
