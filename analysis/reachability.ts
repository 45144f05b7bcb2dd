/**
 * Offline reachability from the network model, per subnet tier: inbound from
 * the internet, outbound to the internet (IGW or NAT), to S3 and DynamoDB
 * (gateway endpoint or NAT), to each interface endpoint, to on-premises
 * (VPN), and between tiers by security-group flow and port. Routes, NACLs
 * (stateless: request and reply, ephemeral ports) and security groups
 * (stateful) are all taken into account. Every "yes" carries its path; every
 * "no" says what stopped it.
 */
import { isCidr, replyPortsFor, replyTo, within, type PortRange } from "../modules/core";
import { OUTSIDE, evaluateNacl, type NaclEntry } from "../modules/network-acls";
import { GROUP_TIERS, type SecurityGroupName } from "../modules/security-groups";
import type { ModelNacl, ModelNaclRule, ModelSecurityGroup, ModelSubnet, NetworkModel } from "./model";

export interface Verdict {
  readonly reachable: boolean;
  /** Hops from source to destination, for a "yes". */
  readonly path: string[];
  /** Why: the route or rule that allows it, or what blocks it. */
  readonly reason: string;
}

export interface GroupFlow {
  readonly from: string;
  readonly to: string;
  readonly ports: string;
  readonly fromTiers: string[];
  readonly toTiers: string[];
  readonly verdict: Verdict;
}

export interface ReachabilityReport {
  readonly tiers: string[];
  /** tier -> destination -> verdict */
  readonly matrix: Record<string, Record<string, Verdict>>;
  readonly destinations: string[];
  readonly groupFlows: GroupFlow[];
}

export interface ReachabilityOptions {
  /** On-premises ranges; default: the VPN's static routes. */
  readonly onPremisesCidrs?: readonly string[];
}

const HTTPS: PortRange = { protocol: "tcp", from: 443, to: 443 };

/** True when `inner` lies within `outer` (IPv4 or IPv6; never across families; malformed text holds nothing). */
function contains(outer: string, inner: string): boolean {
  try {
    return within(inner, outer);
  } catch {
    return false;
  }
}

/** A model NACL rule as the shared evaluator takes it. */
function entryOf(r: ModelNaclRule): NaclEntry {
  return {
    ruleNumber: r.ruleNumber,
    egress: r.egress,
    action: r.action,
    cidr: r.cidr,
    range: { protocol: r.protocol as PortRange["protocol"], from: r.from, to: r.to },
  };
}

export function naclVerdict(nacl: ModelNacl | undefined, egress: boolean, range: PortRange, peer: string): { allow: boolean; rule: string } {
  if (!nacl) return { allow: true, rule: "no NACL in the JSON" };
  // Malformed CIDRs in foreign JSON match nothing rather than failing the report.
  const entries = nacl.rules.map(entryOf).filter((e) => isCidr(e.cidr));
  const { action, entry } = evaluateNacl(entries, { egress, range, peerCidr: peer });
  if (!entry) return { allow: false, rule: `${nacl.address}: no rule matches (implicit deny)` };
  return { allow: action === "allow", rule: `${nacl.address} rule ${entry.ruleNumber} (${entry.action})` };
}

/**
 * Per-subnet path finding over a model: the building blocks of the report.
 * Methods are arrow fields so callers may destructure them.
 */
class PathFinder {
  readonly tiers: string[];
  private readonly subnetByAddr: Map<string, ModelSubnet>;
  private readonly onPrem: readonly string[];

  constructor(
    private readonly model: NetworkModel,
    options: ReachabilityOptions = {},
  ) {
    this.subnetByAddr = new Map(model.subnets.map((s) => [s.address, s]));
    this.tiers = [...new Set(model.subnets.map(this.tierOf))];
    this.onPrem = options.onPremisesCidrs ?? [...new Set(model.vpnConnections.flatMap((c) => c.staticRoutes))];
  }

  readonly naclOf = (s: ModelSubnet) => this.model.nacls.find((n) => n.address === s.nacl);
  readonly rtOf = (s: ModelSubnet) => this.model.routeTables.find((r) => r.address === s.routeTable);
  readonly tierOf = (s: ModelSubnet) => s.tier ?? "untiered";

  /** Request out of `s` to `peer` and its reply back in. */
  readonly outAndBack = (s: ModelSubnet, range: PortRange, peer: string): { ok: boolean; why: string } => {
    const nacl = this.naclOf(s);
    const out = naclVerdict(nacl, true, range, peer);
    if (!out.allow) return { ok: false, why: `request blocked by ${out.rule}` };
    const back = naclVerdict(nacl, false, replyTo(range, this.tierOf(s)), peer);
    if (!back.allow) return { ok: false, why: `reply blocked by ${back.rule}` };
    return { ok: true, why: `${out.rule} out, ${back.rule} back` };
  };

