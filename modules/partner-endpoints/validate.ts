/**
 * Checks for partner PrivateLink endpoints, runnable without constructing
 * anything (the environment loader calls them with a planned network):
 * service names of a partner's endpoint service in the network's Region,
 * ports, callers known by name, placement, private DNS prerequisites and the
 * names and descriptions AWS will receive.
 */
import { Token } from "cdktf";
import { formatPath, type ConfigIssue } from "../core/errors";
import { nameIssues, tagIssues } from "../core/aws-limits";
import { checkPortSpec, describeRange, rangeId, toRange, type PortRange } from "../core/ports";
import { didYouMean } from "../core/suggest";
import { parseServiceName, viewOf, type EndpointNetworkView } from "../endpoints";
import type { IMlNetwork } from "../network";
import type { ResolvedPartnerEndpoint, ResolvedPartnerEndpointsConfig } from "./schema";

/** Partner names: they name the security group, the construct ids and the Name tags. */
export const PARTNER_NAME = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * Caller names (keys of `securityGroupIds`, e.g. SegmentedSecurityGroups'
 * `vpcEndpoints`): they land in construct ids and rule descriptions, whose
 * characters AWS limits (DESCRIPTION_CHARS of the security groups module).
 */
export const CALLER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/**
 * The id part of an endpoint service name: `vpce-svc-` and 17 hexadecimal
 * digits. AWS does not state the format of endpoint service ids as a rule;
 * every example in the AWS CLI reference (describe-vpc-endpoint-services,
 * create-vpc-endpoint-connection-notification) has 17 digits, and "Resource
 * IDs" (Amazon EC2 user guide, docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html)
 * says every EC2 resource created since July 2018 gets the 17-character form;
 * the short 8-character form existed only for the resource types listed there,
 * and endpoint services (launched November 2017) are not among them.
 */
const ENDPOINT_SERVICE_ID = /\.vpce-svc-[0-9a-f]{17}$/;

/** EC2 security group ids: 8 (before 2018) or 17 hexadecimal digits ("Resource IDs", as above). */
const SECURITY_GROUP_ID = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** What the checks need of the network: endpoint placement and DNS (as MlVpcEndpoints reads it), and its name. */
export interface PartnerNetworkView extends EndpointNetworkView {
  /** The network's name, which prefixes the security-group names; their length is not checked without it. */
  readonly name?: string;
}

/** The view of a network (MlVpc, a plain IMlNetwork, or `plannedNetwork(...)` in the loader). */
export function partnerViewOf(network: IMlNetwork): PartnerNetworkView {
  return { ...viewOf(network), name: typeof network.name === "string" && !Token.isUnresolved(network.name) ? network.name : undefined };
}

/** The security group of a partner: `<network>-partner-<name>`. */
export function partnerGroupName(networkName: string, partner: string): string {
  return `${networkName}-partner-${partner}`;
}

/** The description of a partner's security group: only the partner's name, which every id depends on anyway. */
export function partnerGroupDescription(partner: string): string {
  // Fixed: a new description replaces the group, which AWS refuses while the endpoint's interfaces use it
  // (the purpose goes into the Purpose tag, which changes in place).
  return `Partner PrivateLink endpoint ${partner}: its callers in on its ports only`;
}

/** The description of the ingress and egress rule of one caller and port range. */
export function partnerRuleDescription(partner: string, caller: string, range: PortRange): string {
  return `${describeRange(range)} from ${caller} to partner ${partner}`;
}

/**
 * Interface endpoints carry TCP only ("An interface endpoint supports TCP
 * traffic only", Interface VPC endpoints (AWS PrivateLink), Amazon VPC user
 * guide, docs.aws.amazon.com/vpc/latest/userguide/vpce-interface.html,
 * "Interface endpoint properties and limitations").
 */
export function partnerRanges(partner: ResolvedPartnerEndpoint): PortRange[] {
  return partner.ports.filter((p) => checkPortSpec("", p).length === 0).map((p) => toRange(p, "tcp"));
}

