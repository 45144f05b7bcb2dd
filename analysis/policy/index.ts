/**
 * The policy engine: runs the rule pack over Terraform JSON, separates
 * suppressed findings (with their reasons) from live ones, and formats them.
 */
import { ConfigError, UNSUPPRESSIBLE_RULES, tagProblems, type ConfigIssue } from "../../modules/core";
import { TerraformStack } from "cdktf";
import { TfDocument, type Suppression, type TfJsonShape } from "../tfjson";
import { RULES, type Rule, type RuleContext, type Severity } from "./rules";

export { RULES, UNTAGGABLE_TYPES, type Rule, type RuleContext, type Severity } from "./rules";

/** The tags MLN-TAG-1 and MLN-TAG-2 require unless `requiredTags` names others: this project's tagging policy. */
export const REQUIRED_TAGS: readonly string[] = Object.freeze(["Environment", "Project", "Owner", "CostCenter", "Compliance"]);

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
  /** What the result could not see, e.g. suppressions lost with the JSON's `//` metadata. */
  readonly notes: readonly string[];
}

export interface PolicyOptions {
  readonly environment?: string;
  readonly multiAzEnvironments?: readonly string[];
  /**
   * Tag keys every taggable resource must carry (MLN-TAG-1) and every auto
   * scaling group must give its instances (MLN-TAG-2): your tagging policy.
   * Keys are case-sensitive, as in AWS. Default: REQUIRED_TAGS.
   */
  readonly requiredTags?: readonly string[];
  /** Rule ids to skip entirely (for JSON written by others). Default: none. */
  readonly skip?: readonly string[];
}

/**
 * Problems of a required-tags list (`path` names it in the messages): not a
 * list of strings, empty, a key AWS would refuse (length, characters, the
 * reserved `aws:` prefix), or a key listed twice.
 */
export function requiredTagsIssues(tags: unknown, path = "requiredTags"): ConfigIssue[] {
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")) {
    return [{ path, value: tags, message: "is not a list of tag keys", fix: 'give the keys as strings, e.g. ["Environment", "Team"]' }];
  }
  const keys = tags as string[];
  if (keys.length === 0) return [{ path, value: tags, message: "is empty", fix: `name at least one key, e.g. ${REQUIRED_TAGS.join(",")}` }];
  const issues: ConfigIssue[] = [];
  keys.forEach((key, i) => {
    if (key.trim() === "") issues.push({ path: `${path}[${i}]`, value: key, message: "is an empty tag key", fix: "remove it (two commas in a row?)" });
    else if (key !== key.trim())
      issues.push({ path: `${path}[${i}]`, value: key, message: "has spaces around it", fix: "remove them (keys are compared exactly)" });
    else for (const p of tagProblems({ [key]: "" })) issues.push({ path: `${path}[${i}]`, value: key, message: p.message, fix: p.fix });
    if (keys.indexOf(key) !== i) issues.push({ path: `${path}[${i}]`, value: key, message: "is listed twice", fix: "list each key once" });
  });
  return issues;
}

/** `tags` when it is a valid required-tags list; a ConfigError naming every problem otherwise. */
function checkedRequiredTags(tags: readonly string[] | undefined): readonly string[] {
  if (tags === undefined) return REQUIRED_TAGS;
  const issues = requiredTagsIssues(tags);
  if (issues.length > 0) throw new ConfigError("runPolicies options", issues);
  return tags;
}

/**
 * Runs the pack. Takes Terraform JSON, a TfDocument, or a stack: a stack is
 * rendered with its `//` metadata, where suppressions and construct paths
 * travel (cdktf's `Testing.synth()` strips it, so pass the stack in tests).
 */
export function runPolicies(input: TfDocument | TfJsonShape | TerraformStack, options: PolicyOptions = {}): PolicyResult {
  const requiredTags = checkedRequiredTags(options.requiredTags);
  const doc = input instanceof TfDocument ? input : new TfDocument(TerraformStack.isStack(input) ? (input.toTerraform() as TfJsonShape) : input);
  const resources = doc.resources();
  const notes =
    resources.length > 0 && resources.every((r) => r.path === undefined && r.suppressions.length === 0)
      ? [
          "the JSON carries no `//` metadata (cdktf's Testing.synth strips it): recorded suppressions and construct paths are not visible; pass the stack itself, or the JSON cdktf synth writes",
        ]
      : [];
  const ctx: RuleContext = {
    environment: options.environment ?? doc.defaultTags().Environment,
    multiAzEnvironments: options.multiAzEnvironments ?? ["prod"],
    requiredTags,
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
  return { environment: ctx.environment, findings, suppressed, errors: findings.filter((f) => f.severity === "error"), notes };
}

/** Unsuppressed error findings as configuration issues, at the construct path (or address) of the resource. */
export function complianceIssues(input: TfDocument | TfJsonShape | TerraformStack, options: PolicyOptions = {}): ConfigIssue[] {
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