  readonly defaultRoute = (s: ModelSubnet) => this.rtOf(s)?.routes.find((r) => r.destination === "0.0.0.0/0");

  readonly internetOut = (s: ModelSubnet, range: PortRange = HTTPS): Verdict => {
    const route = this.defaultRoute(s);
    if (!route) return { reachable: false, path: [], reason: `${s.routeTable ?? "no route table"} has no default route` };
    const own = this.outAndBack(s, range, OUTSIDE.internet);
    if (!own.ok) return { reachable: false, path: [], reason: own.why };
    if (route.target.kind === "igw")
      return { reachable: true, path: [s.name, route.target.address, "internet"], reason: `default route to the internet gateway; ${own.why}` };
    if (route.target.kind === "nat") {
      const nat = this.model.natGateways.find((n) => n.address === route.target.address);
      const natSubnet = nat?.subnet ? this.subnetByAddr.get(nat.subnet) : undefined;
      if (!natSubnet) return { reachable: false, path: [], reason: "the NAT gateway's subnet is unknown" };
      const natRoute = this.defaultRoute(natSubnet);
      if (natRoute?.target.kind !== "igw")
        return { reachable: false, path: [], reason: `the NAT gateway's subnet ${natSubnet.name} has no route to an internet gateway` };
      const pn = this.naclOf(natSubnet);
      const legs = [
        naclVerdict(pn, false, range, s.cidr),
        naclVerdict(pn, true, range, OUTSIDE.internet),
        naclVerdict(pn, false, replyTo(range, "public"), OUTSIDE.internet),
        naclVerdict(pn, true, replyTo(range, this.tierOf(s)), s.cidr),
      ];
      const blocked = legs.find((l) => !l.allow);
      if (blocked) return { reachable: false, path: [], reason: `NAT path blocked by ${blocked.rule}` };
      return {
        reachable: true,
        path: [s.name, route.target.address, natSubnet.name, natRoute.target.address, "internet"],
        reason: `default route to the NAT gateway in ${natSubnet.az}`,
      };
    }
    return { reachable: false, path: [], reason: `default route goes to ${route.target.kind} ${route.target.address}, not to the internet` };
  };

  readonly internetIn = (s: ModelSubnet): Verdict => {
    const route = this.defaultRoute(s);
    if (route?.target.kind !== "igw")
      return { reachable: false, path: [], reason: "no route to an internet gateway (NAT does not accept inbound connections)" };
    const nacl = this.naclOf(s);
    const inbound = naclVerdict(nacl, false, HTTPS, OUTSIDE.internet);
    const reply = naclVerdict(nacl, true, replyPortsFor("public"), OUTSIDE.internet);
    if (!inbound.allow)
      return { reachable: false, path: [], reason: `a route to ${route.target.address} exists, but inbound HTTPS is blocked by ${inbound.rule}` };
    if (!reply.allow) return { reachable: false, path: [], reason: `a route to ${route.target.address} exists, but replies are blocked by ${reply.rule}` };
    const openGroups = this.model.securityGroups.filter((g) =>
      g.rules.some((r) => r.direction === "ingress" && r.peer.kind === "cidr" && (r.peer.cidr === "0.0.0.0/0" || r.peer.cidr === "::/0")),
    );
    const sgNote = openGroups.length
      ? `security groups open to the internet: ${openGroups.map((g) => g.name).join(", ")}`
      : "no security group admits 0.0.0.0/0, so nothing answers until a load balancer group does";
    return { reachable: true, path: ["internet", route.target.address, s.name], reason: `route to ${route.target.address}; ${inbound.rule}; ${sgNote}` };
  };

  readonly awsService = (s: ModelSubnet, service: "s3" | "dynamodb"): Verdict => {
    const rt = this.rtOf(s);
    const endpoint = this.model.endpoints.find((e) => e.type === "Gateway" && e.service === service && rt && e.routeTables.includes(rt.address));
    const nacl = this.outAndBack(s, HTTPS, OUTSIDE[service]);
    if (endpoint) {
      if (!nacl.ok) return { reachable: false, path: [], reason: `gateway endpoint present but ${nacl.why}` };
      return { reachable: true, path: [s.name, endpoint.address, service], reason: "gateway endpoint on the route table (free, stays on the AWS network)" };
    }
    const viaInternet = this.internetOut(s);
    if (viaInternet.reachable)
      return {
        reachable: true,
        path: [...viaInternet.path.slice(0, -1), service],
        reason: `no gateway endpoint: through ${viaInternet.path[1]} (${viaInternet.path[1].startsWith("aws_nat_gateway") ? "$0.045 per GB through NAT" : "the internet gateway"})`,
      };
    return { reachable: false, path: [], reason: `no gateway endpoint and no route out (${viaInternet.reason})` };
  };

