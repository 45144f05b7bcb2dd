/**
 * Unit tests: sucrase strips types (fast, pure JavaScript: no native binary
 * whose platform builds the lockfile would have to list); `npm run typecheck`
 * does the type checking.
 * The opt-in suite that needs `terraform init` lives in jest.terraform.config.js.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "\\.tf\\.test\\.ts$"],
  transform: {
    "^.+\\.ts$": "@sucrase/jest-plugin",
  },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // The environments are synthesized once per run and shared (test/helpers.ts environmentJson).
  globalSetup: "<rootDir>/test/global-setup.ts",
  globalTeardown: "<rootDir>/test/global-teardown.ts",
  testTimeout: 30000,
  // jest defaults to cores - 1 workers: one on a 2-core machine. Synthesis is CPU-bound; use both.
  maxWorkers: 2,
};
