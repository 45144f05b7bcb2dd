#!/usr/bin/env node
/**
 * `terraform validate` on synthesized stacks, offline, with a provider from a
 * local plugin directory (`terraform init -plugin-dir`): the real provider's
 * schema and argument validators (lengths, enums, formats) judge the JSON,
 * without network.
 *
 *   npm run validate                    every stack in cdktf.out/stacks
 *   npm run validate -- path/cdk.tf.json
 *
 * The plugin directory comes from TF_PLUGIN_DIR, or the first of the usual
 * places that holds hashicorp/aws (see PLUGIN_DIRS). The stacks pin
 * hashicorp/aws 6.x; when the plugin found is older, a validation copy maps
 * the few names 6.x introduced (MAPPINGS) and pins the plugin's version. The
 * synthesized files themselves are never changed.
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn, spawnSync } = require("child_process");

/** Where offline provider mirrors usually live (the Terraform CLI's implied local mirror directories first). */
const PLUGIN_DIRS = [
  path.join(os.homedir(), ".terraform.d", "plugins"),
  path.join(os.homedir(), ".local", "share", "terraform", "plugins"),
  "/usr/local/share/terraform/plugins",
  "/usr/share/terraform/plugins",
  "/opt/tf-plugins",
];

/**
 * Names hashicorp/aws 6.0 introduced that an older provider does not know,
 * and what 5.x calls them ("Terraform AWS Provider Version 6 Upgrade Guide").
 * Applied to the validation copy only when the plugin's major version is
 * below 6.
 */
const MAPPINGS = [
  {
    // data "aws_region": 6.0 adds `region` and deprecates `name`; 5.x has only `name`.
    pattern: /\$\{data\.aws_region\.([A-Za-z0-9_-]+)\.region\}/g,
    replacement: "${data.aws_region.$1.name}",
    why: "data.aws_region exposes `region` from 6.0; 5.x calls it `name`",
  },
];

/** The hashicorp/aws plugin in a plugin directory: { dir, version } of the newest, or undefined. */
function findPlugin(dirs = process.env.TF_PLUGIN_DIR ? [process.env.TF_PLUGIN_DIR] : PLUGIN_DIRS) {
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  for (const dir of dirs) {
    const base = path.join(dir, "registry.terraform.io", "hashicorp", "aws");
    if (!fs.existsSync(base)) continue;
    const versions = fs
      .readdirSync(base)
      .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && fs.existsSync(path.join(base, v, platform)))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    if (versions.length > 0) return { dir, version: versions[versions.length - 1] };
  }
  return undefined;
}

function terraformAvailable() {
  return spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
}

/** The validation copy of one stack's JSON text for a provider version, and the mappings it applied. */
function validationCopy(text, providerVersion) {
  let mapped = text;
  const applied = [];
  if (Number(providerVersion.split(".")[0]) < 6) {
    for (const m of MAPPINGS) {
      const next = mapped.replace(m.pattern, m.replacement);
      if (next !== mapped) applied.push(m.why);
      mapped = next;
    }
  }
  const json = JSON.parse(mapped);
  json.terraform = { ...(json.terraform ?? {}) };
  json.terraform.required_providers = { ...(json.terraform.required_providers ?? {}), aws: { source: "hashicorp/aws", version: providerVersion } };
  return { json, applied };
}

const quietEnv = (home) => ({
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  // An empty CLI config: no network mirrors, no warning about a missing ~/.terraformrc.
  TF_CLI_CONFIG_FILE: path.join(home, "terraformrc"),
});

/** Runs `fn` over `items`, at most `limit` at a time, keeping order. */
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function run(cmd, args, options) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, options);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Validates stacks. `stacks` maps a name to its Terraform JSON text. Returns
 * { plugin, results: [{ name, valid, diagnostics, applied }] }; one
 * `terraform init` is shared by all.
 */
