/**
 * Terraform JSON as a queryable document: resources by type and address,
 * `${type.name.attr}` references resolved, construct paths and suppressions
 * read from the `//` metadata cdktf writes (Terraform ignores `//` keys).
 * Works on any `*.tf.json`, not only this project's.
 */
import * as fs from "fs";

export type Body = Record<string, unknown>;

export interface Suppression {
  readonly rule: string;
  readonly reason: string;
}

export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** `aws_vpc.network_vpc_4E8F0223` */
  readonly address: string;
  readonly body: Body;
  /** Construct path (`prod/network/vpc`) when cdktf wrote one. */
  readonly path?: string;
  readonly suppressions: readonly Suppression[];
}

export interface TfJsonShape {
  resource?: Record<string, Record<string, Body>>;
  data?: Record<string, Record<string, Body>>;
  provider?: Record<string, Body[] | Body>;
  output?: Record<string, Body>;
  terraform?: Body;
}

const REF = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;
const DATA_REF = /^\$\{data\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;

export class TfDocument {
  private readonly all: TfResource[];
  private readonly index = new Map<string, TfResource>();

  constructor(readonly json: TfJsonShape) {
    this.all = [];
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        const meta = (body["//"] ?? {}) as { metadata?: { path?: string }; suppressions?: Suppression[] };
        const r: TfResource = { type, name, address: `${type}.${name}`, body, path: meta.metadata?.path, suppressions: meta.suppressions ?? [] };
        this.all.push(r);
        this.index.set(r.address, r);
      }
    }
  }

  static fromFile(file: string): TfDocument {
    return new TfDocument(JSON.parse(fs.readFileSync(file, "utf8")) as TfJsonShape);
  }

  resources(type?: string): TfResource[] {
    return type ? this.all.filter((r) => r.type === type) : [...this.all];
  }

  byAddress(address: string): TfResource | undefined {
    return this.index.get(address);
  }

  /** The resource a `${type.name.attr}` string points at. */
  deref(value: unknown): TfResource | undefined {
    if (typeof value !== "string") return undefined;
    const m = REF.exec(value);
    return m ? this.index.get(`${m[1]}.${m[2]}`) : undefined;
  }

  /** The data source a `${data.type.name.attr}` string points at. */
  derefData(value: unknown): { type: string; name: string; body: Body } | undefined {
    if (typeof value !== "string") return undefined;
    const m = DATA_REF.exec(value);
    const body = m ? this.json.data?.[m[1]]?.[m[2]] : undefined;
    return m && body ? { type: m[1], name: m[2], body } : undefined;
  }

  /** True when `value` is a reference to `resource` (any attribute). */
  refersTo(value: unknown, resource: TfResource): boolean {
    return this.deref(value)?.address === resource.address;
  }

  /** The AWS provider's default tags (first provider block). */
  defaultTags(): Record<string, string> {
    const aws = this.json.provider?.aws;
    const first = Array.isArray(aws) ? aws[0] : aws;
    const dt = first?.default_tags as { tags?: Record<string, string> }[] | { tags?: Record<string, string> } | undefined;
    const block = Array.isArray(dt) ? dt[0] : dt;
    return block?.tags ?? {};
  }

  /** The subnet tier of a resource, from its `Tier` tag (this project's convention), if any. */
  static tierOf(resource: TfResource | undefined): string | undefined {
    return (resource?.body.tags as Record<string, string> | undefined)?.Tier;
  }
}

const PROTOCOL_NAMES: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "-1": "all", all: "all" };

/**
 * The protocol and range of a security-group or NACL rule as Terraform writes
 * it (the one parser analysis uses): protocol names or numbers (6, 17, 1, -1);
 * ports in from_port/to_port; for ICMP the type and code, from icmp_type and
 * icmp_code on NACL rules and from from_port/to_port on security-group rules
 * (-1: any). `all` covers 0-65535.
 */
export function rangeOf(b: Body): { protocol: string; from: number; to: number } {
  const raw = b.ip_protocol ?? b.protocol;
  const protocol = PROTOCOL_NAMES[String(raw)] ?? String(raw);
  if (protocol === "all") return { protocol, from: 0, to: 65535 };
  if (protocol === "icmp" && (b.icmp_type !== undefined || b.icmp_code !== undefined))
    return { protocol, from: Number(b.icmp_type ?? -1), to: Number(b.icmp_code ?? -1) };
  return { protocol, from: Number(b.from_port ?? 0), to: Number(b.to_port ?? b.from_port ?? 0) };
}

/** A JSON value as text: strings and numbers as they are, anything else as JSON, nothing as "". */
export function text(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v);
}

/** Lists that Terraform JSON may hold as a single object. */
export function asList<T>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}
