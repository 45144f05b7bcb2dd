#!/usr/bin/env node
/**
 * ml-network-check <target...> [--json]   (target: stack | path/to/file.tf.json | stack folder | example)
 *   [--required-tags Environment,Team,...] [--config settings.json]
 * (npm run check -- ... in this repository)
 *
 * Runs the compliance pack on each target (bin/targets.ts says how names
 * resolve, and keeps the names of two stacks apart), prints findings and
 * suppressions as tables per target (or one JSON document: a list when there
 * are several targets), and exits 1 when any target has unsuppressed errors,
 * 2 on bad usage.
 */
import { Command } from "commander";
import Table from "cli-table3";
import { runPolicies, type PolicyResult } from "../analysis/policy";
import {
  CONFIG_HELP,
  REQUIRED_TAGS_HELP,
  exitCodeOf,
  installCleanup,
  loadTargets,
  parseRequiredTags,
  requiredTagsOf,
  targetsHelp,
  type CliContext,
} from "./targets";

// Wrap long addresses instead of cutting them; colour only on a terminal.
const TABLE = {
  wordWrap: true,
  style: process.stdout.isTTY ? {} : { head: [], border: [] },
};

/** Lets long addresses and paths wrap after "." and "/" and inside very long names (the table wraps on spaces). */
function breakable(text: string, width = 36): string {
  return text
    .replace(/([./])/g, "$1 ")
    .split(" ")
    .map((token) => token.match(new RegExp(`.{1,${width}}`, "g"))?.join(" ") ?? token)
    .join(" ");
}

export function renderTables(label: string, result: PolicyResult, requiredTags?: { tags: readonly string[]; from: string }): string {
  const envNote = result.environment && !label.includes(result.environment) ? ` (environment ${result.environment})` : "";
  const lines: string[] = [`Compliance check: ${label}${envNote}`];
  if (requiredTags) lines.push(`Required tags: ${requiredTags.tags.join(", ")} (${requiredTags.from})`);
  if (result.findings.length > 0) {
    const t = new Table({ head: ["rule", "severity", "resource", "construct path", "finding", "fix"], ...TABLE, colWidths: [12, 10, 40, 32, 34, 34] });
    for (const f of result.findings) t.push([f.rule, f.severity, breakable(f.address), breakable(f.path ?? "", 28), f.message, f.fix]);
    lines.push("Findings:", t.toString());
  } else {
    lines.push("Findings: none");
  }
  if (result.suppressed.length > 0) {
    const t = new Table({ head: ["rule", "resource", "construct path", "reason"], ...TABLE, colWidths: [13, 40, 34, 60] });
    for (const s of result.suppressed) t.push([s.rule, breakable(s.address), breakable(s.path ?? "", 30), s.reason]);
    lines.push("Suppressed (accepted with a reason):", t.toString());
  }
  lines.push(
    `${result.errors.length} unsuppressed error(s), ${result.findings.length - result.errors.length} warning(s), ${result.suppressed.length} suppressed`,
  );
  return lines.join("\n");
}

/** Runs the command; throws on bad usage (see `cli` for the exit code). Returns 1 on unsuppressed errors, else 0. */
export function main(argv: string[], context: CliContext = {}): number {
  const program = new Command()
    .name("ml-network-check")
    .description("Run the compliance rule pack on stacks, Terraform JSON files or example environments")
    .argument("<targets...>", "stack names, paths to .tf.json files or stack folders, or example environments (see below)")
    .option("--json", "print machine-readable JSON")
    .option("--environment <name>", "treat the JSON as this environment (for environment-specific rules)")
    .option("--required-tags <keys>", REQUIRED_TAGS_HELP, parseRequiredTags)
    .option("--config <file>", CONFIG_HELP)
    .addHelpText("after", () => targetsHelp(context))
    .exitOverride();
  program.parse(argv, { from: "user" });
  const opts = program.opts<{ json?: boolean; environment?: string; requiredTags?: string[]; config?: string }>();
  const requiredTags = requiredTagsOf(opts, context);
  const targets = loadTargets(program.args, context);
  const results = targets.map((target) => ({
    target,
    result: runPolicies(target.json, { environment: opts.environment ?? target.environment, requiredTags: requiredTags.tags }),
  }));
  if (opts.json) {
    const docs = results.map(({ target, result }) => ({ target: target.label, name: target.name, requiredTags: requiredTags.tags, ...result }));
    process.stdout.write(`${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n`);
  } else {
    process.stdout.write(`${results.map(({ target, result }) => renderTables(target.label, result, requiredTags)).join("\n\n")}\n`);
  }
  return results.some(({ result }) => result.errors.length > 0) ? 1 : 0;
}

/** The command as the shell sees it: the exit code, with errors printed (2 for bad usage, 0 for --help). */
export function cli(argv: string[], context: CliContext = {}): number {
  try {
    return main(argv, context);
  } catch (err) {
    return exitCodeOf(err);
  }
}

if (require.main === module) {
  installCleanup();
  process.exitCode = cli(process.argv.slice(2));
}