  readonly betweenSubnets = (a: ModelSubnet, b: ModelSubnet, range: PortRange): { ok: boolean; why: string } => {
    if (a.address === b.address) return { ok: true, why: "same subnet (no NACL crossed)" };
    const legs = [
      naclVerdict(this.naclOf(a), true, range, b.cidr),
      naclVerdict(this.naclOf(b), false, range, a.cidr),
      naclVerdict(this.naclOf(b), true, replyTo(range, this.tierOf(a)), a.cidr),
      naclVerdict(this.naclOf(a), false, replyTo(range, this.tierOf(a)), b.cidr),
    ];
    const blocked = legs.find((l) => !l.allow);
    return blocked ? { ok: false, why: `blocked by ${blocked.rule}` } : { ok: true, why: "local route; NACLs allow both ways" };
  };

  readonly interfaceEndpoint = (s: ModelSubnet, endpoint: NetworkModel["endpoints"][number]): Verdict => {
    const targets = endpoint.subnets.map((x) => this.subnetByAddr.get(x)).filter((x): x is ModelSubnet => !!x);
    if (targets.length === 0) return { reachable: false, path: [], reason: "the endpoint has no subnet" };
    const sameAz = targets.find((t) => t.az === s.az) ?? targets[0];
    const net = this.betweenSubnets(s, sameAz, HTTPS);
    if (!net.ok) return { reachable: false, path: [], reason: net.why };
    // Stateful security groups: the endpoint's group must admit 443 from a group that runs in this tier, or from this subnet's range.
    const groups = this.model.securityGroups.filter((g) => endpoint.securityGroups.includes(g.address));
    const admits = groups.flatMap((g) => g.rules.filter((r) => r.direction === "ingress" && (r.protocol === "all" || (r.from <= 443 && 443 <= r.to))));
    const sourceName = (r: (typeof admits)[number]) =>
      r.peer.kind === "sg"
        ? (this.model.securityGroups.find((g) => g.address === (r.peer as { address: string }).address)?.name ?? r.peer.address)
        : r.peer.kind === "cidr"
          ? r.peer.cidr
          : "a prefix list";
    const fromHere = admits.filter((r) => {
      if (r.peer.kind === "cidr") return contains(r.peer.cidr, s.cidr);
      if (r.peer.kind !== "sg") return false;
      const group = this.model.securityGroups.find((g) => g.address === (r.peer as { address: string }).address);
      return !!group && groupTiers(this.model, group).includes(this.tierOf(s));
    });
    if (groups.length > 0 && fromHere.length === 0) {
      return {
        reachable: false,
        path: [],
        reason: `the endpoint's security group admits 443 only from ${[...new Set(admits.map(sourceName))].join(", ") || "nobody"}, none of which runs in the ${this.tierOf(s)} tier`,
      };
    }
    return {
      reachable: true,
      path: [s.name, sameAz.name, endpoint.address],
      reason: `${net.why}; endpoint group admits 443 from ${[...new Set(fromHere.map(sourceName))].join(", ") || "anyone (no group)"}`,
    };
  };

  readonly onPremises = (s: ModelSubnet): Verdict => {
    if (this.model.vpnConnections.length === 0) return { reachable: false, path: [], reason: "no VPN connection" };
    const rt = this.rtOf(s);
    const vgw = rt?.propagatingVgws[0] ?? rt?.routes.find((r) => r.target.kind === "vgw")?.target.address;
    if (!vgw) return { reachable: false, path: [], reason: `${s.routeTable ?? "the route table"} neither learns nor routes on-premises ranges` };
    if (this.onPrem.length === 0) return { reachable: false, path: [], reason: "on-premises ranges unknown (BGP); pass --on-prem" };
    const blocked = this.onPrem.map((cidr) => ({ cidr, r: this.outAndBack(s, { protocol: "tcp", from: 443, to: 443 }, cidr) })).find((x) => !x.r.ok);
    if (blocked) return { reachable: false, path: [], reason: `route via ${vgw}, but the NACL stops ${blocked.cidr}: ${blocked.r.why}` };
    return {
      reachable: true,
      path: [s.name, vgw, ...this.model.vpnConnections.map((c) => c.name), `on-premises ${this.onPrem.join(", ")}`],
      reason: "VPN routes propagated to the route table; NACL admits the on-premises ranges",
    };
  };
}

/**
 * Whether one subnet reaches the internet for traffic of `range` (default
 * tcp 443): default route, NAT and its public subnet, every NACL leg both
 * ways. The compliance pack uses it per subnet and per port.
 */
export function internetFrom(model: NetworkModel, subnetAddress: string, range: PortRange = HTTPS): Verdict {
  const subnet = model.subnets.find((s) => s.address === subnetAddress);
  if (!subnet) return { reachable: false, path: [], reason: `${subnetAddress} is not a subnet of the model` };
  return new PathFinder(model).internetOut(subnet, range);
}

