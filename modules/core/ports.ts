/**
 * Ports and protocols as security groups and network ACLs take them.
 */
import type { ConfigIssue } from "./errors";

export type Protocol = "tcp" | "udp" | "icmp" | "all";

/** A port (`443`) or an inclusive range (`{ from: 1024, to: 65535 }`). */
export type PortSpec = number | { readonly from: number; readonly to: number };

/**
 * A resolved port range with its protocol; `all` carries no ports. For
 * `icmp`, `from` is the ICMP type and `to` the ICMP code, -1 meaning any (the
 * convention of security-group rules, whose from_port/to_port carry type and
 * code for ICMP).
 */
export interface PortRange {
  readonly protocol: Protocol;
  readonly from: number;
  readonly to: number;
}

/** Every ICMP message. */
export const ALL_ICMP: PortRange = { protocol: "icmp", from: -1, to: -1 };

/**
 * ICMP destination unreachable, fragmentation needed (type 3, code 4): what a
 * router on a path with a smaller MTU sends back so the sender shrinks its
 * packets (path-MTU discovery, RFC 1191). Dropping it stalls large transfers
 * over VPN tunnels and NAT.
 */
export const ICMP_FRAGMENTATION_NEEDED: PortRange = { protocol: "icmp", from: 3, to: 4 };

/**
 * Source ports of NAT gateways and load balancers (1024-65535): replies to
 * them must pass the public tier's NACL.
 */
export const EPHEMERAL_PORTS: PortRange = { protocol: "tcp", from: 1024, to: 65535 };

/**
 * Source ports instances pick as clients: Linux 32768-60999, Windows
 * 49152-65535. Replies to instances in private and training subnets arrive
 * here; the range leaves out 22 and 3389, so no NACL opens them.
 */
export const CLIENT_EPHEMERAL_PORTS: PortRange = { protocol: "tcp", from: 32768, to: 65535 };

/** The reply range for clients in a tier: load balancers and NAT in public, instances elsewhere. */
export function replyPortsFor(tier: string): PortRange {
  return tier === "public" ? EPHEMERAL_PORTS : CLIENT_EPHEMERAL_PORTS;
}

/**
 * What the reply to a request of `range` looks like to a stateless NACL: the
 * same protocol, to the client's ephemeral ports (TCP and UDP); ICMP answers
 * with ICMP (an echo reply is another type); all traffic stays all traffic.
 */
export function replyTo(range: PortRange, clientTier: string): PortRange {
  if (range.protocol === "all") return range;
  if (range.protocol === "icmp") return { protocol: "icmp", from: -1, to: -1 };
  return { ...replyPortsFor(clientTier), protocol: range.protocol };
}

export const ALL_TRAFFIC: PortRange = { protocol: "all", from: 0, to: 65535 };

export function toRange(spec: PortSpec, protocol: Protocol = "tcp"): PortRange {
  if (protocol === "all") return ALL_TRAFFIC;
  return typeof spec === "number" ? { protocol, from: spec, to: spec } : { protocol, from: spec.from, to: spec.to };
}

/** `tcp 443`, `tcp 1024-65535`, `icmp 3/4`, `all`. */
export function describeRange(r: PortRange): string {
  if (r.protocol === "all") return "all traffic";
  if (r.protocol === "icmp") return r.from === -1 ? "all icmp" : r.to === -1 ? `icmp type ${r.from}` : `icmp ${r.from}/${r.to}`;
  return r.from === r.to ? `${r.protocol} ${r.from}` : `${r.protocol} ${r.from}-${r.to}`;
}

/** Id-safe form: `tcp-443`, `tcp-1024-65535`, `icmp-3-4`, `all`. */
export function rangeId(r: PortRange): string {
  if (r.protocol === "all") return "all";
  if (r.protocol === "icmp") return r.from === -1 ? "icmp-all" : r.to === -1 ? `icmp-${r.from}` : `icmp-${r.from}-${r.to}`;
  return r.from === r.to ? `${r.protocol}-${r.from}` : `${r.protocol}-${r.from}-${r.to}`;
}

/** True when range `outer` admits every packet of `inner` (same protocol, or outer is all). */
export function covers(outer: PortRange, inner: PortRange): boolean {
  if (outer.protocol === "all") return true;
  if (inner.protocol === "all") return false;
  if (outer.protocol === "icmp" && inner.protocol === "icmp") {
    // Type, then code; -1 matches any.
    if (outer.from === -1) return true;
    return outer.from === inner.from && (outer.to === -1 || outer.to === inner.to);
  }
  return outer.protocol === inner.protocol && outer.from <= inner.from && inner.to <= outer.to;
}

/** Checks a port spec: integers within 0-65535 and from <= to. */
export function checkPortSpec(path: string, spec: unknown): ConfigIssue[] {
  const bad = (message: string, fix: string): ConfigIssue[] => [{ path, value: spec, message, fix }];
  const ok = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 65535;
  if (typeof spec === "number") {
    return ok(spec) ? [] : bad("is not a port (an integer from 0 to 65535)", "use a port between 0 and 65535");
  }
  if (spec && typeof spec === "object" && "from" in spec && "to" in spec) {
    const { from, to } = spec;
    if (!ok(from) || !ok(to)) return bad("has a port outside 0-65535", "use ports between 0 and 65535");
    const [a, b] = [from as number, to as number];
    if (a > b) return bad(`starts after it ends (${a} > ${b})`, `write { from: ${b}, to: ${a} }`);
    return [];
  }
  return bad("is not a port or a { from, to } range", "use 443 or { from: 8000, to: 8010 }");
}
