// ESLint flat config: type-aware TypeScript rules, the import rules that keep
// the layers pointing down (config -> stack -> modules; analysis reads JSON),
// and the house rule that keeps synth fast. Prettier formats; `npm run lint`
// checks both.
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import prettier from "eslint-config-prettier";

const barrel = {
  paths: [{ name: "@cdktf/provider-aws", message: "Import from @cdktf/provider-aws/lib/<resource> instead of the barrel." }],
  patterns: [{ regex: "^@cdktf/provider-aws/lib/?$", message: "Import one resource: @cdktf/provider-aws/lib/<resource>." }],
};

/** Imports a layer may not make, on top of the barrel rule. */
const layer = (patterns) => ["error", { paths: barrel.paths, patterns: [...barrel.patterns, ...patterns] }];

export default tseslint.config(
  {
    // examples/ are apps of their own: each builds with its own tsconfig against the packed library (.ci/example).
    ignores: ["node_modules/", "dist/", "cdktf.out/", "coverage/", "docs/", "bench/aws-cdk/node_modules/", "examples/"],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "import-x": importX },
    settings: { "import-x/resolver": { node: { extensions: [".ts", ".js", ".mjs"] } } },
    rules: {
      // The provider barrel costs ~10x the synth time and memory of deep imports.
      "no-restricted-imports": ["error", barrel],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "import-x/no-cycle": "error",
      "import-x/no-extraneous-dependencies": [
        "error",
        { devDependencies: ["test/**", "scripts/**", "bench/**", "examples/**", "*.config.js", "*.config.mjs"], peerDependencies: true },
      ],
      // Long functions hide their steps: split them into named parts.
      "max-lines-per-function": ["error", { max: 120, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ["modules/**/*.ts"],
    rules: {
      "no-restricted-imports": layer([
        { regex: "^(\\.\\./)+(analysis|environments|bin)(/|$)", message: "Modules are the bottom layer: they never import analysis, environments or bin." },
      ]),
    },
  },
  {
    files: ["environments/**/*.ts", "analysis/**/*.ts", "bin/**/*.ts", "testing/**/*.ts", "main.ts", "index.ts"],
    rules: {
      "no-restricted-imports": layer([
        {
          regex: "^(\\.\\./)*(\\./)?modules/[^/]+/.+",
          message: "Import a module through its public index (modules/<module>), not its files.",
        },
      ]),
    },
  },
  {
    files: ["analysis/**/*.ts"],
    rules: {
      "no-restricted-imports": layer([
        { regex: "^(\\.\\./)*(\\./)?modules/[^/]+/.+", message: "Import a module through its public index (modules/<module>), not its files." },
        { regex: "^(\\.\\./)+(environments|bin)(/|$)", message: "Analysis reads Terraform JSON: it never imports environments or bin." },
      ]),
    },
  },
  {
    files: ["testing/**/*.ts"],
    rules: {
      "no-restricted-imports": layer([
        { regex: "^(\\.\\./)*(\\./)?modules/[^/]+/.+", message: "Import a module through its public index (modules/<module>), not its files." },
        { regex: "^(\\.\\./)+(environments|bin)(/|$)", message: "The testing entry serves users' apps: it never imports environments or bin." },
      ]),
    },
  },
  {
    // Tests hold data tables and long scenario lists, and read synthesized JSON, which is untyped by nature.
    files: ["test/**/*.ts"],
    rules: {
      "max-lines-per-function": "off",
      "@typescript-eslint/unbound-method": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/restrict-template-expressions": "off",
      "@typescript-eslint/no-base-to-string": "off",
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off", "max-lines-per-function": "off" },
  },
  prettier,
);
