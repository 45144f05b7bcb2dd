#!/usr/bin/env node
/**
 * One scaling run of `npm run bench -- --scale`, in a fresh process:
 * synthesizes N copies of prod (prod-01 ... prod-NN, VPC 10.<n>.0.0/16, each
 * its own stack, one App, validations and compliance included) with the
 * bundle built from bench/scale-entry.js, and prints a JSON line: the time of
 * synthAll, the resource count and the process's peak RSS.
 *
 *   node bench/scale.js <copies> <outdir>
 */
const fs = require("fs");
const path = require("path");
const { lastBuild } = require("../scripts/synth-build");
const { loadSynth } = require("../scripts/synth-load");

const copies = Number(process.argv[2]);
const outdir = path.resolve(process.argv[3]);
if (!Number.isInteger(copies) || copies < 1 || copies > 200) throw new Error("usage: node bench/scale.js <copies 1-200> <outdir>");

const build = lastBuild({ name: "scale" });
const app = loadSynth(build);
const { synthAll, prod } = app.exports;

/** Copy n of prod: its own name, Environment tag and VPC range; on-premises stays 172.16.0.0/16, clear of 10.0.0.0/8. */
function copyOfProd(n) {
  const name = `prod-${String(n).padStart(2, "0")}`;
  return { ...prod, name, tags: { ...prod.tags, Environment: name }, network: { ...prod.network, cidr: `10.${n}.0.0/16` } };
}

const environments = Array.from({ length: copies }, (_, i) => copyOfProd(i + 1));
const start = performance.now();
synthAll(environments, outdir);
const synthMs = performance.now() - start;
app.saveCodeCache();

let resources = 0;
for (const env of environments) {
  const doc = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", env.name, "cdk.tf.json"), "utf8"));
  for (const byName of Object.values(doc.resource ?? {})) resources += Object.keys(byName).length;
}
process.stdout.write(JSON.stringify({ copies, resources, synthMs, maxRssKb: process.resourceUsage().maxRSS }) + "\n");
