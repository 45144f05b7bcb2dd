/**
 * Shape of SegmentedSecurityGroups props (zod) with documented defaults, and
 * the checks between fields: ports, group references, CIDRs, internet
 * ingress opt-in, data ports versus consumers.
 */
import { z } from "zod";
import { uniqueList } from "../core/schema";
import { Validator } from "ip-num";
import type { ConfigIssue } from "../core/errors";
import { checkCidr } from "../core/cidr";
import { checkPortSpec } from "../core/ports";
import { SHAPES } from "../core/aws-limits";
import type { Exact } from "../core/types";
import type { SegmentedSecurityGroupsConfig } from "./index";

/** Every function that gets its own security group. `efa` exists only when enabled. */
export const SECURITY_GROUP_NAMES = ["notebook", "training", "inference", "data", "vpcEndpoints", "efa"] as const;
export type SecurityGroupName = (typeof SECURITY_GROUP_NAMES)[number];

/** Default data ports: NFS (EFS), MySQL, PostgreSQL, Redis (ElastiCache, online feature stores). */
export const DEFAULT_DATA_PORTS = [2049, 3306, 5432, 6379];
/** Default model-serving port: SageMaker and most serving containers listen on 8080. */
export const DEFAULT_SERVING_PORTS = [8080];

const portSpec = z.union([z.number(), z.object({ from: z.number(), to: z.number() })]);
const protocol = z.enum(["tcp", "udp", "icmp", "all"]);
const groupName = z.string();

const flowRule = z.strictObject({
  from: groupName,
  to: groupName,
  port: portSpec.optional(),
  protocol: protocol.optional(),
  description: z.string(),
});
const edgeRule = z.strictObject({
  group: groupName,
  direction: z.enum(["ingress", "egress"]),
  port: portSpec.optional(),
  protocol: protocol.optional(),
  cidr: z.string().optional(),
  prefixListId: z.string().optional(),
  description: z.string(),
});

export const securityGroupsConfigSchema = z.strictObject({
  notebook: z.strictObject({ clientCidrs: uniqueList(z.string()).optional(), clientGroups: uniqueList(groupName).optional() }).default({}),
  inference: z
    .strictObject({
      servingPorts: uniqueList(portSpec).default(DEFAULT_SERVING_PORTS),
      callerGroups: uniqueList(groupName).default([]),
      callerCidrs: uniqueList(z.string()).default([]),
    })
    .prefault({}),
  data: z
    .strictObject({
      ports: uniqueList(portSpec).default(DEFAULT_DATA_PORTS),
      consumers: uniqueList(groupName).default(["notebook", "training"]),
    })
    .prefault({}),
  efa: z.boolean().default(false),
  internetEgress: uniqueList(groupName).default([]),
  internetEgressPorts: uniqueList(z.number()).default([443]),
  allowIngressFromAnywhere: uniqueList(groupName).default([]),
  extraRules: uniqueList(z.union([flowRule, edgeRule])).default([]),
  prefixListIds: z.strictObject({ s3: z.string().optional(), dynamodb: z.string().optional() }).default({}),
});

export type ResolvedSecurityGroupsConfig = z.output<typeof securityGroupsConfigSchema>;

const configMatchesSchema: Exact<z.input<typeof securityGroupsConfigSchema>, SegmentedSecurityGroupsConfig> = true;
void configMatchesSchema;

/** AWS accepts only these characters in security group and rule descriptions. */
export const DESCRIPTION_CHARS = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,255}$/;

/** The groups that exist for a configuration. */
export function groupsOf(cfg: ResolvedSecurityGroupsConfig): SecurityGroupName[] {
  return SECURITY_GROUP_NAMES.filter((g) => g !== "efa" || cfg.efa);
}

/** True for 0.0.0.0/0 and ::/0, and any other /0. */
export function isAnywhere(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}

export function checkAnyCidr(cidr: string): string | undefined {
  if (cidr.includes(":")) {
    const [ok] = Validator.isValidIPv6CidrRange(cidr);
    return ok ? undefined : "is not a valid IPv6 CIDR (or has host bits set)";
  }
  const c = checkCidr(cidr);
  return c.ok ? undefined : c.reason;
}

