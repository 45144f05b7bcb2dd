/**
 * The network as a picture: a Graphviz (DOT) graph of AZs, tier subnets,
 * gateways, endpoints, VPN and Direct Connect, Resolver endpoints, load
 * balancers, EFA clusters and security-group flows, laid out
 * and rendered to SVG offline by @viz-js/viz (Graphviz compiled to
 * WebAssembly).
 */
import type { NetworkModel } from "./model";
import type { ReachabilityReport } from "./reachability";

const TIER_COLORS: Record<string, string> = { public: "#d9f2d9", private: "#dbe9f7", isolated: "#e6e6e6", training: "#eadcf5", untiered: "#ffffff" };

const id = (text: string) => `n_${text.replace(/[^A-Za-z0-9_]/g, "_")}`;
const label = (text: string) => text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const short = (address: string) => address.replace(/^aws_[a-z_]+\./, "").replace(/_[0-9A-F]{8}$/, "");

export function toDot(model: NetworkModel, reach: ReachabilityReport, title: string): string {
  const lines: string[] = [
    "digraph network {",
    `  graph [label="${label(title)}", labelloc=t, fontsize=20, fontname="Helvetica", rankdir=LR, compound=true, nodesep=0.3, ranksep=0.8];`,
    '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica", fontsize=11, margin="0.2,0.08"];',
    '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    '  internet [label="Internet", shape=ellipse, fillcolor="#fff3cd"];',
  ];
  if (model.vpnConnections.length > 0 || model.dxAssociations.length > 0) lines.push('  onprem [label="On-premises", shape=ellipse, fillcolor="#fde2e2"];');

  for (const vpc of model.vpcs) {
    lines.push(`  subgraph cluster_${id(vpc.address)} {`, `    label="VPC ${label(vpc.cidrs.join(", "))}"; style="rounded"; color="#333333";`);
    for (const igw of model.internetGateways) lines.push(`    ${id(igw)} [label="Internet gateway", fillcolor="#fff3cd"];`);
    for (const vgw of model.vpnGateways) lines.push(`    ${id(vgw)} [label="Virtual private gateway", fillcolor="#fde2e2"];`);

    const azs = [...new Set(model.subnets.map((s) => s.az))].sort();
    for (const az of azs) {
      lines.push(`    subgraph cluster_${id(az)} {`, `      label="${label(az)}"; style="dashed"; color="#888888";`);
      for (const s of model.subnets.filter((x) => x.az === az)) {
        const tier = s.tier ?? "untiered";
        lines.push(`      ${id(s.address)} [label="${label(`${tier}\n${s.cidr}`)}", fillcolor="${TIER_COLORS[tier] ?? "#ffffff"}"];`);
      }
      for (const nat of model.natGateways.filter((n) => n.az === az))
        lines.push(`      ${id(nat.address)} [label="NAT gateway", shape=octagon, fillcolor="#fff3cd"];`);
      lines.push("    }");
    }

    const gateways = model.endpoints.filter((e) => e.type === "Gateway");
    const interfaces = model.endpoints.filter((e) => e.type === "Interface");
    if (gateways.length + interfaces.length > 0) {
      lines.push("    subgraph cluster_endpoints {", '      label="VPC endpoints"; style="rounded"; color="#2e7d32";');
      for (const g of gateways) lines.push(`      ${id(g.address)} [label="${label(`${g.service} (gateway, free)`)}", fillcolor="#e8f5e9"];`);
      if (interfaces.length > 0) {
        const azCount = Math.max(...interfaces.map((e) => e.subnets.length));
        lines.push(
          `      iface_endpoints [label="${label(`interface endpoints, ${azCount} AZ${azCount > 1 ? "s" : ""}\n\n${interfaces.map((e) => e.service).join("\n")}`)}", fillcolor="#e8f5e9"];`,
        );
      }
      lines.push("    }");
    }

    lines.push(...hybridNodes(model));
    model.autoScalingGroups.forEach((asg, i) => {
      const lt = model.launchTemplates.find((t) => t.address === asg.launchTemplate);
      const pg = model.placementGroups[0];
      lines.push(
        `    efa_${i} [label="${label(`EFA cluster ${asg.name ?? short(asg.address)}\n${lt?.instanceType ?? ""}, ${asg.desired} desired, max ${asg.max}\n${lt?.interfaces ?? 0} EFA interfaces per node${pg ? `\n${pg.strategy} placement group` : ""}`)}", shape=box3d, fillcolor="#eadcf5"];`,
      );
      for (const s of asg.subnets) lines.push(`    ${id(s)} -> efa_${i} [style=bold, color="#6a1b9a", arrowhead=none];`);
    });
    lines.push("  }");
  }

  // Routes: internet gateway, NAT, VPN, endpoints.
  for (const igw of model.internetGateways) lines.push(`  internet -> ${id(igw)} [dir=both, color="#b8860b"];`);
  for (const rt of model.routeTables) {
    for (const r of rt.routes.filter((x) => x.destination === "0.0.0.0/0")) {
      for (const s of rt.subnets)
        lines.push(`  ${id(s)} -> ${id(r.target.address)} [label="0.0.0.0/0", color="${r.target.kind === "nat" ? "#1565c0" : "#b8860b"}"];`);
    }
    for (const e of rt.gatewayEndpoints) for (const s of rt.subnets) lines.push(`  ${id(s)} -> ${id(e)} [style=dashed, color="#2e7d32", arrowsize=0.6];`);
    for (const vgw of rt.propagatingVgws) for (const s of rt.subnets) lines.push(`  ${id(s)} -> ${id(vgw)} [style=dotted, color="#c62828", arrowsize=0.6];`);
  }
  for (const nat of model.natGateways) {
    const natRt = model.routeTables.find((rt) => nat.subnet && rt.subnets.includes(nat.subnet));
    const out = natRt?.routes.find((r) => r.destination === "0.0.0.0/0");
    if (nat.subnet) lines.push(`  ${id(nat.address)} -> ${id(nat.subnet)} [style=invis];`);
    if (out) lines.push(`  ${id(nat.address)} -> ${id(out.target.address)} [color="#b8860b"];`);
  }
  const iface = model.endpoints.filter((e) => e.type === "Interface");
  if (iface.length > 0)
    for (const s of [...new Set(iface.flatMap((e) => e.subnets))]) lines.push(`  ${id(s)} -> iface_endpoints [style=dashed, color="#2e7d32", arrowsize=0.6];`);
  for (const vgw of model.vpnGateways.filter(() => model.vpnConnections.length > 0))
    lines.push(`  ${id(vgw)} -> onprem [dir=both, color="#c62828", label="${label(model.vpnConnections.map((c) => c.name).join(", "))}"];`);
  lines.push(...hybridEdges(model));

  // Security-group flows, as a panel of their own.
  const flows = reach.groupFlows.filter((f) => f.verdict.reachable && f.from !== f.to);
  if (flows.length > 0) {
    const groups = [...new Set(flows.flatMap((f) => [f.from, f.to]))];
    lines.push("  subgraph cluster_security_groups {", '    label="Security-group flows"; style="rounded"; color="#6d4c41";');
    for (const g of groups) lines.push(`    ${id(`sg_${g}`)} [label="${label(g)}", shape=component, fillcolor="#efebe9"];`);
    const merged = new Map<string, string[]>();
    for (const f of flows) merged.set(`${f.from}|${f.to}`, [...(merged.get(`${f.from}|${f.to}`) ?? []), f.ports]);
    for (const [key, ports] of merged) {
      const [from, to] = key.split("|");
      lines.push(`    ${id(`sg_${from}`)} -> ${id(`sg_${to}`)} [label="${label(ports.join(", "))}", color="#6d4c41"];`);
    }
    lines.push("  }");
  }
  lines.push("}");
  return lines.join("\n");
}

