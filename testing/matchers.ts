/**
 * Jest matchers over the reachability engine and the compliance pack: assert
 * what the network lets through, not only which resources exist.
 *
 *   expect(stack).toReach("training", "s3", { via: "gateway endpoint" });
 *   expect(stack).not.toReach("isolated", "internet");
 *   expect(stack).toReach("internet", "public");            // inbound
 *   expect(stack).toAllowFlow("notebook", "data", 5432);
 *   expect(stack).toReach("private", "ml-inference");         // a load balancer, and through it the inference group
 *   expect(stack).toReach("on-premises", "dns");              // the inbound Resolver endpoint
 *   expect(stack).toReach("dns", "corp.example.com");         // a forwarding rule to on-premises servers
 *   expect(stack).toPassCompliance();
 *
 * Failure messages show the path that exists, or the route, NACL rule or
 * security-group rule that stops the traffic.
 */
import type { PortRange, Protocol } from "../modules";
import {
  analyzeReachability,
  buildModel,
  formatFinding,
  groupFlow,
  internetFrom,
  runPolicies,
  type NetworkModel,
  type PolicyOptions,
  type ReachabilityReport,
  type Verdict,
} from "../analysis";
import { terraformJson, type Synthesized } from "./synthesized";

/** How traffic gets there, checked against the path the engine found. */
export type Via = "gateway endpoint" | "interface endpoint" | "nat" | "internet gateway" | "vpn";
export const VIAS: readonly Via[] = ["gateway endpoint", "interface endpoint", "nat", "internet gateway", "vpn"];

export interface ReachOptions {
  /** The path must go this way. @default - any way */
  readonly via?: Via;
  /** TCP port, for `internet` as destination (the matrix uses 443). @default 443 */
  readonly port?: number;
  /** On-premises ranges, for JSON whose VPN learns routes by BGP. @default - the VPN's static routes */
  readonly onPremisesCidrs?: readonly string[];
}

/** Destinations `toReach` understands, besides interface endpoint services by name (`sts`, `sagemaker.api`, ...). */
export const DESTINATIONS = ["internet", "s3", "dynamodb", "on-premises"] as const;

interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

const arrow = (path: readonly string[]) => path.join(" -> ");

function viaMatches(model: NetworkModel, verdict: Verdict, via: Via): boolean {
  const endpoint = (type: "Gateway" | "Interface") => verdict.path.some((hop) => model.endpoints.some((e) => e.address === hop && e.type === type));
  switch (via) {
    case "gateway endpoint":
      return endpoint("Gateway");
    case "interface endpoint":
      return endpoint("Interface");
    case "nat":
      return verdict.path.some((hop) => hop.startsWith("aws_nat_gateway."));
    case "internet gateway":
      return verdict.path.some((hop) => hop.startsWith("aws_internet_gateway.")) && !verdict.path.some((hop) => hop.startsWith("aws_nat_gateway."));
    case "vpn":
      return verdict.path.some((hop) => hop.startsWith("aws_vpn_gateway."));
  }
}

/** The verdict for `from` -> `to`, or why the question itself does not fit the network. */
function verdictFor(model: NetworkModel, report: ReachabilityReport, from: string, to: string, options: ReachOptions): Verdict | { error: string } {
  const tiers = report.tiers;
  const services = report.destinations.filter((d) => d.startsWith("endpoint ")).map((d) => d.slice("endpoint ".length));
  const balancers = report.loadBalancers.map((lb) => lb.name);
  if (from === "on-premises" && to === "dns") return report.dns.inbound ?? { error: "the network has no inbound Resolver endpoint" };
  if (from === "dns") {
    const rule = report.dns.forwarding.find((f) => f.domain === to.replace(/\.$/, ""));
    return rule?.verdict ?? { error: `"${to}" is not a forwarded domain (forwarded: ${report.dns.forwarding.map((f) => f.domain).join(", ") || "none"})` };
  }
  if (from === "internet") {
    if (balancers.includes(to))
      return report.loadBalancers.find((lb) => lb.name === to)!.callers.internet ?? { reachable: false, path: [], reason: `${to} is internal` };
    if (!tiers.includes(to)) return { error: `"${to}" is not a tier of this network (tiers: ${tiers.join(", ")})` };
    return report.matrix[to]["internet (inbound)"];
  }
  if (!tiers.includes(from)) return { error: `"${from}" is not a tier of this network (tiers: ${tiers.join(", ")}), nor "internet"` };
  if (to === "internet" && options.port !== undefined) {
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)
      return { error: `port ${String(options.port)} is not a TCP port (0-65535)` };
    const range: PortRange = { protocol: "tcp", from: options.port, to: options.port };
    const verdicts = model.subnets.filter((s) => (s.tier ?? "untiered") === from).map((s) => internetFrom(model, s.address, range));
    return verdicts.find((v) => v.reachable) ?? verdicts[0];
  }
  const key =
    to === "internet"
      ? "internet (outbound)"
      : (DESTINATIONS as readonly string[]).includes(to)
        ? to
        : services.includes(to)
          ? `endpoint ${to}`
          : balancers.includes(to)
            ? `load balancer ${to}`
            : undefined;
  if (!key)
    return {
      error: `"${to}" is not a destination (use ${[...DESTINATIONS, ...services, ...balancers].join(", ")}; interface endpoints and load balancers by name)`,
    };
  return report.matrix[from][key];
}

