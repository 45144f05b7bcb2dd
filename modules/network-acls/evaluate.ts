/**
 * Evaluates NACL rules the way AWS does: the lowest-numbered rule that matches
 * decides; nothing matching means deny. Used by tests and analysis to prove
 * that NACLs let through what the security groups allow, in both directions.
 */
import { within } from "../core/cidr";
import { covers, type PortRange } from "../core/ports";
import type { SubnetTier } from "../network";
import type { NaclRuleSpec } from "./rules";

export interface NaclQuery {
  readonly tier: SubnetTier;
  /** true: traffic leaving the tier's subnets; false: entering them. */
  readonly egress: boolean;
  /** One port (from = to) or `all`. */
  readonly range: PortRange;
  /** The other side of the traffic; a rule matches only if it covers the whole range. */
  readonly peerCidr: string;
}

export function naclDecision(rules: readonly NaclRuleSpec[], q: NaclQuery): { action: "allow" | "deny"; rule?: NaclRuleSpec } {
  const ordered = rules.filter((r) => r.tier === q.tier && r.egress === q.egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const rule of ordered) {
    if (within(q.peerCidr, rule.cidr) && covers(rule.range, q.range)) return { action: rule.action, rule };
  }
  return { action: "deny" };
}