export function validateSecurityGroups(cfg: ResolvedSecurityGroupsConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, value: unknown, message: string, fix: string) => issues.push({ path, value, message, fix });
  const groups = groupsOf(cfg);
  const known = (path: string, name: string, allowed: readonly string[] = groups) => {
    if (allowed.includes(name)) return true;
    const efaHint = name === "efa" ? " (efa exists only with efa: true)" : "";
    add(path, name, `is not a security group of this network${efaHint}`, `use one of ${allowed.join(", ")}`);
    return false;
  };
  const cidr = (path: string, value: string, group: string, ingress: boolean) => {
    const reason = checkAnyCidr(value);
    if (reason) add(path, value, reason, 'use a network in CIDR notation, e.g. "10.0.0.0/16"');
    else if (ingress && isAnywhere(value) && !cfg.allowIngressFromAnywhere.includes(group)) {
      add(
        path,
        value,
        `opens the ${group} group to the whole internet`,
        `name the real client ranges, or opt in explicitly with allowIngressFromAnywhere: ["${group}"]`,
      );
    }
  };
  const cidrs = (path: string, list: readonly string[], group: SecurityGroupName, ingress: boolean) =>
    list.forEach((value, i) => cidr(`${path}[${i}]`, value, group, ingress));

  cfg.notebook.clientGroups?.forEach((g, i) => known(`notebook.clientGroups[${i}]`, g));
  cidrs("notebook.clientCidrs", cfg.notebook.clientCidrs ?? [], "notebook", true);

  cfg.inference.servingPorts.forEach((p, i) => issues.push(...checkPortSpec(`inference.servingPorts[${i}]`, p)));
  if (cfg.inference.servingPorts.length === 0 && (cfg.inference.callerGroups.length > 0 || cfg.inference.callerCidrs.length > 0)) {
    add("inference.servingPorts", [], "is empty while inference has callers", "list the serving ports, e.g. [8080]");
  }
  cfg.inference.callerGroups.forEach((g, i) => known(`inference.callerGroups[${i}]`, g));
  cidrs("inference.callerCidrs", cfg.inference.callerCidrs, "inference", true);

  cfg.data.ports.forEach((p, i) => issues.push(...checkPortSpec(`data.ports[${i}]`, p)));
  const consumers = groups.filter((g) => g !== "data" && g !== "vpcEndpoints");
  cfg.data.consumers.forEach((g, i) => known(`data.consumers[${i}]`, g, consumers));
  if (cfg.data.ports.length === 0 && cfg.data.consumers.length > 0) {
    add(
      "data.ports",
      [],
      `is empty while ${cfg.data.consumers.join(" and ")} consume data`,
      "list the data ports (e.g. [5432, 2049]), or set data.consumers: [] to cut data access",
    );
  }

  cfg.internetEgress.forEach((g, i) =>
    known(
      `internetEgress[${i}]`,
      g,
      groups.filter((x) => x !== "data" && x !== "vpcEndpoints"),
    ),
  );
  cfg.internetEgressPorts.forEach((p, i) => issues.push(...checkPortSpec(`internetEgressPorts[${i}]`, p)));
  cfg.allowIngressFromAnywhere.forEach((g, i) => known(`allowIngressFromAnywhere[${i}]`, g));

  cfg.extraRules.forEach((rule, i) => {
    const path = `extraRules[${i}]`;
    if (!DESCRIPTION_CHARS.test(rule.description)) {
      add(
        `${path}.description`,
        rule.description,
        "is empty, longer than 255 characters, or has characters AWS rejects",
        "use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
      );
    }
    if (rule.protocol === "icmp") {
      // Security-group rules carry the ICMP type and code where ports go: { from: type, to: code }, -1 for any.
      const p = rule.port;
      const okIcmp = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= -1 && n <= 255;
      if (p !== undefined && !(typeof p === "object" && okIcmp(p.from) && okIcmp(p.to))) {
        add(
          `${path}.port`,
          p,
          "is a port, but ICMP has none: security groups take the ICMP type and code here",
          "write { from: <type>, to: <code> } (e.g. { from: 3, to: 4 }), -1 for any, or omit it for every ICMP message",
        );
      }
    } else if (rule.protocol !== "all") {
      if (rule.port === undefined)
        add(`${path}.port`, undefined, `is required for protocol ${rule.protocol ?? "tcp"}`, 'give a port or range, or protocol: "all"');
      else issues.push(...checkPortSpec(`${path}.port`, rule.port));
    }
    if ("from" in rule) {
      known(`${path}.from`, rule.from);
      known(`${path}.to`, rule.to);
      return;
    }
    known(`${path}.group`, rule.group);
    const peers = [rule.cidr, rule.prefixListId].filter((p) => p !== undefined);
    if (peers.length !== 1) {
      add(path, rule, "needs exactly one peer: cidr or prefixListId (or use from/to between groups)", "set one of cidr, prefixListId");
      return;
    }
    if (rule.cidr !== undefined) cidr(`${path}.cidr`, rule.cidr, rule.group, rule.direction === "ingress");
    if (rule.prefixListId !== undefined && !SHAPES.prefixListId.re.test(rule.prefixListId)) {
      add(`${path}.prefixListId`, rule.prefixListId, "is not a prefix list id", `use an id such as ${SHAPES.prefixListId.example}`);
    }
  });
  for (const service of ["s3", "dynamodb"] as const) {
    const id = cfg.prefixListIds[service];
    if (id !== undefined && !SHAPES.prefixListId.re.test(id))
      add(
        `prefixListIds.${service}`,
        id,
        "is not a prefix list id",
        `use the id of com.amazonaws.<region>.${service} (e.g. ${SHAPES.prefixListId.example}), or omit it to look it up`,
      );
  }
  return issues;
}
