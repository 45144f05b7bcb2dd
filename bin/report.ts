#!/usr/bin/env node
/**
 * ml-network-report <target...> [--usage usage.json] [--on-prem 10.8.0.0/16,...] [--out dir]
 *   [--required-tags Environment,Team,...] [--config settings.json]
 * (npm run report -- ... in this repository)
 *
 * Writes <outdir>/reports/<name>/{report.md, network.svg, cost.json,
 * reachability.json} per target, named after the stack (bin/targets.ts):
 * who can reach what, what the network costs per month, and a picture of it.
 * Offline: everything comes from the Terraform JSON.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, InvalidArgumentError } from "commander";
import { MultiBar, Presets } from "cli-progress";
import Table from "cli-table3";
import { buildReport, writeReport, type ReportResult, type Step } from "../analysis/report";
import type { Usage } from "../analysis/cost";
import { checkCidr } from "../modules/core";
import {
  CONFIG_HELP,
  REQUIRED_TAGS_HELP,
  UsageError,
  exitCodeOf,
  installCleanup,
  loadTargets,
  onCleanup,
  outdirOf,
  parseRequiredTags,
  requiredTagsOf,
  shown,
  targetsHelp,
  type CliContext,
  type Target,
} from "./targets";

const STEPS: Step[] = ["model", "reachability", "cost", "diagram", "write"];

/** Lets the event loop run (and Ctrl-C be handled) between targets: the steps themselves never wait for it. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function readUsage(file: string, context: CliContext): Partial<Usage> {
  try {
    return JSON.parse(fs.readFileSync(path.resolve(context.cwd ?? process.cwd(), file), "utf8")) as Partial<Usage>;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`--usage ${file}: ${e.code === "ENOENT" ? "no such file" : `not valid JSON (${e.message})`}`);
  }
}

/** `--on-prem 10.8.0.0/16,192.168.0.0/16`: the ranges, each a valid IPv4 CIDR. */
function parseCidrs(value: string): string[] {
  const cidrs = value.split(",").map((c) => c.trim());
  const bad = cidrs.flatMap((c) => {
    const check = checkCidr(c);
    return check.ok ? [] : [`"${c}" ${check.reason}`];
  });
  if (bad.length > 0) throw new InvalidArgumentError(`${bad.join("; ")}. Fix: give IPv4 ranges such as 10.8.0.0/16, separated by commas`);
  return cidrs;
}

/** One row of the summary table. */
function summaryRow(target: Target, result: ReportResult): string[] {
  const m = result.reachability.matrix;
  const tiers = result.reachability.tiers;
  const outside = ["internet (outbound)", "s3", "dynamodb", "on-premises"].filter((d) => m.isolated?.[d]?.reachable);
  const s3 = ["private", "training"]
    .filter((t) => m[t])
    .map(
      (t) =>
        `${t}: ${m[t].s3.reachable ? (m[t].s3.path.some((p) => p.startsWith("aws_vpc_endpoint")) ? "gateway endpoint" : "NAT or internet gateway") : "no"}`,
    );
  return [
    target.name,
    `$${result.cost.total.toFixed(2)}${result.cost.warnings.length > 0 ? " (see warnings)" : ""}`,
    tiers.filter((t) => m[t]["internet (inbound)"].reachable).join(", ") || "none",
    m.isolated ? outside.join(", ") || "nothing" : "(no isolated tier)",
    s3.join("; ") || "-",
    String(result.compliance.errors.length),
  ];
}

/** Writes the reports; returns the files written. Throws on bad usage (see `cli` for the exit code). */
export async function main(argv: string[], context: CliContext = {}): Promise<string[]> {
  const program = new Command()
    .name("ml-network-report")
    .description("Reachability, monthly cost and a diagram of stacks, Terraform JSON files or example environments")
    .argument("<targets...>", "stack names, paths to .tf.json files or stack folders, or example environments (see below)")
    .option("--usage <file>", "JSON usage profile overriding the defaults (fields: docs/cost-model.md)")
    .option("--on-prem <cidrs>", "comma-separated on-premises ranges, for files with BGP-routed VPNs", parseCidrs)
    .option("--out <dir>", "output folder (default: <cdktf outdir>/reports)")
    .option("--required-tags <keys>", REQUIRED_TAGS_HELP, parseRequiredTags)
    .option("--config <file>", CONFIG_HELP)
    .addHelpText("after", () => targetsHelp(context))
    .exitOverride();
  program.parse(argv, { from: "user" });
  const opts = program.opts<{ usage?: string; onPrem?: string[]; out?: string; requiredTags?: string[]; config?: string }>();
  const usage = opts.usage ? readUsage(opts.usage, context) : undefined;
  const requiredTags = requiredTagsOf(opts, context).tags;
  const out = opts.out ? path.resolve(context.cwd ?? process.cwd(), opts.out) : path.join(outdirOf(context), "reports");
  const targets = loadTargets(program.args, context);

  // Progress bars on a terminal; one line per step elsewhere (CI logs).
  const tty = process.stderr.isTTY === true;
  const bars = tty
    ? new MultiBar({ format: " {target} [{bar}] {step}", hideCursor: true, clearOnComplete: false, stream: process.stderr }, Presets.shades_classic)
    : undefined;
  const stopBars = onCleanup(() => bars?.stop());
  const written: string[] = [];
  const summaries: string[][] = [];
  const warnings: string[] = [];
  try {
    for (const target of targets) {
      await tick();
      const bar = bars?.create(STEPS.length, 0, { target: target.name.padEnd(10), step: "starting" });
      const onStep = (step: Step) => (bar ? bar.increment(1, { step }) : process.stderr.write(`[${target.name}] ${step}\n`));
      const result = await buildReport(
        {
          label: target.name,
          source: target.label,
          json: target.json,
          onPremisesCidrs: opts.onPrem ?? target.onPremisesCidrs,
          usage,
          policy: { environment: target.environment, requiredTags },
        },
        (s) => {
          if (s !== "model") onStep(s);
        },
      );
      onStep("write");
      written.push(...writeReport(path.join(out, target.name), result));
      summaries.push(summaryRow(target, result));
      warnings.push(...result.cost.warnings.map((w) => `warning: ${target.name}: ${w}`));
      bar?.update(STEPS.length, { step: "done" });
    }
  } finally {
    bars?.stop();
    stopBars();
  }
  const table = new Table({
    head: ["target", "monthly cost", "reachable from the internet", "isolated reaches outside", "S3 from private compute", "compliance errors"],
    style: process.stdout.isTTY ? {} : { head: [], border: [] },
  });
  for (const s of summaries) table.push(s);
  process.stdout.write(`${table.toString()}\n`);
  for (const w of warnings) process.stdout.write(`${w}\n`);
  for (const file of written) process.stdout.write(`${shown(file, context)}\n`);
  return written;
}

/** The command as the shell sees it: the exit code, with errors printed (2 for bad usage, 0 for --help). */
export async function cli(argv: string[], context: CliContext = {}): Promise<number> {
  try {
    await main(argv, context);
    return 0;
  } catch (err) {
    return exitCodeOf(err);
  }
}

if (require.main === module) {
  installCleanup();
  void cli(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