/** What is wrong with a partner's service name, if anything (shapes parsed by the endpoints module). */
export function endpointServiceProblem(serviceName: string, region?: string): { message: string; fix: string } | undefined {
  const shape = "com.amazonaws.vpce.<region>.vpce-svc-<17 hexadecimal digits>";
  const parsed = parseServiceName(serviceName);
  if (!parsed) {
    return { message: "is not a PrivateLink service name", fix: `use the endpoint service's full name as the provider gives it: ${shape}` };
  }
  if (parsed.kind === "aws") {
    return {
      message: "is an AWS service, not a partner's endpoint service",
      fix: "reach AWS services through MlVpcEndpoints (its catalog, or interface.customServices)",
    };
  }
  if (!ENDPOINT_SERVICE_ID.test(serviceName)) {
    return { message: "has an endpoint service id that is not vpce-svc- and 17 hexadecimal digits", fix: `copy the name from the provider: ${shape}` };
  }
  if (region !== undefined && parsed.region !== region) {
    return {
      message: `names the Region ${parsed.region}, but the network is in ${region} (the module creates same-Region endpoints; it sets no service_region for cross-Region PrivateLink)`,
      fix: `ask the provider for the service's name in ${region}`,
    };
  }
  return undefined;
}

/** Issues of the `securityGroupIds` map of the props: names usable as keys, ids of the right shape (tokens pass). */
export function securityGroupIdsIssues(ids: Readonly<Record<string, unknown>> | undefined): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (ids === undefined || ids === null || typeof ids !== "object" || Array.isArray(ids)) {
    return [
      {
        path: "securityGroupIds",
        value: ids,
        message: "is not a map of caller names to security group ids",
        fix: 'pass SegmentedSecurityGroups\' ids, or { app: "sg-0123456789abcdef0" }',
      },
    ];
  }
  for (const [name, id] of Object.entries(ids)) {
    if (id === undefined) continue; // an optional group that does not exist (SegmentedSecurityGroups' efa)
    const path = formatPath(["securityGroupIds", name]);
    if (!CALLER_NAME.test(name)) {
      issues.push({ path, value: name, message: "is not a caller name: a letter, then up to 62 letters, digits, _ or -", fix: 'rename it, e.g. "training"' });
    }
    if (typeof id !== "string" || id === "") {
      issues.push({ path, value: id, message: "is not a security group id", fix: "give the group's id, e.g. sg-0123456789abcdef0" });
    } else if (!Token.isUnresolved(id) && !SECURITY_GROUP_ID.test(id)) {
      issues.push({ path, value: id, message: "is not a security group id", fix: "give the group's id (sg-...), e.g. SegmentedSecurityGroups' ids.training" });
    }
  }
  return issues;
}

type Add = (path: string, value: unknown, message: string, fix: string) => void;

/** Ports: at least one, each valid, no two the same range (they would be the same rule, which AWS refuses twice). */
function portIssues(name: string, p: ResolvedPartnerEndpoint, add: Add, issues: ConfigIssue[]): void {
  const at = (...field: (string | number)[]) => formatPath(["partners", name, ...field]);
  if (p.ports.length === 0) add(at("ports"), [], "is empty: the endpoint would admit nothing", "list the ports the partner's service listens on, e.g. [443]");
  const seen = new Map<string, number>();
  p.ports.forEach((spec, i) => {
    const problems = checkPortSpec(at("ports", i), spec);
    issues.push(...problems);
    if (problems.length > 0) return;
    const id = rangeId(toRange(spec, "tcp"));
    const first = seen.get(id);
    if (first !== undefined) add(at("ports", i), spec, `is the same range as ports[${first}]`, "list each port or range once");
    else seen.set(id, i);
  });
}

function callerIssues(name: string, p: ResolvedPartnerEndpoint, callerGroups: readonly string[], add: Add): void {
  const at = (...field: (string | number)[]) => formatPath(["partners", name, ...field]);
  if (p.callers.length === 0) {
    add(at("callers"), [], "is empty: no security group may reach the endpoint", 'name the groups that call the partner, e.g. ["training"]');
  }
  p.callers.forEach((caller, i) => {
    if (callerGroups.includes(caller)) return;
    add(
      at("callers", i),
      caller,
      "is not one of the security groups passed in securityGroupIds",
      callerGroups.length > 0
        ? `${didYouMean(caller, callerGroups)} Or add its id to securityGroupIds.`
        : `pass securityGroupIds with this group's id (e.g. SegmentedSecurityGroups' ids)`,
    );
  });
}