function reachabilityOf(received: Synthesized, options: ReachOptions) {
  const model = buildModel(terraformJson(received));
  return { model, report: analyzeReachability(model, { onPremisesCidrs: options.onPremisesCidrs }) };
}

/** `expect(stack).toReach(from, to, { via?, port? })`: a tier reaches a destination (or the internet reaches a tier). */
export function toReach(received: Synthesized, from: string, to: string, options: ReachOptions = {}): MatcherResult {
  if (options.via !== undefined && !VIAS.includes(options.via)) {
    return { pass: false, message: () => `toReach: via "${String(options.via)}" is not one of ${VIAS.join(", ")}` };
  }
  const { model, report } = reachabilityOf(received, options);
  const verdict = verdictFor(model, report, from, to, options);
  if ("error" in verdict) return { pass: false, message: () => `toReach: ${verdict.error}` };
  const route = options.via ? ` via ${options.via}` : "";
  const what = `${from} to reach ${to}${options.port !== undefined ? ` on port ${options.port}` : ""}`;
  if (!verdict.reachable) return { pass: false, message: () => `expected ${what}${route}, but it does not: ${verdict.reason}` };
  if (options.via && !viaMatches(model, verdict, options.via)) {
    return { pass: false, message: () => `expected ${what}${route}, but it goes ${arrow(verdict.path)} (${verdict.reason})` };
  }
  return { pass: true, message: () => `expected ${from} not to reach ${to}${route}, but it does: ${arrow(verdict.path)} (${verdict.reason})` };
}

/** `expect(stack).toAllowFlow(fromGroup, toGroup, port, protocol?)`: members of one group can open the port to another's. */
export function toAllowFlow(received: Synthesized, from: string, to: string, port: number | "all", protocol: Protocol = "tcp"): MatcherResult {
  const range: PortRange = port === "all" ? { protocol: "all", from: 0, to: 65535 } : { protocol, from: port, to: port };
  if (port !== "all" && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    return { pass: false, message: () => `toAllowFlow: port ${String(port)} is not a port (0-65535) or "all"` };
  }
  const verdict = groupFlow(buildModel(terraformJson(received)), from, to, range);
  const what = `${from} -> ${to} on ${port === "all" ? "all traffic" : `${protocol} ${port}`}`;
  if (!verdict.reachable) return { pass: false, message: () => `expected the flow ${what} to be allowed, but ${verdict.reason}` };
  return { pass: true, message: () => `expected the flow ${what} not to be allowed, but it is: ${verdict.reason}` };
}

/** `expect(stack).toPassCompliance(options?)`: no unsuppressed error of the compliance pack. */
export function toPassCompliance(received: Synthesized, options: PolicyOptions = {}): MatcherResult {
  const result = runPolicies(terraformJson(received), options);
  const note = result.notes.map((n) => `\n(${n}: expect(stack), not expect(Testing.synth(stack)).)`).join("");
  if (result.errors.length > 0) {
    return {
      pass: false,
      message: () => `expected no compliance errors, got ${result.errors.length}:\n${result.errors.map((f) => `  - ${formatFinding(f)}`).join("\n")}${note}`,
    };
  }
  return { pass: true, message: () => `expected compliance errors, but the pack passes (${result.suppressed.length} suppressed findings)` };
}

/** Every matcher of this entry, for `expect.extend`. */
export const networkMatchers = { toReach, toAllowFlow, toPassCompliance };
