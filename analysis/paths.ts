/**
 * The building blocks of path finding over a network model: the NACL verdict
 * of one leg, per-subnet paths (internet, AWS services, endpoints,
 * on-premises), where security groups run, and flows between two groups.
 * The reachability report and the hybrid analysis both build on them.
 */
import { ALL_TRAFFIC, describeRange, isCidr, replyPortsFor, replyTo, within, type PortRange } from "../modules/core";

export { ALL_TRAFFIC };
import { OUTSIDE, evaluateNacl, type NaclEntry } from "../modules/network-acls";
import { GROUP_TIERS, type SecurityGroupName } from "../modules/security-groups";
import type { ModelNacl, ModelNaclRule, ModelSecurityGroup, ModelSgRule, ModelSubnet, NetworkModel } from "./model";

export interface Verdict {
  readonly reachable: boolean;
  /** Hops from source to destination, for a "yes". */
  readonly path: string[];
  /** Why: the route or rule that allows it, or what blocks it. */
  readonly reason: string;
}

export interface ReachabilityOptions {
  /** On-premises ranges; default: the VPN's static routes. */
  readonly onPremisesCidrs?: readonly string[];
}

export const HTTPS: PortRange = { protocol: "tcp", from: 443, to: 443 };

/** True when `inner` lies within `outer` (IPv4 or IPv6; never across families; malformed text holds nothing). */
export function contains(outer: string, inner: string): boolean {
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
export class PathFinder {
  readonly tiers: string[];
  private readonly subnetByAddr: Map<string, ModelSubnet>;
  /** On-premises ranges: given, or the VPN's static routes. */
  readonly onPrem: readonly string[];

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

  readonly onPremises = (s: ModelSubnet, range: PortRange = HTTPS): Verdict => {
    if (this.model.vpnConnections.length === 0 && this.model.dxAssociations.length === 0)
      return { reachable: false, path: [], reason: "no VPN connection and no Direct Connect gateway" };
    const vgw = this.onPremisesGateway(s);
    if (!vgw) return { reachable: false, path: [], reason: `${s.routeTable ?? "the route table"} neither learns nor routes on-premises ranges` };
    if (this.onPrem.length === 0) return { reachable: false, path: [], reason: "on-premises ranges unknown (BGP); pass --on-prem" };
    const blocked = this.onPrem.map((cidr) => ({ cidr, r: this.outAndBack(s, range, cidr) })).find((x) => !x.r.ok);
    if (blocked) return { reachable: false, path: [], reason: `route via ${vgw}, but the NACL stops ${blocked.cidr}: ${blocked.r.why}` };
    const { hops, reason } = this.onPremisesLinks(vgw);
    return { reachable: true, path: [s.name, vgw, ...hops, `on-premises ${this.onPrem.join(", ")}`], reason: `${reason}; NACL admits the on-premises ranges` };
  };

  /** The virtual private gateway a subnet's route table learns (or routes) on-premises ranges through. */
  readonly onPremisesGateway = (s: ModelSubnet): string | undefined => {
    const rt = this.rtOf(s);
    return rt?.propagatingVgws[0] ?? rt?.routes.find((r) => r.target.kind === "vgw")?.target.address;
  };

  /**
   * How a virtual private gateway reaches on-premises: Direct Connect when a
   * Direct Connect gateway is associated with it (for the same prefix a VGW
   * prefers Direct Connect routes over VPN routes: "Route priority", AWS
   * Site-to-Site VPN user guide, VPNRoutingTypes.html), the VPN as backup.
   */
  readonly onPremisesLinks = (vgw: string): { hops: string[]; reason: string } => {
    const dx = this.model.dxAssociations.filter((a) => a.gateway === vgw);
    const vpns = this.model.vpnConnections.map((c) => c.name);
    if (dx.length === 0) return { hops: vpns, reason: "VPN routes propagated to the route table" };
    return {
      hops: [dx[0].dxGateway, "Direct Connect"],
      reason: `Direct Connect through ${dx[0].dxGateway} (preferred over VPN for the same prefix)${vpns.length ? `, VPN ${vpns.join(", ")} as backup` : ", no VPN backup"}`,
    };
  };
}

/** Where a group's members run: subnets of resources that use it, else this project's convention by name. */
export function groupTiers(model: NetworkModel, g: ModelSecurityGroup): string[] {
  const fromMembers = [...new Set(g.memberSubnets.map((s) => model.subnets.find((x) => x.address === s)?.tier).filter((t): t is string => !!t))];
  if (fromMembers.length > 0) return fromMembers;
  const names = Object.keys(GROUP_TIERS) as SecurityGroupName[];
  const conventional = names.find((name) => g.name.endsWith(`-${name}`));
  return conventional ? [...GROUP_TIERS[conventional]] : [];
}

/** Whether a security-group rule covers all of `range`. */
export function ruleCovers(rule: ModelSgRule, range: PortRange): boolean {
  if (rule.protocol === "all" || rule.protocol === "-1") return true;
  return rule.protocol === range.protocol && rule.from <= range.from && range.to <= rule.to;
}

/**
 * Whether members of `src` can open `range` to members of `dst`: an egress
 * rule of `src` and an ingress rule of `dst` that name each other (or CIDRs
 * holding the other's subnets) and cover the traffic (security groups are
 * stateful: replies need nothing more), and NACLs that pass request and reply
 * between every pair of their subnets.
 */
export function groupFlowVerdict(model: NetworkModel, finder: PathFinder, src: ModelSecurityGroup, dst: ModelSecurityGroup, range: PortRange): Verdict {
  const subnetsOf = (g: ModelSecurityGroup) => model.subnets.filter((s) => groupTiers(model, g).includes(finder.tierOf(s)));
  const srcSubnets = subnetsOf(src);
  const dstSubnets = subnetsOf(dst);
  const names = (peer: ModelSecurityGroup, members: ModelSubnet[]) => (r: ModelSgRule) =>
    (r.peer.kind === "sg" && r.peer.address === peer.address) ||
    (r.peer.kind === "cidr" && members.length > 0 && members.every((m) => contains((r.peer as { cidr: string }).cidr, m.cidr)));
  const egress = src.rules.find((r) => r.direction === "egress" && names(dst, dstSubnets)(r) && ruleCovers(r, range));
  if (!egress) return { reachable: false, path: [], reason: `${src.name} has no egress rule to ${dst.name} that covers ${describeRange(range)}` };
  const ingress = dst.rules.find((r) => r.direction === "ingress" && names(src, srcSubnets)(r) && ruleCovers(r, range));
  if (!ingress) return { reachable: false, path: [], reason: `${dst.name} has no matching ingress rule from ${src.name} for ${describeRange(range)}` };
  const blocked = srcSubnets.flatMap((a) => dstSubnets.map((b) => ({ a, b, r: finder.betweenSubnets(a, b, range) }))).find((x) => !x.r.ok);
  if (blocked) return { reachable: false, path: [], reason: `${blocked.a.name} to ${blocked.b.name}: ${blocked.r.why}` };
  return { reachable: true, path: [src.name, dst.name], reason: `egress ${egress.address} and the matching ingress; NACLs allow every subnet pair` };
}
