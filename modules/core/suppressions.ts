/**
 * Suppressions: accepting a compliance finding on purpose, with a reason.
 *
 * `suppress(construct, "MLN-EC2-3", "why")` attaches the suppression to every
 * Terraform resource under the construct. It travels in the synthesized JSON
 * under the resource's `//` key (which Terraform ignores), so `npm run check`
 * on the JSON sees it too, and every report lists it with its reason.
 */
import type { IConstruct } from "constructs";
import { TerraformResource } from "cdktf";
import { ConfigError } from "./errors";
import { RULE_IDS, UNSUPPRESSIBLE_RULES, type RuleId } from "./rule-ids";

export interface SuppressionEntry {
  readonly rule: RuleId;
  readonly reason: string;
}

const registry = new WeakMap<TerraformResource, SuppressionEntry[]>();

export function suppress(scope: IConstruct, rule: RuleId, reason: string): void {
  const where = `suppress(${scope.node.path || "(root)"})`;
  if (!(RULE_IDS as readonly string[]).includes(rule)) {
    throw new ConfigError(where, [{ path: "rule", value: rule, message: "is not a rule of the compliance pack", fix: `use one of ${RULE_IDS.join(", ")}` }]);
  }
  if (UNSUPPRESSIBLE_RULES.includes(rule)) {
    throw new ConfigError(where, [
      {
        path: "rule",
        value: rule,
        message: "cannot be suppressed (SSH and RDP must never be open to the internet)",
        fix: "remove the rule that opens the port",
      },
    ]);
  }
  if (typeof reason !== "string" || reason.trim().length < 10) {
    throw new ConfigError(where, [
      { path: "reason", value: reason, message: "is shorter than 10 characters", fix: "write why the finding is accepted, for auditors" },
    ]);
  }
  for (const node of scope.node.findAll()) {
    if (!TerraformResource.isTerraformResource(node)) continue;
    const resource = node;
    const list = registry.get(resource) ?? [];
    if (list.some((s) => s.rule === rule)) continue;
    list.push({ rule, reason: reason.trim() });
    registry.set(resource, list);
    resource.addOverride(
      "//.suppressions",
      list.map((s) => ({ rule: s.rule, reason: s.reason })),
    );
  }
}