/** Resolver endpoints and load balancers inside the VPC, the Direct Connect gateway beside it. */
function hybridNodes(model: NetworkModel): string[] {
  const lines: string[] = [];
  for (const e of model.resolverEndpoints)
    lines.push(`    ${id(e.address)} [label="${label(`Resolver ${e.direction.toLowerCase()}\n${e.name}`)}", shape=cds, fillcolor="#e3f2fd"];`);
  const zones = model.hostedZones.filter((z) => z.private);
  if (zones.length > 0)
    lines.push(`    private_zones [label="${label(`private hosted zones\n${zones.map((z) => z.name).join("\n")}`)}", shape=note, fillcolor="#e3f2fd"];`);
  for (const lb of model.loadBalancers)
    lines.push(
      `    ${id(lb.address)} [label="${label(`${lb.type === "network" ? "NLB" : "ALB"} ${lb.name}\n${lb.internal ? "internal" : "internet-facing"}`)}", shape=trapezium, fillcolor="#fff8e1"];`,
    );
  return lines;
}

function hybridEdges(model: NetworkModel): string[] {
  const lines: string[] = [];
  for (const e of model.resolverEndpoints)
    for (const s of e.subnets) lines.push(`  ${id(s)} -> ${id(e.address)} [style=dashed, color="#1565c0", arrowhead=none];`);
  for (const e of model.resolverEndpoints.filter((x) => x.direction === "INBOUND"))
    lines.push(`  onprem -> ${id(e.address)} [style=dotted, color="#1565c0", label="DNS"];`);
  for (const r of model.resolverRules.filter((x) => x.endpoint))
    lines.push(`  ${id(r.endpoint!)} -> onprem [style=dotted, color="#1565c0", label="${label(r.domain)}"];`);
  for (const lb of model.loadBalancers) {
    for (const s of lb.subnets) lines.push(`  ${id(s)} -> ${id(lb.address)} [style=dashed, color="#b8860b", arrowhead=none];`);
    if (!lb.internal)
      lines.push(`  internet -> ${id(lb.address)} [color="#b8860b", label="${label(lb.listeners.map((l) => `${l.protocol} ${l.port}`).join(", "))}"];`);
  }
  for (const gw of [...new Set(model.dxAssociations.map((a) => a.dxGateway))]) {
    const name = model.dxGateways.find((g) => g.address === gw)?.name ?? gw;
    lines.push(`  ${id(gw)} [label="${label(`Direct Connect gateway\n${name}`)}", fillcolor="#fde2e2"];`);
    for (const a of model.dxAssociations.filter((x) => x.dxGateway === gw)) lines.push(`  ${id(a.gateway)} -> ${id(gw)} [dir=both, color="#c62828"];`);
    lines.push(`  ${id(gw)} -> onprem [dir=both, color="#c62828", penwidth=2, label="Direct Connect"];`);
  }
  return lines;
}

export async function renderSvg(dot: string): Promise<string> {
  // Loaded on first use: library users who only build stacks never pay for the Graphviz WebAssembly.
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return viz.renderString(dot, { format: "svg", engine: "dot" });
}
