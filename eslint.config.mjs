// ESLint flat config: TypeScript rules plus the house rule that keeps synth fast.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "cdktf.out/", "coverage/"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // The provider barrel costs ~10x the synth time and memory of deep imports.
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "@cdktf/provider-aws", message: "Import from @cdktf/provider-aws/lib/<resource> instead of the barrel." }],
          patterns: [{ regex: "^@cdktf/provider-aws/lib/?$", message: "Import one resource: @cdktf/provider-aws/lib/<resource>." }],
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
