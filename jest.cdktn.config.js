/**
 * The unit suite on CDK Terrain (`npm run test:cdktn`): the same tests and
 * sources as `npm test`, with `cdktf`, `@cdktf/provider-aws` and `constructs`
 * answered from flavours/cdktn/ (cdktn, @cdktn/provider-aws and the constructs
 * they accept; `npm run flavour:cdktn:install`). See docs/cdk-terrain.md.
 *
 * - moduleNameMapper rewrites the imports of every test and source (jest's
 *   module registry); the global setup synthesizes the environments from the
 *   sources with the same mapping (scripts/flavours.js withFlavour), and sets
 *   ML_NETWORK_FLAVOUR=cdktn so the commands tests start (scripts/synth.js,
 *   the cdktf.json app) build on cdktn too.
 * - test/flavours/cdktn-setup.ts fails a test file that loaded any file of
 *   cdktf, @cdktf/provider-aws or the root's constructs: one core library per
 *   process.
 * - test/flavours/*.flavour-test.ts run only here: which packages answer, and
 *   the cross-flavour comparison (both flavours synthesized, every resource,
 *   data source and output identical).
 */
const base = require("./jest.config.js");
const { moduleNameMapper } = require("./scripts/flavours");

module.exports = {
  ...base,
  testMatch: [...base.testMatch, "**/*.flavour-test.ts"],
  moduleNameMapper: moduleNameMapper("cdktn"),
  setupFilesAfterEnv: [...base.setupFilesAfterEnv, "<rootDir>/test/flavours/cdktn-setup.ts"],
  globalSetup: "<rootDir>/test/flavours/cdktn-global-setup.ts",
  // Shared with the default run: removes the synthesized environments.
  globalTeardown: base.globalTeardown,
};
