/**
 * Reachability of the hybrid and serving parts: DNS from on-premises through
 * the inbound Resolver endpoint, forwarded queries through the outbound
 * endpoint to on-premises DNS servers, and callers reaching inference through
 * a load balancer (caller to balancer, balancer to the inference group).
 * Stateless NACLs are checked for the query and its reply, security groups
 * (stateful) for the first packet.
 */
import { replyTo, type PortRange } from "../modules/core";
import type { ModelLoadBalancer, ModelResolverEndpoint, ModelSubnet, NetworkModel } from "./model";
import { PathFinder, contains, groupFlowVerdict, groupTiers, naclVerdict, ruleCovers, type Verdict } from "./paths";

const DNS: PortRange = { protocol: "udp", from: 53, to: 53 };

export interface DnsReport {
  /** On-premises clients resolving VPC names through the inbound endpoint; undefined without one. */
  readonly inbound?: Verdict;
  /** Each forwarding rule: the VPC's queries for the domain reaching its on-premises servers. */
  readonly forwarding: { readonly domain: string; readonly verdict: Verdict }[];
  /** Private hosted zones the VPC resolves. */
  readonly privateZones: string[];
}

export interface LoadBalancerReport {
  readonly name: string;
  readonly address: string;
  readonly internal: boolean;
  /** Per caller (a tier, or `internet`), reaching the balancer's listeners and through it the targets' group. */
  readonly callers: Record<string, Verdict>;
  /** The balancer reaching its targets: one verdict per group it sends to. */
  readonly targets: { readonly group: string; readonly port: number; readonly verdict: Verdict }[];
}

const no = (reason: string): Verdict => ({ reachable: false, path: [], reason });

/** A security group rule of the endpoint's groups in `direction` that covers UDP 53 with a CIDR holding `peer`. */
function groupAdmits(model: NetworkModel, groups: readonly string[], direction: "ingress" | "egress", peer: string): string | undefined {
  const rule = model.securityGroups
    .filter((g) => groups.includes(g.address))
    .flatMap((g) => g.rules)
    .find((r) => r.direction === direction && ruleCovers(r, DNS) && r.peer.kind === "cidr" && contains(r.peer.cidr, peer));
  return rule?.address;
}

function endpointSubnets(model: NetworkModel, e: ModelResolverEndpoint): ModelSubnet[] {
  return e.subnets.map((a) => model.subnets.find((s) => s.address === a)).filter((s): s is ModelSubnet => !!s);
}

/** One DNS leg between an endpoint subnet and an on-premises address, both ways through the subnet's NACL. */
function dnsLeg(finder: PathFinder, s: ModelSubnet, peer: string, endpointStarts: boolean): { ok: boolean; why: string } {
  const nacl = finder.naclOf(s);
  // The endpoint's replies go to the on-premises client's ephemeral port; its own queries get replies on its ephemeral port.
  const legs = endpointStarts
    ? [naclVerdict(nacl, true, DNS, peer), naclVerdict(nacl, false, replyTo(DNS, finder.tierOf(s)), peer)]
    : [naclVerdict(nacl, false, DNS, peer), naclVerdict(nacl, true, replyTo(DNS, "public"), peer)];
  const blocked = legs.find((l) => !l.allow);
  return blocked ? { ok: false, why: `blocked by ${blocked.rule}` } : { ok: true, why: `${legs[0].rule}; ${legs[1].rule}` };
}

function inboundDns(model: NetworkModel, finder: PathFinder, e: ModelResolverEndpoint): Verdict {
  const onPrem = finder.onPrem;
  if (onPrem.length === 0) return no("on-premises ranges unknown (BGP); pass --on-prem");
  const verdicts = endpointSubnets(model, e).map((s): Verdict => {
    const vgw = finder.onPremisesGateway(s);
    if (!vgw) return no(`${s.name}'s route table has no route back to on-premises`);
    for (const cidr of onPrem) {
      const leg = dnsLeg(finder, s, cidr, false);
      if (!leg.ok) return no(`queries from ${cidr} into ${s.name}: ${leg.why}`);
      if (!groupAdmits(model, e.securityGroups, "ingress", cidr)) return no(`${e.name}'s security group does not admit DNS (UDP 53) from ${cidr}`);
    }
    const { hops, reason } = finder.onPremisesLinks(vgw);
    return {
      reachable: true,
      path: [`on-premises ${onPrem.join(", ")}`, ...[...hops].reverse(), vgw, s.name, e.name],
      reason: `${reason}; NACL and group admit DNS`,
    };
  });
  return verdicts.find((v) => v.reachable) ?? verdicts[0] ?? no(`${e.name} has no subnet in this network`);
}

