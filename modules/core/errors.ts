/**
 * Configuration errors raised at synth time.
 *
 * Every problem names where it happened (an environment or a construct), the
 * field, the value found and how to fix it, and all problems of one
 * configuration are reported together so a user fixes them in one pass.
 */
import { z } from "zod";
import { distance } from "fastest-levenshtein";
import { reservedKeyIssues } from "./schema";

/** One problem in a configuration. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. `network.tiers.private.prefixLength`. */
  readonly path: string;
  /** The offending value as given (omitted when the field is missing). */
  readonly value?: unknown;
  /** What is wrong. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

/** The brand every ConfigError carries, shared across copies of this package (as AWS CDK marks its classes). */
const CONFIG_ERROR_BRAND = Symbol.for("ml-network-cdktf.ConfigError");

/**
 * The one error family of the library: thrown before any file is written when
 * a configuration is invalid, by the modules, the environment loader, the
 * synth-time checks (compliance pack, AWS limits) and `suppress()`. Every
 * issue names the field, the value and the fix.
 *
 * Recognise it with `ConfigError.isConfigError(err)`: `instanceof` fails when
 * an app ends up with two copies of the package.
 */
export class ConfigError extends Error {
  /** True for a ConfigError from any copy of this package. */
  static isConfigError(x: unknown): x is ConfigError {
    return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[CONFIG_ERROR_BRAND] === true;
  }

  constructor(
    /** Where the configuration came from: `environment "prod"`, `MlVpc "prod/network"`. */
    readonly scope: string,
    readonly issues: readonly ConfigIssue[],
    message?: string,
  ) {
    super(message ?? formatIssues(scope, issues));
    Object.defineProperty(this, CONFIG_ERROR_BRAND, { value: true });
    this.name = "ConfigError";
  }
}

/**
 * The value as given, for a message: any JavaScript value, never throwing
 * (circular objects, BigInt, functions, symbols, NaN and Infinity included).
 */
export function show(value: unknown): string {
  const text = describeValue(value, new WeakSet(), 0);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function describeValue(value: unknown, seen: WeakSet<object>, depth: number): string {
  switch (typeof value) {
    case "undefined":
      return "nothing";
    case "bigint":
      return `${value}n`;
    case "function":
      return `a function${value.name ? ` (${value.name})` : ""}`;
    case "symbol":
      return value.toString();
    case "number":
      return String(value); // NaN, Infinity and -Infinity as written, not JSON's null
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return String(value);
  }
  if (value === null) return "null";
  const obj = value as object;
  if (seen.has(obj)) return "[circular]";
  if (depth > 4) return Array.isArray(obj) ? "[...]" : "{...}";
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return `[${obj.map((v) => describeValue(v, seen, depth + 1)).join(",")}]`;
    const entries = Object.keys(obj).map((k) => `${JSON.stringify(k)}:${describeValue((obj as Record<string, unknown>)[k], seen, depth + 1)}`);
    return `{${entries.join(",")}}`;
  } finally {
    seen.delete(obj);
  }
}

export function formatIssues(scope: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((i) => `  - ${i.path || "(root)"}: ${i.message} (got ${show(i.value)}). Fix: ${i.fix}`);
  const noun = issues.length === 1 ? "problem" : "problems";
  return `Invalid configuration for ${scope}: ${issues.length} ${noun}\n${lines.join("\n")}`;
}

/** Throws a ConfigError when there are issues. */
export function throwIfIssues(scope: string, issues: readonly ConfigIssue[]): void {
  if (issues.length > 0) throw new ConfigError(scope, issues);
}

/** Prefixes the path of every issue, for nesting a module's checks in a larger config. */
export function prefixIssues(prefix: string, issues: readonly ConfigIssue[]): ConfigIssue[] {
  return issues.map((i) => ({ ...i, path: i.path ? `${prefix}.${i.path}` : prefix }));
}

/** Formats a zod path (`["tiers", "private", 0]`) the way users write it (`tiers.private[0]`). */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    const k = String(key);
    const part = /^[A-Za-z_$][\w$-]*$/.test(k) ? k : JSON.stringify(k);
    return acc ? (part.startsWith('"') ? `${acc}[${part}]` : `${acc}.${part}`) : part;
  }, "");
}

