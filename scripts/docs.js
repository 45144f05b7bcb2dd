#!/usr/bin/env node
/**
 * The generated part of docs/, committed so that readers of the repository
 * see it without building:
 *
 *   docs/api/         the API reference, from the sources' TSDoc (typedoc with
 *                     typedoc-plugin-markdown; settings in typedoc.json)
 *   docs/examples/    the network report and diagram of dev and prod, as
 *                     `npm run report` writes them
 *
 *   npm run docs            regenerate both
 *   npm run docs:check      exit 1 when either differs from what the sources produce
 *
 * The check generates into a temporary folder and compares file by file, so
 * stale docs are caught in CI without touching the working tree.
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const GENERATED = ["api", "examples"];
/** Example reports: the smallest and the largest environment. Of each, the files a reader opens. */
const EXAMPLE_TARGETS = ["dev", "prod"];
const EXAMPLE_FILES = ["report.md", "network.svg"];

async function generate(docsDir) {
  const typedoc = path.join(root, "node_modules", "typedoc", "bin", "typedoc");
  const api = spawnSync(process.execPath, [typedoc, "--out", path.join(docsDir, "api"), "--logLevel", "Warn", "--treatWarningsAsErrors"], {
    cwd: root,
    stdio: "inherit",
  });
  if (api.status !== 0) throw new Error(`typedoc failed (exit ${api.status})`);

  // The report command itself, run from the TypeScript sources (sucrase strips the types; no build needed).
  require("sucrase/register/ts");
  const { main } = require("../bin/report");
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "ml-network-reports-"));
  const log = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true; // the command's summary table is not part of the docs
  try {
    await main([...EXAMPLE_TARGETS.map((t) => `example:${t}`), "--out", out]);
  } finally {
    process.stdout.write = log;
  }
  for (const target of EXAMPLE_TARGETS) {
    fs.mkdirSync(path.join(docsDir, "examples", target), { recursive: true });
    for (const file of EXAMPLE_FILES) fs.copyFileSync(path.join(out, target, file), path.join(docsDir, "examples", target, file));
  }
  fs.rmSync(out, { recursive: true, force: true });
}

/** Relative paths of every file under a folder. */
function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .flatMap((e) => (e.isFile() ? [path.relative(dir, path.join(e.parentPath ?? e.path, e.name))] : []));
}

async function run() {
  const docs = path.join(root, "docs");
  if (!process.argv.includes("--check")) {
    for (const dir of GENERATED) fs.rmSync(path.join(docs, dir), { recursive: true, force: true });
    await generate(docs);
    console.log(`generated ${GENERATED.map((d) => `docs/${d}/`).join(" and ")}`);
    return 0;
  }
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "ml-network-docs-"));
  try {
    await generate(fresh);
    const stale = GENERATED.flatMap((dir) => {
      const a = new Set(files(path.join(fresh, dir)));
      const b = new Set(files(path.join(docs, dir)));
      return [...new Set([...a, ...b])]
        .filter((f) => !a.has(f) || !b.has(f) || !fs.readFileSync(path.join(fresh, dir, f)).equals(fs.readFileSync(path.join(docs, dir, f))))
        .map((f) => `docs/${dir}/${f}`);
    });
    if (stale.length > 0) {
      console.error(`generated docs are out of date with the sources: ${stale.sort().join(", ")}\nrun \`npm run docs\` and commit the result.`);
      return 1;
    }
    console.log(`${GENERATED.map((d) => `docs/${d}/`).join(" and ")} match the sources.`);
    return 0;
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
}

run().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
