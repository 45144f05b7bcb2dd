/**
 * The policy engine: runs the rule pack over Terraform JSON, separates
 * suppressed findings (with their reasons) from live ones, and formats them.
 */
import { UNSUPPRESSIBLE_RULES, type ConfigIssue } from "../../modules/core";
import { TfDocument, type Suppression, type TfJsonShape } from "../tfjson";
import { RULES, type Rule, type RuleContext, type Severity } from "./rules";

export { RULES, UNTAGGABLE_TYPES, type Rule, type RuleContext, type Severity } from "./rules";

export const REQUIRED_TAGS = ["Environment", "Project", "Owner", "CostCenter", "Compliance"];

export interface Finding {
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  /** Terraform address, e.g. `aws_security_group_rule.open_ssh`. */
  readonly address: string;
  /** Construct path, when the JSON came from cdktf. */
  readonly path?: string;
  readonly message: string;
  readonly fix: string;
  readonly controls: Rule["controls"];
}

export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

export interface PolicyResult {
  readonly environment?: string;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Unsuppressed error findings: these fail synth and `npm run check`. */
  readonly errors: readonly Finding[];
}

export interface PolicyOptions {
  readonly environment?: string;
  readonly multiAzEnvironments?: readonly string[];
  readonly requiredTags?: readonly string[];
  /** Rule ids to skip entirely (for JSON written by others). Default: none. */
  readonly skip?: readonly string[];
}

export function runPolicies(input: TfDocument | TfJsonShape, options: PolicyOptions = {}): PolicyResult {
  const doc = input instanceof TfDocument ? input : new TfDocument(input);
  const ctx: RuleContext = {
    environment: options.environment ?? doc.defaultTags().Environment,
    multiAzEnvironments: options.multiAzEnvironments ?? ["prod"],
    requiredTags: options.requiredTags ?? REQUIRED_TAGS,
  };
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const rule of RULES) {
    if (options.skip?.includes(rule.id)) continue;
    for (const raw of rule.check(doc, ctx)) {
      const finding: Finding = {
        rule: rule.id,
        title: rule.title,
        severity: rule.severity,
        address: raw.resource.address,
        path: raw.resource.path,
        message: raw.message,
        fix: rule.fix,
        controls: rule.controls,
      };
      const suppression: Suppression | undefined = UNSUPPRESSIBLE_RULES.includes(rule.id)
        ? undefined
        : raw.resource.suppressions.find((s) => s.rule === rule.id);
      if (suppression) suppressed.push({ ...finding, reason: suppression.reason });
      else findings.push(finding);
    }
  }
  return { environment: ctx.environment, findings, suppressed, errors: findings.filter((f) => f.severity === "error") };
}

/** Unsuppressed error findings as configuration issues, at the construct path (or address) of the resource. */
export function complianceIssues(input: TfDocument | TfJsonShape, options: PolicyOptions = {}): ConfigIssue[] {
  return runPolicies(input, options).errors.map((f) => ({
    path: f.path ?? f.address,
    value: f.rule,
    message: `compliance: ${f.rule} ${f.address}${f.path ? ` (${f.path})` : ""}: ${f.message}. ${f.title}`,
    fix: f.fix,
  }));
}

/** One line per finding: rule, resource, construct path, message and fix. */
export function formatFinding(f: Finding): string {
  return `${f.rule} ${f.address}${f.path ? ` (${f.path})` : ""}: ${f.message}. ${f.title}. Fix: ${f.fix}`;
}
