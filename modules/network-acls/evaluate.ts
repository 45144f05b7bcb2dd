/**
 * The one network ACL evaluator: the lowest-numbered rule that matches
 * decides; no match denies (AWS's rule *). A rule matches when its CIDR holds
 * the whole peer range and its protocol and ports cover the traffic (for
 * ICMP: type and code, -1 for any). IPv4 rules never match IPv6 peers and the
 * reverse. Used by the synth-time proof that NACLs never block what the
 * security groups allow (consistency.ts) and by the reachability report
 * (analysis/), so the two cannot disagree.
 */
import { covers, within, type PortRange } from "../core";
import type { SubnetTier } from "../network";
import type { NaclRuleSpec } from "./rules";

/** A NACL rule as the evaluator sees it, from a rule spec or from Terraform JSON. */
export interface NaclEntry {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly action: "allow" | "deny";
  readonly range: PortRange;
  readonly cidr: string;
}

/** Traffic crossing one NACL. */
export interface NaclTraffic {
  /** true: leaving the subnet; false: entering it. */
  readonly egress: boolean;
  /** A port (from = to), a range, or `all`. */
  readonly range: PortRange;
  /** The other side of the traffic. */
  readonly peerCidr: string;
}

/** The decision and, when a rule matched, the rule. */
export function evaluateNacl<E extends NaclEntry>(entries: readonly E[], t: NaclTraffic): { action: "allow" | "deny"; entry?: E } {
  const ordered = entries.filter((e) => e.egress === t.egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const entry of ordered) {
    if (within(t.peerCidr, entry.cidr) && covers(entry.range, t.range)) return { action: entry.action, entry };
  }
  return { action: "deny" };
}

export interface NaclQuery extends NaclTraffic {
  readonly tier: SubnetTier;
}

/** The decision of a tier's NACL among the rule specs of all tiers. */
export function naclDecision(rules: readonly NaclRuleSpec[], q: NaclQuery): { action: "allow" | "deny"; rule?: NaclRuleSpec } {
  const { action, entry } = evaluateNacl(
    rules.filter((r) => r.tier === q.tier),
    q,
  );
  return { action, rule: entry };
}