/** The value at a path, and whether the path exists (an own property all the way). */
function lookup(root: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== "object" || !Object.prototype.hasOwnProperty.call(current, key)) return { found: false };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: current };
}

/** A fix hint carried on a custom zod issue: `ctx.addIssue({ ..., params: { fix } })`. */
interface FixParams {
  fix?: string;
}

type ZodDef = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
};
const defOf = (schema: z.ZodType | undefined): ZodDef | undefined => (schema as unknown as { _zod?: { def: ZodDef } } | undefined)?._zod?.def;

/** Strips optional, default, nullable and pipes: the schema a value must match. */
function unwrap(schema: z.ZodType | undefined): { schema?: z.ZodType; optional: boolean } {
  let optional = false;
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const def = defOf(current);
    if (!def) break;
    if (def.type === "optional" || def.type === "default" || def.type === "prefault" || def.type === "nullable") {
      optional = true;
      current = def.innerType;
    } else if (def.type === "pipe") current = def.in;
    else break;
  }
  return { schema: current, optional };
}

/** The schema that describes the value at `path` (through objects, records, arrays and unions). */
function schemaAt(root: z.ZodType | undefined, path: readonly PropertyKey[]): { schema?: z.ZodType; optional: boolean } {
  let current = unwrap(root);
  for (const key of path) {
    const def = defOf(current.schema);
    if (!def) return { optional: false };
    if (def.type === "object") current = unwrap(def.shape?.[String(key)]);
    else if (def.type === "record") current = unwrap(def.valueType);
    else if (def.type === "array") current = unwrap(def.element);
    else if (def.type === "union") {
      const branch = def.options?.map((o) => schemaAt(o, [key])).find((b) => b.schema);
      current = branch ?? { optional: false };
    } else return { optional: false };
  }
  return current;
}

/** The field names an object schema at `path` knows (all branches of a union). */
function knownKeys(root: z.ZodType | undefined, path: readonly PropertyKey[]): string[] {
  const collect = (schema: z.ZodType | undefined): string[] => {
    const def = defOf(unwrap(schema).schema);
    if (def?.type === "object") return Object.keys(def.shape ?? {});
    if (def?.type === "union") return [...new Set((def.options ?? []).flatMap(collect))];
    return [];
  };
  return collect(schemaAt(root, path).schema);
}

