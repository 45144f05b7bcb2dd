/**
 * Configuration errors raised at synth time.
 *
 * Every problem names where it happened (an environment or a construct), the
 * field, the value found and how to fix it, and all problems of one
 * configuration are reported together so a user fixes them in one pass.
 */
import { z } from "zod";

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

/** Thrown before any file is written when a configuration is invalid. */
export class ConfigError extends Error {
  constructor(
    /** Where the configuration came from: `environment "prod"`, `MlVpc "prod/network"`. */
    readonly scope: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(formatIssues(scope, issues));
    this.name = "ConfigError";
  }
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function formatIssues(scope: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map(
    (i) => `  - ${i.path || "(root)"}: ${i.message} (got ${show(i.value)}). Fix: ${i.fix}`,
  );
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
    return acc ? `${acc}.${k}` : k;
  }, "");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A fix hint carried on a custom zod issue: `ctx.addIssue({ ..., params: { fix } })`. */
interface FixParams {
  fix?: string;
}

function fixFor(issue: z.core.$ZodIssue): string {
  const params = (issue as { params?: FixParams }).params;
  if (params?.fix) return params.fix;
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `set this required field (${issue.expected})` : `use a ${issue.expected}`;
    case "invalid_value":
      return `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `remove ${issue.keys.map((k) => `"${k}"`).join(", ")} or check the spelling against the documented props`;
    case "too_small":
      return `use at least ${String(issue.minimum)}`;
    case "too_big":
      return `use at most ${String(issue.maximum)}`;
    case "invalid_union":
      return "use one of the documented shapes for this field";
    default:
      return "see the field's documentation in the README";
  }
}

/**
 * Parses `input` with a zod schema and returns the typed result, or throws a
 * ConfigError listing every issue with its path, value and fix.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, scope: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(scope, zodIssues(result.error, input));
}

/** Converts a zod error into ConfigIssues. */
export function zodIssues(error: z.ZodError, input: unknown): ConfigIssue[] {
  return error.issues.map((issue) => {
    const path = issue.code === "unrecognized_keys" ? [...issue.path] : issue.path;
    return {
      path: formatPath(path),
      value: issue.code === "unrecognized_keys" ? issue.keys : valueAt(input, issue.path),
      message: issue.message,
      fix: fixFor(issue),
    };
  });
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
