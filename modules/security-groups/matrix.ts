/**
 * The rule matrix: which group may talk to which, on which ports.
 *
 * Traffic between two groups is a *flow*; a flow becomes two rules, an egress
 * rule on the sender and an ingress rule on the receiver, so the two sides can
 * never disagree. Traffic to CIDRs and prefix lists is a one-sided *edge*.
 * Rule ids are built from group, direction, ports and peer, never from list
 * positions, so adding a rule changes no other.
 */
import { cidrId } from "../core/tags";
import { ALL_ICMP, ALL_TRAFFIC, describeRange, rangeId, toRange, type PortRange } from "../core/ports";
import { groupsOf, type ResolvedSecurityGroupsConfig, type SecurityGroupName } from "./schema";

export type RulePeer =
  | { readonly kind: "group"; readonly name: SecurityGroupName }
  | { readonly kind: "cidr"; readonly cidr: string }
  | { readonly kind: "prefixList"; readonly service: "s3" | "dynamodb" }
  | { readonly kind: "prefixListId"; readonly id: string };

export interface RuleSpec {
  /** Construct id, e.g. `notebook-egress-tcp-443-to-vpcEndpoints`. */
  readonly id: string;
  readonly group: SecurityGroupName;
  readonly direction: "ingress" | "egress";
  readonly range: PortRange;
  readonly peer: RulePeer;
  readonly description: string;
}

/** Where members of each group run, by subnet tier (used to place NACL checks and reports). */
export const GROUP_TIERS: Readonly<Record<SecurityGroupName, readonly ("public" | "private" | "isolated" | "training")[]>> = {
  notebook: ["private"],
  training: ["training", "private"],
  inference: ["private"],
  data: ["isolated"],
  vpcEndpoints: ["private"],
  efa: ["training"],
};

function peerId(peer: RulePeer): string {
  switch (peer.kind) {
    case "group":
      return peer.name;
    case "cidr":
      return cidrId(peer.cidr).replace(/:/g, "_");
    case "prefixList":
      return `${peer.service}-prefix-list`;
    case "prefixListId":
      return peer.id;
  }
}

function peerText(peer: RulePeer): string {
  switch (peer.kind) {
    case "group":
      return `the ${peer.name} group`;
    case "cidr":
      return peer.cidr;
    case "prefixList":
      return `the ${peer.service === "s3" ? "S3" : "DynamoDB"} prefix list`;
    case "prefixListId":
      return peer.id;
  }
}

function rule(group: SecurityGroupName, direction: "ingress" | "egress", range: PortRange, peer: RulePeer, why: string): RuleSpec {
  const dir = direction === "ingress" ? "from" : "to";
  return {
    id: `${group}-${direction}-${rangeId(range)}-${dir}-${peerId(peer)}`,
    group,
    direction,
    range,
    peer,
    description: `${describeRange(range)} ${dir} ${peerText(peer)}: ${why}`.slice(0, 255),
  };
}

const HTTPS: PortRange = { protocol: "tcp", from: 443, to: 443 };

/** Every rule of the configuration, defaults first, deduplicated by id. */
export function buildRuleMatrix(cfg: ResolvedSecurityGroupsConfig, vpcCidrs: readonly string[]): RuleSpec[] {
  const groups = groupsOf(cfg);
  const rules: RuleSpec[] = [];
  const flow = (from: SecurityGroupName, to: SecurityGroupName, range: PortRange, why: string) => {
    rules.push(rule(from, "egress", range, { kind: "group", name: to }, why));
    rules.push(rule(to, "ingress", range, { kind: "group", name: from }, why));
  };
  const edge = (group: SecurityGroupName, direction: "ingress" | "egress", range: PortRange, peer: RulePeer, why: string) =>
    rules.push(rule(group, direction, range, peer, why));
  const awsApis = (group: SecurityGroupName, services: readonly ("s3" | "dynamodb")[] = ["s3", "dynamodb"]) => {
    flow(group, "vpcEndpoints", HTTPS, "AWS APIs through interface endpoints");
    for (const service of services)
      edge(group, "egress", HTTPS, { kind: "prefixList", service }, `${service === "s3" ? "S3" : "DynamoDB"} through the gateway endpoint`);
  };
  const dataPorts = cfg.data.ports.map((p) => toRange(p));

  // notebook: HTTPS in from clients (the VPC by default); AWS APIs and data out.
  const clientCidrs = cfg.notebook.clientCidrs ?? [];
  const clientGroups = (cfg.notebook.clientGroups ?? []) as SecurityGroupName[];
  const notebookClients = clientCidrs.length === 0 && clientGroups.length === 0 ? [...vpcCidrs] : clientCidrs;
  for (const cidr of notebookClients) edge("notebook", "ingress", HTTPS, { kind: "cidr", cidr }, "Jupyter and IDE clients");
  for (const client of clientGroups) flow(client, "notebook", HTTPS, "Jupyter and IDE clients");
  awsApis("notebook");

  // training: everything within the group (distributed training), AWS APIs out.
  flow("training", "training", ALL_TRAFFIC, "distributed training between nodes of the group");
  awsApis("training");

  // inference: serving ports from configured callers only; AWS APIs out.
  const serving = cfg.inference.servingPorts.map((p) => toRange(p));
  for (const range of serving) {
    for (const caller of cfg.inference.callerGroups as SecurityGroupName[]) flow(caller, "inference", range, "model invocations");
    for (const cidr of cfg.inference.callerCidrs) edge("inference", "ingress", range, { kind: "cidr", cidr }, "model invocations");
  }
  awsApis("inference");

  // data: the data ports from its consumers; no egress at all.
  for (const consumer of cfg.data.consumers as SecurityGroupName[]) {
    for (const range of dataPorts) flow(consumer, "data", range, "databases, feature stores and file systems");
  }

  // efa: all traffic within the group only; S3 and AWS APIs over HTTPS.
  if (groups.includes("efa")) {
    flow("efa", "efa", ALL_TRAFFIC, "EFA traffic stays within the cluster");
    awsApis("efa", ["s3"]);
  }

  // Internet egress through NAT, only for groups that opt in.
  for (const group of cfg.internetEgress as SecurityGroupName[]) {
    for (const port of cfg.internetEgressPorts) {
      edge(group, "egress", toRange(port), { kind: "cidr", cidr: "0.0.0.0/0" }, "internet egress through NAT (opt-in)");
    }
  }

  // Prefix lists given as ids stay as named services in the matrix; the construct maps them.
  for (const extra of cfg.extraRules) {
    const protocol = extra.protocol ?? "tcp";
    // ICMP without a type and code means every ICMP message (-1/-1), not type 0.
    const range = protocol === "icmp" && extra.port === undefined ? ALL_ICMP : toRange(extra.port ?? 0, protocol);
    if ("from" in extra) {
      flow(extra.from as SecurityGroupName, extra.to as SecurityGroupName, range, extra.description);
    } else {
      const peer: RulePeer = extra.cidr !== undefined ? { kind: "cidr", cidr: extra.cidr } : { kind: "prefixListId", id: extra.prefixListId! };
      edge(extra.group as SecurityGroupName, extra.direction, range, peer, extra.description);
    }
  }

  const seen = new Set<string>();
  return rules.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
}