function placementIssues(name: string, p: ResolvedPartnerEndpoint, view: PartnerNetworkView, add: Add): void {
  const at = (...field: (string | number)[]) => formatPath(["partners", name, ...field]);
  const azs = view.tiers[p.tier];
  if (!azs?.length) {
    add(at("tier"), p.tier, "has no subnets to hold the endpoint network interfaces", `use a tier the network has: ${Object.keys(view.tiers).join(", ")}`);
  } else {
    p.availabilityZones?.forEach((az, i) => {
      if (!azs.includes(az)) add(at("availabilityZones", i), az, `has no ${p.tier} subnet`, `use one of ${azs.join(", ")}`);
    });
    if (p.availabilityZones?.length === 0) add(at("availabilityZones"), [], "is empty", "omit it for every AZ of the tier, or list at least one");
  }
  // "To use private DNS, you must set the following VPC attributes to true: enableDnsHostnames and enableDnsSupport"
  // (Interface VPC endpoints (AWS PrivateLink), docs.aws.amazon.com/vpc/latest/userguide/vpce-interface.html).
  if (p.privateDns && (!view.dnsSupport || !view.dnsHostnames)) {
    add(
      at("privateDns"),
      true,
      "needs DNS support and DNS hostnames on the VPC",
      "turn on enable_dns_support and enable_dns_hostnames (MlVpc always does), or set privateDns: false",
    );
  }
}

/**
 * Every problem of a resolved config: `callerGroups` are the names callers
 * may use (the keys of `securityGroupIds`; in an environment, the groups of
 * SegmentedSecurityGroups).
 */
export function validatePartnerEndpoints(cfg: ResolvedPartnerEndpointsConfig, view: PartnerNetworkView, callerGroups: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add: Add = (path, value, message, fix) => issues.push({ path, value, message, fix });
  const names = Object.keys(cfg.partners);
  if (names.length === 0) {
    add("partners", {}, "has no partner", 'add one, e.g. { "feature-store": { serviceName: "com.amazonaws.vpce.<region>.vpce-svc-...", ... } }');
  }
  const services = new Map<string, string>();
  for (const [name, p] of Object.entries(cfg.partners)) {
    const at = (...field: (string | number)[]) => formatPath(["partners", name, ...field]);
    if (!PARTNER_NAME.test(name)) {
      add(
        at(),
        name,
        "is not a partner name: 1 to 40 lower-case letters, digits and hyphens, starting with a letter",
        'use a short name such as "feature-store"',
      );
    } else if (view.name !== undefined) {
      issues.push(
        ...nameIssues([
          { name: partnerGroupName(view.name, name), rule: "securityGroup", path: at(), value: name, fix: "shorten the partner name or the network name" },
        ]),
      );
    }

    const problem = endpointServiceProblem(p.serviceName, view.region);
    if (problem) add(at("serviceName"), p.serviceName, problem.message, problem.fix);
    const other = services.get(p.serviceName.toLowerCase());
    if (other !== undefined) {
      add(
        at("serviceName"),
        p.serviceName,
        `is already the service of partner "${other}": a second endpoint to one service costs twice and, with private DNS, collides`,
        `keep one entry and list every caller in partners.${other}.callers`,
      );
    } else services.set(p.serviceName.toLowerCase(), name);

    if (p.purpose.trim() === "")
      add(at("purpose"), p.purpose, "is empty", 'say what the partner service is for, e.g. "vendor feature store for training jobs"');
    else issues.push(...tagIssues({ Purpose: p.purpose }, at()).map((i) => ({ ...i, path: at("purpose") })));
    portIssues(name, p, add, issues);
    callerIssues(name, p, callerGroups, add);
    placementIssues(name, p, view, add);
  }
  return issues;
}
