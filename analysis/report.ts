/**
 * The network report of one target: reachability, monthly cost and diagram,
 * written as report.md, reachability.json, cost.json and network.svg.
 */
import * as fs from "fs";
import * as path from "path";
import { estimateCost, type CostReport, type Usage } from "./cost";
import { renderSvg, toDot } from "./diagram";
import { buildModel, type NetworkModel } from "./model";
import { runPolicies, type PolicyOptions, type PolicyResult } from "./policy";
import { analyzeReachability, type ReachabilityReport, type Verdict } from "./reachability";
import type { TfJsonShape } from "./tfjson";

export interface ReportInput {
  /** The target's name: the report's title, and what cost.json and reachability.json name as their `target`. */
  readonly label: string;
  readonly json: TfJsonShape;
  /** Where the JSON came from (a path, or `example environment dev`), shown under the title. Default: not shown. */
  readonly source?: string;
  readonly onPremisesCidrs?: readonly string[];
  readonly usage?: Partial<Usage>;
  /** Options of the compliance section (e.g. `requiredTags`), as for runPolicies. */
  readonly policy?: PolicyOptions;
}

export interface ReportResult {
  /** The target's name (ReportInput.label). */
  readonly label: string;
  readonly compliance: PolicyResult;
  readonly model: NetworkModel;
  readonly reachability: ReachabilityReport;
  readonly cost: CostReport;
  readonly svg: string;
  readonly markdown: string;
}

export type Step = "model" | "reachability" | "cost" | "diagram" | "write";

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const cell = (text: string) => text.replace(/\|/g, "\\|");

export function toMarkdown(
  label: string,
  model: NetworkModel,
  reach: ReachabilityReport,
  cost: CostReport,
  compliance?: PolicyResult,
  source?: string,
): string {
  const lines: string[] = [`# Network report: ${label}`, ""];
  if (source !== undefined) lines.push(`Source: ${source}.`, "");
  lines.push(
    `${model.vpcs.length} VPC (${model.vpcs.flatMap((v) => v.cidrs).join(", ")}), ${model.subnets.length} subnets in ${new Set(model.subnets.map((s) => s.az)).size} AZs, ` +
      `${model.natGateways.length} NAT gateways, ${model.endpoints.length} VPC endpoints, ${model.vpnConnections.length} VPN connections, ${model.securityGroups.length} security groups.`,
    "",
    "![network diagram](network.svg)",
    "",
    "## Reachability",
    "",
    "Routes, NACLs (stateless: request and reply) and security groups (stateful) together. Yes means a packet can make the trip; the path follows.",
    "",
    `| tier | ${reach.destinations.join(" | ")} |`,
    `|---|${reach.destinations.map(() => "---").join("|")}|`,
  );
  for (const tier of reach.tiers) lines.push(`| ${tier} | ${reach.destinations.map((d) => (reach.matrix[tier][d].reachable ? "yes" : "no")).join(" | ")} |`);
  lines.push("", "### Paths and reasons", "");
  for (const tier of reach.tiers) {
    lines.push(`**${tier}**`, "");
    for (const d of reach.destinations) {
      const v = reach.matrix[tier][d];
      lines.push(`- ${d}: ${v.reachable ? `yes, ${v.path.map((p) => `\`${p}\``).join(" -> ")}` : "no"}: ${v.reason}`);
    }
    lines.push("");
  }
  lines.push("### Between security groups", "", "| from | to | ports | tiers | reachable | why |", "|---|---|---|---|---|---|");
  for (const f of reach.groupFlows)
    lines.push(
      `| ${f.from} | ${f.to} | ${f.ports} | ${f.fromTiers.join(",")} -> ${f.toTiers.join(",")} | ${f.verdict.reachable ? "yes" : "no"} | ${cell(f.verdict.reason)} |`,
    );
  lines.push(...hybridSections(reach));
  lines.push(
    "",
    "## Monthly cost",
    "",
    `List prices (${cost.prices.currency}) of the ${cost.prices.region} table of ${cost.prices.date}; usage profile in cost.json.`,
    "",
    ...cost.warnings.flatMap((w) => [`> **Warning:** ${w}.`, ""]),
    "| category | monthly |",
    "|---|---|",
  );
  for (const [category, monthly] of Object.entries(cost.byCategory)) lines.push(`| ${category} | ${usd(monthly)} |`);
  lines.push(`| **total** | **${usd(cost.total)}** |`, "");
  const saved = cost.gatewayEndpointSavings.byService;
  lines.push(
    `Gateway endpoints carry ${cost.gatewayEndpointSavings.gb} GB of S3 and DynamoDB traffic a month for free; through NAT it would cost ${usd(cost.gatewayEndpointSavings.monthly)} more` +
      `${saved.s3 ? ` (S3: ${saved.s3.gb} GB, ${usd(saved.s3.monthly)}` : ""}${saved.dynamodb ? `; DynamoDB: ${saved.dynamodb.gb} GB, ${usd(saved.dynamodb.monthly)})` : saved.s3 ? ")" : ""}.`,
    "",
    "| resource | quantity | unit | unit price | monthly | note |",
    "|---|---|---|---|---|---|",
  );
  for (const i of cost.items) lines.push(`| \`${i.resource}\` | ${i.quantity} | ${i.unit} | ${i.unitPrice} | ${usd(i.monthly)} | ${cell(i.note ?? "")} |`);
  if (compliance) {
    lines.push(
      "",
      "## Compliance",
      "",
      `${compliance.errors.length} unsuppressed errors, ${compliance.findings.length - compliance.errors.length} warnings, ${compliance.suppressed.length} accepted findings (\`npm run check\` for details).`,
      "",
    );
    if (compliance.findings.length > 0) {
      lines.push("| rule | resource | finding |", "|---|---|---|");
      for (const f of compliance.findings) lines.push(`| ${f.rule} | \`${f.address}\` | ${cell(f.message)} |`);
      lines.push("");
    }
    if (compliance.suppressed.length > 0) {
      lines.push("| accepted | resource | reason |", "|---|---|---|");
      for (const f of compliance.suppressed) lines.push(`| ${f.rule} | \`${f.address}\` | ${cell(f.reason)} |`);
    }
  }
  lines.push("");
  return lines.join("\n");
}

