/**
 * Opt-in suite: tests that need `terraform init` (provider download).
 * Run with RUN_TERRAFORM_TESTS=1 npm run test:terraform on a machine with
 * network access to the Terraform registry.
 */
const base = require("./jest.config.js");
module.exports = { ...base, globalSetup: undefined, globalTeardown: undefined, testMatch: ["**/*.tf.test.ts"], testPathIgnorePatterns: ["/node_modules/"], testTimeout: 600000 };
