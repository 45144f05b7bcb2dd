#!/usr/bin/env node
/**
 * npm run check -- <env | path/to/file.tf.json> [--json]
 *
 * Runs the compliance pack on an environment (synthesized in memory from the
 * current code) or on any Terraform JSON file, prints findings and
 * suppressions as tables (or JSON), and exits 1 on unsuppressed errors.
 */
import { Command } from "commander";
import Table from "cli-table3";
import { runPolicies, type PolicyResult } from "../analysis/policy";
import { loadTargets } from "./targets";

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

export function renderTables(label: string, result: PolicyResult): string {
  const envNote = result.environment && !label.includes(result.environment) ? ` (environment ${result.environment})` : "";
  const lines: string[] = [`Compliance check: ${label}${envNote}`];
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

export function main(argv: string[]): number {
  const program = new Command()
    .name("check")
    .description("Run the compliance rule pack on an environment or a Terraform JSON file")
    .argument("<target>", "environment name (dev, staging, prod) or path to a .tf.json file")
    .option("--json", "print machine-readable JSON")
    .option("--environment <name>", "treat a JSON file as this environment (for environment-specific rules)")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const opts = program.opts<{ json?: boolean; environment?: string }>();
  const [target] = loadTargets([program.args[0]]);
  const result = runPolicies(target.json, { environment: opts.environment ?? target.environment });
  if (opts.json) process.stdout.write(`${JSON.stringify({ target: target.label, ...result }, null, 2)}\n`);
  else process.stdout.write(`${renderTables(target.label, result)}\n`);
  return result.errors.length > 0 ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code?.startsWith("commander.")) process.exitCode = e.code === "commander.helpDisplayed" ? 0 : 2;
    else {
      console.error(e.message);
      process.exitCode = 2;
    }
  }
}