export function analyzeReachability(model: NetworkModel, options: ReachabilityOptions = {}): ReachabilityReport {
  const { tierOf, tiers, internetIn, internetOut, awsService, betweenSubnets, interfaceEndpoint, onPremises } = new PathFinder(model, options);
  const destinations = [
    "internet (inbound)",
    "internet (outbound)",
    "s3",
    "dynamodb",
    ...model.endpoints.filter((e) => e.type === "Interface").map((e) => `endpoint ${e.service}`),
    "on-premises",
  ];
  const matrix: Record<string, Record<string, Verdict>> = {};
  for (const tier of tiers) {
    const subnets = model.subnets.filter((s) => tierOf(s) === tier);
    // A tier reaches a destination if any of its subnets does; the first such subnet's path is shown.
    const anyOf = (f: (s: ModelSubnet) => Verdict): Verdict => subnets.map(f).find((v) => v.reachable) ?? f(subnets[0]);
    matrix[tier] = {
      "internet (inbound)": anyOf(internetIn),
      "internet (outbound)": anyOf((s) => internetOut(s)),
      s3: anyOf((s) => awsService(s, "s3")),
      dynamodb: anyOf((s) => awsService(s, "dynamodb")),
      "on-premises": anyOf(onPremises),
    };
    for (const e of model.endpoints.filter((x) => x.type === "Interface")) matrix[tier][`endpoint ${e.service}`] = anyOf((s) => interfaceEndpoint(s, e));
  }

  return { tiers, matrix, destinations, groupFlows: groupFlows(model, betweenSubnets, tierOf) };
}

/** Where a group's members run: subnets of resources that use it, else this project's convention by name. */
export function groupTiers(model: NetworkModel, g: ModelSecurityGroup): string[] {
  const fromMembers = [...new Set(g.memberSubnets.map((s) => model.subnets.find((x) => x.address === s)?.tier).filter((t): t is string => !!t))];
  if (fromMembers.length > 0) return fromMembers;
  const names = Object.keys(GROUP_TIERS) as SecurityGroupName[];
  const conventional = names.find((name) => g.name.endsWith(`-${name}`));
  return conventional ? [...GROUP_TIERS[conventional]] : [];
}

function groupFlows(
  model: NetworkModel,
  between: (a: ModelSubnet, b: ModelSubnet, r: PortRange) => { ok: boolean; why: string },
  tierOf: (s: ModelSubnet) => string,
): GroupFlow[] {
  const flows: GroupFlow[] = [];
  for (const src of model.securityGroups) {
    for (const rule of src.rules.filter((r) => r.direction === "egress" && r.peer.kind === "sg")) {
      const dst = model.securityGroups.find((g) => g.address === (rule.peer as { address: string }).address);
      if (!dst) continue;
      // Stateful groups: the flow exists when the receiver also admits it.
      const admitted = dst.rules.some(
        (r) =>
          r.direction === "ingress" &&
          r.peer.kind === "sg" &&
          r.peer.address === src.address &&
          (r.protocol === "all" || (r.protocol === rule.protocol && r.from <= rule.from && rule.to <= r.to)),
      );
      const ports =
        rule.protocol === "all" ? "all traffic" : rule.from === rule.to ? `${rule.protocol} ${rule.from}` : `${rule.protocol} ${rule.from}-${rule.to}`;
      const fromTiers = groupTiers(model, src);
      const toTiers = groupTiers(model, dst);
      let verdict: Verdict;
      if (!admitted) verdict = { reachable: false, path: [], reason: `${dst.name} has no matching ingress rule` };
      else {
        const range: PortRange =
          rule.protocol === "all"
            ? { protocol: "all", from: 0, to: 65535 }
            : { protocol: rule.protocol as PortRange["protocol"], from: rule.from, to: rule.from };
        const srcSubnets = model.subnets.filter((s) => fromTiers.includes(tierOf(s)));
        const dstSubnets = model.subnets.filter((s) => toTiers.includes(tierOf(s)));
        const blocked = srcSubnets.flatMap((a) => dstSubnets.map((b) => ({ a, b, r: between(a, b, range) }))).find((x) => !x.r.ok);
        verdict = blocked
          ? { reachable: false, path: [], reason: `${blocked.a.name} to ${blocked.b.name}: ${blocked.r.why}` }
          : { reachable: true, path: [src.name, dst.name], reason: `egress ${rule.address} and the matching ingress; NACLs allow every subnet pair` };
      }
      flows.push({ from: src.name, to: dst.name, ports, fromTiers, toTiers, verdict });
    }
  }
  return flows;
}

export function isInside(cidr: string, vpcCidrs: readonly string[]): boolean {
  return vpcCidrs.some((v) => contains(v, cidr));
}
