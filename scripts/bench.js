#!/usr/bin/env node
/**
 * npm run bench: what the user waits for, each command timed as a whole
 * process tree, interleaved round by round with AWS CDK synthesizing three
 * comparable VPC stacks (bench/aws-cdk/), after one warm-up round:
 *
 *  - `npm run synth`: npm, the esbuild transpile of the app, synthesis,
 *    validations and compliance included, JSON written; as after an edit
 *    (the app bundle's code cache is dropped before each run);
 *  - the cdktf.json app as the cdktf CLI runs it (`cdktf synth`, `diff`,
 *    `deploy`): the app command in a shell, with the variables the CLI sets;
 *  - the synthesis alone: a fresh Node process loading the last build;
 *  - AWS CDK: `node bench/aws-cdk/app.js` (`app.synth()`), as it comes, with
 *    its built-in CloudFormation validation, and with that validation off
 *    (CDK_VALIDATION=false) for reference.
 *
 * Peak memory: every Node process of a command reports its own peak RSS at
 * exit (bench/rss-probe.js, preloaded with NODE_OPTIONS). Reported: the
 * largest process, and the sum over the command's Node processes (npm and
 * the synth run at the same time; an upper bound of the tree's peak).
 *
 *   npm run bench                          # 7 rounds
 *   BENCH_RUNS=15 npm run bench            # more rounds
 *   npm run bench -- --scale               # adds 1, 16 and 48 copies of prod
 *   npm run bench -- --cli                 # adds `npx cdktf synth` (CLI start-up included)
 *
 * Budget (issue 15): median `npm run synth` at most 0.30x AWS CDK's median in
 * the same run, and every Node process under 250 MB. Exit code 1 if missed.
 * The first run installs bench/aws-cdk/ (npm ci, about 190 MB, not part of the
 * project's own install).
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const awsCdkDir = path.join(root, "bench", "aws-cdk");
const probe = path.join(root, "bench", "rss-probe.js");
const args = process.argv.slice(2);
const runs = Number(process.env.BENCH_RUNS || 7);
const BUDGET = { ratio: 0.3, rssMb: 250 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, digits = 0) => Number(x.toFixed(digits));

function ensureAwsCdk() {
  const pinned = require(path.join(awsCdkDir, "package.json")).dependencies["aws-cdk-lib"];
  try {
    if (require(path.join(awsCdkDir, "node_modules", "aws-cdk-lib", "package.json")).version === pinned) return true;
  } catch {
    // not installed yet
  }
  console.log(`installing the AWS CDK comparison (aws-cdk-lib ${pinned}) into bench/aws-cdk/node_modules ...`);
  const res = spawnSync("npm", ["ci", "--prefix", awsCdkDir, "--no-audit", "--no-fund", "--loglevel=error"], { stdio: "inherit" });
  return res.status === 0;
}

/**
 * As after an edit: npm run synth and the cdktf.json app rebuild the app bundle anyway; drop its code cache
 * too. The vendor bundle and its cache stay: they change only with the installed packages.
 */
function forgetAppCache() {
  const dir = path.join(root, "dist", "synth");
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    if (f.startsWith("app-") && f.endsWith(".v8cache")) fs.rmSync(path.join(dir, f), { force: true });
}