function forwardedDns(model: NetworkModel, finder: PathFinder): DnsReport["forwarding"] {
  return model.resolverRules
    .filter((r) => r.type === "FORWARD")
    .map((rule) => {
      const e = model.resolverEndpoints.find((x) => x.address === rule.endpoint);
      if (!e) return { domain: rule.domain, verdict: no("the rule names no outbound endpoint of this network") };
      const verdicts = endpointSubnets(model, e).map((s): Verdict => {
        const vgw = finder.onPremisesGateway(s);
        if (!vgw) return no(`${s.name}'s route table has no route to on-premises`);
        for (const t of rule.targets) {
          const peer = `${t.ip}/32`;
          const leg = dnsLeg(finder, s, peer, true);
          if (!leg.ok) return no(`queries to ${t.ip}: ${leg.why}`);
          if (!groupAdmits(model, e.securityGroups, "egress", peer)) return no(`${e.name}'s security group does not allow DNS (UDP 53) out to ${t.ip}`);
        }
        const { hops, reason } = finder.onPremisesLinks(vgw);
        return { reachable: true, path: [e.name, s.name, vgw, ...hops, rule.targets.map((t) => `${t.ip}:${t.port}`).join(", ")], reason };
      });
      return { domain: rule.domain, verdict: verdicts.find((v) => v.reachable) ?? verdicts[0] ?? no(`${e.name} has no subnet in this network`) };
    });
}

export function analyzeDns(model: NetworkModel, finder: PathFinder): DnsReport {
  const inbound = model.resolverEndpoints.find((e) => e.direction === "INBOUND");
  return {
    inbound: inbound ? inboundDns(model, finder, inbound) : undefined,
    forwarding: forwardedDns(model, finder),
    privateZones: model.hostedZones.filter((z) => z.private).map((z) => z.name),
  };
}

/** A caller's subnet reaching the balancer on a listener port: NACLs both ways and the balancer's group admitting it. */
function callerToBalancer(model: NetworkModel, finder: PathFinder, lb: ModelLoadBalancer, s: ModelSubnet, port: number): Verdict {
  const range: PortRange = { protocol: "tcp", from: port, to: port };
  const lbSubnets = lb.subnets.map((a) => model.subnets.find((x) => x.address === a)).filter((x): x is ModelSubnet => !!x);
  const target = lbSubnets.find((b) => b.az === s.az) ?? lbSubnets[0];
  if (!target) return no(`${lb.name} has no subnet in this network`);
  const net = finder.betweenSubnets(s, target, range);
  if (!net.ok) return no(net.why);
  const groups = model.securityGroups.filter((g) => lb.securityGroups.includes(g.address));
  const admits = groups
    .flatMap((g) => g.rules)
    .some(
      (r) =>
        r.direction === "ingress" &&
        ruleCovers(r, range) &&
        ((r.peer.kind === "cidr" && contains(r.peer.cidr, s.cidr)) ||
          (r.peer.kind === "sg" &&
            groupTiers(
              model,
              model.securityGroups.find((x) => x.address === (r.peer as { address: string }).address)!,
            ).includes(finder.tierOf(s)))),
    );
  if (groups.length > 0 && !admits) return no(`${lb.name}'s security group does not admit tcp ${port} from the ${finder.tierOf(s)} tier`);
  return { reachable: true, path: [s.name, target.name, lb.name], reason: net.why };
}

export function analyzeLoadBalancers(model: NetworkModel, finder: PathFinder): LoadBalancerReport[] {
  return model.loadBalancers.map((lb) => {
    const ports = lb.listeners.filter((l) => !l.redirectsToHttps).map((l) => l.port);
    // Targets: the groups the balancer's group sends to, on the ports it sends (ip targets register at run time).
    const lbGroups = model.securityGroups.filter((g) => lb.securityGroups.includes(g.address));
    const targets = lbGroups.flatMap((src) =>
      src.rules
        .filter((r) => r.direction === "egress" && r.peer.kind === "sg" && r.protocol !== "all")
        .map((r) => {
          const dst = model.securityGroups.find((g) => g.address === (r.peer as { address: string }).address)!;
          return { group: dst.name, port: r.from, verdict: groupFlowVerdict(model, finder, src, dst, { protocol: "tcp", from: r.from, to: r.from }) };
        }),
    );
    const throughTargets = targets.find((t) => t.verdict.reachable);
    const callers: Record<string, Verdict> = {};
    for (const tier of finder.tiers) {
      const subnets = model.subnets.filter((s) => finder.tierOf(s) === tier);
      const verdicts = ports.flatMap((port) => subnets.map((s) => callerToBalancer(model, finder, lb, s, port)));
      const first = verdicts.find((v) => v.reachable) ?? verdicts[0] ?? no("the balancer has no listener that carries traffic");
      callers[tier] =
        first.reachable && throughTargets
          ? { ...first, path: [...first.path, throughTargets.group], reason: `${first.reason}; ${throughTargets.verdict.reason}` }
          : first;
    }
    if (!lb.internal) {
      const openToInternet = lbGroups.some((g) => g.rules.some((r) => r.direction === "ingress" && r.peer.kind === "cidr" && r.peer.cidr === "0.0.0.0/0"));
      callers.internet = openToInternet
        ? {
            reachable: true,
            path: ["internet", lb.name, ...(throughTargets ? [throughTargets.group] : [])],
            reason: "internet-facing, its group admits 0.0.0.0/0",
          }
        : no("internet-facing, but its group admits nothing from 0.0.0.0/0");
    }
    return { name: lb.name, address: lb.address, internal: lb.internal, callers, targets };
  });
}