export async function buildReport(input: ReportInput, onStep: (step: Step) => void = () => undefined): Promise<ReportResult> {
  onStep("model");
  const model = buildModel(input.json);
  onStep("reachability");
  const reachability = analyzeReachability(model, { onPremisesCidrs: input.onPremisesCidrs });
  onStep("cost");
  const cost = estimateCost(model, input.usage);
  const compliance = runPolicies(input.json, input.policy);
  onStep("diagram");
  const svg = await renderSvg(toDot(model, reachability, input.label));
  const markdown = toMarkdown(input.label, model, reachability, cost, compliance, input.source);
  return { label: input.label, compliance, model, reachability, cost, svg, markdown };
}

/** Writes report.md, network.svg, cost.json and reachability.json (both JSON files name the target) into `dir`; returns their paths. */
export function writeReport(dir: string, result: ReportResult): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ["report.md", result.markdown],
    ["network.svg", result.svg],
    ["cost.json", `${JSON.stringify({ target: result.label, ...result.cost }, null, 2)}\n`],
    ["reachability.json", `${JSON.stringify({ target: result.label, ...result.reachability }, null, 2)}\n`],
  ];
  for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content);
  return files.map(([name]) => path.join(dir, name));
}

/** Hybrid DNS and load balancers, when the network has them. */
function hybridSections(reach: ReachabilityReport): string[] {
  const lines: string[] = [];
  const verdict = (v: Verdict) => (v.reachable ? `yes, ${v.path.map((p) => `\`${p}\``).join(" -> ")}: ${v.reason}` : `no: ${v.reason}`);
  const { dns } = reach;
  if (dns.inbound || dns.forwarding.length > 0 || dns.privateZones.length > 0) {
    lines.push("", "### Hybrid DNS", "");
    if (dns.inbound) lines.push(`- on-premises to the inbound Resolver endpoint: ${verdict(dns.inbound)}`);
    for (const f of dns.forwarding) lines.push(`- queries for \`${f.domain}\` to on-premises: ${verdict(f.verdict)}`);
    if (dns.privateZones.length > 0) lines.push(`- private hosted zones: ${dns.privateZones.map((z) => `\`${z}\``).join(", ")}`);
  }
  for (const lb of reach.loadBalancers) {
    lines.push("", `### Load balancer ${lb.name} (${lb.internal ? "internal" : "internet-facing"})`, "");
    for (const [caller, v] of Object.entries(lb.callers)) lines.push(`- from ${caller}: ${verdict(v)}`);
    for (const t of lb.targets) lines.push(`- to ${t.group} on ${t.port}: ${verdict(t.verdict)}`);
  }
  return lines;
}
