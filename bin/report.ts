#!/usr/bin/env node
/**
 * npm run report -- <env... | path/to/file.tf.json> [--usage usage.json] [--on-prem 10.8.0.0/16,...] [--out dir]
 *
 * Writes cdktf.out/reports/<target>/{report.md, network.svg, cost.json,
 * reachability.json}: who can reach what, what the network costs per month,
 * and a picture of it. Offline: everything comes from the Terraform JSON.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { MultiBar, Presets } from "cli-progress";
import Table from "cli-table3";
import { buildReport, writeReport, type Step } from "../analysis/report";
import type { Usage } from "../analysis/cost";
import { loadTargets } from "./targets";

const STEPS: Step[] = ["model", "reachability", "cost", "diagram", "write"];

export async function main(argv: string[]): Promise<string[]> {
  const program = new Command()
    .name("report")
    .description("Reachability, monthly cost and a diagram of environments or Terraform JSON files")
    .argument("<targets...>", "environment names (dev, staging, prod) or paths to .tf.json files")
    .option("--usage <file>", "JSON usage profile overriding the defaults (fields: docs/cost-model.md)")
    .option("--on-prem <cidrs>", "comma-separated on-premises ranges, for files with BGP-routed VPNs")
    .option("--out <dir>", "output folder", path.join("cdktf.out", "reports"))
    .exitOverride();
  program.parse(argv, { from: "user" });
  const opts = program.opts<{ usage?: string; onPrem?: string; out: string }>();
  const usage = opts.usage ? (JSON.parse(fs.readFileSync(opts.usage, "utf8")) as Partial<Usage>) : undefined;
  const targets = loadTargets(program.args);

  // Progress bars on a terminal; one line per step elsewhere (CI logs).
  const tty = process.stderr.isTTY === true;
  const bars = tty
    ? new MultiBar({ format: " {target} [{bar}] {step}", hideCursor: true, clearOnComplete: false, stream: process.stderr }, Presets.shades_classic)
    : undefined;
  const written: string[] = [];
  const summaries: string[][] = [];
  for (const target of targets) {
    const bar = bars?.create(STEPS.length, 0, { target: target.name.padEnd(10), step: "starting" });
    const onStep = (step: Step) => (bar ? bar.increment(1, { step }) : process.stderr.write(`[${target.name}] ${step}\n`));
    const result = await buildReport(
      { label: target.name, json: target.json, onPremisesCidrs: opts.onPrem?.split(",") ?? target.onPremisesCidrs, usage },
      (s) => {
        if (s !== "model") onStep(s);
      },
    );
    onStep("write");
    written.push(...writeReport(path.join(opts.out, target.name), result));
    const m = result.reachability.matrix;
    const tiers = result.reachability.tiers;
    const outside = ["internet (outbound)", "s3", "dynamodb", "on-premises"].filter((d) => m.isolated?.[d]?.reachable);
    const s3 = ["private", "training"]
      .filter((t) => m[t])
      .map(
        (t) =>
          `${t}: ${m[t].s3.reachable ? (m[t].s3.path.some((p) => p.startsWith("aws_vpc_endpoint")) ? "gateway endpoint" : "NAT or internet gateway") : "no"}`,
      );
    summaries.push([
      target.name,
      `$${result.cost.total.toFixed(2)}`,
      tiers.filter((t) => m[t]["internet (inbound)"].reachable).join(", ") || "none",
      m.isolated ? outside.join(", ") || "nothing" : "(no isolated tier)",
      s3.join("; ") || "-",
      String(result.compliance.errors.length),
    ]);
    bar?.update(STEPS.length, { step: "done" });
  }
  bars?.stop();
  const table = new Table({
    head: ["target", "monthly cost", "reachable from the internet", "isolated reaches outside", "S3 from private compute", "compliance errors"],
    style: process.stdout.isTTY ? {} : { head: [], border: [] },
  });
  for (const s of summaries) table.push(s);
  process.stdout.write(`${table.toString()}\n`);
  for (const file of written) process.stdout.write(`${file}\n`);
  return written;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: { code?: string; message: string }) => {
    if (err.code?.startsWith("commander.")) process.exitCode = err.code === "commander.helpDisplayed" ? 0 : 2;
    else {
      console.error(err.message);
      process.exitCode = 2;
    }
  });
}