function closestKey(key: string, known: readonly string[]): string | undefined {
  const best = [...known].sort((a, b) => distance(key.toLowerCase(), a.toLowerCase()) - distance(key.toLowerCase(), b.toLowerCase()))[0];
  return best !== undefined && distance(key.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value;
}

function typeFix(issue: z.core.$ZodIssueInvalidType, input: unknown, root: z.ZodType | undefined): string {
  const { found, value } = lookup(input, issue.path);
  const expected = issue.expected === "record" ? "map of names to values" : issue.expected === "array" ? "list" : issue.expected;
  if (found && value === undefined && typeof issue.path[issue.path.length - 1] === "number") return `remove the empty list entry, or give a ${expected}`;
  if (!found || value === undefined) return `set this required field (a ${expected})`;
  const optional = schemaAt(root, issue.path).optional;
  if (value === null) return optional ? `remove it to use the default, or give a ${expected}` : `give a ${expected}; null is not a value here`;
  if (typeof value === "string" && issue.expected === "number" && value.trim() !== "" && Number.isFinite(Number(value)))
    return `write ${value.trim()} as a number, without quotes`;
  if (typeof value === "string" && issue.expected === "boolean" && /^(true|false)$/i.test(value.trim()))
    return `write ${value.trim().toLowerCase()} without quotes`;
  if (typeof value === "number" && !Number.isFinite(value)) return `use a finite ${expected}`;
  if (issue.expected === "array" && (typeof value === "string" || typeof value === "number")) return `wrap it in a list: [${JSON.stringify(value)}]`;
  return `use a ${expected}, not a ${kindOf(value)}`;
}

function fixFor(issue: z.core.$ZodIssue, input: unknown, root: z.ZodType | undefined): string {
  const params = (issue as { params?: FixParams }).params;
  if (params?.fix) return params.fix;
  switch (issue.code) {
    case "invalid_type":
      return typeFix(issue, input, root);
    case "invalid_value":
      return `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "array" ? `list at least ${String(issue.minimum)}` : `use at least ${String(issue.minimum)}`;
    case "too_big":
      return issue.origin === "array" ? `list at most ${String(issue.maximum)}` : `use at most ${String(issue.maximum)}`;
    case "invalid_key":
      return "use a name of letters, digits and hyphens";
    default:
      return "see the field's documentation (API reference) for its shape";
  }
}

/** The issues of the union branch that fits the input best: fewest problems, then fewest unknown fields. */
function bestBranch(errors: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] {
  const score = (issues: readonly z.core.$ZodIssue[]) =>
    issues.reduce((n, i) => n + (i.code === "unrecognized_keys" ? i.keys.length * 2 : i.code === "invalid_type" && i.path.length > 0 ? 1 : 3), 0);
  return [...errors].sort((a, b) => score(a) - score(b))[0] ?? [];
}

/** Flattens union errors into the issues of their best branch, with full paths. */
function flatten(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) return flatten(bestBranch(issue.errors), path);
    return [{ ...issue, path }];
  });
}

/**
 * Converts a zod error into ConfigIssues: each at the path the user wrote,
 * with the value as given and a fix that fits the mistake (a number in
 * quotes, a misspelled field, null where a value belongs, ...). `schema`,
 * when given, lets misspelled fields be matched to the ones it knows.
 */
export function zodIssues(error: z.ZodError, input: unknown, schema?: z.ZodType): ConfigIssue[] {
  const flat = flatten(error.issues);
  const out: ConfigIssue[] = [];
  const consumed = new Set<z.core.$ZodIssue>();
  for (const issue of flat) {
    if (issue.code !== "unrecognized_keys") continue;
    const known = knownKeys(schema, issue.path);
    for (const key of issue.keys) {
      // A misspelled required field shows up twice: unknown here, missing there. Report it once, where the user wrote it.
      const missing = flat.find(
        (m) =>
          m.code === "invalid_type" &&
          m.path.length === issue.path.length + 1 &&
          issue.path.every((p, i) => m.path[i] === p) &&
          !lookup(input, m.path).found &&
          closestKey(key, [String(m.path[m.path.length - 1])]),
      );
      if (missing) consumed.add(missing);
      const suggestion = missing ? String(missing.path[missing.path.length - 1]) : closestKey(key, known);
      out.push({
        path: formatPath([...issue.path, key]),
        value: lookup(input, [...issue.path, key]).value,
        message: "is not a known field",
        fix: suggestion
          ? `did you mean "${suggestion}"?`
          : known.length > 0
            ? `remove it; the fields here are ${known.join(", ")}`
            : `remove "${key}" or check the spelling against the documented props`,
      });
    }
  }
  for (const issue of flat) {
    if (issue.code === "unrecognized_keys" || consumed.has(issue)) continue;
    const { value } = lookup(input, issue.path);
    const message =
      issue.code === "invalid_type"
        ? `expected a ${issue.expected === "array" ? "list" : issue.expected === "record" ? "map" : issue.expected}, got ${lookup(input, issue.path).found && value !== undefined ? kindOf(value) : "nothing"}`
        : issue.message;
    out.push({ path: formatPath(issue.path), value, message, fix: fixFor(issue, input, schema) });
  }
  return out;
}

/**
 * Parses `input` with a zod schema and returns the typed result, or throws a
 * ConfigError listing every issue with its path, value and fix.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, scope: string): z.output<S> {
  const reserved = reservedKeyIssues(input);
  const result = schema.safeParse(input);
  if (result.success && reserved.length === 0) return result.data;
  throw new ConfigError(scope, [...reserved, ...(result.success ? [] : zodIssues(result.error, input, schema))]);
}

/**
 * What every module constructor does first: parse its props with the schema
 * (defaults filled), run its relational checks, and throw one ConfigError
 * naming the construct when anything is wrong.
 */
export function resolveProps<S extends z.ZodType>(
  kind: string,
  path: string,
  schema: S,
  input: unknown,
  validate: (resolved: z.output<S>) => ConfigIssue[] = () => [],
): z.output<S> {
  const where = `${kind} "${path}"`;
  const resolved = parseWith(schema, input, where);
  throwIfIssues(where, validate(resolved));
  return resolved;
}
