#!/usr/bin/env node
/**
 * npm run bench: synthesizes all environments with the compiled app, several
 * times, each run in a fresh Node process as `npm run synth` does, and reports
 * the median and worst wall time and peak resident memory.
 *
 *   BENCH_RUNS=15 npm run bench
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const runs = Number(process.env.BENCH_RUNS || 9);
const BUDGET = { wallMs: 1500, rssMb: 250 };

// The child synthesizes and reports its own peak RSS (getrusage maxrss, in KiB).
const child = `
const { synthAll } = require(${JSON.stringify(path.join(root, "dist", "main.js"))});
synthAll(undefined, process.argv[1]);
process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
`;

function once() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const start = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ["-e", child, outdir], { encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (res.status !== 0) throw new Error(`synth failed:\n${res.stderr}`);
  return { wallMs, rssMb: JSON.parse(res.stdout).maxRssKb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

once(); // warm the file-system cache; not counted
const samples = Array.from({ length: runs }, once);
const wall = samples.map((s) => s.wallMs);
const rss = samples.map((s) => s.rssMb);
const result = {
  "synth all environments": {
    runs,
    "median wall (ms)": Math.round(median(wall)),
    "max wall (ms)": Math.round(Math.max(...wall)),
    "median peak RSS (MB)": Math.round(median(rss)),
    "max peak RSS (MB)": Math.round(Math.max(...rss)),
  },
};
console.log(`node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
console.table(result);
const ok = median(wall) < BUDGET.wallMs && median(rss) < BUDGET.rssMb;
console.log(`budget: median wall < ${BUDGET.wallMs} ms and median peak RSS < ${BUDGET.rssMb} MB: ${ok ? "met" : "MISSED"}`);
process.exitCode = ok ? 0 : 1;