async function validateStacks(stacks, plugin = findPlugin()) {
  if (!plugin)
    throw new Error(
      `no hashicorp/aws plugin found in ${(process.env.TF_PLUGIN_DIR ? [process.env.TF_PLUGIN_DIR] : PLUGIN_DIRS).join(", ")}; set TF_PLUGIN_DIR`,
    );
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "tf-validate-"));
  try {
    fs.writeFileSync(path.join(home, "terraformrc"), "");
    const env = quietEnv(home);
    const copies = Object.entries(stacks).map(([name, text]) => ({ name, ...validationCopy(text, plugin.version) }));
    // One init: the provider only needs installing once; every stack links to it.
    const initDir = path.join(home, "init");
    fs.mkdirSync(initDir);
    fs.writeFileSync(
      path.join(initDir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: plugin.version } } } }),
    );
    const init = await run("terraform", ["init", "-backend=false", "-input=false", "-no-color", `-plugin-dir=${plugin.dir}`], { cwd: initDir, env });
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.stdout}${init.stderr}`);
    // As many terraform processes at once as there are cores: each validate is CPU-bound.
    const results = await mapLimit(copies, Math.max(1, os.cpus().length), async ({ name, json, applied }) => {
      const dir = path.join(home, "stacks", name);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json, null, 1));
      fs.symlinkSync(path.join(initDir, ".terraform"), path.join(dir, ".terraform"));
      fs.copyFileSync(path.join(initDir, ".terraform.lock.hcl"), path.join(dir, ".terraform.lock.hcl"));
      const out = await run("terraform", ["validate", "-json", "-no-color"], { cwd: dir, env });
      let parsed;
      try {
        parsed = JSON.parse(out.stdout);
      } catch {
        return {
          name,
          valid: false,
          applied,
          diagnostics: [{ severity: "error", summary: "terraform validate printed no JSON", detail: out.stdout + out.stderr }],
        };
      }
      const diagnostics = (parsed.diagnostics ?? []).map((d) => ({
        severity: d.severity,
        summary: d.summary,
        detail: d.detail,
        address: d.address ?? d.snippet?.context,
      }));
      return { name, valid: parsed.valid === true, applied, diagnostics };
    });
    return { plugin, results };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function main(argv) {
  const root = path.resolve(__dirname, "..");
  const files =
    argv.length > 0
      ? argv
      : (() => {
          const dir = path.join(process.env.CDKTF_OUTDIR || path.join(root, "cdktf.out"), "stacks");
          if (!fs.existsSync(dir)) return [];
          return fs
            .readdirSync(dir)
            .sort()
            .map((s) => path.join(dir, s, "cdk.tf.json"))
            .filter((f) => fs.existsSync(f));
        })();
  if (files.length === 0) {
    console.error("nothing to validate: run `npm run synth` first, or name a .tf.json file");
    return 1;
  }
  if (!terraformAvailable()) {
    console.error("terraform is not on PATH: install Terraform >= 1.11");
    return 1;
  }
  const plugin = findPlugin();
  if (!plugin) {
    console.error(
      `no hashicorp/aws provider plugin found (looked in ${PLUGIN_DIRS.join(", ")}); set TF_PLUGIN_DIR to a directory laid out like registry.terraform.io/hashicorp/aws/<version>/<os_arch>/`,
    );
    return 1;
  }
  const stacks = Object.fromEntries(files.map((f) => [path.basename(path.dirname(f)) || f, fs.readFileSync(f, "utf8")]));
  const { results } = await validateStacks(stacks, plugin);
  let failed = 0;
  for (const r of results) {
    const mapped = r.applied.length ? ` (validation copy: ${r.applied.join("; ")})` : "";
    console.log(`${r.valid ? "valid" : "INVALID"}  ${r.name}  hashicorp/aws ${plugin.version}${mapped}`);
    for (const d of r.diagnostics) console.log(`  ${d.severity}: ${d.summary}${d.address ? ` [${d.address}]` : ""}: ${d.detail}`);
    if (!r.valid) failed++;
  }
  return failed === 0 ? 0 : 1;
}

module.exports = { findPlugin, validationCopy, validateStacks, terraformAvailable, MAPPINGS, PLUGIN_DIRS };

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