/** Runs a command once; returns its wall time and the peak RSS of each of its Node processes. */
function measure(cmd) {
  cmd.before?.();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const rssFile = path.join(outdir, ".rss");
  const nodeOptions = [cmd.env?.NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? "", `--require ${JSON.stringify(probe)}`].join(" ").trim();
  const env = { ...process.env, ...cmd.env, CDKTF_OUTDIR: path.join(outdir, "out"), BENCH_RSS_FILE: rssFile, NODE_OPTIONS: nodeOptions };
  const argv = cmd.argv(path.join(outdir, "out"));
  const start = process.hrtime.bigint();
  const res = spawnSync(argv[0], argv.slice(1), { cwd: cmd.cwd ?? root, env, encoding: "utf8", shell: cmd.shell ?? false, maxBuffer: 64 * 2 ** 20 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`${cmd.name} failed (exit ${res.status}):\n${res.stderr || res.stdout}`);
  cmd.check?.(path.join(outdir, "out"));
  const procs = fs.existsSync(rssFile)
    ? fs
        .readFileSync(rssFile, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
    : [];
  fs.rmSync(outdir, { recursive: true, force: true });
  const rss = procs.map((p) => p.maxRssKb / 1024);
  return { wallMs, maxProcMb: Math.max(0, ...rss), sumMb: rss.reduce((a, b) => a + b, 0), procs: procs.length };
}

const expectStacks = (names) => (outdir) => {
  for (const n of names) {
    if (!fs.existsSync(path.join(outdir, "stacks", n, "cdk.tf.json"))) throw new Error(`no ${n}/cdk.tf.json in ${outdir}`);
  }
};

const cdktfJson = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8"));
const ENVS = ["dev", "staging", "prod"];
const commands = [
  { key: "npm", name: "npm run synth (end to end)", argv: () => ["npm", "run", "synth"], before: forgetAppCache, check: expectStacks(ENVS) },
  {
    key: "cliApp",
    name: "cdktf.json app, as the CLI runs it",
    // What cdktf-cli's SynthStack.synth does: the app string in a shell, with these variables.
    argv: () => [cdktfJson.app],
    shell: true,
    before: forgetAppCache,
    env: {
      NODE_OPTIONS: process.env.NODE_OPTIONS || "--max-old-space-size=4096",
      CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
      CDKTF_CONTEXT_JSON: JSON.stringify({ cdktfRelativeModules: [] }),
      SYNTH_HCL_OUTPUT: "false",
    },
    check: expectStacks(ENVS),
  },
  {
    key: "alone",
    name: "synthesis alone (last build, fresh process)",
    argv: (outdir) => [
      process.execPath,
      "-e",
      `const { lastBuild } = require("./scripts/synth-build"); const { loadSynth } = require("./scripts/synth-load");
       const app = loadSynth(lastBuild()); app.exports.synthAll(undefined, ${JSON.stringify(outdir)}); app.saveCodeCache();`,
    ],
    check: expectStacks(ENVS),
  },
  {
    key: "awsCdk",
    name: "AWS CDK, 3 VPC stacks (default: built-in validation)",
    argv: (outdir) => [process.execPath, "app.js", outdir],
    cwd: awsCdkDir,
    env: { CDK_VALIDATION: "" },
  },
  {
    key: "awsCdkNoValidation",
    name: "AWS CDK, 3 VPC stacks, CDK_VALIDATION=false",
    argv: (outdir) => [process.execPath, "app.js", outdir],
    cwd: awsCdkDir,
    env: { CDK_VALIDATION: "false" },
  },
];
if (args.includes("--cli")) {
  commands.push({
    key: "cli",
    name: "npx cdktf synth (CLI start-up included)",
    argv: () => ["npx", "cdktf", "synth"],
    env: { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" },
    check: expectStacks(ENVS),
  });
}

function benchSynth() {
  const haveAwsCdk = ensureAwsCdk();
  const active = commands.filter((c) => haveAwsCdk || !c.key.startsWith("awsCdk"));
  if (!haveAwsCdk) console.log("AWS CDK comparison unavailable (npm ci in bench/aws-cdk failed): no ratio");
  process.stdout.write(`warm-up ...`);
  for (const c of active) measure(c);
  const samples = Object.fromEntries(active.map((c) => [c.key, []]));
  for (let i = 0; i < runs; i++) {
    process.stdout.write(` ${i + 1}/${runs}`);
    for (const c of active) samples[c.key].push(measure(c));
  }
  process.stdout.write("\n");

  const table = {};
  for (const c of active) {
    const s = samples[c.key];
    const wall = s.map((x) => x.wallMs);
    table[c.name] = {
      "median (ms)": round(median(wall)),
      "min (ms)": round(Math.min(...wall)),
      "max (ms)": round(Math.max(...wall)),
      "peak RSS, largest process (MB)": round(median(s.map((x) => x.maxProcMb))),
      "peak RSS, all Node processes (MB)": round(median(s.map((x) => x.sumMb))),
    };
  }
  console.table(table);

  const result = { samples, ok: true };
  const maxProc = Math.max(...samples.npm.map((x) => x.maxProcMb), ...samples.cliApp.map((x) => x.maxProcMb));
  if (haveAwsCdk) {
    // Per round, both measured back to back: the median of the ratios is robust to load that drifts during the run.
    const ratio = median(samples.npm.map((x, i) => x.wallMs / samples.awsCdk[i].wallMs));
    const appRatio = median(samples.cliApp.map((x, i) => x.wallMs / samples.awsCdk[i].wallMs));
    const ratioNoVal = median(samples.npm.map((x, i) => x.wallMs / samples.awsCdkNoValidation[i].wallMs));
    console.log(`npm run synth / AWS CDK (default):           ${ratio.toFixed(2)}x  (budget <= ${BUDGET.ratio}x)`);
    console.log(`cdktf.json app / AWS CDK (default):          ${appRatio.toFixed(2)}x`);
    console.log(`npm run synth / AWS CDK (CDK_VALIDATION=false): ${ratioNoVal.toFixed(2)}x  (for reference)`);
    result.ok = ratio <= BUDGET.ratio;
  }
  console.log(`largest Node process of npm run synth and the cdktf.json app: ${round(maxProc)} MB (budget < ${BUDGET.rssMb} MB)`);
  result.ok = result.ok && maxProc < BUDGET.rssMb;
  return result;
}

function benchScale() {
  const sizes = [1, 16, 48];
  const scaleRuns = Number(process.env.BENCH_SCALE_RUNS || 3);
  // Build the scaling entry (the synth entry plus prod's config) the way npm run synth builds main.ts.
  const build = spawnSync(
    process.execPath,
    [
      "-e",
      'require("./scripts/synth-build").buildSynth({ entry: "bench/scale-entry.js", name: "scale" }).catch((e) => { console.error(e); process.exit(1); })',
    ],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (build.status !== 0) throw new Error("building bench/scale-entry.js failed");
  const once = (n) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-"));
    const start = process.hrtime.bigint();
    const res = spawnSync(process.execPath, [path.join(root, "bench", "scale.js"), String(n), outdir], { cwd: root, encoding: "utf8" });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    fs.rmSync(outdir, { recursive: true, force: true });
    if (res.status !== 0) throw new Error(`scale ${n} failed:\n${res.stderr}`);
    return { wallMs, ...JSON.parse(res.stdout.trim().split("\n").pop()) };
  };
  process.stdout.write("scaling: warm-up ...");
  once(1);
  const rows = {};
  for (const n of sizes) {
    const s = [];
    for (let i = 0; i < scaleRuns; i++) {
      process.stdout.write(` ${n}x${i + 1}`);
      s.push(once(n));
    }
    const synthMs = median(s.map((x) => x.synthMs));
    rows[`${n} x prod`] = {
      resources: s[0].resources,
      "process wall, median (ms)": round(median(s.map((x) => x.wallMs))),
      "synthAll, median (ms)": round(synthMs),
      "ms per environment": round(synthMs / n),
      "ms per 1000 resources": round((synthMs / s[0].resources) * 1000),
      "peak RSS (MB)": round(median(s.map((x) => x.maxRssKb / 1024))),
    };
  }
  process.stdout.write("\n");
  console.table(rows);
  const per = sizes.map((n) => rows[`${n} x prod`]["ms per 1000 resources"]);
  console.log(`time per 1000 resources, 48 vs 16 copies: ${(per[2] / per[1]).toFixed(2)}x (1.00 = linear)`);
}

console.log(
  `node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
const { ok } = benchSynth();
if (args.includes("--scale")) benchScale();
console.log(
  `load average at the end ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
console.log(`budget: npm run synth <= ${BUDGET.ratio}x AWS CDK and every Node process < ${BUDGET.rssMb} MB: ${ok ? "met" : "MISSED"}`);
process.exitCode = ok ? 0 : 1;
