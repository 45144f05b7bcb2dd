/**
 * IPv4 CIDR helpers over `ip-num`, a maintained TypeScript library for IP
 * ranges: parsing, containment, overlap and splitting come from it, so no bit
 * arithmetic is written here.
 */
import { IPv4, IPv4CidrRange, IPv4Prefix, IPv6CidrRange, Validator } from "ip-num";

export type CidrCheck = { ok: true; range: IPv4CidrRange } | { ok: false; reason: string };

// ip-num parses through strings of bits, which is slow when validation and
// the NACL consistency check ask thousands of questions about the same few
// dozen CIDRs: parses and answers are cached (CIDR text is immutable).
const checks = new Map<string, CidrCheck>();
const ranges = new Map<string, IPv4CidrRange>();
const relations = new Map<string, boolean>();

function cached<K, V>(map: Map<K, V>, key: K, compute: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = compute();
    map.set(key, value);
  }
  return value;
}

/** Parses `a.b.c.d/n`, rejecting malformed text and host bits set after the prefix. */
export function checkCidr(text: unknown): CidrCheck {
  if (typeof text !== "string") return checkCidrUncached(text);
  return cached(checks, text, () => checkCidrUncached(text));
}

function checkCidrUncached(text: unknown): CidrCheck {
  if (typeof text !== "string" || !text.includes("/")) {
    return { ok: false, reason: "is not IPv4 CIDR notation (a.b.c.d/n)" };
  }
  const [notation, notationErrors] = Validator.isValidIPv4CidrNotation(text);
  if (!notation) return { ok: false, reason: `is not a valid IPv4 CIDR (${notationErrors.join("; ")})` };
  const [range] = Validator.isValidIPv4CidrRange(text);
  if (!range) {
    return { ok: false, reason: `has host bits set after the prefix (the network is ${networkOf(text)})` };
  }
  return { ok: true, range: IPv4CidrRange.fromCidr(text) };
}

/** The network address of `text` with its host bits cleared, for "did you mean" hints. */
export function networkOf(text: string): string | undefined {
  const [ok] = Validator.isValidIPv4CidrNotation(text);
  if (!ok) return undefined;
  const [ip, bits] = text.split("/");
  const prefix = new IPv4Prefix(BigInt(bits));
  const network = new IPv4(IPv4.fromString(ip).getValue() & prefix.toMask().getValue());
  return `${network.toString()}/${bits}`;
}

export function parseCidr(text: string): IPv4CidrRange {
  return cached(ranges, text, () => IPv4CidrRange.fromCidr(text));
}

export function prefixOf(text: string): number {
  return Number(text.split("/")[1]);
}

/** IPv6 text (it has a colon): an IPv6 range never overlaps or lies within an IPv4 one. */
const isV6 = (cidr: string) => cidr.includes(":");
const parseV6 = (text: string) => cached(ranges6, text, () => IPv6CidrRange.fromCidr(text));
const ranges6 = new Map<string, IPv6CidrRange>();

/** True when the two ranges share an address (false across address families). */
export function overlaps(a: string, b: string): boolean {
  if (isV6(a) !== isV6(b)) return false;
  if (isV6(a)) return cached(relations, `o6|${a}|${b}`, () => parseV6(a).isOverlapping(parseV6(b)));
  return cached(relations, `o|${a}|${b}`, () => parseCidr(a).isOverlapping(parseCidr(b)));
}

/** True when `inner` lies entirely within `outer` (false across address families). */
export function within(inner: string, outer: string): boolean {
  if (isV6(inner) !== isV6(outer)) return false;
  if (isV6(inner)) return cached(relations, `w6|${inner}|${outer}`, () => parseV6(inner).inside(parseV6(outer)));
  return cached(relations, `w|${inner}|${outer}`, () => parseCidr(inner).inside(parseCidr(outer)));
}

/** True for text ip-num parses as an IPv4 or IPv6 CIDR range. */
export function isCidr(text: string): boolean {
  if (isV6(text)) return Validator.isValidIPv6CidrRange(text)[0];
  return checkCidr(text).ok;
}

/** Splits `cidr` into 2^bits equal blocks and returns block `index` as CIDR text. */
export function nthBlock(cidr: string, extraBits: number, index: number): string {
  return cached(blocks, `${cidr}|${extraBits}|${index}`, () => {
    const prefix = prefixOf(cidr) + extraBits;
    return parseCidr(cidr)
      .splitInto(new IPv4Prefix(BigInt(prefix)))
      [index].toCidrString();
  });
}
const blocks = new Map<string, string>();

/** The first subnet of length `prefix` inside `cidr`. */
export function firstSubnet(cidr: string, prefix: number): string {
  return new IPv4CidrRange(parseCidr(cidr).getFirst(), new IPv4Prefix(BigInt(prefix))).toCidrString();
}
